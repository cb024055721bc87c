// Package oidctest starts a real OpenID provider for tests, spoken to over
// HTTP: the authorization endpoint, a sign-in form, the token, keys and
// user info endpoints, with PKCE. Its people carry an ID number, whether
// the provider verified it, and their groups.
package oidctest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Person is someone the provider can sign in.
type Person struct {
	Subject  string // the provider's ID of the person (default: the username)
	Username string
	Password string
	Name     string
	IDNumber string
	Verified bool // the provider checked the ID number (实名认证)
	Groups   []string
}

// Provider is a running OpenID provider.
type Provider struct {
	Issuer string
	server *httptest.Server
	store  *people
}

type people struct {
	mu     sync.Mutex
	byID   map[string]*Person
	byName map[string]*Person
}

func (p *people) GetUserByID(id string) *storage.User {
	p.mu.Lock()
	defer p.mu.Unlock()
	return user(p.byID[id])
}

func (p *people) GetUserByUsername(name string) *storage.User {
	p.mu.Lock()
	defer p.mu.Unlock()
	return user(p.byName[name])
}

func (p *people) ExampleClientID() string { return "service" }

func user(x *Person) *storage.User {
	if x == nil {
		return nil
	}
	return &storage.User{ID: x.Subject, Username: x.Username, Password: x.Password, FirstName: x.Name, PreferredLanguage: language.Chinese}
}

// idTokenClaims adds each person's own claims to their ID token and
// user info: the ID number, whether it was verified, the name and groups.
type idTokenClaims struct {
	*storage.Storage
	people *people
}

func (c *idTokenClaims) add(info *oidc.UserInfo, subject string) {
	c.people.mu.Lock()
	defer c.people.mu.Unlock()
	x := c.people.byID[subject]
	if x == nil {
		return
	}
	info.Name, info.PreferredUsername = x.Name, x.Username
	if x.IDNumber != "" {
		info.AppendClaims("id_number", x.IDNumber)
		info.AppendClaims("id_number_verified", x.Verified)
	}
	if x.Groups != nil {
		info.AppendClaims("groups", x.Groups)
	}
}

func (c *idTokenClaims) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := c.Storage.SetUserinfoFromRequest(ctx, info, token, scopes); err != nil {
		return err
	}
	c.add(info, token.GetSubject())
	return nil
}

func (c *idTokenClaims) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := c.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	c.add(info, info.Subject)
	return nil
}

// Start runs a provider that knows one web client (clientID, secret,
// redirectURL) and the people given.
func Start(t testing.TB, clientID, secret, redirectURL string, who ...Person) *Provider {
	t.Helper()
	ppl := &people{byID: map[string]*Person{}, byName: map[string]*Person{}}
	p := &Provider{store: ppl}
	for _, x := range who {
		p.Add(x)
	}
	st := &idTokenClaims{Storage: storage.NewStorageWithClients(ppl, map[string]*storage.Client{
		clientID: storage.WebClient(clientID, secret, redirectURL),
	}), people: ppl}
	p.server = httptest.NewUnstartedServer(nil)
	p.Issuer = "http://" + p.server.Listener.Addr().String()
	provider, err := op.NewProvider(&op.Config{CryptoKey: sha256.Sum256([]byte("oidctest")), CodeMethodS256: true, AuthMethodPost: true},
		st, op.StaticIssuer(p.Issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatalf("oidctest: provider: %v", err)
	}
	callback := op.AuthCallbackURL(provider)
	mux := http.NewServeMux()
	// The sign-in form the provider sends browsers to (the storage's
	// clients name /login/username).
	mux.HandleFunc("GET /login/username", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<form method="post"><input name="authRequestID" value="%s"><input name="username"><input name="password"></form>`,
			url.QueryEscape(r.URL.Query().Get("authRequestID")))
	})
	mux.HandleFunc("POST /login/username", func(w http.ResponseWriter, r *http.Request) {
		id := r.PostFormValue("authRequestID")
		if err := st.CheckUsernamePassword(r.PostFormValue("username"), r.PostFormValue("password"), id); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	})
	mux.Handle("/", provider)
	p.server.Config.Handler = mux
	p.server.Start()
	t.Cleanup(p.server.Close)
	return p
}

// Add makes another person known to the provider.
func (p *Provider) Add(x Person) {
	if x.Subject == "" {
		x.Subject = x.Username
	}
	p.store.mu.Lock()
	defer p.store.mu.Unlock()
	p.store.byID[x.Subject], p.store.byName[x.Username] = &x, &x
}

// Close stops the provider: it is down from then on.
func (p *Provider) Close() { p.server.Close() }

// Host is the provider's host:port.
func (p *Provider) Host() string { return p.server.Listener.Addr().String() }

// SignIn plays the browser at the provider: it opens authURL, signs in as
// username with password, and returns the address the provider sends the
// browser back to (the client's redirect URL with code and state), without
// opening it.
func SignIn(authURL, username, password string) (*url.URL, error) {
	jar, _ := cookiejar.New(nil)
	stop := errors.New("left the provider")
	var back *url.URL
	var start *url.URL
	client := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Host != start.Host {
			back = r.URL
			return stop
		}
		return nil
	}}
	start, err := url.Parse(authURL)
	if err != nil {
		return nil, err
	}
	resp, err := client.Get(authURL)
	if err != nil && back == nil {
		return nil, err
	}
	if back != nil {
		return back, nil // the provider answered at once (an error to the client)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/login/username" {
		return nil, fmt.Errorf("oidctest: expected the sign-in form, got %s (%d)", resp.Request.URL, resp.StatusCode)
	}
	form := url.Values{"authRequestID": {resp.Request.URL.Query().Get("authRequestID")}, "username": {username}, "password": {password}}
	resp, err = client.PostForm(resp.Request.URL.String(), form)
	if back != nil {
		return back, nil
	}
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return nil, fmt.Errorf("oidctest: sign-in did not return to the client: %d %s", resp.StatusCode, strings.TrimSpace(string(body)))
}
