package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/metrics"
)

func (s *Server) hallBoardState(ctx context.Context, c call[noBody]) (hall.Board, error) {
	return s.Hall.BoardState(ctx, c.Path("point"))
}

// hallBoard streams a hall's display board as server-sent events. A new
// viewer gets a "snapshot" event first; a viewer that reconnects with
// Last-Event-ID (or ?last_event_id=) gets every event it missed, or a fresh
// snapshot when those have been pruned. Each batch of events is followed by
// a "waiting" event (without id) carrying the current counts. After the
// viewer has caught up from the database, the point's one watcher
// (hall.WatchBoard) hands it what any server process commits, so thousands
// of viewers cost one poll of the database per point. Streams are counted:
// at most BoardStreamsPerClient per client address and MaxBoardStreams in
// all. It stays outside the adapter (serve): it answers for hours, event
// by event, and no problem can follow its first event.
func (s *Server) hallBoard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	point := r.PathValue("point")
	last := int64(-1)
	if v := r.Header.Get("Last-Event-ID"); v != "" || r.URL.Query().Get("last_event_id") != "" {
		if v == "" {
			v = r.URL.Query().Get("last_event_id")
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 0 {
			return apperr.Fields{apperr.Field("Last-Event-ID", "format", apperr.M("事件编号须为非负整数", "must be a non-negative integer"))}.Err()
		}
		last = n
	}
	state, err := s.Hall.BoardState(ctx, point) // also refuses an unknown point before the stream starts
	if err != nil {
		return err
	}
	release, err := s.boardStreams.open(s.clientIP(r), s.MaxBoardStreams, s.BoardStreamsPerClient)
	if err != nil {
		return err
	}
	defer release()
	watch := s.Hall.WatchBoard(point)
	defer watch.Close()

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // tell reverse proxies not to buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	if last < 0 || last > state.Seq {
		writeSSE(w, state.Seq, hall.BoardSnapshot, state)
		last = state.Seq
	}
	// catchUp reads what the viewer lacks from the database: on connecting
	// (events committed before the watch began) and after a gap.
	catchUp := func() error {
		sent := false
		for {
			metrics.Inc("onewindow_board_stream_reads_total")
			evs, err := s.Hall.BoardEvents(ctx, point, last, boardBatch)
			if err != nil {
				return err
			}
			if len(evs) > 0 && evs[0].Seq != last+1 {
				// The events in between were pruned: start again from the whole board.
				st, err := s.Hall.BoardState(ctx, point)
				if err != nil {
					return err
				}
				writeSSE(w, st.Seq, hall.BoardSnapshot, st)
				last, sent = st.Seq, true
				continue
			}
			for _, e := range evs {
				writeSSE(w, e.Seq, e.Kind, e)
				last, sent = e.Seq, true
			}
			if len(evs) < boardBatch {
				break
			}
		}
		if sent {
			counts, err := s.Hall.Waiting(ctx, point)
			if err != nil {
				return err
			}
			writeSSE(w, -1, hall.BoardWaiting, counts)
		}
		return rc.Flush()
	}
	// deliver writes an update from the point's watcher.
	deliver := func(u hall.BoardUpdate) error {
		if len(u.Events) > 0 && u.Events[0].Seq > last+1 {
			return catchUp()
		}
		sent := false
		for _, e := range u.Events {
			if e.Seq > last {
				writeSSE(w, e.Seq, e.Kind, e)
				last, sent = e.Seq, true
			}
		}
		if sent {
			writeSSE(w, -1, hall.BoardWaiting, u.Waiting)
		}
		return rc.Flush()
	}
	if err := catchUp(); err != nil {
		if ctx.Err() == nil {
			s.log.Warn("board stream", "point", point, "err", err)
		}
		return nil // the stream has begun: no problem document can follow
	}
	beat := time.NewTicker(s.Hall.BoardHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-beat.C:
			fmt.Fprint(w, ": heartbeat\n\n")
			if err := rc.Flush(); err != nil {
				return nil
			}
		case u, ok := <-watch.C:
			if !ok {
				return nil // fell behind: the browser reconnects with Last-Event-ID and catches up
			}
			if err := deliver(u); err != nil {
				if ctx.Err() == nil {
					s.log.Warn("board stream", "point", point, "err", err)
				}
				return nil
			}
		}
	}
}

// streamCounts counts the open board streams, in all and per client address.
type streamCounts struct {
	mu        sync.Mutex
	total     int
	perClient map[string]int
}

// open counts a new stream of client, or refuses it: 429 when the client has
// perClient open, 503 when the server has max open (≤ 0: the defaults).
// release uncounts it.
func (c *streamCounts) open(client string, max, perClient int) (release func(), err error) {
	if max <= 0 {
		max = DefaultMaxBoardStreams
	}
	if perClient <= 0 {
		perClient = DefaultBoardStreamsPerClient
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.perClient == nil {
		c.perClient = map[string]int{}
	}
	if c.perClient[client] >= perClient {
		metrics.Inc("onewindow_board_streams_refused_total", "reason", "per_client")
		return nil, apperr.New(apperr.RateLimited, "board_streams_per_client",
			apperr.M("本机打开的大屏过多，请关闭一些后再试", "too many display boards open from this address; close some and try again")).With("retry_after", 30)
	}
	if c.total >= max {
		metrics.Inc("onewindow_board_streams_refused_total", "reason", "full")
		return nil, apperr.New(apperr.Unavailable, "board_streams_full",
			apperr.M("大屏连接已满，请稍后再试", "the server follows as many display boards as it can; try again shortly")).With("retry_after", 30)
	}
	c.total++
	c.perClient[client]++
	metrics.Add("onewindow_board_streams", 1)
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.total--
		if c.perClient[client]--; c.perClient[client] <= 0 {
			delete(c.perClient, client)
		}
		metrics.Add("onewindow_board_streams", -1)
	}, nil
}

func init() {
	metrics.DescribeGauge("onewindow_board_streams", "display-board event streams open")
	metrics.Describe("onewindow_board_streams_refused_total", "display-board streams refused: too many from one address, or in all")
	metrics.Describe("onewindow_board_stream_reads_total", "reads of board events by single streams catching up (on connecting or after a gap)")
}

// writeSSE writes one event; id < 0 leaves the viewer's last event ID as it is.
func writeSSE(w http.ResponseWriter, id int64, kind string, data any) {
	b, _ := json.Marshal(data)
	if id >= 0 {
		fmt.Fprintf(w, "id: %d\n", id)
	}
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, b)
}
