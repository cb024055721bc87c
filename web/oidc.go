package web

import (
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

// oidcStart sends the browser to the identity service. When it cannot be
// reached, the sign-in page says so and the password form stays.
func (w *Web) oidcStart(rw http.ResponseWriter, r *http.Request, s *session) error {
	if w.OIDC == nil {
		http.Redirect(rw, r, "/login", http.StatusSeeOther)
		return nil
	}
	next := localPath(r.URL.Query().Get("next"))
	start, err := w.OIDC.Begin(r.Context(), next)
	if err != nil {
		return w.loginProblem(rw, r, s, next, err)
	}
	http.SetCookie(rw, &http.Cookie{Name: oidcCookie, Value: start.State, Path: "/login/oidc", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: w.https(r), MaxAge: int(oidclogin.SignInTTL / time.Second)})
	http.Redirect(rw, r, start.URL, http.StatusSeeOther)
	return nil
}

// oidcCallback finishes the sign-in the identity service sent back.
func (w *Web) oidcCallback(rw http.ResponseWriter, r *http.Request, s *session) error {
	if w.OIDC == nil {
		http.Redirect(rw, r, "/login", http.StatusSeeOther)
		return nil
	}
	browserState := ""
	if c, err := r.Cookie(oidcCookie); err == nil {
		browserState = c.Value
	}
	http.SetCookie(rw, &http.Cookie{Name: oidcCookie, Value: "", Path: "/login/oidc", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: w.https(r), MaxAge: -1})
	q := r.URL.Query()
	res, err := w.OIDC.Finish(r.Context(), oidclogin.Callback{State: q.Get("state"), BrowserState: browserState, Code: q.Get("code"),
		ProviderError: q.Get("error"), Client: w.clientIP(r)})
	if err != nil {
		return w.loginProblem(rw, r, s, "", err)
	}
	token, err := w.Auth.IssueWith(r.Context(), res.User.ID, 0, w.sessionInfo(r))
	if err != nil {
		return w.loginProblem(rw, r, s, "", err)
	}
	w.setSession(rw, r, token)
	next := res.Next
	if next == "" || next == "/login" {
		next = homeOf(res.User.Role)
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
	return nil
}

// loginProblem shows the sign-in page with what went wrong, the identity
// service being down included: the password form still works then.
func (w *Web) loginProblem(rw http.ResponseWriter, r *http.Request, s *session, next string, err error) error {
	p := problemOf(s.L, err)
	if ae := apperr.As(err); ae.Code == apperr.Unavailable {
		// Not an internal error: the page says what is down and what still works.
		p.Status, p.Code, p.Message = http.StatusServiceUnavailable, ae.Reason, s.L.Msg(ae.Message)
	} else if p.Status >= 500 {
		return err
	}
	return w.write(rw, r, s, p.Status, "login", &view{session: s, Title: s.L.T("login.title"),
		Data: loginData{Next: next, OIDC: w.OIDC != nil}, Problem: p})
}
