package hall

import (
	"context"
	"slices"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/workday"
)

// What the pages of applicants and hall managers need besides the calls the
// API makes: which points run a hall, an applicant's appointments at every
// point, and the staff a roster may name.

// BookingDays is how far ahead the booking pages look for free slots.
const BookingDays = 14

// HallPoints lists the service points that run a hall: they have opening
// hours and at least one active ticket category. With bookable, only those
// with a free place in a slot from today over the next BookingDays days.
func (s *Service) HallPoints(ctx context.Context, bookable bool) ([]network.Point, error) {
	q := `SELECT DISTINCT c.point_code FROM hall_categories c
		WHERE c.active = ? AND EXISTS (SELECT 1 FROM hall_hours h WHERE h.point_code = c.point_code)`
	args := []any{true}
	if bookable {
		today := civilDate(s.Now())
		q += ` AND EXISTS (SELECT 1 FROM hall_slots sl WHERE sl.point_code = c.point_code AND sl.day >= ? AND sl.day <= ?
			AND sl.booked < sl.capacity)`
		args = append(args, workday.FormatDate(today), workday.FormatDate(today.AddDate(0, 0, BookingDays)))
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY c.point_code`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: list hall points")
	}
	var codes []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "hall: list hall points")
		}
		codes = append(codes, code)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "hall: list hall points")
	}
	out := make([]network.Point, 0, len(codes))
	for _, code := range codes {
		p, err := s.point(ctx, code)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue // a hall left behind by a point since removed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// maxOwnAppointments bounds an applicant's list: the most recent ones.
const maxOwnAppointments = 100

// MyAppointments lists the applicant actor's appointments at every point,
// the latest slot first (at most 100).
func (s *Service) MyAppointments(ctx context.Context, actor auth.User) ([]Appointment, error) {
	if actor.Role != auth.RoleApplicant {
		e := apperr.RoleNotAllowed(apperr.M("只有申请人有自己的预约", "only applicants have appointments of their own"))
		return nil, e
	}
	return s.queryAppts(ctx, "hall: list own appointments", `WHERE user_id = ?
		ORDER BY starts_at DESC, id DESC LIMIT ?`, actor.ID, maxOwnAppointments)
}

// Changeable reports whether an appointment may still be moved or
// cancelled at now: it is booked and its slot has not begun.
func (a Appointment) Changeable(now time.Time) bool {
	return a.Status == ApptBooked && a.StartsAt.After(now)
}

// Bookable reports whether a slot may be chosen at now: it begins later and
// has a place left. Booking checks this again, with the opening hours.
func (sl Slot) Bookable(now time.Time) bool {
	from, _, err := sl.span()
	return err == nil && from.After(now) && sl.Free > 0
}

// StaffMember is someone who may be on a point's roster, with the skill
// recorded for them (nil when none is).
type StaffMember struct {
	ID    int64     `json:"id"`
	Name  string    `json:"name"`
	Role  auth.Role `json:"role"`
	Skill *Skill    `json:"skill,omitempty"`
}

// maxStaff bounds the staff listed for one point.
const maxStaff = 1000

// Staff lists the enabled window staff of a point (front desks, issuers,
// hall managers) with their skills, for staff of the point.
func (s *Service) Staff(ctx context.Context, actor auth.User, point string) ([]StaffMember, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return nil, err
	}
	enabled := false
	users, err := auth.NewStore(s.db).Users(ctx, auth.UserFilter{PointCode: point, Disabled: &enabled, Limit: maxStaff})
	if err != nil {
		return nil, err
	}
	skills, err := s.Skills(ctx, actor, point)
	if err != nil {
		return nil, err
	}
	out := []StaffMember{}
	for _, u := range users {
		if !slices.Contains(frontStaff, u.Role) {
			continue
		}
		m := StaffMember{ID: u.ID, Name: u.Name, Role: u.Role}
		if i := slices.IndexFunc(skills, func(sk Skill) bool { return sk.UserID == u.ID }); i >= 0 {
			sk := skills[i]
			m.Skill = &sk
		}
		out = append(out, m)
	}
	return out, nil
}

// DayHours are the periods a point keeps on one civil date: none on a
// statutory holiday or a weekend day it does not open; a make-up working day
// keeps Monday's.
type DayHours struct {
	Day       string   `json:"day"`      // YYYY-MM-DD
	Weekday   int      `json:"weekday"`  // 1 Monday … 7 Sunday
	DayKind   string   `json:"day_kind"` // workday | weekend | holiday | makeup
	Holiday   string   `json:"holiday,omitempty"`
	HolidayEN string   `json:"holiday_en,omitempty"`
	Periods   []Period `json:"periods"`
}

// Open reports whether the point opens at all that day.
func (d DayHours) Open() bool { return len(d.Periods) > 0 }

// HoursOn resolves a point's weekly hours on the working-day calendar for
// days dates from from on (1–62 of them).
func (s *Service) HoursOn(ctx context.Context, point, from string, days int) ([]DayHours, error) {
	start, err := workday.ParseDate(from)
	if err != nil {
		return nil, apperr.Fields{apperr.Field("from", "format", apperr.M("日期格式须为 YYYY-MM-DD", "from must be YYYY-MM-DD"))}.Err()
	}
	if days < 1 || days > nextOpeningHorizon {
		return nil, apperr.Fields{apperr.Field("days", "range", apperr.M("天数须为1–62", "days must be 1–62"))}.Err()
	}
	h, err := s.Hours(ctx, point)
	if err != nil {
		return nil, err
	}
	out := make([]DayHours, days)
	for i := range out {
		date := start.AddDate(0, 0, i)
		cd := s.calendar.Day(date)
		ps := h.periodsOn(date, s.calendar)
		slices.SortFunc(ps, func(a, b Period) int { return minuteOf(a.Opens) - minuteOf(b.Opens) })
		out[i] = DayHours{Day: workday.FormatDate(date), Weekday: weekdayOf(date), DayKind: cd.Kind, Holiday: cd.Name, HolidayEN: cd.NameEN,
			Periods: append([]Period{}, ps...)}
	}
	return out, nil
}

// Started reports whether the slot has begun at now (on the server's
// clock): a booking page no longer offers it.
func (sl Slot) Started(now time.Time) bool {
	from, _, err := sl.span()
	return err == nil && !from.After(now)
}
