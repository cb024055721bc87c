package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
)

// Extensions (延期). A decision that cannot be made in time may get more
// working days, approved above the reviewer (行政许可法 第四十二条: 经本行政机关
// 负责人批准). The rules table gives that approval, Extend, to the
// administrator alone. Around it: the reviewer asks for it with the days and
// the reasons, and the administrator may refuse the request instead. Neither
// step changes the state or the clock; the request is pending until an
// extension (Extend) or a refusal follows it.
const (
	RequestExtension Action = "request_extension"
	RefuseExtension  Action = "refuse_extension"
)

func init() {
	ActionNames[RequestExtension] = apperr.M("申请延期", "request an extension")
	ActionNames[RefuseExtension] = apperr.M("不予延期", "refuse the extension")
}

// extensionRules: who may ask for or refuse an extension, in the states in
// which the extension itself may be given.
var extensionRules = map[Action]rule{
	RequestExtension: {rules[Extend].from, "", []auth.Role{RoleReviewer}, true},
	RefuseExtension:  {rules[Extend].from, "", []auth.Role{RoleAdmin}, true},
}

// ExtensionAsk is a reviewer's request for more working days.
type ExtensionAsk struct {
	Days    int       `json:"days"`
	Reasons []string  `json:"reasons"`
	By      string    `json:"by"` // the reviewer's name
	At      time.Time `json:"at"`
}

// PendingExtension returns the request among a case's events (in their
// order) that no extension or refusal has answered yet, or nil.
func PendingExtension(events []Event) *ExtensionAsk {
	var pending *ExtensionAsk
	for _, e := range events {
		switch Action(e.Action) {
		case RequestExtension:
			var d struct {
				Days    int      `json:"days"`
				Reasons []string `json:"reasons"`
			}
			json.Unmarshal(e.Data, &d)
			pending = &ExtensionAsk{Days: d.Days, Reasons: d.Reasons, By: e.ActorName, At: e.At}
		case RefuseExtension, Extend:
			pending = nil
		}
	}
	return pending
}

// CheckExtensionStep says whether role may take step (RequestExtension or
// RefuseExtension) on a case in state, given whether a request is pending:
// Forbidden for the wrong role, Conflict for the wrong state, for a second
// request while one is pending, or for a refusal of nothing.
func CheckExtensionStep(state State, step Action, role auth.Role, pending bool) error {
	r, ok := extensionRules[step]
	if !ok {
		return apperr.New(apperr.Invalid, "unknown_action", apperr.M("未知的操作", "unknown action"))
	}
	if !slices.Contains(r.roles, role) {
		return apperr.RoleNotAllowed(apperr.M("您的角色不能执行此操作", "your role may not do this")).With("action", step)
	}
	if !slices.Contains(r.from, state) {
		return apperr.New(apperr.Conflict, "illegal_transition",
			apperr.M("案件当前状态（"+StateNames[state].ZH+"）不允许此操作", "the case is "+StateNames[state].EN+" and does not allow this action")).
			With("state", state).With("action", step)
	}
	switch {
	case step == RequestExtension && pending:
		return apperr.New(apperr.Conflict, "extension_pending",
			apperr.M("已有一项延期申请等待审批", "an extension request is already waiting for a decision"))
	case step == RefuseExtension && !pending:
		return apperr.New(apperr.Conflict, "no_extension_request",
			apperr.M("没有待审批的延期申请", "there is no extension request to decide"))
	}
	return nil
}

// RequestExtension records a reviewer's request for req.Days more working
// days, with req.Reasons, in one transaction.
func (s *Service) RequestExtension(ctx context.Context, actor auth.User, id int64, req ActRequest) (Case, error) {
	return s.extensionStep(ctx, actor, id, RequestExtension, req)
}

// RefuseExtension refuses the pending request, with req.Reasons, in one transaction.
func (s *Service) RefuseExtension(ctx context.Context, actor auth.User, id int64, req ActRequest) (Case, error) {
	return s.extensionStep(ctx, actor, id, RefuseExtension, req)
}

func validateExtensionStep(step Action, req *ActRequest) error {
	if step == RequestExtension {
		return validateAct(Extend, req) // the same days and reasons as the extension itself
	}
	var f apperr.Fields
	req.Reasons = textlist.Distinct(req.Reasons)
	if len(req.Reasons) == 0 {
		f.Add("reasons", "required", apperr.M("请写明不予延期的理由", "reasons are required"))
	}
	for i, r := range req.Reasons {
		if utf8.RuneCountInString(r) > 500 {
			f.Add(fmt.Sprintf("reasons[%d]", i), "too_long", apperr.M("理由不超过500字", "a reason has at most 500 characters"))
		}
	}
	return f.Err()
}

func (s *Service) extensionStep(ctx context.Context, actor auth.User, id int64, step Action, req ActRequest) (Case, error) {
	if err := validateExtensionStep(step, &req); err != nil {
		return Case{}, err
	}
	now := s.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.lockToAct(ctx, tx, actor, id, req.Version)
		if err != nil {
			return err
		}
		events, err := extensionEvents(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if err := CheckExtensionStep(c.State, step, actor.Role, PendingExtension(events) != nil); err != nil {
			return err
		}
		if step == RequestExtension && c.PromisedDue == "" {
			return apperr.New(apperr.Conflict, "not_accepted_yet", apperr.M("案件尚未受理，没有办理时限可延长", "the case has no time limit yet"))
		}
		c.UpdatedAt = now
		if err := updateCase(ctx, tx, &c); err != nil {
			return err
		}
		return s.recordExtensionStep(ctx, tx, actor, &c, step, req, now)
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, actor, id)
}

// recordExtensionStep appends the event and the audit record. Unlike the
// transitions it sends the applicant nothing: a request and its refusal are
// the office's own business; the applicant is told of an extension when
// one is given.
func (s *Service) recordExtensionStep(ctx context.Context, tx *store.Tx, actor auth.User, c *Case, step Action, req ActRequest, now time.Time) error {
	data := map[string]any{"reasons": req.Reasons}
	if step == RequestExtension {
		data["days"] = req.Days
	}
	raw, _ := json.Marshal(data)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO case_events (case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, store.FormatTime(now), actor.ID, actor.Name, string(actor.Role), string(step), string(c.State), string(c.State),
		strings.Join(req.Reasons, "；"), string(raw)); err != nil {
		return apperr.Wrap(err, "cases: append event")
	}
	detail, _ := json.Marshal(map[string]any{"state": c.State, "version": c.Version, "days": req.Days})
	_, err := audit.Append(ctx, tx, audit.Record{Chain: c.PointCode, At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: "case." + string(step), Object: "case:" + c.Number, Outcome: "ok", Detail: string(detail)})
	return err
}

// extensionEvents reads the events that open and answer extension requests, in order.
func extensionEvents(ctx context.Context, q store.Querier, caseID int64) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, actor_name, action, data FROM case_events
		WHERE case_id = ? AND action IN (?, ?, ?) ORDER BY id`, caseID, string(RequestExtension), string(RefuseExtension), string(Extend))
	if err != nil {
		return nil, apperr.Wrap(err, "cases: extension events")
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at, data string
		if err := rows.Scan(&e.ID, &at, &e.ActorName, &e.Action, &data); err != nil {
			return nil, apperr.Wrap(err, "cases: extension events")
		}
		e.CaseID, e.At, e.Data = caseID, store.ParseTime(at), json.RawMessage(data)
		out = append(out, e)
	}
	return out, apperr.Wrap(rows.Err(), "cases: extension events")
}

// PendingRequest is a case whose extension request waits for a decision.
type PendingRequest struct {
	Case Case         `json:"case"`
	Ask  ExtensionAsk `json:"request"`
}

// PendingExtensions lists the open cases with an extension request waiting,
// those due first, for the administrators who decide them. It reads the
// cases that ever asked for one (by the kind of event, indexed) and each
// one's last extension event.
func (s *Service) PendingExtensions(ctx context.Context, actor auth.User, limit int) ([]PendingRequest, error) {
	return s.PendingExtensionsWhere(ctx, actor, ExtensionFilter{Limit: limit})
}

// ExtensionFilter narrows the pending extension requests: to one
// department, and one page (Limit at most 200, from Offset).
type ExtensionFilter struct {
	Department string
	Limit      int
	Offset     int
}

// PendingExtensionsWhere is PendingExtensions for one department and page.
func (s *Service) PendingExtensionsWhere(ctx context.Context, actor auth.User, f ExtensionFilter) ([]PendingRequest, error) {
	if actor.Role != RoleAdmin {
		e := apperr.RoleNotAllowed(apperr.M("您的角色无权执行此操作", "your role may not do this"))
		return nil, e
	}
	from := extensionRules[RefuseExtension].from
	args := make([]any, 0, len(from)+4)
	for _, st := range from {
		args = append(args, string(st))
	}
	args = append(args, string(RequestExtension), string(RefuseExtension), string(Extend), string(RequestExtension))
	dept := ""
	if f.Department != "" {
		dept = ` AND department_code = ?`
		args = append(args, f.Department)
	}
	args = append(args, min(max(f.Limit, 1), 200), max(f.Offset, 0))
	args = append([]any{string(RequestExtension)}, args...)
	// The cases that ever asked for an extension, found by the kind of event
	// (case_events_action), not every open case of the province. CROSS JOIN
	// keeps SQLite from reading the open cases first; PostgreSQL plans it as
	// any join. The subquery's one column, case_id, names none of cases'.
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseColumns+`
		FROM (SELECT DISTINCT case_id FROM case_events WHERE action = ?) asked CROSS JOIN cases
		WHERE cases.id = asked.case_id
		AND state IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ")+`)
		AND (SELECT e.action FROM case_events e WHERE e.case_id = cases.id AND e.action IN (?, ?, ?) ORDER BY e.id DESC LIMIT 1) = ?`+dept+`
		ORDER BY promised_due, id LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: pending extensions")
	}
	var list []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "cases: pending extensions")
		}
		c = c.ShownTo(actor) // a list, for administrators: masked
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "cases: pending extensions")
	}
	out := []PendingRequest{}
	for _, c := range list {
		events, err := extensionEvents(ctx, s.db, c.ID)
		if err != nil {
			return nil, err
		}
		if ask := PendingExtension(events); ask != nil {
			out = append(out, PendingRequest{Case: c, Ask: *ask})
		}
	}
	return out, nil
}
