package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
)

// bundleForm fills the desk's form for a bundle: the applicant, the given
// materials, and an answer to every question of the merged form.
func bundleForm(g catalog.BundleGuide, materials []string, decision string) url.Values {
	form := url.Values{"bundle": {g.Code}, "kind": {"person"}, "name": {"周明"}, "id_number": {idOf("zhouming")},
		"phone": {"13904350002"}, "materials": materials, "decision": {decision}}
	for _, f := range g.Fields {
		answer := "长春市绿园区青州街1号"
		switch {
		case len(f.Options) > 0:
			answer = f.Options[0]
		case f.Type == "date":
			answer = "2026-11-01"
		}
		form.Set("f_"+f.Key, answer)
	}
	return form
}

// reviewerOf is the demo reviewer of a department.
func reviewerOf(t *testing.T, e *env, dept string) auth.User {
	t.Helper()
	for _, a := range demo.Accounts() {
		if a.Role == auth.RoleReviewer && a.User.DepartmentCode == dept {
			return user(t, e, a.Username)
		}
	}
	t.Fatalf("no demo reviewer for department %s", dept)
	return auth.User{}
}

// The portal lists each bundle with its one set of materials and one form;
// the county hall's desk applies for one, first with a material missing
// (one-time notice), then complete; departments decide the members, and
// the issuing window issues the bundle.
func TestBundlePages(t *testing.T) {
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
		var all, required []string
		for _, m := range g.Materials {
			all = append(all, m.Type)
			if m.Requirement == catalog.Required {
				required = append(required, m.Type)
			}
		}
		if len(required) == 0 || len(g.Fields) == 0 {
			t.Fatalf("the newborn bundle asks for no required material or no field: %+v", g)
		}

		visitor := e.client(t)
		p := visitor.get("/bundles").want(200).has(def.Name, `id="bundle-`+def.Code+`"`).lacks("⟦")
		for _, m := range g.Materials {
			p.has(m.Name)
		}
		for _, f := range g.Fields {
			p.has(f.Label)
		}
		visitor.lang = "en"
		visitor.get("/bundles").want(200).has(def.NameEN, "One-time notice").lacks("⟦")

		desk := e.as(t, "hn_qiantai")
		desk.get("/desk").want(200).has(`href="/desk/bundle?bundle=` + def.Code)
		desk.get("/desk/bundle?bundle=" + def.Code).want(200).has(`id="bundle-form"`)

		// A required answer left out names its field and opens nothing.
		form := bundleForm(g, all, "accept")
		form.Del("f_" + g.Fields[0].Key)
		desk.post("/desk/bundle", form).want(http.StatusUnprocessableEntity).has(g.Fields[0].Label)
		if _, n, _ := e.svc.ListBundleCases(ctx, user(t, e, "hn_qiantai"), 10, 0); n != 0 {
			t.Fatalf("%d bundle cases opened by a refused form", n)
		}

		// A required material missing: the one-time notice names it.
		res := desk.post("/desk/bundle", bundleForm(g, all[:0], "notify")).want(http.StatusSeeOther)
		notice := desk.get(res.location()).want(200).has(`data-state="` + string(cases.SupplementNeeded) + `"`).lacks(`id="all-ready"`)
		for _, m := range g.Materials {
			if m.Requirement == catalog.Required {
				notice.has(m.Name)
			}
		}

		res = desk.post("/desk/bundle", bundleForm(g, all, "accept")).want(http.StatusSeeOther)
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(res.location(), "?")[0], "/bundle-cases/"), 10, 64)
		if err != nil {
			t.Fatalf("redirect to %q", res.location())
		}
		page := desk.get(res.location()).want(200).has(`data-state="`+string(cases.Accepted)+`"`, `id="holding-up"`)
		b, err := e.svc.GetBundleCase(ctx, user(t, e, "hn_qiantai"), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range b.Members {
			page.has(`data-item="`+m.Item+`"`, m.ItemName)
		}
		desk.get("/bundle-cases").want(200).has(b.Number)

		// The issuer cannot issue while members are open…
		issuer := e.as(t, "hn_chuzheng")
		issuer.get("/bundle-cases/" + strconv.FormatInt(id, 10)).want(200).has(`id="holding-up"`).lacks(`id="bundle-issue"`)

		// …so the departments decide every member as it starts.
		iss := user(t, e, "hn_chuzheng")
		for round := 0; round < 10; round++ {
			b, err = e.svc.GetBundleCase(ctx, iss, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.HoldingUp) == 0 {
				break
			}
			for _, m := range b.Members {
				if m.CaseID == nil {
					continue
				}
				steps := map[cases.State][]struct {
					u auth.User
					a cases.Action
				}{
					cases.Accepted: {{reviewerOf(t, e, m.Department), cases.StartReview}, {reviewerOf(t, e, m.Department), cases.Approve}, {iss, cases.PrepareResult}},
					cases.Approved: {{iss, cases.PrepareResult}},
				}
				for _, step := range steps[m.State] {
					if _, err := e.svc.Act(ctx, step.u, *m.CaseID, step.a, cases.ActRequest{}); err != nil {
						t.Fatalf("%s on %s: %v", step.a, m.Item, err)
					}
				}
			}
		}
		if len(b.HoldingUp) != 0 {
			t.Fatalf("members still open: %v", b.HoldingUp)
		}
		issuer.get("/bundle-cases/"+strconv.FormatInt(id, 10)).want(200).has(`id="all-ready"`, `id="bundle-issue"`)
		desk.get("/bundle-cases/" + strconv.FormatInt(id, 10)).want(200).lacks(`id="bundle-issue"`)
		res = issuer.post("/bundle-cases/"+strconv.FormatInt(id, 10)+"/issue", withCollector(t, url.Values{})).want(http.StatusSeeOther)
		issuer.get(res.location()).want(200).has(`data-state="`+string(cases.Issued)+`"`, "已统一出证")
		desk.post("/bundle-cases/"+strconv.FormatInt(id, 10)+"/issue", url.Values{}).want(http.StatusForbidden)
	})
}
