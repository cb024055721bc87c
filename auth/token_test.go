package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestLoginAuthenticateLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		s := auth.NewStore(db)
		s.Now = clk.Now
		s.TokenTTL = 2 * time.Hour
		rev := addUser(t, s, reviewer("rev1"))

		token, u, err := s.Login(ctx, " REV1 ", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != rev.ID {
			t.Fatalf("Login returned user %d, want %d", u.ID, rev.ID)
		}
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 32 bytes of base64url (%v)", token, err)
		}
		// Only the SHA-256 of the token is stored.
		var stored string
		if err := db.QueryRowContext(ctx, `SELECT token_hash FROM auth_tokens WHERE user_id = ?`, rev.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(token))
		if stored != hex.EncodeToString(sum[:]) {
			t.Errorf("stored %q, want the hex SHA-256 of the token", stored)
		}

		got, err := s.Authenticate(ctx, token)
		if err != nil || got.ID != rev.ID || got.DepartmentCode != "D-HRSS" {
			t.Fatalf("Authenticate = %+v, %v; want user %d with its scope", got, err, rev.ID)
		}
		for name, bad := range map[string]string{
			"empty":       "",
			"garbage":     "not-a-token",
			"other token": base64.RawURLEncoding.EncodeToString(make([]byte, 32)),
			"hash itself": stored,
		} {
			_, err := s.Authenticate(ctx, bad)
			if apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("%s: Authenticate gave %v, want Unauthorized", name, err)
			}
		}

		clk.Advance(2*time.Hour - time.Second)
		if _, err := s.Authenticate(ctx, token); err != nil {
			t.Fatalf("token refused a second before it expires: %v", err)
		}
		clk.Advance(time.Second)
		_, err = s.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")

		token2, _, err := s.Login(ctx, "rev1", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM auth_tokens WHERE user_id = ?`, rev.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d tokens stored after a new login, want 1 (the expired one cleared)", n)
		}
		if _, err := s.Authenticate(ctx, token2); err != nil {
			t.Fatal(err)
		}
		if err := s.Logout(ctx, token2); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, token2)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
		if err := s.Logout(ctx, token2); err != nil {
			t.Errorf("second logout: %v, want nil", err)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := auth.NewStore(db)
		rev := addUser(t, s, reviewer("rev1"))

		_, _, errWrongPassword := s.Login(ctx, "rev1", testPassword+"x")
		wantCode(t, errWrongPassword, apperr.Unauthorized, "bad_credentials")
		_, _, errNoUser := s.Login(ctx, "nobody", testPassword)
		wantCode(t, errNoUser, apperr.Unauthorized, "bad_credentials")
		if errWrongPassword.Error() != errNoUser.Error() {
			t.Errorf("unknown user and wrong password differ: %q vs %q", errNoUser, errWrongPassword)
		}

		token, _, err := s.Login(ctx, "rev1", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetDisabled(ctx, auth.System, rev.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
		_, _, err = s.Login(ctx, "rev1", testPassword)
		wantCode(t, err, apperr.Forbidden, "account_disabled")
		_, _, err = s.Login(ctx, "rev1", "wrong password")
		wantCode(t, err, apperr.Unauthorized, "bad_credentials")
		_, err = s.IssueToken(ctx, rev.ID, time.Hour)
		wantCode(t, err, apperr.Forbidden, "account_disabled")

		if err := s.SetDisabled(ctx, auth.System, rev.ID, false); err != nil {
			t.Fatal(err)
		}
		token, _, err = s.Login(ctx, "rev1", testPassword)
		if err != nil {
			t.Fatalf("login after re-enabling: %v", err)
		}
		// A new password logs out every session and replaces the old one.
		if err := s.SetPassword(ctx, auth.System, rev.ID, "short"); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("SetPassword with a short password: %v, want Invalid", err)
		}
		if err := s.SetPassword(ctx, auth.System, rev.ID, "a-new-password"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, token)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
		_, _, err = s.Login(ctx, "rev1", testPassword)
		wantCode(t, err, apperr.Unauthorized, "bad_credentials")
		if _, _, err := s.Login(ctx, "rev1", "a-new-password"); err != nil {
			t.Fatalf("login with the new password: %v", err)
		}
	})
}

func TestIssueTokenAndPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		s := auth.NewStore(db)
		s.Now = clk.Now
		rev := addUser(t, s, reviewer("rev1"))
		short, err := s.IssueToken(ctx, rev.ID, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		long, err := s.IssueToken(ctx, rev.ID, 0) // the store's TokenTTL
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.IssueToken(ctx, 999999, time.Minute)
		wantCode(t, err, apperr.NotFound, "user_not_found")

		clk.Advance(time.Minute)
		_, err = s.Authenticate(ctx, short)
		wantCode(t, err, apperr.Unauthorized, "invalid_token")
		clk.Advance(auth.DefaultTokenTTL - 2*time.Minute)
		if _, err := s.Authenticate(ctx, long); err != nil {
			t.Fatalf("default-lifetime token refused before %v: %v", auth.DefaultTokenTTL, err)
		}
		n, err := s.PurgeExpiredTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("purged %d tokens, want 1", n)
		}
		if _, err := s.Authenticate(ctx, long); err != nil {
			t.Fatalf("purge removed a live token: %v", err)
		}
	})
}

func BenchmarkAuthenticate(b *testing.B) {
	db := storetest.SQLite(b)
	s := auth.NewStore(db)
	ctx := context.Background()
	u, err := s.AddUser(ctx, auth.System, reviewer("bench"), testPassword)
	if err != nil {
		b.Fatal(err)
	}
	token, err := s.IssueToken(ctx, u.ID, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Authenticate(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}
