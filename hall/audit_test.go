package hall_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Changes to how a hall serves people are on the audit chain, written by
// the transaction that makes them; a refused change writes nothing.
func TestHallSetUpChangesAreAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db) // hours, five categories and three windows at each of two points
		ctx := context.Background()
		count := func(action string) int {
			t.Helper()
			recs, err := audit.List(ctx, db, audit.Filter{Action: action, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, r := range recs {
				if r.Outcome == audit.OK && r.Actor == f.admin.Username {
					n++
				}
			}
			return n
		}
		for action, want := range map[string]int{"hall.put_hours": 2, "hall.put_category": 10, "hall.put_window": 6} {
			if got := count(action); got != want {
				t.Errorf("%s: %d audit records, want %d", action, got, want)
			}
		}

		must(f.svc.PutSettings(ctx, f.manager, county, hall.Settings{FairnessMinutes: 20, NoShowAfterRecalls: 2,
			NoShowLimit: 3, NoShowWindowDays: 30, NoShowBlockDays: 7, CheckInEarlyMinutes: 15})).ok(t)
		recs, err := audit.List(ctx, db, audit.Filter{Action: "hall.put_settings", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0].Actor != f.manager.Username || recs[0].Object != "point:"+county {
			t.Fatalf("settings change audited as %+v, want one record by %s on point:%s", recs, f.manager.Username, county)
		}

		// A window with an unknown category is refused and leaves no record.
		before := count("hall.put_window")
		if _, err := f.svc.PutWindow(ctx, f.admin, county, hall.Window{Code: "09", Name: "9号窗口", Categories: []string{"Z"}, Active: true}); err == nil {
			t.Fatal("a window with an unknown category was saved")
		}
		if got := count("hall.put_window"); got != before {
			t.Errorf("a refused window change left %d audit records", got-before)
		}
		if _, err := audit.Verify(ctx, db); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}
