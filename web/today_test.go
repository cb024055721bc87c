package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/workday"
)

// On the tests' day, whatever it is (a working day, a weekend, a holiday, a
// make-up Saturday, a year past the calendar), the pages agree with the
// hall's hours on the official calendar: an open hall offers a ticket, a
// closed one says when it opens next and takes none; a statutory holiday is
// never open; and the demo's appointments start from that day.
func TestTheHallOnTheTestsDay(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		today := clock.CivilDate(e.clock.Now())
		cal, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		yu := e.as(t, "yuxiulan")
		for _, point := range []string{demo.CountyHall, demo.QingzhouCentre} {
			st, err := e.hall.Status(ctx, point, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if st.Day != workday.FormatDate(today) {
				t.Errorf("%s: the hall's day is %s, want %s", point, st.Day, workday.FormatDate(today))
			}
			if day := cal.Day(today); day.Kind == workday.KindHoliday && st.Open {
				t.Errorf("%s is open on %s, a statutory holiday (%s)", point, st.Day, day.Name)
			}
			page := yu.get("/tickets/take?point=" + point).want(200)
			take := url.Values{"point": {point}, "category": {"A"}}
			if st.Open {
				page.has(`data-open="true"`, `id="take-form"`)
				yu.post("/tickets/take", take).want(http.StatusSeeOther)
				continue
			}
			if st.NextOpen == nil {
				t.Fatalf("%s is closed on %s with no next opening", point, st.Day)
			}
			page.has(`data-open="false"`, "当前不在办公时间", st.NextOpen.In(clock.China).Format("2006-01-02")).lacks(`id="take-form"`)
			yu.post("/tickets/take", take).want(http.StatusConflict).has("当前不在办公时间")
		}

		// The demo loaded on this day offers slots from it on, on opening days.
		slots, err := e.hall.Slots(ctx, demo.QingzhouCentre, hall.SlotFilter{})
		if err != nil || len(slots) == 0 {
			t.Fatalf("slots from %s: %d (%v), want some", workday.FormatDate(today), len(slots), err)
		}
		for _, s := range slots {
			d, _ := workday.ParseDate(s.Day)
			if d.Before(today) || !cal.Day(d).Workday {
				t.Errorf("a slot on %s (from %s on): not an opening day to come", s.Day, workday.FormatDate(today))
			}
		}
	})
}
