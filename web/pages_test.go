package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
)

// fixture is one case through the back office and issued, so that every
// page has something to show.
type fixture struct {
	subsidy cases.Case // issued at 青州社区
	queued  cases.Case // accepted, waiting in the 人社 queue
}

func newFixture(t *testing.T, e *env) fixture {
	t.Helper()
	ctx := context.Background()
	f := fixture{subsidy: e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))}
	f.queued = e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	rs, iss := user(t, e, "rs_shenpi"), user(t, e, "qz_chuzheng")
	for _, step := range []struct {
		u auth.User
		a cases.Action
		r cases.ActRequest
	}{
		{rs, cases.StartReview, cases.ActRequest{}},
		{rs, cases.Approve, cases.ActRequest{}},
		{iss, cases.PrepareResult, cases.ActRequest{}},
		{iss, cases.Issue, cases.ActRequest{IssueMethod: cases.IssueAtWindow, Collector: e.collectorFor(t, "于秀兰", idOf("yuxiulan"))}},
	} {
		c, err := e.svc.Act(ctx, step.u, f.subsidy.ID, step.a, step.r)
		if err != nil {
			t.Fatalf("%s: %v", step.a, err)
		}
		f.subsidy = c
	}
	return f
}

// rolePages lists, per role, pages that must render for it; "" is a visitor
// who has not signed in.
func rolePages(f fixture) map[string][]string {
	c := fmt.Sprint(f.subsidy.ID)
	q := fmt.Sprint(f.queued.ID)
	return map[string][]string{
		"": {"/", "/items", "/items?q=" + url.QueryEscape("社会保险"), "/items?life_event=" + url.QueryEscape("就业") + "&level=6&online=1",
			"/items/" + demo.CodeSocialInsuranceSubsidy, "/verify", "/verify/" + f.subsidy.VerifyCode, "/verify?code=NOPE23456789", "/login", "/track", "/register", "/forgot"},
		"yuxiulan":    {"/my", "/apply/" + demo.CodeSocialInsuranceSubsidy, "/cases/" + c, "/cases/" + c + "/documents/delivery", "/items", "/account"},
		"qz_quanke":   {"/desk", "/desk?q=" + url.QueryEscape("补贴"), "/desk?visit=" + c + "," + q, "/desk/accept?item=" + demo.CodeFamilyPlanningConsult + "&visit=" + c, "/desk/cases", "/desk/cases?state=accepted", "/cases/" + q, "/cases/" + q + "/documents/acceptance"},
		"rs_shenpi":   {"/review", "/review?sla=on_time", "/review?state=accepted&sla=overdue", "/cases/" + q},
		"qz_chuzheng": {"/issue", "/issue?state=issued", "/cases/" + c, "/cases/" + c + "/documents/delivery"},
		"hn_dating":   {"/hall", "/hall?sla=warning"},
		"admin": {"/admin", "/admin/items", "/admin/items?status=draft", "/admin/items?q=" + url.QueryEscape("补贴"), "/admin/items/" + demo.CodeSocialInsuranceSubsidy,
			"/admin/users", "/admin/users?role=reviewer", "/admin/points", "/admin/workdays", "/cases/" + c, "/admin/sms", "/account"},
	}
}

// Every page renders for its role in both languages, with every text
// translated and the html element in the page's language.
func TestEveryPageRendersForItsRole(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newFixture(t, e)
		pages := rolePages(f)
		for _, username := range keys(pages) {
			paths := pages[username]
			for _, lang := range []struct{ accept, html, word string }{{"zh-CN,zh;q=0.9", `lang="zh-CN"`, "一窗通办"}, {"en-GB,en;q=0.8", `lang="en"`, "One Window"}} {
				name := username
				if name == "" {
					name = "visitor"
				}
				t.Run(name+"/"+lang.accept[:2], func(t *testing.T) {
					c := e.as(t, username)
					c.lang = lang.accept
					for _, p := range paths {
						res := c.get(p)
						if res.status != http.StatusOK && !(strings.Contains(p, "NOPE") && res.status == http.StatusNotFound) {
							t.Fatalf("%s: status %d\n%.2000s", p, res.status, res.body)
						}
						res.has(lang.html).lacks("⟦")
						if !strings.Contains(p, "/documents/") {
							res.has(lang.word)
						}
					}
				})
			}
		}
	})
}

// Pages refuse the roles they are not for: visitors are sent to sign in,
// signed-in users of another role get the 403 page (and the refusal is audited).
func TestPagesRefuseOtherRoles(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newFixture(t, e)
		owners := map[string]string{ // page → the one role that may open it
			"/my": "applicant", "/apply/" + demo.CodeSocialInsuranceSubsidy: "applicant",
			"/desk": "frontdesk", "/desk/cases": "frontdesk", "/desk/accept?item=" + demo.CodeSocialInsuranceSubsidy: "frontdesk",
			"/review": "reviewer", "/issue": "issuer", "/hall": "hall_manager",
			"/admin": "admin", "/admin/items": "admin", "/admin/users": "admin", "/admin/points": "admin", "/admin/workdays": "admin",
		}
		accounts := map[string]string{"applicant": "yuxiulan", "frontdesk": "qz_quanke", "reviewer": "rs_shenpi", "issuer": "qz_chuzheng",
			"hall_manager": "hn_dating", "admin": "admin"}
		clients := map[string]*client{}
		for role, username := range accounts {
			clients[role] = e.as(t, username)
		}
		visitor := e.client(t)
		for path, owner := range owners {
			res := visitor.get(path).want(http.StatusSeeOther)
			if want := "/login?next=" + url.QueryEscape(path); res.location() != want {
				t.Errorf("%s: visitor sent to %q, want %q", path, res.location(), want)
			}
			for role, c := range clients {
				if role == owner {
					continue
				}
				for _, lang := range []struct{ accept, title string }{{"zh-CN", "无权访问"}, {"en", "Not allowed"}} {
					c.lang = lang.accept
					c.get(path).want(http.StatusForbidden).has(lang.title).lacks("⟦")
				}
			}
		}
		// A case outside one's scope is refused too: another department's
		// reviewer, another point's desk; another applicant does not learn it exists.
		c := fmt.Sprint("/cases/", f.queued.ID)
		clients["reviewer"].get(c).want(200)
		e.as(t, "yb_shenpi").get(c).want(http.StatusForbidden)
		e.as(t, "hn_qiantai").get(c).want(http.StatusForbidden)
		e.as(t, "zhouming").get(c).want(http.StatusNotFound)
		var denied int
		if err := e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'`).Scan(&denied); err != nil {
			t.Fatal(err)
		}
		if denied == 0 {
			t.Error("refusals were not written to the audit log")
		}
	})
}

// Every form needs the session's token, and cross-site posts are refused
// even with it.
func TestFormsNeedTheirToken(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client(t)
		c.get("/").want(200)
		token := c.csrf
		if token == "" {
			t.Fatal("the home page has no form token")
		}
		c.post("/prefs", url.Values{"lang": {"en"}, "csrf": {""}}).want(http.StatusForbidden)
		c.post("/prefs", url.Values{"lang": {"en"}, "csrf": {"forged-token-forged-token-forged"}}).want(http.StatusForbidden)
		c.post("/prefs", url.Values{"lang": {"en"}, "csrf": {token}}, "Sec-Fetch-Site", "cross-site").want(http.StatusForbidden)
		c.post("/prefs", url.Values{"lang": {"en"}, "csrf": {token}}, "Origin", "http://evil.example").want(http.StatusForbidden)
		c.post("/prefs", url.Values{"lang": {"en"}, "back": {"/items"}, "csrf": {token}}).want(http.StatusSeeOther)

		// Signing in gives a new token, derived from the new session.
		desk := e.as(t, "qz_quanke")
		desk.get("/desk").want(200)
		if desk.csrf == "" || desk.csrf == token {
			t.Fatalf("signed-in token %q should differ from the visitor's %q", desk.csrf, token)
		}
		res := desk.post("/desk/accept", url.Values{"csrf": {token}, "item": {demo.CodeFamilyPlanningConsult}, "decision": {"accept"},
			"kind": {"person"}, "name": {"于秀兰"}, "id_number": {idOf("yuxiulan")}})
		res.want(http.StatusForbidden)
		list, _, err := e.svc.List(context.Background(), user(t, e, "qz_quanke"), cases.Filter{})
		if err != nil || len(list) != 0 {
			t.Fatalf("a forged form opened cases: %v %v", list, err)
		}
	})
}

// The session cookie is HttpOnly and SameSite=Lax; signing out revokes it.
func TestSessionCookie(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client(t)
		c.get("/login").want(200)
		res := c.post("/login", url.Values{"username": {"rs_shenpi"}, "password": {demo.Password}, "next": {"/review?sla=overdue"}}).want(http.StatusSeeOther)
		if res.location() != "/review?sla=overdue" {
			t.Errorf("after sign-in went to %q", res.location())
		}
		var session *http.Cookie
		for _, ck := range (&http.Response{Header: res.header}).Cookies() {
			if ck.Name == "ow_session" {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
			t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/", session)
		}
		if _, err := e.users.Authenticate(context.Background(), session.Value); err != nil {
			t.Fatalf("the cookie does not hold a live token: %v", err)
		}
		c.get("/review").want(200)
		// Where a signed-out path leads elsewhere, the next address must stay on this site.
		other := e.client(t)
		other.get("/login").want(200)
		if loc := other.post("/login", url.Values{"username": {"rs_shenpi"}, "password": {demo.Password}, "next": {"//evil.example/x"}}).location(); loc != "/review" {
			t.Errorf("an outside next address led to %q", loc)
		}
		c.post("/logout", url.Values{}).want(http.StatusSeeOther)
		if _, err := e.users.Authenticate(context.Background(), session.Value); err == nil {
			t.Error("signing out left the token alive")
		}
		c.get("/review").want(http.StatusSeeOther)
	})
}

// Repeated wrong passwords lock the account out for a while, also for the
// right password.
func TestSignInIsRateLimited(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		limiter := clock.NewManual(e.clock.Now())
		e.limiter.Now = limiter.Now
		c := e.client(t)
		c.get("/login").want(200)
		for i := 0; i < auth.DefaultMaxFailures; i++ {
			c.post("/login", url.Values{"username": {"admin"}, "password": {"wrong-password"}}).want(http.StatusUnauthorized).has("用户名或密码不正确")
			limiter.Advance(time.Minute) // past the growing wait between tries
		}
		res := c.post("/login", url.Values{"username": {"admin"}, "password": {demo.Password}}).want(http.StatusTooManyRequests)
		if res.header.Get("Retry-After") == "" {
			t.Error("a locked-out sign-in should say when to retry")
		}
	})
}

// What people type is escaped wherever it is shown.
func TestApplicantNameIsEscaped(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const evil = `<script>alert("x")</script>于`
		desk := e.as(t, "qz_quanke")
		desk.get("/desk/accept?item=" + demo.CodeFamilyPlanningConsult).want(200)
		res := desk.post("/desk/accept", url.Values{"item": {demo.CodeFamilyPlanningConsult}, "decision": {"accept"},
			"kind": {"person"}, "name": {evil}, "id_number": {idOf("yuxiulan")}, "channel": {"window"}}).want(http.StatusSeeOther)
		visit := res.location()
		list, _, err := e.svc.List(context.Background(), user(t, e, "qz_quanke"), cases.Filter{})
		if err != nil || len(list) != 1 || list[0].Applicant.Name != evil {
			t.Fatalf("want one case for %q, got %+v (%v)", evil, list, err)
		}
		id := list[0].ID
		escaped := `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;于`
		for _, p := range []string{visit, fmt.Sprint("/cases/", id), "/desk/cases", fmt.Sprint("/cases/", id, "/documents/acceptance")} {
			desk.get(p).want(200).has(escaped).lacks(`<script>alert`)
		}
		e.as(t, "wj_shenpi").get("/review").want(200).has(escaped).lacks(`<script>alert`)
	})
}

// Chinese unless the user chooses English (a cookie) or the browser asks
// for it; large text is kept in a cookie too.
func TestLanguageAndLargeText(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client(t)
		c.get("/").want(200).has(`lang="zh-CN"`, "办事指南")
		c.lang = "en-US,en;q=0.9"
		c.get("/").want(200).has(`lang="en"`, "Service guide")
		c.post("/prefs", url.Values{"lang": {"zh"}, "back": {"/items"}}).want(http.StatusSeeOther)
		c.get("/").want(200).has(`lang="zh-CN"`)
		c.get("/?lang=en").want(200).has(`lang="en"`)
		c.post("/prefs", url.Values{"text": {"large"}, "back": {"/"}}).want(http.StatusSeeOther)
		c.get("/").want(200).has(`class="large"`, "标准字号")
		c.post("/prefs", url.Values{"text": {"huge"}}).want(http.StatusUnprocessableEntity)
		if loc := c.post("/prefs", url.Values{"text": {"normal"}, "back": {"https://evil.example/"}}).want(http.StatusSeeOther).location(); loc != "/" {
			t.Errorf("an outside back address led to %q", loc)
		}
		c.get("/").want(200).lacks(`class="large"`)
	})
}

// Static files carry a content hash; with it they are cached for a year.
func TestStaticAssets(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client(t)
		home := c.get("/").want(200)
		for _, name := range []string{"app.css", "app.js", "vendor/htmx.min.js", "favicon.svg"} {
			i := strings.Index(home.body, "/static/"+name+"?v=")
			if i < 0 {
				t.Fatalf("the layout does not link %s with a hash", name)
			}
			link := home.body[i:]
			link = link[:strings.IndexByte(link, '"')]
			res := c.get(link).want(200)
			if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("%s: Cache-Control %q", link, cc)
			}
			if len(res.body) == 0 {
				t.Errorf("%s is empty", link)
			}
		}
		if cc := c.get("/static/app.css?v=old").want(200).header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("an outdated hash must not be cached for long: %q", cc)
		}
		if ct := c.get("/static/vendor/echarts.min.js").want(200).header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("echarts served as %q", ct)
		}
		c.get("/static/vendor/README.md").want(http.StatusNotFound)
		// The icon: linked by every page, and at the address browsers ask for
		// by themselves.
		home.has(`<link rel="icon" href="/static/favicon.svg?v=`)
		c.get("/board/" + demo.QingzhouCentre).want(200).has(`<link rel="icon" href="/static/favicon.svg?v=`)
		if ct := c.get("/favicon.ico").want(200).header.Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("/favicon.ico served as %q", ct)
		}
		if res := c.get("/static/../web.go"); res.status == http.StatusOK || strings.Contains(res.body, "package web") {
			t.Errorf("a path out of the static folder was served: %d", res.status)
		}
		if csp := home.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("pages need a content security policy, got %q", csp)
		}
		if st := home.header.Get("Server-Timing"); !strings.HasPrefix(st, "app;dur=") {
			t.Errorf("Server-Timing %q", st)
		}
	})
}

// The printed notices carry the case number and its query code, the
// promised date, the officer and a QR code: 办件查询 for the case on a
// receipt, the verification page on a delivery record.
func TestDocumentsCarryWhatTheyPromise(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newFixture(t, e)
		desk := e.as(t, "qz_quanke")
		doc := desk.get(fmt.Sprintf("/cases/%d/documents/acceptance", f.queued.ID)).want(200)
		code, err := e.svc.QueryCode(context.Background(), user(t, e, "qz_quanke"), f.queued.ID)
		if err != nil {
			t.Fatal(err)
		}
		doc.has(f.queued.Number, f.queued.PromisedDue, "李春燕", `<svg`, `class="qr"`, "受理通知书", code,
			e.base+"/track?code="+code+"&amp;number="+f.queued.Number)
		desk.get(fmt.Sprintf("/cases/%d/documents/delivery", f.queued.ID)).want(http.StatusConflict)
		desk.get(fmt.Sprintf("/cases/%d/documents/nonsense", f.queued.ID)).want(http.StatusNotFound)

		iss := e.as(t, "qz_chuzheng")
		iss.lang = "en"
		rec := iss.get(fmt.Sprintf("/cases/%d/documents/delivery", f.subsidy.ID)).want(200)
		rec.has(f.subsidy.Number, f.subsidy.VerifyCode, e.base+"/verify/"+f.subsidy.VerifyCode, "赵淑芬", "Record of delivery", `<svg`)
		// The code on the record opens the public verification page.
		e.client(t).get("/verify/"+f.subsidy.VerifyCode).want(200).has(f.subsidy.Number, "于**", "准予办理")
		e.client(t).get("/verify/" + strings.ToLower(f.subsidy.VerifyCode)).want(200).has(f.subsidy.Number)
		e.client(t).get("/verify/AAAAAAAAAAAA").want(http.StatusNotFound).has("核验未通过")
		// The receipt's address opens the case for those who may see it.
		res := e.as(t, "yuxiulan").get("/case/" + f.queued.Number).want(http.StatusSeeOther)
		if want := fmt.Sprintf("/cases/%d", f.queued.ID); res.location() != want {
			t.Errorf("tracking address led to %q, want %q", res.location(), want)
		}
		e.as(t, "zhouming").get("/case/" + f.queued.Number).want(http.StatusNotFound)
	})
}

func TestWorkQueueOrderAndBadges(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
		b := e.walkIn("hn_qiantai", demo.CodeSocialInsuranceSubsidy, "周明", idOf("zhouming"))
		rs := e.as(t, "rs_shenpi")
		q := rs.get("/review").want(200)
		q.has(a.Number, b.Number, "sla-on_time", "剩 ")
		q.lacks(`class="empty"`)
		rs.get("/review?sla=overdue").want(200).lacks(a.Number, b.Number).has(`class="empty"`)
		rs.get("/review?sla=soon").want(http.StatusUnprocessableEntity)
		rs.get("/review?state=issued").want(http.StatusUnprocessableEntity)
		// Paused while 补正 is requested.
		if _, err := e.svc.Act(context.Background(), user(t, e, "rs_shenpi"), a.ID, cases.RequestSupplement, cases.ActRequest{Reasons: []string{"缴费证明不清晰"}}); err != nil {
			t.Fatal(err)
		}
		rs.get("/review?sla=paused").want(200).has(a.Number, "sla-paused").lacks(b.Number)
	})
}

// A decision the service refuses opens no case (the case and the decision
// are one transaction), and the form names the wrong field.
func TestDeskChecksBeforeOpeningACase(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		desk := e.as(t, "qz_quanke")
		desk.get("/desk").want(200)
		form := func(decision, id string, materials ...string) url.Values {
			return url.Values{"item": {demo.CodeSocialInsuranceSubsidy}, "decision": {decision}, "kind": {"person"}, "name": {"于秀兰"},
				"id_number": {id}, "channel": {"window"}, "materials": materials}
		}
		desk.post("/desk/accept", form("accept", idOf("yuxiulan"))).want(http.StatusConflict).has("必要材料不齐", "居民身份证")
		desk.post("/desk/accept", form("not_accept", idOf("yuxiulan"))).want(http.StatusUnprocessableEntity).has("请写明理由")
		desk.post("/desk/accept", form("approve", idOf("yuxiulan"))).want(http.StatusUnprocessableEntity).
			has("请选择受理、一次性告知或不予受理").linksTo("decision")
		bad := desk.post("/desk/accept", form("notify", "220106196803120000")).want(http.StatusUnprocessableEntity)
		bad.has(`aria-invalid="true"`, `id="id-error"`)
		desk.post("/desk/accept", form("maybe", idOf("yuxiulan"))).want(http.StatusUnprocessableEntity)
		if list, _, _ := e.svc.List(context.Background(), user(t, e, "qz_quanke"), cases.Filter{}); len(list) != 0 {
			t.Fatalf("refused decisions opened %d cases", len(list))
		}
		// The one-time notice lists every missing material at once.
		res := desk.post("/desk/accept", form("notify", idOf("yuxiulan"), "id_card")).want(http.StatusSeeOther)
		list, _, _ := e.svc.List(context.Background(), user(t, e, "qz_quanke"), cases.Filter{})
		if len(list) != 1 || list[0].State != cases.SupplementNeeded {
			t.Fatalf("after the notice: %+v", list)
		}
		desk.get(res.location()).want(200).has(list[0].Number, "/documents/missing")
		doc := desk.get(fmt.Sprintf("/cases/%d/documents/missing", list[0].ID)).want(200)
		it, _ := e.cat.Published(context.Background(), demo.CodeSocialInsuranceSubsidy)
		for _, m := range it.Materials {
			if m.Type != "id_card" && m.Requirement != "optional" {
				doc.has(m.Name)
			}
		}
	})
}

// An item is edited as a new draft and takes effect when published; users
// are added with their scope; a holiday year is imported from a file.
func TestAdministration(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		code := demo.CodeFamilyPlanningConsult
		admin.get("/admin/items/" + code).want(200)
		it, _ := e.cat.Published(context.Background(), code)
		form := url.Values{"name": {it.Name + "（新）"}, "name_en": {it.NameEN}, "type": {it.Type}, "department": {it.DepartmentCode},
			"legal_limit_days": {"0"}, "promised_limit_days": {"0"}, "visits": {"1"}, "serves_persons": {"1"},
			"material_rows": {"3"}, "m0_name": {"居民身份证"}, "m0_type": {"id_card"}, "m0_requirement": {"required"}, "m0_originals": {"1"}, "m0_copies": {"0"},
			"m2_name": {"户口簿"}, "m2_type": {"household_register"}, "m2_requirement": {"optional"},
			"fee_rows": {"1"}, "f0_name": {"工本费"}, "f0_amount": {"5.5"}}
		for _, l := range it.Levels {
			form.Add("levels", fmt.Sprint(l))
		}
		admin.post("/admin/items/"+code, form).want(http.StatusSeeOther)
		if pub, _ := e.cat.Published(context.Background(), code); pub.Name != it.Name {
			t.Fatalf("saving a draft changed the published item to %q", pub.Name)
		}
		versions, err := e.cat.Versions(context.Background(), code)
		if err != nil || versions[0].Status != "draft" || versions[0].Name != it.Name+"（新）" || len(versions[0].Materials) != 2 ||
			len(versions[0].Fees) != 1 || versions[0].Fees[0].AmountFen != 550 {
			t.Fatalf("draft %+v (%v)", versions[0], err)
		}
		admin.get("/admin/items?status=draft").want(200).has(it.Name + "（新）")
		admin.post(fmt.Sprintf("/admin/items/%s/versions/%d/publish", code, versions[0].Version), url.Values{}).want(http.StatusSeeOther)
		if pub, _ := e.cat.Published(context.Background(), code); pub.Name != it.Name+"（新）" {
			t.Errorf("published name %q", pub.Name)
		}
		bad := form
		bad.Set("m0_type", "ID CARD")
		bad.Set("f0_amount", "5.555")
		admin.post("/admin/items/"+code, bad).want(http.StatusUnprocessableEntity).has("材料类型编码", "金额须为元")

		admin.post("/admin/users", url.Values{"username": {"new_reviewer"}, "name": {"新审批员"}, "role": {"reviewer"},
			"department_code": {demo.DeptHealth}, "point_code": {demo.CountyHall}, "password": {"long-enough-pw"}}).want(http.StatusSeeOther)
		if u, err := e.users.UserByUsername(context.Background(), "new_reviewer"); err != nil || u.DepartmentCode != demo.DeptHealth || u.PointCode != "" {
			t.Errorf("new user %+v (%v)", u, err)
		}
		admin.post("/admin/users", url.Values{"username": {"x"}, "name": {""}, "role": {"frontdesk"}, "password": {"short"}}).
			want(http.StatusUnprocessableEntity).has("用户名长度", "服务网点")

		admin.get("/admin/workdays").want(200).has("2026")
	})
}

func TestNotFoundPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client(t)
		c.get("/no/such/page").want(http.StatusNotFound).has("找不到页面")
		c.get("/items/NOSUCHITEM").want(http.StatusNotFound)
		c.lang = "en"
		c.get("/no/such/page").want(http.StatusNotFound).has("Not found", "there is no such page")
		admin := e.as(t, "admin")
		admin.get("/cases/999999").want(http.StatusNotFound)
		admin.get("/cases/abc").want(http.StatusNotFound)
		admin.get("/items?level=9").want(http.StatusUnprocessableEntity)
		admin.get("/items?q=%00").want(http.StatusUnprocessableEntity)
	})
}

// sorted keys, for stable subtests.
func keys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// A reviewer works a case through the page's forms: a special procedure
// pauses the clock and ends, 补正 is asked for with reasons, a refusal
// without reasons is turned back on the case page with the message.
func TestReviewerActionsThroughForms(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.walkIn("hn_qiantai", demo.CodeSocialInsuranceSubsidy, "周明", idOf("zhouming"))
		rs := e.as(t, "rs_shenpi")
		path := fmt.Sprint("/cases/", c.ID)
		rs.get(path).want(200).has(`data-action="start_review"`, `data-action="refuse"`).lacks(`data-action="issue"`)
		act := func(action string, form url.Values) *page {
			form.Set("action", action)
			return rs.post(path+"/act", form)
		}
		if loc := act("start_review", url.Values{}).want(http.StatusSeeOther).location(); loc != path+"?done=start_review" {
			t.Errorf("after the action: %q", loc)
		}
		rs.get(path+"?done=start_review").want(200).has("已完成：开始审查", `data-action="start_special"`)
		act("start_special", url.Values{"procedure": {"expert_review"}}).want(http.StatusSeeOther)
		rs.get(path).want(200).has("专家评审", "sla-paused", `data-action="end_special"`).lacks(`data-action="start_special"`)
		act("end_special", url.Values{}).want(http.StatusSeeOther)
		// Final decisions ask for the box ticked (required in the form, and
		// checked here), and each action's reasons box is labelled with it.
		rs.get(path).want(200).has(`<input type="checkbox" id="confirm-refuse" name="confirm" value="yes" required>`,
			`<label for="reasons-refuse">不予办理的理由</label>`, `<label for="reasons-request_supplement">要求补正的理由</label>`)
		act("refuse", url.Values{"reasons": {"材料虚假"}}).want(http.StatusUnprocessableEntity).has("请勾选确认后再提交", c.Number)
		if got, _ := e.svc.Get(context.Background(), user(t, e, "rs_shenpi"), c.ID); got.State == cases.Refused {
			t.Fatal("refused without the confirmation")
		}
		act("refuse", url.Values{"reasons": {"  \n "}, "confirm": {"yes"}}).want(http.StatusUnprocessableEntity).has("请写明理由", c.Number, `role="alert"`)
		// An old version of the page is refused, not applied twice.
		act("approve", url.Values{"version": {"1"}, "confirm": {"yes"}}).want(http.StatusConflict).has("案件已被他人更新")
		act("request_supplement", url.Values{"reasons": {"缴费凭证不清晰\n社会保障卡复印件缺页"}}).want(http.StatusSeeOther)
		got, err := e.svc.Get(context.Background(), user(t, e, "rs_shenpi"), c.ID)
		if err != nil || got.State != cases.SupplementNeeded || len(got.Reasons) != 2 || got.SpecialProcedure != "" {
			t.Fatalf("after 补正: %+v (%v)", got, err)
		}
		// The applicant sees the reasons and the one-time notice of what is asked for.
		e.as(t, "zhouming").get(path).want(200).has("缴费凭证不清晰", "社会保障卡复印件缺页")
		// The htmx request gets the case part only.
		part := rs.get(path, "HX-Request", "true", "HX-Target", "case").want(200)
		part.has(c.Number).lacks("<html", "<header")
		act("no_such_action", url.Values{}).want(http.StatusNotFound)
	})
}

// Uploads are checked by their content; the applicant's notice lists what
// is still missing, and a front desk cannot upload to another point's case.
func TestUploadsAreChecked(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		yu := e.as(t, "yuxiulan")
		yu.get("/apply/" + demo.CodeSocialInsuranceSubsidy).want(200)
		res := yu.multipart("/apply/"+demo.CodeSocialInsuranceSubsidy, map[string]string{"point": demo.QingzhouCentre, "submit": "0"},
			map[string][]byte{"file_id_card": []byte("#!/bin/sh\necho hi\n")})
		res.want(http.StatusUnprocessableEntity).has("只接受PDF、JPEG或PNG文件")
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		res = yu.multipart("/apply/"+demo.CodeSocialInsuranceSubsidy, map[string]string{"point": demo.QingzhouCentre, "submit": "0"},
			map[string][]byte{"file_id_card": png}).want(http.StatusSeeOther)
		page := yu.get(res.location()).want(200)
		page.has("file.png", "草稿")
		notice := page.body[strings.Index(page.body, `id="one-time-notice"`):]
		notice = notice[:strings.Index(notice, "</section>")]
		for _, missing := range []string{"《社会保险补贴申请表》", "就业创业证", "社会保障卡", "社会保险缴费凭证"} {
			if !strings.Contains(notice, missing) {
				t.Errorf("the one-time notice does not list %s", missing)
			}
		}
		if strings.Contains(notice, "居民身份证") {
			t.Error("the one-time notice lists the uploaded ID card as missing")
		}
		id := strings.TrimPrefix(strings.SplitN(res.location(), "?", 2)[0], "/cases/")
		yu.multipart("/cases/"+id+"/materials", map[string]string{"type": "employment_certificate"}, map[string][]byte{"file": png}).want(http.StatusSeeOther)
		yu.get("/cases/" + id + "/files/employment_certificate").want(200)
		e.as(t, "hn_qiantai").get("/cases/" + id + "/files/employment_certificate").want(http.StatusForbidden)
		e.as(t, "zhouming").get("/cases/" + id + "/files/employment_certificate").want(http.StatusNotFound)
		yu.multipart("/cases/"+id+"/materials", map[string]string{"type": "no_such_material"}, map[string][]byte{"file": png}).
			want(http.StatusUnprocessableEntity).has("本事项不需要材料")
	})
}

// A holiday year is imported from a file; a wrong file imports nothing and
// says where it is wrong.
func TestHolidayImport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		admin.get("/admin/workdays").want(200)
		good := `{"years": [{"year": 2031, "notice": {"title": "测试用2031年节假日安排"},
			"holidays": [{"name": "元旦", "name_en": "New Year's Day", "from": "2031-01-01", "to": "2031-01-01"}]}]}`
		res := admin.multipart("/admin/workdays", nil, map[string][]byte{"file": []byte(good)}).want(http.StatusSeeOther)
		admin.get(res.location()).want(200).has("已导入：2031", "测试用2031年节假日安排")
		bad := `{"years": [{"year": 2032, "notice": {"title": ""}, "holidays": []}]}`
		admin.multipart("/admin/workdays", nil, map[string][]byte{"file": []byte(bad)}).want(http.StatusUnprocessableEntity).has("缺少通知标题")
		admin.get("/admin/workdays").want(200).lacks("2032")
	})
}
