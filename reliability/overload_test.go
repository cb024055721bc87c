package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/bench"
)

// More requests than the server may serve at once: the surplus waits
// briefly, then gets 503 with Retry-After; nothing else fails, memory stays
// bounded, and the server answers normally as soon as the load is gone.
//
// The server may serve 2 requests at once. Two clients that send a request
// and then its body very slowly hold both places for as long as they like,
// so the overload does not depend on how fast this machine answers.
func TestOverloadIsRefusedWith503AndRecovers(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "onewindow.db")
	prepare(t, dsn)
	const slots = 2
	p := serve(t, dsn, "--max-in-flight", fmt.Sprint(slots))
	search := "/api/v1/items?q=" + url.QueryEscape("营业执照")
	probe := bench.NewClient(p.URL, 4)
	defer probe.Close()
	if err := probe.Do(context.Background(), "GET", search, "", nil, 200, nil); err != nil {
		t.Fatalf("before the load: %v", err)
	}

	var holders []net.Conn
	release := func() {
		for _, c := range holders {
			c.Close()
		}
		holders = nil
	}
	defer release()
	for range slots {
		holders = append(holders, holdSlot(t, p.URL))
	}
	waitFor(t, 60*time.Second, "the slow clients to hold every place", func() bool {
		err := probe.Do(context.Background(), "GET", search, "", nil, 200, nil)
		var se *bench.StatusError
		return errors.As(err, &se) && se.Status == 503
	})

	const clients = 600
	c := bench.NewClient(p.URL, clients)
	defer c.Close()
	var refused, withoutRetryAfter, other atomic.Int64
	var firstOther atomic.Value
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Do(context.Background(), "GET", search, "", nil, 200, nil)
			var se *bench.StatusError
			switch {
			case errors.As(err, &se) && se.Status == 503:
				refused.Add(1)
				if se.RetryAfter == "" {
					withoutRetryAfter.Add(1)
				}
			default:
				other.Add(1)
				firstOther.CompareAndSwap(nil, fmt.Sprint(err))
			}
		}()
	}
	wg.Wait()
	if refused.Load() != clients {
		t.Errorf("%d of %d requests beyond capacity were refused with 503; %d otherwise, the first: %v",
			refused.Load(), clients, other.Load(), firstOther.Load())
	}
	if withoutRetryAfter.Load() > 0 {
		t.Errorf("%d refusals without Retry-After", withoutRetryAfter.Load())
	}
	m, known := bench.MemoryOf(p.Pid())
	if !known {
		t.Fatal("cannot read the server's memory")
	}
	t.Logf("%d clients refused; server peak RSS %.0f MB", refused.Load(), m.PeakMB)
	if m.PeakMB > 400 {
		t.Errorf("server peak RSS %.0f MB under %d waiting clients: memory is not bounded by the concurrency limit", m.PeakMB, clients)
	}

	// Recovery: once the slow clients are gone, every request is served.
	release()
	waitFor(t, 30*time.Second, "the places to be given back", func() bool {
		return probe.Do(context.Background(), "GET", search, "", nil, 200, nil) == nil
	})
	for i := range 20 {
		if err := probe.Do(context.Background(), "GET", search, "", nil, 200, nil); err != nil {
			t.Fatalf("request %d after the load was gone: %v", i, err)
		}
	}
}

// holdSlot sends a sign-in whose body never arrives: the server reads the
// body inside its concurrency limit, so the request holds one place until
// the connection is closed.
func holdSlot(t *testing.T, base string) net.Conn {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	req := strings.Join([]string{"POST /api/v1/auth/login HTTP/1.1", "Host: " + u.Host, "Content-Type: application/json",
		"Content-Length: 100", "", "{"}, "\r\n")
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	return conn
}
