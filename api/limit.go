package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/metrics"
)

// limitInFlight bounds the requests served at once: past MaxInFlight a
// request waits up to QueueWait for a slot, then gets 503 with Retry-After.
// Memory stays bounded under any load, and the server recovers as soon as the
// load drops. Health checks and live streams are not counted.
func (s *Server) limitInFlight(next http.Handler) http.Handler {
	if s.MaxInFlight <= 0 {
		return next
	}
	slots := make(chan struct{}, s.MaxInFlight)
	wait := s.QueueWait
	if wait <= 0 {
		wait = 2 * time.Second
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" || strings.HasSuffix(r.URL.Path, "/board") {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		default:
			t := time.NewTimer(wait)
			select {
			case slots <- struct{}{}:
				t.Stop()
			case <-t.C:
				metrics.Inc("onewindow_http_rejected_total")
				s.writeProblem(w, r, apperr.New(apperr.Unavailable, "overloaded",
					apperr.M("系统繁忙，请稍后重试", "the server is busy; please retry shortly")).With("retry_after", 1))
				return
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}

func init() {
	metrics.Describe("onewindow_http_rejected_total", "requests refused with 503 because the server was at its concurrency limit")
}
