package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// The demo's halls are prepared from the day it is loaded: ten opening days
// of slots and of 青州社区's roster, whatever that day is.
func TestDemoHallStartsOnTheDayItIsLoaded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := clocktest.Now(t)
		if _, err := demo.Load(ctx, db, now); err != nil {
			t.Fatal(err)
		}
		checkPrepared(t, db, now)
	})
}

// A demo left running for a month still has slots and a roster: the
// scheduled job adds the days that came into reach, keeps what a hall
// manager changed, and adds nothing when nothing is missing.
func TestDemoHallKeptAsTheDaysPass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := clocktest.Now(t)
		if _, err := demo.Load(ctx, db, now); err != nil {
			t.Fatal(err)
		}
		if n, err := demo.KeepHall(ctx, db, now); err != nil || n != 0 {
			t.Fatalf("kept the hall on the day it was loaded: %d days added (%v), want 0", n, err)
		}

		// A hall manager takes one prepared day off the roster's rotation.
		svc := hallAt(t, db, now)
		manager := staffUser(t, db, "qz_dating")
		roster := must(svc.Roster(ctx, manager, demo.QingzhouCentre, day(now, 0), day(now, 60))).ok(t)
		edited := roster[len(roster)-1].Day
		if _, err := svc.PutRoster(ctx, manager, demo.QingzhouCentre, edited, []hall.RosterEntry{{Day: edited, UserID: roster[0].UserID}}); err != nil {
			t.Fatal(err)
		}

		later := now.AddDate(0, 1, 0)
		added, err := demo.KeepHall(ctx, db, later)
		if err != nil || added == 0 {
			t.Fatalf("a month later: %d days added (%v), want some", added, err)
		}
		checkPrepared(t, db, later)
		if n, err := demo.KeepHall(ctx, db, later); err != nil || n != 0 {
			t.Fatalf("kept twice: %d days added the second time (%v), want 0", n, err)
		}
		after := must(svc.Roster(ctx, manager, demo.QingzhouCentre, edited, edited)).ok(t)
		if len(after) != 1 || after[0].UserID != roster[0].UserID {
			t.Errorf("the manager's day %s was changed by the job: %+v", edited, after)
		}
	})
}

// checkPrepared checks that from now's day on, the next ten opening days
// have slots in every bookable category and 青州社区 two people on duty.
func checkPrepared(t *testing.T, db *store.DB, now time.Time) {
	t.Helper()
	ctx := context.Background()
	svc := hallAt(t, db, now)
	for _, point := range []string{demo.CountyHall, demo.QingzhouCentre} {
		slots := must(svc.Slots(ctx, point, hall.SlotFilter{From: day(now, 0), To: day(now, 60), Category: "A"})).ok(t)
		if got := openingDays(slots); len(got) != 10 || got[0] < day(now, 0) {
			t.Errorf("%s on %s: slots on %d days %v, want the next 10 opening days", point, day(now, 0), len(got), got)
		}
	}
	roster := must(svc.Roster(ctx, staffUser(t, db, "qz_dating"), demo.QingzhouCentre, day(now, 0), day(now, 60))).ok(t)
	perDay := map[string]int{}
	for _, e := range roster {
		perDay[e.Day]++
	}
	if len(perDay) != 10 {
		t.Errorf("on %s the roster covers %d days, want 10: %v", day(now, 0), len(perDay), perDay)
	}
	cal, _ := workday.NewOfficial()
	for d, n := range perDay {
		date, _ := workday.ParseDate(d)
		if n < 1 || n > 2 || !cal.Day(date).Workday {
			t.Errorf("roster day %s: %d on duty (working day: %v), want 1–2 on a working day", d, n, cal.Day(date).Workday)
		}
	}
}

func openingDays(slots []hall.Slot) []string {
	var days []string
	for _, s := range slots {
		days = append(days, s.Day)
	}
	slices.Sort(days)
	return slices.Compact(days)
}

func hallAt(t *testing.T, db *store.DB, now time.Time) *hall.Service {
	t.Helper()
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	return hall.NewService(db, cal, network.NewStore(db), catalog.NewStore(db), nil, clock.Fixed(now))
}

func staffUser(t *testing.T, db *store.DB, username string) auth.User {
	t.Helper()
	u, err := auth.NewStore(db).UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// day is now's civil date in China plus n days, as YYYY-MM-DD.
func day(now time.Time, n int) string {
	return workday.FormatDate(clock.CivilDate(now).AddDate(0, 0, n))
}

// result carries a value and an error, so that must(call()).ok(t) fails
// the test on an error in one line.
type result[T any] struct {
	v   T
	err error
}

func must[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) ok(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}
