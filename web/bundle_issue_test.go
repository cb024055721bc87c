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

// openBundle applies for a bundle at the county hall's desk with every
// material and returns the bundle case's id.
func openBundle(t *testing.T, e *env, code string) int64 {
	t.Helper()
	ctx := context.Background()
	def, err := e.cat.PublishedBundle(ctx, code)
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
	desk.get("/desk/bundle?bundle=" + code).want(200)
	res := desk.post("/desk/bundle", bundleForm(g, all, "accept")).want(http.StatusSeeOther)
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(res.location(), "?")[0], "/bundle-cases/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q", res.location())
	}
	return id
}

// readyMember takes a started member of a bundle case to ready for issue:
// its department approves, the issuing window prepares the result.
func readyMember(t *testing.T, e *env, id int64, item string) {
	t.Helper()
	ctx := context.Background()
	iss := user(t, e, "hn_chuzheng")
	b, err := e.svc.GetBundleCase(ctx, iss, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range b.Members {
		if m.Item != item {
			continue
		}
		if m.CaseID == nil {
			t.Fatalf("member %s has not started", item)
		}
		rev := reviewerOf(t, e, m.Department)
		for _, step := range []struct {
			a cases.Action
			u string
		}{{cases.Approve, rev.Username}, {cases.PrepareResult, "hn_chuzheng"}} {
			if _, err := e.svc.Act(ctx, user(t, e, step.u), *m.CaseID, step.a, cases.ActRequest{}); err != nil {
				t.Fatalf("%s on %s: %v", step.a, item, err)
			}
		}
		return
	}
	t.Fatalf("no member %s", item)
}

func memberStates(t *testing.T, e *env, id int64) (cases.BundleCase, map[string]cases.State) {
	t.Helper()
	b, err := e.svc.GetBundleCase(context.Background(), user(t, e, "hn_chuzheng"), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]cases.State{}
	for _, m := range b.Members {
		out[m.Item] = m.State
	}
	return b, out
}

// At the issuing window, a bundle that allows it issues the results that
// are ready while another member is still in progress, by the delivery
// method chosen; the rest follow later. A problem with the delivery is told
// next to its field and issues nothing. A bundle that issues together
// refuses, on the page and when the form is sent anyway.
func TestPartialBundleIssue(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := openBundle(t, e, demo.BundleDisability)
		path := "/bundle-cases/" + strconv.FormatInt(id, 10)
		readyMember(t, e, id, demo.CodeDisabilityCertificate) // starts the other two
		readyMember(t, e, id, demo.CodeDisabilityRehabilitation)

		issuer := e.as(t, "hn_chuzheng")
		p := issuer.get(path).want(200).has(`id="bundle-issue"`, `data-partial="true"`, `id="holding-up"`,
			`data-item="`+demo.CodeDisabilityCertificate+`"`, "出证已办结的 2 项", `id="bundle-method-post"`).lacks(`id="joint-only"`, "⟦")
		if i := strings.Index(p.body, `id="issue-ready"`); i < 0 || strings.Contains(p.body[i:i+strings.Index(p.body[i:], "</ul>")], demo.CodeDisabilitySubsidies) {
			t.Errorf("the open member is listed among the ready ones")
		}
		e.as(t, "hn_qiantai").get(path).want(200).lacks(`id="bundle-issue"`)

		p = issuer.post(path+"/issue", url.Values{"issue_method": {cases.IssueByPost}, "address": {""}}).want(http.StatusUnprocessableEntity)
		p.has(`<p class="field-error">邮寄送达须填写地址`, `id="bundle-method-post" name="issue_method" value="post" checked`)
		if _, states := memberStates(t, e, id); states[demo.CodeDisabilityCertificate] != cases.ReadyForIssue {
			t.Fatalf("a refused issue changed the members: %v", states)
		}
		e.as(t, "cl_shenpi").post(path+"/issue", url.Values{"issue_method": {cases.IssueElectronic}}).want(http.StatusForbidden)

		res := issuer.post(path+"/issue", url.Values{"issue_method": {cases.IssueElectronic}}).want(http.StatusSeeOther)
		issuer.get(res.location()).want(200).has("已出证已办结的事项").lacks(`id="bundle-issue"`)
		b, states := memberStates(t, e, id)
		if b.State != cases.Accepted || states[demo.CodeDisabilityCertificate] != cases.Issued ||
			states[demo.CodeDisabilityRehabilitation] != cases.Issued || states[demo.CodeDisabilitySubsidies] == cases.Issued {
			t.Fatalf("after the partial issue: bundle %s, members %v", b.State, states)
		}
		for _, m := range b.Members {
			if m.Item != demo.CodeDisabilityRehabilitation {
				continue
			}
			c, err := e.svc.Get(context.Background(), user(t, e, "hn_chuzheng"), *m.CaseID)
			if err != nil || c.IssueMethod != cases.IssueElectronic {
				t.Errorf("the member was issued %q (%v), want electronically", c.IssueMethod, err)
			}
		}

		// The last member follows: the bundle is then issued whole.
		readyMember(t, e, id, demo.CodeDisabilitySubsidies)
		issuer.get(path).want(200).has(`id="bundle-issue"`, "统一出证").lacks(`data-partial="true"`)
		issuer.post(path+"/issue", withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})).want(http.StatusSeeOther)
		if b, states := memberStates(t, e, id); b.State != cases.Issued || states[demo.CodeDisabilitySubsidies] != cases.Issued {
			t.Fatalf("after the last issue: bundle %s, members %v", b.State, states)
		}

		// The newborn bundle issues together: with one result ready and the
		// others open, the window is told to wait, and a sent form is refused.
		born := openBundle(t, e, demo.BundleNewborn)
		bornPath := "/bundle-cases/" + strconv.FormatInt(born, 10)
		readyMember(t, e, born, demo.CodeVaccinationCertificate)
		issuer.get(bornPath).want(200).has(`id="joint-only"`, "须统一出证").lacks(`id="bundle-issue"`)
		issuer.post(bornPath+"/issue", withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})).want(http.StatusConflict).has("须统一出证")
		if _, states := memberStates(t, e, born); states[demo.CodeVaccinationCertificate] != cases.ReadyForIssue {
			t.Fatalf("a refused joint issue changed the members: %v", states)
		}
	})
}
