package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

const (
	tokenBytes = 32
	// tokenLen is the length of a token in unpadded base64url.
	tokenLen = (tokenBytes*8 + 5) / 6
)

func errBadCredentials() error {
	return apperr.New(apperr.Unauthorized, "bad_credentials",
		apperr.M("用户名或密码不正确", "wrong username or password"))
}

func errInvalidToken() error {
	return apperr.New(apperr.Unauthorized, "invalid_token",
		apperr.M("登录已失效，请重新登录", "not signed in, or the session has expired; please sign in again"))
}

func errAccountDisabled() error {
	return apperr.New(apperr.Forbidden, "account_disabled",
		apperr.M("账号已停用，请联系管理员", "this account is disabled; please contact an administrator"))
}

// Login checks a username and password and returns a new bearer token that
// lives for TokenTTL. An unknown user and a wrong password give the same
// Unauthorized "bad_credentials" error after the same work, so that the
// answer does not tell which usernames exist. A disabled account is refused
// with Forbidden "account_disabled", only once the password was right.
// Rate limiting is the caller's part (see Limiter): it knows the client address.
func (s *Store) Login(ctx context.Context, username, password string) (string, User, error) {
	return s.LoginWith(ctx, username, password, TokenInfo{Kind: TokenAPI})
}

// LoginWith is Login for a token described by info (a browser session, or
// a token for programs, and the client it was made for). A person may sign
// in with their resident ID number in place of the username; a username
// equal to someone's ID number wins.
func (s *Store) LoginWith(ctx context.Context, username, password string, info TokenInfo) (string, User, error) {
	var hash string
	name := NormalizeUsername(username)
	u, err := scanUser(s.db.QueryRowContext(ctx,
		`SELECT `+userColumns+`, password_hash FROM users WHERE username = ?`, name), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		if id, idErr := ident.IDCard(name); idErr == nil {
			// The condition repeats the partial index's, so that it is used.
			u, err = scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users
				WHERE kind = 'person' AND id_number = ? AND id_number <> ''`, id), &hash)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		// Hash all the same, so that an unknown name takes as long as a
		// wrong password.
		if _, err := checkPasswordGated(ctx, dummyHash(), password); err != nil {
			return "", User{}, err
		}
		return "", User{}, errBadCredentials()
	}
	if err != nil {
		return "", User{}, apperr.Wrap(err, "auth: login")
	}
	ok, err := checkPasswordGated(ctx, hash, password)
	if err != nil {
		return "", User{}, err
	}
	if !ok {
		return "", User{}, errBadCredentials()
	}
	if u.Disabled {
		return "", User{}, errAccountDisabled()
	}
	token, err := s.issue(ctx, u.ID, s.tokenTTL(), info)
	if err != nil {
		return "", User{}, err
	}
	return token, u, nil
}

// IssueToken makes a token for a user without a password, for the command
// line (scripts, the load generator). ttl ≤ 0 means TokenTTL.
// Errors: NotFound "user_not_found"; Forbidden "account_disabled".
func (s *Store) IssueToken(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = s.tokenTTL()
	}
	return s.issue(ctx, userID, ttl, TokenInfo{Kind: TokenAPI, Label: "command line"})
}

// issue stores the hash of a fresh random token for an enabled user, and
// clears the user's expired tokens on the way so that the table stays small.
func (s *Store) issue(ctx context.Context, userID int64, ttl time.Duration, info TokenInfo) (string, error) {
	info = info.normalized()
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", apperr.Wrap(err, "auth: read random token")
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT disabled FROM users WHERE id = ?`, userID).Scan(&disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return errUserNotFound()
		}
		if err != nil {
			return err
		}
		if disabled {
			return errAccountDisabled()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ? AND expires_at <= ?`,
			userID, store.FormatTime(now)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at, kind, label, client)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			hashToken(token), userID, store.FormatTime(now), store.FormatTime(now.Add(ttl)), info.Kind, info.Label, info.Client)
		return err
	})
	if err != nil {
		return "", apperr.Wrap(err, "auth: issue token")
	}
	return token, nil
}

// userColumnsOfU is userColumns qualified by the alias u, for joins.
var userColumnsOfU = func() string {
	cols := strings.Split(userColumns, ",")
	for i, c := range cols {
		cols[i] = "u." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}()

// Authenticate returns the enabled user a live token belongs to, with one
// query on the token's primary key joined to users, or none when the token
// was read within UserCacheTTL. Unknown, expired and revoked tokens, and
// tokens of disabled users, give Unauthorized "invalid_token".
func (s *Store) Authenticate(ctx context.Context, token string) (User, error) {
	if len(token) != tokenLen {
		return User{}, errInvalidToken()
	}
	hash := hashToken(token)
	now := s.now()
	if u, ok := s.tokens.get(hash, now); ok {
		s.seen.note(hash, now)
		return u, nil
	}
	generation := s.tokens.begin()
	var expires string
	u, err := scanUser(s.db.QueryRowContext(ctx, `
		SELECT `+userColumnsOfU+`, t.expires_at
		FROM auth_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.expires_at > ? AND u.disabled = ?`,
		hash, store.FormatTime(now), false), &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errInvalidToken()
	}
	if err != nil {
		return User{}, apperr.Wrap(err, "auth: authenticate")
	}
	until := now.Add(UserCacheTTL)
	if exp := store.ParseTime(expires); exp.Before(until) {
		until = exp
	}
	s.tokens.put(hash, u, until, generation, now)
	s.seen.note(hash, now)
	return u, nil
}

// Logout revokes a token. Revoking an unknown or already revoked token is not
// an error: the outcome the caller wants holds either way.
func (s *Store) Logout(ctx context.Context, token string) error {
	hash := hashToken(token)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE token_hash = ?`, hash)
		return err
	})
	s.tokens.forgetToken(hash)
	return apperr.Wrap(err, "auth: logout")
}

// PurgeExpiredTokens deletes every expired token and returns how many; a
// periodic job calls it, since Login only clears the tokens of its own user.
func (s *Store) PurgeExpiredTokens(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE expires_at <= ?`, store.FormatTime(s.now()))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, apperr.Wrap(err, "auth: purge tokens")
}

// hashToken is what the database keeps of a token: its SHA-256 in hex. A
// token has 256 random bits, so a plain hash (no salt, no stretching) is
// enough to make a stolen table useless.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
