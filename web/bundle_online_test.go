package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
)

// An applicant applies online for a bundle with its one form; the bundle
// case is submitted at the county hall, where its front desk checks the
// materials once on the bundle case's page and accepts it, which starts the
// members. A person is refused a bundle with an item for enterprises only,
// before any form is sent; the form asks its required questions.
func TestBundleAppliedOnline(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		def, err := e.cat.PublishedBundle(ctx, demo.BundleNewborn)
		if err != nil {
			t.Fatal(err)
		}
		g, err := e.cat.Guide(ctx, def)
		if err != nil {
			t.Fatal(err)
		}
		zm := e.as(t, "zhouming")
		zm.get("/bundles").want(200).has(`id="apply-bundle-` + demo.BundleNewborn + `"`)
		e.client(t).get("/bundles").want(200).has(url.QueryEscape("/bundles/" + demo.BundleNewborn + "/apply"))
		zm.get("/bundles/" + demo.BundleEnterprise + "/apply").want(200).has(`id="apply-refused"`).lacks(`id="bundle-online-form"`)
		zm.post("/bundles/"+demo.BundleEnterprise+"/apply", url.Values{}).want(http.StatusUnprocessableEntity).has("个人账号不能申请")
		path := "/bundles/" + demo.BundleNewborn + "/apply"
		zm.get(path).want(200).has(`id="bundle-online-form"`, `name="f_applicant_name" value="`+user(t, e, "zhouming").Name+`"`)
		if len(g.Fields) > 0 && g.Fields[0].Required {
			zm.post(path, url.Values{}).want(http.StatusUnprocessableEntity).has("请填写" + g.Fields[0].Label)
		}
		form := bundleForm(g, nil, "")
		for _, k := range []string{"bundle", "kind", "name", "id_number", "phone", "decision"} {
			form.Del(k)
		}
		res := zm.post(path, form).want(http.StatusSeeOther)
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(res.location(), "?")[0], "/bundle-cases/"), 10, 64)
		if err != nil {
			t.Fatalf("sent to %q", res.location())
		}
		zm.get(res.location()).want(200).has("一件事申请已提交", `data-state="submitted"`).lacks(`id="bundle-check"`)
		b, err := e.svc.GetBundleCase(ctx, user(t, e, "zhouming"), id)
		if err != nil {
			t.Fatal(err)
		}
		if b.Channel != cases.ChannelOnline || b.PointCode != demo.CountyHall || b.Applicant.Name != user(t, e, "zhouming").Name {
			t.Errorf("the online bundle case is %+v", b)
		}
		desk := e.as(t, "hn_qiantai")
		desk.get("/bundle-cases/" + strconv.FormatInt(id, 10)).want(200).has(`id="bundle-check"`)
		var all []string
		for _, m := range g.Materials {
			all = append(all, m.Type)
		}
		desk.post("/bundle-cases/"+strconv.FormatInt(id, 10)+"/check", url.Values{"decision": {"accept"}, "materials": all[:1]}).
			want(http.StatusConflict)
		desk.post("/bundle-cases/"+strconv.FormatInt(id, 10)+"/check", url.Values{"decision": {"accept"}, "materials": all}).
			want(http.StatusSeeOther)
		b, err = e.svc.GetBundleCase(ctx, user(t, e, "zhouming"), id)
		if err != nil {
			t.Fatal(err)
		}
		started := 0
		for _, m := range b.Members {
			if m.CaseID != nil {
				started++
			}
		}
		if b.State != cases.Accepted || started == 0 {
			t.Errorf("after the desk's check the bundle is %s with %d members started", b.State, started)
		}
		en := e.as(t, "zhouming")
		en.lang = "en"
		en.get(path).want(200).has("Apply online for a bundle")
	})
}
