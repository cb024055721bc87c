package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/web"
)

// The bundle editor's members are chosen with the item picker: a search by
// pinyin offers the items by name (radio buttons named as the member's
// field); without scripts the search box is sent with the form and its one
// item taken, several found come back to choose from, and prerequisites are
// ticked among the other members.
func TestBundleMemberPicker(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.as(t, "admin")
		admin.get("/admin/bundles/new").want(200).
			has(`id="b0_item-q"`, `name="b0_item_q"`, `hx-get="/pick/items?field=b0_item&amp;id=b0_item&amp;required=1"`).
			lacks(`<datalist`, "⟦")

		// The picker's search, as htmx asks for it: the part alone, radios named b1_item.
		part := admin.get("/pick/items?field=b1_item&id=b1_item&required=1&b1_item_q=csyxzm", "HX-Request", "true", "HX-Target", "b1_item-choices").want(200)
		part.has(`name="b1_item" id="b1_item-`+demo.CodeBirthCertificate+`"`, "出生医学证明签发", "出生医学证明补发").lacks("<html", `b1_item-no-item`)
		if strings.Contains(part.body, `name="item"`) {
			t.Error("the member's picker answers with booking's field")
		}
		// A field name that is not one is booking's.
		admin.get("/pick/items?field=%22%3E&item_q=csyxzmqf").want(200).has(`name="item" id="pick-` + demo.CodeBirthCertificate + `"`)

		code := "YJS-PICK"
		form := url.Values{"code": {code}, "name": {"拼音选择一件事"}, "lead_department": {demo.DeptHealth}, "promised_limit_days": {"5"},
			"on_refusal": {"stop"}, "member_rows": {"3"}, "b0_item_q": {"csyxzm"}, "b1_item_q": {"yfjzzbl"}}
		// Two items match the first search: the form comes back with both to choose from, and nothing is saved.
		p := admin.post("/admin/bundles/new", form).want(http.StatusUnprocessableEntity)
		row := p.within("member-0", "</fieldset>")
		for _, want := range []string{`value="csyxzm"`, `name="b0_item" id="b0_item-` + demo.CodeBirthCertificate + `"`, "出生医学证明补发", "请从结果中选择一个"} {
			if !strings.Contains(row, want) {
				t.Errorf("the first member's row lacks %q", want)
			}
		}
		if vs, err := e.cat.BundleDefinitions(ctx, code); err != nil || len(vs) != 0 {
			t.Fatalf("an unchosen search saved the bundle: %v %v", vs, err)
		}
		// Choosing among them (and the second's one item found) saves both, the second after the first.
		form.Set("b0_item", demo.CodeBirthCertificate)
		form.Set("b1_depends_on", demo.CodeBirthCertificate)
		admin.post("/admin/bundles/new", form).want(http.StatusSeeOther)
		draft, err := e.cat.BundleVersion(ctx, code, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(draft.Members) != 2 || draft.Members[0].Item != demo.CodeBirthCertificate || draft.Members[1].Item != demo.CodeVaccinationCertificate ||
			!slices.Equal(draft.Members[1].DependsOn, []string{demo.CodeBirthCertificate}) {
			t.Fatalf("saved members %+v", draft.Members)
		}
		// The saved form shows each member by name and offers the other as a prerequisite, ticked.
		saved := admin.get("/admin/bundles/" + code).want(200)
		second := saved.within("member-1", `id="member-2"`)
		for _, want := range []string{`name="b1_item" id="b1_item-` + demo.CodeVaccinationCertificate + `" value="` + demo.CodeVaccinationCertificate + `" checked`,
			`name="b1_depends_on" id="b1_dep-` + demo.CodeBirthCertificate + `" value="` + demo.CodeBirthCertificate + `" checked`, "出生医学证明签发"} {
			if !strings.Contains(second, want) {
				t.Errorf("the second member's row lacks %q", want)
			}
		}
		en := e.as(t, "admin")
		en.lang = "en"
		en.get("/admin/bundles/"+code).want(200).has("Member 1", "Prerequisites", "Medical birth certificate issue").lacks("⟦")

		// A search that finds nothing says so on its row.
		form = url.Values{"code": {"YJS-NONE"}, "name": {"无"}, "lead_department": {demo.DeptHealth}, "promised_limit_days": {"5"},
			"on_refusal": {"stop"}, "member_rows": {"1"}, "b0_item_q": {"qqqqzzzz"}}
		if !strings.Contains(admin.post("/admin/bundles/new", form).want(http.StatusUnprocessableEntity).within("member-0", "</fieldset>"), "没有找到相符的事项") {
			t.Error("a search that finds nothing is not told on its row")
		}
	})
}

// Staff skills are chosen with the item picker, several at once: ticked
// items by name, a search by pinyin adds its one item, several found come
// back unticked to choose from.
func TestSkillItemPicker(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		m := e.as(t, "qz_dating")
		issuer := e.id(t, "qz_chuzheng")
		m.get("/hall/roster?week="+hallToday).want(200).
			has(`id="items-`+issuer+`-q"`, `name="items_q"`, `hx-get="/pick/items?field=items&amp;id=items-`+issuer+`&amp;multi=1"`)
		skill := func() hall.Skill {
			t.Helper()
			skills, err := e.hall.Skills(ctx, user(t, e, "qz_dating"), demo.QingzhouCentre)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(skills, func(s hall.Skill) bool { return strconv.FormatInt(s.UserID, 10) == issuer })
			if i < 0 {
				t.Fatalf("no skill of the issuer: %+v", skills)
			}
			return skills[i]
		}
		// No scripts: the search box's one item joins the ticked one.
		m.post("/hall/roster/skill", url.Values{"user_id": {issuer}, "week": {hallToday}, "items": {demo.CodeSocialInsuranceSubsidy},
			"items_q": {"csyxzmqf"}}).want(http.StatusSeeOther)
		if got := skill().Items; !slices.Equal(got, []string{demo.CodeSocialInsuranceSubsidy, demo.CodeBirthCertificate}) {
			t.Fatalf("skill items %v", got)
		}
		form := m.get("/hall/roster?week="+hallToday).want(200).within("skill-"+issuer, "</form>")
		for _, want := range []string{`name="items" id="items-` + issuer + `-` + demo.CodeBirthCertificate + `" value="` + demo.CodeBirthCertificate + `" checked`,
			"出生医学证明签发", "社会保险补贴申领"} {
			if !strings.Contains(form, want) {
				t.Errorf("the skill form lacks %q", want)
			}
		}
		// Several found: the form comes back with them unticked, the chosen kept, nothing saved.
		res := m.post("/hall/roster/skill", url.Values{"user_id": {issuer}, "week": {hallToday}, "items": {demo.CodeSocialInsuranceSubsidy},
			"items_q": {"sbk"}}).want(http.StatusUnprocessableEntity)
		form = res.within("skill-"+issuer, "</form>")
		for _, want := range []string{"社会保障卡申领", `value="sbk"`, "请从结果中选择一个", `value="` + demo.CodeSocialInsuranceSubsidy + `" checked`} {
			if !strings.Contains(form, want) {
				t.Errorf("the failed skill form lacks %q", want)
			}
		}
		if regexp.MustCompile(`value="[^"]+2002802000" checked`).MatchString(form) {
			t.Error("an item found is ticked before it is chosen")
		}
		if got := skill().Items; len(got) != 2 {
			t.Errorf("a search with several results changed the skill: %v", got)
		}
		// Unticking removes.
		m.post("/hall/roster/skill", url.Values{"user_id": {issuer}, "week": {hallToday}, "items": {demo.CodeBirthCertificate}}).want(http.StatusSeeOther)
		if got := skill().Items; !slices.Equal(got, []string{demo.CodeBirthCertificate}) {
			t.Errorf("after unticking: %v", got)
		}
		// The multi picker's search keeps what is ticked and offers checkboxes.
		part := m.get("/pick/items?field=items&id=items-"+issuer+"&multi=1&items="+demo.CodeBirthCertificate+"&items_q=yfjz", "HX-Request", "true").want(200)
		part.has(`type="checkbox" name="items" id="items-`+issuer+`-`+demo.CodeBirthCertificate+`" value="`+demo.CodeBirthCertificate+`" checked`,
			`type="checkbox" name="items" id="items-`+issuer+`-`+demo.CodeVaccinationCertificate+`" value="`+demo.CodeVaccinationCertificate+`">`).lacks(`type="radio"`)
		m.lang = "en"
		m.get("/hall/roster?week="+hallToday).want(200).has("Items accepted", "Medical birth certificate issue").lacks("⟦")
	})
}

// The audit log names each action in the page's language, the code beside
// it; every action the demo records has a name, and the English page holds
// no Chinese but names.
func TestAuditActionLabels(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	b := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	admin := e.as(t, "admin")
	zh := admin.get("/admin/audit?object=" + url.QueryEscape("case:"+b.Number)).want(200)
	zh.has("办件：创建", "办件：受理", `title="操作代码">case.accept</small>`, "成功")
	en := e.as(t, "admin")
	en.lang = "en"
	page := en.get("/admin/audit?object=" + url.QueryEscape("case:"+b.Number)).want(200)
	page.has("Case: Created", "Case: Accept", `title="Action code">case.accept</small>`, "Done").lacks("办件", "⟦")
	data := dataText(t, e.db)
	for _, run := range chineseRun.FindAllString(declaredChinese.ReplaceAllString(nonText.ReplaceAllString(page.body, ""), ""), -1) {
		if !strings.Contains(data, run) {
			t.Errorf("Chinese on the English audit log, not a name: %q", run)
		}
	}

	rows, err := e.db.QueryContext(ctx, `SELECT DISTINCT action FROM audit_log`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var action string
		if err := rows.Scan(&action); err != nil {
			t.Fatal(err)
		}
		seen[action] = true
		for _, l := range []web.Lang{web.ZH, web.EN} {
			if got := l.AuditAction(action); got == action {
				t.Errorf("%s: the action %q has no name", l, action)
			}
		}
	}
	rows.Close()
	if len(seen) < 5 {
		t.Errorf("only %d kinds of action in the demo's log: %v", len(seen), seen)
	}
	for _, code := range []string{"no.such_action", "case.no_such_action", "nodot"} {
		if got := web.EN.AuditAction(code); got != code {
			t.Errorf("an unknown action %q is named %q, want its code", code, got)
		}
	}
}

// The list of every case is filtered to a point by its code or by words of
// its name: one point found is the filter, several are offered to choose
// from (and list nothing until one is chosen), none is said.
func TestCasesPointFilterByName(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	caseRow := regexp.MustCompile(`<a class="mono" href="/cases/(\d+)">`)
	ids := func(body string) []string {
		var out []string
		for _, m := range caseRow.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	admin := e.as(t, "admin")
	byName := admin.get("/admin/cases?point=" + url.QueryEscape("青州")).want(200)
	if got := ids(byName.body); !slices.Contains(got, strconv.FormatInt(c.ID, 10)) {
		t.Errorf("filtered by 青州: %v, want case %d among them", got, c.ID)
	}
	for _, id := range ids(byName.body) {
		if n, _ := strconv.ParseInt(id, 10, 64); n != c.ID {
			if other, err := e.svc.Get(context.Background(), user(t, e, "admin"), n); err != nil || other.PointCode != demo.QingzhouCentre {
				t.Errorf("filtered by 青州, case %s of %s is listed", id, other.PointCode)
			}
		}
	}
	byName.has(`value="青州"`).lacks(`id="point-choices"`)
	several := admin.get("/admin/cases?point=" + url.QueryEscape("绿园区")).want(200)
	several.has(`id="point-choices"`, `href="/admin/cases?point=`+demo.QingzhouCentre+`"`, "长春市绿园区青州社区便民服务中心")
	if got := ids(several.body); len(got) != 0 {
		t.Errorf("words naming several points list cases %v", got)
	}
	admin.get("/admin/cases?point=" + url.QueryEscape("无此网点")).want(200).has(`id="point-none"`)
	en := e.as(t, "admin")
	en.lang = "en"
	en.get("/admin/cases?point=" + url.QueryEscape("绿园区")).want(200).has("Several points match: choose one").lacks("⟦")
}
