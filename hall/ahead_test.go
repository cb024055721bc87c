package hall_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// An applicant who took a ticket online may leave the hall: when a call
// leaves three people ahead of the ticket, the outbox tells its holder, once;
// tickets taken at the kiosk have nobody to tell.
func TestThreeAheadIsToldOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		w := staff(901, "王丽", county)
		must(f.svc.SignIn(ctx, w, county, "01")).ok(t)
		for range 4 {
			must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		}
		yu := applicant(801, "于秀兰", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC))
		mine := must(f.svc.Take(ctx, yu, county, hall.TakeRequest{Category: "A"})).ok(t)
		for range 3 {
			must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		}
		if got := aheadNotices(t, db); len(got) != 0 {
			t.Fatalf("told before any call: %v", got)
		}
		// Each call moves the queue by one; the first leaves three ahead of 于秀兰.
		for i := range 4 {
			called := must(f.svc.CallNext(ctx, w, county, "01")).ok(t)
			got := aheadNotices(t, db)
			if len(got) != 1 {
				t.Fatalf("after call %d: %d notices %v, want exactly one", i+1, len(got), got)
			}
			if got[0].recipient != "user:801" || got[0].payload["ticket"] != mine.Number || got[0].payload["ahead"] != float64(hall.PeopleAheadToTell) {
				t.Fatalf("notice %+v, want one to user:801 about %s", got[0], mine.Number)
			}
			must(f.svc.Start(ctx, w, county, called.ID)).ok(t)
			must(f.svc.Finish(ctx, w, county, called.ID)).ok(t)
		}
	})
}

type outboxRow struct {
	recipient string
	payload   map[string]any
}

func aheadNotices(t *testing.T, db *store.DB) []outboxRow {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT recipient, payload FROM outbox WHERE topic = 'ticket.three_ahead' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var raw string
		if err := rows.Scan(&r.recipient, &raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), &r.payload); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}
