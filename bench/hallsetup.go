package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// WindowStaff is a window of the bench's hall and the front-desk user who
// staffs it.
type WindowStaff struct {
	Window   string
	Username string
}

// AddWindows sets up n windows at point serving categories, each with a
// front-desk user of its own (prefix01, prefix02 …, password). It writes
// straight to the database: this is the stage for a measurement, not part
// of it. Running it again reuses what exists.
func AddWindows(ctx context.Context, db *store.DB, point string, n int, prefix, password string, categories []string) ([]WindowStaff, error) {
	cal, err := workday.NewOfficial()
	if err != nil {
		return nil, err
	}
	halls := hall.NewService(db, cal, network.NewStore(db), catalog.NewStore(db), nil, clock.Wall())
	users := auth.NewStore(db)
	admin := auth.User{Username: "bench", Name: "bench", Role: auth.RoleAdmin}
	out := make([]WindowStaff, 0, n)
	for i := 1; i <= n; i++ {
		ws := WindowStaff{Window: fmt.Sprintf("BW%02d", i), Username: fmt.Sprintf("%s%02d", prefix, i)}
		if _, err := users.UserByUsername(ctx, ws.Username); err != nil {
			if apperr.CodeOf(err) != apperr.NotFound {
				return nil, err
			}
			u := auth.User{Username: ws.Username, Name: fmt.Sprintf("窗口%02d", i), Role: auth.RoleFrontDesk, PointCode: point}
			if _, err := users.AddUser(ctx, auth.System, u, password); err != nil {
				return nil, fmt.Errorf("bench: user %s: %w", ws.Username, err)
			}
		}
		w := hall.Window{Code: ws.Window, Name: fmt.Sprintf("压测%02d号窗口", i), Categories: categories, SortOrder: 100 + i, Active: true}
		if _, err := halls.PutWindow(ctx, admin, point, w); err != nil {
			return nil, fmt.Errorf("bench: window %s: %w", ws.Window, err)
		}
		out = append(out, ws)
	}
	return out, nil
}

// SeedTickets puts n waiting tickets of category into today's queue at
// point, numbered from the point's counter as the hall numbers them, in a
// few batched transactions. The hall's opening hours are not consulted:
// the queue is the stage for call-next, which works at any hour.
func SeedTickets(ctx context.Context, db *store.DB, point, category string, n int, now time.Time) error {
	day := hall.DayOf(now)
	const batch = 500
	for done := 0; done < n; {
		size := min(batch, n-done)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var last int
			err := tx.QueryRowContext(ctx, `
				INSERT INTO hall_counters (point_code, category, day, last) VALUES (?, ?, ?, ?)
				ON CONFLICT (point_code, category, day) DO UPDATE SET last = hall_counters.last + ?
				RETURNING last`, point, category, day, size, size).Scan(&last)
			if err != nil {
				return fmt.Errorf("bench: ticket counter: %w", err)
			}
			first := last - size + 1
			var b strings.Builder
			args := make([]any, 0, size*8)
			b.WriteString(`INSERT INTO hall_tickets (point_code, day, category, number, status, source, queued_at, taken_at) VALUES `)
			for i := range size {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, ?, ?, 'waiting', 'kiosk', ?, ?)")
				// Tickets a microsecond apart keep the queue order strict.
				at := store.FormatTime(now.Add(time.Duration(first+i) * time.Microsecond))
				args = append(args, point, day, category, hall.TicketNumber(category, first+i), at, at)
			}
			_, err = tx.ExecContext(ctx, b.String(), args...)
			return err
		})
		if err != nil {
			return fmt.Errorf("bench: seed tickets: %w", err)
		}
		done += size
	}
	if db.Dialect() == store.Postgres {
		// What autovacuum does after a load this size; without it the
		// planner takes the queue for empty and picks a poor index.
		if _, err := db.ExecContext(ctx, `ANALYZE hall_tickets`); err != nil {
			return fmt.Errorf("bench: seed tickets: %w", err)
		}
	}
	return nil
}
