package figures

import (
	"context"
	"database/sql"
	"slices"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/store"
)

// The recount: the case figures counted from the cases themselves, which the
// kept monthly figures (case_month_figures, kept by triggers on cases) must
// always equal; the tests hold the two against each other. It reads the
// cases of the period as one range scan of an index that leads with the
// instant counted and holds every column it reads (00012_figures_index.sql),
// and counts the rows here: grouping them in SQL would sort every row of the
// period. It grows with the cases of the period (seconds at a million), so
// requests read the kept figures instead.

// period returns the instants (stored as UTC text) where months begin and end.
func period(months []Month) (from, to string) {
	return storedTime(months[0].Start()), storedTime(months[len(months)-1].Add(1).Start())
}

// acceptedRows selects the cases accepted in the period: when, of which
// department, at which point, and how they came in.
func acceptedRows(sc *scope, months []Month) (string, []any) {
	from, to := period(months)
	return `SELECT accepted_at, department_code, point_code, channel FROM cases
		WHERE ` + store.Already(sc.dialect, "accepted_at") + ` AND accepted_at >= ? AND accepted_at < ?` + sc.cond,
		slices.Concat([]any{from, to}, sc.args)
}

// decidedRows selects the cases decided in the period, with their due date.
func decidedRows(sc *scope, months []Month) (string, []any) {
	from, to := period(months)
	return `SELECT decided_at, department_code, point_code, promised_due FROM cases
		WHERE ` + store.Already(sc.dialect, "decided_at") + ` AND decided_at >= ? AND decided_at < ?` + sc.cond,
		slices.Concat([]any{from, to}, sc.args)
}

// tally adds rows to the months and units they belong to.
type tally struct {
	first         Month
	months        []MonthFigures
	depts, points map[string]*Counts
}

// at returns the figures of the month in China of a stored instant, or nil
// when it falls outside the period.
func (t *tally) at(stored []byte) *MonthFigures {
	m, ok := StoredMonth(string(stored))
	if !ok {
		return nil
	}
	i := (m.Year-t.first.Year)*12 + int(m.Month-t.first.Month)
	if i < 0 || i >= len(t.months) {
		return nil
	}
	return &t.months[i]
}

// unit returns the counts of code in m, adding them when new. The lookup
// with string(code) does not copy the bytes; only a new key is copied.
func unit(m map[string]*Counts, code []byte) *Counts {
	if c := m[string(code)]; c != nil {
		return c
	}
	c := &Counts{}
	m[string(code)] = c
	return c
}

// recountCases fills the months, departments and points with the cases
// accepted and decided in the period, counted from the cases.
func (s *Service) recountCases(ctx context.Context, sc *scope, _ Query, months []Month, out []MonthFigures, depts, points map[string]*Counts) error {
	t := &tally{first: months[0], months: out, depts: depts, points: points}
	// RawBytes: the rows are only looked at, not kept.
	var at, dept, point, other sql.RawBytes
	query, args := acceptedRows(sc, months)
	err := s.each(ctx, query, args, func(scan func(...any) error) error {
		if err := scan(&at, &dept, &point, &other); err != nil {
			return err
		}
		online := 0
		if string(other) == string(cases.ChannelOnline) {
			online = 1
		}
		m := t.at(at)
		if m == nil {
			return nil
		}
		for _, c := range []*Counts{&m.Counts, unit(depts, dept), unit(points, point)} {
			c.Accepted++
			c.Online += online
		}
		return nil
	})
	if err != nil {
		return err
	}
	query, args = decidedRows(sc, months)
	return s.each(ctx, query, args, func(scan func(...any) error) error {
		if err := scan(&at, &dept, &point, &other); err != nil {
			return err
		}
		onTime := 0
		if StoredOnTime(string(at), string(other)) {
			onTime = 1
		}
		m := t.at(at)
		if m == nil {
			return nil
		}
		for _, c := range []*Counts{&m.Counts, unit(depts, dept), unit(points, point)} {
			c.Decided++
			c.OnTime += onTime
		}
		return nil
	})
}
