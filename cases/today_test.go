package cases_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// A case accepted on the tests' day, whatever it is: its number carries
// that day in China, its due dates are the official calendar's count from
// it (5 and 10 working days; on a holiday or a weekend the count starts all
// the same, the day after), it is on time that day, and past the years the calendar knows, the case
// says its dates were counted on weekdays only.
func TestACaseAcceptedOnTheTestsDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.now = clocktest.Now(t)
		today := clock.CivilDate(f.now)
		cal, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		if want := "-" + today.Format("20060102") + "-"; !strings.Contains(c.Number, want) {
			t.Errorf("case number %s lacks the day %s", c.Number, want)
		}
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
		promised, fb1 := cal.Add(today, 5)
		legal, fb2 := cal.Add(today, 10)
		if c.PromisedDue != workday.FormatDate(promised) || c.LegalDue != workday.FormatDate(legal) {
			t.Errorf("accepted on %s: due %s (legal %s), want %s (%s)", workday.FormatDate(today), c.PromisedDue, c.LegalDue,
				workday.FormatDate(promised), workday.FormatDate(legal))
		}
		if c.CalendarFallback != (fb1 || fb2) {
			t.Errorf("calendar fallback %v, want %v (the calendar's own answer)", c.CalendarFallback, fb1 || fb2)
		}
		if !promised.After(today) || promised.After(legal) {
			t.Errorf("due %s and legal %s from %s: not after the day, or out of order", c.PromisedDue, c.LegalDue, workday.FormatDate(today))
		}
		// On the day of acceptance five working days are left: on time.
		if sla := f.svc.SLA(&c); sla.Status != cases.SLAOnTime || sla.Due != c.PromisedDue {
			t.Errorf("on the day of acceptance, SLA %+v, want on time until %s", sla, c.PromisedDue)
		}
	})
}
