package reliability_test

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/bench"
)

// Far more requests than the server may serve at once: the surplus waits
// briefly, then gets 503 with Retry-After; nothing else fails, memory stays
// bounded, and the server answers normally as soon as the load stops.
func TestOverloadIsRefusedWith503AndRecovers(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "onewindow.db")
	prepare(t, dsn)
	p := serve(t, dsn, "--max-in-flight", "2")
	const clients = 600
	c := bench.NewClient(p.URL, clients)
	defer c.Close()
	search := "/api/v1/items?q=" + url.QueryEscape("营业执照")

	var ok, rejected, withoutRetryAfter, other atomic.Int64
	var firstOther atomic.Value
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				err := c.Do(context.WithoutCancel(ctx), "GET", search, "", nil, 200, nil)
				var se *bench.StatusError
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &se) && se.Status == 503:
					rejected.Add(1)
					if se.RetryAfter == "" {
						withoutRetryAfter.Add(1)
					}
				default:
					other.Add(1)
					firstOther.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	waitFor(t, 90*time.Second, "30 refusals", func() bool { return rejected.Load() >= 30 })
	stop()
	wg.Wait()
	t.Logf("under overload: %d served, %d refused with 503", ok.Load(), rejected.Load())
	if other.Load() > 0 {
		t.Errorf("%d requests failed otherwise than with 503, the first: %v", other.Load(), firstOther.Load())
	}
	if withoutRetryAfter.Load() > 0 {
		t.Errorf("%d refusals without Retry-After", withoutRetryAfter.Load())
	}
	if ok.Load() == 0 {
		t.Error("nothing was served under overload")
	}
	m, known := bench.MemoryOf(p.Pid())
	if !known {
		t.Fatal("cannot read the server's memory")
	}
	t.Logf("server peak RSS %.0f MB", m.PeakMB)
	if m.PeakMB > 400 {
		t.Errorf("server peak RSS %.0f MB under %d clients: memory is not bounded by the concurrency limit", m.PeakMB, clients)
	}

	// Recovery: once the load is gone, every request is served.
	for i := range 20 {
		if err := c.Do(context.Background(), "GET", search, "", nil, 200, nil); err != nil {
			t.Fatalf("request %d after the load stopped: %v", i, err)
		}
	}
}
