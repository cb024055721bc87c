package hall

import (
	"sync"
	"time"

	"github.com/onewindow/onewindow/clock"
)

// DefaultLimiterKeys bounds the keys a Limiter remembers. Keys carry what
// callers send (a point code and a client address), so without a bound a
// flood of distinct keys inside one window would grow the map without end.
const DefaultLimiterKeys = 10_000

// Limiter allows each key at most Max events per Window (a fixed window
// per key), in memory: each server process counts on its own.
type Limiter struct {
	Max    int
	Window time.Duration
	// MaxKeys bounds the keys remembered (DefaultLimiterKeys when ≤ 0).
	MaxKeys int
	Now     func() time.Time

	mu     sync.Mutex
	counts map[string]*windowCount
}

type windowCount struct {
	start time.Time
	n     int
}

// NewLimiter returns a Limiter of max events per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, MaxKeys: DefaultLimiterKeys, Now: clock.Wall(), counts: map[string]*windowCount{}}
}

// Allow counts one event of key and reports whether it is within the limit,
// and if not how long until it is.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	if l.counts == nil {
		l.counts = map[string]*windowCount{}
	}
	c := l.counts[key]
	if c == nil {
		l.makeRoom(now)
	}
	if c == nil || now.Sub(c.start) >= l.Window {
		c = &windowCount{start: now}
		l.counts[key] = c
	}
	if c.n >= l.Max {
		return false, c.start.Add(l.Window).Sub(now)
	}
	c.n++
	return true, 0
}

// makeRoom keeps the map under MaxKeys before a new key is added: first by
// dropping keys whose window has passed, then, under a flood of distinct keys
// inside one window, arbitrary keys (whose counts start again: the price of
// bounded memory).
func (l *Limiter) makeRoom(now time.Time) {
	limit := l.MaxKeys
	if limit <= 0 {
		limit = DefaultLimiterKeys
	}
	if len(l.counts) < limit {
		return
	}
	for k, c := range l.counts {
		if now.Sub(c.start) >= l.Window {
			delete(l.counts, k)
		}
	}
	for k := range l.counts {
		if len(l.counts) < limit {
			break
		}
		delete(l.counts, k)
	}
}

// Len returns how many keys the limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.counts)
}
