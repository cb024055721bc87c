// Package clocktest gives every test the same "now", so that the suite never
// depends on the day it runs and can be run as any other day.
//
// By default the tests run on Tuesday 2026-11-24 at 10:00 China time, a
// working day inside the embedded official calendar, when every demo hall is
// open. Two environment variables move it:
//
//	ONEWINDOW_TEST_TODAY=2026-10-01          that day at 10:00 China time
//	ONEWINDOW_TEST_NOW=2026-10-01T21:30      that day and time, China time
//
// ONEWINDOW_TEST_NOW wins when both are set.
package clocktest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/onewindow/onewindow/clock"
)

// Default is the tests' "now" when neither variable is set.
var Default = time.Date(2026, 11, 24, 10, 0, 0, 0, clock.China)

// Variables that move the tests' clock.
const (
	TodayVar = "ONEWINDOW_TEST_TODAY"
	NowVar   = "ONEWINDOW_TEST_NOW"
)

// Now returns the tests' current time, in China time.
func Now(tb testing.TB) time.Time {
	tb.Helper()
	t, err := FromEnv()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// FromEnv reads the tests' current time from the environment.
func FromEnv() (time.Time, error) {
	if s := os.Getenv(NowVar); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, clock.China)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s=%q: want YYYY-MM-DDTHH:MM (China time)", NowVar, s)
		}
		return t, nil
	}
	if s := os.Getenv(TodayVar); s != "" {
		d, err := time.ParseInLocation("2006-01-02", s, clock.China)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s=%q: want YYYY-MM-DD", TodayVar, s)
		}
		return d.Add(10 * time.Hour), nil
	}
	return Default, nil
}

// Today returns the tests' civil date in China, at midnight UTC.
func Today(tb testing.TB) time.Time {
	tb.Helper()
	return clock.CivilDate(Now(tb))
}

// Date returns the tests' civil date as YYYY-MM-DD.
func Date(tb testing.TB) string {
	tb.Helper()
	return Today(tb).Format("2006-01-02")
}

// Clock returns a clock fixed at the tests' current time.
func Clock(tb testing.TB) clock.Clock {
	tb.Helper()
	return clock.Fixed(Now(tb))
}

// Running returns a clock that starts at the tests' current time and runs
// at the wall clock's pace, for tests whose seconds must pass (expiries,
// live updates).
func Running(tb testing.TB) clock.Clock {
	tb.Helper()
	return clock.Since(Now(tb))
}
