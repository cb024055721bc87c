package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onewindow/onewindow/demo"
)

// benchIssuer is the issuing window of the county hall.
const benchIssuer = "hn_chuzheng"

// fullLife is a case's whole life through the API in five requests, each
// one transaction on the server: created and accepted at the front desk
// (intake), approved and its result prepared by the department's reviewer,
// issued at the issuing window.
func (e *env) fullLife(ctx context.Context) error {
	c, err := e.createAccept(ctx, true)
	if err != nil {
		return err
	}
	steps := []struct{ token, action string }{
		{e.reviewerToken, "approve"}, {e.reviewerToken, "prepare_result"}, {e.issuerToken, "issue"},
	}
	for _, s := range steps {
		body := map[string]any{"version": c.Version}
		if s.action == "issue" {
			body["issue_method"] = "window"
		}
		if err := e.client.Do(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/actions/%s", c.ID, s.action), s.token, body, 200, &c); err != nil {
			return err
		}
	}
	return nil
}

// temporalCase is what the workflow of Temporal's side starts with: the
// same application as the intake's.
func (e *env) temporalCase() temporalCase {
	return temporalCase{Item: e.item.Code, Materials: e.materials,
		Applicant: map[string]any{"kind": "person", "name": "周明", "id_number": benchIDNumber, "phone": benchPhone}}
}

// temporalScenario measures, in the same invocation and with the same
// workers and bounds as the intake, onewindow against Temporal's
// equivalents one after another: an intake (create + accept) against a
// workflow's start and one signal, and a case's full life (five requests)
// against a start and four signals. Without --temporal-url it is skipped.
func temporalScenario(ctx context.Context, e *env) ([]resultSample, error) {
	if e.cfg.TemporalURL == "" {
		e.note("temporal: skipped: no --temporal-url (the HTTP API of a Temporal server, e.g. `temporal server start-dev --http-port 7243` and --temporal-url http://127.0.0.1:7243)")
		return nil, nil
	}
	if e.temporal == nil {
		t := NewTemporalClient(e.cfg.TemporalURL, e.cfg.Concurrency)
		e.cleanups = append(e.cleanups, t.Close)
		e.temporal = t
	}
	if e.issuerToken == "" {
		tok, err := e.client.Login(ctx, benchIssuer, demo.Password)
		if err != nil {
			return nil, fmt.Errorf("sign in as %s: %w", benchIssuer, err)
		}
		e.issuerToken = tok
	}
	c, b := e.cfg.Concurrency, e.intakeBounds()
	in := e.temporalCase()
	// One start and one signal first, so that a server that is not there
	// or does not take the requests leaves the scenario out with its error
	// instead of filling a row with errors.
	if err := e.temporal.CreateAccept(ctx, in); err != nil {
		return nil, fmt.Errorf("temporal at %s: %w", e.cfg.TemporalURL, err)
	}
	run := func(kind string, op func(context.Context) error) *Sample { return runToEnd(ctx, c, b, kind, op) }
	owIntake := run("intake", func(ctx context.Context) error { return e.intake(ctx) })
	tIntake := run("intake", func(ctx context.Context) error { return e.temporal.CreateAccept(ctx, in) })
	owLife := run("life", e.fullLife)
	tLife := run("life", func(ctx context.Context) error { return e.temporal.FullLife(ctx, in) })
	return []resultSample{
		{name: rowOnewindowIntake, mode: "closed", concurrency: c, sample: owIntake, kind: "intake"},
		{name: rowTemporalIntake, mode: "closed", concurrency: c, sample: tIntake, kind: "intake"},
		{name: rowOnewindowLife, mode: "closed", concurrency: c, sample: owLife, kind: "life"},
		{name: rowTemporalLife, mode: "closed", concurrency: c, sample: tLife, kind: "life"},
	}, nil
}

// The rows of the temporal scenario.
const (
	rowOnewindowIntake = "onewindow: create + accept"
	rowTemporalIntake  = "Temporal: start + signal"
	rowOnewindowLife   = "onewindow: full life (5 requests)"
	rowTemporalLife    = "Temporal: start + 4 signals"
)

// temporalRatioPrefix begins the names of the ratios onewindow / Temporal.
const temporalRatioPrefix = "temporal: "

// evaluateTemporal fills the ratios onewindow / Temporal (operations a
// second, medians over the runs) and checks the targets: 30 × on
// create + accept, 15 × on the full life.
func (r *Report) evaluateTemporal() {
	for _, p := range []struct {
		name, ow, t string
		goal        float64
	}{
		{"create + accept", rowOnewindowIntake, rowTemporalIntake, 30},
		{"full life", rowOnewindowLife, rowTemporalLife, 15},
	} {
		ow, okOW := r.result(p.ow)
		t, okT := r.result(p.t)
		if !okOW || !okT || t.Throughput <= 0 {
			continue
		}
		ratio := Ratio{Name: temporalRatioPrefix + p.name, App: ow.Throughput, Raw: t.Throughput, Ratio: ow.Throughput / t.Throughput}
		r.Ratios = append(r.Ratios, ratio)
		got := fmt.Sprintf("%.1f ×", ratio.Ratio)
		if runs := pairedRatios(ow.PerRun, t.PerRun); runs != "" {
			got += " (run by run: " + runs + ")"
		}
		target := Target{Goal: fmt.Sprintf("onewindow / Temporal ≥ %.0f × on %s", p.goal, p.name),
			Got: got, Met: ratio.Ratio >= p.goal}
		target.Why = r.temporalWhy(p.name, p.goal, t.Throughput)
		r.add(target, ow.Errors+t.Errors)
	}
}

// temporalWhy is the reason onewindow / Temporal fell short of goal: on
// create + accept, set beside what the ideal writer (the engine alone, the
// same rows) does when the intake ran in the same invocation, since no
// request path can beat it; otherwise the CPU per intake is what decides.
func (r *Report) temporalWhy(name string, goal, temporal float64) string {
	ideal, okIdeal := r.result("intake (ideal)")
	ow, okOW := r.result(rowOnewindowIntake)
	if name == "create + accept" && okIdeal && okOW && ideal.Throughput > 0 {
		need := goal * temporal
		if ideal.Throughput < need {
			return fmt.Sprintf("%.0f × needs %.0f creates + accepts a second, more than the ideal writer did in this invocation "+
				"(%.0f: the same rows written by the engine with no HTTP, no rules and batched commits, %.1f × Temporal), "+
				"so the engine itself falls short on this machine; %s", goal, need, ideal.Throughput, ideal.Throughput/temporal, r.machineLoad())
		}
		return fmt.Sprintf("%.0f × needs %.0f creates + accepts a second; the engine could (the ideal writer did %.0f, %.1f × Temporal, "+
			"in this invocation), onewindow did %.0f: its CPU per request (HTTP, rules, event, audit, message) is what falls short; %s",
			goal, need, ideal.Throughput, ideal.Throughput/temporal, ow.Throughput, r.machineLoad())
	}
	return "onewindow's side is bound by its CPU per request on this machine (run --scenarios intake,temporal to " +
		"set it beside the ideal writer, the engine's ceiling); a busier machine slows Temporal's dev server more " +
		"than onewindow, a quieter one the other way; " + r.machineLoad()
}

// runToEnd is RunClosed, except that an operation begun within the bounds
// is let finish and counted, and the run lasts until the last one ends.
// RunClosed drops the operations the time bound cuts off while counting
// the time they took: negligible for an intake of a few milliseconds, but
// a Temporal life of seconds would lose up to one in every few per worker,
// and the ratio would flatter onewindow. Here the end costs a side only
// the time its workers wait for the others' last operations: less than
// one of its operations' time over the whole run.
func runToEnd(ctx context.Context, workers int, b Bounds, kind string, op func(context.Context) error) *Sample {
	s := newSample()
	var issued atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Since(start) < b.Duration && issued.Add(1) <= int64(b.Requests) {
				t0 := time.Now()
				err := op(ctx)
				if ctx.Err() != nil && err != nil {
					return // the bench was stopped
				}
				s.add(kind, time.Since(t0), err)
			}
		}()
	}
	wg.Wait()
	s.Elapsed = time.Since(start)
	return s
}

// pairedRatios gives the ratio of each run's pair, the two rows of a run
// having been measured one right after the other.
func pairedRatios(a, b []RunFigures) string {
	if len(a) != len(b) {
		return ""
	}
	var out []string
	for i := range a {
		if b[i].Throughput > 0 {
			out = append(out, fmt.Sprintf("%.1f", a[i].Throughput/b[i].Throughput))
		}
	}
	return strings.Join(out, ", ")
}
