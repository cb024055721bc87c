package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/onewindow/onewindow/bench"
)

const benchHelp = `onewindow bench [flags]: measure the server under a bounded load, side by side with the raw database.

Without --url it starts its own server (this binary's serve) on a fresh database holding the demo data:
a temporary SQLite file, or a new schema in the PostgreSQL database named by --db (dropped afterwards).
Every scenario runs --runs times, each run bounded by --requests (the intake writers: --intake-requests) and
--duration; the report gives medians.
All load stays on 127.0.0.1.

Scenarios:
  intake     create and accept a case at the front desk through the API (auth, validation, numbering,
             event, audit, outbox), then the same rows written raw on the same engine: app / raw; and by
             one writer committing 8 intakes at a time without savepoints: app / ideal
  read       a case's status by number at a fixed rate (--read-rate), and a reviewer's work queue (sort=due)
  search     catalogue queries in characters (营业执照) and pinyin initials (yyzz), at a fixed rate
             (--search-rate) and saturated (--concurrency workers back to back)
  call-next  many windows (--windows) calling the next ticket: at a fixed rate over all windows
             (--call-rate), and all at once
  mixed      a hall's morning peak at a fixed arrival rate (--mixed-rate) of all of the above
  growth     the reads that could grow with the cases (a point's list, a work queue, a status, the
             figures), one at a time: compare their latency between databases of different sizes
  temporal   with --temporal-url only: create + accept and a case's full life (create, accept, approve,
             prepare the result, issue) against a Temporal server's start + signal and start + 4 signals,
             one after another with the intake's workers and duration: onewindow / Temporal

Examples:
  onewindow bench
  onewindow bench --db 'postgres://postgres@127.0.0.1:5432/onewindow_test?sslmode=disable'
  onewindow bench --cases 1000000 --scenarios read,search --explain
  onewindow bench --db big.db --keep --cases 1000000 --scenarios none
  onewindow bench --db big.db --existing --scenarios read --explain
  onewindow bench --scenarios intake --notify=false   (then with the notifier on: its cost to intake)
  onewindow bench --scenarios temporal --temporal-url http://127.0.0.1:7243
  onewindow bench --json > bench.json`

// benchIntakeRequests is the command's bound on each intake writer's run:
// more than any of them writes in --duration, so that the duration decides.
const benchIntakeRequests = 10_000_000

// cmdBench is `onewindow bench`.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCLI("bench", benchHelp, stdout, stderr)
	d := bench.Defaults
	cfg := bench.Config{}
	fs.StringVar(&cfg.DB, "db", "", "database: empty for a temporary SQLite file; a new SQLite file; or a postgres:// URL (a fresh schema is made in it)")
	fs.StringVar(&cfg.URL, "url", "", "measure the server running at this URL (started with demo data) instead of starting one; --db is then its database")
	scen := fs.String("scenarios", strings.Join(bench.Scenarios, ","), "scenarios to run, comma-separated, or none")
	fs.IntVar(&cfg.Requests, "requests", d.Requests, "at most this many operations per scenario and run")
	fs.DurationVar(&cfg.Duration, "duration", d.Duration, "at most this long per scenario and run")
	fs.IntVar(&cfg.IntakeRequests, "intake-requests", benchIntakeRequests, "at most this many intakes per run of each intake writer (app, raw, ideal); the default lets --duration decide")
	fs.IntVar(&cfg.Concurrency, "concurrency", d.Concurrency, "workers of the closed-loop scenarios (intake, work queue, search)")
	fs.IntVar(&cfg.OpenWorkers, "workers", d.OpenWorkers, "workers available to the fixed-rate scenarios")
	fs.IntVar(&cfg.ReadRate, "read-rate", d.ReadRate, "status reads per second")
	fs.IntVar(&cfg.SearchRate, "search-rate", d.SearchRate, "catalogue queries per second (each query in turn)")
	fs.IntVar(&cfg.CallRate, "call-rate", d.CallRate, "call-next calls per second over all windows")
	fs.IntVar(&cfg.MixedRate, "mixed-rate", d.MixedRate, "arrivals per second in the mixed scenario")
	fs.IntVar(&cfg.Windows, "windows", d.Windows, "windows calling next at once")
	fs.IntVar(&cfg.Cases, "cases", 0, "generate this many cases in bulk first (batched INSERTs, not the API)")
	fs.IntVar(&cfg.HistoryDays, "history-days", 365, "spread the generated cases over this many days before today: more days, the same cases a day (a longer history, as many open cases)")
	fs.IntVar(&cfg.Runs, "runs", d.Runs, "runs of each scenario; the report gives medians")
	fs.IntVar(&cfg.MaxInFlight, "max-in-flight", d.MaxInFlight, "the started server's --max-in-flight")
	pool := dbPoolFlag(fs.FlagSet)
	fs.BoolVar(&cfg.Explain, "explain", false, "show the query plans of the work queue and dashboard queries")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the database the bench made")
	fs.BoolVar(&cfg.Existing, "existing", false, "use --db as it is (it must hold the demo data), e.g. one kept with --keep")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("q", false, "no progress messages")
	fs.BoolVar(&cfg.Notify, "notify", d.Notify, "run the started server's notifier (SMS to a local sink); --notify=false measures without it")
	fs.IntVar(&cfg.SMSBatch, "sms-batch", d.SMSBatch, "with --notify: SMS a request from the started server to the sink (the gateway's batch form); 1: one a request")
	fs.StringVar(&cfg.TemporalURL, "temporal-url", "", "the HTTP API of a Temporal server (e.g. http://127.0.0.1:7243 of temporal server start-dev --http-port 7243) for the temporal scenario")
	fs.StringVar(&cfg.Exe, "exe", "", "the onewindow binary to start (default: this one)")
	// The bench writes a fresh database and loads it: its --db comes from
	// the command line or the [bench] table only, never from ONEWINDOW_DB
	// or a file's top-level db, which name the server's own database.
	if code := parseOwn(fs.FlagSet, args, "db"); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	cfg.DBPool = int(*pool)
	switch *scen {
	case "none":
		cfg.Scenarios = []string{}
	default:
		for _, s := range strings.Split(*scen, ",") {
			s = strings.TrimSpace(s)
			if !slices.Contains(bench.Scenarios, s) {
				fmt.Fprintf(stderr, "bench: unknown scenario %q (known: %s)\n", s, strings.Join(bench.Scenarios, ", "))
				return 2
			}
			cfg.Scenarios = append(cfg.Scenarios, s)
		}
	}
	for _, v := range []struct {
		name string
		n    int
	}{{"requests", cfg.Requests}, {"intake-requests", cfg.IntakeRequests}, {"concurrency", cfg.Concurrency}, {"workers", cfg.OpenWorkers}, {"read-rate", cfg.ReadRate}, {"search-rate", cfg.SearchRate}, {"call-rate", cfg.CallRate},
		{"mixed-rate", cfg.MixedRate}, {"windows", cfg.Windows}, {"runs", cfg.Runs}} {
		if v.n < 1 {
			fmt.Fprintf(stderr, "bench: --%s must be at least 1\n", v.name)
			return 2
		}
	}
	if cfg.TemporalURL != "" {
		if u, err := url.Parse(cfg.TemporalURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fmt.Fprintf(stderr, "bench: --temporal-url must be an http:// or https:// URL with a host, not %q\n", cfg.TemporalURL)
			return 2
		}
	}
	if cfg.Cases < 0 || cfg.Cases > 50_000_000 {
		fmt.Fprintln(stderr, "bench: --cases must be between 0 and 50,000,000")
		return 2
	}
	if cfg.HistoryDays < 30 || cfg.HistoryDays > 36500 {
		fmt.Fprintln(stderr, "bench: --history-days must be between 30 and 36,500")
		return 2
	}
	if cfg.Duration <= 0 || cfg.Duration > 10*time.Minute {
		fmt.Fprintln(stderr, "bench: --duration must be between 0 and 10m")
		return 2
	}
	if cfg.Exe == "" && cfg.URL == "" {
		exe, err := os.Executable()
		if err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		cfg.Exe = exe
	}
	if !*quiet {
		cfg.Log = stderr
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow bench: %v\n", err)
		return 1
	}
	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "onewindow bench: %v\n", err)
		return 1
	}
	return 0
}
