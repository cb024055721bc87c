package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// The demo applicants' mobile numbers (their accounts' numbers).
const yuPhone, zhouPhone = "13904310001", "13904350002"

// identityFixture: 于秀兰 at 青州社区's desk, with her phone, her numbers also
// in the form, accepted and with an extension request waiting; her own
// online application there; 周明 at the county hall's desk with his phone,
// and in a 一件事 there.
type identityFixture struct {
	qz, online, hn cases.Case
	bundle         int64
}

func newIdentityFixture(t *testing.T, e *env) identityFixture {
	t.Helper()
	ctx := context.Background()
	yu, zhou := idOf("yuxiulan"), idOf("zhouming")
	walkIn := func(desk, item string, a cases.Applicant, form string) cases.Case {
		t.Helper()
		it, err := e.cat.Published(ctx, item)
		if err != nil {
			t.Fatal(err)
		}
		var mats []string
		for _, m := range it.Materials {
			if m.Requirement != catalog.Optional {
				mats = append(mats, m.Type)
			}
		}
		u := user(t, e, desk)
		c, err := e.svc.Create(ctx, u, cases.CreateRequest{Item: item, Applicant: &a, Materials: mats, Form: json.RawMessage(form)})
		if err != nil {
			t.Fatal(err)
		}
		if c, err = e.svc.Act(ctx, u, c.ID, cases.Accept, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	f := identityFixture{
		qz: walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, cases.Applicant{Kind: "person", Name: "于秀兰", IDNumber: yu, Phone: yuPhone},
			fmt.Sprintf(`{"contact": %q, "holder_id": %q}`, yuPhone, yu)),
		hn: walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, cases.Applicant{Kind: "person", Name: "周明", IDNumber: zhou, Phone: zhouPhone}, ""),
	}
	var err error
	reviewer := user(t, e, "rs_shenpi")
	if _, err = e.svc.Act(ctx, reviewer, f.qz.ID, cases.StartReview, cases.ActRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err = e.svc.RequestExtension(ctx, reviewer, f.qz.ID, cases.ActRequest{Days: 5, Reasons: []string{"须组织专家评审"}}); err != nil {
		t.Fatal(err)
	}
	if f.online, err = e.svc.Create(ctx, user(t, e, "yuxiulan"), cases.CreateRequest{Item: demo.CodeSocialInsuranceSubsidy,
		Point: demo.QingzhouCentre, Submit: true}); err != nil {
		t.Fatal(err)
	}
	def, err := e.cat.PublishedBundle(ctx, demo.BundleNewborn)
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.cat.Guide(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, m := range g.Materials {
		all = append(all, m.Type)
	}
	desk := e.as(t, "hn_qiantai")
	desk.get("/desk/bundle?bundle=" + def.Code).want(200)
	res := desk.post("/desk/bundle", bundleForm(g, all, "accept")).want(http.StatusSeeOther)
	if f.bundle, err = strconv.ParseInt(strings.TrimPrefix(strings.Split(res.location(), "?")[0], "/bundle-cases/"), 10, 64); err != nil {
		t.Fatalf("redirect to %q", res.location())
	}
	return f
}

// The staff pages that list cases (work queues, the desk's lists, the hall's
// list, bundle applications, the extension requests) never show a demo
// applicant's whole identity card or mobile number, for any staff role; nor
// does a single case or bundle page before a reveal.
func TestStaffPagesMaskApplicantNumbers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newIdentityFixture(t, e)
		whole := []string{idOf("yuxiulan"), idOf("zhouming"), yuPhone, zhouPhone}
		for _, tt := range []struct {
			user  string
			pages []string
		}{
			{"qz_quanke", []string{"/desk", "/desk/cases", "/desk/cases?state=submitted", "/desk/cases?state=in_review",
				fmt.Sprintf("/desk?visit=%d", f.qz.ID), "/bundle-cases", fmt.Sprintf("/cases/%d", f.qz.ID)}},
			{"hn_qiantai", []string{"/desk", "/desk/cases", fmt.Sprintf("/desk?visit=%d", f.hn.ID), "/bundle-cases",
				fmt.Sprintf("/bundle-cases/%d", f.bundle), fmt.Sprintf("/cases/%d", f.hn.ID)}},
			{"rs_shenpi", []string{"/review", "/review?state=in_review", "/review?sla=on_time", "/bundle-cases", fmt.Sprintf("/cases/%d", f.qz.ID)}},
			{"qz_chuzheng", []string{"/issue", "/bundle-cases", fmt.Sprintf("/cases/%d", f.qz.ID)}},
			{"hn_dating", []string{"/hall", "/hall?state=accepted", "/bundle-cases", fmt.Sprintf("/bundle-cases/%d", f.bundle),
				fmt.Sprintf("/cases/%d", f.hn.ID)}},
			{"admin", []string{"/admin/extensions", "/bundle-cases", fmt.Sprintf("/bundle-cases/%d", f.bundle),
				fmt.Sprintf("/cases/%d", f.qz.ID), fmt.Sprintf("/cases/%d", f.hn.ID)}},
		} {
			c := e.as(t, tt.user)
			for _, p := range tt.pages {
				c.get(p).want(200).lacks(whole...)
			}
		}
		// The lists do list the cases, with the identity numbers masked.
		yuMasked, zhouMasked := ident.MaskID(idOf("yuxiulan")), ident.MaskID(idOf("zhouming"))
		e.as(t, "qz_quanke").get("/desk/cases").want(200).has("于秀兰", yuMasked, fmt.Sprintf(`href="/cases/%d"`, f.qz.ID))
		e.as(t, "rs_shenpi").get("/review").want(200).has(yuMasked, fmt.Sprintf(`href="/cases/%d"`, f.qz.ID))
		e.as(t, "hn_dating").get("/hall").want(200).has("周明", zhouMasked, fmt.Sprintf(`href="/cases/%d"`, f.hn.ID))
		e.as(t, "hn_qiantai").get("/bundle-cases").want(200).has(zhouMasked, fmt.Sprintf(`href="/bundle-cases/%d"`, f.bundle))
		e.as(t, "admin").get("/admin/extensions").want(200).has(fmt.Sprintf(`data-case="%d"`, f.qz.ID))
	})
}

// revealRecords counts the audit records of reveals of a case.
func revealRecords(t *testing.T, e *env, number string) int {
	t.Helper()
	var n int
	if err := e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND object = ?`,
		cases.AuditRevealIdentity, "case:"+number).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// On a case's page staff see the applicant's numbers masked and a control
// to show them; using it (a POST with the form token) shows them whole and
// leaves exactly one audit record. Staff outside the case's scope are
// refused as the page is, and leave no reveal record. The applicant sees
// their own numbers whole, with nothing to reveal.
func TestCasePageRevealsNumbersOnRequest(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newIdentityFixture(t, e)
		yu := idOf("yuxiulan")
		page := fmt.Sprintf("/cases/%d", f.qz.ID)
		reveal := page + "/reveal"

		desk := e.as(t, "qz_quanke")
		desk.get(page).want(200).lacks(yu, yuPhone).
			has(ident.MaskID(yu), ident.MaskPhone(yuPhone), `id="reveal-identity"`, `action="`+reveal+`"`, "查看完整证件号码")
		if n := revealRecords(t, e, f.qz.Number); n != 0 {
			t.Fatalf("opening the page wrote %d reveal records", n)
		}
		// Without the form token: refused, nothing shown, nothing recorded.
		desk.post(reveal, url.Values{"csrf": {"forged"}}).want(http.StatusForbidden).lacks(yu, yuPhone)
		if n := revealRecords(t, e, f.qz.Number); n != 0 {
			t.Fatalf("a forged reveal wrote %d records", n)
		}
		desk.get(page).want(200)
		desk.post(reveal, url.Values{}).want(200).has(yu, yuPhone, `id="revealed"`).lacks(`id="reveal-identity"`)
		if n := revealRecords(t, e, f.qz.Number); n != 1 {
			t.Fatalf("one reveal wrote %d records", n)
		}
		var actor, outcome string
		if err := e.db.QueryRowContext(context.Background(), `SELECT actor, outcome FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1`,
			cases.AuditRevealIdentity).Scan(&actor, &outcome); err != nil {
			t.Fatal(err)
		}
		if actor != "qz_quanke" || outcome != "ok" {
			t.Errorf("reveal record: actor %q, outcome %q", actor, outcome)
		}
		// htmx replaces the case part only; the page is masked again afterwards.
		desk.get(page).want(200).lacks(yu, yuPhone)
		desk.post(reveal, url.Values{}, "HX-Request", "true", "HX-Target", "case").want(200).has(yu, yuPhone).lacks("<html")
		desk.lang = "en"
		desk.get(page).want(200).has("Show full number").lacks(yu, yuPhone)
		if n := revealRecords(t, e, f.qz.Number); n != 2 {
			t.Fatalf("two reveals wrote %d records", n)
		}

		// Outside the case's point, or another applicant: refused as the page is.
		for _, tt := range []struct {
			user   string
			status int
		}{{"hn_qiantai", http.StatusForbidden}, {"hn_dating", http.StatusForbidden}, {"yb_shenpi", http.StatusForbidden}, {"zhouming", http.StatusNotFound}} {
			c := e.as(t, tt.user)
			c.get(page).want(tt.status)
			c.post(reveal, url.Values{}).want(tt.status).lacks(yu, yuPhone, "表单已过期")
		}
		if n := revealRecords(t, e, f.qz.Number); n != 2 {
			t.Errorf("refused reveals wrote %d records", n-2)
		}

		// The applicant: her own numbers, whole, nothing to reveal.
		e.as(t, "yuxiulan").get(page).want(200).has(yu, yuPhone).lacks(`id="reveal-identity"`)
	})
}

// The next item of a visit starts with the applicant's whole identity
// number, so a visit holds only the cases this desk user opened in the last
// hours: a colleague's case, or an old one, named in ?visit= prefills
// nothing.
func TestVisitPrefillsOnlyTheDesksOwnCases(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		mine := e.walkIn("qz_quanke", demo.CodeFamilyPlanningConsult, "于秀兰", idOf("yuxiulan"))
		accept := func(desk string) *page {
			return e.as(t, desk).get(fmt.Sprintf("/desk/accept?item=%s&visit=%d", demo.CodeFamilyPlanningConsult, mine.ID)).want(200)
		}
		accept("qz_quanke").has(`value="` + idOf("yuxiulan") + `"`)
		// A colleague at the same point sees the case in the lists (masked),
		// but cannot have its whole number filled in.
		accept("qz_quanke2").lacks(idOf("yuxiulan"))
		// Hours later the visit is over.
		e.clock.Advance(5 * time.Hour)
		accept("qz_quanke").lacks(idOf("yuxiulan"))
	})
}
