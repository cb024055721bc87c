package workday

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

// Store keeps the years an administrator added or corrected (the notice for
// the next year appears each November), so that every server process and
// every restart uses them. They take precedence over the embedded years.
type Store struct {
	db *store.DB
	// Now is the server's clock (package clock), which stamps imported
	// years; nil is the wall clock.
	Now clock.Clock
}

// NewStore returns a Store on db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

type jsonNotice struct {
	Title  string `json:"title"`
	Number string `json:"number,omitempty"`
	Date   string `json:"date,omitempty"`
}

type jsonHoliday struct {
	Name   string   `json:"name"`
	NameEN string   `json:"name_en,omitempty"`
	From   string   `json:"from"`
	To     string   `json:"to"`
	Makeup []string `json:"makeup,omitempty"`
}

type jsonYear struct {
	Year     int           `json:"year"`
	Notice   jsonNotice    `json:"notice"`
	Holidays []jsonHoliday `json:"holidays"`
}

// EncodeYears writes years in the import format that ParseYears reads.
func EncodeYears(years []YearData) []byte {
	out := struct {
		Years []jsonYear `json:"years"`
	}{Years: []jsonYear{}}
	for _, y := range years {
		jy := jsonYear{Year: y.Year, Notice: jsonNotice{Title: y.Notice.Title, Number: y.Notice.Number}, Holidays: []jsonHoliday{}}
		if !y.Notice.Date.IsZero() {
			jy.Notice.Date = FormatDate(y.Notice.Date)
		}
		for _, h := range y.Holidays {
			jh := jsonHoliday{Name: h.Name, NameEN: h.NameEN, From: FormatDate(h.From), To: FormatDate(h.To)}
			for _, m := range h.Makeup {
				jh.Makeup = append(jh.Makeup, FormatDate(m))
			}
			jy.Holidays = append(jy.Holidays, jh)
		}
		out.Years = append(out.Years, jy)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return b
}

// Apply loads the stored years into o.
func (s *Store) Apply(ctx context.Context, o *Official) error {
	rows, err := s.db.QueryContext(ctx, `SELECT year, data FROM workday_years ORDER BY year`)
	if err != nil {
		return apperr.Wrap(err, "workday: load years")
	}
	defer rows.Close()
	for rows.Next() {
		var year int
		var data string
		if err := rows.Scan(&year, &data); err != nil {
			return apperr.Wrap(err, "workday: load years")
		}
		ys, err := ParseYears(bytes.NewReader([]byte(data)))
		if err != nil {
			return fmt.Errorf("workday: stored year %d: %w", year, err)
		}
		for _, y := range ys {
			if err := o.SetYear(y); err != nil {
				return fmt.Errorf("workday: stored year %d: %w", year, err)
			}
		}
	}
	return apperr.Wrap(rows.Err(), "workday: load years")
}

// Import validates a holiday file, stores every year in it in one
// transaction and applies them to o. Nothing is stored when any year has an
// error; the error names each line and field. Only a province-wide
// administrator adds years; the audit record is written in the same
// transaction, and the years are stored as updated by the actor.
func (s *Store) Import(ctx context.Context, actor auth.User, r io.Reader, o *Official) ([]int, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return nil, err
	}
	years, err := ParseYears(r)
	if err != nil {
		return nil, err
	}
	// Check against the calendar's own rules before anything is written.
	probe := &Official{}
	for _, y := range years {
		if err := probe.SetYear(y); err != nil {
			return nil, err
		}
	}
	at := s.Now.Now()
	now := store.FormatTime(at)
	var done []int
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, y := range years {
			data := EncodeYears([]YearData{y})
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO workday_years (year, data, updated_at, updated_by) VALUES (?, ?, ?, ?)
				ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
				y.Year, string(data), now, actor.Username); err != nil {
				return apperr.Wrap(err, "workday: store year")
			}
			done = append(done, y.Year)
		}
		parts := make([]string, len(done))
		for i, y := range done {
			parts[i] = strconv.Itoa(y)
		}
		return auth.Record(ctx, tx, at, actor, "workday.import", "workdays:"+strings.Join(parts, ","), map[string][]int{"years": done})
	})
	if err != nil {
		return nil, err
	}
	for _, y := range years {
		if err := o.SetYear(y); err != nil {
			return nil, err
		}
	}
	return done, nil
}
