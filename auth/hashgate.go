package auth

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/metrics"
)

// An argon2id check holds 19 MiB (argonMemoryKiB) while it runs, so a flood
// of sign-ins, right or wrong, would hold that much per request at once.
// Every check in the process passes one gate: at most HashSlots run at
// once, the rest wait up to HashWait and are then told to come back, so the
// memory for hashing stays under HashSlots × 19 MiB.
var (
	// HashSlots is how many password checks run at once in the process.
	HashSlots = max(2, runtime.GOMAXPROCS(0))
	// HashWait is how long a sign-in waits for a slot before it is refused
	// as busy.
	HashWait = 3 * time.Second
)

type hashGate struct {
	slots   chan struct{}
	running atomic.Int64
	peak    atomic.Int64
}

var gate atomic.Pointer[hashGate]

func currentGate() *hashGate {
	if g := gate.Load(); g != nil && cap(g.slots) == HashSlots {
		return g
	}
	g := &hashGate{slots: make(chan struct{}, max(1, HashSlots))}
	if gate.CompareAndSwap(gate.Load(), g) {
		return g
	}
	return gate.Load()
}

// errBusy is the answer when no slot frees up in time: 503 with Retry-After.
func errBusy() error {
	return apperr.New(apperr.Unavailable, "sign_in_busy",
		apperr.M("登录的人较多，请稍后再试", "many people are signing in right now; please try again in a moment")).
		With("retry_after", 2)
}

// checkPasswordGated runs CheckPassword through the gate.
func checkPasswordGated(ctx context.Context, encoded, pw string) (bool, error) {
	g := currentGate()
	timer := time.NewTimer(HashWait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		metrics.Inc("onewindow_password_checks_refused_total")
		return false, errBusy()
	case <-ctx.Done():
		return false, apperr.Wrap(ctx.Err(), "auth: sign-in")
	}
	n := g.running.Add(1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	defer func() {
		g.running.Add(-1)
		<-g.slots
	}()
	metrics.Inc("onewindow_password_checks_total")
	return CheckPassword(encoded, pw), nil
}

func init() {
	metrics.Describe("onewindow_password_checks_total", "passwords checked (argon2id) at sign-in")
	metrics.Describe("onewindow_password_checks_refused_total", "sign-ins refused because every password-check slot stayed busy")
}

// HashMemory is the most memory the password checks hold at once, in
// bytes: HashSlots checks of argon2id's 19 MiB each.
func HashMemory() int64 { return int64(max(1, HashSlots)) * argonMemoryKiB << 10 }
