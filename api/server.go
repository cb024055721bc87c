// Package api serves the JSON API (/api/v1) over the domain services. It owns
// HTTP only: decoding, authentication, problem documents; rules live in the
// domain packages.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/buildinfo"
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
	"github.com/onewindow/onewindow/logging"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/notify"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/targets"
	"github.com/onewindow/onewindow/workday"
)

// Server is the HTTP server.
type Server struct {
	// Clock is the server's one clock (package clock): the services are
	// built on it, and records the API itself writes are stamped with it.
	// nil is the wall clock.
	Clock   clock.Clock
	DB      *store.DB
	Auth    *auth.Store
	Catalog *catalog.Store
	Points  *network.Store
	Cases   *cases.Service
	// Calendar is the working-day calendar the cases use; Workdays stores
	// the years administrators add.
	Calendar *workday.Official
	Workdays *workday.Store
	// Enterprise answers enterprise requests (驻企服务); without it the server has none of those routes.
	Enterprise *enterprise.Service
	// Finance runs 产融合作 and the bridge-loan fund, Targets 民生实事; nil
	// builds each over DB.
	Finance *finance.Service
	Targets *targets.Service
	// Coverage answers the service network and coverage routes; without it the server has none of them.
	Coverage *coverage.Service
	// Hall runs the service halls: tickets, windows, board, appointments, roster;
	// without it the server has none of those routes.
	Hall *hall.Service
	// Ratings answers 好差评 (ratings, follow-ups, satisfaction); without it the server has none of those routes.
	Ratings *rating.Service
	// Figures answers the province's numbers over time; nil reads them
	// through a service built from DB, Catalog and Points.
	Figures *figures.Service
	// Notify answers the inbox, the delivery record, preferences, templates
	// and webhooks; nil builds one over DB.
	Notify *notify.Service
	// UploadDir holds uploaded files by content hash, outside any web root.
	UploadDir string
	// MaxUpload is the largest accepted upload, in bytes.
	MaxUpload int64
	Limiter   *auth.Limiter
	// Version is the release version (main.version); /healthz shows it
	// with the revision and time the binary was built from.
	Version string
	// Web serves every path the API does not (the HTML pages); nil answers
	// those with a 404 problem.
	Web http.Handler
	// Proxies are the reverse proxies whose forwarding headers are believed
	// (--trusted-proxies): the client's address and HTTPS are read through them.
	Proxies clientaddr.Proxies
	// PublicURL is the address the public reaches the server at; an https://
	// one makes every answer carry HSTS, as does a trusted proxy's HTTPS.
	PublicURL string
	// MaxBoardStreams and BoardStreamsPerClient cap the display-board event
	// streams open at once, in all and per client address (0: the defaults).
	// Streams do not take MaxInFlight places: they last for hours.
	MaxBoardStreams       int
	BoardStreamsPerClient int
	boardStreams          streamCounts
	// MaxInFlight bounds concurrent requests (0: no bound); a request that
	// finds no slot within QueueWait gets 503 with Retry-After.
	MaxInFlight int
	QueueWait   time.Duration
	// SessionCookie names the web pages' session cookie, so that signed-in
	// staff using the pages keep their places when anonymous requests crowd in.
	SessionCookie string
	// BodyGrace and MinBodyRate pace request bodies (see guardBodies; 0: the defaults).
	BodyGrace   time.Duration
	MinBodyRate int
	// Accounts runs applicants' registration, password reset and account
	// changes; nil builds one sending its codes to Mailbox.
	Accounts *accounts.Service
	// Mailbox is the development SMS mailbox (开发用短信信箱); nil is the one in DB.
	Mailbox *otp.DevMailbox
	// Delegation keeps enterprises registered by their legal representative
	// and their agents (经办人); nil builds one over DB.
	Delegation *delegation.Service
	// Licences keeps the electronic licences (电子证照); nil builds one over
	// DB that issues none (no signing keys).
	Licences *licence.Service

	log        *slog.Logger
	build      buildinfo.Info
	mux        *http.ServeMux
	registered sync.Once
	routes     []Route
	ln         net.Listener
	srv        *http.Server
}

// Route is one registered endpoint; the OpenAPI test compares this list
// with the published document.
type Route struct {
	Method  string
	Pattern string
	Auth    bool // a bearer token is required
}

// New builds a server; call Handler or Open.
func New(s *Server, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	// Whatever the logger, identity and mobile numbers are masked and the
	// lines about a request carry its id.
	s.log = slog.New(logging.Redact(log.Handler()))
	s.build = buildinfo.Read(s.Version)
	if s.Limiter == nil {
		s.Limiter = auth.NewLimiter()
	}
	if s.MaxUpload == 0 {
		s.MaxUpload = 10 << 20
	}
	if s.Mailbox == nil {
		s.Mailbox = otp.NewDevMailbox(s.DB, s.Clock)
	}
	if s.Delegation == nil {
		s.Delegation = delegation.NewService(s.DB, s.Auth, s.Clock)
	}
	if s.Accounts == nil {
		s.Accounts = accounts.NewService(s.DB, s.Auth, otp.NewService(s.DB, s.Mailbox, s.Clock), s.Clock)
	}
	s.buildFinance()
	s.mux = http.NewServeMux()
	return s
}

// register registers the routes once, when the server is first served or
// asked for its routes: the optional services are set after New.
func (s *Server) register() { s.registered.Do(s.registerRoutes) }

// Routes returns the registered endpoints.
func (s *Server) Routes() []Route {
	s.register()
	return s.routes
}

type ctxKey int

const (
	userKey ctxKey = 1
	// uploadLimitKey carries MaxUpload to the reader of uploads (upload).
	uploadLimitKey ctxKey = 2
)

// actor returns the authenticated user of the request.
func actor(r *http.Request) (auth.User, bool) {
	u, ok := r.Context().Value(userKey).(auth.User)
	return u, ok
}

// handle registers h for "METHOD /path". Authenticated routes get the user
// in the context; a missing or bad token is a 401 problem.
func (s *Server) handle(method, pattern string, needAuth bool, h func(w http.ResponseWriter, r *http.Request) error) {
	s.routes = append(s.routes, Route{Method: method, Pattern: pattern, Auth: needAuth})
	s.mux.HandleFunc(method+" "+pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := checkRequestText(r); err != nil {
			s.writeProblem(w, r, err)
			return
		}
		if needAuth {
			u, err := s.authenticate(r)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="onewindow"`)
				s.writeProblem(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			logging.SetUser(r.Context(), u.ID)
		}
		// Services write the client's address into the audit records of
		// the changes they make.
		r = r.WithContext(context.WithValue(audit.WithClientIP(r.Context(), s.clientIP(r)), uploadLimitKey, s.MaxUpload))
		if err := h(w, r); err != nil {
			s.auditDenial(r, err)
			s.writeProblem(w, r, err)
		}
	})
}

func (s *Server) authenticate(r *http.Request) (auth.User, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return auth.User{}, apperr.New(apperr.Unauthorized, "token_required", apperr.M("请先登录", "sign in first: a bearer token is required"))
	}
	u, err := s.Auth.Authenticate(r.Context(), strings.TrimSpace(token))
	if err != nil || s.Delegation == nil {
		return u, err
	}
	// The enterprises a person acts for today widen what they see.
	return s.Delegation.WithAgency(r.Context(), u)
}

// auditDenial writes refusals of access outside the caller's scope to the audit log.
func (s *Server) auditDenial(r *http.Request, err error) {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (!ae.Denied && ae.Code != apperr.Forbidden) {
		return
	}
	u, _ := actor(r)
	_, aerr := audit.AppendNow(r.Context(), s.DB, audit.Record{At: s.Clock.Now(), ActorID: u.ID, Actor: u.Username, Role: string(u.Role),
		Action: r.Method + " " + r.URL.Path, Object: r.URL.Path, Outcome: "denied", Detail: fmt.Sprintf(`{"reason":%q}`, ae.Reason),
		IP: s.clientIP(r)})
	if aerr != nil {
		s.log.ErrorContext(r.Context(), "audit denial", "err", aerr)
	}
}

// clientIP is the client's address, read through the trusted proxies.
func (s *Server) clientIP(r *http.Request) string { return s.Proxies.Addr(r) }

// Handler returns the whole HTTP handler with its middleware.
func (s *Server) Handler() http.Handler {
	s.register()
	var h http.Handler = s.mux
	h = s.limitInFlight(h)
	h = s.recoverer(h)
	h = s.guardBodies(h)
	h = s.strictTransport(h)
	h = s.logRequests(h)
	return h
}

// strictTransport tells browsers reaching the server over HTTPS to keep to
// it for a year (HSTS).
func (s *Server) strictTransport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(strings.ToLower(s.PublicURL), "https://") || s.Proxies.HTTPS(r) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.writeProblem(w, r, apperr.Wrap(fmt.Errorf("panic: %v", v), "handler"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (sr *statusRecorder) WriteHeader(code int) {
	sr.status = code
	sr.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (read deadlines
// for paced bodies).
func (sr *statusRecorder) Unwrap() http.ResponseWriter { return sr.ResponseWriter }

func (sr *statusRecorder) Flush() {
	if f, ok := sr.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// logRequests gives every request an id, sent back as X-Request-ID (a
// client's own is kept when it is short and safe, see logging.NewRequest)
// and named by every line logged with the request's context, and logs each
// request once answered: method, route pattern, path, status, duration and,
// when known, the signed-in user's id. Nothing else of the request is
// logged, and the logger masks identity and mobile numbers (package logging).
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now() // wall clock: measures the request for the log
		rq := logging.NewRequest(r.Header.Get("X-Request-ID"))
		w.Header().Set("X-Request-ID", rq.ID)
		r = r.WithContext(logging.WithRequest(r.Context(), rq))
		sr := &statusRecorder{ResponseWriter: w, status: 200}
		next.ServeHTTP(sr, r)
		route := rq.Route()
		if route == "" {
			route = r.Pattern // set by the mux on this request
		}
		took := time.Since(start)
		observeRequest(route, sr.status, took)
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
			slog.Int("status", sr.status), slog.Float64("duration_ms", float64(took.Microseconds())/1000)}
		if user, ok := rq.User(); ok {
			attrs = append(attrs, slog.Int64("user_id", user))
		}
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "http", attrs...)
	})
}

// Open listens on addr (":0" picks a free port) before returning, so that a
// port clash is an error here, then serves in the background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("api: listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go s.srv.Serve(ln)
	return nil
}

// URL is the base URL of an opened server.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops the server gracefully.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}
