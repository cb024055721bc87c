package auth_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store/storetest"
)

// Sign-in limits count per account and per (account, client), never per
// client alone: failures on one account never lock another, even from the
// same address; a client's failures on an account slow only that client
// there, with waits that grow, until it is locked out for the window; and
// guessing one account from many addresses stops at the account's limit.
func TestSignInLimitsPerAccountAndClient(t *testing.T) {
	clk := newClock()
	l := auth.NewLimiter()
	l.Now = clk.Now
	fail := func(account, client string) {
		t.Helper()
		a, err := l.BeginLogin(account, client)
		if err != nil {
			t.Fatalf("%s from %s refused: %v", account, client, err)
		}
		a.Failed()
	}
	const hall = "198.51.100.7" // one NAT in front of a whole hall
	for range auth.FreeFailures + 1 {
		fail("alice", hall)
	}
	// The next try from there waits 1 s, then 2 s after the next failure.
	_, err := l.BeginLogin("alice", hall)
	if got := retryAfter(t, err); got != 1 {
		t.Errorf("after %d failures the wait is %d s, want 1", auth.FreeFailures+1, got)
	}
	clk.Advance(time.Second)
	fail("alice", hall)
	_, err = l.BeginLogin("alice", hall)
	if got := retryAfter(t, err); got != 2 {
		t.Errorf("after one more failure the wait is %d s, want 2", got)
	}
	clk.Advance(2 * time.Second)
	fail("alice", hall) // the fifth: locked for the window
	_, err = l.BeginLogin("alice", hall)
	if got := retryAfter(t, err); got < 14*60 {
		t.Errorf("after %d failures locked for %d s, want about 15 minutes", auth.DefaultMaxFailures, got)
	}

	// Everyone else behind the same address signs in as usual.
	if a, err := l.BeginLogin("bob", hall); err != nil {
		t.Fatalf("bob behind the same NAT refused: %v", err)
	} else {
		a.Succeeded()
	}
	// Alice from her phone too.
	if a, err := l.BeginLogin("alice", "203.0.113.9"); err != nil {
		t.Fatalf("alice from another address refused: %v", err)
	} else {
		a.Succeeded()
	}

	// Guessing one account from many addresses stops at the account's limit.
	for i := range auth.DefaultAccountFailures {
		fail("carol", fmt.Sprintf("192.0.2.%d", i+1))
	}
	_, err = l.BeginLogin("carol", "192.0.2.250")
	retryAfter(t, err)
	if _, err := l.BeginLogin("dave", "192.0.2.1"); err != nil {
		t.Errorf("dave refused because of carol's guesser: %v", err)
	}
}

// An attempt is counted before the password is checked, so that a burst of
// simultaneous attempts cannot all pass; one that was never checked (the
// server was busy) gives its place back.
func TestSignInAttemptsAreReservedFirst(t *testing.T) {
	clk := newClock()
	l := auth.NewLimiter()
	l.Now = clk.Now
	var admitted []*auth.Attempt
	for range 50 {
		if a, err := l.BeginLogin("alice", "203.0.113.9"); err == nil {
			admitted = append(admitted, a)
		}
	}
	if len(admitted) != auth.FreeFailures+1 {
		t.Fatalf("%d of 50 simultaneous attempts admitted, want %d", len(admitted), auth.FreeFailures+1)
	}
	for _, a := range admitted {
		a.Abandoned()
	}
	if _, err := l.BeginLogin("alice", "203.0.113.9"); err != nil {
		t.Fatalf("after the attempts were withdrawn: %v", err)
	}
}

// However many sign-ins arrive at once, at most HashSlots passwords are
// hashed at the same time (each argon2id check holds 19 MiB); the others
// wait briefly and are then told to come back (503, sign_in_busy), so
// memory stays bounded.
func TestPasswordChecksAreBounded(t *testing.T) {
	slots, wait := auth.HashSlots, auth.HashWait
	auth.HashSlots, auth.HashWait = 2, 30*time.Millisecond
	t.Cleanup(func() { auth.HashSlots, auth.HashWait = slots, wait })
	s := auth.NewStore(storetest.SQLite(t))
	auth.ResetPasswordCheckPeak()
	const n = 300
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	for i := range n {
		wg.Go(func() {
			_, _, err := s.Login(context.Background(), fmt.Sprintf("nobody%d", i), "wrong-password")
			mu.Lock()
			outcomes[apperr.As(err).Reason]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if peak := auth.PeakPasswordChecks(); peak < 1 || peak > 2 {
		t.Errorf("%d password checks ran at once, want at most 2", peak)
	}
	if outcomes["bad_credentials"]+outcomes["sign_in_busy"] != n || outcomes["sign_in_busy"] == 0 {
		t.Errorf("outcomes %v: want only bad_credentials and some sign_in_busy", outcomes)
	}
	_, _, err := s.Login(context.Background(), "nobody", "wrong-password")
	if apperr.As(err).Reason != "bad_credentials" {
		t.Errorf("after the flood: %v, want bad_credentials", err)
	}
}
