package oidclogin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

// SignInTTL is how long a sign-in may take at the provider.
const SignInTTL = 10 * time.Minute

// rediscoverAfter is how old the provider's discovery may be before a new
// sign-in reads it again: a provider that went down is then noticed before
// the browser is sent there, and the sign-in page says so.
const rediscoverAfter = time.Minute

// Service runs sign-ins through one provider.
type Service struct {
	cfg   Config
	db    *store.DB
	users *auth.Store
	clk   clock.Clock

	// HTTPClient talks to the provider (discovery, keys, the code exchange,
	// user info); nil is a client with a 10-second timeout.
	HTTPClient *http.Client
	// WallNow is the time ID tokens are checked against (time.Now when nil):
	// the provider signs them on the real clock, whatever --now says.
	WallNow func() time.Time
	// TokenNow is the time ID tokens' expiry is checked against (WallNow
	// when nil), apart so that tests can age a token and not the sign-in.
	TokenNow func() time.Time

	mu           sync.Mutex
	provider     *oidc.Provider
	discoveredAt time.Time
}

// New returns a Service for cfg. Errors name the setting that is wrong.
func New(cfg Config, db *store.DB, users *auth.Store, clk clock.Clock) (*Service, error) {
	cfg.withDefaults()
	if u, err := url.Parse(cfg.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("the issuer must be an http(s) URL")
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		return nil, errors.New("the client id is required with an issuer")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || u.Host == "" {
		return nil, errors.New("the callback address needs the server's public URL (--public-url)")
	}
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{cfg: cfg, db: db, users: users, clk: clk}, nil
}

// Issuer is the provider's issuer URL.
func (s *Service) Issuer() string { return s.cfg.Issuer }

func (s *Service) wall() time.Time {
	if s.WallNow != nil {
		return s.WallNow()
	}
	return time.Now() // wall clock: sign-ins and ID tokens expire on real time
}

func (s *Service) tokenNow() time.Time {
	if s.TokenNow != nil {
		return s.TokenNow()
	}
	return s.wall()
}

func (s *Service) httpClient() *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

func (s *Service) clientContext(ctx context.Context) context.Context {
	c := s.httpClient()
	return context.WithValue(oidc.ClientContext(ctx, c), oauth2.HTTPClient, c)
}

func errUnavailable() *apperr.Error {
	return apperr.New(apperr.Unavailable, "oidc_unavailable", apperr.M(
		"统一身份认证平台暂时无法连接，请稍后再试，或使用账号密码登录。",
		"The identity service cannot be reached at the moment; try again later, or sign in with your password."))
}

// discover reads the provider's discovery document when it is older than
// rediscoverAfter. Errors: Unavailable "oidc_unavailable".
func (s *Service) discover(ctx context.Context) (*oidc.Provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider != nil && s.wall().Sub(s.discoveredAt) < rediscoverAfter {
		return s.provider, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(s.clientContext(ctx), s.cfg.Issuer)
	if err != nil {
		return nil, errUnavailable()
	}
	s.provider, s.discoveredAt = p, s.wall()
	return p, nil
}

func (s *Service) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, RedirectURL: s.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, s.cfg.Scopes...)}
}

// Start is a sign-in on its way: send the browser to URL, and keep State
// in the browser (a cookie) to compare with the callback's.
type Start struct {
	URL   string
	State string
}

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashState(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

// Begin starts a sign-in that returns to next (a path on this site).
// Errors: Unavailable "oidc_unavailable" when the provider cannot be reached.
func (s *Service) Begin(ctx context.Context, next string) (Start, error) {
	p, err := s.discover(ctx)
	if err != nil {
		return Start{}, err
	}
	state, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
	now := s.wall().UTC()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		// Sign-ins abandoned at the provider are dropped here, an hour late.
		if _, err := tx.ExecContext(ctx, `DELETE FROM oidc_sign_ins WHERE expires_at < ?`, store.FormatTime(now.Add(-time.Hour))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO oidc_sign_ins (state_hash, nonce, verifier, next, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			hashState(state), nonce, verifier, next, store.FormatTime(now), store.FormatTime(now.Add(SignInTTL)))
		return err
	})
	if err != nil {
		return Start{}, apperr.Wrap(err, "oidclogin: begin")
	}
	return Start{URL: s.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), State: state}, nil
}

// Callback is what the provider sent the browser back with.
type Callback struct {
	State         string // the state parameter
	BrowserState  string // the state this browser kept when it left
	Code          string
	ProviderError string // the error parameter, when the provider refused
	Client        string // the client's address, for the audit log
}

// Result is a finished sign-in.
type Result struct {
	User auth.User
	Next string // where the sign-in was started to return to ("" when nowhere)
}

// refusal is a sign-in refused for a reason worth auditing.
type refusal struct {
	reason string
	detail map[string]any
	err    *apperr.Error
}

func (r *refusal) Error() string { return r.err.Error() }

func refuse(reason string, msg apperr.Msg) *refusal {
	return &refusal{reason: reason, err: apperr.New(apperr.Unauthorized, "oidc_refused", msg).With("why", reason)}
}

var msgStartAgain = apperr.M("统一身份认证登录未完成：登录请求无效、已使用或已过期，请重新登录。",
	"The sign-in through the identity service did not complete: the request is invalid, used or expired. Please sign in again.")

// Finish completes a sign-in: checks the state against the browser's and
// spends it, redeems the code with the PKCE verifier, checks the ID token
// (signature, issuer, audience, expiry, nonce), and links or creates the
// account. Every refusal is audited. Errors: Unauthorized "oidc_refused"
// (its "why" says which check failed), Forbidden "role_not_allowed",
// Unavailable "oidc_unavailable".
func (s *Service) Finish(ctx context.Context, cb Callback) (Result, error) {
	res, err := s.finish(ctx, cb)
	var r *refusal
	if errors.As(err, &r) {
		s.auditRefusal(ctx, cb.Client, r)
		return Result{}, r.err
	}
	if apperr.CodeOf(err) == apperr.Unavailable {
		s.auditRefusal(ctx, cb.Client, &refusal{reason: "provider_unreachable"})
	}
	return res, err
}

func (s *Service) auditRefusal(ctx context.Context, client string, r *refusal) {
	d := map[string]any{"reason": r.reason, "issuer": s.cfg.Issuer}
	for k, v := range r.detail {
		d[k] = v
	}
	detail, _ := json.Marshal(d)
	// Best effort: the refusal stands whether or not the record is written.
	_, _ = audit.AppendNow(ctx, s.db, audit.Record{At: s.clk.Now(), Action: "auth.oidc", Object: "oidc:" + truncate(s.cfg.Issuer, 100),
		Outcome: audit.Denied, Detail: string(detail), IP: client})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "")
	}
	return s
}

type pending struct {
	nonce, verifier, next string
}

func (s *Service) finish(ctx context.Context, cb Callback) (Result, error) {
	if cb.ProviderError != "" {
		r := refuse("provider_error", apperr.M("统一身份认证平台未完成登录，请重新登录。", "The identity service did not sign you in; please try again."))
		r.detail = map[string]any{"error": truncate(cb.ProviderError, 60)}
		return Result{}, r
	}
	if cb.State == "" || subtle.ConstantTimeCompare([]byte(cb.State), []byte(cb.BrowserState)) != 1 {
		return Result{}, refuse("state_mismatch", msgStartAgain)
	}
	pend, err := s.spend(ctx, cb.State)
	if err != nil {
		return Result{}, err
	}
	if cb.Code == "" {
		return Result{}, refuse("code_missing", msgStartAgain)
	}
	p, err := s.discover(ctx)
	if err != nil {
		return Result{}, err
	}
	cctx := s.clientContext(ctx)
	tok, err := s.oauth(p).Exchange(cctx, cb.Code, oauth2.VerifierOption(pend.verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			r := refuse("code_refused", msgStartAgain)
			r.detail = map[string]any{"error": truncate(re.ErrorCode, 60)}
			return Result{}, r
		}
		return Result{}, errUnavailable()
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Result{}, refuse("id_token_missing", msgStartAgain)
	}
	idt, err := p.VerifierContext(cctx, &oidc.Config{ClientID: s.cfg.ClientID, Now: s.tokenNow}).Verify(cctx, raw)
	if err != nil {
		return Result{}, tokenRefusal(err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pend.nonce)) != 1 {
		return Result{}, refuse("nonce_mismatch", msgStartAgain)
	}
	c, err := s.claims(cctx, p, idt, tok)
	if err != nil {
		return Result{}, err
	}
	u, err := s.link(ctx, c, cb.Client)
	if err != nil {
		return Result{}, err
	}
	return Result{User: u, Next: pend.next}, nil
}

func tokenRefusal(err error) *refusal {
	var expired *oidc.TokenExpiredError
	switch {
	case errors.As(err, &expired):
		return refuse("token_expired", msgStartAgain)
	case strings.Contains(err.Error(), "different provider"):
		return refuse("token_issuer", msgStartAgain)
	}
	r := refuse("token_invalid", msgStartAgain)
	r.detail = map[string]any{"error": truncate(err.Error(), 120)}
	return r
}

// spend marks a sign-in's state used, in a transaction of its own, so that
// a second callback with it (a replayed code) is refused even when the
// first one failed later on.
func (s *Service) spend(ctx context.Context, state string) (pending, error) {
	var p pending
	var expires string
	spent := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		// The conditional update is the one place two callbacks with the
		// same state meet: only one of them changes the row.
		res, err := tx.ExecContext(ctx, `UPDATE oidc_sign_ins SET used_at = ? WHERE state_hash = ? AND `+store.NotYet(tx.Dialect(), "used_at"),
			store.FormatTime(s.wall().UTC()), hashState(state))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		spent = n == 1
		return tx.QueryRowContext(ctx, `SELECT nonce, verifier, next, expires_at FROM oidc_sign_ins WHERE state_hash = ?`,
			hashState(state)).Scan(&p.nonce, &p.verifier, &p.next, &expires)
	})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return pending{}, refuse("state_unknown", msgStartAgain)
	case err != nil:
		return pending{}, apperr.Wrap(err, "oidclogin: spend state")
	case !spent:
		return pending{}, refuse("code_replayed", msgStartAgain)
	case !s.wall().Before(store.ParseTime(expires)):
		return pending{}, refuse("request_expired", msgStartAgain)
	}
	return p, nil
}
