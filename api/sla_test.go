package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/workday"
)

func TestWorkdayEndpoints(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var day struct {
			Workday bool   `json:"workday"`
			Kind    string `json:"kind"`
			Name    string `json:"name"`
		}
		e.call("GET", "/api/v1/workdays/2026-10-10", "", nil).want(200).decode(&day)
		if !day.Workday || day.Kind != "makeup" || day.Name != "国庆节" {
			t.Fatalf("2026-10-10: %+v, want a make-up working day for 国庆节", day)
		}
		var due struct {
			Due      string `json:"due"`
			Fallback bool   `json:"fallback"`
		}
		e.call("GET", "/api/v1/workdays/2026-09-30/plus/3", "", nil).want(200).decode(&due)
		if due.Due != "2026-10-10" || due.Fallback {
			t.Fatalf("3 working days after 2026-09-30: %+v", due)
		}
		e.call("GET", "/api/v1/workdays/2027-12-30/plus/1", "", nil).want(200).decode(&due)
		if !due.Fallback {
			t.Fatal("a due date in a year without data is not flagged")
		}
		e.call("GET", "/api/v1/workdays/2026-02-30", "", nil).problem(422, "validation_failed")

		// An administrator adds 2027; an error on any line stores nothing.
		bad := `{"years": [{"year": 2027, "notice": {"title": "国务院办公厅关于2027年部分节假日安排的通知"},
  "holidays": [{"name": "元旦", "name_en": "New Year's Day", "from": "2027-01-01", "to": "2027-01-01"},
               {"name": "春节", "name_en": "Spring Festival", "from": "2027-02-05", "to": "2027-02-11", "makeup": ["2027-02-10"]}]}]}`
		p := e.call("PUT", "/api/v1/workdays/years", "admin", bad).problem(422, "")
		if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Field, "line") {
			t.Fatalf("import errors do not name the line: %+v", p)
		}
		e.call("PUT", "/api/v1/workdays/years", "hn_qiantai", bad).problem(403, "role_not_allowed")
		good := strings.Replace(bad, `"makeup": ["2027-02-10"]`, `"makeup": ["2027-02-13"]`, 1)
		e.call("PUT", "/api/v1/workdays/years", "admin", good).want(200)
		e.call("GET", "/api/v1/workdays/2027-02-08", "", nil).want(200).decode(&day)
		if day.Workday || day.Name != "春节" {
			t.Fatalf("2027-02-08 after the import: %+v", day)
		}
		var n int
		e.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM workday_years WHERE year = 2027`).Scan(&n)
		if n != 1 {
			t.Fatalf("2027 stored %d times, want once", n)
		}
	})
}

// The work queue shows each case's clock and filters by it; the scan
// escalates and the ladder can be set per department.
func TestQueueBySLA(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", applicantID("zhouming"))
		if c.PromisedDue == "" {
			t.Fatal("accepted case without a due date")
		}
		var out struct {
			Items []struct {
				ID  int64 `json:"id"`
				SLA struct {
					Status    string `json:"status"`
					Remaining int    `json:"remaining_days"`
				} `json:"sla"`
			} `json:"items"`
			Total int `json:"total"`
		}
		e.call("GET", "/api/v1/cases?sla=overdue", "yb_shenpi", nil).want(200).decode(&out)
		if out.Total != 0 {
			t.Fatalf("%d overdue cases right after acceptance", out.Total)
		}
		// Move the service's clock past the due date.
		due, _ := workday.ParseDate(c.PromisedDue)
		e.svc.Now = func() time.Time { return due.AddDate(0, 0, 10) }
		e.call("GET", "/api/v1/cases?sla=overdue&sort=due", "yb_shenpi", nil).want(200).decode(&out)
		if out.Total != 1 || out.Items[0].ID != c.ID || out.Items[0].SLA.Status != "overdue" || out.Items[0].SLA.Remaining >= 0 {
			t.Fatalf("overdue queue: %+v", out)
		}
		e.call("GET", "/api/v1/cases?sla=late", "yb_shenpi", nil).problem(422, "validation_failed")
		var rep struct {
			Escalations int `json:"escalations"`
		}
		e.call("POST", "/api/v1/sla/scan", "admin", nil).want(200).decode(&rep)
		if rep.Escalations < 2 {
			t.Fatalf("scan escalated %d steps, want warning and overdue at least", rep.Escalations)
		}
		e.call("POST", "/api/v1/sla/scan", "admin", nil).want(200).decode(&rep)
		if rep.Escalations != 0 {
			t.Fatalf("a second scan escalated %d more", rep.Escalations)
		}
		e.call("POST", "/api/v1/sla/scan", "yb_shenpi", nil).problem(403, "role_not_allowed")
		e.call("PUT", "/api/v1/escalation-ladders/department:"+c.Department, "admin",
			map[string]any{"steps": []map[string]any{{"level": 1, "kind": "overdue", "notify": []string{"admin"}}}}).want(200)
		e.call("PUT", "/api/v1/escalation-ladders/nowhere", "admin",
			map[string]any{"steps": []map[string]any{{"level": 1, "kind": "overdue", "notify": []string{"admin"}}}}).problem(422, "validation_failed")
		var evs struct {
			Items []struct{ Action string } `json:"items"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/events", c.ID), "yb_shenpi", nil).want(200).decode(&evs)
		escalations := 0
		for _, ev := range evs.Items {
			if ev.Action == "escalate" {
				escalations++
			}
		}
		if escalations < 2 {
			t.Fatalf("history holds %d escalations", escalations)
		}
	})
}
