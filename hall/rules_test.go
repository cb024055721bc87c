package hall_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
)

var cst = time.FixedZone("CST", 8*3600)

// at is a moment in China time.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, cst) }

func TestTicketNumber(t *testing.T) {
	tests := []struct {
		name     string
		category string
		seq      int
		want     string
	}{
		{"first of the day", "A", 1, "A001"},
		{"two digits", "B", 42, "B042"},
		{"last three-digit number", "C", 999, "C999"},
		{"a busy day widens instead of wrapping", "A", 1000, "A1000"},
		{"far past a thousand", "E", 12345, "E12345"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hall.TicketNumber(tt.category, tt.seq); got != tt.want {
				t.Errorf("TicketNumber(%q, %d) = %q, want %q", tt.category, tt.seq, got, tt.want)
			}
		})
	}
}

func TestPriorityOf(t *testing.T) {
	today := time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC)
	born := func(y int, m time.Month, d int) string {
		return ident.GenerateIDCard("220523", time.Date(y, m, d, 0, 0, 0, 0, time.UTC), 7)
	}
	tests := []struct {
		name  string
		claim hall.Claim
		want  string
	}{
		{"nobody special", hall.Claim{}, hall.PriorityNone},
		{"aged 70 today", hall.Claim{IDNumber: born(1956, 10, 12)}, hall.PriorityElderly},
		{"70 tomorrow: still 69", hall.Claim{IDNumber: born(1956, 10, 13)}, hall.PriorityNone},
		{"aged 79", hall.Claim{IDNumber: born(1947, 6, 5)}, hall.PriorityElderly},
		{"aged 40", hall.Claim{IDNumber: born(1986, 1, 1)}, hall.PriorityNone},
		{"unreadable number gives no priority", hall.Claim{IDNumber: "220523195610121234"}, hall.PriorityNone},
		{"person with a disability", hall.Claim{Disabled: true}, hall.PriorityDisabled},
		{"serviceman", hall.Claim{Serviceman: true}, hall.PriorityServiceman},
		{"appointment outranks the rest in its label", hall.Claim{Appointment: true, IDNumber: born(1940, 1, 1)}, hall.PriorityAppointment},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hall.PriorityOf(tt.claim, today); got != tt.want {
				t.Errorf("PriorityOf(%+v) = %q, want %q", tt.claim, got, tt.want)
			}
		})
	}
}

// The calling order: priority first, but a normal ticket past the fairness
// limit goes before priority tickets taken after it.
func TestCallingOrder(t *testing.T) {
	now := at(2026, 10, 12, 10, 0)
	ago := func(min int) time.Time { return now.Add(-time.Duration(min) * time.Minute) }
	q := func(id int64, prio string, waited int) hall.Queued {
		return hall.Queued{ID: id, Category: "A", Priority: prio, QueuedAt: ago(waited)}
	}
	tests := []struct {
		name     string
		fairness time.Duration
		waiting  []hall.Queued
		want     []int64
	}{
		{"first come first served", 30 * time.Minute,
			[]hall.Queued{q(3, "", 5), q(1, "", 20), q(2, "", 10)}, []int64{1, 2, 3}},
		{"priority before normal", 30 * time.Minute,
			[]hall.Queued{q(1, "", 20), q(2, hall.PriorityElderly, 2), q(3, hall.PriorityAppointment, 1)}, []int64{2, 3, 1}},
		{"every priority kind ranks the same", 30 * time.Minute,
			[]hall.Queued{q(1, hall.PriorityDisabled, 3), q(2, hall.PriorityServiceman, 4), q(3, hall.PriorityElderly, 5)}, []int64{3, 2, 1}},
		{"overdue normal before newer priority, after older priority", 30 * time.Minute,
			[]hall.Queued{q(1, "", 45), q(2, hall.PriorityElderly, 10), q(3, hall.PriorityElderly, 50), q(4, "", 40)},
			[]int64{3, 1, 4, 2}},
		{"exactly at the limit counts as overdue", 30 * time.Minute,
			[]hall.Queued{q(1, "", 30), q(2, hall.PriorityElderly, 5)}, []int64{1, 2}},
		{"a minute short of the limit waits", 30 * time.Minute,
			[]hall.Queued{q(1, "", 29), q(2, hall.PriorityElderly, 5)}, []int64{2, 1}},
		{"guard off: priority always first", 0,
			[]hall.Queued{q(1, "", 300), q(2, hall.PriorityElderly, 1)}, []int64{2, 1}},
		{"same time: lower ID first", 30 * time.Minute,
			[]hall.Queued{q(9, "", 5), q(4, "", 5)}, []int64{4, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.waiting)
			slices.SortFunc(got, func(a, b hall.Queued) int { return hall.CompareQueued(a, b, now, tt.fairness) })
			var ids []int64
			for _, g := range got {
				ids = append(ids, g.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("order %v, want %v", ids, tt.want)
			}
			// PickNext agrees with the sort, one ticket at a time.
			left := slices.Clone(tt.waiting)
			for _, want := range tt.want {
				next, ok := hall.PickNext(left, "01", []string{"A"}, now, tt.fairness)
				if !ok || next.ID != want {
					t.Fatalf("PickNext gave %d (%v), want %d", next.ID, ok, want)
				}
				left = slices.DeleteFunc(left, func(x hall.Queued) bool { return x.ID == want })
			}
			if _, ok := hall.PickNext(left, "01", []string{"A"}, now, tt.fairness); ok {
				t.Fatal("PickNext found a ticket in an empty queue")
			}
		})
	}
}

func TestEligible(t *testing.T) {
	tests := []struct {
		name   string
		q      hall.Queued
		window string
		cats   []string
		want   bool
	}{
		{"category served", hall.Queued{Category: "A"}, "01", []string{"A", "B"}, true},
		{"category not served", hall.Queued{Category: "C"}, "01", []string{"A", "B"}, false},
		{"transferred to this window", hall.Queued{Category: "C", TargetWindow: "01"}, "01", []string{"A"}, true},
		{"transferred to another window", hall.Queued{Category: "A", TargetWindow: "02"}, "01", []string{"A"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hall.Eligible(tt.q, tt.window, tt.cats); got != tt.want {
				t.Errorf("Eligible = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNextStatusEveryStateAndAction(t *testing.T) {
	// The allowed moves, written out; every other pair must be refused.
	allowed := map[[2]string]string{
		{hall.StatusWaiting, hall.ActCall}:     hall.StatusCalled,
		{hall.StatusWaiting, hall.ActCancel}:   hall.StatusCancelled,
		{hall.StatusCalled, hall.ActRecall}:    hall.StatusCalled,
		{hall.StatusCalled, hall.ActStart}:     hall.StatusServing,
		{hall.StatusCalled, hall.ActNoShow}:    hall.StatusNoShow,
		{hall.StatusCalled, hall.ActTransfer}:  hall.StatusWaiting,
		{hall.StatusServing, hall.ActFinish}:   hall.StatusDone,
		{hall.StatusServing, hall.ActTransfer}: hall.StatusWaiting,
	}
	for _, from := range hall.TicketStatuses {
		for _, action := range hall.TicketActions {
			t.Run(from+"/"+action, func(t *testing.T) {
				got, err := hall.NextStatus(from, action)
				want, ok := allowed[[2]string{from, action}]
				if ok {
					if err != nil || got != want {
						t.Fatalf("NextStatus = %q, %v; want %q", got, err, want)
					}
					return
				}
				if err == nil {
					t.Fatalf("NextStatus(%s, %s) = %q, want a refusal", from, action, got)
				}
				if ae := apperr.As(err); ae.Code != apperr.Conflict || ae.Reason != "ticket_state" || ae.Extra["status"] != from {
					t.Fatalf("refusal %v should be a ticket_state conflict naming %s", err, from)
				}
			})
		}
	}
	if _, err := hall.NextStatus(hall.StatusWaiting, "jump"); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("unknown action: %v, want invalid", err)
	}
}

func TestMayMarkNoShow(t *testing.T) {
	tests := []struct {
		name         string
		calls, after int
		want         bool
	}{
		{"called once, two recalls needed", 1, 2, false},
		{"recalled once", 2, 2, false},
		{"recalled twice", 3, 2, true},
		{"no recall needed", 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hall.MayMarkNoShow(tt.calls, tt.after); got != tt.want {
				t.Errorf("MayMarkNoShow(%d, %d) = %v", tt.calls, tt.after, got)
			}
		})
	}
}

func TestNoShowRule(t *testing.T) {
	rule := hall.NoShowRule{Limit: 3, Window: 30 * 24 * time.Hour, Block: 7 * 24 * time.Hour}
	day := func(d int) time.Time { return at(2026, 9, 1, 10, 0).AddDate(0, 0, d) }
	tests := []struct {
		name    string
		rule    hall.NoShowRule
		noShows []time.Time
		now     time.Time
		until   time.Time
		blocked bool
	}{
		{"none", rule, nil, day(10), time.Time{}, false},
		{"two are allowed", rule, []time.Time{day(0), day(5)}, day(6), time.Time{}, false},
		{"three within 30 days block for 7 days from the third", rule, []time.Time{day(0), day(5), day(20)}, day(21), day(27), true},
		{"the block ends after 7 days", rule, []time.Time{day(0), day(5), day(20)}, day(27), time.Time{}, false},
		{"three spread over more than 30 days do not block", rule, []time.Time{day(0), day(20), day(31)}, day(32), time.Time{}, false},
		{"order of input does not matter", rule, []time.Time{day(20), day(0), day(5)}, day(22), day(27), true},
		{"no-shows that caused a block do not count again", rule,
			[]time.Time{day(0), day(5), day(20), day(28)}, day(29), time.Time{}, false},
		{"three new ones block again", rule,
			[]time.Time{day(0), day(5), day(20), day(28), day(30), day(33)}, day(34), day(40), true},
		{"future entries are ignored", rule, []time.Time{day(0), day(5), day(40)}, day(10), time.Time{}, false},
		{"limit 0 turns the rule off", hall.NoShowRule{}, []time.Time{day(0), day(1), day(2)}, day(3), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			until, blocked := tt.rule.BlockedUntil(tt.noShows, tt.now)
			if blocked != tt.blocked || !until.Equal(tt.until) {
				t.Errorf("BlockedUntil = %v, %v; want %v, %v", until, blocked, tt.until, tt.blocked)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	sec := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v) * time.Second
		}
		return out
	}
	tests := []struct {
		name   string
		values []time.Duration
		p      float64
		want   time.Duration
		ok     bool
	}{
		{"empty", nil, 50, 0, false},
		{"one value", sec(7), 90, 7 * time.Second, true},
		{"median of ten (nearest rank)", sec(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), 50, 5 * time.Second, true},
		{"p90 of ten", sec(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), 90, 9 * time.Second, true},
		{"p100 is the maximum", sec(3, 1, 2), 100, 3 * time.Second, true},
		{"p0 is refused", sec(3, 1, 2), 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := hall.Percentile(tt.values, tt.p)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Percentile = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRotate(t *testing.T) {
	t.Run("two a day over four people", func(t *testing.T) {
		plan, err := hall.Rotate([]int64{11, 12, 13, 14}, 4, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]int64{{11, 12}, {13, 14}, {11, 12}, {13, 14}}
		if !slices.EqualFunc(plan, want, slices.Equal) {
			t.Fatalf("plan %v, want %v", plan, want)
		}
	})
	t.Run("odd team: shares differ by at most one", func(t *testing.T) {
		staff := []int64{1, 2, 3, 4, 5}
		plan, err := hall.Rotate(staff, 10, 2)
		if err != nil {
			t.Fatal(err)
		}
		count := map[int64]int{}
		for d, day := range plan {
			if len(day) != 2 || day[0] == day[1] {
				t.Fatalf("day %d: %v, want two different people", d, day)
			}
			for _, id := range day {
				count[id]++
			}
		}
		for _, id := range staff {
			if count[id] != 4 {
				t.Errorf("person %d serves %d days of 10, want 4", id, count[id])
			}
		}
	})
	refusals := []struct {
		name   string
		staff  []int64
		days   int
		perDay int
		field  string
	}{
		{"fewer people than places", []int64{1}, 3, 2, "staff"},
		{"nobody a day", []int64{1, 2}, 3, 0, "per_day"},
		{"the same person twice", []int64{1, 1, 2}, 3, 2, "staff[1]"},
		{"negative days", []int64{1, 2}, -1, 1, "days"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := hall.Rotate(tt.staff, tt.days, tt.perDay)
			if !hasField(err, tt.field) {
				t.Fatalf("Rotate: %v, want an error on %s", err, tt.field)
			}
		})
	}
}

func hasField(err error, field string) bool {
	if err == nil {
		return false
	}
	for _, f := range apperr.As(err).Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestSkill(t *testing.T) {
	generalist := hall.Skill{AllItems: true}
	specialist := hall.Skill{Categories: []string{"B"}, Items: []string{"ITEM-1"}}
	community, county := 6, 4
	tests := []struct {
		name   string
		skill  hall.Skill
		item   string
		levels []int
		point  int
		want   bool
	}{
		{"generalist: any item the level allows", generalist, "ITEM-2", []int{4, 5, 6}, community, true},
		{"generalist: not an item of another level", generalist, "ITEM-3", []int{4}, community, false},
		{"specialist: own item", specialist, "ITEM-1", []int{4}, county, true},
		{"specialist: other item", specialist, "ITEM-2", []int{4}, county, false},
		{"specialist: own item, wrong level", specialist, "ITEM-1", []int{4}, community, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.skill.MayHandle(tt.item, tt.levels, tt.point); got != tt.want {
				t.Errorf("MayHandle = %v, want %v", got, tt.want)
			}
		})
	}
	if !generalist.MayServe([]string{"A", "B", "E"}) || !specialist.MayServe([]string{"B"}) || specialist.MayServe([]string{"A", "B"}) {
		t.Error("MayServe: a generalist serves any window, a specialist only windows of their categories")
	}
}

func TestLimiter(t *testing.T) {
	now := at(2026, 10, 12, 9, 0)
	l := hall.NewLimiter(2, time.Minute)
	l.Now = func() time.Time { return now }
	steps := []struct {
		name    string
		advance time.Duration
		key     string
		ok      bool
		wait    time.Duration
	}{
		{"first", 0, "kiosk-1", true, 0},
		{"second", 10 * time.Second, "kiosk-1", true, 0},
		{"third within the minute", 10 * time.Second, "kiosk-1", false, 40 * time.Second},
		{"another key has its own budget", 0, "kiosk-2", true, 0},
		{"a new minute", 40 * time.Second, "kiosk-1", true, 0},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		ok, wait := l.Allow(s.key)
		if ok != s.ok || wait != s.wait {
			t.Errorf("%s: Allow = %v, %v; want %v, %v", s.name, ok, wait, s.ok, s.wait)
		}
	}
}

// A flood of distinct keys inside one window (kiosk keys carry the point
// from the path and the client's address) stays within MaxKeys, and keys of
// a past window make room first.
func TestLimiterKeysBounded(t *testing.T) {
	now := at(2026, 10, 12, 9, 0)
	l := hall.NewLimiter(2, time.Minute)
	l.MaxKeys = 100
	l.Now = func() time.Time { return now }
	for i := range 1000 {
		if ok, _ := l.Allow(fmt.Sprintf("point-%d|10.0.0.1", i)); !ok {
			t.Fatalf("key %d refused on its first event", i)
		}
		if n := l.Len(); n > l.MaxKeys {
			t.Fatalf("after %d keys the limiter remembers %d, more than MaxKeys %d", i+1, n, l.MaxKeys)
		}
	}
	if n := l.Len(); n != l.MaxKeys {
		t.Errorf("Len = %d after the flood, want %d", n, l.MaxKeys)
	}
	// A key still counted keeps its count while there is room.
	l.Allow("kept")
	l.Allow("kept")
	if ok, _ := l.Allow("kept"); ok {
		t.Error("a third event of a remembered key within the window was allowed")
	}
	// Once the window has passed, the old keys make room and a live key stays.
	now = now.Add(time.Minute)
	l.Allow("late")
	if n := l.Len(); n > 2 {
		t.Errorf("Len = %d after the window passed, want the expired keys gone", n)
	}
}
