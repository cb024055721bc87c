package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/api"
)

// /healthz answers without a database and tells the build: the release
// version given to the server, the module and Go versions; a revision and
// its time only when the binary has them (go test stamps none), the time
// then in RFC 3339, and "modified" only when the tree had changes.
func TestHealthzTellsTheBuild(t *testing.T) {
	srv := api.New(&api.Server{Version: "v0.3.0"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	if got["status"] != "ok" || got["version"] != "v0.3.0" {
		t.Errorf("status %v, version %v; want ok and v0.3.0: %s", got["status"], got["version"], rec.Body)
	}
	if g, _ := got["go"].(string); !strings.HasPrefix(g, "go1.") {
		t.Errorf("go %v: %s", got["go"], rec.Body)
	}
	if m, ok := got["modified"]; ok && (m != true || got["revision"] == nil) {
		t.Errorf("modified is %v: it is there only as true, with a revision: %s", m, rec.Body)
	}
	if m, _ := got["module_version"].(string); m == "" {
		t.Errorf("no module version: %s", rec.Body)
	}
	if tm, ok := got["time"].(string); ok {
		if _, err := time.Parse(time.RFC3339, tm); err != nil {
			t.Errorf("time %q: %v", tm, err)
		}
	}
	if _, ok := got["revision"]; ok != (got["time"] != nil) {
		t.Errorf("a revision without its time or the other way round: %s", rec.Body)
	}

	// No release version given: "dev".
	rec = httptest.NewRecorder()
	api.New(&api.Server{}, nil).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if !strings.Contains(rec.Body.String(), `"version":"dev"`) {
		t.Errorf("without a version: %s", rec.Body)
	}
}
