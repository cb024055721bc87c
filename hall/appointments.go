package hall

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Slot is a bookable period of one category at a point on one day.
type Slot struct {
	ID       int64  `json:"id"`
	Point    string `json:"point"`
	Category string `json:"category"`
	Day      string `json:"day"`    // YYYY-MM-DD
	Starts   string `json:"starts"` // HH:MM, China time
	Ends     string `json:"ends"`
	Capacity int    `json:"capacity"`
	Booked   int    `json:"booked"`
	Free     int    `json:"free"`
}

// span returns the instants the slot starts and ends.
func (sl Slot) span() (time.Time, time.Time, error) {
	d, err := workday.ParseDate(sl.Day)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	base := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, chinaTime)
	return base.Add(time.Duration(minuteOf(sl.Starts)) * time.Minute), base.Add(time.Duration(minuteOf(sl.Ends)) * time.Minute), nil
}

// Appointment states.
const (
	ApptBooked    = "booked"
	ApptCancelled = "cancelled"
	ApptCheckedIn = "checked_in" // kept: turned into a priority ticket on arrival
	ApptNoShow    = "no_show"
)

// Appointment is a booking of one slot by an applicant (预约办).
type Appointment struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"` // shown to the applicant; the kiosk checks in with it
	SlotID    int64     `json:"slot_id"`
	Point     string    `json:"point"`
	Category  string    `json:"category"`
	Day       string    `json:"day"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	TicketID  *int64    `json:"ticket_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

const slotColumns = `id, point_code, category, day, starts, ends, capacity, booked`

func scanSlot(sc interface{ Scan(...any) error }) (Slot, error) {
	var sl Slot
	err := sc.Scan(&sl.ID, &sl.Point, &sl.Category, &sl.Day, &sl.Starts, &sl.Ends, &sl.Capacity, &sl.Booked)
	sl.Free = sl.Capacity - sl.Booked
	return sl, err
}

func errNoSlot(field string) error {
	return apperr.Fields{apperr.Field(field, "unknown", apperr.M("预约时段不存在", "no such appointment slot"))}.Err()
}

func loadSlot(ctx context.Context, q store.Querier, point string, id int64, field string) (Slot, error) {
	sl, err := scanSlot(q.QueryRowContext(ctx, `SELECT `+slotColumns+` FROM hall_slots WHERE id = ? AND point_code = ?`, id, point))
	if errors.Is(err, sql.ErrNoRows) {
		return Slot{}, errNoSlot(field)
	}
	if err != nil {
		return Slot{}, apperr.Wrap(err, "hall: read slot")
	}
	return sl, nil
}

// SlotFilter narrows the slots listed.
type SlotFilter struct {
	From, To string // YYYY-MM-DD, inclusive; today and 14 days on when empty
	Category string
}

// Slots lists a point's slots with the places left (public).
func (s *Service) Slots(ctx context.Context, point string, f SlotFilter) ([]Slot, error) {
	if _, err := s.point(ctx, point); err != nil {
		return nil, err
	}
	var fe apperr.Fields
	today := DayOf(s.Now())
	if f.From == "" {
		f.From = today
	} else if _, err := workday.ParseDate(f.From); err != nil {
		fe.Add("from", "format", apperr.M("日期格式须为 YYYY-MM-DD", "from must be YYYY-MM-DD"))
	}
	if f.To == "" {
		if d, err := workday.ParseDate(f.From); err == nil {
			f.To = workday.FormatDate(d.AddDate(0, 0, 14))
		}
	} else if _, err := workday.ParseDate(f.To); err != nil {
		fe.Add("to", "format", apperr.M("日期格式须为 YYYY-MM-DD", "to must be YYYY-MM-DD"))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	q := `SELECT ` + slotColumns + ` FROM hall_slots WHERE point_code = ? AND day >= ? AND day <= ?`
	args := []any{point, f.From, f.To}
	if f.Category != "" {
		q += ` AND category = ?`
		args = append(args, f.Category)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY day, starts, category`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: list slots")
	}
	defer rows.Close()
	out := []Slot{}
	for rows.Next() {
		sl, err := scanSlot(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "hall: read slot")
		}
		out = append(out, sl)
	}
	return out, apperr.Wrap(rows.Err(), "hall: list slots")
}

// PutSlots adds slots or changes their end and capacity (hall manager of
// the point, administrator). Each must lie within the point's opening hours
// and be of an active category; capacity may not drop below what is booked.
func (s *Service) PutSlots(ctx context.Context, actor auth.User, point string, slots []Slot) ([]Slot, error) {
	if err := managerAt(actor, point); err != nil {
		return nil, err
	}
	if _, err := s.point(ctx, point); err != nil {
		return nil, err
	}
	if len(slots) == 0 || len(slots) > 1000 {
		return nil, apperr.Fields{apperr.Field("slots", "range", apperr.M("一次须提交1–1000个时段", "send 1 to 1000 slots at a time"))}.Err()
	}
	h, err := hoursOf(ctx, s.db, point)
	if err != nil {
		return nil, err
	}
	var f apperr.Fields
	for i, sl := range slots {
		s.validateSlot(&f, fmt.Sprintf("slots[%d]", i), sl, h)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	out := make([]Slot, 0, len(slots))
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		out = out[:0]
		for i, sl := range slots {
			if _, err := activeCategory(ctx, tx, point, sl.Category, fmt.Sprintf("slots[%d].category", i)); err != nil {
				return err
			}
			saved, err := upsertSlot(ctx, tx, point, sl)
			if err != nil {
				if ae := apperr.As(err); ae.Reason == "capacity_below_booked" {
					ae.Fields = []apperr.FieldError{apperr.Field(fmt.Sprintf("slots[%d].capacity", i), "below_booked", ae.Message)}
				}
				return err
			}
			out = append(out, saved)
		}
		return s.recordChange(ctx, tx, actor, point, "hall.put_slots", "point:"+point, slotSummary(out))
	})
	return out, err
}

// slotSummary is what the audit keeps of a change to the slots: how many,
// over which days, and their total capacity (a thousand slots in full would
// not fit an audit record).
func slotSummary(slots []Slot) map[string]any {
	first, last, capacity := "", "", 0
	for _, sl := range slots {
		if first == "" || sl.Day < first {
			first = sl.Day
		}
		if sl.Day > last {
			last = sl.Day
		}
		capacity += sl.Capacity
	}
	return map[string]any{"slots": len(slots), "from": first, "to": last, "capacity": capacity}
}

func (s *Service) validateSlot(f *apperr.Fields, at string, sl Slot, h Hours) {
	okDay := true
	if _, err := workday.ParseDate(sl.Day); err != nil {
		f.Add(at+".day", "format", apperr.M("日期格式须为 YYYY-MM-DD", "day must be YYYY-MM-DD"))
		okDay = false
	}
	okTimes := clockRE.MatchString(sl.Starts) && clockRE.MatchString(sl.Ends)
	if !okTimes {
		f.Add(at+".starts", "format", apperr.M("开始和结束时间格式须为 HH:MM", "starts and ends must be HH:MM"))
	} else if minuteOf(sl.Ends) <= minuteOf(sl.Starts) {
		f.Add(at+".ends", "order", apperr.M("结束时间须晚于开始时间", "ends must be after starts"))
		okTimes = false
	}
	if sl.Capacity < 1 || sl.Capacity > 1000 {
		f.Add(at+".capacity", "range", apperr.M("容量须为1–1000", "capacity must be 1–1000"))
	}
	if sl.Category == "" {
		f.Add(at+".category", "required", apperr.M("请选择取号类别", "category is required"))
	}
	if okDay && okTimes {
		from, to, _ := sl.span()
		if !h.Covers(from, to, s.calendar) {
			f.Add(at+".starts", "closed", apperr.M("该时段不在网点办公时间内", "the slot is outside the point's opening hours"))
		}
	}
}

func upsertSlot(ctx context.Context, tx *store.Tx, point string, sl Slot) (Slot, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO hall_slots (point_code, category, day, starts, ends, capacity, booked) VALUES (?, ?, ?, ?, ?, ?, 0)
		ON CONFLICT (point_code, category, day, starts) DO UPDATE SET ends = excluded.ends, capacity = excluded.capacity
			WHERE hall_slots.booked <= excluded.capacity
		RETURNING id`, point, sl.Category, sl.Day, sl.Starts, sl.Ends, sl.Capacity).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Slot{}, apperr.New(apperr.Conflict, "capacity_below_booked",
			apperr.M("容量不能少于已预约人数", "capacity cannot be less than the bookings already made"))
	}
	if err != nil {
		return Slot{}, apperr.Wrap(err, "hall: save slot")
	}
	return loadSlot(ctx, tx, point, id, "id")
}

// GenerateSlotsRequest cuts a point's opening hours into slots.
type GenerateSlotsRequest struct {
	Category     string `json:"category"`
	From         string `json:"from"`          // YYYY-MM-DD; today when empty
	WorkingDays  int    `json:"working_days"`  // how many days the point opens, from From on
	EveryMinutes int    `json:"every_minutes"` // slot length
	Capacity     int    `json:"capacity"`      // per slot
}

// GenerateSlots creates (or resizes) slots covering the opening hours of
// the next working days (hall manager of the point, administrator).
func (s *Service) GenerateSlots(ctx context.Context, actor auth.User, point string, req GenerateSlotsRequest) ([]Slot, error) {
	if err := managerAt(actor, point); err != nil {
		return nil, err
	}
	var f apperr.Fields
	from := civilDate(s.Now())
	if req.From != "" {
		d, err := workday.ParseDate(req.From)
		if err != nil {
			f.Add("from", "format", apperr.M("日期格式须为 YYYY-MM-DD", "from must be YYYY-MM-DD"))
		}
		from = d
	}
	if req.WorkingDays < 1 || req.WorkingDays > 60 {
		f.Add("working_days", "range", apperr.M("天数须为1–60", "working_days must be 1–60"))
	}
	if req.EveryMinutes < 5 || req.EveryMinutes > 240 {
		f.Add("every_minutes", "range", apperr.M("时段长度须为5–240分钟", "every_minutes must be 5–240"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	h, err := s.Hours(ctx, point)
	if err != nil {
		return nil, err
	}
	var slots []Slot
	step := time.Duration(req.EveryMinutes) * time.Minute
	for day, found := from, 0; found < req.WorkingDays && day.Before(from.AddDate(0, 0, 4*req.WorkingDays+14)); day = day.AddDate(0, 0, 1) {
		spans := mergedSpans(h.intervalsOn(day, s.calendar))
		if len(spans) == 0 {
			continue
		}
		found++
		for _, sp := range spans {
			for at := sp.from; !at.Add(step).After(sp.to); at = at.Add(step) {
				slots = append(slots, Slot{Category: req.Category, Day: workday.FormatDate(day),
					Starts: at.In(chinaTime).Format("15:04"), Ends: at.Add(step).In(chinaTime).Format("15:04"), Capacity: req.Capacity})
			}
		}
	}
	if len(slots) == 0 {
		return nil, apperr.New(apperr.Conflict, "no_opening_hours", apperr.M("所选日期内网点没有办公时间", "the point has no opening hours on those days"))
	}
	return s.PutSlots(ctx, actor, point, slots)
}

// mergedSpans joins overlapping or touching intervals (sorted by start).
func mergedSpans(ivs []interval) []interval {
	var out []interval
	for _, iv := range ivs {
		if n := len(out); n > 0 && !iv.from.After(out[n-1].to) {
			if iv.to.After(out[n-1].to) {
				out[n-1].to = iv.to
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

const apptColumns = `id, code, slot_id, point_code, category, day, starts_at, ends_at, user_id, name, status, ticket_id, created_at, updated_at`

func scanAppt(sc interface{ Scan(...any) error }) (Appointment, error) {
	var a Appointment
	var starts, ends, created, updated string
	var ticket sql.NullInt64
	err := sc.Scan(&a.ID, &a.Code, &a.SlotID, &a.Point, &a.Category, &a.Day, &starts, &ends, &a.UserID, &a.Name, &a.Status,
		&ticket, &created, &updated)
	a.StartsAt, a.EndsAt = store.ParseTime(starts), store.ParseTime(ends)
	a.CreatedAt, a.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	a.TicketID = ptrInt(ticket)
	return a, err
}

func errNoAppt() *apperr.Error {
	return apperr.NotFoundf("appointment_not_found", apperr.M("预约不存在", "no such appointment"))
}

func loadAppt(ctx context.Context, q store.Querier, where string, args ...any) (Appointment, error) {
	query := `SELECT ` + apptColumns + ` FROM hall_appointments WHERE ` + where
	if q.Dialect() == store.Postgres {
		if _, isTx := q.(*store.Tx); isTx {
			query += ` FOR UPDATE`
		}
	}
	a, err := scanAppt(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Appointment{}, errNoAppt()
	}
	if err != nil {
		return Appointment{}, apperr.Wrap(err, "hall: read appointment")
	}
	return a, nil
}

// mayTouch checks that actor may act on a: its applicant, or staff of the point.
func mayTouch(actor auth.User, a Appointment) error {
	if actor.Role == auth.RoleApplicant {
		if a.UserID != actor.ID {
			e := errNoAppt()
			e.Denied = true
			return e
		}
		return nil
	}
	return staffAt(actor, a.Point, frontStaff...)
}

// unambiguous letters and digits for check-in codes (no 0/O, 1/I/L).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newApptCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// markNoShows turns the booked appointments of a user (or, with user 0,
// of a point, or with neither every point) whose slot has ended into no-shows.
func markNoShows(ctx context.Context, tx *store.Tx, user int64, point string, now time.Time) error {
	q := `UPDATE hall_appointments SET status = 'no_show', updated_at = ? WHERE status = 'booked' AND ends_at <= ?`
	args := []any{store.FormatTime(now), store.FormatTime(now)}
	switch {
	case user != 0:
		q += ` AND user_id = ?`
		args = append(args, user)
	case point != "":
		q += ` AND point_code = ?`
		args = append(args, point)
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return apperr.Wrap(err, "hall: mark no-shows")
}

// SweepNoShows marks the appointments of a point (every point for "") whose
// slot ended without a check-in as no-shows; booking does the same for the
// applicant anyway.
func (s *Service) SweepNoShows(ctx context.Context, point string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error { return markNoShows(ctx, tx, 0, point, s.Now()) })
}

// bookingBlock refuses a user who missed too many appointments.
func bookingBlock(ctx context.Context, tx *store.Tx, user int64, rule NoShowRule, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT ends_at FROM hall_appointments WHERE user_id = ? AND status = 'no_show'`, user)
	if err != nil {
		return apperr.Wrap(err, "hall: no-shows")
	}
	var ends []time.Time
	for rows.Next() {
		var at string
		if err := rows.Scan(&at); err != nil {
			rows.Close()
			return apperr.Wrap(err, "hall: no-shows")
		}
		ends = append(ends, store.ParseTime(at))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return apperr.Wrap(err, "hall: no-shows")
	}
	until, blocked := rule.BlockedUntil(ends, now)
	if !blocked {
		return nil
	}
	l := until.In(chinaTime)
	days := int(rule.Window / (24 * time.Hour))
	return apperr.New(apperr.Conflict, "booking_blocked", apperr.M(
		fmt.Sprintf("您在%d天内有%d次预约未到，%s前暂不能预约，可直接到现场取号", days, rule.Limit, l.Format("2006年1月2日15:04")),
		fmt.Sprintf("you missed %d appointments within %d days, so you cannot book before %s; you can still take a ticket at the hall",
			rule.Limit, days, l.Format("2 January 2006 15:04")))).With("blocked_until", l.Format(time.RFC3339))
}

// BookRequest books a slot.
type BookRequest struct {
	SlotID int64 `json:"slot_id"`
}

// Book books a slot for the applicant actor. It never overbooks: the
// slot's count only grows by a conditional UPDATE. Refused when the slot is
// full, over, outside the opening hours, or the applicant is blocked for no-shows.
func (s *Service) Book(ctx context.Context, actor auth.User, point string, req BookRequest) (Appointment, error) {
	if actor.Role != auth.RoleApplicant {
		e := apperr.RoleNotAllowed(apperr.M("只有申请人可以预约", "only applicants book appointments"))
		return Appointment{}, e
	}
	if req.SlotID <= 0 {
		return Appointment{}, apperr.Fields{apperr.Field("slot_id", "required", apperr.M("请选择预约时段", "slot_id is required"))}.Err()
	}
	if _, err := s.point(ctx, point); err != nil {
		return Appointment{}, err
	}
	now := s.Now()
	h, err := hoursOf(ctx, s.db, point)
	if err != nil {
		return Appointment{}, err
	}
	// Missed appointments are marked in a transaction of their own, so that
	// they stay marked when the booking is refused because of them.
	if err := s.db.InTx(ctx, func(tx *store.Tx) error { return markNoShows(ctx, tx, actor.ID, point, now) }); err != nil {
		return Appointment{}, err
	}
	var out Appointment
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		st, err := settingsOf(ctx, tx, point)
		if err != nil {
			return err
		}
		sl, err := loadSlot(ctx, tx, point, req.SlotID, "slot_id")
		if err != nil {
			return err
		}
		from, to, err := s.bookable(sl, h, now)
		if err != nil {
			return err
		}
		if err := bookingBlock(ctx, tx, actor.ID, st.noShowRule(), now); err != nil {
			return err
		}
		if err := takePlace(ctx, tx, sl.ID); err != nil {
			return err
		}
		a := Appointment{Code: newApptCode(), SlotID: sl.ID, Point: point, Category: sl.Category, Day: sl.Day, StartsAt: from,
			EndsAt: to, UserID: actor.ID, Name: actor.Name, Status: ApptBooked, CreatedAt: now, UpdatedAt: now}
		err = tx.QueryRowContext(ctx, `
			INSERT INTO hall_appointments (code, slot_id, point_code, category, day, starts_at, ends_at, user_id, name, status,
				created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Code, a.SlotID, point, a.Category, a.Day, store.FormatTime(from), store.FormatTime(to), a.UserID, a.Name, a.Status,
			store.FormatTime(now), store.FormatTime(now)).Scan(&a.ID)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "already_booked",
				apperr.M("您当天在该网点已预约过这一类业务", "you already have a booking of this category at this point that day"))
		}
		if err != nil {
			return apperr.Wrap(err, "hall: insert appointment")
		}
		out = a
		store.NoteEffect(ctx, "appointment:"+strconv.FormatInt(a.ID, 10))
		return noticeAppointment(ctx, tx, "appointment.booked", a, now)
	})
	return out, err
}

// noticeAppointment tells the applicant of a booking's change through the
// outbox, in the transaction that makes it (package notify delivers it).
func noticeAppointment(ctx context.Context, tx *store.Tx, topic string, a Appointment, now time.Time) error {
	return outbox.Add(ctx, tx, now, topic, map[string]any{"appointment": a.Code, "point": a.Point, "category": a.Category, "day": a.Day,
		"time": a.StartsAt.In(clock.China).Format("15:04") + "–" + a.EndsAt.In(clock.China).Format("15:04")}, outbox.User(a.UserID))
}

// bookable checks that a slot is still ahead and inside the opening hours.
func (s *Service) bookable(sl Slot, h Hours, now time.Time) (time.Time, time.Time, error) {
	from, to, err := sl.span()
	if err != nil {
		return time.Time{}, time.Time{}, apperr.Wrap(err, "hall: slot day")
	}
	if !from.After(now) {
		return time.Time{}, time.Time{}, apperr.New(apperr.Conflict, "slot_past", apperr.M("该时段已开始或已过，请选择其他时段", "the slot has begun or is over; choose another"))
	}
	if !h.Covers(from, to, s.calendar) {
		next, ok := h.NextOpening(from, s.calendar)
		return time.Time{}, time.Time{}, closedError(next, ok)
	}
	return from, to, nil
}

// takePlace books one place of a slot, or reports it full.
func takePlace(ctx context.Context, tx *store.Tx, slotID int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE hall_slots SET booked = booked + 1 WHERE id = ? AND booked < capacity`, slotID)
	if err != nil {
		return apperr.Wrap(err, "hall: book slot")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "slot_full", apperr.M("该时段已约满，请选择其他时段", "the slot is fully booked; choose another"))
	}
	return nil
}

func releasePlace(ctx context.Context, tx *store.Tx, slotID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE hall_slots SET booked = booked - 1 WHERE id = ? AND booked > 0`, slotID)
	return apperr.Wrap(err, "hall: release slot")
}

// asOf shows a booking whose slot ended without a check-in as the no-show
// it is, before any sweep has marked it.
func (a Appointment) asOf(now time.Time) Appointment {
	if a.Status == ApptBooked && !a.EndsAt.After(now) {
		a.Status = ApptNoShow
	}
	return a
}

// Appointment returns one appointment to its applicant or staff of the point.
func (s *Service) Appointment(ctx context.Context, actor auth.User, point string, id int64) (Appointment, error) {
	a, err := loadAppt(ctx, s.db, `id = ? AND point_code = ?`, id, point)
	if err != nil {
		return Appointment{}, err
	}
	if err := mayTouch(actor, a); err != nil {
		return Appointment{}, err
	}
	return a.asOf(s.Now()), nil
}

// Appointments lists an applicant's own appointments at a point, or for
// staff the point's appointments of a day (today when empty).
func (s *Service) Appointments(ctx context.Context, actor auth.User, point, day string) ([]Appointment, error) {
	var where string
	var args []any
	if actor.Role == auth.RoleApplicant {
		where, args = `user_id = ? AND point_code = ?`, []any{actor.ID, point}
	} else {
		if err := staffAt(actor, point, frontStaff...); err != nil {
			return nil, err
		}
		if day == "" {
			day = DayOf(s.Now())
		} else if _, err := workday.ParseDate(day); err != nil {
			return nil, apperr.Fields{apperr.Field("day", "format", apperr.M("日期格式须为 YYYY-MM-DD", "day must be YYYY-MM-DD"))}.Err()
		}
		where, args = `point_code = ? AND day = ?`, []any{point, day}
	}
	return s.queryAppts(ctx, "hall: list appointments", `WHERE `+where+` ORDER BY starts_at, id`, args...)
}

// queryAppts reads the appointments the rest of a query selects (its WHERE
// and ORDER BY), each as of now; what names the query in errors.
func (s *Service) queryAppts(ctx context.Context, what, rest string, args ...any) ([]Appointment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+apptColumns+` FROM hall_appointments `+rest, args...)
	if err != nil {
		return nil, apperr.Wrap(err, what)
	}
	defer rows.Close()
	out := []Appointment{}
	now := s.Now()
	for rows.Next() {
		a, err := scanAppt(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "hall: read appointment")
		}
		out = append(out, a.asOf(now))
	}
	return out, apperr.Wrap(rows.Err(), what)
}

func errApptState(a Appointment) error {
	names := map[string]apperr.Msg{ApptCancelled: apperr.M("已取消", "cancelled"), ApptCheckedIn: apperr.M("已签到", "checked in"),
		ApptNoShow: apperr.M("已爽约", "missed"), ApptBooked: apperr.M("已预约", "booked")}
	n := names[a.Status]
	return apperr.New(apperr.Conflict, "appointment_state", apperr.M("该预约"+n.ZH+"，不能执行此操作", "the appointment is "+n.EN+"; this action does not apply")).
		With("status", a.Status)
}

// openBooking loads appointment id of point in tx for a change by actor:
// one still booked whose slot has not begun (past says why not, when it has).
func openBooking(ctx context.Context, tx *store.Tx, actor auth.User, point string, id int64, now time.Time, past apperr.Msg) (Appointment, error) {
	a, err := loadAppt(ctx, tx, `id = ? AND point_code = ?`, id, point)
	if err != nil {
		return a, err
	}
	if err := mayTouch(actor, a); err != nil {
		return a, err
	}
	if a.Status != ApptBooked {
		return a, errApptState(a)
	}
	if !a.StartsAt.After(now) {
		return a, apperr.New(apperr.Conflict, "slot_past", past)
	}
	return a, nil
}

// CancelAppointment cancels a booking before its slot begins and frees the place.
func (s *Service) CancelAppointment(ctx context.Context, actor auth.User, point string, id int64) (Appointment, error) {
	now := s.Now()
	var out Appointment
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := openBooking(ctx, tx, actor, point, id, now, apperr.M("预约时段已开始，不能取消", "the slot has begun; it can no longer be cancelled"))
		if err != nil {
			return err
		}
		if err := releasePlace(ctx, tx, a.SlotID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hall_appointments SET status = 'cancelled', updated_at = ? WHERE id = ?`,
			store.FormatTime(now), a.ID); err != nil {
			return apperr.Wrap(err, "hall: cancel appointment")
		}
		a.Status, a.UpdatedAt = ApptCancelled, now
		out = a
		return noticeAppointment(ctx, tx, "appointment.cancelled", a, now)
	})
	return out, err
}

// Reschedule moves a booking to another slot of the point before the old
// one begins: the new place is taken (never overbooking) and the old freed
// in one transaction.
func (s *Service) Reschedule(ctx context.Context, actor auth.User, point string, id int64, req BookRequest) (Appointment, error) {
	if req.SlotID <= 0 {
		return Appointment{}, apperr.Fields{apperr.Field("slot_id", "required", apperr.M("请选择新的预约时段", "slot_id is required"))}.Err()
	}
	now := s.Now()
	h, err := hoursOf(ctx, s.db, point)
	if err != nil {
		return Appointment{}, err
	}
	var out Appointment
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := openBooking(ctx, tx, actor, point, id, now, apperr.M("预约时段已开始，不能改约", "the slot has begun; it can no longer be moved"))
		if err != nil {
			return err
		}
		if req.SlotID == a.SlotID {
			return apperr.Fields{apperr.Field("slot_id", "same", apperr.M("新时段与原时段相同", "that is the slot already booked"))}.Err()
		}
		sl, err := loadSlot(ctx, tx, point, req.SlotID, "slot_id")
		if err != nil {
			return err
		}
		from, to, err := s.bookable(sl, h, now)
		if err != nil {
			return err
		}
		if err := takePlace(ctx, tx, sl.ID); err != nil {
			return err
		}
		if err := releasePlace(ctx, tx, a.SlotID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE hall_appointments SET slot_id = ?, category = ?, day = ?, starts_at = ?, ends_at = ?,
			updated_at = ? WHERE id = ?`, sl.ID, sl.Category, sl.Day, store.FormatTime(from), store.FormatTime(to), store.FormatTime(now), a.ID)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "already_booked",
				apperr.M("您当天在该网点已预约过这一类业务", "you already have a booking of this category at this point that day"))
		}
		if err != nil {
			return apperr.Wrap(err, "hall: reschedule")
		}
		a.SlotID, a.Category, a.Day, a.StartsAt, a.EndsAt, a.UpdatedAt = sl.ID, sl.Category, sl.Day, from, to, now
		out = a
		return noticeAppointment(ctx, tx, "appointment.moved", a, now)
	})
	return out, err
}

// CheckIn turns an appointment into a priority ticket on arrival: from
// CheckInEarlyMinutes before its slot until the slot ends, while the point
// is open. The applicant (on arrival) or staff of the point check in.
func (s *Service) CheckIn(ctx context.Context, actor auth.User, point string, id int64) (Ticket, error) {
	a, err := loadAppt(ctx, s.db, `id = ? AND point_code = ?`, id, point)
	if err != nil {
		return Ticket{}, err
	}
	if err := mayTouch(actor, a); err != nil {
		return Ticket{}, err
	}
	return s.checkIn(ctx, point, `id = ? AND point_code = ?`, id, point)
}

// CheckInByCode checks in at the kiosk with the code shown to the applicant.
func (s *Service) CheckInByCode(ctx context.Context, point, code string) (Ticket, error) {
	if code == "" {
		return Ticket{}, apperr.Fields{apperr.Field("code", "required", apperr.M("请输入预约码", "code is required"))}.Err()
	}
	return s.checkIn(ctx, point, `code = ? AND point_code = ?`, code, point)
}

func (s *Service) checkIn(ctx context.Context, point, where string, args ...any) (Ticket, error) {
	now := s.Now()
	if err := s.requireOpen(ctx, point, now); err != nil {
		return Ticket{}, err
	}
	var out Ticket
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := loadAppt(ctx, tx, where, args...)
		if err != nil {
			return err
		}
		if a.Status != ApptBooked {
			return errApptState(a)
		}
		st, err := settingsOf(ctx, tx, point)
		if err != nil {
			return err
		}
		early := a.StartsAt.Add(-time.Duration(st.CheckInEarlyMinutes) * time.Minute)
		if now.Before(early) {
			l := early.In(chinaTime)
			return apperr.New(apperr.Conflict, "check_in_too_early", apperr.M("还未到签到时间，请于"+l.Format("15:04")+"后签到",
				"too early to check in: check in from "+l.Format("15:04"))).With("check_in_from", l.Format(time.RFC3339))
		}
		if !now.Before(a.EndsAt) {
			return apperr.New(apperr.Conflict, "appointment_over", apperr.M("预约时段已过，请现场取号", "the appointment is over; please take a ticket"))
		}
		user := a.UserID
		t, err := s.insertTicket(ctx, tx, point, newTicket{category: a.Category, source: SourceAppointment,
			claim: Claim{Appointment: true}, name: a.Name, user: &user, appointment: &a.ID}, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hall_appointments SET status = 'checked_in', ticket_id = ?, updated_at = ? WHERE id = ?`,
			t.ID, store.FormatTime(now), a.ID); err != nil {
			return apperr.Wrap(err, "hall: check in")
		}
		out = t
		return nil
	})
	return out, err
}
