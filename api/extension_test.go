package api_test

import (
	"fmt"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

// A reviewer asks for more working days, an administrator refuses, the
// reviewer asks again and the administrator grants it with the extend
// action: the due date moves only then.
func TestExtensionRequestsThroughTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", applicantID("yuxiulan"))
		c = e.act("rs_shenpi", c.ID, "start_review", nil)
		ask := fmt.Sprintf("/api/v1/cases/%d/extension-requests", c.ID)
		refuse := ask + "/refuse"

		// Bad input names the field and records nothing.
		if p := e.call("POST", ask, "rs_shenpi", map[string]any{"days": 0}).problem(422, ""); !p.hasField("days") || !p.hasField("reasons") {
			t.Errorf("request without days and reasons: %+v, want both fields named", p)
		}
		e.call("POST", ask, "qz_quanke", map[string]any{"days": 5, "reasons": []string{"x"}}).problem(403, "")
		e.call("POST", refuse, "admin", map[string]any{"reasons": []string{"无待批申请"}}).problem(409, "")

		asked := e.caseOf(e.call("POST", ask, "rs_shenpi", map[string]any{"days": 5, "reasons": []string{"需现场核实"}}).want(200))
		if asked.PromisedDue != c.PromisedDue || asked.State != c.State {
			t.Errorf("a request changed the case: due %s → %s, state %s → %s", c.PromisedDue, asked.PromisedDue, c.State, asked.State)
		}
		e.call("POST", ask, "rs_shenpi", map[string]any{"days": 3, "reasons": []string{"again"}}).problem(409, "")
		e.call("POST", refuse, "rs_shenpi", map[string]any{"reasons": []string{"x"}}).problem(403, "")
		e.caseOf(e.call("POST", refuse, "admin", map[string]any{"reasons": []string{"理由不充分"}}).want(200))

		e.caseOf(e.call("POST", ask, "rs_shenpi", map[string]any{"days": 5, "reasons": []string{"需专家评审"}}).want(200))
		granted := e.act("admin", c.ID, "extend", map[string]any{"days": 5, "reasons": []string{"同意延期"}})
		if granted.PromisedDue <= c.PromisedDue {
			t.Errorf("extension granted but the due date stayed at %s (was %s)", granted.PromisedDue, c.PromisedDue)
		}

		var events struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/events", c.ID), "rs_shenpi", nil).want(200).decode(&events)
		var got []string
		for _, ev := range events.Items {
			switch ev.Action {
			case "request_extension", "refuse_extension", "extend":
				got = append(got, ev.Action)
			}
		}
		want := []string{"request_extension", "refuse_extension", "request_extension", "extend"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("extension history %v, want %v", got, want)
		}
	})
}
