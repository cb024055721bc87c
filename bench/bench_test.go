package bench_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/bench"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

func withDemo(t *testing.T, db *store.DB) {
	t.Helper()
	// The bench measures the system as it runs today: its scenarios and the
	// demo they stand on keep the wall clock.
	if _, err := demo.Load(context.Background(), db, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// Generated cases number like the service's (gapless per point and day,
// the counters advanced to match), so a case made afterwards continues the
// sequence; and the plans of the queue and dashboard queries come back.
func TestGenerateCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		withDemo(t, db)
		const n = 1500
		g, err := bench.GenerateCases(ctx, db, n, time.Now(), 3)
		if err != nil {
			t.Fatal(err)
		}
		if g.Cases != n || count(t, db, `SELECT COUNT(*) FROM cases`) != n {
			t.Fatalf("generated %+v, %d in the table, want %d", g, count(t, db, `SELECT COUNT(*) FROM cases`), n)
		}
		if got := count(t, db, `SELECT COUNT(*) FROM case_events`); got != g.Events || got < n {
			t.Fatalf("%d events in the table, %d reported, at least %d due", got, g.Events, n)
		}
		// The kept counts hold every case, whether the triggers kept them
		// or the load counted them at its end (PostgreSQL, bulkpg.go).
		for _, kept := range []struct{ kept, cases string }{
			{`SELECT CAST(SUM(cases) AS BIGINT) FROM case_state_counts`, `SELECT COUNT(*) FROM cases`},
			{`SELECT CAST(SUM(cases) AS BIGINT) FROM case_state_counts_departments WHERE state = 'closed'`, `SELECT COUNT(*) FROM cases WHERE state = 'closed'`},
			{`SELECT CAST(SUM(accepted) AS BIGINT) FROM case_month_points`, `SELECT COUNT(*) FROM cases WHERE ` + store.Already(db.Dialect(), "accepted_at")},
			{`SELECT CAST(SUM(decided) AS BIGINT) FROM case_month_departments`, `SELECT COUNT(*) FROM cases WHERE ` + store.Already(db.Dialect(), "decided_at")},
			{`SELECT CAST(SUM(accepted) AS BIGINT) FROM case_month_figures`, `SELECT COUNT(*) FROM cases WHERE ` + store.Already(db.Dialect(), "accepted_at")},
			{`SELECT CAST(SUM(cases) AS BIGINT) FROM item_use`, `SELECT COUNT(*) FROM cases`},
			{`SELECT CAST(SUM(cases) AS BIGINT) FROM case_sla_points`, `SELECT COUNT(*) FROM cases WHERE state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> ''`},
			{`SELECT CAST(SUM(cases) AS BIGINT) FROM case_sla_departments`, `SELECT COUNT(*) FROM cases WHERE state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> ''`},
		} {
			if got, want := count(t, db, kept.kept), count(t, db, kept.cases); got != want {
				t.Errorf("%s: %d, want %d", kept.kept, got, want)
			}
		}
		if count(t, db, `SELECT COUNT(*) FROM cases WHERE state IN ('accepted', 'in_review') AND promised_due <> ''`) == 0 {
			t.Fatal("no open case with a due date: the work queue would be empty")
		}
		if count(t, db, `SELECT COUNT(*) FROM cases WHERE state = 'closed'`) == 0 {
			t.Fatal("no closed case in a year of work")
		}
		checkGapless(t, db)

		// A case made afterwards takes the next number of its day.
		cal, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		svc := cases.NewService(db, catalog.NewStore(db), network.NewStore(db), cal, clock.Wall())
		desk := auth.User{ID: 1, Username: "desk", Name: "desk", Role: auth.RoleFrontDesk, PointCode: demo.CountyHall}
		c, err := svc.Create(ctx, desk, cases.CreateRequest{Item: demo.CodeMedicalOutOfArea,
			Applicant: &cases.Applicant{Kind: "person", Name: "周明", IDNumber: ident.GenerateIDCard("220523", time.Date(1975, 8, 2, 0, 0, 0, 0, time.UTC), 17)}})
		if err != nil {
			t.Fatal(err)
		}
		prefix := c.Number[:strings.LastIndexByte(c.Number, '-')]
		if want := count(t, db, `SELECT COUNT(*) FROM cases WHERE number LIKE ?`, prefix+"-%"); !strings.HasSuffix(c.Number, "-"+pad5(want)) {
			t.Fatalf("new case %s, want sequence %d of its day", c.Number, want)
		}
		checkGapless(t, db)

		plans, err := bench.Explain(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) < 10 {
			t.Fatalf("%d plans", len(plans))
		}
		for _, p := range plans {
			if len(p.Plan) == 0 || p.SQL == "" {
				t.Errorf("%s: no plan", p.Name)
			}
		}
	})
}

func pad5(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 5 {
		s = "0" + s
	}
	return s
}

func checkGapless(t *testing.T, db *store.DB) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT number FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seqs := map[string][]int{}
	for rows.Next() {
		var num string
		rows.Scan(&num)
		i := strings.LastIndexByte(num, '-')
		n, _ := strconv.Atoi(num[i+1:])
		seqs[num[:i]] = append(seqs[num[:i]], n)
	}
	for prefix, s := range seqs {
		sort.Ints(s)
		for i, n := range s {
			if n != i+1 {
				t.Fatalf("%s: sequence %v has a gap or a repeat", prefix, s)
			}
		}
		j := strings.LastIndexByte(prefix, '-')
		if last := count(t, db, `SELECT last FROM case_counters WHERE point_code = ? AND day = ?`, prefix[:j], prefix[j+1:]); last != len(s) {
			t.Fatalf("%s: counter %d, %d numbers", prefix, last, len(s))
		}
	}
}

// The raw writer writes exactly what an intake through the API writes, and
// keeps the audit chain verifiable.
func TestRawWriterWritesAnIntake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		withDemo(t, db)
		it, err := catalog.NewStore(db).Published(ctx, demo.CodeMedicalOutOfArea)
		if err != nil {
			t.Fatal(err)
		}
		w := &bench.RawWriter{DB: db, Point: "RAWTEST", Item: it, Materials: []string{"id_card", "application_form"}, Staff: 1}
		for range 3 {
			if err := w.Intake(ctx); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name  string
			query string
			want  int
		}{
			{"cases, all accepted", `SELECT COUNT(*) FROM cases WHERE point_code = 'RAWTEST' AND state = 'accepted' AND version = 2`, 3},
			{"two events each", `SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.point_code = 'RAWTEST'`, 6},
			{"two audit records each", `SELECT COUNT(*) FROM audit_log WHERE object LIKE 'case:RAWTEST-%'`, 6},
			{"two notifications each", `SELECT COUNT(*) FROM outbox WHERE payload LIKE '%RAWTEST-%'`, 6},
			{"the materials", `SELECT COUNT(*) FROM case_materials m JOIN cases c ON c.id = m.case_id WHERE c.point_code = 'RAWTEST'`, 6},
			{"the counter", `SELECT last FROM case_counters WHERE point_code = 'RAWTEST'`, 3},
		}
		for _, tc := range tests {
			if got := count(t, db, tc.query); got != tc.want {
				t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
			}
		}
		if _, err := audit.Verify(ctx, db); err != nil {
			t.Fatalf("audit chain after raw writes: %v", err)
		}
	})
}

func TestSeedTicketsAndWindows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		withDemo(t, db)
		ws, err := bench.AddWindows(ctx, db, demo.CountyHall, 3, "seedtest", "seed-test-2026", []string{"A"})
		if err != nil {
			t.Fatal(err)
		}
		if again, err := bench.AddWindows(ctx, db, demo.CountyHall, 3, "seedtest", "seed-test-2026", []string{"A"}); err != nil || len(again) != len(ws) {
			t.Fatalf("setting the windows up again: %v", err)
		}
		if got := count(t, db, `SELECT COUNT(*) FROM hall_windows WHERE point_code = ? AND code LIKE 'BW%'`, demo.CountyHall); got != 3 {
			t.Fatalf("%d windows", got)
		}
		now := time.Now()
		if err := bench.SeedTickets(ctx, db, demo.CountyHall, "A", 1203, now); err != nil {
			t.Fatal(err)
		}
		if err := bench.SeedTickets(ctx, db, demo.CountyHall, "A", 7, now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		day := hall.DayOf(now)
		if got := count(t, db, `SELECT COUNT(DISTINCT number) FROM hall_tickets WHERE point_code = ? AND day = ? AND status = 'waiting'`, demo.CountyHall, day); got != 1210 {
			t.Fatalf("%d distinct waiting tickets, want 1210", got)
		}
		if got := count(t, db, `SELECT last FROM hall_counters WHERE point_code = ? AND category = 'A' AND day = ?`, demo.CountyHall, day); got != 1210 {
			t.Fatalf("counter at %d, want 1210", got)
		}

		// The hall calls them in the order they were seeded.
		cal, _ := workday.NewOfficial()
		halls := hall.NewService(db, cal, network.NewStore(db), catalog.NewStore(db), nil, clock.Wall())
		users := auth.NewStore(db)
		u, err := users.UserByUsername(ctx, ws[0].Username)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := halls.SignIn(ctx, u, demo.CountyHall, ws[0].Window); err != nil {
			t.Fatal(err)
		}
		tk, err := halls.CallNext(ctx, u, demo.CountyHall, ws[0].Window)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Number != hall.TicketNumber("A", 1) {
			t.Fatalf("first call got %s, want %s", tk.Number, hall.TicketNumber("A", 1))
		}
	})
}

// The whole bench against a server in this process, on SQLite: every
// scenario runs, nothing fails, and the report has its rows and targets.
// startServer starts the API on a fresh SQLite database holding the demo
// data and returns its URL, the database's DSN and the database.
func startServer(t *testing.T) (string, string, *store.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "bench.db")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	withDemo(t, db)
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	cat, points := catalog.NewStore(db), network.NewStore(db)
	svc := cases.NewService(db, cat, points, cal, clock.Wall())
	srv := api.New(&api.Server{Clock: clock.Wall(), DB: db, Auth: auth.NewStore(db), Catalog: cat, Points: points, Cases: svc, Calendar: cal,
		Workdays: workday.NewStore(db), UploadDir: t.TempDir()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.Hall = hall.NewService(db, cal, points, cat, svc, clock.Wall())
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return srv.URL(), dsn, db
}

func TestRunAgainstAServer(t *testing.T) {
	ctx := context.Background()
	url, dsn, _ := startServer(t)
	rep, err := bench.Run(ctx, bench.Config{URL: url, DB: dsn, Cases: 300, Requests: 40, Duration: 20 * time.Second, Runs: 1,
		Concurrency: 4, OpenWorkers: 8, Windows: 5, ReadRate: 400, SearchRate: 200, CallRate: 100, MixedRate: 200, Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"intake (app)", "intake (raw)", "intake (ideal)", "status by number", "work queue (due)", "search 营业执照", "search yyzz (saturated)",
		"call-next (5 windows)", "call-next (5 windows, all at once)", "mixed: status", "mixed: call-next",
		"front desk's list (point, newest first, with its total)", "figures: the province, last 12 months", "figures: the county hall, last 12 months",
		"the point's overdue cases (hall page, earliest due first, with their total)", "the point's cases in warning (hall page, earliest due first, with their total)"}
	for _, name := range want {
		found := false
		for _, r := range rep.Results {
			if r.Name == name {
				found = true
				if r.Errors > 0 || r.Ops == 0 {
					t.Errorf("%s: %d operations, %d errors: %s", name, r.Ops, r.Errors, r.FirstError)
				}
			}
		}
		if !found {
			t.Errorf("no row %q in the report", name)
		}
	}
	if len(rep.Ratios) != 2 || rep.Ratios[0].Name != "intake" || rep.Ratios[1].Name != "ideal" ||
		rep.Ratios[0].Ratio <= 0 || rep.Ratios[1].Ratio <= 0 {
		t.Errorf("ratios %+v", rep.Ratios)
	}
	if rep.Engine != "sqlite" || !strings.Contains(rep.Durability, "synchronous=NORMAL, the log synced before a commit is answered") {
		t.Errorf("engine %q, durability %q", rep.Engine, rep.Durability)
	}
	if len(rep.Plans) == 0 || rep.Generated == nil || rep.Generated.Cases != 300 {
		t.Errorf("plans %d, generated %+v", len(rep.Plans), rep.Generated)
	}
	var out bytes.Buffer
	if err := rep.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "intake app / raw") || !strings.Contains(out.String(), "intake app / ideal") {
		t.Errorf("table without the ratio:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "temporal: skipped: no --temporal-url") {
		t.Errorf("the temporal scenario does not say it was skipped:\n%s", out.String())
	}
}

// The temporal scenario against a real server and a stand-in for Temporal's
// HTTP API: every row has operations and no errors, onewindow's full life
// goes through the API to the issue, and the stand-in saw a start and four
// signals per full life.
func TestRunTemporalScenario(t *testing.T) {
	ctx := context.Background()
	url, dsn, db := startServer(t)
	var mu sync.Mutex
	seen := map[string]int{}
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, name, isSignal := strings.Cut(r.URL.Path, "/signal/")
		if !isSignal {
			name = "start"
		}
		mu.Lock()
		seen[name]++
		mu.Unlock()
		if isSignal {
			w.Write([]byte(`{}`))
			return
		}
		w.Write([]byte(`{"runId":"r1","started":true}`))
	}))
	defer fake.Close()
	rep, err := bench.Run(ctx, bench.Config{URL: url, DB: dsn, Scenarios: []string{"temporal"}, TemporalURL: fake.URL,
		Requests: 20, Duration: 20 * time.Second, Runs: 1, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"onewindow: create + accept", "Temporal: start + signal", "onewindow: full life (5 requests)", "Temporal: start + 4 signals"} {
		found := false
		for _, r := range rep.Results {
			if r.Name == name {
				found = true
				if r.Errors > 0 || r.Ops == 0 {
					t.Errorf("%s: %d operations, %d errors: %s", name, r.Ops, r.Errors, r.FirstError)
				}
			}
		}
		if !found {
			t.Errorf("no row %q in the report (notes %v)", name, rep.Notes)
		}
	}
	if len(rep.Ratios) != 2 || rep.Ratios[0].Ratio <= 0 || rep.Ratios[1].Ratio <= 0 {
		t.Errorf("ratios %+v", rep.Ratios)
	}
	// 1 start + accept to try the server, 20 intakes' worth, 20 full lives.
	if seen["start"] != 41 || seen["accept"] != 41 || seen["approve"] != 20 || seen["prepare_result"] != 20 || seen["issue"] != 20 {
		t.Errorf("Temporal saw %v", seen)
	}
	issued := count(t, db, `SELECT COUNT(*) FROM cases WHERE state = 'issued'`)
	if issued < 20 {
		t.Errorf("%d cases issued, want the 20 full lives", issued)
	}
}

// Cases spread over ten years: the history reaches back past a year, and a
// day holds a tenth of the cases a year's spread gives it.
func TestGenerateCasesOverYears(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	withDemo(t, db)
	now := time.Now()
	if _, err := bench.GenerateCasesOver(ctx, db, 3000, 3650, now, 5); err != nil {
		t.Fatal(err)
	}
	older := count(t, db, `SELECT COUNT(*) FROM cases WHERE created_at < ?`, store.FormatTime(now.AddDate(-1, 0, -1)))
	if older < 2400 || older > 2900 {
		t.Errorf("%d of 3,000 cases older than a year, want about nine in ten", older)
	}
}
