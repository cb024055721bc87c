package auth_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
)

// retryAfter returns the Retry-After seconds of a rate-limit error, failing
// the test for anything else.
func retryAfter(t *testing.T, err error) int {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.RateLimited || ae.Reason != "too_many_attempts" {
		t.Fatalf("got %v, want RateLimited/too_many_attempts", err)
	}
	s, ok := ae.Extra["retry_after"].(int)
	if !ok || s <= 0 {
		t.Fatalf("retry_after = %v, want a positive number of seconds", ae.Extra["retry_after"])
	}
	return s
}

func TestLimiterLockoutAndExpiry(t *testing.T) {
	clk := newClock()
	l := auth.NewLimiter()
	l.Now = clk.Now
	for i := 0; i < 5; i++ {
		if err := l.Check("rev1"); err != nil {
			t.Fatalf("refused before failure %d: %v", i+1, err)
		}
		l.Failure("rev1")
		clk.Advance(time.Minute)
	}
	// Failures at 0, 1, 2, 3, 4 minutes; now is 5 minutes. The first leaves
	// the 15-minute window at 15 minutes.
	if got := retryAfter(t, l.Check("rev1")); got != 10*60 {
		t.Errorf("retry_after = %d s, want %d", got, 10*60)
	}
	if err := l.Check("someone-else"); err != nil {
		t.Errorf("another key is refused: %v", err)
	}
	clk.Advance(10*time.Minute - time.Second)
	if got := retryAfter(t, l.Check("rev1")); got != 1 {
		t.Errorf("retry_after = %d s a second before the oldest failure expires, want 1", got)
	}
	clk.Advance(time.Second)
	if err := l.Check("rev1"); err != nil {
		t.Fatalf("still refused once the oldest failure left the window: %v", err)
	}
	// One more failure locks it again, until the second-oldest expires.
	l.Failure("rev1")
	if got := retryAfter(t, l.Check("rev1")); got != 60 {
		t.Errorf("retry_after = %d s, want 60", got)
	}
}

func TestLimiterSuccessResets(t *testing.T) {
	clk := newClock()
	l := auth.NewLimiter()
	l.Now = clk.Now
	for i := 0; i < 5; i++ {
		l.Failure("rev1", "10.0.0.1")
	}
	retryAfter(t, l.Check("rev1"))
	retryAfter(t, l.Check("other-user", "10.0.0.1")) // any locked key refuses
	l.Success("rev1")
	if err := l.Check("rev1"); err != nil {
		t.Fatalf("refused after a success: %v", err)
	}
	retryAfter(t, l.Check("10.0.0.1"))
	for i := 0; i < 4; i++ {
		l.Failure("rev1")
	}
	if err := l.Check("rev1"); err != nil {
		t.Fatalf("refused after 4 failures: %v", err)
	}
}

func TestLimiterBoundedMemory(t *testing.T) {
	clk := newClock()
	l := &auth.Limiter{MaxKeys: 100, Now: clk.Now} // other fields take defaults
	for i := 0; i < 1000; i++ {
		l.Failure(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	if n := l.Len(); n > 100 {
		t.Fatalf("limiter remembers %d keys, want at most 100", n)
	}
	clk.Advance(auth.DefaultWindow + time.Second)
	l.Failure("late")
	if n := l.Len(); n != 1 {
		t.Fatalf("limiter remembers %d keys after the window passed, want 1", n)
	}
}

func TestZeroLimiterUsesDefaults(t *testing.T) {
	var l auth.Limiter
	for i := 0; i < auth.DefaultMaxFailures; i++ {
		if err := l.Check("k"); err != nil {
			t.Fatalf("refused after %d failures: %v", i, err)
		}
		l.Failure("k")
	}
	retryAfter(t, l.Check("k"))
}
