package hall_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The hall's day is the civil date in China: its numbers, its board and its
// ticket numbers start again at midnight China time (16:00 UTC), not at
// midnight UTC and not when the server restarts.
func TestTheHallsDayRollsOverAtMidnightChinaTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		// Thursday evening, 延时办 until 19:00.
		f.clock.set(at(2026, 10, 15, 18, 50))
		first := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)

		f.clock.set(at(2026, 10, 15, 23, 59).Add(59 * time.Second))
		st := must(f.svc.Stats(ctx, f.manager, county, "")).ok(t)
		board := must(f.svc.BoardState(ctx, county)).ok(t)
		if st.Day != "2026-10-15" || st.Tickets != 1 || board.Day != "2026-10-15" {
			t.Fatalf("one second before midnight: stats of %s with %d tickets, board of %s; want 2026-10-15, 1", st.Day, st.Tickets, board.Day)
		}

		// One second after midnight in China; still 15 October in UTC.
		f.clock.set(at(2026, 10, 16, 0, 0).Add(time.Second))
		if utc := f.clock.Now().UTC(); utc.Day() != 15 {
			t.Fatalf("the test's moment is %s in UTC, want still the 15th", utc)
		}
		st = must(f.svc.Stats(ctx, f.manager, county, "")).ok(t)
		board = must(f.svc.BoardState(ctx, county)).ok(t)
		if st.Day != "2026-10-16" || st.Tickets != 0 || board.Day != "2026-10-16" {
			t.Fatalf("one second after midnight: stats of %s with %d tickets, board of %s; want 2026-10-16, 0", st.Day, st.Tickets, board.Day)
		}
		// Yesterday's numbers are still there when asked for by date.
		if st := must(f.svc.Stats(ctx, f.manager, county, "2026-10-15")).ok(t); st.Tickets != 1 {
			t.Fatalf("2026-10-15 has %d tickets after midnight, want 1", st.Tickets)
		}
		// The next morning's first ticket starts the numbers again.
		f.clock.set(at(2026, 10, 16, 8, 45))
		next := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		if next.Number != first.Number || next.Day != "2026-10-16" {
			t.Fatalf("first ticket of the 16th is %s on %s, want %s again", next.Number, next.Day, first.Number)
		}
	})
}
