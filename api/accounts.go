package api

import (
	"net/http"
)

// Accounts and 办件查询: following a case without an account now; the
// applicants' own registration, password reset and account keeping join
// these routes.
func (s *Server) registerAccountRoutes() {
	s.handle("GET", "/api/v1/track", false, s.trackCase)
}

// trackCase is 办件查询: a case's state, steps, due date and missing
// materials for anyone holding its number and query code.
func (s *Server) trackCase(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	t, err := s.Cases.Track(r.Context(), q.Get("number"), q.Get("code"), s.clientIP(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, t)
	return nil
}
