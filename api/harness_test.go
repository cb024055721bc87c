package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/api/contracttest"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/demo/demotest"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// env is a real server on a loopback port over a real database holding the demo data.
type env struct {
	t      testing.TB
	db     *store.DB
	srv    *api.Server
	svc    *cases.Service
	clock  *clock.Manual // the server's one clock, at the tests' now until a test moves it
	base   string
	client *http.Client

	mu     sync.Mutex
	tokens map[string]string
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	now := clocktest.Now(t)
	clk := clock.NewManual(now)
	if _, err := demo.Load(ctx, db, now); err != nil {
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
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := api.New(&api.Server{Clock: clk.Clock(), DB: db, Auth: auth.NewStore(db), Catalog: cat, Points: points, Cases: svc, Calendar: cal, Workdays: workday.NewStore(db),
		UploadDir: filepath.Join(t.TempDir(), "uploads")}, log)
	srv.Enterprise = enterprise.NewService(db, cal, clk.Clock())
	srv.Ratings = rating.NewService(db, cal, clk.Clock())
	srv.Coverage = coverage.NewService(db, points, cat, clk.Clock())
	srv.Hall = hall.NewService(db, cal, points, cat, svc, clk.Clock())
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return &env{t: t, db: db, srv: srv, svc: svc, clock: clk, base: srv.URL(), client: checkedClient(t, 30*time.Second), tokens: map[string]string{}}
}

// checkedClient is the tests' HTTP client: every exchange through it is
// checked against the served API description (package contracttest), so a
// test fails when the server accepts a request the document forbids or
// answers in a way the document does not describe.
func checkedClient(t testing.TB, timeout time.Duration) *http.Client {
	return contracttest.Client(t, &http.Client{Timeout: timeout})
}

// eachEnv runs fn on SQLite and, when asked for, PostgreSQL.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	demotest.Each(t, clocktest.Now(t), func(t *testing.T, db *store.DB) { fn(t, newEnv(t, db)) })
}

// sqliteEnv is a server on a SQLite copy of the demo.
func sqliteEnv(t testing.TB) *env {
	t.Helper()
	return newEnv(t, demotest.SQLite(t, clocktest.Now(t)))
}

// token signs username in once and caches the bearer token.
func (e *env) token(username string) string {
	e.t.Helper()
	e.mu.Lock()
	tok, ok := e.tokens[username]
	e.mu.Unlock()
	if ok {
		return tok
	}
	var out struct{ Token string }
	res := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": demo.Password})
	res.want(200)
	res.decode(&out)
	e.mu.Lock()
	e.tokens[username] = out.Token
	e.mu.Unlock()
	return out.Token
}

type response struct {
	t      testing.TB
	req    string
	status int
	header http.Header
	body   []byte
}

// call sends body (a value to encode as JSON, a []byte sent as is, or nil)
// as user ("" for none).
func (e *env) call(method, path, user string, body any, headers ...string) *response {
	e.t.Helper()
	var rdr io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rdr = bytes.NewReader(b)
		// Uploads say what they are, as a client that knows its file does.
		if ct := http.DetectContentType(b); ct == "application/pdf" || ct == "image/png" || ct == "image/jpeg" {
			contentType = ct
		}
	case string:
		rdr = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		if string(j) != "null" { // a nil map or slice: no body at all
			rdr = bytes.NewReader(j)
		}
	}
	req, err := http.NewRequest(method, e.base+path, rdr)
	if err != nil {
		e.t.Fatal(err)
	}
	if rdr != nil {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(user))
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &response{t: e.t, req: method + " " + path + " as " + user, status: res.StatusCode, header: res.Header, body: b}
}

func (r *response) want(status int) *response {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("%s: status %d, want %d: %s", r.req, r.status, status, r.body)
	}
	return r
}

func (r *response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("%s: decode %s: %v", r.req, r.body, err)
	}
}

// problem decodes an RFC 9457 problem document.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Code   string `json:"code"`
	State  string `json:"state"`
	Errors []struct {
		Field   string `json:"field"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (r *response) problem(status int, code string) problem {
	r.t.Helper()
	r.want(status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("%s: content type %q, want application/problem+json", r.req, ct)
	}
	var p problem
	r.decode(&p)
	if code != "" && p.Code != code {
		r.t.Fatalf("%s: problem code %q, want %q: %s", r.req, p.Code, code, r.body)
	}
	return p
}

func (p problem) hasField(field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// caseOut is the part of a case the tests read.
type caseOut struct {
	ID          int64    `json:"id"`
	Number      string   `json:"number"`
	State       string   `json:"state"`
	Version     int      `json:"version"`
	Point       string   `json:"point"`
	Department  string   `json:"department"`
	Channel     string   `json:"channel"`
	PromisedDue string   `json:"promised_due"`
	LegalDue    string   `json:"legal_due"`
	VerifyCode  string   `json:"verify_code"`
	Waived      []string `json:"waived"`
	WaiverDue   string   `json:"waiver_due"`
	Allowed     []string `json:"allowed_actions"`
	Applicant   struct {
		Name     string `json:"name"`
		IDNumber string `json:"id_number"`
	} `json:"applicant"`
	ActingStaffID *int64 `json:"acting_staff_id"`
	Materials     []struct {
		Type   string `json:"type"`
		Source string `json:"source"`
	} `json:"materials"`
}

func (e *env) caseOf(r *response) caseOut {
	e.t.Helper()
	var c caseOut
	r.decode(&c)
	return c
}

// item returns a demo item (published) by code.
func (e *env) item(code string) catalog.Item {
	e.t.Helper()
	it, err := catalog.NewStore(e.db).Published(context.Background(), code)
	if err != nil {
		e.t.Fatalf("item %s: %v", code, err)
	}
	return it
}

// requiredTypes lists the material types an applicant must bring.
func requiredTypes(it catalog.Item, withWaivable bool) []string {
	out := []string{}
	for _, m := range it.Materials {
		if m.Requirement == catalog.Required || (withWaivable && m.Requirement == catalog.Waivable) {
			out = append(out, m.Type)
		}
	}
	return out
}

// walkIn has front desk user accept item for a person at the desk, with every material.
func (e *env) walkIn(user, itemCode, name, idNumber string) caseOut {
	e.t.Helper()
	return e.walkInWithPhone(user, itemCode, name, idNumber, "")
}

// walkInWithPhone is walkIn with the mobile number the desk recorded.
func (e *env) walkInWithPhone(user, itemCode, name, idNumber, phone string) caseOut {
	e.t.Helper()
	it := e.item(itemCode)
	applicant := map[string]any{"kind": "person", "name": name, "id_number": idNumber}
	if phone != "" {
		applicant["phone"] = phone
	}
	c := e.caseOf(e.call("POST", "/api/v1/cases", user, map[string]any{
		"item":      itemCode,
		"applicant": applicant,
		"materials": requiredTypes(it, true),
	}).want(201))
	if c.State != "received" {
		e.t.Fatalf("walk-in case is %s, want received", c.State)
	}
	return e.caseOf(e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/accept", c.ID), user, map[string]any{"version": c.Version}).want(200))
}

// act runs an action and returns the case.
func (e *env) act(user string, id int64, action string, body map[string]any) caseOut {
	e.t.Helper()
	return e.caseOf(e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/%s", id, action), user, body).want(200))
}

// applicantID returns a demo applicant's ID number.
func applicantID(username string) string {
	for _, a := range demo.Accounts() {
		if a.Username == username {
			return a.User.IDNumber
		}
	}
	panic("no demo account " + username)
}
