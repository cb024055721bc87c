package bench

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Outcome is what one operation reports. Kind names the operation for the
// report (mixed scenarios run several kinds); Latency, when set, is the part
// the operation measured itself (call-next without the start and finish that
// follow it), otherwise the runner's measure is used.
type Outcome struct {
	Kind    string
	Err     error
	Latency time.Duration
}

// Op runs one operation as worker.
type Op func(ctx context.Context, worker int) Outcome

// Bounds stop a run: after Requests operations or Duration, whichever
// comes first. Every run is bounded by both.
type Bounds struct {
	Requests int
	Duration time.Duration
}

// Sample holds the measures of one run, per kind of operation.
type Sample struct {
	Elapsed time.Duration
	Kinds   map[string]*KindSample
	order   []string
	mu      sync.Mutex
}

// KindSample is the measures of one kind of operation.
type KindSample struct {
	Latencies []time.Duration // of successful operations
	Errors    int
	Rejected  int // 503 answers (the server's concurrency limit)
	FirstErr  string
}

func newSample() *Sample { return &Sample{Kinds: map[string]*KindSample{}} }

func (s *Sample) add(kind string, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.Kinds[kind]
	if k == nil {
		k = &KindSample{}
		s.Kinds[kind] = k
		s.order = append(s.order, kind)
	}
	if err == nil {
		k.Latencies = append(k.Latencies, d)
		return
	}
	k.Errors++
	var se *StatusError
	if errors.As(err, &se) && se.Status == 503 {
		k.Rejected++
	}
	if k.FirstErr == "" {
		msg := err.Error()
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		k.FirstErr = msg
	}
}

// KindNames returns the kinds in the order they first appeared.
func (s *Sample) KindNames() []string { return slices.Clone(s.order) }

// RunClosed runs op on workers goroutines, each starting its next operation
// as soon as the last one ends, until the bounds are reached or ctx ends:
// the throughput a server sustains at that concurrency.
func RunClosed(ctx context.Context, workers int, b Bounds, defaultKind string, op Op) *Sample {
	s := newSample()
	ctx, cancel := context.WithTimeout(ctx, b.Duration)
	defer cancel()
	var issued atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && issued.Add(1) <= int64(b.Requests) {
				t0 := time.Now()
				out := op(ctx, w)
				if ctx.Err() != nil && out.Err != nil {
					return // cut off by the time bound: not a server error
				}
				d := out.Latency
				if d == 0 {
					d = time.Since(t0)
				}
				s.add(kindOr(out.Kind, defaultKind), d, out.Err)
			}
		}()
	}
	wg.Wait()
	s.Elapsed = time.Since(start)
	return s
}

// RunOpen starts operations at a fixed rate (an open system, like people
// arriving at a hall) on up to workers goroutines, until the bounds are
// reached. Latency is counted from when an operation was due to start, so
// that a server falling behind shows in the figures instead of slowing the
// arrivals down (no coordinated omission).
func RunOpen(ctx context.Context, rate float64, workers int, b Bounds, defaultKind string, op Op) *Sample {
	s := newSample()
	n := int(rate * b.Duration.Seconds())
	if b.Requests > 0 && b.Requests < n {
		n = b.Requests
	}
	ctx, cancel := context.WithTimeout(ctx, b.Duration+10*time.Second)
	defer cancel()
	type job struct {
		i   int
		due time.Time
	}
	jobs := make(chan job, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				t0 := time.Now()
				out := op(ctx, w)
				if ctx.Err() != nil && out.Err != nil {
					continue
				}
				d := time.Since(j.due)
				if out.Latency > 0 {
					d = t0.Sub(j.due) + out.Latency
				}
				s.add(kindOr(out.Kind, defaultKind), d, out.Err)
			}
		}()
	}
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
dispatch:
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				break dispatch
			}
		}
		select {
		case jobs <- job{i: i, due: due}:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(jobs)
	wg.Wait()
	s.Elapsed = time.Since(start)
	return s
}

func kindOr(kind, def string) string {
	if kind == "" {
		return def
	}
	return kind
}

// Percentile returns the q-quantile (0 < q ≤ 1) of sorted durations by the
// nearest-rank method; 0 for none.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(q*float64(len(sorted))+0.999999999) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return sorted[rank]
}

// Stats are the figures of one kind of operation in one run.
type Stats struct {
	Ops        int     `json:"ops"`
	Errors     int     `json:"errors"`
	Rejected   int     `json:"rejected_503"`
	Seconds    float64 `json:"seconds"`
	Throughput float64 `json:"ops_per_second"`
	P50        float64 `json:"p50_ms"`
	P90        float64 `json:"p90_ms"`
	P99        float64 `json:"p99_ms"`
	Max        float64 `json:"max_ms"`
	FirstError string  `json:"first_error,omitempty"`
}

// StatsOf summarises one kind of a sample.
func StatsOf(s *Sample, kind string) Stats {
	k := s.Kinds[kind]
	if k == nil {
		return Stats{Seconds: s.Elapsed.Seconds()}
	}
	lat := slices.Clone(k.Latencies)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	st := Stats{Ops: len(lat), Errors: k.Errors, Rejected: k.Rejected, Seconds: s.Elapsed.Seconds(), FirstError: k.FirstErr,
		P50: ms(Percentile(lat, 0.50)), P90: ms(Percentile(lat, 0.90)), P99: ms(Percentile(lat, 0.99))}
	if len(lat) > 0 {
		st.Max = ms(lat[len(lat)-1])
	}
	if st.Seconds > 0 {
		st.Throughput = float64(st.Ops) / st.Seconds
	}
	return st
}
