package scheduler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/metrics"
)

func TestRunRepeatsAndIsolatesFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var good, bad, panicky atomic.Int32
		ctx, cancel := context.WithCancel(context.Background())
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		before := metrics.Value("onewindow_job_failures_total", "job", "bad")
		runsBefore := metrics.Value("onewindow_job_runs_total", "job", "good")
		timedBefore := metrics.Value("onewindow_job_duration_seconds", "job", "panicky")
		done := make(chan struct{})
		go func() {
			Run(ctx, time.Minute, log, clock.Wall(),
				Job{"panicky", func(context.Context, time.Time) error { panicky.Add(1); panic("boom") }},
				Job{"bad", func(context.Context, time.Time) error { bad.Add(1); return errors.New("no database") }},
				Job{"good", func(context.Context, time.Time) error { good.Add(1); return nil }},
			)
			close(done)
		}()
		time.Sleep(3*time.Minute + time.Second) // fake time: runs at 0, 1, 2 and 3 minutes
		cancel()
		<-done
		if good.Load() != 4 || bad.Load() != 4 || panicky.Load() != 4 {
			t.Fatalf("runs: good %d, bad %d, panicky %d; want 4 each", good.Load(), bad.Load(), panicky.Load())
		}
		if got := metrics.Value("onewindow_job_failures_total", "job", "bad") - before; got != 4 {
			t.Fatalf("failures counted %v, want 4", got)
		}
		if got := metrics.Value("onewindow_job_runs_total", "job", "good") - runsBefore; got != 4 {
			t.Fatalf("runs counted %v, want 4", got)
		}
		// Every run is timed, a panicking one too.
		if got := metrics.Value("onewindow_job_duration_seconds", "job", "panicky") - timedBefore; got != 4 {
			t.Fatalf("%v runs timed, want 4", got)
		}
	})
}
