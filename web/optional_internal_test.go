package web

import (
	"net/http/httptest"
	"testing"

	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/rating"
)

// The routes of an optional service are registered only with it: without
// it, the mux gives their addresses to the catch-all, the site's "no such
// page".
func TestOptionalRoutesRegisteredOnlyWithTheirService(t *testing.T) {
	bare := New(Deps{})
	full := New(Deps{Hall: &hall.Service{}, Ratings: &rating.Service{}, Coverage: &coverage.Service{}})
	for _, tc := range []struct{ method, path, pattern string }{
		{"GET", "/hall/roster", "GET /hall/roster"},
		{"POST", "/hall/appointments/7/check-in", "POST /hall/appointments/{id}/check-in"},
		{"GET", "/board/QZSQ", "GET /board/{point}"},
		{"POST", "/desk/tickets/3/call", "POST /desk/tickets/{id}/{action}"},
		{"GET", "/satisfaction", "GET /satisfaction"},
		{"POST", "/followups/2/close", "POST /followups/{id}/{action}"},
		{"GET", "/admin/coverage", "GET /admin/coverage"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if _, got := full.mux.Handler(r); got != tc.pattern {
			t.Errorf("%s %s with its service: route %q, want %q", tc.method, tc.path, got, tc.pattern)
		}
		if _, got := bare.mux.Handler(r); got != "/" {
			t.Errorf("%s %s without its service: route %q, want the catch-all", tc.method, tc.path, got)
		}
	}
}
