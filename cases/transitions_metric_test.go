package cases_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Transitions are counted at /metrics once committed, by action and the
// states before and after and by department; a refused one is not counted.
func TestTransitionsAreCounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		accepted := func() float64 {
			return metrics.Value("onewindow_case_transitions_total", "action", string(cases.Accept), "from", string(cases.Received), "to", string(cases.Accepted), "department", "HN-YB")
		}
		approved := func() float64 {
			return metrics.Value("onewindow_case_transitions_total", "action", string(cases.Approve), "from", string(cases.Accepted), "to", string(cases.Approved), "department", "HN-YB")
		}
		a0, p0 := accepted(), approved()
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
		if _, err := f.svc.Act(context.Background(), f.other, c.ID, cases.Approve, cases.ActRequest{}); err == nil {
			t.Fatal("another department's reviewer approved the case")
		}
		if got := accepted() - a0; got != 1 {
			t.Errorf("%v acceptances counted, want 1", got)
		}
		if got := approved() - p0; got != 0 {
			t.Errorf("%v approvals counted after a refused one, want 0", got)
		}
		f.act(t, f.reviewer, c, cases.Approve, cases.ActRequest{})
		if got := approved() - p0; got != 1 {
			t.Errorf("%v approvals counted, want 1", got)
		}
	})
}
