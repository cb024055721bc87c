package hall_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// BenchmarkCallNext measures call-next at one window of a hall with a queue
// of b.N tickets (each call is followed by start and finish, as at a real
// window, outside the measured part). It reports the p50 and p99 latency of
// call-next itself; the target is a p99 under 10 ms.
func BenchmarkCallNext(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchCallNext(b, storetest.SQLite(b)) })
	if storetest.PostgresURL() != "" {
		b.Run("postgres", func(b *testing.B) {
			db, _ := storetest.Postgres(b)
			benchCallNext(b, db)
		})
	}
}

func benchCallNext(b *testing.B, db *store.DB) {
	f := newFixture(b, db)
	ctx := context.Background()
	f.clock.set(at(2026, 10, 12, 10, 0))
	w := staff(42, "王丽", county)
	must(f.svc.SignIn(ctx, w, county, "01")).ok(b)
	for i := range b.N {
		// A realistic mix: some priority tickets among normal ones.
		req := hall.TakeRequest{Category: []string{"A", "B"}[i%2]}
		if i%7 == 0 {
			req.Category, req.Disabled = "A", true
			must(f.svc.Take(ctx, staff(43, "导办", county), county, req)).ok(b)
			continue
		}
		must(f.svc.TakeAtKiosk(ctx, county, req)).ok(b)
	}
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		tk, err := f.svc.CallNext(ctx, w, county, "01")
		latencies = append(latencies, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		must(f.svc.Start(ctx, w, county, tk.ID)).ok(b)
		must(f.svc.Finish(ctx, w, county, tk.ID)).ok(b)
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(latencies)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(latencies[len(latencies)/2]), "p50-ms")
	b.ReportMetric(ms(latencies[min(len(latencies)-1, len(latencies)*99/100)]), "p99-ms")
}
