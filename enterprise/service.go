package enterprise

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
	"github.com/onewindow/onewindow/workday"
)

// Service runs enterprise requests on a database.
type Service struct {
	db       *store.DB
	calendar workday.Calendar
	users    *auth.Store
	catalog  *catalog.Store
	// Now is the server's clock (package clock): deadlines start from it.
	Now clock.Clock
}

// NewService returns a Service counting deadlines on cal.
func NewService(db *store.DB, cal workday.Calendar, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, calendar: cal, users: auth.NewStore(db), catalog: catalog.NewStore(db), Now: clk}
}

// systemActor is who the escalation scan acts as.
var systemActor = auth.User{Username: "system", Name: "超时扫描 / escalation scan", Role: "system"}

const (
	maxDescriptionLen = 2000
	maxSolutionLen    = 4000
	maxReasonLen      = 1000
	maxNoteLen        = 2000
)

// RaiseRequest is what an enterprise writes to raise a request.
type RaiseRequest struct {
	Category    string `json:"category"`    // land, financing, labour, approval, utilities, policy, other (or 用地 …)
	Description string `json:"description"` // the problem, in the enterprise's words
	Phone       string `json:"phone,omitempty"`
}

func checkLength(f *apperr.Fields, field, value string, max int, required bool) {
	n := utf8.RuneCountInString(value)
	switch {
	case n == 0 && required:
		f.Add(field, "required", apperr.M("请填写"+fieldNamesZH[field], field+" is required"))
	case n > max:
		f.Add(field, "too_long", apperr.M(fmt.Sprintf("%s不超过%d字", fieldNamesZH[field], max), fmt.Sprintf("%s has at most %d characters", field, max)))
	}
}

var fieldNamesZH = map[string]string{"description": "诉求内容", "solution": "解决方案", "reason": "理由", "note": "备注"}

// Raise records a request from an enterprise applicant and starts its clock.
// The request goes to the team that serves the enterprise (else the default team).
func (s *Service) Raise(ctx context.Context, actor auth.User, req RaiseRequest) (Detail, error) {
	if actor.Role != auth.RoleApplicant || actor.Kind != auth.KindEnterprise || actor.CreditCode == "" || actor.Disabled {
		e := apperr.New(apperr.Forbidden, "enterprise_only", apperr.M("只有企业账号可以提出企业诉求", "only enterprise accounts raise enterprise requests"))
		e.Denied = true
		return Detail{}, e
	}
	var f apperr.Fields
	category, ok := ParseCategory(req.Category)
	switch {
	case strings.TrimSpace(req.Category) == "":
		f.Add("category", "required", apperr.M("请选择诉求类别", "category is required"))
	case !ok:
		f.Add("category", "unknown", apperr.M("诉求类别须为 land（用地）、financing（融资）、labour（用工）、approval（审批）、utilities（水电气）、policy（政策）或 other（其他）",
			"category must be land, financing, labour, approval, utilities, policy or other"))
	}
	req.Description = strings.TrimSpace(req.Description)
	checkLength(&f, "description", req.Description, maxDescriptionLen, true)
	phone := actor.Phone
	if strings.TrimSpace(req.Phone) != "" {
		phone = ident.OptionalMobile(&f, "phone", req.Phone)
	}
	if err := f.Err(); err != nil {
		return Detail{}, err
	}
	now := s.Now()
	var id int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		team, err := s.teamFor(ctx, tx, actor.CreditCode)
		if err != nil {
			return err
		}
		r := Request{Enterprise: Enterprise{UserID: actor.ID, Name: actor.Name, CreditCode: actor.CreditCode, Phone: phone},
			Category: category, Description: req.Description, TeamCode: team.Code, TeamName: team.Name,
			Departments: involvedDepartments(&team), Status: Raised, Version: 1, Round: 1,
			Clock: NewClock(s.calendar, now), CreatedAt: now, UpdatedAt: now}
		if r.Number, err = allocateNumber(ctx, tx, now); err != nil {
			return err
		}
		if err := insertRequest(ctx, tx, &r); err != nil {
			return err
		}
		id = r.ID
		store.NoteEffect(ctx, "enterprise_request:"+strconv.FormatInt(r.ID, 10))
		data := map[string]any{"category": category, "accept_due": r.AcceptDue, "propose_due": r.ProposeDue, "meeting_due": r.MeetingDue}
		return s.record(ctx, tx, actor, &r, eventRaise, "", Raised, 0, "", data, now,
			notice{"enterprise_request.raised", append(team.memberRecipients(), "department:"+team.DepartmentCode)})
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, actor, id)
}

// involvedDepartments starts with the team's department and those it convenes.
func involvedDepartments(t *Team) []string {
	return textlist.Distinct(append([]string{t.DepartmentCode}, t.MeetingDepartments...))
}

// allocateNumber returns the next request number of the day in China, e.g.
// QYSQ-20250310-0007 (企业诉求). The counter row is updated in the caller's
// transaction, so concurrent raisers, also in other processes, queue on it.
func allocateNumber(ctx context.Context, tx *store.Tx, now time.Time) (string, error) {
	day := workday.DateOf(now).Format("20060102")
	var n int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO ent_counters (day, last) VALUES (?, 1)
		ON CONFLICT (day) DO UPDATE SET last = ent_counters.last + 1
		RETURNING last`, day).Scan(&n)
	if err != nil {
		return "", apperr.Wrap(err, "enterprise: allocate number")
	}
	return fmt.Sprintf("QYSQ-%s-%04d", day, n), nil
}

// ActRequest carries what an action needs.
type ActRequest struct {
	Version     *int     `json:"version,omitempty"`     // the version the user saw; a mismatch is a 409
	Solution    string   `json:"solution,omitempty"`    // propose: required
	Reason      string   `json:"reason,omitempty"`      // reopen: required; close: optional
	Note        string   `json:"note,omitempty"`        // kept in the history
	Departments []string `json:"departments,omitempty"` // accept, schedule_meeting: the departments involved (replaces the list)
	MeetingOn   string   `json:"meeting_on,omitempty"`  // schedule_meeting: YYYY-MM-DD, a working day from today on
}

func notApplicable(f *apperr.Fields, field string, action Action) {
	f.Add(field, "not_applicable", apperr.M("该操作（"+ActionNames[action].ZH+"）不需要此项", "not used by "+string(action)))
}

func validateAct(action Action, req *ActRequest) error {
	var f apperr.Fields
	req.Solution = strings.TrimSpace(req.Solution)
	req.Reason = strings.TrimSpace(req.Reason)
	req.Note = strings.TrimSpace(req.Note)
	req.MeetingOn = strings.TrimSpace(req.MeetingOn)
	if action == Propose {
		checkLength(&f, "solution", req.Solution, maxSolutionLen, true)
	} else if req.Solution != "" {
		notApplicable(&f, "solution", action)
	}
	switch action {
	case Reopen, Close:
		checkLength(&f, "reason", req.Reason, maxReasonLen, action == Reopen)
	default:
		if req.Reason != "" {
			notApplicable(&f, "reason", action)
		}
	}
	if req.Departments != nil && action != Accept && action != ScheduleMeeting {
		notApplicable(&f, "departments", action)
	}
	if req.Departments != nil && len(textlist.Distinct(req.Departments)) == 0 {
		f.Add("departments", "required", apperr.M("请至少列出一个部门", "list at least one department"))
	}
	if req.MeetingOn != "" {
		if action != ScheduleMeeting {
			notApplicable(&f, "meeting_on", action)
		} else if _, err := workday.ParseDate(req.MeetingOn); err != nil {
			f.Add("meeting_on", "format", apperr.As(err).Message)
		}
	}
	checkLength(&f, "note", req.Note, maxNoteLen, false)
	return f.Err()
}

// Act applies action to request id as actor, in one transaction.
func (s *Service) Act(ctx context.Context, actor auth.User, id int64, action Action, req ActRequest) (Detail, error) {
	if _, ok := requestLifecycle.Rules[action]; !ok {
		return Detail{}, apperr.New(apperr.NotFound, "unknown_action", apperr.M("未知的操作", "unknown action")).With("action", action)
	}
	if err := validateAct(action, &req); err != nil {
		return Detail{}, err
	}
	if req.Departments != nil {
		req.Departments = textlist.Distinct(req.Departments)
		if err := s.checkDepartments(ctx, "departments", req.Departments); err != nil {
			return Detail{}, err
		}
	}
	now := s.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		party, err := s.partyFor(ctx, tx, actor, &r)
		if err != nil {
			return err
		}
		if req.Version != nil && *req.Version != r.Version {
			return apperr.New(apperr.Conflict, "request_version_conflict",
				apperr.M("诉求已被他人更新，请刷新后重试", "the request was changed by someone else; reload and try again")).
				With("status", r.Status).With("version", r.Version)
		}
		return s.transition(ctx, tx, actor, party, &r, action, req, now)
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, actor, id)
}

// partyFor returns what actor is to r, or the refusal to show r at all:
// "not found" for applicants (a number reveals nothing), "out of scope" for staff.
func (s *Service) partyFor(ctx context.Context, q store.Querier, actor auth.User, r *Request) (Party, error) {
	member := false
	if actor.Role == auth.RoleFrontDesk || actor.Role == auth.RoleReviewer {
		var err error
		if member, err = isMember(ctx, q, r.TeamCode, actor.ID); err != nil {
			return PartyNone, err
		}
	}
	party := PartyOf(actor, r.Enterprise.UserID, r.Enterprise.CreditCode, member)
	if party != PartyNone {
		return party, nil
	}
	if actor.Role == auth.RoleApplicant {
		return PartyNone, errHidden()
	}
	e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该诉求不由您所在的服务专班办理", "this request is not your service team's"))
	e.Denied = true
	return PartyNone, e
}

// transition applies one action to r (loaded, locked and visible to actor) inside tx.
func (s *Service) transition(ctx context.Context, tx *store.Tx, actor auth.User, party Party, r *Request, action Action, req ActRequest, now time.Time) error {
	to, err := Next(r.Status, action, party)
	if err != nil {
		return err
	}
	team, err := s.team(ctx, tx, r.TeamCode)
	if err != nil {
		return err
	}
	from := r.Status
	today := workday.DateOf(now)
	data := map[string]any{}
	level := 0
	n := notice{topic: "enterprise_request." + string(action)}
	toEnterprise := []string{outbox.User(r.Enterprise.UserID)}
	if req.Departments != nil {
		r.Departments = req.Departments
		data["departments"] = r.Departments
	}
	switch action {
	case Accept:
		r.AcceptedAt = &now
		n.recipients = toEnterprise
	case Propose:
		r.ProposedAt = &now
		r.Solution = req.Solution
		data["solution"] = req.Solution
		n.recipients = toEnterprise
	case ScheduleMeeting:
		on, err := s.meetingDay(r, today, req.MeetingOn)
		if err != nil {
			return err
		}
		r.MeetingOn = on
		level = LevelMeeting
		if _, err := claimEscalation(ctx, tx, r, LevelMeeting, now, actor.Username); err != nil {
			return err
		}
		r.EscalationLevel = LevelMeeting
		data["meeting_on"], data["departments"] = on, r.Departments
		n.recipients = meetingRecipients(r, &team)
	case Resolve:
		r.EndedAt = &now
		n.recipients = team.memberRecipients()
	case Reopen:
		r.Round++
		r.Clock = NewClock(s.calendar, now)
		r.AcceptedAt, r.ProposedAt, r.MeetingOn, r.Solution = nil, nil, "", ""
		r.EscalationLevel = 0
		r.ReopenReason = req.Reason
		data["reason"] = req.Reason
		data["accept_due"], data["propose_due"], data["meeting_due"] = r.AcceptDue, r.ProposeDue, r.MeetingDue
		n.recipients = append(team.memberRecipients(), "department:"+team.DepartmentCode)
	case Close:
		r.EndedAt = &now
		if req.Reason != "" {
			data["reason"] = req.Reason
		}
		if party == PartyEnterprise {
			n.recipients = team.memberRecipients()
		} else {
			n.recipients = append(team.memberRecipients(), toEnterprise...)
		}
	}
	r.Status = to
	r.UpdatedAt = now
	if err := updateRequest(ctx, tx, r); err != nil {
		return err
	}
	return s.record(ctx, tx, actor, r, string(action), from, to, level, req.Note, data, now, n)
}

// meetingDay picks the day of the joint meeting: the one asked for (a working
// day, not in the past), else day 3 of the clock, or the next working day
// from today when day 3 has come.
func (s *Service) meetingDay(r *Request, today time.Time, asked string) (string, error) {
	if asked == "" {
		due, _ := workday.ParseDate(r.MeetingDue)
		if due.After(today) {
			return r.MeetingDue, nil
		}
		d, _ := s.calendar.Add(today, 0)
		return workday.FormatDate(d), nil
	}
	d, _ := workday.ParseDate(asked)
	var f apperr.Fields
	switch {
	case d.Before(today):
		f.Add("meeting_on", "past", apperr.M("会议日期不能早于今天", "the meeting cannot be in the past"))
	case !s.calendar.Day(d).Workday:
		f.Add("meeting_on", "not_workday", apperr.M("会议日期须为工作日", "the meeting must be on a working day"))
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	return workday.FormatDate(d), nil
}

// meetingRecipients: the departments involved, the team's leads and the enterprise.
func meetingRecipients(r *Request, t *Team) []string {
	var out []string
	for _, d := range textlist.Distinct(append([]string{t.DepartmentCode}, r.Departments...)) {
		out = append(out, "department:"+d)
	}
	out = append(out, t.leadRecipients()...)
	return append(out, outbox.User(r.Enterprise.UserID))
}

// claimEscalation records level for r's current round unless it already is
// there; it reports whether this call recorded it. ON CONFLICT DO NOTHING
// makes a concurrent claim by another process wait for the first and then
// find the row taken, on both engines.
func claimEscalation(ctx context.Context, tx *store.Tx, r *Request, level int, now time.Time, by string) (bool, error) {
	due := map[int]string{LevelAccept: r.AcceptDue, LevelPropose: r.ProposeDue, LevelMeeting: r.MeetingDue}[level]
	res, err := tx.ExecContext(ctx, `
		INSERT INTO ent_escalations (request_id, round, level, due, at, by_user) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (request_id, round, level) DO NOTHING`, r.ID, r.Round, level, due, store.FormatTime(now), by)
	if err != nil {
		return false, apperr.Wrap(err, "enterprise: record escalation")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, apperr.Wrap(err, "enterprise: record escalation")
	}
	return n == 1, nil
}

// notice is a notification to enqueue with an event.
type notice struct {
	topic      string
	recipients []string
}

// record appends the event, the notifications and the audit record, all in
// the caller's transaction; the audit record comes last, as audit.Append asks.
func (s *Service) record(ctx context.Context, tx *store.Tx, actor auth.User, r *Request, action string, from, to Status, level int,
	note string, data map[string]any, now time.Time, n notice) error {
	raw, _ := json.Marshal(data)
	at := store.FormatTime(now)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO ent_events (request_id, at, actor_id, actor_name, role, action, from_state, to_state, round, level, note, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, at, actor.ID, actor.Name, string(actor.Role), action, string(from), string(to), r.Round, level, note, string(raw)); err != nil {
		return apperr.Wrap(err, "enterprise: append event")
	}
	// The team's department names the request for department systems'
	// webhook filters, as a case's item department does.
	var department string
	if err := tx.QueryRowContext(ctx, `SELECT department_code FROM ent_teams WHERE code = ?`, r.TeamCode).Scan(&department); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(err, "enterprise: team department")
	}
	payload := map[string]any{"request": r.Number, "enterprise": r.Enterprise.Name, "category": r.Category, "status": to, "action": action,
		"department": department}
	for k, v := range data {
		if k != "solution" { // the solution is read in the request, not carried around
			payload[k] = v
		}
	}
	if level > 0 {
		payload["level"] = level
	}
	if err := outbox.Add(ctx, tx, now, n.topic, payload, textlist.Distinct(n.recipients)...); err != nil {
		return err
	}
	detail, _ := json.Marshal(map[string]any{"from": from, "to": to, "round": r.Round, "level": level, "version": r.Version})
	_, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: "enterprise_request." + action, Object: "enterprise_request:" + r.Number, Outcome: audit.OK, Detail: string(detail)})
	return err
}

// Get returns a request with its deadlines, escalations and history, if actor may see it.
func (s *Service) Get(ctx context.Context, actor auth.User, id int64) (Detail, error) {
	r, err := load(ctx, s.db, id, false)
	if err != nil {
		return Detail{}, err
	}
	party, err := s.partyFor(ctx, s.db, actor, &r)
	if err != nil {
		return Detail{}, err
	}
	today := workday.DateOf(s.Now())
	r.judgeDeadlines(today)
	d := Detail{Request: r, Party: party, Deadlines: r.Deadlines(today), Allowed: Allowed(r.Status, party)}
	if d.Escalations, err = s.escalations(ctx, id); err != nil {
		return Detail{}, err
	}
	if d.History, err = s.history(ctx, id); err != nil {
		return Detail{}, err
	}
	return d, nil
}

func (s *Service) escalations(ctx context.Context, id int64) ([]Escalation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT round, level, due, at, by_user FROM ent_escalations
		WHERE request_id = ? ORDER BY round, level`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "enterprise: escalations")
	}
	defer rows.Close()
	out := []Escalation{}
	for rows.Next() {
		var e Escalation
		var at string
		if err := rows.Scan(&e.Round, &e.Level, &e.Due, &at, &e.By); err != nil {
			return nil, apperr.Wrap(err, "enterprise: escalations")
		}
		e.At, e.Step = store.ParseTime(at), levelStep[e.Level]
		out = append(out, e)
	}
	return out, apperr.Wrap(rows.Err(), "enterprise: escalations")
}

func (s *Service) history(ctx context.Context, id int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor_id, actor_name, role, action, from_state, to_state, round, level, note, data
		FROM ent_events WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "enterprise: history")
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var at, from, to, data string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.Role, &e.Action, &from, &to, &e.Round, &e.Level, &e.Note, &data); err != nil {
			return nil, apperr.Wrap(err, "enterprise: history")
		}
		e.At, e.From, e.To, e.Data = store.ParseTime(at), Status(from), Status(to), json.RawMessage(data)
		out = append(out, e)
	}
	return out, apperr.Wrap(rows.Err(), "enterprise: history")
}

const requestColumns = `r.id, r.number, r.enterprise_user_id, r.enterprise_name, r.credit_code, r.contact_phone, r.category, r.description,
	r.team_code, COALESCE(t.name, r.team_code), r.departments, r.status, r.version, r.round, r.escalation_level,
	r.clock_start, r.accept_due, r.propose_due, r.meeting_due, r.calendar_fallback,
	r.accepted_at, r.proposed_at, r.meeting_on, r.solution, r.reopen_reason, r.ended_at, r.created_at, r.updated_at`

const requestFrom = ` FROM ent_requests r LEFT JOIN ent_teams t ON t.code = r.team_code`

func scanRequest(sc interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var category, depts, status, accepted, proposed, ended, created, updated string
	var fallback int
	err := sc.Scan(&r.ID, &r.Number, &r.Enterprise.UserID, &r.Enterprise.Name, &r.Enterprise.CreditCode, &r.Enterprise.Phone,
		&category, &r.Description, &r.TeamCode, &r.TeamName, &depts, &status, &r.Version, &r.Round, &r.EscalationLevel,
		&r.Start, &r.AcceptDue, &r.ProposeDue, &r.MeetingDue, &fallback,
		&accepted, &proposed, &r.MeetingOn, &r.Solution, &r.ReopenReason, &ended, &created, &updated)
	if err != nil {
		return r, err
	}
	r.Category, r.Status, r.Fallback = Category(category), Status(status), fallback != 0
	json.Unmarshal([]byte(depts), &r.Departments)
	r.Departments = textlist.OrEmpty(r.Departments)
	r.AcceptedAt, r.ProposedAt, r.EndedAt = ptrTime(accepted), ptrTime(proposed), ptrTime(ended)
	r.CreatedAt, r.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	r.Breaches = []Step{}
	return r, nil
}

func ptrTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := store.ParseTime(s)
	return &t
}

// load reads a request; forUpdate locks its row on PostgreSQL (SQLite's
// write transaction already excludes other writers).
func load(ctx context.Context, q store.Querier, id int64, forUpdate bool) (Request, error) {
	query := `SELECT ` + requestColumns + requestFrom + ` WHERE r.id = ?`
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE OF r`
	}
	r, err := scanRequest(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, errNotFound()
	}
	if err != nil {
		return Request{}, apperr.Wrap(err, "enterprise: load request")
	}
	return r, nil
}

func insertRequest(ctx context.Context, tx *store.Tx, r *Request) error {
	depts, _ := json.Marshal(textlist.OrEmpty(r.Departments))
	err := tx.QueryRowContext(ctx, `
		INSERT INTO ent_requests (number, enterprise_user_id, enterprise_name, credit_code, contact_phone, category, description,
			team_code, departments, status, version, round, escalation_level, clock_start, accept_due, propose_due, meeting_due,
			calendar_fallback, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		r.Number, r.Enterprise.UserID, r.Enterprise.Name, r.Enterprise.CreditCode, r.Enterprise.Phone, string(r.Category), r.Description,
		r.TeamCode, string(depts), string(r.Status), r.Version, r.Round, r.EscalationLevel, r.Start, r.AcceptDue, r.ProposeDue, r.MeetingDue,
		store.BoolInt(r.Fallback), store.FormatTime(r.CreatedAt), store.FormatTime(r.UpdatedAt)).Scan(&r.ID)
	return apperr.Wrap(err, "enterprise: insert request")
}

// updateRequest writes r back if nobody changed it since it was read.
func updateRequest(ctx context.Context, tx *store.Tx, r *Request) error {
	depts, _ := json.Marshal(textlist.OrEmpty(r.Departments))
	res, err := tx.ExecContext(ctx, `
		UPDATE ent_requests SET departments = ?, status = ?, version = version + 1, round = ?, escalation_level = ?,
			clock_start = ?, accept_due = ?, propose_due = ?, meeting_due = ?, calendar_fallback = ?,
			accepted_at = ?, proposed_at = ?, meeting_on = ?, solution = ?, reopen_reason = ?, ended_at = ?, updated_at = ?
		WHERE id = ? AND version = ?`,
		string(depts), string(r.Status), r.Round, r.EscalationLevel, r.Start, r.AcceptDue, r.ProposeDue, r.MeetingDue, store.BoolInt(r.Fallback),
		store.StampOf(r.AcceptedAt), store.StampOf(r.ProposedAt), r.MeetingOn, r.Solution, r.ReopenReason, store.StampOf(r.EndedAt),
		store.FormatTime(r.UpdatedAt), r.ID, r.Version)
	if err != nil {
		return apperr.Wrap(err, "enterprise: update request")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "request_version_conflict",
			apperr.M("诉求已被他人更新，请刷新后重试", "the request was changed by someone else; reload and try again"))
	}
	r.Version++
	return nil
}
