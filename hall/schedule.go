package hall

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

func hoursOf(ctx context.Context, q store.Querier, point string) (Hours, error) {
	rows, err := q.QueryContext(ctx, `SELECT weekday, kind, opens, closes FROM hall_hours
		WHERE point_code = ? ORDER BY weekday, opens, kind`, point)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: read hours")
	}
	defer rows.Close()
	h := Hours{}
	for rows.Next() {
		var p Period
		if err := rows.Scan(&p.Weekday, &p.Kind, &p.Opens, &p.Closes); err != nil {
			return nil, apperr.Wrap(err, "hall: read hours")
		}
		h = append(h, p)
	}
	return h, apperr.Wrap(rows.Err(), "hall: read hours")
}

// Hours returns a point's weekly opening periods.
func (s *Service) Hours(ctx context.Context, point string) (Hours, error) {
	if _, err := s.point(ctx, point); err != nil {
		return nil, err
	}
	return hoursOf(ctx, s.db, point)
}

// PutHours replaces a point's weekly opening periods (hall manager of the
// point, administrator).
func (s *Service) PutHours(ctx context.Context, actor auth.User, point string, h Hours) (Hours, error) {
	if err := managerAt(actor, point); err != nil {
		return nil, err
	}
	if _, err := s.point(ctx, point); err != nil {
		return nil, err
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM hall_hours WHERE point_code = ?`, point); err != nil {
			return apperr.Wrap(err, "hall: replace hours")
		}
		for _, p := range h {
			if _, err := tx.ExecContext(ctx, `INSERT INTO hall_hours (point_code, weekday, kind, opens, closes) VALUES (?, ?, ?, ?, ?)`,
				point, p.Weekday, p.Kind, p.Opens, p.Closes); err != nil {
				return apperr.Wrap(err, "hall: replace hours")
			}
		}
		return s.recordChange(ctx, tx, actor, point, "hall.put_hours", "point:"+point, h)
	})
	if err != nil {
		return nil, err
	}
	return hoursOf(ctx, s.db, point)
}

// OpenStatus says whether a point is open at a moment.
type OpenStatus struct {
	At       time.Time  `json:"at"`
	Open     bool       `json:"open"`
	Period   string     `json:"period,omitempty"`    // regular | lunch | extended
	NextOpen *time.Time `json:"next_open,omitempty"` // when closed
	Day      string     `json:"day"`
	DayKind  string     `json:"day_kind"` // workday | weekend | holiday | makeup
	Holiday  string     `json:"holiday,omitempty"`
}

// Status tells whether a point is open at t (now when zero).
func (s *Service) Status(ctx context.Context, point string, t time.Time) (OpenStatus, error) {
	if t.IsZero() {
		t = s.Now()
	}
	h, err := s.Hours(ctx, point)
	if err != nil {
		return OpenStatus{}, err
	}
	day := s.calendar.Day(civilDate(t))
	st := OpenStatus{At: t, Day: DayOf(t), DayKind: day.Kind, Holiday: day.Name}
	st.Period, st.Open = h.At(t, s.calendar)
	if !st.Open {
		if next, ok := h.NextOpening(t, s.calendar); ok {
			st.NextOpen = &next
		}
	}
	return st, nil
}
