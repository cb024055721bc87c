package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"none", nil, 0.99, 0},
		{"one value is every quantile", ms(7), 0.5, 7 * time.Millisecond},
		{"median of an odd count", ms(1, 2, 3, 4, 5), 0.5, 3 * time.Millisecond},
		{"nearest rank rounds up", ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p90 of 1..100", ms(hundred...), 0.90, 90 * time.Millisecond},
		{"maximum", ms(1, 5, 9), 1, 9 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Percentile(tc.sorted, tc.q); got != tc.want {
				t.Fatalf("Percentile(%v, %v) = %v, want %v", tc.sorted, tc.q, got, tc.want)
			}
		})
	}
}

// A closed run stops after exactly Requests operations when they are
// quick, and counts failures and 503s apart from the latencies.
func TestRunClosedBoundsAndCounts(t *testing.T) {
	var calls atomic.Int64
	s := RunClosed(context.Background(), 8, Bounds{Requests: 500, Duration: time.Minute}, "op", func(ctx context.Context, w int) Outcome {
		n := calls.Add(1)
		switch {
		case n%10 == 0:
			return Outcome{Err: &StatusError{Status: 503, RetryAfter: "1"}}
		case n%10 == 1:
			return Outcome{Kind: "other", Err: errors.New("boom")}
		}
		return Outcome{}
	})
	if calls.Load() != 500 {
		t.Fatalf("%d operations, want 500", calls.Load())
	}
	op := StatsOf(s, "op")
	other := StatsOf(s, "other")
	if op.Ops != 400 || op.Errors != 50 || op.Rejected != 50 {
		t.Fatalf("op: %+v, want 400 ok, 50 errors, all 50 of them 503", op)
	}
	if other.Ops != 0 || other.Errors != 50 || other.Rejected != 0 || other.FirstError != "boom" {
		t.Fatalf("other: %+v", other)
	}
	if got := s.KindNames(); len(got) != 2 {
		t.Fatalf("kinds %v", got)
	}
}

// A closed run with more time than work ends by its count; one with a
// blocking operation ends by its time, without counting the operations the
// deadline cut short as failures.
func TestRunClosedStopsAtTheDeadline(t *testing.T) {
	s := RunClosed(context.Background(), 4, Bounds{Requests: 1 << 30, Duration: 50 * time.Millisecond}, "op", func(ctx context.Context, w int) Outcome {
		<-ctx.Done()
		return Outcome{Err: ctx.Err()}
	})
	if st := StatsOf(s, "op"); st.Ops != 0 || st.Errors != 0 {
		t.Fatalf("operations cut off by the deadline were counted: %+v", st)
	}
}

// An open run starts rate × duration operations, or Requests if fewer, and
// an operation's own latency replaces the runner's measure.
func TestRunOpenCountsAndSelfMeasuredLatency(t *testing.T) {
	var calls atomic.Int64
	s := RunOpen(context.Background(), 2000, 16, Bounds{Requests: 300, Duration: time.Second}, "op", func(ctx context.Context, w int) Outcome {
		calls.Add(1)
		return Outcome{Latency: time.Hour}
	})
	if calls.Load() != 300 {
		t.Fatalf("%d operations, want 300 (the request bound)", calls.Load())
	}
	st := StatsOf(s, "op")
	if st.Ops != 300 || st.P50 < float64(time.Hour/time.Millisecond) {
		t.Fatalf("%+v: the operation's own latency (an hour) was not used", st)
	}
}

func TestCombineTakesMedians(t *testing.T) {
	run := func(latencies ...time.Duration) resultSample {
		s := newSample()
		s.Elapsed = time.Second
		for _, d := range latencies {
			s.add("op", d, nil)
		}
		s.add("op", 0, errors.New("one failure"))
		return resultSample{name: "x", mode: "closed", concurrency: 3, sample: s, kind: "op"}
	}
	ms := time.Millisecond
	r := combine("x", []resultSample{run(1*ms, 2*ms), run(5*ms, 5*ms, 5*ms, 5*ms), run(9*ms, 9*ms, 9*ms)}, 42)
	if r.Runs != 3 || r.Ops != 9 || r.Errors != 3 || r.Max != 9 || r.ServerPeakRSSMB != 42 {
		t.Fatalf("%+v", r)
	}
	if r.Throughput != 3 { // runs of 2, 4 and 3 operations in a second each
		t.Fatalf("median throughput %v, want 3", r.Throughput)
	}
	if r.P50 != 5 {
		t.Fatalf("median p50 %v, want 5", r.P50)
	}
}

func TestTargets(t *testing.T) {
	cfg := Defaults
	tests := []struct {
		name    string
		results []Result
		memory  *Memory
		cases   int
		want    map[string]bool
	}{
		{"ratio met, status missed on latency",
			[]Result{{Name: "intake (app)", Throughput: 60}, {Name: "intake (raw)", Throughput: 100},
				{Name: "status by number", Mode: "open", Rate: 2000, Throughput: 1990, P99: 6}},
			nil, 0,
			map[string]bool{"intake app/raw": true, "status read": false}},
		{"ratio missed, status missed on throughput",
			[]Result{{Name: "intake (app)", Throughput: 40}, {Name: "intake (raw)", Throughput: 100},
				{Name: "status by number", Mode: "open", Rate: 2000, Throughput: 1500, P99: 1}},
			nil, 0,
			map[string]bool{"intake app/raw": false, "status read": false}},
		{"search and call-next judged on the fixed-rate rows only",
			[]Result{{Name: "search yyzz", Mode: "open", Rate: 200, Throughput: 200, P99: 1.5},
				{Name: "search yyzz (saturated)", Mode: "closed", P99: 90},
				{Name: "call-next (50 windows)", Mode: "open", Rate: 50, Throughput: 50, Concurrency: 50, P99: 4}},
			nil, 0,
			map[string]bool{"catalogue search": true, "call-next": true}},
		{"onewindow / Temporal: create + accept met, full life missed",
			[]Result{{Name: rowOnewindowIntake, Throughput: 310, PerRun: []RunFigures{{Throughput: 310}, {Throughput: 200}}},
				{Name: rowTemporalIntake, Throughput: 10, PerRun: []RunFigures{{Throughput: 10}, {Throughput: 8}}},
				{Name: rowOnewindowLife, Throughput: 140}, {Name: rowTemporalLife, Throughput: 10}},
			nil, 0,
			map[string]bool{"onewindow / Temporal ≥ 30 × on create + accept": true, "onewindow / Temporal ≥ 15 × on full life": false}},
		{"onewindow / Temporal: errors fail the target",
			[]Result{{Name: rowOnewindowIntake, Throughput: 400, Errors: 1}, {Name: rowTemporalIntake, Throughput: 10},
				{Name: rowOnewindowLife, Throughput: 160}, {Name: rowTemporalLife, Throughput: 10}},
			nil, 0,
			map[string]bool{"onewindow / Temporal ≥ 30 × on create + accept": false, "onewindow / Temporal ≥ 15 × on full life": true}},
		{"memory needs a million cases to count",
			nil, &Memory{PeakMB: 120}, 1000,
			map[string]bool{"server peak RSS": false}},
		{"memory met",
			nil, &Memory{PeakMB: 120}, 1_000_000,
			map[string]bool{"server peak RSS": true}},
		{"memory missed names the scenario that reached the peak",
			[]Result{{Name: "intake (app)", ServerPeakRSSMB: 90}, {Name: "call-next (50 windows)", ServerPeakRSSMB: 166}},
			&Memory{PeakMB: 166}, 1_000_000,
			map[string]bool{"server peak RSS": false}},
		{"onewindow / Temporal missed beside the ideal writer",
			[]Result{{Name: "intake (ideal)", Throughput: 1500}, {Name: rowOnewindowIntake, Throughput: 1000},
				{Name: rowTemporalIntake, Throughput: 75}},
			nil, 0,
			map[string]bool{"onewindow / Temporal ≥ 30 × on create + accept": false}},
		{"onewindow / Temporal missed where the engine could",
			[]Result{{Name: "intake (ideal)", Throughput: 1500}, {Name: rowOnewindowIntake, Throughput: 500},
				{Name: rowTemporalIntake, Throughput: 20}},
			nil, 0,
			map[string]bool{"onewindow / Temporal ≥ 30 × on create + accept": false}},
	}
	// why holds, for the cases whose misses must give a reason, words the
	// reason must contain.
	why := map[string]string{
		"ratio met, status missed on latency":                         "p99",
		"ratio missed, status missed on throughput":                   "kept up with only 1500 of the 2000",
		"memory needs a million cases to count":                       "holds 1000 cases",
		"memory missed names the scenario that reached the peak":      `16 MB over (the peak was reached by "call-next (50 windows)")`,
		"onewindow / Temporal missed beside the ideal writer":         "needs 2250 creates + accepts a second, more than the ideal writer did",
		"onewindow / Temporal missed where the engine could":          "the engine could (the ideal writer did 1500, 75.0 × Temporal, in this invocation), onewindow did 500",
		"onewindow / Temporal: create + accept met, full life missed": "CPU per request",
		"onewindow / Temporal: errors fail the target":                "1 operations failed",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Results: tc.results, ServerMemory: tc.memory}
			r.Cases = tc.cases
			r.evaluate(cfg)
			if len(r.Targets) != len(tc.want) {
				t.Fatalf("targets %+v, want %d", r.Targets, len(tc.want))
			}
			for _, target := range r.Targets {
				if target.Met && target.Why != "" {
					t.Errorf("%s: met, yet a reason is given: %s", target.Goal, target.Why)
				}
				if !target.Met && target.Why == "" {
					t.Errorf("%s: missed without a reason", target.Goal)
				}
				if w := why[tc.name]; w != "" && !target.Met && !strings.Contains(target.Why, w) && !strings.Contains(table(r), w) {
					t.Errorf("%s: the reason %q lacks %q", target.Goal, target.Why, w)
				}
				if strings.HasPrefix(target.Goal, "server peak RSS") && target.NotMeasured != (tc.cases < 1_000_000) {
					t.Errorf("%s: not measured %v holding %d cases", target.Goal, target.NotMeasured, tc.cases)
				}
				found := false
				for prefix, met := range tc.want {
					if strings.HasPrefix(target.Goal, prefix) {
						found = true
						if target.Met != met {
							t.Errorf("%s: met %v, want %v (%s)", target.Goal, target.Met, met, target.Got)
						}
					}
				}
				if !found {
					t.Errorf("unexpected target %q", target.Goal)
				}
			}
			var table, js bytes.Buffer
			if err := r.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			var back Report
			if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Targets) != len(r.Targets) {
				t.Fatalf("JSON report does not read back: %v", err)
			}
			if tc.name == "onewindow / Temporal: create + accept met, full life missed" &&
				!strings.Contains(table.String(), "31.0 × (run by run: 31.0, 25.0)") {
				t.Errorf("the table lacks the paired runs' ratios:\n%s", table.String())
			}
			for _, target := range r.Targets {
				if !strings.Contains(table.String(), target.Goal) {
					t.Errorf("the table lacks the target %q", target.Goal)
				}
			}
		})
	}
}

// table is the report as a person reads it.
func table(r *Report) string {
	var b bytes.Buffer
	_ = r.WriteTable(&b)
	return b.String()
}

func TestDisplayWidthAlignsChinese(t *testing.T) {
	var b bytes.Buffer
	writeColumns(&b, [][]string{{"name", "n"}, {"search 营业执照", "1"}, {"search yyzz", "22"}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	col := func(line string) int { return displayWidth(line[:strings.LastIndexByte(line, ' ')+1]) }
	if col(lines[1]) != col(lines[2]) {
		t.Fatalf("columns not aligned:\n%s", b.String())
	}
}
