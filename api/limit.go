package api

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/metrics"
)

// limitInFlight bounds the requests served at once: past MaxInFlight a
// request waits up to QueueWait for a slot, then gets 503 with Retry-After.
// Memory stays bounded under any load, and the server recovers as soon as the
// load drops. Health checks and live streams are not counted (streams have
// caps of their own).
//
// Requests from nobody signed in (the public pages, sign-in itself) may
// hold at most half of the places, so that a crowd of them, or slow clients
// that send their bodies a byte at a time, cannot keep staff who are signed
// in from working. Who is signed in is told by a token or session cookie
// that authenticated lately (auth.Store.RecentlySignedIn), without a query.
func (s *Server) limitInFlight(next http.Handler) http.Handler {
	if s.MaxInFlight <= 0 {
		return next
	}
	slots := make(chan struct{}, s.MaxInFlight)
	anonymous := make(chan struct{}, max(1, s.MaxInFlight/2))
	wait := s.QueueWait
	if wait <= 0 {
		wait = 2 * time.Second
	}
	take := func(w http.ResponseWriter, r *http.Request, pool chan struct{}) bool {
		select {
		case pool <- struct{}{}:
			return true
		default:
		}
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case pool <- struct{}{}:
			return true
		case <-t.C:
			metrics.Inc("onewindow_http_rejected_total")
			s.writeProblem(w, r, apperr.New(apperr.Unavailable, "overloaded",
				apperr.M("系统繁忙，请稍后重试", "the server is busy; please retry shortly")).With("retry_after", 1))
		case <-r.Context().Done():
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" || strings.HasSuffix(r.URL.Path, "/board") {
			next.ServeHTTP(w, r)
			return
		}
		if !s.signedIn(r) {
			if !take(w, r, anonymous) {
				return
			}
			defer func() { <-anonymous }()
		}
		if !take(w, r, slots) {
			return
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}

// signedIn tells whether the request carries a token or session cookie that
// authenticated lately; a hint for sharing places, never a permission.
func (s *Server) signedIn(r *http.Request) bool {
	if s.Auth == nil {
		return false
	}
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && s.Auth.RecentlySignedIn(strings.TrimSpace(token)) {
		return true
	}
	if s.SessionCookie != "" {
		if c, err := r.Cookie(s.SessionCookie); err == nil && s.Auth.RecentlySignedIn(c.Value) {
			return true
		}
	}
	return false
}

// Request bodies must keep coming: a client gets BodyGrace plus one second
// for every MinBodyRate bytes read so far (and the next 32 KiB), whatever
// the Content-Length promised, so that one sending a byte now and then
// cannot hold its place for ever; past that the read fails and the request
// is answered 408.
const (
	DefaultBodyGrace   = 10 * time.Second
	DefaultMinBodyRate = 32 << 10 // bytes per second: 10 MiB in about 5 minutes
)

// guardBodies sets a read deadline on each request body that moves on as
// the body arrives at the minimum rate.
func (s *Server) guardBodies(next http.Handler) http.Handler {
	grace, rate := s.BodyGrace, s.MinBodyRate
	if grace <= 0 {
		grace = DefaultBodyGrace
	}
	if rate <= 0 {
		rate = DefaultMinBodyRate
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		p := &paceReader{body: r.Body, rc: http.NewResponseController(w), start: time.Now(), // wall clock: a rate over real seconds
			grace: grace, rate: rate}
		r.Body = p
		next.ServeHTTP(w, r)
		if !p.eof {
			// A body left unread (a request refused before it was read) is
			// drained by the server before it answers: the same pace applies.
			p.rc.SetReadDeadline(p.deadline())
		}
	})
}

// paceReader moves the connection's read deadline before each read.
type paceReader struct {
	body  io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	rate  int
	read  int64
	eof   bool
	err   error
}

func (p *paceReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	if err := p.rc.SetReadDeadline(p.deadline()); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, err
	}
	n, err := p.body.Read(b)
	p.read += int64(n)
	if err == io.EOF && !p.eof {
		// The whole body is in. The server now watches the connection for
		// the client going away; a long answer must not be cut off by the
		// body's deadline.
		p.eof = true
		p.rc.SetReadDeadline(time.Time{})
	}
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		metrics.Inc("onewindow_http_slow_bodies_total")
		p.err = apperr.New(apperr.Timeout, "body_too_slow",
			apperr.M("请求内容传输过慢，已中断，请重试", "the request body arrived too slowly and was cut off; please try again"))
		return n, p.err
	}
	return n, err
}

func (p *paceReader) Close() error { return p.body.Close() }

// deadline is when the body must have arrived up to what was read so far
// and the next 32 KiB.
func (p *paceReader) deadline() time.Time {
	return p.start.Add(p.grace + time.Duration(float64(p.read+32<<10)/float64(p.rate)*float64(time.Second)))
}

func init() {
	metrics.Describe("onewindow_http_slow_bodies_total", "requests cut off because their body arrived slower than the minimum rate")
	metrics.Describe("onewindow_http_rejected_total", "requests refused with 503 because the server was at its concurrency limit")
}

// bodyTimeout returns the 408 error when err is a body cut off for arriving
// too slowly, nil otherwise.
func bodyTimeout(err error) *apperr.Error {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Timeout {
		return ae
	}
	return nil
}
