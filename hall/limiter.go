package hall

import (
	"sync"
	"time"

	"github.com/onewindow/onewindow/clock"
)

// Limiter allows each key at most Max events per Window (a fixed window
// per key), in memory: each server process counts on its own.
type Limiter struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu     sync.Mutex
	counts map[string]*windowCount
}

type windowCount struct {
	start time.Time
	n     int
}

// NewLimiter returns a Limiter of max events per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, Now: clock.Wall(), counts: map[string]*windowCount{}}
}

// Allow counts one event of key and reports whether it is within the limit,
// and if not how long until it is.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	if len(l.counts) > 10_000 {
		for k, c := range l.counts {
			if now.Sub(c.start) >= l.Window {
				delete(l.counts, k)
			}
		}
	}
	c := l.counts[key]
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
