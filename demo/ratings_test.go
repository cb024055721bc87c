package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// The demo rates its last issued cases: the figures count them and the one
// bad rating has a follow-up on the working-day clock.
func TestDemoRatings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 16, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
		if loaded, err := demo.LoadWithHistory(ctx, db, now); err != nil || !loaded {
			t.Fatalf("demo data: %v %v", loaded, err)
		}
		cal, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		svc := rating.NewService(db, cal, func() time.Time { return now })
		admin := auth.User{Role: auth.RoleAdmin}
		list, total, err := svc.List(ctx, admin, rating.Filter{})
		if err != nil || total != 6 {
			t.Fatalf("%d demo ratings, %v; want 6", total, err)
		}
		bad := 0
		for _, r := range list {
			if r.Bad() {
				bad++
				if r.FollowUpID == nil {
					t.Errorf("bad rating %d has no follow-up", r.ID)
				}
			}
		}
		fu, n, err := svc.FollowUps(ctx, admin, rating.FollowUpFilter{})
		if err != nil || bad != 1 || n != 1 || fu[0].Status != rating.Open || fu[0].ContactDue == "" || fu[0].RectifyDue <= fu[0].ContactDue {
			t.Fatalf("follow-ups %+v (%d bad), %v", fu, bad, err)
		}
		fig, err := svc.Figures(ctx, admin, rating.FigureFilter{Month: "2026-03"})
		if err != nil || fig.Total.Ratings != 6 || fig.Total.Satisfied != 5 {
			t.Errorf("figures %+v, %v", fig.Total, err)
		}
	})
}
