package hall_test

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// waitSum reads the total seconds of the point's waits from /metrics' text.
func waitSum(t *testing.T, point string) float64 {
	t.Helper()
	var buf bytes.Buffer
	if err := metrics.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^onewindow_hall_wait_seconds_sum\{point="` + point + `"\} (\S+)$`).FindSubmatch(buf.Bytes())
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The wait from taking a ticket to its first call is recorded by point;
// the call of a transferred ticket is no new wait.
func TestWaitFromTakingToCallIsMeasured(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		li, zhao := staff(702, "李春燕", county), staff(704, "赵", county)
		must(f.svc.SignIn(ctx, li, county, "01")).ok(t)
		must(f.svc.SignIn(ctx, zhao, county, "03")).ok(t)
		count0, sum0 := metrics.Value("onewindow_hall_wait_seconds", "point", county), waitSum(t, county)

		a := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		f.clock.advance(7 * time.Minute)
		if got := must(f.svc.CallNext(ctx, li, county, "01")).ok(t); got.ID != a.ID {
			t.Fatalf("called %s, want %s", got.Number, a.Number)
		}
		if n := metrics.Value("onewindow_hall_wait_seconds", "point", county) - count0; n != 1 {
			t.Fatalf("%v waits recorded, want 1", n)
		}
		if s := waitSum(t, county) - sum0; s != 420 {
			t.Errorf("waited %v seconds, want 420", s)
		}
		must(f.svc.Start(ctx, li, county, a.ID)).ok(t)
		must(f.svc.Transfer(ctx, li, county, a.ID, hall.TransferRequest{Category: "C"})).ok(t)
		f.clock.advance(3 * time.Minute)
		must(f.svc.CallNext(ctx, zhao, county, "03")).ok(t)
		if n := metrics.Value("onewindow_hall_wait_seconds", "point", county) - count0; n != 1 {
			t.Errorf("%v waits recorded after a transferred ticket's call, want still 1", n)
		}
	})
}
