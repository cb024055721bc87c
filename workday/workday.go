// Package workday is the working-day calendar behind every time limit: weekends,
// statutory holidays and make-up working days (调休), and due dates counted on them.
package workday

import (
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
)

// Calendar tells working days from days off and counts time limits on them.
// Dates are civil dates: a time.Time whose own year, month and day are used
// (the constructors here give 00:00 UTC); convert instants with DateOf first.
type Calendar interface {
	// Day tells whether d (a civil date) is a working day, and why.
	Day(d time.Time) Day
	// Add returns the due date of an n-working-day limit started on start: counting starts the day after start;
	// the due date is the n-th working day after start; n == 0 (即办件) is due on start itself when start is a working
	// day, else on the next working day. Fallback is true when any day looked at lies outside the years with data.
	Add(start time.Time, n int) (due time.Time, fallback bool)
	// Between counts the working days d with a < d <= b (0 when b <= a).
	Between(a, b time.Time) (n int, fallback bool)
}

// Kinds of day.
const (
	KindWorkday = "workday" // Monday to Friday, no holiday
	KindWeekend = "weekend" // Saturday or Sunday, no make-up work
	KindHoliday = "holiday" // a day of a statutory holiday period, whatever the weekday
	KindMakeup  = "makeup"  // a weekend day worked in exchange for a holiday (调休上班)
)

// Day is one date of the calendar.
type Day struct {
	Date    time.Time
	Workday bool
	Kind    string // KindWorkday, KindWeekend, KindHoliday or KindMakeup
	Name    string // the holiday, for holidays and make-up days: 春节 …
	NameEN  string // the holiday in English: Spring Festival …
	// Fallback is true when the calendar has no data for the date's year and
	// only weekends were taken into account.
	Fallback bool
}

// MaxWorkingDays bounds n in Add: statutory limits are at most a few hundred
// working days, and larger values would only overflow the date arithmetic.
const MaxWorkingDays = 1_000_000

// chinaTime is China Standard Time, fixed so that no tzdata is needed.
var chinaTime = time.FixedZone("CST", 8*3600)

// Date returns the civil date y-m-d (normalised like time.Date) at 00:00 UTC.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the civil date in China of an instant.
func DateOf(instant time.Time) time.Time {
	return civil(instant.In(chinaTime))
}

// civil keeps the year, month and day of t as they read in t's own location.
func civil(t time.Time) time.Time {
	return Date(t.Year(), t.Month(), t.Day())
}

// ParseDate reads a civil date written YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, "bad_date", apperr.M(
			fmt.Sprintf("“%s”不是有效日期，日期应写作 YYYY-MM-DD，如 2025-10-08", s),
			fmt.Sprintf("%q is not a valid date; write dates as YYYY-MM-DD, e.g. 2025-10-08", s)))
	}
	return t, nil
}

// FormatDate writes the civil date of t as YYYY-MM-DD.
func FormatDate(t time.Time) string {
	return t.Format(time.DateOnly)
}

// MondayFriday is the simple calendar: Monday to Friday are working days,
// nothing else is known. It never reports Fallback.
type MondayFriday struct{}

var _ Calendar = MondayFriday{}

// Day reports d as a working day from Monday to Friday.
func (MondayFriday) Day(d time.Time) Day {
	return weekdayRule(civil(d))
}

// Add returns the n-th weekday after start, or for n == 0 start itself or the
// following Monday. A negative n counts as 0.
func (MondayFriday) Add(start time.Time, n int) (time.Time, bool) {
	start = civil(start)
	if n <= 0 {
		for isWeekend(start) {
			start = start.AddDate(0, 0, 1)
		}
		return start, false
	}
	return nthWeekdayAfter(start, min(n, MaxWorkingDays)), false
}

// Between counts the weekdays d with a < d <= b.
func (MondayFriday) Between(a, b time.Time) (int, bool) {
	return weekdaysBetween(civil(a), civil(b)), false
}

func weekdayRule(d time.Time) Day {
	if isWeekend(d) {
		return Day{Date: d, Kind: KindWeekend}
	}
	return Day{Date: d, Workday: true, Kind: KindWorkday}
}

func isWeekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// The weekday arithmetic works on day numbers counted from Monday 1970-01-05,
// so that day k is a weekday exactly when k mod 7 < 5.
const secondsPerDay = 86400

var mondayEpoch = Date(1970, 1, 5).Unix() / secondsPerDay

// dayNumber numbers a civil date (00:00 UTC); Unix seconds avoid the 290-year
// limit of time.Duration.
func dayNumber(d time.Time) int64 {
	return floorDiv(d.Unix(), secondsPerDay) - mondayEpoch
}

func fromDayNumber(k int64) time.Time {
	return time.Unix((k+mondayEpoch)*secondsPerDay, 0).UTC()
}

// weekdaysBefore counts the weekdays among day numbers [0, k) (negative for k < 0).
func weekdaysBefore(k int64) int64 {
	return 5*floorDiv(k, 7) + min(floorMod(k, 7), 5)
}

// weekdaysBetween counts the weekdays d with a < d <= b.
func weekdaysBetween(a, b time.Time) int {
	if !b.After(a) {
		return 0
	}
	return int(weekdaysBefore(dayNumber(b)+1) - weekdaysBefore(dayNumber(a)+1))
}

// nthWeekdayAfter returns the n-th weekday (n >= 1) after a.
func nthWeekdayAfter(a time.Time, n int) time.Time {
	// Weekdays are indexed 0, 1, 2 … from day 0; the one with index i lies on
	// day 7*(i div 5) + i mod 5.
	i := weekdaysBefore(dayNumber(a)+1) + int64(n) - 1
	return fromDayNumber(7*floorDiv(i, 5) + floorMod(i, 5))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	return a - b*floorDiv(a, b)
}
