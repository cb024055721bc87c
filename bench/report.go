package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/store"
)

// Report is what a bench run found.
type Report struct {
	Machine       Machine    `json:"machine"`
	Engine        string     `json:"engine"`
	EngineVersion string     `json:"engine_version"`
	Durability    string     `json:"durability"`
	Server        string     `json:"server"`
	Settings      Settings   `json:"settings"`
	LoadBefore    string     `json:"load_average_before"`
	LoadAfter     string     `json:"load_average_after"`
	Generated     *Generated `json:"generated,omitempty"`
	Cases         int        `json:"cases_in_database"` // when the scenarios began
	Results       []Result   `json:"results"`
	Ratios        []Ratio    `json:"ratios,omitempty"`
	Targets       []Target   `json:"targets,omitempty"`
	ServerMemory  *Memory    `json:"server_memory,omitempty"`
	Plans         []Plan     `json:"plans,omitempty"`
	Notes         []string   `json:"notes,omitempty"`
}

// Machine describes where the figures were taken.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model"`
	MemoryMB  int    `json:"memory_mb"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
}

// Settings are the bounds and rates of the run.
type Settings struct {
	Requests    int     `json:"requests_per_run"`
	Seconds     float64 `json:"seconds_per_run"`
	Runs        int     `json:"runs"`
	Concurrency int     `json:"concurrency"`
	ReadRate    int     `json:"status_read_rate"`
	SearchRate  int     `json:"search_rate"`
	CallRate    int     `json:"call_next_rate"`
	MixedRate   int     `json:"mixed_rate"`
	Windows     int     `json:"windows"`
	Cases       int     `json:"bulk_cases"`
	DBPool      int     `json:"db_pool,omitempty"` // the server's --db-pool; 0: its default
}

// Result is one row: the medians over the runs of one kind of operation.
type Result struct {
	Name            string  `json:"name"`
	Mode            string  `json:"mode"` // closed: workers back to back; open: arrivals at a fixed rate
	Concurrency     int     `json:"concurrency"`
	Rate            float64 `json:"rate,omitempty"`
	Runs            int     `json:"runs"`
	Ops             int     `json:"ops"`
	Errors          int     `json:"errors"`
	Rejected        int     `json:"rejected_503"`
	Seconds         float64 `json:"seconds"`
	Throughput      float64 `json:"ops_per_second"`
	P50             float64 `json:"p50_ms"`
	P90             float64 `json:"p90_ms"`
	P99             float64 `json:"p99_ms"`
	Max             float64 `json:"max_ms"`
	ServerPeakRSSMB float64 `json:"server_peak_rss_mb,omitempty"`
	FirstError      string  `json:"first_error,omitempty"`
	// PerRun are the figures of each run, to show how far they spread.
	PerRun []RunFigures `json:"per_run"`
}

// RunFigures are one run's figures of a row.
type RunFigures struct {
	Throughput float64 `json:"ops_per_second"`
	P50        float64 `json:"p50_ms"`
	P99        float64 `json:"p99_ms"`
}

// Ratio compares the app with the raw writes on the same engine.
type Ratio struct {
	Name  string  `json:"name"`
	App   float64 `json:"app_ops_per_second"`
	Raw   float64 `json:"raw_ops_per_second"`
	Ratio float64 `json:"ratio"`
}

// Target is one of the performance goals, and whether this run met it.
// A target the run could not judge (memory at a million cases on a smaller
// database) is not measured rather than missed. Why says, for a target
// missed or not measured, what the run shows of the reason.
type Target struct {
	Goal        string `json:"goal"`
	Got         string `json:"got"`
	Met         bool   `json:"met"`
	NotMeasured bool   `json:"not_measured,omitempty"`
	Why         string `json:"why,omitempty"`
}

// MemoryTargetMB is the peak resident memory allowed to a server holding a
// million cases on SQLite (issue 21, target 5).
const MemoryTargetMB = 150

func settingsOf(c Config) Settings {
	return Settings{Requests: c.Requests, Seconds: c.Duration.Seconds(), Runs: c.Runs, Concurrency: c.Concurrency,
		ReadRate: c.ReadRate, SearchRate: c.SearchRate, CallRate: c.CallRate, MixedRate: c.MixedRate, Windows: c.Windows, Cases: c.Cases, DBPool: c.DBPool}
}

func (r *Report) result(name string) (Result, bool) {
	for _, x := range r.Results {
		if x.Name == name {
			return x, true
		}
	}
	return Result{}, false
}

// evaluate fills the ratios and checks the targets; each target missed
// says why, from what the run itself shows.
func (r *Report) evaluate(cfg Config) {
	app, okApp := r.result("intake (app)")
	raw, okRaw := r.result("intake (raw)")
	if okApp && okRaw && raw.Throughput > 0 {
		ratio := Ratio{Name: "intake", App: app.Throughput, Raw: raw.Throughput, Ratio: app.Throughput / raw.Throughput}
		r.Ratios = append(r.Ratios, ratio)
		r.add(Target{Goal: "intake app/raw ≥ 0.5 (durable commits)", Got: withRuns(fmt.Sprintf("%.2f", ratio.Ratio), app.PerRun, raw.PerRun, "%.2f"),
			Met: ratio.Ratio >= 0.5, Why: r.intakeWhy()}, app.Errors)
	}
	if ideal, ok := r.result("intake (ideal)"); okApp && ok && ideal.Throughput > 0 {
		ratio := Ratio{Name: "ideal", App: app.Throughput, Raw: ideal.Throughput, Ratio: app.Throughput / ideal.Throughput}
		r.Ratios = append(r.Ratios, ratio)
		r.add(Target{Goal: "intake app/ideal ≥ 0.6 (the same rows, 8 intakes a commit, one writer)",
			Got: withRuns(fmt.Sprintf("%.2f", ratio.Ratio), app.PerRun, ideal.PerRun, "%.2f"), Met: ratio.Ratio >= 0.6, Why: r.intakeWhy()}, app.Errors)
	}
	r.evaluateTemporal()
	if st, ok := r.result("status by number"); ok {
		reached := st.Throughput >= 0.95*float64(cfg.ReadRate)
		got := fmt.Sprintf("p99 %.2f ms at %.0f req/s", st.P99, st.Throughput)
		t := Target{Goal: fmt.Sprintf("status read p99 < 5 ms at %d req/s", cfg.ReadRate), Got: got,
			Met: st.P99 < 5 && reached && st.Errors == 0 && cfg.ReadRate >= 2000}
		switch {
		case cfg.ReadRate < 2000:
			t.Why = fmt.Sprintf("the target is for 2000 req/s; this run asked for %d (--read-rate)", cfg.ReadRate)
		case !reached:
			t.Why = fmt.Sprintf("the server kept up with only %.0f of the %d req/s asked; %s", st.Throughput, cfg.ReadRate, r.machineLoad())
		default:
			t.Why = r.latencyWhy(st)
		}
		r.add(t, st.Errors)
	}
	for _, x := range r.Results {
		if x.Mode != "open" {
			continue // latency targets are for a given load, not for saturation
		}
		if strings.HasPrefix(x.Name, "call-next") {
			t := Target{Goal: fmt.Sprintf("call-next p99 < 10 ms with 50 windows (%d calls/s in all)", cfg.CallRate),
				Got: fmt.Sprintf("p99 %.2f ms with %d windows", x.P99, x.Concurrency),
				Met: x.P99 < 10 && x.Errors == 0 && x.Concurrency >= 50 && x.Throughput >= 0.95*x.Rate}
			switch {
			case x.Concurrency < 50:
				t.Why = fmt.Sprintf("the target is for 50 windows; this run had %d (--windows)", x.Concurrency)
			case x.Throughput < 0.95*x.Rate:
				t.Why = fmt.Sprintf("the server kept up with only %.1f of the %.0f calls/s asked; %s", x.Throughput, x.Rate, r.machineLoad())
			default:
				t.Why = r.latencyWhy(x)
			}
			r.add(t, x.Errors)
		}
		if strings.HasPrefix(x.Name, "search ") {
			t := Target{Goal: fmt.Sprintf("catalogue search p99 < 2 ms (%s, %d/s)", strings.TrimPrefix(x.Name, "search "), cfg.SearchRate),
				Got: fmt.Sprintf("p99 %.2f ms", x.P99), Met: x.P99 < 2 && x.Errors == 0 && x.Throughput >= 0.95*x.Rate}
			t.Why = r.latencyWhy(x)
			r.add(t, x.Errors)
		}
	}
	if r.ServerMemory != nil {
		t := Target{Goal: fmt.Sprintf("server peak RSS ≤ %d MB holding 1 M cases", MemoryTargetMB),
			Got: fmt.Sprintf("peak %.0f MB holding %d cases", r.ServerMemory.PeakMB, r.Cases)}
		peak := ""
		if x, ok := r.peakRow(); ok {
			peak = fmt.Sprintf(" (the peak was reached by %q)", x.Name)
		}
		switch {
		case r.Cases < 1_000_000:
			t.NotMeasured = true
			t.Why = fmt.Sprintf("the database holds %d cases: generate a million with --cases 1000000, or measure one that holds them with --existing", r.Cases)
		case r.ServerMemory.PeakMB > MemoryTargetMB:
			t.Why = fmt.Sprintf("%.0f MB over%s", r.ServerMemory.PeakMB-MemoryTargetMB, peak)
		default:
			t.Met = true
		}
		r.Targets = append(r.Targets, t)
	}
}

// add appends a target, giving errors as the reason for a miss when the run
// had any (a target with errors is never met).
func (r *Report) add(t Target, errors int) {
	if errors > 0 {
		t.Met = false
		t.Why = fmt.Sprintf("%d operations failed (see the first error above)", errors)
	}
	if t.Met {
		t.Why = ""
	}
	r.Targets = append(r.Targets, t)
}

// intakeWhy is the reason the app's intake fell short of a writer of the
// same rows: what the app does besides writing them, on CPUs it shares.
func (r *Report) intakeWhy() string {
	return "each intake also pays for HTTP, sign-in checks, the rules, numbering and the JSON of its event, audit " +
		"record and message, on the CPUs the writers share (the notes give the server's CPU per intake); " + r.machineLoad()
}

// latencyWhy is the reason a latency target was missed at the rate asked:
// how the runs spread, and how busy the machine was, since the load
// generator, the server and the database share its CPUs.
func (r *Report) latencyWhy(x Result) string {
	var runs []string
	for _, p := range x.PerRun {
		runs = append(runs, fmt.Sprintf("%.2f", p.P99))
	}
	why := ""
	if len(runs) > 1 {
		why = "p99 run by run " + strings.Join(runs, ", ") + " ms; "
	}
	return why + r.machineLoad()
}

// machineLoad says how busy the machine was around the run.
func (r *Report) machineLoad() string {
	s := fmt.Sprintf("load average %s before, %s after, on %d CPUs shared by the load generator, the server and the database",
		orDash(r.LoadBefore), orDash(r.LoadAfter), r.Machine.CPUs)
	if l := maxLoad(r.LoadBefore, r.LoadAfter); r.Machine.CPUs > 0 && l > float64(r.Machine.CPUs) {
		s += fmt.Sprintf(": more runnable work (%.1f) than CPUs, so requests waited for a CPU", l)
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// maxLoad is the highest one-minute load average of the ones given ("1.2 0.9 0.5").
func maxLoad(loads ...string) float64 {
	high := 0.0
	for _, l := range loads {
		var one float64
		if _, err := fmt.Sscan(l, &one); err == nil && one > high {
			high = one
		}
	}
	return high
}

// peakRow is the row whose server peak memory was the highest.
func (r *Report) peakRow() (Result, bool) {
	var best Result
	found := false
	for _, x := range r.Results {
		if x.ServerPeakRSSMB > 0 && (!found || x.ServerPeakRSSMB > best.ServerPeakRSSMB) {
			best, found = x, true
		}
	}
	return best, found
}

// withRuns adds the run-by-run ratios of two rows to a median's figure.
func withRuns(median string, a, b []RunFigures, format string) string {
	if len(a) < 2 || len(a) != len(b) {
		return median
	}
	var out []string
	for i := range a {
		if b[i].Throughput > 0 {
			out = append(out, fmt.Sprintf(format, a[i].Throughput/b[i].Throughput))
		}
	}
	return median + " (run by run: " + strings.Join(out, ", ") + ")"
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteTable writes the report for a person to read.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "onewindow bench: %s %s (%s)\n", r.Engine, r.EngineVersion, r.Durability)
	fmt.Fprintf(w, "machine: %d CPUs, %s, %d MB, %s, %s; load average before %s, after %s\n", r.Machine.CPUs, r.Machine.CPUModel,
		r.Machine.MemoryMB, r.Machine.GoVersion, r.Machine.OS, r.LoadBefore, r.LoadAfter)
	s := r.Settings
	if s.DBPool > 0 && r.Engine == "postgres" {
		fmt.Fprintf(w, "server: %s, --db-pool %d\n", r.Server, s.DBPool)
	} else {
		fmt.Fprintf(w, "server: %s\n", r.Server)
	}
	runs := "runs"
	if s.Runs == 1 {
		runs = "run"
	}
	fmt.Fprintf(w, "each scenario: %d %s of at most %d operations or %.0fs; medians shown\n", s.Runs, runs, s.Requests, s.Seconds)
	if r.Generated != nil {
		fmt.Fprintf(w, "bulk data: %d cases, %d events generated in %.1fs\n", r.Generated.Cases, r.Generated.Events, r.Generated.Seconds)
	}
	fmt.Fprintf(w, "cases in the database when the scenarios began: %d\n", r.Cases)
	fmt.Fprintln(w)
	rows := [][]string{{"scenario", "load", "ops", "errors", "ops/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server peak RSS MB"}}
	for _, x := range r.Results {
		load := fmt.Sprintf("%d at once", x.Concurrency)
		if x.Mode == "open" {
			load = fmt.Sprintf("%.0f/s", x.Rate)
		}
		rss := "-"
		if x.ServerPeakRSSMB > 0 {
			rss = fmt.Sprintf("%.0f", x.ServerPeakRSSMB)
		}
		rows = append(rows, []string{x.Name, load, fmt.Sprint(x.Ops), fmt.Sprint(x.Errors), fmt.Sprintf("%.1f", x.Throughput),
			fmt.Sprintf("%.2f", x.P50), fmt.Sprintf("%.2f", x.P90), fmt.Sprintf("%.2f", x.P99), fmt.Sprintf("%.2f", x.Max), rss})
	}
	writeColumns(w, rows)
	for _, x := range r.Results {
		if x.FirstError != "" {
			fmt.Fprintf(w, "  %s: first error: %s\n", x.Name, x.FirstError)
		}
	}
	if len(r.Ratios) > 0 {
		fmt.Fprintln(w)
		for _, x := range r.Ratios {
			if strings.HasPrefix(x.Name, temporalRatioPrefix) {
				fmt.Fprintf(w, "onewindow / Temporal, %s: %.1f / %.1f ops/s = %.1f ×\n", strings.TrimPrefix(x.Name, temporalRatioPrefix), x.App, x.Raw, x.Ratio)
				continue
			}
			if x.Name == "ideal" {
				fmt.Fprintf(w, "intake app / ideal: %.0f / %.0f ops/s = %.2f\n", x.App, x.Raw, x.Ratio)
				continue
			}
			fmt.Fprintf(w, "%s app / raw: %.0f / %.0f ops/s = %.2f\n", x.Name, x.App, x.Raw, x.Ratio)
		}
	}
	if len(r.Targets) > 0 {
		fmt.Fprintln(w, "\ntargets:")
		for _, t := range r.Targets {
			mark := "missed"
			switch {
			case t.Met:
				mark = "met"
			case t.NotMeasured:
				mark = "n/a"
			}
			fmt.Fprintf(w, "  %-6s  %s: %s\n", mark, t.Goal, t.Got)
			if t.Why != "" {
				fmt.Fprintf(w, "          why: %s\n", t.Why)
			}
		}
	}
	if len(r.Plans) > 0 {
		fmt.Fprintln(w, "\nquery plans:")
		for _, p := range r.Plans {
			idx := "uses an index"
			if !p.UsesIndex {
				idx = "DOES NOT use an index"
			}
			fmt.Fprintf(w, "\n  %s (%s; %.2f ms)\n", p.Name, idx, p.Millis)
			for _, line := range p.Plan {
				fmt.Fprintf(w, "    %s\n", line)
			}
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	return nil
}

func machineInfo() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				var kb int
				fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "MemTotal:")), "%d", &kb)
				m.MemoryMB = kb / 1024
			}
		}
	}
	return m
}

// loadAverage is the 1, 5 and 15 minute load average, for the reader to
// judge how quiet the machine was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// engineInfo names the engine, its version and its durability settings.
func engineInfo(ctx context.Context, db *store.DB, dsn string) (engine, version, durability string) {
	if db == nil {
		if store.IsPostgresDSN(dsn) {
			return "postgres", "unknown", "unknown"
		}
		return "unknown", "", "unknown"
	}
	if db.Dialect() == store.Postgres {
		var v, sync, fsync string
		db.QueryRowContext(ctx, `SHOW server_version`).Scan(&v)
		db.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&sync)
		db.QueryRowContext(ctx, `SHOW fsync`).Scan(&fsync)
		return "postgres", v, "synchronous_commit=" + sync + ", fsync=" + fsync
	}
	var v, mode string
	var sync int
	db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v)
	db.Writer().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
	db.Writer().QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync)
	names := map[int]string{0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
	d := "journal_mode=" + mode + ", synchronous=" + names[sync]
	if names[sync] == "NORMAL" {
		// The store's writer: commits write the log, and the store syncs it
		// before a write is answered (store/store.go, writerSync).
		d += ", the log synced before a commit is answered"
	}
	return "sqlite", v, d
}

// writeColumns writes rows as aligned columns, counting a Chinese character
// as two columns wide as terminals show it; numbers are aligned right.
func writeColumns(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for r, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-displayWidth(cell))
			if i < 2 || r == 0 {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
			b.WriteString("  ")
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xff00 && r <= 0xff60)) {
			n += 2
			continue
		}
		n++
	}
	return n
}
