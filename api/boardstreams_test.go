package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/onewindow/onewindow/clientaddr"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/metrics"
)

// Many screens watching one hall cost one poll of the database, not one
// each: after each viewer has caught up once, what is called reaches all of
// them from the point's one watcher, and the watcher stops with the last
// viewer. The streams are counted on /metrics.
func TestBoardViewersShareOnePoll(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		useHallClock(e)
		e.srv.BoardStreamsPerClient = 100
		hn := demo.CountyHall
		const viewers = 40
		boards := make([]*board, viewers)
		for i := range boards {
			boards[i] = openBoard(t, e.base, hn, "")
			if boards[i].res.StatusCode != http.StatusOK {
				t.Fatalf("viewer %d: status %d", i, boards[i].res.StatusCode)
			}
			boards[i].next(hall.BoardSnapshot)
		}
		if n := e.srv.Hall.BoardWatchers(); n != 1 {
			t.Fatalf("%d watchers for %d viewers of one point, want 1", n, viewers)
		}
		if open := metrics.Value("onewindow_board_streams"); open < viewers {
			t.Errorf("onewindow_board_streams is %v with %d viewers open", open, viewers)
		}
		reads := metrics.Value("onewindow_board_stream_reads_total")
		for range 3 {
			e.call("POST", hallPath(hn, "/kiosk/tickets"), "", map[string]any{"category": "A"}).want(201)
		}
		for i, b := range boards {
			for range 3 {
				b.next(hall.BoardTicket)
			}
			if w := b.next(hall.BoardWaiting); w.data == "" {
				t.Errorf("viewer %d: empty waiting counts", i)
			}
		}
		if extra := metrics.Value("onewindow_board_stream_reads_total") - reads; extra != 0 {
			t.Errorf("%v reads of the database by single viewers after they caught up, want 0 (the watcher reads for all)", extra)
		}
		for _, b := range boards {
			b.close()
		}
		deadline := time.Now().Add(10 * time.Second)
		for e.srv.Hall.BoardWatchers() != 0 {
			if time.Now().After(deadline) {
				t.Fatal("the watcher goes on after its last viewer left")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// Board streams are capped per client address and in all: past the caps a
// new stream is refused before it starts (429, then 503), and a closed
// stream frees its place.
func TestBoardStreamCaps(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		useHallClock(e)
		e.srv.Proxies = clientaddr.MustParse("127.0.0.0/8, ::1")
		e.srv.BoardStreamsPerClient, e.srv.MaxBoardStreams = 2, 3
		hn := demo.CountyHall
		open := func(client string) (*http.Response, context.CancelFunc) {
			t.Helper()
			ctx, cancel := context.WithCancel(context.Background())
			req, _ := http.NewRequestWithContext(ctx, "GET", e.base+hallPath(hn, "/board"), nil)
			req.Header.Set("X-Forwarded-For", client)
			res, err := checkedClient(t, 0).Do(req)
			if err != nil {
				cancel()
				t.Fatal(err)
			}
			t.Cleanup(func() { cancel(); res.Body.Close() })
			return res, cancel
		}
		a1, closeA1 := open("198.51.100.1")
		a2, _ := open("198.51.100.1")
		if a1.StatusCode != 200 || a2.StatusCode != 200 {
			t.Fatalf("the first two streams of a client: %d %d", a1.StatusCode, a2.StatusCode)
		}
		if a3, _ := open("198.51.100.1"); a3.StatusCode != http.StatusTooManyRequests || a3.Header.Get("Retry-After") == "" {
			t.Errorf("a third stream of one client: %d (Retry-After %q), want 429 with Retry-After", a3.StatusCode, a3.Header.Get("Retry-After"))
		}
		if b1, _ := open("198.51.100.2"); b1.StatusCode != 200 {
			t.Fatalf("another client's first stream: %d", b1.StatusCode)
		}
		if c1, _ := open("198.51.100.3"); c1.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("a stream past the server's cap: %d, want 503", c1.StatusCode)
		}
		closeA1()
		a1.Body.Close()
		deadline := time.Now().Add(10 * time.Second)
		for {
			c1, _ := open("198.51.100.3")
			if c1.StatusCode == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a closed stream did not free its place: %d", c1.StatusCode)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
