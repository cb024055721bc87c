package api

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// The routes of an optional capability exist only on a server that has its
// service: without it they are no route at all (404 no_such_route), not a
// handler that has to check for a missing service.
func TestOptionalRoutesOnlyWithTheirService(t *testing.T) {
	bare := New(&Server{}, nil)
	has := func(s *Server, route string) bool {
		for _, r := range s.Routes() {
			if r.Method+" "+r.Pattern == route {
				return true
			}
		}
		return false
	}
	full := routeServer(t)
	for _, tc := range []struct{ route, path string }{
		{"GET /api/v1/enterprise-requests", "/api/v1/enterprise-requests"},
		{"GET /api/v1/points/{point}/hours", "/api/v1/points/HNZWFW/hours"},
		{"GET /api/v1/coverage/services", "/api/v1/coverage/services"},
		{"GET /api/v1/satisfaction", "/api/v1/satisfaction"},
	} {
		if !has(full, tc.route) {
			t.Errorf("%s is not registered with its service", tc.route)
		}
		if has(bare, tc.route) {
			t.Errorf("%s is registered without its service", tc.route)
		}
		rec := httptest.NewRecorder()
		bare.Handler().ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		var problem struct {
			Code string `json:"code"`
		}
		json.Unmarshal(rec.Body.Bytes(), &problem)
		if rec.Code != 404 || problem.Code != "no_such_route" {
			t.Errorf("GET %s without its service: %d %s, want 404 no_such_route", tc.path, rec.Code, rec.Body)
		}
	}
}
