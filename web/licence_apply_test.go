package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
)

// 免提交 on the online form: an enterprise holding a 营业执照 is offered it
// for the food business licence's material; ticked, the material is
// provided by reference with the consent recorded, not asked for in the
// confirmation's list of what is missing, and shown as provided by the
// licence on the confirmation and the case page. Unticked, it is asked for
// as before; someone holding none is offered nothing.
func TestApplyOnlineWithLicenceConsent(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		path := "/apply/" + demo.CodeFoodBusinessLicence
		e.as(t, "zhouming").get(path).want(200).lacks(`name="licence_business_licence"`)
		l := e.issuedBusinessLicence(t)
		holder := e.as(t, "jlhx")
		holder.get(path).want(200).has(`name="licence_business_licence"`, "使用我的营业执照（编号 "+l.Number+"）代替上传", `id="file_business_licence"`)

		sent := holder.multipart(path, map[string]string{"submit": "1", "licence_business_licence": "yes"},
			map[string][]byte{"file_application_form": pngFile}).want(http.StatusSeeOther)
		if !strings.HasSuffix(sent.location(), "/submitted") {
			t.Fatalf("sending leads to %s, want the confirmation", sent.location())
		}
		c := caseAt(t, e, "jlhx", sent.location())
		byLicence := map[string]cases.Material{}
		for _, m := range c.Materials {
			byLicence[m.Type] = m
		}
		if m := byLicence["business_licence"]; m.Source != cases.SourceLicence || m.FileName != fmt.Sprintf("%s@%d", l.Number, l.Version) {
			t.Fatalf("the business licence material is %+v, want provided by %s", m, l.Number)
		}
		if m := byLicence["application_form"]; m.Source != cases.SourceUpload {
			t.Fatalf("the uploaded form is %+v", m)
		}
		conf := holder.get(sent.location()).want(200).has(`id="confirm-by-licence"`, "以电子证照提供（免提交）", l.Number, `id="confirm-missing"`, "场所平面布局图")
		if missing := between(conf.body, `id="confirm-missing"`, "</section>"); strings.Contains(missing, "营业执照") {
			t.Fatalf("the confirmation still asks for the business licence:\n%s", missing)
		}
		holder.get(fmt.Sprintf("/cases/%d", c.ID)).want(200).has("电子证照（免提交）", l.Number)
		var consents int
		if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'licence.consent' AND actor = 'jlhx'`).Scan(&consents); err != nil || consents != 1 {
			t.Fatalf("%d consent records (%v), want 1", consents, err)
		}

		en := e.as(t, "jlhx")
		en.lang = "en"
		en.get(path).want(200).has("Use my Business licence (No. " + l.Number + ") instead of uploading")
		en.get(sent.location()).want(200).has("Provided by electronic licence", l.Number)

		// Without the box ticked the licence is not used and the notice asks for it.
		plain := holder.multipart(path, map[string]string{"submit": "1"}, map[string][]byte{"file_application_form": pngFile}).want(http.StatusSeeOther)
		c2 := caseAt(t, e, "jlhx", plain.location())
		for _, m := range c2.Materials {
			if m.Source == cases.SourceLicence {
				t.Fatalf("a licence was used without consent: %+v", m)
			}
		}
		conf2 := holder.get(plain.location()).want(200).lacks(`id="confirm-by-licence"`)
		if missing := between(conf2.body, `id="confirm-missing"`, "</section>"); !strings.Contains(missing, "营业执照") {
			t.Fatalf("without consent the confirmation does not ask for the business licence:\n%s", missing)
		}
		// A forged consent for a material no licence stands in for is ignored, not a licence use.
		holder.multipart(path, map[string]string{"submit": "0", "licence_floor_plan": "yes"}, nil).want(http.StatusSeeOther)
		if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'licence.consent'`).Scan(&consents); err != nil || consents != 1 {
			t.Fatalf("%d consent records after a forged box (%v), want 1", consents, err)
		}
	})
}
