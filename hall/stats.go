package hall

import (
	"context"
	"sort"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Stats are a point's numbers for one day, for the hall manager.
type Stats struct {
	Point   string `json:"point"`
	Day     string `json:"day"`
	Tickets int    `json:"tickets"`
	// PerHour counts tickets taken in each hour of the day (China time).
	PerHour    []HourCount     `json:"per_hour"`
	Categories []CategoryStats `json:"categories"`
	Served     int             `json:"served"`
	NoShows    int             `json:"no_shows"`
	// NoShowRate is no-shows over tickets that were called and ended (served or no-show).
	NoShowRate   float64          `json:"no_show_rate"`
	WaitP50Sec   int              `json:"wait_p50_seconds"`
	WaitP90Sec   int              `json:"wait_p90_seconds"`
	ServiceP50   int              `json:"service_p50_seconds"`
	ServiceP90   int              `json:"service_p90_seconds"`
	Appointments AppointmentStats `json:"appointments"`
	// Lunch and Extended count services started during 午间不间断 and 延时办
	// periods, and the cases those visits produced.
	Lunch    PeriodStats `json:"lunch"`
	Extended PeriodStats `json:"extended"`
}

// HourCount is the tickets taken in one hour.
type HourCount struct {
	Hour    int `json:"hour"`
	Tickets int `json:"tickets"`
}

// CategoryStats are one category's numbers.
type CategoryStats struct {
	Category   string `json:"category"`
	Name       string `json:"name"`
	Tickets    int    `json:"tickets"`
	Served     int    `json:"served"`
	NoShows    int    `json:"no_shows"`
	Waiting    int    `json:"waiting"`
	WaitP50Sec int    `json:"wait_p50_seconds"` // from taking the ticket to the first call
	WaitP90Sec int    `json:"wait_p90_seconds"`
	ServiceP50 int    `json:"service_p50_seconds"` // from the start of service to its end
	ServiceP90 int    `json:"service_p90_seconds"`
}

// AppointmentStats count the day's appointments.
type AppointmentStats struct {
	Booked    int     `json:"booked"`    // not cancelled
	Kept      int     `json:"kept"`      // checked in
	NoShows   int     `json:"no_shows"`  // slot over without a check-in
	Cancelled int     `json:"cancelled"` // cancelled
	KeptRate  float64 `json:"kept_rate"` // kept over booked
}

// PeriodStats count what happened in one kind of period.
type PeriodStats struct {
	Services int `json:"services"`
	Cases    int `json:"cases"`
}

// Stats returns a point's numbers for a day (today when empty): hall
// manager of the point, administrator.
func (s *Service) Stats(ctx context.Context, actor auth.User, point, day string) (Stats, error) {
	if err := managerAt(actor, point); err != nil {
		return Stats{}, err
	}
	if _, err := s.point(ctx, point); err != nil {
		return Stats{}, err
	}
	now := s.Now()
	if day == "" {
		day = DayOf(now)
	} else if _, err := workday.ParseDate(day); err != nil {
		return Stats{}, apperr.Fields{apperr.Field("day", "format", apperr.M("日期格式须为 YYYY-MM-DD", "day must be YYYY-MM-DD"))}.Err()
	}
	st := Stats{Point: point, Day: day, PerHour: []HourCount{}, Categories: []CategoryStats{}}
	tickets, err := s.ticketsWhere(ctx, s.db, `point_code = ? AND day = ?`, point, day)
	if err != nil {
		return Stats{}, err
	}
	cats, err := categoriesOf(ctx, s.db, point)
	if err != nil {
		return Stats{}, err
	}
	names := map[string]string{}
	for _, c := range cats {
		names[c.Code] = c.Name
	}
	perHour := map[int]int{}
	byCat := map[string]*CategoryStats{}
	waits, services := map[string][]time.Duration{}, map[string][]time.Duration{}
	var allWaits, allServices []time.Duration
	periodOf := map[int64]string{}
	for _, t := range tickets {
		st.Tickets++
		perHour[t.TakenAt.In(chinaTime).Hour()]++
		cs := byCat[t.Category]
		if cs == nil {
			cs = &CategoryStats{Category: t.Category, Name: names[t.Category]}
			byCat[t.Category] = cs
		}
		cs.Tickets++
		switch t.Status {
		case StatusDone:
			cs.Served++
			st.Served++
		case StatusNoShow:
			cs.NoShows++
			st.NoShows++
		case StatusWaiting:
			cs.Waiting++
		}
		if t.FirstCalledAt != nil {
			w := t.FirstCalledAt.Sub(t.TakenAt)
			waits[t.Category] = append(waits[t.Category], w)
			allWaits = append(allWaits, w)
		}
		if t.StartedAt != nil && t.FinishedAt != nil && t.Status == StatusDone {
			d := t.FinishedAt.Sub(*t.StartedAt)
			services[t.Category] = append(services[t.Category], d)
			allServices = append(allServices, d)
		}
		if t.StartedAt != nil {
			periodOf[t.ID] = t.Period
			switch t.Period {
			case PeriodLunch:
				st.Lunch.Services++
			case PeriodExtended:
				st.Extended.Services++
			}
		}
	}
	if ended := st.Served + st.NoShows; ended > 0 {
		st.NoShowRate = float64(st.NoShows) / float64(ended)
	}
	st.WaitP50Sec, st.WaitP90Sec = seconds(allWaits, 50), seconds(allWaits, 90)
	st.ServiceP50, st.ServiceP90 = seconds(allServices, 50), seconds(allServices, 90)
	for h := range 24 {
		if n := perHour[h]; n > 0 {
			st.PerHour = append(st.PerHour, HourCount{Hour: h, Tickets: n})
		}
	}
	for code, cs := range byCat {
		cs.WaitP50Sec, cs.WaitP90Sec = seconds(waits[code], 50), seconds(waits[code], 90)
		cs.ServiceP50, cs.ServiceP90 = seconds(services[code], 50), seconds(services[code], 90)
		st.Categories = append(st.Categories, *cs)
	}
	sort.Slice(st.Categories, func(i, j int) bool { return st.Categories[i].Category < st.Categories[j].Category })

	rows, err := s.db.QueryContext(ctx, `SELECT l.ticket_id FROM hall_ticket_cases l JOIN hall_tickets t ON t.id = l.ticket_id
		WHERE t.point_code = ? AND t.day = ?`, point, day)
	if err != nil {
		return Stats{}, apperr.Wrap(err, "hall: stats")
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return Stats{}, apperr.Wrap(err, "hall: stats")
		}
		switch periodOf[id] {
		case PeriodLunch:
			st.Lunch.Cases++
		case PeriodExtended:
			st.Extended.Cases++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Stats{}, apperr.Wrap(err, "hall: stats")
	}

	// A booking whose slot is over without a check-in counts as a no-show
	// even before a sweep has marked it.
	rows, err = s.db.QueryContext(ctx, `SELECT status, ends_at FROM hall_appointments WHERE point_code = ? AND day = ?`, point, day)
	if err != nil {
		return Stats{}, apperr.Wrap(err, "hall: stats")
	}
	defer rows.Close()
	for rows.Next() {
		var status, ends string
		if err := rows.Scan(&status, &ends); err != nil {
			return Stats{}, apperr.Wrap(err, "hall: stats")
		}
		if status == ApptBooked && !store.ParseTime(ends).After(now) {
			status = ApptNoShow
		}
		switch status {
		case ApptCancelled:
			st.Appointments.Cancelled++
			continue
		case ApptCheckedIn:
			st.Appointments.Kept++
		case ApptNoShow:
			st.Appointments.NoShows++
		}
		st.Appointments.Booked++
	}
	if err := rows.Err(); err != nil {
		return Stats{}, apperr.Wrap(err, "hall: stats")
	}
	if st.Appointments.Booked > 0 {
		st.Appointments.KeptRate = float64(st.Appointments.Kept) / float64(st.Appointments.Booked)
	}
	return st, nil
}

func seconds(ds []time.Duration, p float64) int {
	v, _ := Percentile(ds, p)
	return int(v.Round(time.Second) / time.Second)
}
