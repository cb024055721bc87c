package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
)

// Cookies. The session cookie holds an auth token (the same kind the API's
// bearer tokens are); the visitor cookie seeds the form token of pages seen
// before signing in. Neither is readable by scripts.
const (
	sessionCookie = "ow_session"
	visitorCookie = "ow_visitor"
	langCookie    = "ow_lang"
	textCookie    = "ow_text"

	// SessionCookie is the session cookie's name, for the API server in
	// front of the pages (it keeps places for signed-in staff).
	SessionCookie = sessionCookie
	sessionTTL    = auth.DefaultTokenTTL
)

// session is what a request knows about its visitor.
type session struct {
	User  *auth.User // nil when not signed in
	L     Lang
	Large bool // large-text mode
	seed  string
}

// session reads the cookies of r; it sets the visitor cookie when missing.
func (w *Web) session(rw http.ResponseWriter, r *http.Request) *session {
	s := &session{L: langOf(r)}
	if c, err := r.Cookie(textCookie); err == nil && c.Value == "large" {
		s.Large = true
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if u, err := w.Auth.Authenticate(r.Context(), c.Value); err == nil {
			// The enterprises a person acts for today widen what they see;
			// when that cannot be read they see only their own.
			if agency, err := w.delegation().WithAgency(r.Context(), u); err == nil {
				u = agency
			} else {
				w.Log.Error("enterprise agency", "err", err)
			}
			s.User = &u
			s.seed = c.Value
			return s
		}
	}
	if c, err := r.Cookie(visitorCookie); err == nil && len(c.Value) >= 16 {
		s.seed = c.Value
	} else {
		s.seed = randomToken()
		http.SetCookie(rw, &http.Cookie{Name: visitorCookie, Value: s.seed, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: w.https(r), MaxAge: 30 * 24 * 3600})
	}
	return s
}

// CSRF is the form token of the session: a hash of the session's secret
// cookie, so that it needs no storage, is the same on every server and
// changes at every sign-in.
func (s *session) CSRF() string {
	sum := sha256.Sum256([]byte("onewindow form token v1\x00" + s.seed))
	return base64.RawURLEncoding.EncodeToString(sum[:24])
}

func (s *session) validToken(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF())) == 1
}

func randomToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// homeOf is where a role starts after signing in.
func homeOf(role auth.Role) string {
	switch role {
	case auth.RoleApplicant:
		return "/my"
	case auth.RoleFrontDesk:
		return "/desk"
	case auth.RoleReviewer:
		return "/review"
	case auth.RoleIssuer:
		return "/issue"
	case auth.RoleHallManager:
		return "/hall"
	case auth.RoleAdmin:
		return "/admin"
	case auth.RoleFinanceOfficer:
		return "/bank"
	}
	return "/"
}

// localPath accepts only a path on this site as a place to return to.
//
// Browsers drop tabs and line breaks from a Location and read a backslash
// as a slash, so "/\t/evil.example" would lead to //evil.example: any
// control character, space or backslash refuses the path, and so does
// anything that parses with a scheme, a host or a user.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return ""
	}
	for _, r := range p {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError {
			return ""
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return p
}

func (w *Web) toLogin(rw http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = r.Referer()
		if u, err := url.Parse(next); err == nil {
			next = u.RequestURI()
		}
	}
	http.Redirect(rw, r, "/login?next="+url.QueryEscape(localPath(next)), http.StatusSeeOther)
}

// deny answers a signed-in user whose role may not open the page, and
// writes the refusal to the audit log as the API does.
func (w *Web) deny(rw http.ResponseWriter, r *http.Request, s *session) {
	err := apperr.RoleNotAllowed(apperr.M("您的角色无权打开此页面", "your role may not open this page"))
	w.renderError(rw, r, s, err)
}

// auditDenied records refusals of access outside the user's scope.
func (w *Web) auditDenied(r *http.Request, s *session, ae *apperr.Error) {
	if s.User == nil {
		return
	}
	if _, err := audit.AppendNow(r.Context(), w.DB, audit.Record{At: w.Clock.Now(), ActorID: s.User.ID, Actor: s.User.Username,
		Role: string(s.User.Role), Action: "web " + r.Method + " " + r.URL.Path, Object: r.URL.Path, Outcome: "denied",
		Detail: fmt.Sprintf(`{"reason":%q}`, ae.Reason), IP: w.clientIP(r)}); err != nil {
		w.Log.Error("audit denial", "err", err)
	}
}

// clientIP is the client's address, read through the trusted proxies.
func (w *Web) clientIP(r *http.Request) string { return w.Proxies.Addr(r) }

// maxForm bounds a form without files.
const maxForm = 1 << 20

// parseForm reads a POST body within its size limit: files up to MaxUpload
// each (at most eight per form), other forms 1 MiB. Every value must be
// valid UTF-8 without NUL, which no field needs and PostgreSQL cannot store.
func (w *Web) parseForm(rw http.ResponseWriter, r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(rw, r.Body, 8*w.MaxUpload+maxForm)
		err = r.ParseMultipartForm(8 << 20)
	} else {
		r.Body = http.MaxBytesReader(rw, r.Body, maxForm)
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "form_too_large", apperr.M("提交的内容超过大小上限", "what was sent is larger than allowed"))
		}
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.Timeout {
			return ae // the body stopped coming (the API's pacing of bodies)
		}
		return apperr.New(apperr.BadRequest, "form_unreadable", apperr.M("无法读取提交的表单", "could not read the form"))
	}
	for name, vs := range r.Form {
		if err := checkText("form", name); err != nil {
			return err
		}
		for _, v := range vs {
			if err := checkText(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkQuery(r *http.Request) error {
	if !strings.Contains(r.URL.RawQuery, "%") {
		return nil
	}
	for name, vs := range r.URL.Query() {
		if err := checkText("query", name); err != nil {
			return err
		}
		for _, v := range vs {
			if err := checkText(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkText(field, v string) error {
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return apperr.Fields{apperr.Field(field, "text", apperr.M("含有无效字符", "contains characters that are not allowed"))}.Err()
	}
	return nil
}

type loginData struct {
	Next     string
	Username string
	OIDC     bool // signing in through the identity service is offered
}

func (w *Web) loginPage(ctx context.Context, c *call) (answer, error) {
	next := localPath(c.Query("next"))
	if c.S.User != nil && next != "" {
		return seeOther(next), nil
	}
	return page{Name: "login", Title: "login.title", Data: loginData{Next: next, OIDC: w.OIDC != nil},
		Flash: c.Flash(map[string]string{"reset": "forgot.done", "signed_out": "account.signed_out"})}, nil
}

func (w *Web) login(ctx context.Context, c *call) (answer, error) {
	r := c.R
	username := c.Trim("username")
	next := localPath(c.Form("next"))
	form := page{Name: "login", Title: "login.title", Data: loginData{Next: next, Username: username, OIDC: w.OIDC != nil}}
	attempt, err := w.Limiter.BeginLogin(auth.NormalizeUsername(username), w.clientIP(r))
	if err != nil {
		return form, retryAfter(c.rw, err)
	}
	token, u, err := w.Auth.LoginWith(ctx, username, c.Form("password"), w.sessionInfo(r))
	if err != nil {
		if apperr.CodeOf(err) == apperr.Unauthorized {
			attempt.Failed()
			w.auditLogin(r, auth.User{Username: username}, audit.Failed)
			return form, err
		}
		attempt.Abandoned()
		return form, retryAfter(c.rw, err)
	}
	attempt.Succeeded()
	w.auditLogin(r, u, audit.OK)
	w.setSession(c.rw, r, token)
	if next == "" || next == "/login" {
		next = homeOf(u.Role)
	}
	return seeOther(next), nil
}

// sessionInfo describes the browser session a sign-in makes, for the
// account page's list of sessions.
func (w *Web) sessionInfo(r *http.Request) auth.TokenInfo {
	return auth.TokenInfo{Kind: auth.TokenSession, Label: r.UserAgent(), Client: w.clientIP(r)}
}

// setSession keeps a new session's token in the browser's cookie.
func (w *Web) setSession(rw http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: w.https(r), MaxAge: int(sessionTTL / time.Second)})
}

// auditLogin records sign-ins through the pages as the API does.
func (w *Web) auditLogin(r *http.Request, u auth.User, outcome string) {
	name := u.Username
	if len(name) > 64 {
		name = strings.ToValidUTF8(name[:64], "")
	}
	if _, err := audit.AppendNow(r.Context(), w.DB, audit.Record{At: w.Clock.Now(), ActorID: u.ID, Actor: name, Role: string(u.Role),
		Action: "auth.login", Object: "user:" + name, Outcome: outcome, IP: w.clientIP(r), Detail: `{"via":"web"}`}); err != nil {
		w.Log.Error("audit login", "err", err)
	}
}

func (w *Web) logout(ctx context.Context, c *call) (answer, error) {
	if ck, err := c.R.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := w.Auth.Logout(ctx, ck.Value); err != nil {
			return nil, err
		}
	}
	w.endSession(c.rw, c.R)
	return seeOther("/"), nil
}

// endSession drops the session's cookie from the browser.
func (w *Web) endSession(rw http.ResponseWriter, r *http.Request) {
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: w.https(r), MaxAge: -1})
}

// prefs switches the language or the text size; kept in cookies so that
// they hold before signing in and on shared counter computers per browser.
func (w *Web) prefs(ctx context.Context, c *call) (answer, error) {
	rw, r := c.rw, c.R
	year := 365 * 24 * 3600
	switch l := r.PostFormValue("lang"); l {
	case "zh", "en":
		http.SetCookie(rw, &http.Cookie{Name: langCookie, Value: l, Path: "/", SameSite: http.SameSiteLaxMode, Secure: w.https(r), MaxAge: year, HttpOnly: true})
	case "":
	default:
		return nil, apperr.Fields{apperr.Field("lang", "unknown", apperr.M("语言须为 zh 或 en", "lang must be zh or en"))}.Err()
	}
	switch t := r.PostFormValue("text"); t {
	case "large", "normal":
		http.SetCookie(rw, &http.Cookie{Name: textCookie, Value: t, Path: "/", SameSite: http.SameSiteLaxMode, Secure: w.https(r), MaxAge: year, HttpOnly: true})
	case "":
	default:
		return nil, apperr.Fields{apperr.Field("text", "unknown", apperr.M("字号须为 large 或 normal", "text must be large or normal"))}.Err()
	}
	back := localPath(r.PostFormValue("back"))
	if back == "" {
		back = "/"
	}
	return seeOther(back), nil
}

// https reports whether the client sees this site over HTTPS: the public
// address is https://, or the request came over TLS or through a trusted
// proxy that terminated it. Cookies are then Secure and HSTS is sent.
func (w *Web) https(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(w.PublicURL), "https://") || w.Proxies.HTTPS(r)
}
