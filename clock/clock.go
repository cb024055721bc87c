// Package clock is the one source of "now" for the domain. The server makes
// one Clock and hands it to every service; business dates (due dates, the
// hall's day, the demo's history, a case number's day) are read from it and
// never from time.Now, so that tests can run the whole system on any date
// and a deployment can be checked against a date of its choosing.
//
// Logging, metrics, timeouts and rate limits measure durations and keep the
// wall clock.
package clock

import (
	"sync"
	"time"
)

// China is China Standard Time (UTC+8, no daylight saving), fixed so that
// nothing depends on the machine's time-zone database.
var China = time.FixedZone("CST", 8*3600)

// Clock tells the time. The zero value (nil) is the wall clock, so a
// service built without one still runs.
type Clock func() time.Time

// Wall is the real time.
func Wall() Clock { return time.Now }

// Now returns the current time of c.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}

// Today returns c's current civil date in China, at midnight UTC (the form
// the working-day calendar uses).
func (c Clock) Today() time.Time { return CivilDate(c.Now()) }

// CivilDate is t's calendar date in China, at midnight UTC.
func CivilDate(t time.Time) time.Time {
	y, m, d := t.In(China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Fixed is a clock that always reads t.
func Fixed(t time.Time) Clock { return func() time.Time { return t } }

// Since is a clock that starts at start and runs at the wall clock's pace:
// a demo or a test set on another date whose seconds still pass.
func Since(start time.Time) Clock {
	began := time.Now()
	return func() time.Time { return start.Add(time.Since(began)) }
}

// Manual is a clock that moves only when told to: tests use it to cross a
// midnight or a weekend.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// NewManual returns a Manual clock reading t.
func NewManual(t time.Time) *Manual { return &Manual{t: t} }

// Now returns the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.t = t
	m.mu.Unlock()
}

// Advance moves the clock on by d.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	m.t = m.t.Add(d)
	m.mu.Unlock()
}

// Clock returns m as a Clock.
func (m *Manual) Clock() Clock { return m.Now }
