package hall_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// scrapeWaiting reads /metrics over HTTP and returns the waiting gauge of
// each point it lists.
func scrapeWaiting(t *testing.T, url string) map[string]float64 {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, m := range regexp.MustCompile(`(?m)^onewindow_hall_tickets_waiting\{point="([^"]*)"\} (\S+)$`).FindAllSubmatch(body, -1) {
		v, err := strconv.ParseFloat(string(m[2]), 64)
		if err != nil {
			t.Fatal(err)
		}
		out[string(m[1])] = v
	}
	return out
}

// The tickets waiting at each point are counted from the database when
// /metrics is scraped: taking tickets raises a point's number, calling one
// lowers it, another point keeps its own, and yesterday's tickets left
// waiting are not counted today.
func TestTicketsWaitingGauge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		stop := f.svc.WatchWaiting()
		defer stop()
		srv := httptest.NewServer(metrics.Handler())
		defer srv.Close()

		if got := scrapeWaiting(t, srv.URL); len(got) != 0 {
			t.Fatalf("before any ticket: %v, want no series", got)
		}
		// A ticket left waiting on Monday (the fixture's day); the rest
		// are taken on Tuesday.
		must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		f.clock.advance(24 * time.Hour)

		for _, c := range []string{"A", "A", "B"} {
			must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: c})).ok(t)
		}
		must(f.svc.TakeAtKiosk(ctx, community, hall.TakeRequest{Category: "A"})).ok(t)
		if got := scrapeWaiting(t, srv.URL); got[county] != 3 || got[community] != 1 {
			t.Fatalf("after taking tickets: %v, want %s 3 and %s 1", got, county, community)
		}

		li := staff(702, "李春燕", county)
		must(f.svc.SignIn(ctx, li, county, "01")).ok(t)
		must(f.svc.CallNext(ctx, li, county, "01")).ok(t)
		if got := scrapeWaiting(t, srv.URL); got[county] != 2 || got[community] != 1 {
			t.Errorf("after a call: %v, want %s 2 and %s 1", got, county, community)
		}

		stop()
		if got := scrapeWaiting(t, srv.URL); len(got) != 0 {
			t.Errorf("after stopping: %v, want no series", got)
		}
	})
}
