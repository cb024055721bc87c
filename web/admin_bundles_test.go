package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/demo"
)

// newBundleForm is a complete form for a new bundle of three published demo
// items, the birth registration waiting for the birth certificate.
func newBundleForm(code string) url.Values {
	return url.Values{"code": {code}, "name": {"测试出生一件事"}, "name_en": {"Test birth bundle"},
		"lead_department": {demo.DeptHealth}, "promised_limit_days": {"5"}, "on_refusal": {"continue"}, "partial_issue": {"1"},
		"life_events": {"生育"}, "member_rows": {"4"},
		"b0_item": {demo.CodeBirthCertificate}, "b1_item": {demo.CodeVaccinationCertificate},
		"b2_item": {demo.CodeBirthRegistration}, "b2_depends_on": {demo.CodeBirthCertificate}}
}

// An administrator defines a bundle in the browser: "add a member" saves
// nothing; a valid form becomes draft version 1, which applicants do not
// see until it is published.
func TestAdminBundleDraftAndPublish(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.as(t, "admin")
		admin.get("/admin/bundles").want(200).has(`href="/admin/bundles/new"`, `data-code="`+demo.BundleNewborn+`"`, `href="/admin/bundles"`).lacks("⟦")
		admin.get("/admin/bundles/new").want(200).has(`action="/admin/bundles/new"`, `id="b3_item-q"`, `id="add-member"`).lacks("⟦", `id="bundle-versions"`)
		en := e.as(t, "admin")
		en.lang = "en"
		en.get("/admin/bundles/new").want(200).has("New bundle", "Member 1").lacks("⟦")

		code := "YJS-TEST"
		more := newBundleForm(code)
		more.Set("more", "member")
		admin.post("/admin/bundles/new", more).want(200).has(`name="b5_item_q"`, `value="`+demo.CodeBirthCertificate+`"`).lacks(`name="b6_item_q"`)
		if vs, err := e.cat.BundleDefinitions(ctx, code); err != nil || len(vs) != 0 {
			t.Fatalf("adding a row saved the bundle: %v %v", vs, err)
		}

		p := admin.post("/admin/bundles/new", newBundleForm(code)).want(http.StatusSeeOther)
		if p.location() != "/admin/bundles/"+code+"?done=saved" {
			t.Fatalf("saved to %q", p.location())
		}
		draft, err := e.cat.BundleVersion(ctx, code, 1)
		if err != nil {
			t.Fatal(err)
		}
		if draft.Status != "draft" || len(draft.Members) != 3 || !draft.PartialIssue || draft.OnRefusal != "continue" ||
			draft.Members[0].Version == 0 || len(draft.Members[2].DependsOn) != 1 || draft.Members[2].DependsOn[0] != demo.CodeBirthCertificate ||
			len(draft.LifeEvents) != 1 || draft.LifeEvents[0] != "生育" {
			t.Fatalf("draft saved as %+v", draft)
		}
		admin.get("/bundles").want(200).lacks("测试出生一件事")
		admin.get("/admin/bundles/"+code+"?done=saved").want(200).has("已保存为草稿", `id="publish-bundle"`, `value="`+demo.CodeBirthRegistration+`"`)

		admin.post("/admin/bundles/"+code+"/versions/1/publish", url.Values{}).want(http.StatusSeeOther)
		if b, err := e.cat.PublishedBundle(ctx, code); err != nil || b.Version != 1 {
			t.Fatalf("published: %+v %v", b, err)
		}
		admin.get("/bundles").want(200).has("测试出生一件事")
		if recs, err := audit.List(ctx, e.db, audit.Filter{Object: "bundle:" + code}); err != nil || len(recs) != 2 {
			t.Errorf("audit of the bundle: %d records, %v", len(recs), err)
		}

		// An edit of the published bundle opens draft version 2 and leaves v1 published.
		edit := newBundleForm(code)
		edit.Del("code")
		edit.Set("name", "测试出生一件事（修订）")
		admin.post("/admin/bundles/"+code, edit).want(http.StatusSeeOther)
		if b, err := e.cat.BundleVersion(ctx, code, 2); err != nil || b.Status != "draft" || b.Name != "测试出生一件事（修订）" {
			t.Fatalf("second version: %+v %v", b, err)
		}
		admin.get("/admin/bundles").want(200).has("发布中：v1")
	})
}

// A form whose dependencies form a cycle comes back with the cycle's path
// next to the members, and a prerequisite that is no member next to its
// row; nothing is saved.
func TestAdminBundleRefusesCycle(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		admin.get("/admin/bundles/new").want(200)
		code := "YJS-CYCLE"
		f := newBundleForm(code)
		f.Set("b0_depends_on", demo.CodeBirthRegistration)
		p := admin.post("/admin/bundles/new", f).want(http.StatusUnprocessableEntity)
		cycle := demo.CodeBirthCertificate + " → " + demo.CodeBirthRegistration + " → " + demo.CodeBirthCertificate
		p.has(`<p class="field-error" id="members-error">事项之间的先后关系形成了循环：`+cycle, `value="测试出生一件事"`).lacks("⟦")

		f = newBundleForm(code)
		f.Set("b1_depends_on", "NOT-A-MEMBER")
		f.Set("promised_limit_days", "x")
		p = admin.post("/admin/bundles/new", f).want(http.StatusUnprocessableEntity).has("须为整数")
		if !strings.Contains(p.within("b1_depends", "</fieldset>"), "NOT-A-MEMBER 不在本一件事中") {
			t.Errorf("the prerequisite's message is not next to its row")
		}
		if vs, err := e.cat.BundleDefinitions(context.Background(), code); err != nil || len(vs) != 0 {
			t.Fatalf("a refused form saved %d versions: %v", len(vs), err)
		}
	})
}

// Only administrators reach the bundle and account pages.
func TestAdminBundlesForbidden(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		desk := e.as(t, "hn_qiantai")
		desk.get("/desk").want(200)
		desk.get("/admin/bundles").want(http.StatusForbidden)
		desk.get("/admin/bundles/new").want(http.StatusForbidden)
		desk.post("/admin/bundles/new", newBundleForm("YJS-DESK")).want(http.StatusForbidden)
		target := user(t, e, "zhouming")
		desk.post("/admin/users/"+strconv.FormatInt(target.ID, 10)+"/disabled", url.Values{"disabled": {"1"}, "confirm": {"yes"}}).want(http.StatusForbidden)
		if u := user(t, e, "zhouming"); u.Disabled {
			t.Fatal("a front desk disabled an account")
		}
		if vs, _ := e.cat.BundleDefinitions(context.Background(), "YJS-DESK"); len(vs) != 0 {
			t.Fatal("a front desk saved a bundle")
		}
	})
}

// A disabled account can no longer sign in and its sessions end; enabled
// again, it can. An administrator cannot disable their own account.
func TestAdminDisableUser(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.as(t, "admin")
		applicant := e.as(t, "zhouming")
		applicant.get("/my").want(200)
		target := user(t, e, "zhouming")
		path := "/admin/users/" + strconv.FormatInt(target.ID, 10) + "/disabled"
		admin.get("/admin/users").want(200).has(`action="` + path + `"`)

		// Disabling asks first and changes nothing until confirmed.
		admin.post(path, url.Values{"disabled": {"1"}}).want(http.StatusOK).
			has(`id="confirm"`, "确认停用账号 zhouming？", `name="disabled" value="1"`, `name="confirm" value="yes"`)
		if user(t, e, "zhouming").Disabled {
			t.Fatal("disabled before it was confirmed")
		}
		p := admin.post(path, url.Values{"disabled": {"1"}, "confirm": {"yes"}}).want(http.StatusSeeOther)
		admin.get(p.location()).want(200).has("已停用账号 zhouming")
		if !user(t, e, "zhouming").Disabled {
			t.Fatal("the account is not disabled")
		}
		if applicant.get("/my").status == http.StatusOK {
			t.Error("a session of the disabled account still works")
		}
		c := e.client(t)
		c.get("/login").want(200)
		if res := c.post("/login", url.Values{"username": {"zhouming"}, "password": {demo.Password}}); res.status == http.StatusSeeOther {
			t.Error("the disabled account signed in")
		}
		if recs, err := audit.List(ctx, e.db, audit.Filter{Object: "user:zhouming", Action: "user.disable"}); err != nil || len(recs) != 1 {
			t.Errorf("audit of the disabling: %d records, %v", len(recs), err)
		}

		admin.post(path, url.Values{"disabled": {"0"}}).want(http.StatusSeeOther)
		e.as(t, "zhouming").get("/my").want(200)

		self := user(t, e, "admin")
		admin.post("/admin/users/"+strconv.FormatInt(self.ID, 10)+"/disabled", url.Values{"disabled": {"1"}}).
			want(http.StatusUnprocessableEntity).has(`id="disable-error">不能停用自己的账号`)
		if user(t, e, "admin").Disabled {
			t.Fatal("the administrator disabled their own account")
		}
		admin.get("/admin").want(200)
	})
}
