package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/oidclogin"
	"github.com/onewindow/onewindow/oidclogin/oidctest"
)

const oidcPassword = "at-the-province"

// withOIDC starts an identity provider knowing people and has the pages
// sign in through it.
func withOIDC(t *testing.T, e *env, people ...oidctest.Person) *oidctest.Provider {
	t.Helper()
	callback := e.base + "/login/oidc/callback"
	p := oidctest.Start(t, "onewindow-web", "web-secret", callback, people...)
	roles, err := oidclogin.ParseRoleMap("rs=reviewer:" + user(t, e, "rs_shenpi").DepartmentCode)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := oidclogin.New(oidclogin.Config{Issuer: p.Issuer, ClientID: "onewindow-web", ClientSecret: "web-secret", RedirectURL: callback,
		VerifiedClaim: oidclogin.DefaultVerifiedClaim, Roles: roles}, e.db, e.users, e.clock.Clock())
	if err != nil {
		t.Fatal(err)
	}
	e.pages.OIDC = svc
	return p
}

// throughProvider follows the sign-in page's link to the provider, signs
// in there and returns the callback path the provider sends the browser to.
func throughProvider(t *testing.T, c *client, next, username string) string {
	t.Helper()
	start := c.get("/login/oidc?next=" + url.QueryEscape(next)).want(http.StatusSeeOther)
	back, err := oidctest.SignIn(start.location(), username, oidcPassword)
	if err != nil {
		t.Fatal(err)
	}
	return back.RequestURI()
}

func TestSignInThroughTheIdentityService(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		yu := user(t, e, "yuxiulan")
		withOIDC(t, e,
			oidctest.Person{Username: "yu", Password: oidcPassword, Name: yu.Name, IDNumber: yu.IDNumber, Verified: true},
			oidctest.Person{Username: "rs.newcomer", Password: oidcPassword, Name: "新审批员", Groups: []string{"rs"}})

		c := e.client(t)
		c.get("/login").want(200).has(`id="oidc-link"`, "通过统一身份认证平台登录")
		c.lang = "en"
		c.get("/login").want(200).has("Sign in through the identity service")
		c.lang = ""

		// The applicant lands on the page she started from, in her own account.
		callback := throughProvider(t, c, "/my", "yu")
		if loc := c.get(callback).want(http.StatusSeeOther).location(); loc != "/my" {
			t.Fatalf("after the callback: %s, want /my", loc)
		}
		c.get("/my").want(200).has(yu.Name)

		// A new reviewer gets an account of the 人社 department from the group.
		staff := e.client(t)
		callback = throughProvider(t, staff, "", "rs.newcomer")
		if loc := staff.get(callback).want(http.StatusSeeOther).location(); loc != "/review" {
			t.Fatalf("reviewer sent to %s, want /review", loc)
		}
		staff.get("/review").want(200)
	})
}

func TestIdentityServiceCallbackInAnotherBrowserIsRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		yu := user(t, e, "yuxiulan")
		withOIDC(t, e, oidctest.Person{Username: "yu", Password: oidcPassword, Name: yu.Name, IDNumber: yu.IDNumber, Verified: true})
		attacker := e.client(t)
		callback := throughProvider(t, attacker, "", "yu")
		victim := e.client(t)
		victim.get(callback).want(http.StatusUnauthorized).has("统一身份认证登录未完成", `name="password"`)
		if c := victim.get("/my"); c.status != http.StatusSeeOther {
			t.Fatalf("the other browser is signed in: %d", c.status)
		}
		// The browser that started it may still finish it once, and only once.
		attacker.get(callback).want(http.StatusSeeOther)
		attacker.get(callback).want(http.StatusUnauthorized)
	})
}

func TestIdentityServiceDownKeepsPasswordSignIn(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		p := withOIDC(t, e)
		p.Close()
		c := e.client(t)
		c.get("/login/oidc").want(http.StatusServiceUnavailable).has("统一身份认证平台暂时无法连接", `name="password"`, `id="oidc-link"`)
		c.lang = "en"
		c.get("/login/oidc").want(http.StatusServiceUnavailable).has("cannot be reached", `name="password"`)
		res := c.post("/login", url.Values{"username": {"qz_quanke"}, "password": {demo.Password}})
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/desk") {
			t.Fatalf("password sign-in with the provider down: %d %s", res.status, res.location())
		}
	})
}
