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
type Target struct {
	Goal string `json:"goal"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

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

// evaluate fills the ratios and checks the targets.
func (r *Report) evaluate(cfg Config) {
	app, okApp := r.result("intake (app)")
	raw, okRaw := r.result("intake (raw)")
	if okApp && okRaw && raw.Throughput > 0 {
		ratio := Ratio{Name: "intake", App: app.Throughput, Raw: raw.Throughput, Ratio: app.Throughput / raw.Throughput}
		r.Ratios = append(r.Ratios, ratio)
		r.Targets = append(r.Targets, Target{Goal: "intake app/raw ≥ 0.5 (durable commits)", Got: fmt.Sprintf("%.2f", ratio.Ratio), Met: ratio.Ratio >= 0.5})
	}
	if ideal, ok := r.result("intake (ideal)"); okApp && ok && ideal.Throughput > 0 {
		ratio := Ratio{Name: "ideal", App: app.Throughput, Raw: ideal.Throughput, Ratio: app.Throughput / ideal.Throughput}
		r.Ratios = append(r.Ratios, ratio)
		r.Targets = append(r.Targets, Target{Goal: "intake app/ideal ≥ 0.6 (the same rows, 8 intakes a commit, one writer)",
			Got: fmt.Sprintf("%.2f", ratio.Ratio), Met: ratio.Ratio >= 0.6})
	}
	r.evaluateTemporal()
	if st, ok := r.result("status by number"); ok {
		reached := st.Throughput >= 0.95*float64(cfg.ReadRate)
		got := fmt.Sprintf("p99 %.2f ms at %.0f req/s", st.P99, st.Throughput)
		r.Targets = append(r.Targets, Target{Goal: fmt.Sprintf("status read p99 < 5 ms at %d req/s", cfg.ReadRate), Got: got,
			Met: st.P99 < 5 && reached && st.Errors == 0 && cfg.ReadRate >= 2000})
	}
	for _, x := range r.Results {
		if x.Mode != "open" {
			continue // latency targets are for a given load, not for saturation
		}
		if strings.HasPrefix(x.Name, "call-next") {
			r.Targets = append(r.Targets, Target{Goal: fmt.Sprintf("call-next p99 < 10 ms with 50 windows (%d calls/s in all)", cfg.CallRate),
				Got: fmt.Sprintf("p99 %.2f ms with %d windows", x.P99, x.Concurrency),
				Met: x.P99 < 10 && x.Errors == 0 && x.Concurrency >= 50 && x.Throughput >= 0.95*x.Rate})
		}
		if strings.HasPrefix(x.Name, "search ") {
			r.Targets = append(r.Targets, Target{Goal: fmt.Sprintf("catalogue search p99 < 2 ms (%s, %d/s)", strings.TrimPrefix(x.Name, "search "), cfg.SearchRate),
				Got: fmt.Sprintf("p99 %.2f ms", x.P99), Met: x.P99 < 2 && x.Errors == 0 && x.Throughput >= 0.95*x.Rate})
		}
	}
	if r.ServerMemory != nil {
		cases := r.Cases
		r.Targets = append(r.Targets, Target{Goal: "server RSS < 200 MB holding 1 M cases",
			Got: fmt.Sprintf("peak %.0f MB holding %d cases", r.ServerMemory.PeakMB, cases),
			Met: r.ServerMemory.PeakMB < 200 && cases >= 1_000_000})
	}
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
			if t.Met {
				mark = "met"
			}
			fmt.Fprintf(w, "  %-6s  %s: %s\n", mark, t.Goal, t.Got)
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
