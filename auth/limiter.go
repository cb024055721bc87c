package auth

import (
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
)

// Limiter defaults: 5 failed logins per key in any 15 minutes, and at most
// 100,000 keys remembered (a few MiB).
const (
	DefaultMaxFailures = 5
	DefaultWindow      = 15 * time.Minute
	DefaultMaxKeys     = 100_000
	// DefaultAccountFailures bounds failed sign-ins to one account from all
	// clients together in a window: guessing spread over many addresses.
	DefaultAccountFailures = 50
	// FreeFailures is how many failed sign-ins from one client to one
	// account need no wait; after each further one the next try waits
	// 1, 2, 4 … seconds, until MaxFailures locks the pair for the window.
	FreeFailures = 2
)

// Limiter slows down password guessing. It counts failed logins per key (a
// username, a client address) in memory over a sliding window; once a key has
// MaxFailures failures inside Window, Check refuses it until the oldest of
// them leaves the window. Each server process counts on its own, so with n
// processes behind a load balancer a guesser gets at most n times the budget.
// Zero fields take the defaults, so the zero value is ready to use.
type Limiter struct {
	MaxFailures int           // DefaultMaxFailures when ≤ 0
	Window      time.Duration // DefaultWindow when ≤ 0
	MaxKeys     int           // DefaultMaxKeys when ≤ 0
	// AccountFailures is the sign-in limit per account from all clients
	// (DefaultAccountFailures when ≤ 0).
	AccountFailures int
	// Now is the clock (time.Now when nil); tests move it instead of sleeping.
	Now func() time.Time

	mu        sync.Mutex
	failures  map[string][]time.Time // oldest first, at most MaxFailures entries
	lastSweep time.Time
}

// NewLimiter returns a Limiter with the default limits.
func NewLimiter() *Limiter {
	return &Limiter{MaxFailures: DefaultMaxFailures, Window: DefaultWindow, MaxKeys: DefaultMaxKeys}
}

func (l *Limiter) maxFailures() int {
	if l.MaxFailures > 0 {
		return l.MaxFailures
	}
	return DefaultMaxFailures
}

func (l *Limiter) window() time.Duration {
	if l.Window > 0 {
		return l.Window
	}
	return DefaultWindow
}

func (l *Limiter) maxKeys() int {
	if l.MaxKeys > 0 {
		return l.MaxKeys
	}
	return DefaultMaxKeys
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now() // wall clock: lock-outs are durations
}

// Check returns RateLimited "too_many_attempts" when any of keys is locked
// out, with Extra["retry_after"] the seconds until every one of them may try
// again; nil otherwise.
func (l *Limiter) Check(keys ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, key := range keys {
		recent := l.recent(key, now)
		if limit := l.maxFailures(); len(recent) >= limit {
			// The key frees up when enough failures have left the window
			// that fewer than MaxFailures remain.
			freeAt := recent[len(recent)-limit].Add(l.window())
			wait = max(wait, freeAt.Sub(now))
		}
	}
	if wait <= 0 {
		return nil
	}
	return errTooMany(wait)
}

// errTooMany refuses an attempt for wait, in whole seconds (Retry-After).
func errTooMany(wait time.Duration) error {
	return apperr.New(apperr.RateLimited, "too_many_attempts",
		apperr.M("尝试次数过多，请稍后再试", "too many failed attempts; please try again later")).
		With("retry_after", int((wait+time.Second-1)/time.Second))
}

// Failure records a failed attempt for each key.
func (l *Limiter) Failure(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.beginWrite()
	for _, key := range keys {
		l.add(key, now, l.maxFailures())
	}
}

// beginWrite readies the map for a change (l.mu held) and returns now.
func (l *Limiter) beginWrite() time.Time {
	now := l.now()
	if l.failures == nil {
		l.failures = map[string][]time.Time{}
	}
	l.maybeSweep(now)
	return now
}

// Success forgets the failures of each key.
func (l *Limiter) Success(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, key := range keys {
		delete(l.failures, key)
	}
}

// recent returns the failures of key still inside the window, dropping the
// key when none are left.
func (l *Limiter) recent(key string, now time.Time) []time.Time {
	times, ok := l.failures[key]
	if !ok {
		return nil
	}
	cutoff := now.Add(-l.window())
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	if i == len(times) {
		delete(l.failures, key)
		return nil
	}
	return times[i:]
}

// maybeSweep drops expired keys once per window, so that memory follows the
// number of keys that failed recently rather than ever.
func (l *Limiter) maybeSweep(now time.Time) {
	if now.Sub(l.lastSweep) < l.window() {
		return
	}
	l.sweep(now)
}

func (l *Limiter) sweep(now time.Time) {
	l.lastSweep = now
	cutoff := now.Add(-l.window())
	for key, times := range l.failures {
		if !times[len(times)-1].After(cutoff) {
			delete(l.failures, key)
		}
	}
}

// makeRoom keeps the map under MaxKeys before a new key is added: first by
// sweeping expired keys (at most once a minute, as a sweep walks every key),
// then by dropping arbitrary keys. Under a flood of distinct keys some
// counts are lost; that is the price of bounded memory.
func (l *Limiter) makeRoom(now time.Time) {
	limit := l.maxKeys()
	if len(l.failures) < limit {
		return
	}
	if now.Sub(l.lastSweep) >= time.Minute {
		l.sweep(now)
	}
	for key := range l.failures {
		if len(l.failures) < limit {
			break
		}
		delete(l.failures, key)
	}
}

// Len returns how many keys the limiter currently remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.failures)
}

// Sign-in attempts are limited per account and per (account, client),
// never per client alone: a hall behind one NAT, or everyone behind the
// province's load balancer, shares an address, and one person's typos must
// not lock the others out. A client that fails on one account keeps trying
// others at full speed only until the password hashing bound (Store's
// HashSlots) makes it wait like everyone else.

// Attempt is a sign-in reserved by BeginLogin; end it with Succeeded,
// Failed or Abandoned.
type Attempt struct {
	l          *Limiter
	pair, acct string
	at         time.Time
}

func (l *Limiter) accountFailures() int {
	if l.AccountFailures > 0 {
		return l.AccountFailures
	}
	return DefaultAccountFailures
}

// BeginLogin reserves one attempt to sign in to account from client before
// the password is checked: the reservation counts as a failure until the
// attempt ends, so that simultaneous attempts cannot all pass the check and
// all be hashed. It refuses, with RateLimited "too_many_attempts" and
// Extra["retry_after"] in seconds, when the pair has MaxFailures recent
// failures, when the pair's growing delay since its last failure has not
// passed, or when the account has AccountFailures recent failures.
func (l *Limiter) BeginLogin(account, client string) (*Attempt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.beginWrite()
	a := &Attempt{l: l, pair: "login:" + account + "|" + client, acct: "account:" + account, at: now}
	var wait time.Duration
	pair := l.recent(a.pair, now)
	if limit := l.maxFailures(); len(pair) >= limit {
		wait = pair[len(pair)-limit].Add(l.window()).Sub(now)
	} else if n := len(pair); n > FreeFailures {
		delay := time.Second << min(n-FreeFailures-1, 20)
		wait = pair[n-1].Add(delay).Sub(now)
	}
	acct := l.recent(a.acct, now)
	if limit := l.accountFailures(); len(acct) >= limit {
		wait = max(wait, acct[len(acct)-limit].Add(l.window()).Sub(now))
	}
	if wait > 0 {
		return nil, errTooMany(wait)
	}
	l.add(a.pair, now, l.maxFailures())
	l.add(a.acct, now, l.accountFailures())
	return a, nil
}

// add records a failure at now for key, keeping at most limit of them.
func (l *Limiter) add(key string, now time.Time, limit int) {
	recent := l.recent(key, now)
	if recent == nil {
		l.makeRoom(now)
	}
	recent = append(recent, now)
	if len(recent) > limit {
		recent = recent[len(recent)-limit:]
	}
	l.failures[key] = recent
}

// Failed keeps the reservation as a failed attempt.
func (a *Attempt) Failed() {}

// Succeeded forgets the failures of the pair and of the account.
func (a *Attempt) Succeeded() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	delete(a.l.failures, a.pair)
	delete(a.l.failures, a.acct)
}

// Abandoned withdraws the reservation: no password was checked (the
// server was too busy to hash it, or the request failed on the way).
func (a *Attempt) Abandoned() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	for _, key := range []string{a.pair, a.acct} {
		times := a.l.failures[key]
		for i := len(times) - 1; i >= 0; i-- {
			if times[i].Equal(a.at) {
				times = append(times[:i], times[i+1:]...)
				break
			}
		}
		if len(times) == 0 {
			delete(a.l.failures, key)
		} else {
			a.l.failures[key] = times
		}
	}
}
