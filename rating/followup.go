package rating

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
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// FollowUp is the follow-up of one bad rating.
type FollowUp struct {
	ID               int64      `json:"id"`
	RatingID         int64      `json:"rating_id"`
	ResponsibleKind  string     `json:"responsible_kind"` // department | point
	ResponsibleCode  string     `json:"responsible_code"`
	Point            string     `json:"point"`
	Status           Status     `json:"status"`
	StatusZH         string     `json:"status_zh"`
	StatusEN         string     `json:"status_en"`
	Version          int        `json:"version"`
	ContactPossible  bool       `json:"contact_possible"` // false: nobody to call back (an anonymous pad rating)
	OpenedOn         string     `json:"opened_on"`
	ContactDue       string     `json:"contact_due,omitempty"`
	RectifyDue       string     `json:"rectify_due"`
	CalendarFallback bool       `json:"calendar_fallback,omitempty"`
	ContactedAt      *time.Time `json:"contacted_at,omitempty"`
	ContactNote      string     `json:"contact_note,omitempty"`
	RectifiedAt      *time.Time `json:"rectified_at,omitempty"`
	RectifyNote      string     `json:"rectify_note,omitempty"`
	AnswerNote       string     `json:"answer_note,omitempty"`
	AppealReason     string     `json:"appeal_reason,omitempty"`
	AppealNote       string     `json:"appeal_note,omitempty"`
	EscalationLevel  int        `json:"escalation_level"`
	EndedAt          *time.Time `json:"ended_at,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	// Overdue: a step is past its due date on today and not done.
	Overdue bool `json:"overdue"`
	// OnTime: both steps were done by their days (only once put right).
	OnTime bool `json:"on_time"`

	appealFrom string
	raterID    *int64
}

// Detail is a follow-up with its rating, its history and what the caller may do.
type Detail struct {
	FollowUp
	Rating  Rating   `json:"rating"`
	Party   Party    `json:"party"`
	Allowed []Action `json:"allowed"`
	History []Event  `json:"history"`
}

// Event is one step of a follow-up's history.
type Event struct {
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Role      string    `json:"role"`
	Action    string    `json:"action"`
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	Note      string    `json:"note,omitempty"`
}

// systemActor is who the scan and the rater's amendment act as in a follow-up's history.
var systemActor = auth.User{Username: "system", Name: "系统 / system", Role: "system"}

// settingsFor returns the follow-up days of the province of point.
func settingsFor(ctx context.Context, q store.Querier, point string) (Settings, error) {
	var province string
	err := q.QueryRowContext(ctx, `SELECT COALESCE(substr(region_code, 1, 2), '') FROM service_points WHERE code = ?`, point).Scan(&province)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Settings{}, apperr.Wrap(err, "rating: point's province")
	}
	st := DefaultSettings()
	err = q.QueryRowContext(ctx, `SELECT province, contact_days, rectify_days FROM rating_settings
		WHERE province = ? OR province = '' ORDER BY province DESC LIMIT 1`, province).Scan(&st.Province, &st.ContactDays, &st.RectifyDays)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Settings{}, apperr.Wrap(err, "rating: settings")
	}
	return st, nil
}

// openFollowUp opens the follow-up of a bad rating in the rating's
// transaction, with its due dates on the working-day calendar, and tells
// whoever answers for it.
func (s *Service) openFollowUp(ctx context.Context, tx *store.Tx, r *Rating, now time.Time) error {
	st, err := settingsFor(ctx, tx, r.Point)
	if err != nil {
		return err
	}
	resp := Responsibility{Kind: ResponsiblePoint, Code: r.Point, Point: r.Point}
	if r.Subject == SubjectCase && r.Department != "" {
		resp = Responsibility{Kind: ResponsibleDepartment, Code: r.Department, Point: r.Point}
	}
	contactPossible := r.RaterUserID != nil || r.RaterPhone != ""
	dues := DueDates(s.calendar, now, st, contactPossible)
	status := Open
	if !contactPossible {
		status = Contacted // nobody to call back: the rectification is what is owed
	}
	at := store.FormatTime(now)
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO rating_followups (rating_id, responsible_kind, responsible_code, point_code, status, version, contact_possible,
			opened_on, contact_due, rectify_due, calendar_fallback, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, r.ID, resp.Kind, resp.Code, resp.Point, string(status), store.BoolInt(contactPossible),
		workday.FormatDate(workday.DateOf(now)), dues.ContactDue, dues.RectifyDue, store.BoolInt(dues.Fallback), at, at).Scan(&id)
	if err != nil {
		return apperr.Wrap(err, "rating: open follow-up")
	}
	r.FollowUpID = &id
	f := FollowUp{ID: id, RatingID: r.ID, ResponsibleKind: resp.Kind, ResponsibleCode: resp.Code, Point: resp.Point, Status: status}
	note := fmt.Sprintf("%s %s", dues.ContactDue, dues.RectifyDue)
	if err := appendEvent(ctx, tx, systemActor, id, eventOpen, "", status, strings.TrimSpace(note), now); err != nil {
		return err
	}
	return outbox.Add(ctx, tx, now, "rating.followup.opened", map[string]any{"followup": id, "rating": r.ID, "subject": r.Subject, "ref": r.SubjectRef, "level": r.Level,
		"contact_due": dues.ContactDue, "rectify_due": dues.RectifyDue}, responsibleRecipients(&f)...)
}

// withdrawFollowUp ends a follow-up whose rating its rater turned good.
func (s *Service) withdrawFollowUp(ctx context.Context, tx *store.Tx, actor auth.User, id int64, now time.Time) error {
	f, err := loadFollowUp(ctx, tx, id, true)
	if err != nil {
		return err
	}
	if f.Status.Final() {
		return nil
	}
	at := store.FormatTime(now)
	if _, err := tx.ExecContext(ctx, `UPDATE rating_followups SET status = ?, version = version + 1, ended_at = ?, updated_at = ? WHERE id = ?`,
		string(Withdrawn), at, at, id); err != nil {
		return apperr.Wrap(err, "rating: withdraw follow-up")
	}
	return appendEvent(ctx, tx, actor, id, eventWithdraw, f.Status, Withdrawn, "", now)
}

func responsibleRecipients(f *FollowUp) []string {
	if f.ResponsibleKind == ResponsibleDepartment {
		return []string{"department:" + f.ResponsibleCode + ":reviewers", "point:" + f.Point + ":hall_manager"}
	}
	return []string{"point:" + f.Point + ":hall_manager"}
}

func appendEvent(ctx context.Context, tx *store.Tx, actor auth.User, id int64, action string, from, to Status, note string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO rating_followup_events (followup_id, at, actor_id, actor_name, role, action, from_state, to_state, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, store.FormatTime(now), actor.ID, actor.Name, string(actor.Role), action,
		string(from), string(to), note)
	return apperr.Wrap(err, "rating: follow-up event")
}

const followUpColumns = `f.id, f.rating_id, f.responsible_kind, f.responsible_code, f.point_code, f.status, f.version, f.contact_possible,
	f.opened_on, f.contact_due, f.rectify_due, f.calendar_fallback, f.contacted_at, f.contact_note, f.rectified_at, f.rectify_note,
	f.answer_note, f.appeal_from, f.appeal_reason, f.appeal_note, f.escalation_level, f.ended_at, f.created_at, f.updated_at, r.rater_user_id`

const followUpFrom = ` FROM rating_followups f JOIN ratings r ON r.id = f.rating_id`

func scanFollowUp(sc interface{ Scan(...any) error }) (FollowUp, error) {
	var f FollowUp
	var status, contacted, rectified, ended, created, updated string
	var possible, fallback int
	var rater sql.NullInt64
	err := sc.Scan(&f.ID, &f.RatingID, &f.ResponsibleKind, &f.ResponsibleCode, &f.Point, &status, &f.Version, &possible,
		&f.OpenedOn, &f.ContactDue, &f.RectifyDue, &fallback, &contacted, &f.ContactNote, &rectified, &f.RectifyNote,
		&f.AnswerNote, &f.appealFrom, &f.AppealReason, &f.AppealNote, &f.EscalationLevel, &ended, &created, &updated, &rater)
	if err != nil {
		return f, err
	}
	f.Status, f.ContactPossible, f.CalendarFallback = Status(status), possible != 0, fallback != 0
	f.ContactedAt, f.RectifiedAt, f.EndedAt = ptrTime(contacted), ptrTime(rectified), ptrTime(ended)
	f.CreatedAt, f.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	f.raterID = ptrInt(rater)
	f.StatusZH, f.StatusEN = StatusNames[f.Status].ZH, StatusNames[f.Status].EN
	return f, nil
}

// judge fills Overdue and OnTime as the follow-up stands on today.
func (f *FollowUp) judge(today string) {
	f.Overdue = len(DueLevels(f.Status, f.ContactDue, f.RectifyDue, today)) > 0
	f.OnTime = OnTime(f.ContactDue, f.RectifyDue, civil(f.ContactedAt), civil(f.RectifiedAt))
}

func civil(t *time.Time) string {
	if t == nil {
		return ""
	}
	return workday.FormatDate(workday.DateOf(*t))
}

func ptrTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := store.ParseTime(s)
	return &t
}

func loadFollowUp(ctx context.Context, q store.Querier, id int64, forUpdate bool) (FollowUp, error) {
	query := `SELECT ` + followUpColumns + followUpFrom + ` WHERE f.id = ?`
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE OF f`
	}
	f, err := scanFollowUp(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return FollowUp{}, errFollowUpNotFound()
	}
	return f, apperr.Wrap(err, "rating: load follow-up")
}

func (f *FollowUp) responsibility() Responsibility {
	return Responsibility{Kind: f.ResponsibleKind, Code: f.ResponsibleCode, Point: f.Point}
}

// partyFor returns actor's part in f, or the refusal to show it: "not
// found" for applicants (an id reveals nothing), "out of scope" for staff.
func partyFor(actor auth.User, f *FollowUp) (Party, error) {
	p := PartyOf(actor, f.responsibility(), f.raterID)
	if p != PartyNone {
		return p, nil
	}
	if actor.Role == auth.RoleApplicant {
		return p, errFollowUpHidden()
	}
	e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该差评不由您所在的部门或网点整改", "this follow-up is not your department's or point's"))
	e.Denied = true
	return p, e
}

// GetFollowUp returns a follow-up with its rating and history, if actor may see it.
// The rater's number is whole for those who call back and for the rater.
func (s *Service) GetFollowUp(ctx context.Context, actor auth.User, id int64) (Detail, error) {
	f, err := loadFollowUp(ctx, s.db, id, false)
	if err != nil {
		return Detail{}, err
	}
	party, err := partyFor(actor, &f)
	if err != nil {
		return Detail{}, err
	}
	f.judge(workday.FormatDate(workday.DateOf(s.Now())))
	d := Detail{FollowUp: f, Party: party, Allowed: Allowed(f.Status, party)}
	if d.Rating, err = s.loadRating(ctx, s.db, f.RatingID); err != nil {
		return Detail{}, err
	}
	if party == PartyViewer {
		d.Rating = d.Rating.masked()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT at, actor_name, role, action, from_state, to_state, note
		FROM rating_followup_events WHERE followup_id = ? ORDER BY id`, id)
	if err != nil {
		return Detail{}, apperr.Wrap(err, "rating: history")
	}
	defer rows.Close()
	d.History = []Event{}
	for rows.Next() {
		var e Event
		var at, from, to string
		if err := rows.Scan(&at, &e.ActorName, &e.Role, &e.Action, &from, &to, &e.Note); err != nil {
			return Detail{}, apperr.Wrap(err, "rating: history")
		}
		e.At, e.From, e.To = store.ParseTime(at), Status(from), Status(to)
		d.History = append(d.History, e)
	}
	return d, apperr.Wrap(rows.Err(), "rating: history")
}

// FollowUpFilter narrows a list of follow-ups.
type FollowUpFilter struct {
	Statuses []Status
	Overdue  bool
	Limit    int
	Offset   int
}

// FollowUps lists the follow-ups actor may see, oldest due first: an
// administrator all, a reviewer the department's, a hall manager the
// point's, an applicant those of their own ratings.
func (s *Service) FollowUps(ctx context.Context, actor auth.User, flt FollowUpFilter) ([]FollowUp, int, error) {
	var where []string
	var args []any
	switch {
	case actor.Disabled:
		return nil, 0, apperr.RoleNotAllowed(apperr.Msg{})
	case actor.Role == auth.RoleAdmin:
		where = append(where, "1 = 1")
	case actor.Role == auth.RoleReviewer && actor.DepartmentCode != "":
		where, args = append(where, "f.responsible_kind = 'department' AND f.responsible_code = ?"), append(args, actor.DepartmentCode)
	case actor.Role == auth.RoleHallManager && actor.PointCode != "":
		where, args = append(where, "f.point_code = ?"), append(args, actor.PointCode)
	case actor.Role == auth.RoleApplicant:
		where, args = append(where, "r.rater_user_id = ?"), append(args, actor.ID)
	default:
		return nil, 0, apperr.RoleNotAllowed(apperr.Msg{})
	}
	if len(flt.Statuses) > 0 {
		marks := make([]string, len(flt.Statuses))
		for i, st := range flt.Statuses {
			marks[i] = "?"
			args = append(args, string(st))
		}
		where = append(where, "f.status IN ("+strings.Join(marks, ", ")+")")
	}
	today := workday.FormatDate(workday.DateOf(s.Now()))
	if flt.Overdue {
		where = append(where, `((f.status = 'open' AND f.contact_due <> '' AND f.contact_due < ?)
			OR (f.status IN ('open', 'contacted', 'contested') AND f.rectify_due < ?))`)
		args = append(args, today, today)
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+followUpFrom+` WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "rating: count follow-ups")
	}
	if flt.Limit <= 0 || flt.Limit > 200 {
		flt.Limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+followUpColumns+followUpFrom+` WHERE `+w+
		` ORDER BY f.rectify_due, f.id LIMIT ? OFFSET ?`, append(args, flt.Limit, flt.Offset)...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "rating: list follow-ups")
	}
	defer rows.Close()
	out := []FollowUp{}
	for rows.Next() {
		f, err := scanFollowUp(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "rating: list follow-ups")
		}
		f.judge(today)
		out = append(out, f)
	}
	return out, total, apperr.Wrap(rows.Err(), "rating: list follow-ups")
}

// ActRequest carries what a follow-up step needs.
type ActRequest struct {
	Version *int   `json:"version,omitempty"` // the version the user saw; a mismatch is a 409
	Note    string `json:"note,omitempty"`    // contact, rectify, appeal: required; what was said, done or why
}

const maxNoteLen = 2000

// ActFollowUp takes one step of follow-up id as actor, in one transaction
// with its history, notifications and audit record.
func (s *Service) ActFollowUp(ctx context.Context, actor auth.User, id int64, action Action, req ActRequest) (Detail, error) {
	if _, ok := followUpLifecycle.Rules[action]; !ok {
		return Detail{}, apperr.New(apperr.NotFound, "unknown_action", apperr.M("未知的操作", "unknown action")).With("action", action)
	}
	req.Note = strings.TrimSpace(req.Note)
	var fe apperr.Fields
	switch n := utf8.RuneCountInString(req.Note); {
	case n == 0 && (action == Contact || action == Rectify || action == Appeal || action == Contest):
		fe.Add("note", "required", apperr.M("请填写"+map[Action]string{Contact: "回访情况", Rectify: "整改情况", Appeal: "申诉理由", Contest: "异议内容"}[action],
			"note is required: say what was "+map[Action]string{Contact: "said", Rectify: "done", Appeal: "unfair", Contest: "still wrong"}[action]))
	case n > maxNoteLen:
		fe.Add("note", "too_long", apperr.M("说明不超过2000字", "note has at most 2000 characters"))
	}
	if err := fe.Err(); err != nil {
		return Detail{}, err
	}
	now := s.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		f, err := loadFollowUp(ctx, tx, id, true)
		if err != nil {
			return err
		}
		party, err := partyFor(actor, &f)
		if err != nil {
			return err
		}
		if req.Version != nil && *req.Version != f.Version {
			return apperr.New(apperr.Conflict, "followup_version_conflict",
				apperr.M("整改单已被他人更新，请刷新后重试", "the follow-up was changed by someone else; reload and try again")).
				With("status", f.Status).With("version", f.Version)
		}
		to, err := Next(f.Status, action, party)
		if err != nil {
			return err
		}
		return s.step(ctx, tx, actor, &f, action, to, req.Note, now)
	})
	if err != nil {
		return Detail{}, err
	}
	return s.GetFollowUp(ctx, actor, id)
}

// step writes one step: the follow-up, its history, the rating's mark (an
// upheld appeal), the notifications and the audit record.
func (s *Service) step(ctx context.Context, tx *store.Tx, actor auth.User, f *FollowUp, action Action, to Status, note string, now time.Time) error {
	at := store.FormatTime(now)
	from := f.Status
	sets := []string{"status = ?", "version = version + 1", "updated_at = ?"}
	var args []any
	var recipients []string
	switch action {
	case Contact:
		sets, args = append(sets, "contacted_at = ?", "contact_note = ?"), append(args, at, note)
	case Rectify:
		sets, args = append(sets, "rectified_at = ?", "rectify_note = ?"), append(args, at, note)
		if f.raterID != nil {
			recipients = []string{outbox.User(*f.raterID)}
		}
	case Confirm, Contest:
		sets, args = append(sets, "answer_note = ?"), append(args, note)
		if action == Confirm {
			sets, args = append(sets, "ended_at = ?"), append(args, at)
		}
		recipients = responsibleRecipients(f)
	case Appeal:
		sets, args = append(sets, "appeal_from = ?", "appeal_reason = ?"), append(args, string(from), note)
		recipients = []string{"role:admin"}
	case UpholdAppeal:
		sets, args = append(sets, "appeal_note = ?", "ended_at = ?"), append(args, note, at)
		if _, err := tx.ExecContext(ctx, `UPDATE ratings SET appeal_upheld = 1 WHERE id = ?`, f.RatingID); err != nil {
			return apperr.Wrap(err, "rating: mark rating")
		}
		recipients = responsibleRecipients(f)
	case RejectAppeal:
		to = Status(f.appealFrom)
		if to == "" {
			to = Open
		}
		sets, args = append(sets, "appeal_note = ?"), append(args, note)
		recipients = responsibleRecipients(f)
	}
	args = append([]any{string(to), at}, args...)
	res, err := tx.ExecContext(ctx, `UPDATE rating_followups SET `+strings.Join(sets, ", ")+` WHERE id = ? AND version = ?`,
		append(args, f.ID, f.Version)...)
	if err != nil {
		return apperr.Wrap(err, "rating: update follow-up")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "followup_version_conflict",
			apperr.M("整改单已被他人更新，请刷新后重试", "the follow-up was changed by someone else; reload and try again"))
	}
	if err := appendEvent(ctx, tx, actor, f.ID, string(action), from, to, note, now); err != nil {
		return err
	}
	if err := outbox.Add(ctx, tx, now, "rating.followup."+string(action), map[string]any{"followup": f.ID, "rating": f.RatingID, "status": to, "action": action}, recipients...); err != nil {
		return err
	}
	detail, _ := json.Marshal(map[string]any{"from": from, "to": to, "version": f.Version + 1})
	_, err = audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: "rating_followup." + string(action), Object: "rating_followup:" + strconv.FormatInt(f.ID, 10), Outcome: audit.OK,
		Detail: string(detail)})
	return err
}
