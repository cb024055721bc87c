package api

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every route; openapi_test.go keeps it and the
// registered routes in step.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDocument)
	return nil
}
