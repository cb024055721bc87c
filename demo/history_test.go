package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The demo's past year fills every month with cases that the figures then
// count, all of them, with most decided on time and some online.
func TestHistoryFillsTheYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 16, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
		loaded, err := demo.Load(ctx, db, now)
		if err != nil || !loaded {
			t.Fatalf("demo data: %v %v", loaded, err)
		}
		got, err := demo.LoadHistory(ctx, db, now)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d cases and %d hall services in %s", got.Cases, got.HallServices, got.Elapsed.Round(time.Millisecond))
		if got.Cases < 300 || got.Cases > 3000 || got.HallServices == 0 {
			t.Fatalf("history of %d cases and %d hall services", got.Cases, got.HallServices)
		}
		svc := figures.NewService(db, catalog.NewStore(db), network.NewStore(db), clock.Fixed(now))
		rep, err := svc.Figures(ctx, auth.User{Role: auth.RoleAdmin}, figures.Query{From: figures.MonthOf(got.FirstAccepted), To: figures.MonthOf(now)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Totals.Accepted != got.Cases {
			t.Errorf("the figures count %d accepted cases, the history made %d", rep.Totals.Accepted, got.Cases)
		}
		if n := rep.Totals.LunchServices + rep.Totals.ExtendedServices; n != got.HallServices {
			t.Errorf("the figures count %d lunch-time and extended services, the history made %d", n, got.HallServices)
		}
		for _, m := range rep.Months {
			if m.Accepted == 0 {
				t.Errorf("%s: no case", m.Month)
			}
		}
		if r := rep.Totals.OnTimeRate; r == nil || *r < 0.8 || *r == 1 {
			t.Errorf("on-time rate %v, want most but not all on time", r)
		}
		if r := rep.Totals.OnlineRate; r == nil || *r == 0 || *r > 0.6 {
			t.Errorf("online rate %v", r)
		}
		if len(rep.Points) != 4 {
			t.Errorf("%d points with cases, want the 4 story points", len(rep.Points))
		}
	})
}
