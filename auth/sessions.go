package auth

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// Token kinds: a browser's session (the pages' cookie) or a bearer token
// for programs (the API's sign-in, the command line).
const (
	TokenSession = "session"
	TokenAPI     = "api"
)

// TokenInfo describes a token when it is made, so that its owner can tell
// their sessions apart and revoke one.
type TokenInfo struct {
	Kind   string // TokenSession or TokenAPI
	Label  string // the browser or program (User-Agent), cut to 120 characters
	Client string // the client's address
}

func (i TokenInfo) normalized() TokenInfo {
	if i.Kind != TokenSession {
		i.Kind = TokenAPI
	}
	i.Label = strings.ToValidUTF8(i.Label, "")
	if utf8.RuneCountInString(i.Label) > 120 {
		i.Label = string([]rune(i.Label)[:120])
	}
	if len(i.Client) > 64 {
		i.Client = i.Client[:64]
	}
	return i
}

// Session is a live token of a user as its owner sees it. ID is the first
// characters of the token's hash: enough to name it, useless to sign in.
type Session struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Label     string    `json:"label"`
	Client    string    `json:"client"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Current   bool      `json:"current"`
}

const sessionIDLen = 16

// SessionID is the ID under which a token is listed.
func SessionID(token string) string { return hashToken(token)[:sessionIDLen] }

// Sessions lists the live tokens of a user, newest first; the one equal to
// current (the caller's own token, may be empty) is marked.
func (s *Store) Sessions(ctx context.Context, userID int64, current string) ([]Session, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT token_hash, kind, label, client, created_at, expires_at FROM auth_tokens
		WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, token_hash`, userID, store.FormatTime(s.now()))
	if err != nil {
		return nil, apperr.Wrap(err, "auth: sessions")
	}
	defer rows.Close()
	cur := ""
	if current != "" {
		cur = hashToken(current)
	}
	out := []Session{}
	for rows.Next() {
		var hash, created, expires string
		var x Session
		if err := rows.Scan(&hash, &x.Kind, &x.Label, &x.Client, &created, &expires); err != nil {
			return nil, apperr.Wrap(err, "auth: sessions")
		}
		x.ID, x.Current = hash[:sessionIDLen], hash == cur
		x.CreatedAt, x.ExpiresAt = store.ParseTime(created), store.ParseTime(expires)
		out = append(out, x)
	}
	return out, apperr.Wrap(rows.Err(), "auth: sessions")
}

// RevokeSession revokes one token of a user, named by its session ID.
// Errors: NotFound "session_not_found" (also for another user's token).
func (s *Store) RevokeSession(ctx context.Context, userID int64, id string) error {
	if len(id) != sessionIDLen || strings.Trim(id, "0123456789abcdef") != "" {
		return errSessionNotFound()
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ? AND token_hash LIKE ?`, userID, id+"%")
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errSessionNotFound()
		}
		return nil
	})
	s.tokens.forgetUser(userID)
	return apperr.Wrap(err, "auth: revoke session")
}

// RevokeAll signs a user out everywhere: every token, sessions and API
// tokens alike, this one too.
func (s *Store) RevokeAll(ctx context.Context, userID int64) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ?`, userID)
		return err
	})
	s.tokens.forgetUser(userID)
	return apperr.Wrap(err, "auth: revoke all")
}

func errSessionNotFound() error {
	return apperr.NotFoundf("session_not_found", apperr.M("没有这个登录会话", "no such session"))
}

// IssueWith makes a token for a user who proved who they are another way
// (a registration just confirmed by SMS, a sign-in at the identity
// provider). ttl ≤ 0 means TokenTTL. Errors: NotFound; Forbidden "account_disabled".
func (s *Store) IssueWith(ctx context.Context, userID int64, ttl time.Duration, info TokenInfo) (string, error) {
	if ttl <= 0 {
		ttl = s.tokenTTL()
	}
	return s.issue(ctx, userID, ttl, info)
}
