package enterprise

import (
	"testing"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// A request raised on the tests' day, whatever it is, gets the 1/2/3-day
// rule counted on the official calendar from the day after it: three
// successive working days (so after a holiday or a weekend, not on it),
// flagged when they lie past the years the calendar knows.
func TestARequestRaisedOnTheTestsDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.now = clocktest.Now(t)
		today := clock.CivilDate(f.now)
		cal, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		d := f.raise(f.ent, string(CategoryLand), "新建厂房用地需调整城镇开发边界。")
		if d.Clock.Start != workday.FormatDate(today) {
			t.Errorf("the round starts %s, want %s", d.Clock.Start, workday.FormatDate(today))
		}
		var fallback bool
		prev := today
		for i, due := range []string{d.Clock.AcceptDue, d.Clock.ProposeDue, d.Clock.MeetingDue} {
			want, fb := cal.Add(today, i+1)
			fallback = fallback || fb
			got, err := workday.ParseDate(due)
			if err != nil || !got.Equal(want) {
				t.Errorf("day %d due %s, want %s", i+1, due, workday.FormatDate(want))
			}
			if day := cal.Day(got); !got.After(prev) || !day.Workday {
				t.Errorf("day %d due %s: not a working day after %s", i+1, due, workday.FormatDate(prev))
			}
			prev = got
		}
		if d.Clock.Fallback != fallback {
			t.Errorf("fallback %v, want %v", d.Clock.Fallback, fallback)
		}
	})
}
