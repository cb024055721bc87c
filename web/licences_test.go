package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/licence"
)

func creditOf(username string) string {
	for _, a := range demo.Accounts() {
		if a.Username == username {
			return a.User.CreditCode
		}
	}
	panic("no demo account " + username)
}

// issuedBusinessLicence takes a 企业设立登记 for 吉林化纤 through to issue and
// returns the 营业执照 it yields.
func (e *env) issuedBusinessLicence(t *testing.T) licence.Licence {
	t.Helper()
	ctx := context.Background()
	it, err := e.cat.Published(ctx, demo.CodeBusinessLicence)
	if err != nil {
		t.Fatal(err)
	}
	var mats []string
	for _, m := range it.Materials {
		if m.Requirement != catalog.Optional {
			mats = append(mats, m.Type)
		}
	}
	c, err := e.svc.Create(ctx, user(t, e, "hn_qiantai"), cases.CreateRequest{Item: demo.CodeBusinessLicence, Materials: mats,
		Applicant: &cases.Applicant{Kind: "enterprise", Name: "吉林化纤示范有限公司", CreditCode: creditOf("jlhx")},
		Then:      &cases.FirstAction{Action: cases.Accept}})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct {
		who string
		a   cases.Action
		req cases.ActRequest
	}{{"scjg_shenpi", cases.Approve, cases.ActRequest{}}, {"scjg_shenpi", cases.PrepareResult, cases.ActRequest{}},
		{"hn_chuzheng", cases.Issue, cases.ActRequest{IssueMethod: cases.IssueElectronic}}} {
		if _, err = e.svc.Act(ctx, user(t, e, st.who), c.ID, st.a, st.req); err != nil {
			t.Fatalf("%s: %v", st.a, err)
		}
	}
	got, err := e.lic.ForCase(ctx, c.ID)
	if err != nil || len(got) != 1 {
		t.Fatalf("the licence of the issued case: %+v %v", got, err)
	}
	return got[0]
}

func licenceLookup(l licence.Licence) string {
	return "/verify/licence?" + url.Values{"number": {l.Number}, "code": {l.VerifyCode}}.Encode()
}

// The wallet, the printable licence, its download and /verify in both
// languages, over HTTP.
func TestLicencePages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		l := e.issuedBusinessLicence(t)
		holder := e.as(t, "jlhx")
		holder.get("/licences").want(200).has("我的电子证照", l.Number, "营业执照", `href="/licences/`+itoa(l.ID)+`/document"`)
		holder.get("/licences/"+itoa(l.ID)).want(200).has(l.VerifyCode, "<svg", "扫码核验证照", "长期")
		doc := holder.get("/licences/" + itoa(l.ID) + "/document").want(200).body
		if doc != l.Document {
			t.Fatalf("downloaded %q, want the signed document", doc)
		}
		e.as(t, "yuxiulan").get("/licences/" + itoa(l.ID)).want(404)
		e.as(t, "yuxiulan").get("/licences").want(200).has("暂无电子证照")

		anyone := e.client(t)
		anyone.get(licenceLookup(l)).want(200).has("证照真实有效", "吉林化纤示范有限公司")
		anyone.post("/verify/licence", url.Values{"document": {strings.Replace(doc, "吉林化纤", "吉林伪造", 1)}}).want(200).has("签名不符：证照内容已被改动")
		anyone.post("/verify/licence", url.Values{"document": {" "}}).want(422).has("请粘贴或上传证照文件")

		// 免提交: the desk records the consent; the reviewer opens the licence from the case.
		ctx := context.Background()
		food, err := e.svc.Create(ctx, user(t, e, "hn_qiantai"), cases.CreateRequest{Item: demo.CodeFoodBusinessLicence, Materials: []string{"application_form"},
			Applicant: &cases.Applicant{Kind: "enterprise", Name: "吉林化纤示范有限公司", CreditCode: creditOf("jlhx")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.lic.Use(ctx, user(t, e, "hn_qiantai"), food.ID, licence.UseRequest{Material: "business_licence", Consent: true}); err != nil {
			t.Fatal(err)
		}
		reviewer := e.as(t, "scjg_shenpi")
		reviewer.get("/cases/"+itoa(food.ID)).want(200).has(`href="/cases/`+itoa(food.ID)+`/licences"`, "电子证照（免提交）")
		reviewer.get("/cases/"+itoa(food.ID)+"/licences").want(200).has(l.Number, "证照真实有效", creditOf("jlhx"))
		var uses int
		if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'licence.use' AND actor = 'scjg_shenpi'`).Scan(&uses); err != nil || uses != 1 {
			t.Fatalf("audited uses: %d %v", uses, err)
		}
		e.as(t, "rs_shenpi").get("/cases/" + itoa(food.ID) + "/licences").want(403)

		if _, err := e.lic.Revoke(context.Background(), user(t, e, "scjg_shenpi"), l.ID, "登记被撤销"); err != nil {
			t.Fatal(err)
		}
		en := e.client(t)
		en.lang = "en"
		en.get(licenceLookup(l)).want(200).has("did not pass verification", "the licence was revoked")
		en.post("/verify/licence", url.Values{"document": {doc}}).want(200).has("the licence was revoked")
		holder.lang = "en"
		holder.get("/licences").want(200).has("My electronic licences", "revoked")

		admin := e.as(t, "admin")
		admin.get("/admin/licence-types").want(200).has("SCJG-YYZZ", "营业执照")
		admin.post("/admin/licence-types", url.Values{"code": {"GAJ-JZZ"}, "name": {"居住证"}, "name_en": {"Residence permit"},
			"department_code": {demo.DeptPublicSecurity}, "holder_kind": {"person"}, "validity_years": {"3"}}).want(303)
		admin.get("/admin/licence-types").want(200).has("GAJ-JZZ", "居住证")
		admin.post("/admin/licence-types", url.Values{"code": {"bad code"}, "holder_kind": {"robot"}}).want(422)
		// The department is chosen from a list and the items with the item
		// picker, never typed as codes; without scripts a search that finds
		// several items asks which, and one found is added.
		admin.get("/admin/licence-types").want(200).has(`<select id="department_code"`, `id="licence-items-q"`).lacks(`<textarea id="items"`)
		fields := url.Values{"code": {"GAJ-JZZ"}, "name": {"居住证"}, "name_en": {"Residence permit"},
			"department_code": {demo.DeptPublicSecurity}, "holder_kind": {"person"}, "validity_years": {"3"}, "items_q": {"营业执照"}}
		admin.post("/admin/licence-types", fields).want(422).has("搜索到多个事项", `name="items"`)
		reg, err := e.cat.Published(context.Background(), demo.CodeMedicalOutOfArea)
		if err != nil {
			t.Fatal(err)
		}
		fields.Del("items_q")
		fields.Set("items", demo.CodeMedicalOutOfArea)
		admin.post("/admin/licence-types", fields).want(303)
		admin.get("/admin/licence-types").want(200).has(reg.Name)
		if got, err := e.lic.Type(context.Background(), "GAJ-JZZ"); err != nil || len(got.Items) != 1 || got.Items[0] != demo.CodeMedicalOutOfArea {
			t.Errorf("the type's items are %v (%v), want the chosen item", got.Items, err)
		}
		if _, err := e.lic.Type(context.Background(), "GAJ-JZZ"); err != nil {
			t.Fatal(err)
		}
	})
}
