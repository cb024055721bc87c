package cases

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/workday"
)

func date(s string) time.Time {
	d, err := workday.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestWarnThreshold(t *testing.T) {
	for _, tc := range []struct{ limit, want int }{{0, 1}, {4, 1}, {5, 1}, {10, 2}, {20, 4}, {60, 12}} {
		if got := warnThreshold(tc.limit, 1, 0.2); got != tc.want {
			t.Errorf("limit %d: threshold %d, want %d", tc.limit, got, tc.want)
		}
	}
}

// Counting back over 国庆 2026: the working day before 2026-10-08 is
// 2026-09-30; two before 2026-10-12 are 2026-10-10 (make-up Saturday) and 2026-10-09.
func TestBackWorkdays(t *testing.T) {
	cal, _ := workday.NewOfficial()
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{{"2026-10-08", 1, "2026-09-30"}, {"2026-10-12", 1, "2026-10-10"}, {"2026-10-12", 2, "2026-10-09"}, {"2026-11-23", 0, "2026-11-23"}} {
		if got := workday.FormatDate(backWorkdays(cal, date(tc.from), tc.n)); got != tc.want {
			t.Errorf("%d working days before %s: %s, want %s", tc.n, tc.from, got, tc.want)
		}
	}
}

func TestComputeSLA(t *testing.T) {
	cal, _ := workday.NewOfficial()
	decided := date("2026-11-27").Add(3 * time.Hour)
	running := func(mod func(c *Case)) *Case {
		c := &Case{State: InReview, PromisedDue: "2026-11-27", WarnFrom: "2026-11-26", PromisedLimit: 5}
		if mod != nil {
			mod(c)
		}
		return c
	}
	tests := []struct {
		name      string
		c         *Case
		today     string
		status    string
		remaining int
	}{
		{"not accepted", &Case{State: Received}, "2026-11-23", SLANone, 0},
		{"on time", running(nil), "2026-11-23", SLAOnTime, 4},
		{"warning from warn_from", running(nil), "2026-11-26", SLAWarning, 1},
		{"due today is still warning", running(nil), "2026-11-27", SLAWarning, 0},
		{"overdue the next working day", running(nil), "2026-11-30", SLAOverdue, -1},
		{"overdue on the weekend, no working day lost yet", running(nil), "2026-11-28", SLAOverdue, 0},
		{"paused", running(func(c *Case) { c.PausedSince = "2026-11-24"; c.State = SupplementNeeded }), "2026-11-30", SLAPaused, -1},
		{"decided in time", running(func(c *Case) { c.State = Approved; c.DecidedAt = &decided }), "2026-12-10", SLADoneOnTime, 0},
		{"decided late", running(func(c *Case) { c.State = Refused; c.PromisedDue = "2026-11-26"; c.DecidedAt = &decided }), "2026-12-10", SLADoneLate, 0},
		{"withdrawn", running(func(c *Case) { c.State = Withdrawn }), "2026-12-10", SLANone, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ComputeSLA(tc.c, date(tc.today), cal)
			if got.Status != tc.status || got.RemainingDays != tc.remaining {
				t.Fatalf("got %s with %d days, want %s with %d", got.Status, got.RemainingDays, tc.status, tc.remaining)
			}
		})
	}
}

func TestDueStepsAndLadderValidation(t *testing.T) {
	names := func(steps []Step) []int {
		var out []int
		for _, s := range steps {
			out = append(out, s.Level)
		}
		return out
	}
	for _, tc := range []struct {
		sla  SLA
		want []int
	}{
		{SLA{Status: SLAOnTime, RemainingDays: 3}, nil},
		{SLA{Status: SLAWarning, RemainingDays: 1}, []int{1}},
		{SLA{Status: SLAOverdue, RemainingDays: 0}, []int{1}},
		{SLA{Status: SLAOverdue, RemainingDays: -1}, []int{1, 2}},
		{SLA{Status: SLAOverdue, RemainingDays: -3}, []int{1, 2, 3}},
		{SLA{Status: SLAPaused, RemainingDays: -9}, nil},
	} {
		got := names(DueSteps(DefaultLadder, tc.sla))
		if len(got) != len(tc.want) {
			t.Errorf("%+v: steps %v, want %v", tc.sla, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%+v: steps %v, want %v", tc.sla, got, tc.want)
			}
		}
	}
	if err := ValidateLadder(DefaultLadder); err != nil {
		t.Fatalf("the default ladder is invalid: %v", err)
	}
	bad := []Step{{Level: 1, Kind: "late", Notify: []string{"mayor"}}, {Level: 1, Kind: SLAOverdue}}
	if err := ValidateLadder(bad); err == nil {
		t.Fatal("a ladder with an unknown kind, recipient and a repeated level was accepted")
	}
}
