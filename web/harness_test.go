package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/demo/demotest"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/web"
	"github.com/onewindow/onewindow/workday"
)

// env is a real server (API and pages) on a loopback port over a real
// database holding the demo data.
type env struct {
	t       testing.TB
	db      *store.DB
	svc     *cases.Service
	cat     *catalog.Store
	users   *auth.Store
	limiter *auth.Limiter
	hall    *hall.Service
	clock   *clock.Manual
	pages   *web.Web
	srv     *api.Server
	base    string
	ratings *rating.Service
	lic     *licence.Service
}

// newEnv builds the server on the tests' clock (package clocktest): the
// demo is loaded as of that moment and every service reads it.
func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	return newEnvAt(t, db, clocktest.Now(t))
}

// newEnvAt builds the server on a clock set to now, for tests that tell a
// story in a given week (the hall's roster and appointments).
func newEnvAt(t testing.TB, db *store.DB, now time.Time) *env {
	t.Helper()
	ctx := context.Background()
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
	users := auth.NewStore(db)
	svc := cases.NewService(db, cat, points, cal, clk.Clock())
	svc.OnlinePoint = demo.CountyHall
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	limiter := auth.NewLimiter()
	reach := coverage.NewService(db, points, cat, clk.Clock())
	halls := hall.NewService(db, cal, points, cat, svc, clk.Clock())
	uploads := filepath.Join(t.TempDir(), "uploads")
	ratings := rating.NewService(db, cal, clk.Clock())
	// Issued cases of licence items get their electronic licence, as on a
	// server with keys.
	keysDir := filepath.Join(t.TempDir(), "licence-keys")
	if err := demo.LicenceKeys(keysDir); err != nil {
		t.Fatal(err)
	}
	lic := licence.NewService(db, cat, &licence.KeyDir{Path: keysDir}, clk.Clock())
	lic.Cases = svc
	svc.OnIssue, svc.OnMemberStart = lic.OnIssue, lic.OnMemberStart
	cat.ResultLicences = lic.ResultLicences
	pages := web.New(web.Deps{Clock: clk.Clock(), DB: db, Auth: users, Catalog: cat, Points: points, Cases: svc, Calendar: cal,
		Workdays: workday.NewStore(db), Limiter: limiter, UploadDir: uploads, Hall: halls, Coverage: reach, Log: log, Ratings: ratings, Licences: lic})
	srv := api.New(&api.Server{Clock: clk.Clock(), SessionCookie: web.SessionCookie, DB: db, Auth: users, Catalog: cat, Points: points, Cases: svc, Calendar: cal,
		Workdays: workday.NewStore(db), UploadDir: uploads, Limiter: limiter, Web: pages, Hall: halls, Coverage: reach, Ratings: ratings, Licences: lic}, log)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return &env{t: t, db: db, svc: svc, cat: cat, users: users, limiter: limiter, hall: halls, clock: clk, pages: pages, srv: srv, base: srv.URL(),
		ratings: ratings, lic: lic}
}

// hallClock is the time of the hall's stories (roster weeks, appointments,
// a Saturday when the hall is closed): Tuesday 24 November 2026, 10:00,
// when every demo hall is open. Those tests set the server's clock to it;
// all others run on the tests' clock.
var hallClock = time.Date(2026, 11, 24, 10, 0, 0, 0, clock.China)

// eachEnv runs fn on SQLite and, when asked for, PostgreSQL.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	now := clocktest.Now(t)
	demotest.Each(t, now, func(t *testing.T, db *store.DB) { fn(t, newEnvAt(t, db, now)) })
}

// eachHallEnv runs fn on SQLite and, when asked for, PostgreSQL, on a server
// whose clock reads hallClock.
func eachHallEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	demotest.Each(t, hallClock, func(t *testing.T, db *store.DB) { fn(t, newEnvAt(t, db, hallClock)) })
}

// sqliteEnv is a server on a SQLite copy of the demo, on the tests' clock.
func sqliteEnv(t testing.TB) *env {
	t.Helper()
	return sqliteEnvAt(t, clocktest.Now(t))
}

// sqliteEnvAt is a server on a SQLite copy of the demo as loaded at now, on
// a clock set to now.
func sqliteEnvAt(t testing.TB, now time.Time) *env {
	t.Helper()
	return newEnvAt(t, demotest.SQLite(t, now), now)
}

// user returns the demo account of username.
func user(t testing.TB, e *env, username string) auth.User {
	t.Helper()
	u, err := e.users.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u
}

func idOf(username string) string {
	for _, a := range demo.Accounts() {
		if a.Username == username {
			return a.User.IDNumber
		}
	}
	panic("no demo account " + username)
}

// walkIn opens and accepts a case at a front desk through the service, with
// every required and waivable material presented.
func (e *env) walkIn(desk, item, name, id string) cases.Case {
	e.t.Helper()
	return e.walkInWithPhone(desk, item, name, id, "")
}

// walkInWithPhone is walkIn with the mobile number the desk recorded.
func (e *env) walkInWithPhone(desk, item, name, id, phone string) cases.Case {
	e.t.Helper()
	ctx := context.Background()
	u := user(e.t, e, desk)
	it, err := e.cat.Published(ctx, item)
	if err != nil {
		e.t.Fatal(err)
	}
	var mats []string
	for _, m := range it.Materials {
		if m.Requirement != catalog.Optional {
			mats = append(mats, m.Type)
		}
	}
	c, err := e.svc.Create(ctx, u, cases.CreateRequest{Item: item, Applicant: &cases.Applicant{Kind: "person", Name: name, IDNumber: id, Phone: phone}, Materials: mats})
	if err != nil {
		e.t.Fatalf("create: %v", err)
	}
	c, err = e.svc.Act(ctx, u, c.ID, cases.Accept, cases.ActRequest{})
	if err != nil {
		e.t.Fatalf("accept: %v", err)
	}
	return c
}

// client is a browser without a browser: it keeps cookies and sends the
// form token of the last page it read.
type client struct {
	t    testing.TB
	e    *env
	http *http.Client
	lang string
	csrf string
}

func (e *env) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, e: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// as returns a client signed in as username.
func (e *env) as(t testing.TB, username string) *client {
	t.Helper()
	c := e.client(t)
	if username == "" {
		return c
	}
	c.get("/login").want(200)
	res := c.post("/login", url.Values{"username": {username}, "password": {demo.Password}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d\n%.600s", username, res.status, res.body)
	}
	return c
}

type page struct {
	t      testing.TB
	req    string
	status int
	header http.Header
	body   string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) *page {
	c.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := &page{t: c.t, req: req.Method + " " + req.URL.RequestURI(), status: res.StatusCode, header: res.Header, body: string(b)}
	if m := csrfField.FindStringSubmatch(p.body); m != nil {
		c.csrf = m[1]
	}
	return p
}

func (c *client) get(path string, headers ...string) *page {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.e.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// post sends a form with the current form token (unless the form has one).
func (c *client) post(path string, form url.Values, headers ...string) *page {
	c.t.Helper()
	if _, set := form["csrf"]; !set && c.csrf != "" {
		form.Set("csrf", c.csrf)
	}
	req, err := http.NewRequest("POST", c.e.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (p *page) want(status int) *page {
	p.t.Helper()
	if p.status != status {
		p.t.Fatalf("%s: status %d, want %d\n%.1500s", p.req, p.status, status, p.body)
	}
	return p
}

func (p *page) has(parts ...string) *page {
	p.t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.body, s) {
			p.t.Errorf("%s: page lacks %q\n%.3000s", p.req, s, p.body)
		}
	}
	return p
}

func (p *page) lacks(parts ...string) *page {
	p.t.Helper()
	for _, s := range parts {
		if strings.Contains(p.body, s) {
			p.t.Errorf("%s: page should not contain %q", p.req, s)
		}
	}
	return p
}

// location is where a redirect points.
func (p *page) location() string { return p.header.Get("Location") }

// multipart sends a form with files (field name → content, sent as file.png
// or file.json by the field's use).
func (c *client) multipart(path string, fields map[string]string, files map[string][]byte) *page {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for field, data := range files {
		name := "file.png"
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			name = "file.json"
		}
		w, err := mw.CreateFormFile(field, name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.e.base+path, &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}
