package oidclogin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/oidclogin"
	"github.com/onewindow/onewindow/oidclogin/oidctest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

const (
	clientID    = "onewindow"
	secret      = "client-secret"
	redirectURL = "http://onewindow.test/login/oidc/callback"
	password    = "at-the-provider"
	// Valid resident ID numbers (GB 11643 check digit).
	liID    = "220523198503150019"
	zhaoID  = "220523199001010029"
	wangID  = "22052319720707001X"
	pointHN = "HNZWFW"
)

var (
	li = oidctest.Person{Username: "li.min", Password: password, Name: "李敏", IDNumber: liID, Verified: true}
	// A reviewer of the 人社 department and a front desk, by group.
	chen = oidctest.Person{Username: "chen.rs", Password: password, Name: "陈审批", Groups: []string{"staff", "rs-reviewers"}}
	desk = oidctest.Person{Username: "hn.desk", Password: password, Name: "窗口", Groups: []string{"hn-desk"}}
)

type fixture struct {
	db       *store.DB
	users    *auth.Store
	svc      *oidclogin.Service
	provider *oidctest.Provider
	clk      *clock.Manual
}

func newFixture(t *testing.T, db *store.DB, people ...oidctest.Person) *fixture {
	t.Helper()
	f := &fixture{db: db, users: auth.NewStore(db), clk: clock.NewManual(clocktest.Now(t))}
	f.provider = oidctest.Start(t, clientID, secret, redirectURL, people...)
	roles, err := oidclogin.ParseRoleMap("rs-reviewers=reviewer:RS, hn-desk=frontdesk:" + pointHN + ",ops=admin")
	if err != nil {
		t.Fatal(err)
	}
	f.svc, err = oidclogin.New(oidclogin.Config{Issuer: f.provider.Issuer, ClientID: clientID, ClientSecret: secret,
		RedirectURL: redirectURL, VerifiedClaim: oidclogin.DefaultVerifiedClaim, Roles: roles}, db, f.users, f.clk.Clock())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// atProvider starts a sign-in and signs in at the provider as username; it
// returns the callback the provider sends the browser to, and the state
// the browser kept.
func (f *fixture) atProvider(t *testing.T, username string, edit func(*url.URL)) (oidclogin.Callback, string) {
	t.Helper()
	start, err := f.svc.Begin(context.Background(), "/my/cases")
	if err != nil {
		t.Fatal(err)
	}
	authURL, _ := url.Parse(start.URL)
	if edit != nil {
		edit(authURL)
	}
	back, err := oidctest.SignIn(authURL.String(), username, password)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(back.String(), redirectURL) {
		t.Fatalf("provider returned to %s", back)
	}
	q := back.Query()
	return oidclogin.Callback{State: q.Get("state"), BrowserState: start.State, Code: q.Get("code"), ProviderError: q.Get("error"), Client: "198.51.100.7"}, start.State
}

func (f *fixture) signIn(t *testing.T, username string) auth.User {
	t.Helper()
	cb, _ := f.atProvider(t, username, nil)
	res, err := f.svc.Finish(context.Background(), cb)
	if err != nil {
		t.Fatalf("sign-in of %s: %v", username, err)
	}
	if res.Next != "/my/cases" {
		t.Errorf("next = %q, want the page the sign-in started from", res.Next)
	}
	return res.User
}

// refusedFor checks that err refuses the sign-in for reason and that the
// audit log says so.
func (f *fixture) refusedFor(t *testing.T, err error, reason string) {
	t.Helper()
	ae := apperr.As(err)
	if err == nil || (ae.Extra["why"] != reason && ae.Reason != "role_not_allowed") {
		t.Fatalf("err = %v (%v), want a refusal for %s", err, ae.Extra, reason)
	}
	recs, lerr := audit.List(context.Background(), f.db, audit.Filter{Action: "auth.oidc", Limit: 500})
	if lerr != nil {
		t.Fatal(lerr)
	}
	for _, r := range recs {
		if r.Outcome == audit.Denied && strings.Contains(r.Detail, `"reason":"`+reason+`"`) && r.IP == "198.51.100.7" {
			return
		}
	}
	t.Fatalf("no denied auth.oidc audit record for %s among %d", reason, len(recs))
}

func TestFirstSignInCreatesAVerifiedPersonAndLaterOnesFindIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, li)
		u := f.signIn(t, li.Username)
		if u.Role != auth.RoleApplicant || u.Kind != auth.KindPerson || u.IDNumber != liID || u.Name != "李敏" || u.IdentityUnverified {
			t.Fatalf("created %+v, want a verified person with the provider's ID number and name", u)
		}
		again := f.signIn(t, li.Username)
		if again.ID != u.ID {
			t.Fatalf("second sign-in gave account %d, want %d", again.ID, u.ID)
		}
		n, err := f.users.CountUsers(context.Background(), auth.UserFilter{})
		if err != nil || n != 1 {
			t.Fatalf("%d accounts (%v), want 1", n, err)
		}
	})
}

func TestFirstSignInLinksAVerifiedAccountByIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, li)
		ctx := context.Background()
		desk, err := f.users.AddUser(ctx, auth.System, auth.User{Username: "li_at_desk", Name: "李敏", Role: auth.RoleApplicant, Kind: auth.KindPerson,
			IDNumber: liID, Phone: "13800000001"}, "desk-made-password")
		if err != nil {
			t.Fatal(err)
		}
		u := f.signIn(t, li.Username)
		if u.ID != desk.ID || u.Phone != "13800000001" {
			t.Fatalf("signed in as %+v, want the verified account %d kept as it was", u, desk.ID)
		}
		if _, _, err := f.users.Login(ctx, "li_at_desk", "desk-made-password"); err != nil {
			t.Fatalf("the verified account's own password stopped working: %v", err)
		}
	})
}

// A self-registered account proved only a phone: the provider proves the
// holder, who takes the account over, and whoever registered it loses it.
func TestFirstSignInClaimsASelfRegisteredAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, li)
		ctx := context.Background()
		u, hash, err := f.users.PrepareUser(auth.User{Username: "self_registered", Name: "李敏", Role: auth.RoleApplicant, Kind: auth.KindPerson,
			IDNumber: liID, Phone: "13900000009", IdentityUnverified: true}, "someone-elses-pw")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { u, err = f.users.InsertUser(ctx, tx, u, hash); return err }); err != nil {
			t.Fatal(err)
		}
		token, _, err := f.users.Login(ctx, "self_registered", "someone-elses-pw")
		if err != nil {
			t.Fatal(err)
		}
		got := f.signIn(t, li.Username)
		if got.ID != u.ID || got.IdentityUnverified || got.Phone != "" {
			t.Fatalf("signed in as %+v, want account %d verified and without the unproven phone", got, u.ID)
		}
		stored, err := f.users.User(ctx, u.ID)
		if err != nil || stored.IdentityUnverified || stored.Phone != "" {
			t.Fatalf("stored %+v (%v), want verified and no phone", stored, err)
		}
		if _, _, err := f.users.Login(ctx, "self_registered", "someone-elses-pw"); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("the registrant's password still signs in: %v", err)
		}
		if _, err := f.users.Authenticate(ctx, token); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("the registrant's session still works: %v", err)
		}
	})
}

func TestAnUnverifiedIDNumberIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		zhao := oidctest.Person{Username: "zhao", Password: password, Name: "赵", IDNumber: zhaoID, Verified: false}
		f := newFixture(t, db, zhao)
		cb, _ := f.atProvider(t, "zhao", nil)
		_, err := f.svc.Finish(context.Background(), cb)
		f.refusedFor(t, err, "id_number_unverified")
		if n, _ := f.users.CountUsers(context.Background(), auth.UserFilter{}); n != 0 {
			t.Fatalf("%d accounts made for an unverified ID number", n)
		}
	})
}

func TestStaffRolesComeFromTheGroupClaim(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, chen, desk)
		ctx := context.Background()
		// chen has no account yet: the first sign-in makes a reviewer of 人社.
		u := f.signIn(t, chen.Username)
		if u.Role != auth.RoleReviewer || u.DepartmentCode != "RS" || u.Username != "chen.rs" || u.IDNumber != "" {
			t.Fatalf("chen is %+v, want reviewer of RS", u)
		}
		// An existing staff account is linked by username and gets the group's role.
		existing, err := f.users.AddUser(ctx, auth.System, auth.User{Username: "hn.desk", Name: "窗口", Role: auth.RoleIssuer, PointCode: pointHN}, "local-password-1")
		if err != nil {
			t.Fatal(err)
		}
		d := f.signIn(t, desk.Username)
		if d.ID != existing.ID || d.Role != auth.RoleFrontDesk || d.PointCode != pointHN {
			t.Fatalf("desk is %+v, want account %d as front desk of %s", d, existing.ID, pointHN)
		}
		// Moved to the administrators' group at the provider: the next sign-in follows.
		f.provider.Add(oidctest.Person{Username: chen.Username, Password: password, Name: chen.Name, Groups: []string{"ops"}})
		if u = f.signIn(t, chen.Username); u.Role != auth.RoleAdmin || u.DepartmentCode != "" {
			t.Fatalf("chen is %+v after moving to ops, want admin", u)
		}
		// Out of every mapped group: no staff sign-in at all.
		f.provider.Add(oidctest.Person{Username: chen.Username, Password: password, Name: chen.Name, Groups: []string{"staff"}})
		cb, _ := f.atProvider(t, chen.Username, nil)
		_, err = f.svc.Finish(ctx, cb)
		if apperr.As(err).Reason != "role_not_allowed" {
			t.Fatalf("err = %v, want role_not_allowed", err)
		}
		f.refusedFor(t, err, "no_staff_group")
	})
}

func TestAStaffGroupCannotTakeOverAnApplicantsUsername(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, oidctest.Person{Username: "wang", Password: password, Name: "王", Groups: []string{"ops"}})
		if _, err := f.users.AddUser(context.Background(), auth.System, auth.User{Username: "wang", Name: "王", Role: auth.RoleApplicant,
			Kind: auth.KindPerson, IDNumber: wangID}, "applicant-pw-1"); err != nil {
			t.Fatal(err)
		}
		cb, _ := f.atProvider(t, "wang", nil)
		_, err := f.svc.Finish(context.Background(), cb)
		f.refusedFor(t, err, "not_staff_account")
	})
}

func TestRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, li)

		t.Run("wrong state", func(t *testing.T) {
			cb, _ := f.atProvider(t, li.Username, nil)
			other, err := f.svc.Begin(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			cb.BrowserState = other.State // the callback reached another browser
			_, err = f.svc.Finish(ctx, cb)
			f.refusedFor(t, err, "state_mismatch")
			cb.State, cb.BrowserState = other.State+"x", other.State+"x" // a state nobody issued
			_, err = f.svc.Finish(ctx, cb)
			f.refusedFor(t, err, "state_unknown")
		})
		t.Run("replayed code", func(t *testing.T) {
			cb, _ := f.atProvider(t, li.Username, nil)
			if _, err := f.svc.Finish(ctx, cb); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Finish(ctx, cb)
			f.refusedFor(t, err, "code_replayed")
		})
		t.Run("wrong nonce", func(t *testing.T) {
			cb, _ := f.atProvider(t, li.Username, func(u *url.URL) {
				q := u.Query()
				q.Set("nonce", "a-nonce-of-someone-else")
				u.RawQuery = q.Encode()
			})
			_, err := f.svc.Finish(ctx, cb)
			f.refusedFor(t, err, "nonce_mismatch")
		})
		t.Run("expired token", func(t *testing.T) {
			cb, _ := f.atProvider(t, li.Username, nil)
			f.svc.TokenNow = func() time.Time { return time.Now().Add(2 * time.Hour) } // wall clock: the provider signs on real time
			defer func() { f.svc.TokenNow = nil }()
			_, err := f.svc.Finish(ctx, cb)
			f.refusedFor(t, err, "token_expired")
		})
		t.Run("code for another verifier", func(t *testing.T) {
			// The callback of one sign-in with the state of another: the
			// provider refuses the code for the other sign-in's PKCE verifier.
			cb, _ := f.atProvider(t, li.Username, nil)
			other, err := f.svc.Begin(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			cb.State, cb.BrowserState = other.State, other.State
			_, err = f.svc.Finish(ctx, cb)
			f.refusedFor(t, err, "code_refused")
		})
		t.Run("provider error", func(t *testing.T) {
			start, err := f.svc.Begin(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.Finish(ctx, oidclogin.Callback{State: start.State, BrowserState: start.State, ProviderError: "access_denied", Client: "198.51.100.7"})
			f.refusedFor(t, err, "provider_error")
		})
	})
}

// A token from another provider (signed by it, for the same client id)
// handed back in the code exchange is refused by its issuer.
func TestATokenOfAnotherIssuerIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, li)
		foreign := oidctest.Start(t, clientID, secret, redirectURL, li)
		toForeign := false
		f.svc.HTTPClient = &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
			if toForeign && r.URL.Host == f.provider.Host() {
				r = r.Clone(r.Context())
				r.URL.Host, r.Host = foreign.Host(), foreign.Host()
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
		cb, _ := f.atProvider(t, li.Username, func(u *url.URL) { u.Host = foreign.Host() })
		toForeign = true
		_, err := f.svc.Finish(context.Background(), cb)
		f.refusedFor(t, err, "token_issuer")
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestProviderDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, li)
		ctx := context.Background()
		if _, err := f.users.AddUser(ctx, auth.System, auth.User{Username: "local.staff", Name: "本地", Role: auth.RoleAdmin}, "local-password-1"); err != nil {
			t.Fatal(err)
		}
		f.provider.Close()
		_, err := f.svc.Begin(ctx, "")
		if ae := apperr.As(err); ae.Code != apperr.Unavailable || ae.Reason != "oidc_unavailable" {
			t.Fatalf("err = %v, want oidc_unavailable", err)
		}
		if _, _, err := f.users.Login(ctx, "local.staff", "local-password-1"); err != nil {
			t.Fatalf("local sign-in with the provider down: %v", err)
		}
	})
}

func TestParseRoleMap(t *testing.T) {
	good, err := oidclogin.ParseRoleMap(" a=reviewer:RS , b=admin,c=hall_manager:HN ")
	if err != nil || len(good) != 3 || good[0] != (oidclogin.RoleGrant{Group: "a", Role: auth.RoleReviewer, Scope: "RS"}) || good[1].Scope != "" {
		t.Fatalf("got %+v, %v", good, err)
	}
	for _, bad := range []string{"a=applicant", "a=reviewer", "a=admin:X", "=admin", "a", "a=boss"} {
		if _, err := oidclogin.ParseRoleMap(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
