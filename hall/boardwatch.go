package hall

import (
	"context"
	"sync"
	"time"

	"github.com/onewindow/onewindow/metrics"
)

// A display board is watched by every screen in the hall and by anyone who
// opens it: thousands of viewers of a few points. Instead of each viewer
// polling the database, one watcher per point polls it and hands every
// viewer of that point what it found; the watcher runs while the point has
// viewers and stops with the last one.

// BoardUpdate is what a point's watcher found in one poll: the new events,
// oldest first, and the waiting counts after them.
type BoardUpdate struct {
	Events  []BoardEvent
	Waiting map[string]int
}

// BoardWatch is one viewer's subscription to a point's board.
type BoardWatch struct {
	// C delivers the point's updates. It is closed when the viewer falls
	// more than a few updates behind (a slow connection: the viewer should
	// reconnect and catch up from the database) or when the watch is closed.
	C <-chan BoardUpdate

	c   chan BoardUpdate
	hub *boardHub
	s   *Service
}

// boardWatchBuffer is how many updates a viewer may be behind before it is
// dropped.
const boardWatchBuffer = 16

// boardBatch bounds the events read per poll; the watcher reads again at
// once when a batch was full.
const boardBatch = 200

type boardHub struct {
	point string
	subs  map[*BoardWatch]struct{}
	stop  context.CancelFunc
}

type boardHubs struct {
	mu   sync.Mutex
	hubs map[string]*boardHub
}

// WatchBoard subscribes to a point's board events committed from now on (by
// any server process). The caller reads what came before itself
// (BoardState, BoardEvents), skips events it already has, and catches up
// from the database when an update starts past the event it expects next.
// Close the watch when done.
func (s *Service) WatchBoard(point string) *BoardWatch {
	s.boards.mu.Lock()
	defer s.boards.mu.Unlock()
	if s.boards.hubs == nil {
		s.boards.hubs = map[string]*boardHub{}
	}
	h := s.boards.hubs[point]
	if h == nil {
		ctx, cancel := context.WithCancel(context.Background())
		h = &boardHub{point: point, subs: map[*BoardWatch]struct{}{}, stop: cancel}
		s.boards.hubs[point] = h
		start, err := s.BoardHead(ctx, point)
		if err != nil {
			start = -1 // read from the first poll on
		}
		go s.runBoardHub(ctx, h, start)
		metrics.Add("onewindow_board_watchers", 1)
	}
	c := make(chan BoardUpdate, boardWatchBuffer)
	w := &BoardWatch{C: c, c: c, hub: h, s: s}
	h.subs[w] = struct{}{}
	return w
}

// Close ends the subscription; the point's watcher stops with its last viewer.
func (w *BoardWatch) Close() {
	s := w.s
	s.boards.mu.Lock()
	defer s.boards.mu.Unlock()
	h := w.hub
	if _, ok := h.subs[w]; !ok {
		return // already dropped for falling behind
	}
	delete(h.subs, w)
	close(w.c)
	if len(h.subs) == 0 {
		h.stop()
		delete(s.boards.hubs, h.point)
		metrics.Add("onewindow_board_watchers", -1)
	}
}

// runBoardHub polls one point's events every BoardPoll and hands them to
// its viewers. A failed poll is tried again at the next tick.
func (s *Service) runBoardHub(ctx context.Context, h *boardHub, last int64) {
	t := time.NewTicker(s.BoardPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if last < 0 {
			head, err := s.BoardHead(ctx, h.point)
			if err != nil {
				continue
			}
			last = head
		}
		for {
			metrics.Inc("onewindow_board_polls_total")
			evs, err := s.BoardEvents(ctx, h.point, last, boardBatch)
			if err != nil || len(evs) == 0 {
				break
			}
			counts, err := s.Waiting(ctx, h.point)
			if err != nil {
				break
			}
			last = evs[len(evs)-1].Seq
			s.broadcast(h, BoardUpdate{Events: evs, Waiting: counts})
			if len(evs) < boardBatch {
				break
			}
		}
	}
}

// broadcast hands u to every viewer of h, dropping those too far behind.
func (s *Service) broadcast(h *boardHub, u BoardUpdate) {
	s.boards.mu.Lock()
	defer s.boards.mu.Unlock()
	for w := range h.subs {
		select {
		case w.c <- u:
		default:
			delete(h.subs, w)
			close(w.c)
			metrics.Inc("onewindow_board_viewers_dropped_total")
		}
	}
}

// BoardWatchers returns how many points are being watched in this process.
func (s *Service) BoardWatchers() int {
	s.boards.mu.Lock()
	defer s.boards.mu.Unlock()
	return len(s.boards.hubs)
}

func init() {
	metrics.DescribeGauge("onewindow_board_watchers", "points whose display board is being watched (one database poll each)")
	metrics.Describe("onewindow_board_polls_total", "polls of board events by the points' watchers")
	metrics.Describe("onewindow_board_viewers_dropped_total", "board viewers dropped for falling behind (they reconnect and catch up)")
}
