package cases

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Filter selects cases for a list or a work queue.
type Filter struct {
	States     []State
	Department string
	Point      string
	Number     string
	SLA        string    // on_time | warning | overdue | paused: open cases by where they stand today
	Since      time.Time // when set, only cases created at or after it (a day's cases)
	Sort       string    // "due" (work queues: open cases, earliest promised date first) or "" (newest first)
	Limit      int
	Offset     int
}

// List returns the cases actor may see that match f. The caller's scope is
// part of the query, and staff get the applicants' numbers masked
// (Case.ShownTo), so no handler can forget either. Matching (an
// applicant's own cases by identity number) reads the stored numbers, whole.
func (s *Service) List(ctx context.Context, actor auth.User, f Filter) ([]Case, int, error) {
	var where []string
	var args []any
	switch actor.Role {
	case RoleAdmin:
	case RoleApplicant:
		// The same rule as ownsCase, as SQL.
		switch {
		case actor.Kind == "person" && actor.IDNumber != "" && actor.IdentityUnverified:
			where = append(where, "(applicant_user_id = ? OR (applicant_id_number = ? AND applicant_kind = 'person' AND applicant_phone <> '' AND applicant_phone = ?))")
			args = append(args, actor.ID, actor.IDNumber, actor.Phone)
		case actor.Kind == "person" && actor.IDNumber != "":
			where = append(where, "(applicant_user_id = ? OR (applicant_id_number = ? AND applicant_kind = 'person'))")
			args = append(args, actor.ID, actor.IDNumber)
		case actor.Kind == "enterprise" && actor.CreditCode != "":
			where = append(where, "(applicant_user_id = ? OR (applicant_credit = ? AND applicant_kind = 'enterprise'))")
			args = append(args, actor.ID, actor.CreditCode)
		default:
			where, args = append(where, "applicant_user_id = ?"), append(args, actor.ID)
		}
		if codes := actor.ActsFor(); len(codes) > 0 {
			// And the cases of the enterprises the person acts for.
			ph := strings.TrimSuffix(strings.Repeat("?,", len(codes)), ",")
			where[len(where)-1] = "(" + where[len(where)-1] + " OR (applicant_kind = 'enterprise' AND applicant_credit IN (" + ph + ")))"
			for _, code := range codes {
				args = append(args, code)
			}
		}
	case RoleReviewer:
		where, args = append(where, "department_code = ?"), append(args, actor.DepartmentCode)
	case RoleFrontDesk, RoleIssuer, RoleHallManager:
		where, args = append(where, "point_code = ?"), append(args, actor.PointCode)
	default:
		return nil, 0, errScope()
	}
	if f.Sort == "due" && len(f.States) == 0 {
		// A work queue is the cases still to be worked on: sorting a
		// department's whole history by due date would put last year's closed
		// cases first and read every one of them.
		f.States = openStates
	}
	today := workday.FormatDate(workday.DateOf(s.Now()))
	slaDayCond, slaDayArgs, running := slaDays(f.SLA, today)
	if running && statesAllowRunning(f.States) {
		// The running condition names the states the index holds.
		f.States = nil
	}
	switch {
	case len(f.States) == 0:
	case queueStatesSQL(f.States) != "":
		// Written out, so that the engines may read the index that holds
		// those cases only (cases_open_queue, cases_review_queue,
		// cases_issue_queue): SQLite uses a partial index only when the query
		// repeats its condition, not through parameters.
		where = append(where, queueStatesSQL(f.States))
	case len(f.States) > 0:
		ph := strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",")
		where = append(where, "state IN ("+ph+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.Department != "" {
		where, args = append(where, "department_code = ?"), append(args, f.Department)
	}
	if f.Point != "" {
		where, args = append(where, "point_code = ?"), append(args, f.Point)
	}
	if f.Number != "" {
		where, args = append(where, "number = ?"), append(args, f.Number)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, f.Since.UTC().Format(store.TimeFormat))
	}
	if f.SLA != "" {
		cond, condArgs, err := slaCondition(f.SLA, today)
		if err != nil {
			return nil, 0, err
		}
		where, args = append(where, cond), append(args, condArgs...)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	// A list narrowed by point, department and state only is counted from
	// the counts kept per point, department and state (case_state_counts,
	// kept by triggers on cases): a point's whole history is a few rows
	// there. The others (an applicant's own, a number, a time-limit status)
	// are small, or open cases only, and counted in cases; so are a day's
	// cases (Since), which the kept counts cannot tell apart.
	countFrom := "cases"
	if actor.Role != RoleApplicant && f.Number == "" && f.SLA == "" && f.Since.IsZero() {
		countFrom = "case_state_counts"
		if f.Point == "" && (actor.Role == RoleReviewer || actor.Role == RoleAdmin) {
			// No point in the condition: the counts per department and state
			// are a few rows where those per point are thousands.
			countFrom = "case_state_counts_departments"
		}
	}
	var total int
	pageCond, pageArgs, pageFrom := cond, args, "cases"
	if column, arg, ok := keptSLAScope(actor, f, running); ok {
		if column == "" {
			pageFrom = runningEveryPoint(s.db.Dialect())
		}
		// A list by running time-limit status of one point or department
		// (or all): its total from the kept counts, and its page read up to
		// the latest due day among them.
		var lastDue string
		q, qArgs := keptSLACount(column, slaDayCond), slaDayArgs
		if column != "" {
			qArgs = append([]any{arg}, slaDayArgs...)
		}
		if err := s.db.QueryRowContext(ctx, q, qArgs...).Scan(&total, &lastDue); err != nil {
			return nil, 0, apperr.Wrap(err, "cases: count")
		}
		if total == 0 {
			return []Case{}, 0, nil
		}
		pageCond, pageArgs = cond+" AND promised_due <= ?", append(slices.Clip(args), lastDue)
	} else if err := s.db.QueryRowContext(ctx, countQuery(countFrom, cond), args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "cases: count")
	}
	order := " ORDER BY created_at DESC, id DESC"
	if running {
		order = runningOrder
	} else if f.Sort == "due" {
		// Cases without a due date yet (not accepted) come last.
		order = " ORDER BY CASE WHEN promised_due = '' THEN 1 ELSE 0 END, promised_due, id"
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	if limit > 200 {
		limit = 200
	}
	query := `SELECT ` + caseColumns + ` FROM cases` + pageCond + order + ` LIMIT ? OFFSET ?`
	if f.SLA != "" {
		query = pageByIDs(pageFrom, pageCond, order)
	}
	rows, err := s.db.QueryContext(ctx, query, append(pageArgs, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "cases: list")
	}
	defer rows.Close()
	out := []Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "cases: list")
		}
		c = c.ShownTo(actor)
		out = append(out, c)
	}
	return out, total, apperr.Wrap(rows.Err(), "cases: list")
}

// openStates are the states of a case still to be worked on by its
// department: a work queue's, and the condition of the index that holds them.
var openStates = []State{Accepted, InReview, SupplementNeeded}

// openStatesSQL is openStates as the index's condition writes them.
const openStatesSQL = "state IN ('accepted', 'in_review', 'supplement_required')"

// ReviewQueueStates are the states of a department's review queue on the
// web pages: the open cases and the decided ones waiting for their result.
var ReviewQueueStates = []State{Accepted, InReview, SupplementNeeded, Approved, Refused}

// IssueQueueStates are the states of an issuing window's queue: decided
// cases to make a result for, results to hand out, results handed out.
var IssueQueueStates = []State{ReadyForIssue, Approved, Refused, Issued}

// queueIndexes are the state sets of the work queues, each with the
// condition of the partial index that holds its cases in the queue's order
// (migrations 00018 and 00038), written as the index writes it.
var queueIndexes = []struct {
	states []State
	sql    string
}{
	{openStates, openStatesSQL},
	{ReviewQueueStates, "state IN ('accepted', 'in_review', 'supplement_required', 'approved', 'refused')"},
	{IssueQueueStates, "state IN ('ready_for_issue', 'approved', 'refused', 'issued')"},
}

// queueStatesSQL is the index condition of a queue's state set, or "" for
// a set that is no queue's.
func queueStatesSQL(states []State) string {
	for _, q := range queueIndexes {
		if sameStates(states, q.states) {
			return q.sql
		}
	}
	return ""
}

// sameStates reports whether a and b hold the same states, in any order.
func sameStates(a, b []State) bool {
	if len(a) != len(b) {
		return false
	}
	for _, st := range a {
		if !slices.Contains(b, st) {
			return false
		}
	}
	return true
}

// keptSLAScope tells whether a list by time-limit status is counted from
// the kept counts by running status (case_sla_points,
// case_sla_departments), and of which point or department (column and its
// value; no column: every department): a running status, no applicant's
// own, number, day or state of its own, and at most one point or
// department in its condition (the scope's and the filter's). The others
// are counted in cases.
func keptSLAScope(actor auth.User, f Filter, running bool) (column string, value any, ok bool) {
	if !running || actor.Role == RoleApplicant || f.Number != "" || !f.Since.IsZero() || len(f.States) > 0 {
		return "", nil, false
	}
	if scope, _ := scopePoint(actor); scope && actor.PointCode == "" || actor.Role == RoleReviewer && actor.DepartmentCode == "" {
		return "", nil, false // a scope of nothing: the query's condition says so
	}
	var points, departments []string
	_, point := scopePoint(actor)
	for _, p := range []string{f.Point, point} {
		if p != "" && !slices.Contains(points, p) {
			points = append(points, p)
		}
	}
	for _, d := range []string{f.Department, scopeDepartment(actor)} {
		if d != "" && !slices.Contains(departments, d) {
			departments = append(departments, d)
		}
	}
	switch {
	case len(points)+len(departments) == 0:
		return "", nil, true
	case len(points) == 1 && len(departments) == 0:
		return "point_code", points[0], true
	case len(departments) == 1 && len(points) == 0:
		return "department_code", departments[0], true
	}
	return "", nil, false
}

// scopePoint tells whether List limits actor to a point, and which.
func scopePoint(actor auth.User) (bool, string) {
	switch actor.Role {
	case RoleFrontDesk, RoleIssuer, RoleHallManager:
		return true, actor.PointCode
	}
	return false, ""
}

// scopeDepartment is the department List limits actor to, if any.
func scopeDepartment(actor auth.User) string {
	if actor.Role == RoleReviewer {
		return actor.DepartmentCode
	}
	return ""
}

// countQuery counts the cases matching cond, in cases or in the kept counts
// (whose columns point_code, department_code and state are those of cases;
// case_state_counts_departments has no point_code).
func countQuery(from, cond string) string {
	if from != "cases" {
		return `SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM ` + from + cond
	}
	return `SELECT COUNT(*) FROM cases` + cond
}

// Verification is what anyone may learn from a verification code: that of
// a single case's result (kind "case"), or that of a bundle's (一件事, kind
// "bundle"), which shows the bundle's state and each member's result.
type Verification struct {
	Kind      string           `json:"kind"` // case | bundle
	Number    string           `json:"number"`
	ItemName  string           `json:"item_name"`        // the bundle's name for a bundle
	Result    State            `json:"result,omitempty"` // a case's decision: approved or refused
	State     State            `json:"state,omitempty"`  // a bundle's state: issued, or accepted while members are still open
	Applicant string           `json:"applicant"`        // see PublicName
	IssuedAt  time.Time        `json:"issued_at"`        // a bundle's latest issue
	Point     string           `json:"point"`
	Members   []VerifiedMember `json:"members,omitempty"` // a bundle's members, in the bundle's order
}

// VerifiedMember is one member of a bundle as its verification shows it.
type VerifiedMember struct {
	ItemName string `json:"item_name"`
	Number   string `json:"number,omitempty"` // empty while the member has not started (or never will)
	State    State  `json:"state,omitempty"`
	Result   State  `json:"result,omitempty"` // approved or refused, once its result is issued
}

// Kinds of verification.
const (
	VerifyCase   = "case"
	VerifyBundle = "bundle"
)

// errUnknownCode answers a verification code that is neither a case's nor a bundle's.
func errUnknownCode() error {
	return apperr.NotFoundf("verify_code_unknown", apperr.M("核验码不存在，结果不可信", "unknown verification code: the result cannot be trusted"))
}

// Verify looks up a result by its verification code (public): a single
// case's, or else a bundle's.
func (s *Service) Verify(ctx context.Context, code string) (Verification, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return Verification{}, errUnknownCode()
	}
	v := Verification{Kind: VerifyCase}
	var kind, issued string
	var refusals int
	err := s.db.QueryRowContext(ctx, `
		SELECT c.number, c.item_name, c.applicant_kind, c.applicant_name, c.issued_at, COALESCE(p.name, c.point_code),
			(SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.action = 'refuse')
		FROM cases c LEFT JOIN service_points p ON p.code = c.point_code
		WHERE c.verify_code = ?`, code).Scan(&v.Number, &v.ItemName, &kind, &v.Applicant, &issued, &v.Point, &refusals)
	if errors.Is(err, sql.ErrNoRows) {
		return s.verifyBundle(ctx, code)
	}
	if err != nil {
		return Verification{}, apperr.Wrap(err, "cases: verify")
	}
	v.IssuedAt = store.ParseTime(issued)
	v.Result = Approved
	if refusals > 0 {
		v.Result = Refused
	}
	v.Applicant = PublicName(kind, v.Applicant)
	return v, nil
}

// verifyBundle looks up a bundle's result by its verification code.
func (s *Service) verifyBundle(ctx context.Context, code string) (Verification, error) {
	var id int64
	var point string
	err := s.db.QueryRowContext(ctx, `
		SELECT b.id, COALESCE(p.name, b.point_code)
		FROM bundle_cases b LEFT JOIN service_points p ON p.code = b.point_code
		WHERE b.verify_code = ?`, code).Scan(&id, &point)
	if errors.Is(err, sql.ErrNoRows) {
		return Verification{}, errUnknownCode()
	}
	if err != nil {
		return Verification{}, apperr.Wrap(err, "cases: verify bundle")
	}
	b, err := s.loadBundleCase(ctx, s.db, id, false)
	if err != nil {
		return Verification{}, err
	}
	if err := s.fillMembers(ctx, s.db, &b); err != nil {
		return Verification{}, err
	}
	v := Verification{Kind: VerifyBundle, Number: b.Number, ItemName: b.BundleName, State: b.State,
		Applicant: PublicName(b.Applicant.Kind, b.Applicant.Name), Point: point, Members: []VerifiedMember{}}
	if b.IssuedAt != nil {
		v.IssuedAt = *b.IssuedAt
	}
	for _, m := range b.Members {
		vm := VerifiedMember{ItemName: m.ItemName, Number: m.Number, State: m.State}
		if m.State == Issued || m.State == Closed {
			vm.Result = Approved
			if m.Refused {
				vm.Result = Refused
			}
		}
		v.Members = append(v.Members, vm)
	}
	return v, nil
}

// PublicName is an applicant's name as pages and answers open to anyone show
// it. A person's name is masked whatever its length (ident.MaskName: the
// first character stays, every other one becomes *, so 阿卜杜热西提·买买提 is
// shown as 阿*****·***); an enterprise's registered name is public and stays
// whole. The applicant's kind decides, never the name's length; a kind other
// than enterprise counts as a person.
func PublicName(kind, name string) string {
	if kind == auth.KindEnterprise {
		return name
	}
	return ident.MaskName(name)
}
