// Package scheduler runs periodic jobs inside `onewindow serve` (SLA scans,
// enterprise-request escalation, calendar reloads). Jobs must be idempotent:
// several servers run the same scheduler on one database.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/metrics"
)

// Job is one periodic task.
type Job struct {
	Name string
	Run  func(ctx context.Context, now time.Time) error
}

// Run runs every job at once and then every interval until ctx ends, each
// told the time by clk (the server's clock). A failing or panicking job is
// logged and counted; it never stops the others.
func Run(ctx context.Context, interval time.Duration, log *slog.Logger, clk clock.Clock, jobs ...Job) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, j := range jobs {
			if ctx.Err() != nil {
				return
			}
			runOne(ctx, j, log, clk)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runOne(ctx context.Context, j Job, log *slog.Logger, clk clock.Clock) {
	start := time.Now() // wall clock: times the run for /metrics
	defer func() {
		metrics.Observe("onewindow_job_duration_seconds", time.Since(start).Seconds(), "job", j.Name)
	}()
	defer func() {
		if v := recover(); v != nil {
			metrics.Inc("onewindow_job_failures_total", "job", j.Name)
			log.Error("scheduled job panicked", "job", j.Name, "panic", fmt.Sprint(v))
		}
	}()
	if err := j.Run(ctx, clk.Now()); err != nil {
		metrics.Inc("onewindow_job_failures_total", "job", j.Name)
		log.Error("scheduled job failed", "job", j.Name, "err", err)
		return
	}
	metrics.Inc("onewindow_job_runs_total", "job", j.Name)
}

func init() {
	metrics.Describe("onewindow_job_runs_total", "scheduled job runs that succeeded")
	metrics.Describe("onewindow_job_failures_total", "scheduled job runs that failed or panicked")
	metrics.DescribeHistogram("onewindow_job_duration_seconds", "time a scheduled job run took, failed or not",
		[]float64{0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300})
}
