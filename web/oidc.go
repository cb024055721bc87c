package web

import (
	"context"
	"net/http"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/oidclogin"
)

// oidcCookie keeps the state of a sign-in through the identity service in
// the browser that started it, so that a callback reaching another browser
// (someone tricked into finishing an attacker's sign-in) is refused. Lax,
// since the provider sends the browser back with a top-level GET.
const oidcCookie = "ow_oidc"

// The sign-in through the identity service has its addresses on every
// server: without the service they send the browser to the password
// form, the other way in.

// oidcStart sends the browser to the identity service. When it cannot be
// reached, the sign-in page says so and the password form stays.
func (w *Web) oidcStart(ctx context.Context, c *call) (answer, error) {
	if w.OIDC == nil {
		return seeOther("/login"), nil
	}
	next := localPath(c.Query("next"))
	start, err := w.OIDC.Begin(ctx, next)
	if err != nil {
		return loginTrouble{Next: next, Err: err}, nil
	}
	http.SetCookie(c.rw, &http.Cookie{Name: oidcCookie, Value: start.State, Path: "/login/oidc", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: w.https(c.R), MaxAge: int(oidclogin.SignInTTL / time.Second)})
	return seeOther(start.URL), nil
}

// oidcCallback finishes the sign-in the identity service sent back.
func (w *Web) oidcCallback(ctx context.Context, c *call) (answer, error) {
	if w.OIDC == nil {
		return seeOther("/login"), nil
	}
	r := c.R
	browserState := ""
	if ck, err := r.Cookie(oidcCookie); err == nil {
		browserState = ck.Value
	}
	http.SetCookie(c.rw, &http.Cookie{Name: oidcCookie, Value: "", Path: "/login/oidc", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: w.https(r), MaxAge: -1})
	res, err := w.OIDC.Finish(ctx, oidclogin.Callback{State: c.Query("state"), BrowserState: browserState, Code: c.Query("code"),
		ProviderError: c.Query("error"), Client: w.clientIP(r)})
	if err != nil {
		return loginTrouble{Err: err}, nil
	}
	token, err := w.Auth.IssueWith(ctx, res.User.ID, 0, w.sessionInfo(r))
	if err != nil {
		return loginTrouble{Err: err}, nil
	}
	w.setSession(c.rw, r, token)
	next := res.Next
	if next == "" || next == "/login" {
		next = homeOf(res.User.Role)
	}
	return seeOther(next), nil
}

// loginTrouble is the sign-in page with what went wrong, the identity
// service being down included: the password form still works then, so
// that answers 503 with the page rather than the error page (a form shown
// again with its problem keeps the error page for failures). Other
// failures get the error page.
type loginTrouble struct {
	Next string
	Err  error
}

func (t loginTrouble) write(w *Web, c *call) error {
	p := problemOf(c.L, t.Err)
	if ae := apperr.As(t.Err); ae.Code == apperr.Unavailable {
		// Not an internal error: the page says what is down and what still works.
		p.Status, p.Code, p.Message = http.StatusServiceUnavailable, ae.Reason, c.L.Msg(ae.Message)
	} else if p.Status >= 500 {
		return t.Err
	}
	return page{Name: "login", Title: "login.title", Data: loginData{Next: t.Next, OIDC: true}, Status: p.Status, problem: p}.write(w, c)
}
