package hall

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Where a ticket was taken.
const (
	SourceKiosk       = "kiosk"       // the machine in the hall
	SourceDesk        = "desk"        // the front desk (导办台) for the person in front of it
	SourceOnline      = "online"      // an applicant's phone, for today
	SourceAppointment = "appointment" // an appointment checked in on arrival
)

// Ticket is a place in a point's queue for one visit.
type Ticket struct {
	ID            int64        `json:"id"`
	Point         string       `json:"point"`
	Day           string       `json:"day"`
	Category      string       `json:"category"`
	Number        string       `json:"number"`
	Status        string       `json:"status"`
	Priority      string       `json:"priority,omitempty"`
	Source        string       `json:"source"`
	UserID        *int64       `json:"user_id,omitempty"`
	HolderName    string       `json:"holder_name,omitempty"`
	AppointmentID *int64       `json:"appointment_id,omitempty"`
	TargetWindow  string       `json:"target_window,omitempty"`
	TakenAt       time.Time    `json:"taken_at"`
	QueuedAt      time.Time    `json:"queued_at"`
	FirstCalledAt *time.Time   `json:"first_called_at,omitempty"`
	CalledAt      *time.Time   `json:"called_at,omitempty"`
	Calls         int          `json:"calls"`
	Window        string       `json:"window,omitempty"`
	StaffID       *int64       `json:"staff_id,omitempty"`
	StartedAt     *time.Time   `json:"started_at,omitempty"`
	FinishedAt    *time.Time   `json:"finished_at,omitempty"`
	Period        string       `json:"period,omitempty"` // regular | lunch | extended, when service started
	Transfers     int          `json:"transfers"`
	Cases         []LinkedCase `json:"cases,omitempty"`
	// Ahead is how many tickets are called before this one as things stand
	// (waiting tickets only; a priority arrival can change it).
	Ahead *int `json:"ahead,omitempty"`
}

// LinkedCase is a case a visit produced.
type LinkedCase struct {
	CaseID   int64     `json:"case_id"`
	Number   string    `json:"number"`
	ItemName string    `json:"item_name"`
	LinkedBy int64     `json:"linked_by"`
	LinkedAt time.Time `json:"linked_at"`
}

func (t Ticket) queued() Queued {
	return Queued{ID: t.ID, Category: t.Category, Priority: t.Priority, QueuedAt: t.QueuedAt, TargetWindow: t.TargetWindow}
}

const ticketColumns = `id, point_code, day, category, number, status, priority, source, user_id, holder_name, appointment_id,
	target_window, taken_at, queued_at, first_called_at, called_at, calls, window_code, staff_id, started_at, finished_at,
	period, transfers`

func scanTicket(sc interface{ Scan(...any) error }) (Ticket, error) {
	var t Ticket
	var user, appt, staff sql.NullInt64
	var taken, queued, first, called, started, finished string
	err := sc.Scan(&t.ID, &t.Point, &t.Day, &t.Category, &t.Number, &t.Status, &t.Priority, &t.Source, &user, &t.HolderName,
		&appt, &t.TargetWindow, &taken, &queued, &first, &called, &t.Calls, &t.Window, &staff, &started, &finished,
		&t.Period, &t.Transfers)
	t.UserID, t.AppointmentID, t.StaffID = ptrInt(user), ptrInt(appt), ptrInt(staff)
	t.TakenAt, t.QueuedAt = store.ParseTime(taken), store.ParseTime(queued)
	t.FirstCalledAt, t.CalledAt, t.StartedAt, t.FinishedAt = ptrTime(first), ptrTime(called), ptrTime(started), ptrTime(finished)
	return t, err
}

// ticketsWhere reads tickets matching a condition on hall_tickets, in queue order.
func (s *Service) ticketsWhere(ctx context.Context, q store.Querier, where string, args ...any) ([]Ticket, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ticketColumns+` FROM hall_tickets WHERE `+where+` ORDER BY queued_at, id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: list tickets")
	}
	defer rows.Close()
	out := []Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "hall: read ticket")
		}
		out = append(out, t)
	}
	return out, apperr.Wrap(rows.Err(), "hall: list tickets")
}

func errNoTicket() *apperr.Error {
	return apperr.NotFoundf("ticket_not_found", apperr.M("号票不存在", "no such ticket"))
}

// loadTicket reads a ticket of point, locking it on PostgreSQL when forUpdate.
func loadTicket(ctx context.Context, q store.Querier, point string, id int64, forUpdate bool) (Ticket, error) {
	query := `SELECT ` + ticketColumns + ` FROM hall_tickets WHERE id = ? AND point_code = ?`
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE`
	}
	t, err := scanTicket(q.QueryRowContext(ctx, query, id, point))
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, errNoTicket()
	}
	if err != nil {
		return Ticket{}, apperr.Wrap(err, "hall: read ticket")
	}
	return t, nil
}

// TakeRequest asks for a ticket.
type TakeRequest struct {
	Category string `json:"category"`
	// IDNumber (居民身份证, read at the kiosk or shown at the desk) earns
	// the priority of people aged 70 or more; it is not stored.
	IDNumber string `json:"id_number,omitempty"`
	Name     string `json:"name,omitempty"`
	// Disabled and Serviceman are honoured only at the front desk, where
	// staff see the certificate (残疾人证, 军人证/退役军人证).
	Disabled   bool `json:"disabled,omitempty"`
	Serviceman bool `json:"serviceman,omitempty"`
}

// TakeAtKiosk issues a ticket at the hall's kiosk (no account).
func (s *Service) TakeAtKiosk(ctx context.Context, point string, req TakeRequest) (Ticket, error) {
	var f apperr.Fields
	if req.Disabled || req.Serviceman {
		f.Add("priority", "desk_only", apperr.M("残疾人、军人优先请到导办台出示证件取号",
			"disability and service priority are given at the front desk, where the certificate is seen"))
	}
	claim, err := s.claimOf(&f, req)
	if err != nil {
		return Ticket{}, err
	}
	return s.take(ctx, point, newTicket{category: req.Category, source: SourceKiosk, claim: claim, name: req.Name})
}

// Take issues a ticket for actor: an applicant takes one online for today
// at any point; front-desk staff take one at their point for the person in
// front of them, with disability or service priority when they saw the certificate.
func (s *Service) Take(ctx context.Context, actor auth.User, point string, req TakeRequest) (Ticket, error) {
	var f apperr.Fields
	switch {
	case actor.Role == auth.RoleApplicant:
		msg := apperr.M("网上取号只需选择类别，其余信息取自您的账号；残疾人、军人优先请到导办台出示证件",
			"online, only the category is chosen and the rest comes from your account; disability and service priority are given at the front desk")
		for _, given := range []struct {
			field string
			set   bool
		}{{"id_number", req.IDNumber != ""}, {"name", req.Name != ""}, {"disabled", req.Disabled}, {"serviceman", req.Serviceman}} {
			if given.set {
				f.Add(given.field, "not_online", msg)
			}
		}
		if err := f.Err(); err != nil {
			return Ticket{}, err
		}
		id := actor.ID
		return s.take(ctx, point, newTicket{category: req.Category, source: SourceOnline, user: &id, name: actor.Name,
			claim: Claim{IDNumber: actor.IDNumber}, createdBy: &id})
	default:
		if err := staffAt(actor, point, frontStaff...); err != nil {
			return Ticket{}, err
		}
		claim, err := s.claimOf(&f, req)
		if err != nil {
			return Ticket{}, err
		}
		claim.Disabled, claim.Serviceman = req.Disabled, req.Serviceman
		id := actor.ID
		return s.take(ctx, point, newTicket{category: req.Category, source: SourceDesk, claim: claim, name: req.Name, createdBy: &id})
	}
}

// claimOf validates the identity fields of a request.
func (s *Service) claimOf(f *apperr.Fields, req TakeRequest) (Claim, error) {
	var c Claim
	if req.IDNumber != "" {
		v, err := ident.IDCard(req.IDNumber)
		if err != nil {
			reason, msg := ident.Problem(err)
			f.Add("id_number", reason, msg)
		}
		c.IDNumber = v
	}
	if utf8.RuneCountInString(req.Name) > 50 {
		f.Add("name", "too_long", apperr.M("姓名不能超过50字", "name must be at most 50 characters"))
	}
	return c, f.Err()
}

// newTicket is what take needs from each channel.
type newTicket struct {
	category    string
	source      string
	claim       Claim
	name        string
	user        *int64
	appointment *int64
	createdBy   *int64
}

// take issues a ticket if the point is open now.
func (s *Service) take(ctx context.Context, point string, n newTicket) (Ticket, error) {
	if _, err := s.point(ctx, point); err != nil {
		return Ticket{}, err
	}
	now := s.Now()
	if err := s.requireOpen(ctx, point, now); err != nil {
		return Ticket{}, err
	}
	var out Ticket
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		t, err := s.insertTicket(ctx, tx, point, n, now)
		if err != nil {
			return err
		}
		out = t
		store.NoteEffect(ctx, "ticket:"+strconv.FormatInt(t.ID, 10))
		return nil
	})
	return out, err
}

// insertTicket numbers and stores a ticket and tells the board, in tx.
func (s *Service) insertTicket(ctx context.Context, tx *store.Tx, point string, n newTicket, now time.Time) (Ticket, error) {
	if n.category == "" {
		return Ticket{}, apperr.Fields{apperr.Field("category", "required", apperr.M("请选择取号类别", "category is required"))}.Err()
	}
	if _, err := activeCategory(ctx, tx, point, n.category, "category"); err != nil {
		return Ticket{}, err
	}
	day := DayOf(now)
	var seq int
	err := tx.QueryRowContext(ctx, `
		INSERT INTO hall_counters (point_code, category, day, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (point_code, category, day) DO UPDATE SET last = hall_counters.last + 1
		RETURNING last`, point, n.category, day).Scan(&seq)
	if err != nil {
		return Ticket{}, apperr.Wrap(err, "hall: allocate ticket number")
	}
	t := Ticket{Point: point, Day: day, Category: n.category, Number: TicketNumber(n.category, seq), Status: StatusWaiting,
		Priority: PriorityOf(n.claim, civilDate(now)), Source: n.source, UserID: n.user, HolderName: strings.TrimSpace(n.name),
		AppointmentID: n.appointment, TakenAt: now, QueuedAt: now}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO hall_tickets (point_code, day, category, number, status, priority, source, user_id, holder_name,
			appointment_id, queued_at, taken_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, point, day, t.Category, t.Number, t.Status, t.Priority, t.Source, nullInt(t.UserID), t.HolderName,
		nullInt(t.AppointmentID), store.FormatTime(now), store.FormatTime(now), nullInt(n.createdBy)).Scan(&t.ID)
	if store.IsUniqueViolation(err) {
		return Ticket{}, apperr.New(apperr.Conflict, "ticket_already_taken",
			apperr.M("您今天在该网点已有一个未办结的号", "you already hold an open ticket at this point today"))
	}
	if err != nil {
		return Ticket{}, apperr.Wrap(err, "hall: insert ticket")
	}
	ahead, err := aheadOf(ctx, tx, t, now, s.fairnessOf(ctx, tx, point))
	if err != nil {
		return Ticket{}, err
	}
	t.Ahead = &ahead
	// Last, so that the board's head row is held for as short a time as possible.
	if err := s.appendBoard(ctx, tx, point, now, BoardTicket, boardTicketData(t)); err != nil {
		return Ticket{}, err
	}
	return t, nil
}

func (s *Service) fairnessOf(ctx context.Context, q store.Querier, point string) time.Duration {
	st, err := settingsOf(ctx, q, point)
	if err != nil {
		return DefaultSettings().fairness()
	}
	return st.fairness()
}

// aheadOf counts the waiting tickets of t's category called before t.
func aheadOf(ctx context.Context, q store.Querier, t Ticket, now time.Time, fairness time.Duration) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, category, priority, queued_at, target_window FROM hall_tickets
		WHERE point_code = ? AND day = ? AND status = 'waiting' AND category = ? AND id <> ?`, t.Point, t.Day, t.Category, t.ID)
	if err != nil {
		return 0, apperr.Wrap(err, "hall: count ahead")
	}
	defer rows.Close()
	me := t.queued()
	n := 0
	for rows.Next() {
		var qd Queued
		var at string
		if err := rows.Scan(&qd.ID, &qd.Category, &qd.Priority, &at, &qd.TargetWindow); err != nil {
			return 0, apperr.Wrap(err, "hall: count ahead")
		}
		qd.QueuedAt = store.ParseTime(at)
		if CompareQueued(qd, me, now, fairness) < 0 {
			n++
		}
	}
	return n, apperr.Wrap(rows.Err(), "hall: count ahead")
}

// requireOpen refuses when the point is closed at now, saying when it opens.
func (s *Service) requireOpen(ctx context.Context, point string, now time.Time) error {
	h, err := hoursOf(ctx, s.db, point)
	if err != nil {
		return err
	}
	if _, open := h.At(now, s.calendar); open {
		return nil
	}
	next, ok := h.NextOpening(now, s.calendar)
	return closedError(next, ok)
}

// Ticket returns one ticket with its cases, to staff of the point or to the
// applicant who holds it; a waiting ticket says how many are ahead.
func (s *Service) Ticket(ctx context.Context, actor auth.User, point string, id int64) (Ticket, error) {
	t, err := loadTicket(ctx, s.db, point, id, false)
	if err != nil {
		return Ticket{}, err
	}
	if actor.Role == auth.RoleApplicant {
		if t.UserID == nil || *t.UserID != actor.ID {
			e := errNoTicket()
			e.Denied = true
			return Ticket{}, e
		}
	} else if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	if t.Cases, err = linkedCases(ctx, s.db, t.ID); err != nil {
		return Ticket{}, err
	}
	if t.Status == StatusWaiting {
		n, err := aheadOf(ctx, s.db, t, s.Now(), s.fairnessOf(ctx, s.db, point))
		if err != nil {
			return Ticket{}, err
		}
		t.Ahead = &n
	}
	return t, nil
}

// TicketFilter narrows a list of a point's tickets of one day.
type TicketFilter struct {
	Day    string // YYYY-MM-DD; today when empty
	Status string
}

// Tickets lists a point's tickets of a day in queue order (staff of the point).
func (s *Service) Tickets(ctx context.Context, actor auth.User, point string, f TicketFilter) ([]Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return nil, err
	}
	if f.Day == "" {
		f.Day = DayOf(s.Now())
	} else if _, err := workday.ParseDate(f.Day); err != nil {
		return nil, apperr.Fields{apperr.Field("day", "format", apperr.M("日期格式须为 YYYY-MM-DD", "day must be YYYY-MM-DD"))}.Err()
	}
	if f.Status != "" && !validStatus(f.Status) {
		return nil, apperr.Fields{apperr.Field("status", "unknown", apperr.M("未知的号票状态", "unknown ticket status"))}.Err()
	}
	if f.Status != "" {
		return s.ticketsWhere(ctx, s.db, `point_code = ? AND day = ? AND status = ?`, point, f.Day, f.Status)
	}
	return s.ticketsWhere(ctx, s.db, `point_code = ? AND day = ?`, point, f.Day)
}

func validStatus(st string) bool {
	for _, v := range TicketStatuses {
		if v == st {
			return true
		}
	}
	return false
}
