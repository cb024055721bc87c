package rating

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Service keeps ratings and their follow-ups on a database. Every method
// that changes something takes who acts (an account, or the pad or link it
// came through), checks it, and writes the audit record in its transaction.
type Service struct {
	db       *store.DB
	calendar workday.Calendar
	// Now is the server's clock (package clock): ratings, the 7-day and
	// 10-minute windows and the follow-up clock are read from it.
	Now clock.Clock
	// PublicURL begins the links written into invitations
	// (https://zwfw.example.cn); empty leaves them as paths (/rate/…).
	PublicURL string
	// Clients limits ratings through the anonymous doors (a link, per client
	// address; a pad, per window) and by each account, so that one client
	// cannot rate in bulk.
	Clients *hall.Limiter

	keyMu sync.Mutex
	key   []byte
}

// NewService returns a Service counting follow-up deadlines on cal.
func NewService(db *store.DB, cal workday.Calendar, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, calendar: cal, Now: clk, Clients: hall.NewLimiter(10, 10*time.Minute)}
}

// Rating is one rating of a case or a visit.
type Rating struct {
	ID           int64     `json:"id"`
	Subject      Subject   `json:"subject"`
	CaseID       *int64    `json:"case_id,omitempty"`
	TicketID     *int64    `json:"ticket_id,omitempty"`
	SubjectRef   string    `json:"subject_ref"` // the case number, or the day and number of the ticket
	ItemName     string    `json:"item_name,omitempty"`
	Point        string    `json:"point"`
	Department   string    `json:"department,omitempty"`
	Window       string    `json:"window,omitempty"`
	StaffID      *int64    `json:"staff_id,omitempty"`
	StaffName    string    `json:"staff_name,omitempty"`
	Level        Level     `json:"level"`
	LevelZH      string    `json:"level_zh"`
	LevelEN      string    `json:"level_en"`
	Tags         []Tag     `json:"tags"`
	Comment      string    `json:"comment,omitempty"`
	Channel      Channel   `json:"channel"`
	RaterUserID  *int64    `json:"rater_user_id,omitempty"`
	RaterName    string    `json:"rater_name,omitempty"`
	RaterPhone   string    `json:"rater_phone,omitempty"`
	RealName     bool      `json:"real_name"`
	RecordedBy   *int64    `json:"recorded_by,omitempty"` // the front desk that recorded a telephone rating
	AppealUpheld bool      `json:"appeal_upheld"`         // marked unfair on appeal: kept, left out of the figures
	Amendments   int       `json:"amendments"`
	Month        string    `json:"month"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// AmendableUntil is the end of the 7 days in which the rater may change it.
	AmendableUntil time.Time `json:"amendable_until"`
	FollowUpID     *int64    `json:"followup_id,omitempty"`
}

// Bad reports whether the rating is a bad one.
func (r *Rating) Bad() bool { return r.Level.Bad() }

// masked hides the rater's number, for lists shown to staff.
func (r Rating) masked() Rating {
	if r.RaterPhone != "" {
		r.RaterPhone = ident.MaskPhone(r.RaterPhone)
	}
	return r
}

// subject is what a rating is about, read from the cases or the hall.
type subject struct {
	kind       Subject
	caseID     *int64
	ticketID   *int64
	ref        string
	itemName   string
	point      string
	department string
	window     string
	staffID    *int64
	staffName  string
	served     []int64 // staff who served it: none of them may record its rating
	ratable    bool
	finishedAt time.Time // a visit: when the ticket was finished
	// The rater when known: the applicant's account, name and number.
	ownerID    *int64
	ownerName  string
	ownerPhone string
	theCase    *cases.Case // for the ownership rule (cases.OwnedBy)
}

// loadCase reads the case to rate with what a rating copies from it.
func loadCase(ctx context.Context, q store.Querier, where string, arg any) (subject, error) {
	var sub subject
	var c cases.Case
	var id int64
	var state string
	var user, accepted, decided, issued, acting sql.NullInt64
	var refused int
	err := q.QueryRowContext(ctx, `
		SELECT c.id, c.number, c.item_name, c.point_code, c.department_code, c.state,
			c.applicant_user_id, c.applicant_kind, c.applicant_name, c.applicant_id_number, c.applicant_credit, c.applicant_phone,
			c.accepted_by, c.decided_by, c.issued_by, c.acting_staff_id, COALESCE(u.name, ''),
			COALESCE((SELECT MIN(t.window_code) FROM hall_ticket_cases tc JOIN hall_tickets t ON t.id = tc.ticket_id WHERE tc.case_id = c.id), ''),
			CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'refuse') THEN 1 ELSE 0 END
		FROM cases c LEFT JOIN users u ON u.id = c.accepted_by
		WHERE `+where, arg).Scan(&id, &c.Number, &c.ItemName, &c.PointCode, &c.DepartmentCode, &state,
		&user, &c.Applicant.Kind, &c.Applicant.Name, &c.Applicant.IDNumber, &c.Applicant.CreditCode, &c.Applicant.Phone,
		&accepted, &decided, &issued, &acting, &sub.staffName, &sub.window, &refused)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, errNotFound()
	}
	if err != nil {
		return sub, apperr.Wrap(err, "rating: load case")
	}
	c.ID, c.State = id, cases.State(state)
	c.Applicant.UserID = ptrInt(user)
	sub.kind, sub.caseID, sub.ref, sub.itemName = SubjectCase, &id, c.Number, c.ItemName
	sub.point, sub.department = c.PointCode, c.DepartmentCode
	sub.staffID = ptrInt(accepted)
	for _, v := range []sql.NullInt64{accepted, decided, issued, acting} {
		if v.Valid {
			sub.served = append(sub.served, v.Int64)
		}
	}
	sub.ratable = RatableCase(c.State, refused == 1)
	sub.ownerID, sub.ownerName, sub.ownerPhone = c.Applicant.UserID, c.Applicant.Name, c.Applicant.Phone
	sub.theCase = &c
	return sub, nil
}

// loadTicket reads the visit to rate: a ticket of point.
func loadTicket(ctx context.Context, q store.Querier, point string, id int64) (subject, error) {
	var sub subject
	var day, number, status, finished string
	var user, staff sql.NullInt64
	err := q.QueryRowContext(ctx, `
		SELECT t.day, t.number, t.status, t.user_id, t.holder_name, t.window_code, t.staff_id, t.finished_at, COALESCE(u.name, ''),
			COALESCE((SELECT MIN(tc.item_name) FROM hall_ticket_cases tc WHERE tc.ticket_id = t.id), '')
		FROM hall_tickets t LEFT JOIN users u ON u.id = t.staff_id
		WHERE t.id = ? AND t.point_code = ?`, id, point).Scan(&day, &number, &status, &user, &sub.ownerName, &sub.window, &staff,
		&finished, &sub.staffName, &sub.itemName)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, errNotFound()
	}
	if err != nil {
		return sub, apperr.Wrap(err, "rating: load ticket")
	}
	sub.kind, sub.ticketID, sub.ref, sub.point = SubjectVisit, &id, day+" "+number, point
	sub.staffID, sub.ownerID = ptrInt(staff), ptrInt(user)
	if staff.Valid {
		sub.served = []int64{staff.Int64}
	}
	sub.ratable = RatableVisit(status)
	if finished != "" {
		sub.finishedAt = store.ParseTime(finished)
	}
	return sub, nil
}

// rater is who gives a rating and how to reach them.
type rater struct {
	userID     *int64
	name       string
	phone      string
	realName   bool
	recordedBy *int64
}

// rate records req about sub, or amends the rating already there, in one
// transaction with its follow-up and audit record. sub is re-read inside
// the transaction by reload, so that the checks see what is committed.
func (s *Service) rate(ctx context.Context, actor auth.User, channel Channel, req RateRequest,
	reload func(tx *store.Tx) (subject, error), check func(sub *subject) error, whoRates func(sub *subject) rater,
	actorAfterReload *auth.User) (Rating, error) {
	tags, err := req.validate()
	if err != nil {
		return Rating{}, err
	}
	now := s.Now()
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		sub, err := reload(tx)
		if err != nil {
			return err
		}
		if actorAfterReload != nil {
			actor = *actorAfterReload // a link's rater is known once its case is read
		}
		if err := check(&sub); err != nil {
			return err
		}
		if !sub.ratable {
			return apperr.New(apperr.Conflict, "not_ratable", apperr.M("办结或出证后才能评价", "it can be rated once it is decided and the result given"))
		}
		who := whoRates(&sub)
		old, found, err := ratingOf(ctx, tx, &sub)
		if err != nil {
			return err
		}
		if found {
			if err := mayAmend(&old, channel, now); err != nil {
				return err
			}
			id = old.ID
			return s.amend(ctx, tx, actor, &old, Level(req.Level), tags, req.Comment, now)
		}
		r := Rating{Subject: sub.kind, CaseID: sub.caseID, TicketID: sub.ticketID, SubjectRef: sub.ref, ItemName: sub.itemName,
			Point: sub.point, Department: sub.department, Window: sub.window, StaffID: sub.staffID, StaffName: sub.staffName,
			Level: Level(req.Level), Tags: tags, Comment: req.Comment, Channel: channel, RaterUserID: who.userID,
			RaterName: who.name, RaterPhone: who.phone, RealName: who.realName, RecordedBy: who.recordedBy,
			Month: monthOf(now), CreatedAt: now, UpdatedAt: now}
		if err := insertRating(ctx, tx, &r); err != nil {
			return err
		}
		id = r.ID
		store.NoteEffect(ctx, "rating:"+strconv.FormatInt(r.ID, 10))
		if r.Bad() {
			if err := s.openFollowUp(ctx, tx, &r, now); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "rating.rate", &r, map[string]any{"level": r.Level, "channel": channel}, now)
	})
	if err != nil {
		return Rating{}, err
	}
	return s.loadRating(ctx, s.db, id)
}

// mayAmend: the rater may change a rating within 7 days, signed in or
// through the link; a pad rates once, and staff do not change what a
// caller said.
func mayAmend(old *Rating, channel Channel, now time.Time) error {
	if channel != ChannelWeb && channel != ChannelLink {
		return apperr.New(apperr.Conflict, "already_rated", apperr.M("已经评价过了", "this has been rated already")).With("rating_id", old.ID)
	}
	if !MayAmend(old.CreatedAt, now) {
		return apperr.New(apperr.Conflict, "amend_window_closed", apperr.M("评价超过7天，不能再修改", "a rating can be changed for 7 days only")).
			With("rating_id", old.ID)
	}
	return nil
}

// amend changes a rating's level, tags and comment. A bad rating turned
// good withdraws its open follow-up; a good one turned bad opens one.
func (s *Service) amend(ctx context.Context, tx *store.Tx, actor auth.User, r *Rating, level Level, tags []Tag, comment string, now time.Time) error {
	from := r.Level
	if _, err := tx.ExecContext(ctx, `UPDATE ratings SET level = ?, tags = ?, comment = ?, amendments = amendments + 1, updated_at = ? WHERE id = ?`,
		int(level), encodeTags(tags), comment, store.FormatTime(now), r.ID); err != nil {
		return apperr.Wrap(err, "rating: amend")
	}
	r.Level, r.Tags, r.Comment = level, tags, comment
	switch {
	case level.Bad() && r.FollowUpID == nil:
		if err := s.openFollowUp(ctx, tx, r, now); err != nil {
			return err
		}
	case !level.Bad() && r.FollowUpID != nil:
		if err := s.withdrawFollowUp(ctx, tx, actor, *r.FollowUpID, now); err != nil {
			return err
		}
	}
	return s.audit(ctx, tx, actor, "rating.amend", r, map[string]any{"from": from, "to": level}, now)
}

func (s *Service) audit(ctx context.Context, tx *store.Tx, actor auth.User, action string, r *Rating, data map[string]any, now time.Time) error {
	data["subject"] = r.Subject
	detail, _ := json.Marshal(data)
	_, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: action, Object: "rating:" + strconv.FormatInt(r.ID, 10), Outcome: audit.OK, Detail: string(detail)})
	return err
}

// checkLimit counts one rating of a client; beyond the limit the client waits.
func (s *Service) checkLimit(key string) error {
	if s.Clients == nil || key == "" {
		return nil
	}
	if ok, wait := s.Clients.Allow(key); !ok {
		return apperr.New(apperr.RateLimited, "too_many_ratings", apperr.M("评价过于频繁，请稍后再试", "too many ratings from here; try again later")).
			With("retry_after", int(wait.Seconds())+1)
	}
	return nil
}

// RateCase records (or, within 7 days, changes) the applicant's rating of
// their case, once it is decided and the result given.
func (s *Service) RateCase(ctx context.Context, actor auth.User, caseID int64, req RateRequest) (Rating, error) {
	if err := MayRateOnline(actor, true); err != nil {
		return Rating{}, err
	}
	if err := s.checkLimit(fmt.Sprintf("user:%d", actor.ID)); err != nil {
		return Rating{}, err
	}
	return s.rate(ctx, actor, ChannelWeb, req,
		func(tx *store.Tx) (subject, error) { return loadCase(ctx, tx, `c.id = ?`, caseID) },
		func(sub *subject) error { return MayRateOnline(actor, cases.OwnedBy(actor, sub.theCase)) },
		func(sub *subject) rater {
			return rater{userID: &actor.ID, name: actor.Name, phone: firstOf(actor.Phone, sub.ownerPhone), realName: true}
		}, nil)
}

// RateVisit records the applicant's rating of a visit of theirs (a ticket
// taken with their account) after it was served.
func (s *Service) RateVisit(ctx context.Context, actor auth.User, point string, ticketID int64, req RateRequest) (Rating, error) {
	if err := MayRateOnline(actor, true); err != nil {
		return Rating{}, err
	}
	if err := s.checkLimit(fmt.Sprintf("user:%d", actor.ID)); err != nil {
		return Rating{}, err
	}
	return s.rate(ctx, actor, ChannelWeb, req,
		func(tx *store.Tx) (subject, error) { return loadTicket(ctx, tx, point, ticketID) },
		func(sub *subject) error { return MayRateOnline(actor, sub.ownerID != nil && *sub.ownerID == actor.ID) },
		func(sub *subject) rater {
			return rater{userID: &actor.ID, name: actor.Name, phone: actor.Phone, realName: true}
		}, nil)
}

// PhoneRequest names what a caller rated: a case by its number, or a
// visit by the day and number of its ticket at the front desk's point.
type PhoneRequest struct {
	RateRequest
	CaseNumber   string `json:"case_number,omitempty"`
	TicketDay    string `json:"ticket_day,omitempty"` // YYYY-MM-DD; today when empty
	TicketNumber string `json:"ticket_number,omitempty"`
}

// RecordPhone records a rating a caller gave by telephone (marked as such)
// as a front desk of the point where the case or visit was served; staff
// who served it may not record it.
func (s *Service) RecordPhone(ctx context.Context, actor auth.User, req PhoneRequest) (Rating, error) {
	if actor.Role != auth.RoleFrontDesk && actor.Role != auth.RoleAdmin {
		return Rating{}, MayRecordByPhone(actor, "", nil)
	}
	var f apperr.Fields
	switch {
	case req.CaseNumber == "" && req.TicketNumber == "":
		f.Add("case_number", "required", apperr.M("请填写办件编号或号票号码", "give a case number or a ticket number"))
	case req.CaseNumber != "" && req.TicketNumber != "":
		f.Add("ticket_number", "not_applicable", apperr.M("办件编号和号票号码只填一个", "give a case number or a ticket number, not both"))
	}
	day := req.TicketDay
	if day == "" {
		day = workday.FormatDate(workday.DateOf(s.Now()))
	} else if _, err := workday.ParseDate(day); err != nil {
		f.Add("ticket_day", "format", apperr.As(err).Message)
	}
	req.Phone = ident.OptionalMobile(&f, "phone", req.Phone)
	if err := f.Err(); err != nil {
		return Rating{}, err
	}
	reload := func(tx *store.Tx) (subject, error) {
		if req.CaseNumber != "" {
			return loadCase(ctx, tx, `c.number = ?`, req.CaseNumber)
		}
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM hall_tickets WHERE point_code = ? AND day = ? AND number = ?`,
			actor.PointCode, day, req.TicketNumber).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return subject{}, errNotFound()
		}
		if err != nil {
			return subject{}, apperr.Wrap(err, "rating: find ticket")
		}
		return loadTicket(ctx, tx, actor.PointCode, id)
	}
	return s.rate(ctx, actor, ChannelPhone, req.RateRequest, reload,
		func(sub *subject) error { return MayRecordByPhone(actor, sub.point, sub.served) },
		func(sub *subject) rater {
			return rater{userID: sub.ownerID, name: firstOf(req.Name, sub.ownerName), phone: firstOf(req.Phone, sub.ownerPhone),
				realName: sub.kind == SubjectCase || sub.ownerID != nil || req.Phone != "", recordedBy: &actor.ID}
		}, nil)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func ptrInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	n := v.Int64
	return &n
}

// monthOf is the China month of an instant, YYYY-MM.
func monthOf(t time.Time) string { return workday.DateOf(t).Format("2006-01") }

// ratingKey returns the key that signs links and pads: made at random on
// first use and kept in the database, so every server shares it.
func (s *Service) ratingKey(ctx context.Context) ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, apperr.Wrap(err, "rating: make key")
	}
	var secret string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rating_keys (name, secret, created_at) VALUES ('links', ?, ?) ON CONFLICT (name) DO NOTHING`,
			base64.StdEncoding.EncodeToString(fresh), store.FormatTime(s.Now())); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT secret FROM rating_keys WHERE name = 'links'`).Scan(&secret)
	})
	if err != nil {
		return nil, apperr.Wrap(err, "rating: key")
	}
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil || len(key) < 16 {
		return nil, apperr.Wrap(fmt.Errorf("stored key is malformed"), "rating: key")
	}
	s.key = key
	return key, nil
}

func appendAudit(ctx context.Context, tx *store.Tx, actor auth.User, action, object, detail string, now time.Time) (audit.Record, error) {
	return audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: action, Object: object, Outcome: audit.OK, Detail: detail})
}

// Public is the rating as answered to a door without an account (a pad, a
// link): nothing about the rater or the staff.
func (r Rating) Public() Rating {
	r.RaterUserID, r.RaterName, r.RaterPhone, r.RecordedBy = nil, "", "", nil
	r.StaffID, r.StaffName = nil, ""
	return r
}
