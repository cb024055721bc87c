package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/demo/demotest"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/logging"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/workday"
)

// lockedBuffer is a log destination the server's goroutines share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLoggedEnv is newEnv on SQLite with the server logging every request to
// the returned buffer in format.
func newLoggedEnv(t *testing.T, format string) (*env, *lockedBuffer) {
	t.Helper()
	now := clocktest.Now(t)
	db := demotest.SQLite(t, now)
	clk := clock.NewManual(now)
	if _, err := demo.Load(context.Background(), db, now); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewStore(db)
	points := network.NewStore(db)
	svc := cases.NewService(db, cat, points, cal, clk.Clock())
	svc.OnlinePoint = demo.CountyHall
	buf := &lockedBuffer{}
	log, err := logging.New(buf, format, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(&api.Server{Clock: clk.Clock(), DB: db, Auth: auth.NewStore(db), Catalog: cat, Points: points, Cases: svc,
		Calendar: cal, Workdays: workday.NewStore(db), UploadDir: filepath.Join(t.TempDir(), "uploads")}, log)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return &env{t: t, db: db, srv: srv, svc: svc, clock: clk, base: srv.URL(), client: checkedClient(t, 30*time.Second),
		tokens: map[string]string{}}, buf
}

// Every request is logged once with its id (also sent back as
// X-Request-ID), the route pattern, status, duration and the signed-in
// user's id; identity and mobile numbers sent in a body, a query, a path or
// a request id header never reach the log, in either format.
func TestRequestLogHoldsNoPersonalData(t *testing.T) {
	id := applicantID("zhouming")
	const phone = "13904350002"
	for _, format := range logging.Formats {
		t.Run(format, func(t *testing.T) {
			e, buf := newLoggedEnv(t, format)
			med := e.item(demo.CodeMedicalOutOfArea)
			body := map[string]any{"item": med.Code, "materials": requiredTypes(med, true),
				"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": id, "phone": phone}}
			query := "?id_number=" + id + "&phone=" + phone
			created := e.call("POST", "/api/v1/cases"+query, "hn_qiantai", body, "X-Request-ID", "desk-7.case:1").want(201)
			if got := created.header.Get("X-Request-ID"); got != "desk-7.case:1" {
				t.Errorf("X-Request-ID %q, want the client's own", got)
			}
			// A wrong check digit: refused, with the number in the body and the query.
			bad := map[string]any{"item": med.Code, "applicant": map[string]any{"kind": "person", "name": "周明", "id_number": badCheckDigit(id, "0123456789X")}}
			e.call("POST", "/api/v1/cases"+query, "hn_qiantai", bad).problem(422, "validation_failed")
			// In the path of an unknown address, and as a request id.
			missing := e.call("GET", "/api/v1/people/"+id+"/phone/"+phone, "", nil, "X-Request-ID", id)
			missing.problem(404, "no_such_route")
			fresh := missing.header.Get("X-Request-ID")
			if fresh == "" || fresh == id || !logging.SafeRequestID(fresh) {
				t.Errorf("an identity number as X-Request-ID came back as %q", fresh)
			}
			e.call("GET", "/healthz", "", nil).want(200)

			out := buf.String()
			for _, raw := range []string{id, badCheckDigit(id, "0123456789X"), phone} {
				if strings.Contains(out, raw) {
					t.Fatalf("the %s log holds %q:\n%s", format, raw, out)
				}
			}
			lines := requestLines(t, format, out)
			want := []struct {
				route, status string
				user          bool
				id            string
			}{
				{"POST /api/v1/auth/login", "200", false, ""},
				{"POST /api/v1/cases", "201", true, "desk-7.case:1"},
				{"POST /api/v1/cases", "422", true, ""},
				{"/", "404", false, fresh},
				{"GET /healthz", "200", false, ""},
			}
			if len(lines) != len(want) {
				t.Fatalf("%d request lines, want %d:\n%s", len(lines), len(want), out)
			}
			ids := map[string]bool{}
			for i, w := range want {
				l := lines[i]
				if l["route"] != w.route || l["status"] != w.status || l["method"] == "" || l["duration_ms"] == "" {
					t.Errorf("line %d: %v, want route %q and status %s with a method and a duration", i, l, w.route, w.status)
				}
				if (l["user_id"] != "") != w.user {
					t.Errorf("line %d: user id %q, want one: %v", i, l["user_id"], w.user)
				}
				if w.id != "" && l["request_id"] != w.id {
					t.Errorf("line %d: request id %q, want %q", i, l["request_id"], w.id)
				}
				if l["request_id"] == "" || ids[l["request_id"]] {
					t.Errorf("line %d: request id %q missing or repeated", i, l["request_id"])
				}
				ids[l["request_id"]] = true
			}
			if lines[3]["path"] != "/api/v1/people/"+ident.MaskID(id)+"/phone/139****0002" {
				t.Errorf("the unknown path is not logged masked: %q", lines[3]["path"])
			}
		})
	}
}

// requestLines reads the "http" lines of a text or JSON log as maps of
// strings.
func requestLines(t *testing.T, format, out string) []map[string]string {
	t.Helper()
	var lines []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		m := map[string]string{}
		if format == "json" {
			var raw map[string]any
			if err := json.Unmarshal([]byte(line), &raw); err != nil {
				t.Fatalf("not JSON: %q", line)
			}
			for k, v := range raw {
				m[k] = fmt.Sprint(v)
			}
		} else {
			// key=value pairs; a value with spaces or quotes is quoted as Go quotes strings.
			rest := line
			for rest != "" {
				k, v, ok := strings.Cut(rest, "=")
				if !ok {
					t.Fatalf("not key=value: %q", line)
				}
				if strings.HasPrefix(v, `"`) {
					q, err := strconv.QuotedPrefix(v)
					if err != nil {
						t.Fatalf("bad quoting in %q: %v", line, err)
					}
					m[k], _ = strconv.Unquote(q)
					v = v[len(q):]
				} else {
					m[k], v, _ = strings.Cut(v, " ")
				}
				rest = strings.TrimPrefix(v, " ")
			}
		}
		if m["msg"] == "http" {
			lines = append(lines, m)
		}
	}
	return lines
}
