package api_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// entOut is the part of an enterprise request the tests read.
type entOut struct {
	ID              int64    `json:"id"`
	Number          string   `json:"number"`
	Status          string   `json:"status"`
	StatusZH        string   `json:"status_zh"`
	CategoryZH      string   `json:"category_zh"`
	Version         int      `json:"version"`
	Round           int      `json:"round"`
	EscalationLevel int      `json:"escalation_level"`
	AcceptDue       string   `json:"accept_due"`
	ProposeDue      string   `json:"propose_due"`
	MeetingDue      string   `json:"meeting_due"`
	MeetingOn       string   `json:"meeting_on"`
	Breaches        []string `json:"breaches"`
	Overdue         bool     `json:"overdue"`
	Party           string   `json:"party"`
	Allowed         []string `json:"allowed_actions"`
	Enterprise      struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
	} `json:"enterprise"`
	Deadlines []struct {
		Step     string `json:"step"`
		Due      string `json:"due"`
		Status   string `json:"status"`
		Breached bool   `json:"breached"`
	} `json:"deadlines"`
	Escalations []struct {
		Round int    `json:"round"`
		Level int    `json:"level"`
		Step  string `json:"step"`
		By    string `json:"by"`
	} `json:"escalations"`
	History []struct {
		Action string `json:"action"`
		Level  int    `json:"level"`
		Role   string `json:"role"`
	} `json:"history"`
}

func (e *env) ent(r *response) entOut {
	e.t.Helper()
	var out entOut
	r.decode(&out)
	return out
}

func (o entOut) historyActions() []string {
	var out []string
	for _, h := range o.History {
		a := h.Action
		if h.Level > 0 {
			a += fmt.Sprintf("@%d", h.Level)
		}
		out = append(out, a)
	}
	return out
}

func (o entOut) deadlineStatuses() []string {
	var out []string
	for _, d := range o.Deadlines {
		out = append(out, d.Step+":"+d.Status)
	}
	return out
}

// Story 5: 吉林化纤 raises two problems with its stationed service team. One
// is accepted within a day and has a solution within two, which the
// enterprise confirms. The other is left unanswered: the scan escalates it
// each day and on day 3 takes it to the joint meeting (二级联席会议); the
// solution from the meeting does not satisfy the enterprise, which reopens it
// with a new clock.
func TestStory5EnterpriseRequests(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	eachEnv(t, func(t *testing.T, e *env) {
		var clock atomic.Int64
		setClock := func(y int, m time.Month, d, hh, mm int) time.Time {
			at := time.Date(y, m, d, hh, mm, 0, 0, cst)
			clock.Store(at.UnixNano())
			return at
		}
		e.srv.Enterprise.Now = func() time.Time { return time.Unix(0, clock.Load()) }
		path := func(id int64, tail string) string { return fmt.Sprintf("/api/v1/enterprise-requests/%d%s", id, tail) }
		act := func(user string, id int64, action string, body any) entOut {
			t.Helper()
			return e.ent(e.call("POST", path(id, "/actions/"+action), user, body).want(200))
		}

		// Monday 10 March 2025, 09:30: two requests.
		setClock(2025, 3, 10, 9, 30)
		land := e.ent(e.call("POST", "/api/v1/enterprise-requests", "jlhx", map[string]any{
			"category": "用地", "description": "二期项目用地需调整城镇开发边界"}).want(201))
		power := e.ent(e.call("POST", "/api/v1/enterprise-requests", "jlhx", map[string]any{
			"category": "utilities", "description": "新厂房供电增容"}, "Idempotency-Key", "jlhx-power-1").want(201))
		again := e.ent(e.call("POST", "/api/v1/enterprise-requests", "jlhx", map[string]any{
			"category": "utilities", "description": "新厂房供电增容"}, "Idempotency-Key", "jlhx-power-1").want(201))
		if again.ID != power.ID {
			t.Fatalf("a retry with the same Idempotency-Key raised a second request: %d and %d", power.ID, again.ID)
		}
		if land.Status != "raised" || land.CategoryZH != "用地" || land.AcceptDue != "2025-03-11" || land.ProposeDue != "2025-03-12" ||
			land.MeetingDue != "2025-03-13" || land.Party != "enterprise" || !slices.Equal(land.Allowed, []string{"close"}) {
			t.Fatalf("raised: %+v", land)
		}

		// Who sees what.
		e.call("GET", path(land.ID, ""), "yuxiulan", nil).problem(404, "request_not_found")
		e.call("GET", path(land.ID, ""), "rs_shenpi", nil).problem(403, "out_of_scope")
		e.call("POST", path(land.ID, "/actions/accept"), "jlhx", nil).problem(403, "party_not_allowed")
		e.call("POST", "/api/v1/enterprise-requests", "yuxiulan", map[string]any{"category": "other", "description": "x"}).problem(403, "enterprise_only")
		e.call("GET", "/api/v1/enterprise-requests", "hn_chuzheng", nil).problem(403, "role_not_allowed")
		bad := e.call("POST", "/api/v1/enterprise-requests", "jlhx", map[string]any{"category": "用电"}).problem(422, "validation_failed")
		if !bad.hasField("category") || !bad.hasField("description") {
			t.Errorf("field errors %+v, want category and description", bad.Errors)
		}
		e.call("POST", path(land.ID, "/actions/approve"), "qy_zhuanyuan", nil).problem(404, "unknown_action")
		e.call("POST", path(land.ID, "/actions/propose"), "qy_zhuanyuan", map[string]any{}).problem(422, "validation_failed")

		// Tuesday: the stationed officer accepts the land request; Wednesday: a solution.
		setClock(2025, 3, 11, 10, 0)
		got := act("qy_zhuanyuan", land.ID, "accept", map[string]any{"version": land.Version})
		if got.Status != "accepted" || got.Party != "team" || !slices.Equal(got.Allowed, []string{"propose", "schedule_meeting"}) {
			t.Fatalf("accepted: %+v", got)
		}
		e.call("POST", path(land.ID, "/actions/accept"), "qy_zhuanyuan", map[string]any{"version": land.Version}).problem(409, "request_version_conflict")
		setClock(2025, 3, 12, 15, 0)
		act("qy_zhuanyuan", land.ID, "propose", map[string]any{"solution": "自然资源局牵头，月底前报批开发边界调整"})

		// Thursday 00:05 (day 3): the scheduler's scan. The power request
		// missed both deadlines and goes to the joint meeting today.
		day3 := setClock(2025, 3, 13, 0, 5)
		rep, err := e.srv.Enterprise.Scan(context.Background(), day3)
		if err != nil {
			t.Fatal(err)
		}
		var escalated []string
		for _, x := range rep.Escalations {
			if x.RequestID == land.ID || x.RequestID == power.ID {
				escalated = append(escalated, fmt.Sprintf("%s@%d", x.Number, x.Level))
			}
		}
		if want := []string{power.Number + "@1", power.Number + "@2", power.Number + "@3"}; !slices.Equal(escalated, want) {
			t.Fatalf("day 3 scan escalated %v, want %v", escalated, want)
		}
		if rep2, _ := e.srv.Enterprise.Scan(context.Background(), day3); len(rep2.Escalations) != 0 {
			t.Fatalf("a second scan escalated again: %+v", rep2.Escalations)
		}
		setClock(2025, 3, 13, 9, 0)
		p := e.ent(e.call("GET", path(power.ID, ""), "jlhx", nil).want(200))
		if p.Status != "meeting" || p.MeetingOn != "2025-03-13" || p.EscalationLevel != 3 || len(p.Escalations) != 3 || !p.Overdue ||
			!slices.Equal(p.Breaches, []string{"accept", "propose"}) {
			t.Fatalf("after the scan: %+v", p)
		}
		if h := p.historyActions(); !slices.Equal(h, []string{"raise", "escalate@1", "escalate@2", "schedule_meeting@3"}) {
			t.Fatalf("history %v", h)
		}
		if p.History[1].Role != "system" || p.Escalations[2].By != "system" {
			t.Errorf("the escalations are not marked as the scan's: %+v %+v", p.History, p.Escalations)
		}
		if d := p.deadlineStatuses(); !slices.Equal(d, []string{"accept:missed", "propose:missed", "meeting:met"}) {
			t.Errorf("deadlines %v", d)
		}

		// The team lead's overdue list holds the power request, not the answered one.
		var overdue struct {
			Items []entOut `json:"items"`
			Total int      `json:"total"`
		}
		e.call("GET", "/api/v1/enterprise-requests?overdue=true&status=meeting", "qy_fuzeren", nil).want(200).decode(&overdue)
		var numbers []string
		for _, it := range overdue.Items {
			numbers = append(numbers, it.Number)
			if it.Enterprise.Phone != "" && it.Enterprise.Phone[3:7] != "****" {
				t.Errorf("list shows the contact number %s unmasked", it.Enterprise.Phone)
			}
		}
		if !slices.Contains(numbers, power.Number) || slices.Contains(numbers, land.Number) || overdue.Total != len(overdue.Items) {
			t.Fatalf("overdue list %v (total %d)", numbers, overdue.Total)
		}
		var none struct{ Items []entOut }
		e.call("GET", "/api/v1/enterprise-requests", "rs_shenpi", nil).want(200).decode(&none)
		if len(none.Items) != 0 {
			t.Errorf("a reviewer off the team lists %d requests", len(none.Items))
		}

		// The enterprise confirms the land solution ("confirm" is resolve).
		l := act("jlhx", land.ID, "confirm", nil)
		if l.Status != "resolved" || len(l.Allowed) != 0 || len(l.Escalations) != 0 {
			t.Fatalf("confirmed: %+v", l)
		}
		if d := l.deadlineStatuses(); !slices.Equal(d, []string{"accept:met", "propose:met", "meeting:not_needed"}) {
			t.Errorf("deadlines of the answered request %v", d)
		}

		// After the meeting the team proposes; on Friday the enterprise turns
		// it down: back to the team with a new clock (accept by Monday).
		act("qy_fuzeren", power.ID, "propose", map[string]any{"solution": "供电公司下月启动增容改造"})
		setClock(2025, 3, 14, 11, 0)
		r := act("jlhx", power.ID, "reopen", map[string]any{"reason": "设备四月进场，等不到下月"})
		if r.Status != "reopened" || r.Round != 2 || r.EscalationLevel != 0 || r.AcceptDue != "2025-03-17" ||
			r.ProposeDue != "2025-03-18" || r.MeetingDue != "2025-03-19" || len(r.Escalations) != 3 {
			t.Fatalf("reopened: %+v", r)
		}
		if h := r.historyActions(); !slices.Equal(h, []string{"raise", "escalate@1", "escalate@2", "schedule_meeting@3", "propose", "reopen"}) {
			t.Fatalf("history %v", h)
		}
		e.call("POST", path(power.ID, "/actions/reopen"), "jlhx", map[string]any{"reason": "again"}).problem(409, "illegal_transition")
	})
}
