// Package bench is `onewindow bench`: a bounded load generator that drives a
// server over loopback HTTP and, side by side, writes the same rows raw.
package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/store"
)

// Scenarios, in the order they run.
var Scenarios = []string{"intake", "read", "search", "call-next", "mixed", "growth", "temporal"}

// Config is one bench run. Zero fields take the defaults of Defaults.
type Config struct {
	// DB is the database. Without URL the bench creates a fresh one: a
	// temporary SQLite file when DB is empty, a new SQLite file at DB (which
	// must not exist), or a new schema in the PostgreSQL database DB (dropped
	// afterwards unless Keep). With URL, DB is that server's database
	// (optional: it enables the raw comparison, call-next and --cases).
	DB string
	// Existing uses DB as it is, already holding the demo data, instead of
	// making a fresh database (to explain or read a database kept earlier).
	Existing bool
	// URL is a running server to measure instead of one started by the bench.
	URL string
	// Exe is the onewindow binary started as `serve` when URL is empty.
	Exe       string
	Scenarios []string
	Requests  int // at most this many operations per scenario and run
	// IntakeRequests bounds each run of the intake scenario's three
	// writers instead of Requests (0: Requests). The command sets it so
	// high that Duration decides (ten seconds a run by default), where
	// 2,000 intakes last two or three seconds: too short for a ratio.
	IntakeRequests int
	Duration       time.Duration // and at most this long
	Concurrency    int           // workers of the closed-loop scenarios
	OpenWorkers    int           // workers available to the fixed-rate scenarios
	ReadRate       int           // arrivals per second of the status reads
	SearchRate     int           // arrivals per second of each catalogue query
	CallRate       int           // calls per second over all windows
	MixedRate      int           // arrivals per second of the mixed scenario
	Windows        int           // windows calling next at once
	Cases          int           // cases generated in bulk before the scenarios
	HistoryDays    int           // the days those cases are spread over (0: a year)
	Runs           int           // each scenario runs this often; the report gives medians
	Explain        bool          // print the query plans of the work queue and dashboard queries
	MaxInFlight    int           // the server's --max-in-flight
	// DBPool is the started server's --db-pool, and the pool of the
	// bench's own connections (0: the store's default).
	DBPool int
	// Notify runs the started server's notifier, delivering SMS to a local
	// sink; false turns it off, for the side-by-side measurement.
	Notify bool
	// SMSBatch is how many SMS the started server posts to the sink in one
	// request (the gateway interface's batch form); 1: the single form.
	SMSBatch int
	// TemporalURL is the HTTP API of a Temporal server for the temporal
	// scenario (skipped without it).
	TemporalURL string
	Keep        bool      // keep the temporary database
	Log         io.Writer // progress; nil for none
}

// Defaults are the settings of a plain `onewindow bench`.
var Defaults = Config{Requests: 2000, Duration: 10 * time.Second, Concurrency: 16, OpenWorkers: 64, ReadRate: 2000,
	SearchRate: 200, CallRate: 50, MixedRate: 200, Windows: 50, Runs: 3, MaxInFlight: 256, Notify: true, SMSBatch: 100}

func (c *Config) fill() {
	d := Defaults
	if c.Scenarios == nil {
		c.Scenarios = Scenarios
	}
	for _, p := range []struct{ v, def *int }{{&c.Requests, &d.Requests}, {&c.Concurrency, &d.Concurrency}, {&c.OpenWorkers, &d.OpenWorkers},
		{&c.ReadRate, &d.ReadRate}, {&c.SearchRate, &d.SearchRate}, {&c.CallRate, &d.CallRate}, {&c.MixedRate, &d.MixedRate}, {&c.Windows, &d.Windows}, {&c.Runs, &d.Runs}, {&c.MaxInFlight, &d.MaxInFlight}, {&c.SMSBatch, &d.SMSBatch}} {
		if *p.v <= 0 {
			*p.v = *p.def
		}
	}
	if c.Duration <= 0 {
		c.Duration = d.Duration
	}
	if c.IntakeRequests <= 0 {
		c.IntakeRequests = c.Requests
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
}

// env is the stage of one bench: the database, the server, signed-in users.
type env struct {
	cfg    Config
	db     *store.DB
	dsn    string
	server *Process
	client *Client
	raw    *RawWriter

	deskToken, reviewerToken string
	issuerToken              string // signed in by the temporal scenario
	temporal                 *TemporalClient
	adminToken               string // signed in when a scenario needs it
	item                     catalog.Item
	materials                []string

	mu           sync.Mutex
	numbers      []string
	windows      []WindowStaff
	windowTokens []string
	freeWindows  chan int
	notes        []string
	sink         *smsSink
	// serverEpoch is the time the started server's clock began at (--now),
	// serverWall the real time then.
	serverEpoch, serverWall time.Time

	cleanups []func()
}

func (e *env) note(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !slices.Contains(e.notes, s) {
		e.notes = append(e.notes, s)
	}
}

func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(e.cfg.Log, "bench: "+format+"\n", args...)
}

func (e *env) close() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
}

// Run sets the stage, runs the scenarios and returns the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg.fill()
	for _, s := range cfg.Scenarios {
		if !slices.Contains(Scenarios, s) {
			return nil, fmt.Errorf("bench: unknown scenario %q (known: %s)", s, strings.Join(Scenarios, ", "))
		}
	}
	e := &env{cfg: cfg}
	defer e.close()
	rep := &Report{Machine: machineInfo(), Settings: settingsOf(cfg)}
	if err := e.setup(ctx, rep); err != nil {
		return nil, err
	}
	rep.Engine, rep.EngineVersion, rep.Durability = engineInfo(ctx, e.db, e.dsn)
	if e.db != nil {
		if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&rep.Cases); err != nil {
			return nil, err
		}
	}
	if e.server != nil {
		rep.Server = fmt.Sprintf("onewindow serve, pid %d, %s", e.server.Pid(), e.server.URL)
	} else if cfg.URL != "" {
		rep.Server = cfg.URL
	} else {
		rep.Server = "none (no scenario to run)"
	}

	runners := map[string]func(context.Context, *env) ([]resultSample, error){
		"intake": intakeScenario, "read": readScenario, "search": searchScenario, "call-next": callNextScenario, "mixed": mixedScenario,
		"growth": growthScenario, "temporal": temporalScenario,
	}
	byName := map[string][]resultSample{}
	peakAfter := map[string]float64{}
	var order []string
	for _, name := range Scenarios {
		if !slices.Contains(cfg.Scenarios, name) {
			continue
		}
		for run := 1; run <= cfg.Runs; run++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			e.logf("%s, run %d of %d", name, run, cfg.Runs)
			rows, err := runners[name](ctx, e)
			if err != nil {
				e.note(fmt.Sprintf("%s: left out: %v", name, err))
				e.logf("%s: left out: %v", name, err)
				break
			}
			for _, r := range rows {
				if _, ok := byName[r.name]; !ok {
					order = append(order, r.name)
				}
				byName[r.name] = append(byName[r.name], r)
			}
		}
		// The server's peak so far: what it needed up to and through this scenario.
		if e.server != nil {
			if m, ok := MemoryOf(e.server.Pid()); ok {
				rep.ServerMemory = &m
				for _, n := range order {
					if _, ok := peakAfter[n]; !ok {
						peakAfter[n] = m.PeakMB
					}
				}
			}
		}
	}
	for _, n := range order {
		rep.Results = append(rep.Results, combine(n, byName[n], peakAfter[n]))
	}
	if cfg.Explain {
		if e.db == nil {
			e.note("query plans: need the database (--db)")
		} else {
			plans, err := Explain(ctx, e.db)
			if err != nil {
				e.note("query plans: " + err.Error())
			}
			rep.Plans = plans
		}
	}
	rep.LoadAfter = loadAverage()
	rep.evaluate(cfg) // after the load average, which a missed target's reason quotes
	rep.Notes = append(rep.Notes, e.notes...)
	return rep, nil
}

// combine takes the medians of several runs of one row.
func combine(name string, runs []resultSample, peakMB float64) Result {
	r := Result{Name: name, Runs: len(runs), ServerPeakRSSMB: peakMB}
	if len(runs) == 0 {
		return r
	}
	r.Mode, r.Concurrency, r.Rate = runs[0].mode, runs[0].concurrency, runs[0].rate
	var thr, p50, p90, p99 []float64
	for _, rs := range runs {
		st := StatsOf(rs.sample, rs.kind)
		r.Ops += st.Ops
		r.Errors += st.Errors
		r.Rejected += st.Rejected
		r.Seconds += st.Seconds
		r.Max = max(r.Max, st.Max)
		if r.FirstError == "" {
			r.FirstError = st.FirstError
		}
		thr, p50, p90, p99 = append(thr, st.Throughput), append(p50, st.P50), append(p90, st.P90), append(p99, st.P99)
		r.PerRun = append(r.PerRun, RunFigures{Throughput: st.Throughput, P50: st.P50, P99: st.P99})
	}
	r.Throughput, r.P50, r.P90, r.P99 = median(thr), median(p50), median(p90), median(p99)
	return r
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// setup makes the database and the server, and signs the bench's users in.
func (e *env) setup(ctx context.Context, rep *Report) error {
	cfg := e.cfg
	rep.LoadBefore = loadAverage()
	if cfg.URL == "" && !cfg.Existing {
		if err := e.freshDatabase(ctx); err != nil {
			return err
		}
	} else if cfg.DB != "" {
		db, err := store.OpenWith(ctx, cfg.DB, store.Options{Pool: cfg.DBPool})
		if err != nil {
			return err
		}
		e.cleanups = append(e.cleanups, func() { db.Close() })
		e.db, e.dsn = db, cfg.DB
	}
	if e.db != nil && cfg.Cases > 0 {
		e.logf("generating %d cases", cfg.Cases)
		g, err := GenerateCasesOver(ctx, e.db, cfg.Cases, cfg.HistoryDays, time.Now(), 1)
		if err != nil {
			return err
		}
		rep.Generated = &g
		e.logf("generated %d cases and %d events in %.1fs", g.Cases, g.Events, g.Seconds)
	} else if cfg.Cases > 0 {
		return errors.New("bench: --cases needs the database (--db)")
	}
	if len(cfg.Scenarios) == 0 {
		return nil // generating or explaining only: no server needed
	}
	base := cfg.URL
	if base == "" {
		if cfg.Exe == "" {
			return errors.New("bench: no onewindow binary to start the server with")
		}
		data := filepath.Join(os.TempDir(), "onewindow-bench-data-"+randomSuffix())
		e.cleanups = append(e.cleanups, func() { os.RemoveAll(data) })
		notifier, err := e.notifierFlags()
		if err != nil {
			return err
		}
		flags := []string{"--scan-interval", "0", "--max-in-flight", fmt.Sprint(cfg.MaxInFlight)}
		if cfg.DBPool > 0 {
			flags = append(flags, "--db-pool", fmt.Sprint(cfg.DBPool))
		}
		p, err := StartServer(ctx, cfg.Exe, e.dsn, data, append(flags, notifier...)...)
		if err != nil {
			return err
		}
		e.cleanups = append(e.cleanups, func() { p.Stop(10 * time.Second) })
		e.server = p
		base = p.URL
		e.logf("server pid %d on %s", p.Pid(), p.URL)
	}
	e.client = NewClient(base, cfg.OpenWorkers+cfg.Windows+cfg.Concurrency)
	e.cleanups = append(e.cleanups, e.client.Close)
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := e.client.WaitReady(wctx); err != nil {
		return err
	}
	var err error
	if e.deskToken, err = e.client.Login(ctx, benchDesk, demo.Password); err != nil {
		return fmt.Errorf("bench: sign in as %s (the server needs the demo data): %w", benchDesk, err)
	}
	if e.reviewerToken, err = e.client.Login(ctx, benchReviewer, demo.Password); err != nil {
		return fmt.Errorf("bench: sign in as %s: %w", benchReviewer, err)
	}
	if err := e.client.Do(ctx, "GET", "/api/v1/items/"+url.PathEscape(benchItem), "", nil, 200, &e.item); err != nil {
		return fmt.Errorf("bench: the intake item: %w", err)
	}
	for _, m := range e.item.Materials {
		if m.Requirement == catalog.Required {
			e.materials = append(e.materials, m.Type)
		}
	}
	if e.db != nil {
		var staff int64
		if err := e.db.QueryRowContext(ctx, `SELECT id FROM users WHERE username = ?`, benchDesk).Scan(&staff); err != nil {
			return fmt.Errorf("bench: %s: %w", benchDesk, err)
		}
		e.raw = &RawWriter{DB: e.db, Point: "BENCHRAW", Item: e.item, Materials: e.materials, Staff: staff}
	}
	return nil
}

// freshDatabase creates the bench's own database with the demo data.
func (e *env) freshDatabase(ctx context.Context) error {
	dsn := e.cfg.DB
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "onewindow-bench-*")
		if err != nil {
			return err
		}
		if !e.cfg.Keep {
			e.cleanups = append(e.cleanups, func() { os.RemoveAll(dir) })
		}
		dsn = filepath.Join(dir, "bench.db")
	case store.IsPostgresDSN(dsn):
		schemaDSN, drop, err := newSchema(ctx, dsn)
		if err != nil {
			return err
		}
		if !e.cfg.Keep {
			e.cleanups = append(e.cleanups, drop)
		}
		dsn = schemaDSN
	default:
		if _, err := os.Stat(strings.TrimPrefix(dsn, "sqlite:")); err == nil {
			return fmt.Errorf("bench: %s exists: the bench writes a fresh database; name a new file", dsn)
		}
	}
	db, err := store.OpenWith(ctx, dsn, store.Options{Pool: e.cfg.DBPool})
	if err != nil {
		return err
	}
	e.cleanups = append(e.cleanups, func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if _, err := demo.Load(ctx, db, time.Now()); err != nil { // wall clock: the bench measures today's system
		return err
	}
	e.db, e.dsn = db, dsn
	if e.cfg.Keep {
		e.logf("database kept at %s", dsn)
	}
	return nil
}

// newSchema creates an empty schema in the PostgreSQL database at dsn and
// returns a DSN that uses it, and a function that drops it.
func newSchema(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	schema := "bench_" + randomSuffix()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("bench: create schema: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() {
		if c, err := sql.Open("pgx", dsn); err == nil {
			c.Exec("DROP SCHEMA " + schema + " CASCADE")
			c.Close()
		}
	}
	return u.String(), drop, nil
}

func randomSuffix() string {
	b := make([]byte, 5)
	rand.Read(b)
	return hex.EncodeToString(b)
}
