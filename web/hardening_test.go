package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/clientaddr"
	"github.com/onewindow/onewindow/demo"
)

// After signing in, only a path on this site is followed: a tab, a
// backslash, a scheme or a host anywhere in next (after decoding) leads home
// instead, since browsers drop tabs and read backslashes as slashes.
func TestSignInNeverRedirectsOffSite(t *testing.T) {
	e := sqliteEnv(t)
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example",
		"\\/evil.example", "https://evil.example/", "/ /evil.example", "/%09/evil.example", "javascript:alert(1)"} {
		c := e.client(t)
		c.get("/login").want(200)
		decoded := next
		if d, err := url.QueryUnescape(next); err == nil {
			decoded = d
		}
		res := c.post("/login", url.Values{"username": {"admin"}, "password": {demo.Password}, "next": {decoded}}).want(http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != "/admin" {
			t.Errorf("next=%q leads to %q, want the home page /admin", decoded, loc)
		}
		// A signed-in visit of /login?next=… is checked the same way.
		got := c.get("/login?next=" + url.QueryEscape(decoded))
		if loc := got.header.Get("Location"); loc != "" && !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\t\n\\ ") {
			t.Errorf("signed in, /login?next=%q leads to %q", decoded, loc)
		}
	}
	c := e.client(t)
	c.get("/login").want(200)
	res := c.post("/login", url.Values{"username": {"admin"}, "password": {demo.Password}, "next": {"/admin/users?q=a"}}).want(http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/admin/users?q=a" {
		t.Errorf("a path on the site leads to %q", loc)
	}
}

// Behind a proxy that terminates TLS, cookies are Secure and HSTS is sent,
// but only when the proxy is trusted; a client cannot claim HTTPS itself.
// With an https:// public address the same holds without a proxy.
func TestCookiesAndHSTSBehindTLS(t *testing.T) {
	e := sqliteEnv(t)
	signIn := func(headers ...string) *page {
		t.Helper()
		c := e.client(t)
		c.get("/login", headers...).want(200)
		return c.post("/login", url.Values{"username": {"admin"}, "password": {demo.Password}}, headers...).want(http.StatusSeeOther)
	}
	secure := func(p *page) bool {
		for _, c := range p.header.Values("Set-Cookie") {
			if strings.HasPrefix(c, "ow_session=") {
				return strings.Contains(c, "; Secure")
			}
		}
		t.Fatalf("no session cookie set: %v", p.header.Values("Set-Cookie"))
		return false
	}
	plain := signIn("X-Forwarded-Proto", "https")
	if secure(plain) || plain.header.Get("Strict-Transport-Security") != "" {
		t.Error("an untrusted client claiming https got Secure cookies or HSTS")
	}
	e.pages.Proxies = clientaddr.MustParse("127.0.0.0/8, ::1")
	e.srv.Proxies = e.pages.Proxies
	viaProxy := signIn("X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.7")
	if !secure(viaProxy) || !strings.HasPrefix(viaProxy.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("through a trusted TLS proxy: Secure %v, HSTS %q", secure(viaProxy), viaProxy.header.Get("Strict-Transport-Security"))
	}
	api := e.client(t).get("/api/v1/items?limit=1", "X-Forwarded-Proto", "https").want(200)
	if api.header.Get("Strict-Transport-Security") == "" {
		t.Error("the API over a trusted TLS proxy sends no HSTS")
	}
	overHTTP := signIn("X-Forwarded-Proto", "http")
	if secure(overHTTP) {
		t.Error("a trusted proxy over plain http got Secure cookies")
	}
	e.pages.Proxies, e.srv.Proxies = clientaddr.Proxies{}, clientaddr.Proxies{}
	e.pages.PublicURL, e.srv.PublicURL = "https://zwfw.example.cn", "https://zwfw.example.cn"
	public := signIn()
	if !secure(public) || public.header.Get("Strict-Transport-Security") == "" {
		t.Error("with an https:// public address: no Secure cookie or no HSTS")
	}
}
