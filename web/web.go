// Package web serves onewindow's HTML pages: the portal for applicants, the
// front desk, the back office, the issuing window and the administration.
package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clientaddr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/delegation"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/finance"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/notify"
	"github.com/onewindow/onewindow/oidclogin"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/targets"
	"github.com/onewindow/onewindow/workday"
)

// Deps are the services the pages use; the same ones the JSON API uses.
type Deps struct {
	// Clock is the server's one clock (package clock); nil is the wall clock.
	Clock    clock.Clock
	DB       *store.DB
	Auth     *auth.Store
	Catalog  *catalog.Store
	Points   *network.Store
	Cases    *cases.Service
	Calendar *workday.Official
	Workdays *workday.Store
	// Hall runs the service halls: tickets, windows, the board, the roster.
	Hall *hall.Service
	// Coverage measures the service network's reach (the admin coverage page).
	Coverage *coverage.Service
	// Figures answers the province's numbers over time (the admin figures
	// page); nil reads them through a service built from DB, Catalog and Points.
	Figures *figures.Service
	// Ratings keeps 好差评 (ratings, follow-ups, satisfaction); nil hides those pages.
	Ratings *rating.Service
	// Notify answers the inbox (the header's unread count), preferences and
	// the delivery record; nil builds one over DB.
	Notify *notify.Service
	// Limiter counts failed sign-ins; share the API's so that both doors
	// count against one budget.
	Limiter *auth.Limiter
	// UploadDir holds uploaded files by content hash, outside any web root
	// (the same folder the API writes to).
	UploadDir string
	// MaxUpload is the largest accepted file, in bytes (10 MiB when 0).
	MaxUpload int64
	// PublicURL is the address QR codes on printed notices point to
	// (https://zwfw.example.cn); empty means the address the page was served from.
	PublicURL string
	// Proxies are the reverse proxies whose forwarding headers are believed
	// (--trusted-proxies): the client's address and HTTPS are read through them.
	Proxies clientaddr.Proxies
	Log     *slog.Logger
	// OIDC signs applicants and staff in through the province's identity
	// service; nil offers only the password form.
	OIDC *oidclogin.Service
	// Delegation keeps enterprises registered by their legal representative
	// and their agents (经办人); nil builds one over DB.
	Delegation *delegation.Service
	// Licences keeps the electronic licences (电子证照); nil builds one over
	// DB that issues none.
	Licences *licence.Service
	// Accounts runs applicants' registration, password reset and account
	// changes; nil builds one sending its codes to Mailbox.
	Accounts *accounts.Service
	// Mailbox is the development SMS mailbox (开发用短信信箱) administrators
	// read at /admin/sms; nil is the one in DB.
	Mailbox *otp.DevMailbox
	// Finance runs 产融合作 and the bridge-loan fund, Targets 民生实事 and
	// Enterprise the 驻企服务 requests; nil builds each over DB.
	Finance    *finance.Service
	Targets    *targets.Service
	Enterprise *enterprise.Service
}

// Web is the HTML handler.
type Web struct {
	Deps
	mux     *http.ServeMux
	handler http.Handler
}

// New returns the handler of every page and static file.
func New(d Deps) *Web {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Limiter == nil {
		d.Limiter = auth.NewLimiter()
	}
	if d.MaxUpload <= 0 {
		d.MaxUpload = 10 << 20
	}
	if d.Mailbox == nil {
		d.Mailbox = otp.NewDevMailbox(d.DB, d.Clock)
	}
	if d.Accounts == nil {
		d.Accounts = accounts.NewService(d.DB, d.Auth, otp.NewService(d.DB, d.Mailbox, d.Clock), d.Clock)
	}
	if d.Delegation == nil {
		d.Delegation = delegation.NewService(d.DB, d.Auth, d.Clock)
	}
	var cal workday.Calendar = workday.MondayFriday{}
	if d.Calendar != nil {
		cal = d.Calendar
	}
	if d.Finance == nil {
		d.Finance = finance.NewService(d.DB, cal, d.Clock)
	}
	if d.Targets == nil {
		d.Targets = targets.NewService(d.DB, d.Clock)
	}
	if d.Enterprise == nil {
		d.Enterprise = enterprise.NewService(d.DB, cal, d.Clock)
	}
	w := &Web{Deps: d, mux: http.NewServeMux()}
	w.routes()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		s := w.session(rw, r)
		w.renderError(rw, r, s, apperr.New(apperr.Forbidden, "cross_origin", apperr.M("跨站提交被拒绝", "cross-site form rejected")))
	}))
	w.handler = w.timed(w.recoverer(w.securityHeaders(cop.Handler(w.mux))))
	return w
}

func (w *Web) delegation() *delegation.Service { return w.Delegation }

// ServeHTTP serves one request.
func (w *Web) ServeHTTP(rw http.ResponseWriter, r *http.Request) { w.handler.ServeHTTP(rw, r) }

// access says who may open a page: nil is everyone.
type access []auth.Role

var public access

func roleIn(r auth.Role, who access) bool {
	for _, x := range who {
		if x == r {
			return true
		}
	}
	return false
}

// hsts asks browsers to use HTTPS only, for a year.
const hsts = "max-age=31536000"

// securityHeaders keeps pages from loading anything from elsewhere and from
// being framed; htmx needs no inline script or style (its indicator style is
// turned off in the page's htmx configuration).
// Over HTTPS, browsers are told to keep to it for a year (HSTS).
func (w *Web) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h := rw.Header()
		if w.https(r) {
			h.Set("Strict-Transport-Security", hsts)
		}
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(rw, r)
	})
}

func (w *Web) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				w.Log.Error("web panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				w.renderError(rw, r, w.session(rw, r), apperr.Wrap(fmt.Errorf("panic: %v", v), "web"))
			}
		}()
		next.ServeHTTP(rw, r)
	})
}

// timed reports the server time of every page in a Server-Timing header
// (the browser's developer tools show it) and in the log.
func (w *Web) timed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now() // wall clock: measures the request for the log and Server-Timing
		tw := &timingWriter{ResponseWriter: rw, start: start, status: http.StatusOK}
		next.ServeHTTP(tw, r)
		d := time.Since(start)
		level := slog.LevelDebug
		if d > time.Second {
			level = slog.LevelWarn
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			w.Log.Log(r.Context(), level, "web", "method", r.Method, "path", r.URL.Path, "status", tw.status,
				"ms", float64(d.Microseconds())/1000)
		}
	})
}

// timingWriter adds the Server-Timing header just before the status line.
type timingWriter struct {
	http.ResponseWriter
	start  time.Time
	status int
	wrote  bool
}

func (t *timingWriter) WriteHeader(code int) {
	if !t.wrote {
		t.wrote = true
		t.status = code
		t.Header().Set("Server-Timing", fmt.Sprintf("app;dur=%.1f", float64(time.Since(t.start).Microseconds())/1000))
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *timingWriter) Write(b []byte) (int, error) {
	if !t.wrote {
		t.WriteHeader(http.StatusOK)
	}
	return t.ResponseWriter.Write(b)
}

func (t *timingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
