package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Revoking through the Store that authenticates takes effect at once, even
// though the token was just read and kept.
func TestRevocationInTheSameStoreIsImmediate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := auth.NewStore(db)
		s.Now = newClock().Now
		rev := addUser(t, s, reviewer("rev1"))
		login := func() string {
			t.Helper()
			token, _, err := s.Login(ctx, "rev1", testPassword)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Authenticate(ctx, token); err != nil { // now kept in the cache
				t.Fatal(err)
			}
			return token
		}

		token := login()
		if err := s.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, err := s.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")

		token = login()
		if err := s.SetDisabled(ctx, auth.System, rev.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
		if err := s.SetDisabled(ctx, auth.System, rev.ID, false); err != nil {
			t.Fatal(err)
		}

		token = login()
		if err := s.SetPassword(ctx, auth.System, rev.ID, "a-new-password"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
	})
}

// Another process (here another Store on the same database) revoking a token
// is seen once the cache entry is older than UserCacheTTL, and not before:
// until then the token is answered from memory, without a query.
func TestRevocationElsewhereIsSeenWithinTheTTL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		server := auth.NewStore(db)
		server.Now = clk.Now
		other := auth.NewStore(db)
		other.Now = clk.Now
		rev := addUser(t, server, reviewer("rev1"))

		token, _, err := server.Login(ctx, "rev1", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if u, err := server.Authenticate(ctx, token); err != nil || u.ID != rev.ID {
			t.Fatalf("Authenticate = %+v, %v; want user %d", u, err, rev.ID)
		}
		if err := other.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		clk.Advance(auth.UserCacheTTL - time.Millisecond)
		if u, err := server.Authenticate(ctx, token); err != nil || u.ID != rev.ID {
			t.Fatalf("within the TTL: Authenticate = %+v, %v; want the cached user %d", u, err, rev.ID)
		}
		clk.Advance(time.Millisecond)
		_, err = server.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")

		// The same bound holds for an account disabled elsewhere.
		token, _, err = server.Login(ctx, "rev1", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := server.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := other.SetDisabled(ctx, auth.System, rev.ID, true); err != nil {
			t.Fatal(err)
		}
		clk.Advance(auth.UserCacheTTL)
		_, err = server.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
	})
}

// A cached token still ends when the token does, not when the cache entry
// would.
func TestCachedTokenExpiresWithTheToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		s := auth.NewStore(db)
		s.Now = clk.Now
		rev := addUser(t, s, reviewer("rev1"))
		token, err := s.IssueToken(ctx, rev.ID, auth.UserCacheTTL/2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		clk.Advance(auth.UserCacheTTL / 2)
		_, err = s.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
	})
}
