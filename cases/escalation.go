package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Step is one rung of an escalation ladder (督办): when a case reaches it,
// the recipients are notified once.
type Step struct {
	Level int    `json:"level"`
	Kind  string `json:"kind"` // warning | overdue
	// AfterOverdueDays: for overdue steps, how many working days past the
	// due date before this step applies (0: on the first overdue day).
	AfterOverdueDays int `json:"after_overdue_days,omitempty"`
	// Notify names who is told: reviewers (of the case's department),
	// department_head, hall_manager (of the case's point), admin.
	Notify []string `json:"notify"`
}

// DefaultLadder applies where no item or department has its own.
var DefaultLadder = []Step{
	{Level: 1, Kind: SLAWarning, Notify: []string{"reviewers", "hall_manager"}},
	{Level: 2, Kind: SLAOverdue, Notify: []string{"reviewers", "department_head", "hall_manager"}},
	{Level: 3, Kind: SLAOverdue, AfterOverdueDays: 3, Notify: []string{"department_head", "admin"}},
}

var recipientKinds = map[string]bool{"reviewers": true, "department_head": true, "hall_manager": true, "admin": true}

// ValidateLadder checks a ladder an administrator sets.
func ValidateLadder(steps []Step) error {
	var f apperr.Fields
	if len(steps) == 0 || len(steps) > 10 {
		f.Add("steps", "range", apperr.M("督办阶梯须有1–10级", "a ladder has 1 to 10 steps"))
	}
	seen := map[int]bool{}
	for i, st := range steps {
		at := fmt.Sprintf("steps[%d]", i)
		if st.Level < 1 || st.Level > 10 || seen[st.Level] {
			f.Add(at+".level", "range", apperr.M("级别须为1–10且不重复", "level must be 1–10 and unique"))
		}
		seen[st.Level] = true
		if st.Kind != SLAWarning && st.Kind != SLAOverdue {
			f.Add(at+".kind", "unknown", apperr.M("类型须为 warning 或 overdue", "kind must be warning or overdue"))
		}
		if st.AfterOverdueDays < 0 || st.AfterOverdueDays > 60 {
			f.Add(at+".after_overdue_days", "range", apperr.M("须为0–60个工作日", "must be 0–60 working days"))
		}
		if len(st.Notify) == 0 {
			f.Add(at+".notify", "required", apperr.M("请指定通知对象", "say whom to notify"))
		}
		for _, r := range st.Notify {
			if !recipientKinds[r] {
				f.Add(at+".notify", "unknown", apperr.M("通知对象须为 reviewers、department_head、hall_manager 或 admin", "notify must list reviewers, department_head, hall_manager or admin"))
			}
		}
	}
	return f.Err()
}

// DueSteps returns the steps of ladder that apply to a case standing at sla.
func DueSteps(ladder []Step, sla SLA) []Step {
	var out []Step
	for _, st := range ladder {
		switch {
		case st.Kind == SLAWarning && (sla.Status == SLAWarning || sla.Status == SLAOverdue):
			out = append(out, st)
		case st.Kind == SLAOverdue && sla.Status == SLAOverdue && -sla.RemainingDays >= max(st.AfterOverdueDays, 1):
			out = append(out, st)
		}
	}
	return out
}

// BreachStep returns the overdue step of ladder that a case reaches first
// (the fewest days past due, then the lowest level): taking it is the
// moment the case breached its SLA. ok is false for a ladder without
// overdue steps.
func BreachStep(ladder []Step) (first Step, ok bool) {
	for _, st := range ladder {
		if st.Kind != SLAOverdue {
			continue
		}
		d, fd := max(st.AfterOverdueDays, 1), max(first.AfterOverdueDays, 1)
		if !ok || d < fd || d == fd && st.Level < first.Level {
			first, ok = st, true
		}
	}
	return first, ok
}

// SetLadder stores the ladder of a scope: "item:CODE", "department:CODE" or
// "default". Only a province-wide administrator sets ladders; the change is
// audited in its transaction.
func (s *Service) SetLadder(ctx context.Context, actor auth.User, scope string, steps []Step) error {
	if err := auth.RequireAdmin(actor); err != nil {
		return err
	}
	if scope != "default" && !(len(scope) > 5 && (scope[:5] == "item:" || (len(scope) > 11 && scope[:11] == "department:"))) {
		return apperr.Fields{apperr.Field("scope", "format", apperr.M("范围须为 default、item:事项编码 或 department:部门编码", "scope must be default, item:CODE or department:CODE"))}.Err()
	}
	if err := ValidateLadder(steps); err != nil {
		return err
	}
	b, _ := json.Marshal(steps)
	now := s.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO escalation_ladders (scope, ladder, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (scope) DO UPDATE SET ladder = excluded.ladder, updated_at = excluded.updated_at`, scope, string(b), store.FormatTime(now)); err != nil {
			return apperr.Wrap(err, "cases: set ladder")
		}
		return auth.Record(ctx, tx, now, actor, "escalation.ladder", "ladder:"+scope, map[string]int{"steps": len(steps)})
	})
}

// Ladders returns every stored ladder by scope.
func (s *Service) Ladders(ctx context.Context) (map[string][]Step, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT scope, ladder FROM escalation_ladders`)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: ladders")
	}
	defer rows.Close()
	out := map[string][]Step{}
	for rows.Next() {
		var scope, raw string
		if err := rows.Scan(&scope, &raw); err != nil {
			return nil, apperr.Wrap(err, "cases: ladders")
		}
		var steps []Step
		if json.Unmarshal([]byte(raw), &steps) == nil {
			out[scope] = steps
		}
	}
	return out, apperr.Wrap(rows.Err(), "cases: ladders")
}

func ladderFor(ladders map[string][]Step, c *Case) []Step {
	if l, ok := ladders["item:"+c.ItemCode]; ok {
		return l
	}
	if l, ok := ladders["department:"+c.DepartmentCode]; ok {
		return l
	}
	if l, ok := ladders["default"]; ok {
		return l
	}
	return DefaultLadder
}

// ScanReport says what a scan did.
type ScanReport struct {
	Points      int      `json:"points"`
	Escalations int      `json:"escalations"`
	Reminders   int      `json:"reminders"`
	Terminated  int      `json:"terminated"`
	Failed      []string `json:"failed,omitempty"` // points whose scan failed
}

// systemActor acts for the scheduler.
var systemActor = auth.User{ID: 0, Username: "system", Name: "系统", Role: RoleAdmin}

// ScanSLA marks warnings and overdue cases, escalates along the ladders,
// reminds applicants of supplement deadlines and terminates cases whose
// deadline passed after a reminder. It is idempotent (each step is recorded
// once under a unique key, so a second scan, or a scan by another server at
// the same moment, does nothing new) and runs each service point on its own:
// one failing point is logged and counted, and the others go on.
func (s *Service) ScanSLA(ctx context.Context, now time.Time, log *slog.Logger) (ScanReport, error) {
	if log == nil {
		log = slog.Default()
	}
	var rep ScanReport
	ladders, err := s.Ladders(ctx)
	if err != nil {
		return rep, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT code FROM service_points ORDER BY code`)
	if err != nil {
		return rep, apperr.Wrap(err, "cases: scan points")
	}
	var points []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return rep, apperr.Wrap(err, "cases: scan points")
		}
		points = append(points, code)
	}
	rows.Close()
	for _, p := range points {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		rep.Points++
		if err := s.scanPoint(ctx, p, now, ladders, &rep); err != nil {
			rep.Failed = append(rep.Failed, p)
			metrics.Inc("onewindow_scan_failures_total", "point", p)
			log.Error("SLA scan failed for a service point", "point", p, "err", err)
		}
	}
	metrics.Inc("onewindow_scans_total")
	return rep, nil
}

func (s *Service) scanPoint(ctx context.Context, point string, now time.Time, ladders map[string][]Step, rep *ScanReport) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	today := workday.DateOf(now)
	todayS := workday.FormatDate(today)
	running, err := s.queryCases(ctx, `SELECT `+caseColumns+` FROM cases
		WHERE point_code = ? AND `+runningSQL+` AND warn_from <> '' AND warn_from <= ?
		ORDER BY id`, point, todayS)
	if err != nil {
		return err
	}
	for i := range running {
		c := &running[i]
		sla := ComputeSLA(c, today, s.calendar)
		ladder := ladderFor(ladders, c)
		breach, hasBreach := BreachStep(ladder)
		for _, st := range DueSteps(ladder, sla) {
			isBreach := hasBreach && st.Kind == breach.Kind && st.Level == breach.Level
			done, err := s.escalate(ctx, c, st.Kind, st.Level, s.recipients(c, st.Notify), sla, isBreach, now)
			if err != nil {
				return err
			}
			if done {
				rep.Escalations++
				metrics.Inc("onewindow_escalations_total", "kind", st.Kind)
				// The step's unique record makes this once per case,
				// whichever server scans.
				if isBreach {
					metrics.Inc("onewindow_sla_breaches_total", "department", c.DepartmentCode)
				}
			}
		}
	}
	// Supplement deadlines: remind on the last working day, terminate after it.
	soon, _ := s.calendar.Add(today, 1)
	waiting, err := s.queryCases(ctx, `SELECT `+caseColumns+` FROM cases
		WHERE point_code = ? AND state = 'supplement_required' AND supplement_due <> '' AND supplement_due <= ?
		ORDER BY id`, point, workday.FormatDate(soon))
	if err != nil {
		return err
	}
	for i := range waiting {
		c := &waiting[i]
		var reminded int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_escalations WHERE case_id = ? AND kind = 'supplement_reminder'`, c.ID).Scan(&reminded); err != nil {
			return apperr.Wrap(err, "cases: reminder")
		}
		if reminded == 0 {
			done, err := s.escalate(ctx, c, "supplement_reminder", 1, s.applicantRecipients(c), SLA{Due: c.SupplementDue}, false, now)
			if err != nil {
				return err
			}
			if done {
				rep.Reminders++
			}
			continue // terminate only on a later scan, after the reminder went out
		}
		if todayS > c.SupplementDue {
			ok, err := s.terminateUnsupplied(ctx, c.ID, todayS, now)
			if err != nil {
				return err
			}
			if ok {
				rep.Terminated++
			}
		}
	}
	// 容缺 materials: remind the applicant on the last working day before
	// they are due, once, while any is still missing.
	pending, err := s.queryCases(ctx, `SELECT `+caseColumns+` FROM cases
		WHERE point_code = ? AND state IN ('accepted', 'in_review') AND waiver_due <> '' AND waiver_due <= ? AND waiver_due >= ?
		ORDER BY id`, point, workday.FormatDate(soon), todayS)
	if err != nil {
		return err
	}
	for i := range pending {
		c := &pending[i]
		var have int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_materials WHERE case_id = ? AND type IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(c.Waived)), ", ")+`)`, append([]any{c.ID}, anySlice(c.Waived)...)...).Scan(&have); err != nil {
			return apperr.Wrap(err, "cases: waiver reminder")
		}
		if len(c.Waived) == 0 || have >= len(c.Waived) {
			continue
		}
		done, err := s.escalate(ctx, c, "waiver_reminder", 1, s.applicantRecipients(c), SLA{Due: c.WaiverDue}, false, now)
		if err != nil {
			return err
		}
		if done {
			rep.Reminders++
		}
	}
	return nil
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func (s *Service) queryCases(ctx context.Context, q string, args ...any) ([]Case, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: scan")
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "cases: scan")
		}
		out = append(out, c)
	}
	return out, apperr.Wrap(rows.Err(), "cases: scan")
}

func (s *Service) recipients(c *Case, kinds []string) []string {
	var out []string
	for _, k := range kinds {
		switch k {
		case "reviewers":
			out = append(out, "department:"+c.DepartmentCode+":reviewers")
		case "department_head":
			out = append(out, "department:"+c.DepartmentCode+":head")
		case "hall_manager":
			out = append(out, "point:"+c.PointCode+":hall_manager")
		case "admin":
			out = append(out, "role:admin")
		}
	}
	return out
}

func (s *Service) applicantRecipients(c *Case) []string {
	return []string{applicantRecipient(c.Applicant, c.PointCode)}
}

// applicantRecipient is whom the outbox tells of an applicant's case: the
// account, else the mobile number, else, with nobody to tell
// electronically, the point's front desk, which calls the applicant.
func applicantRecipient(a Applicant, point string) string {
	switch {
	case a.UserID != nil:
		return outbox.User(*a.UserID)
	case a.Phone != "":
		return outbox.Phone(a.Phone)
	}
	return "point:" + point + ":frontdesk"
}

// escalate records one step for a case once: the insert into
// case_escalations decides, under its primary key, who does it. breach
// marks the step at which the case breached its SLA: its notice says so
// (the department head is told of the breach).
func (s *Service) escalate(ctx context.Context, c *Case, kind string, level int, to []string, sla SLA, breach bool, now time.Time) (bool, error) {
	done := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO case_escalations (case_id, kind, level, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (case_id, kind, level) DO NOTHING`, c.ID, kind, level, store.FormatTime(now))
		if err != nil {
			return apperr.Wrap(err, "cases: escalate")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		done = true
		payload := map[string]any{"case": c.Number, "item": c.ItemName, "kind": kind, "level": level,
			"due": sla.Due, "remaining_days": sla.RemainingDays, "department": c.DepartmentCode, "point": c.PointCode, "breach": breach}
		if err := outbox.Add(ctx, tx, now, "case.escalation."+kind, payload, to...); err != nil {
			return err
		}
		at := store.FormatTime(now)
		data, _ := json.Marshal(map[string]any{"kind": kind, "level": level, "notified": maskedRecipients(to), "due": sla.Due, "remaining_days": sla.RemainingDays})
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_events (case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data)
			VALUES (?, ?, 0, ?, ?, 'escalate', ?, ?, '', ?)`, c.ID, at, systemActor.Name, string(systemActor.Role), string(c.State), string(c.State), string(data)); err != nil {
			return apperr.Wrap(err, "cases: escalation event")
		}
		_, err = audit.Append(ctx, tx, audit.Record{Chain: c.PointCode, At: now, Actor: systemActor.Username, Role: string(systemActor.Role),
			Action: "case.escalate", Object: "case:" + c.Number, Outcome: audit.OK, Detail: string(data)})
		return err
	})
	return done, err
}

// terminateUnsupplied closes a case whose supplement deadline passed.
func (s *Service) terminateUnsupplied(ctx context.Context, id int64, today string, now time.Time) (bool, error) {
	done := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if c.State != SupplementNeeded || c.SupplementDue == "" || today <= c.SupplementDue {
			return nil // someone supplied, or another server was first
		}
		it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
		if err != nil {
			return err
		}
		reason := fmt.Sprintf("申请人未在补正期限（%s）内补齐材料 / materials not supplied by the deadline %s", c.SupplementDue, c.SupplementDue)
		if err := s.transition(ctx, tx, systemActor, &c, &it, Terminate, ActRequest{Reasons: []string{reason}}, now); err != nil {
			return err
		}
		done = true
		return nil
	})
	if err != nil && errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return done, err
}

func init() {
	metrics.Describe("onewindow_calendar_fallback_total", "due-date computations that ran past the years with holiday data (Monday–Friday used)")
	metrics.Describe("onewindow_scans_total", "SLA scans completed")
	metrics.Describe("onewindow_scan_failures_total", "SLA scans of a service point that failed")
	metrics.Describe("onewindow_escalations_total", "escalation steps taken")
	metrics.Describe("onewindow_case_transitions_total", "case transitions committed, by action, the states before and after, and the case's department")
	metrics.Describe("onewindow_sla_breaches_total", "cases that became overdue (their ladder's first overdue step was taken), by department")
}

// maskedRecipients is who was told, as the history and the audit log keep
// it: a mobile number masked (the outbox keeps it whole, to deliver).
func maskedRecipients(to []string) []string {
	out := make([]string, len(to))
	for i, r := range to {
		if phone, ok := strings.CutPrefix(r, "phone:"); ok {
			r = "phone:" + ident.MaskPhone(phone)
		}
		out[i] = r
	}
	return out
}
