package hall

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/workday"
)

// Kinds of opening period. A lunch period usually lies inside the regular
// hours (a hall open 08:30–17:00 that keeps serving through 11:30–13:30);
// where periods overlap, extended outranks lunch and lunch outranks regular,
// so that services delivered then are counted as such.
const (
	PeriodRegular  = "regular"
	PeriodLunch    = "lunch"    // 午间不间断
	PeriodExtended = "extended" // 延时办
)

var periodRank = map[string]int{PeriodRegular: 1, PeriodLunch: 2, PeriodExtended: 3}

// Period is one weekly opening period of a point.
type Period struct {
	Weekday int    `json:"weekday"` // 1 Monday … 7 Sunday
	Kind    string `json:"kind"`    // regular | lunch | extended
	Opens   string `json:"opens"`   // HH:MM, China time
	Closes  string `json:"closes"`  // HH:MM, after Opens
}

// Hours are a point's weekly opening periods. On the working-day calendar:
// a statutory holiday is closed whatever the weekday; a make-up working day
// (调休上班, a weekend day worked) keeps Monday's hours; an ordinary weekend
// day opens only if the point lists periods for it (周末不打烊).
type Hours []Period

var clockRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// minuteOf reads HH:MM (already validated) as minutes after midnight.
func minuteOf(s string) int {
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return h*60 + m
}

// Validate checks every period and names the wrong ones.
func (h Hours) Validate() error {
	var f apperr.Fields
	type key struct {
		wd         int
		kind, open string
	}
	seen := map[key]bool{}
	for i, p := range h {
		at := fmt.Sprintf("periods[%d]", i)
		if p.Weekday < 1 || p.Weekday > 7 {
			f.Add(at+".weekday", "range", apperr.M("星期须为1（周一）到7（周日）", "weekday must be 1 (Monday) to 7 (Sunday)"))
		}
		if _, ok := periodRank[p.Kind]; !ok {
			f.Add(at+".kind", "unknown", apperr.M("时段类型须为 regular、lunch（午间不间断）或 extended（延时办）",
				"kind must be regular, lunch or extended"))
		}
		okOpen, okClose := clockRE.MatchString(p.Opens), clockRE.MatchString(p.Closes)
		if !okOpen {
			f.Add(at+".opens", "format", apperr.M("时间格式须为 HH:MM", "time must be HH:MM"))
		}
		if !okClose {
			f.Add(at+".closes", "format", apperr.M("时间格式须为 HH:MM", "time must be HH:MM"))
		}
		if okOpen && okClose && minuteOf(p.Closes) <= minuteOf(p.Opens) {
			f.Add(at+".closes", "order", apperr.M("结束时间须晚于开始时间", "closes must be after opens"))
		}
		k := key{p.Weekday, p.Kind, p.Opens}
		if seen[k] {
			f.Add(at, "duplicate", apperr.M("时段重复", "this period is listed twice"))
		}
		seen[k] = true
	}
	return f.Err()
}

// interval is one opening period resolved on a date.
type interval struct {
	from, to time.Time
	kind     string
}

// civilDate returns the civil date of t in China at 00:00 UTC, the form the
// calendar expects.
func civilDate(t time.Time) time.Time {
	l := t.In(chinaTime)
	return workday.Date(l.Year(), l.Month(), l.Day())
}

// weekdayOf numbers a civil date's weekday 1 (Monday) … 7 (Sunday).
func weekdayOf(d time.Time) int {
	wd := int(d.Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// periodsOn returns the periods that apply on a civil date.
func (h Hours) periodsOn(date time.Time, cal workday.Calendar) []Period {
	day := cal.Day(date)
	wd := weekdayOf(date)
	switch {
	case day.Kind == workday.KindHoliday:
		return nil
	case day.Kind == workday.KindMakeup:
		wd = 1
	}
	var out []Period
	for _, p := range h {
		if p.Weekday == wd {
			out = append(out, p)
		}
	}
	return out
}

// intervalsOn resolves the periods of a civil date into instants.
func (h Hours) intervalsOn(date time.Time, cal workday.Calendar) []interval {
	ps := h.periodsOn(date, cal)
	out := make([]interval, 0, len(ps))
	base := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, chinaTime)
	for _, p := range ps {
		out = append(out, interval{
			from: base.Add(time.Duration(minuteOf(p.Opens)) * time.Minute),
			to:   base.Add(time.Duration(minuteOf(p.Closes)) * time.Minute),
			kind: p.Kind,
		})
	}
	slices.SortFunc(out, func(a, b interval) int { return a.from.Compare(b.from) })
	return out
}

// At reports whether the point is open at t and in which kind of period.
func (h Hours) At(t time.Time, cal workday.Calendar) (kind string, open bool) {
	for _, iv := range h.intervalsOn(civilDate(t), cal) {
		if !t.Before(iv.from) && t.Before(iv.to) && periodRank[iv.kind] > periodRank[kind] {
			kind, open = iv.kind, true
		}
	}
	return kind, open
}

// Covers reports whether the point is open for the whole of [from, to): the
// test a bookable slot must pass.
func (h Hours) Covers(from, to time.Time, cal workday.Calendar) bool {
	if !to.After(from) || civilDate(from) != civilDate(to.Add(-time.Nanosecond)) {
		return false
	}
	// Walk forward through the intervals that touch the span; gaps fail.
	ivs := h.intervalsOn(civilDate(from), cal)
	reached := from
	for changed := true; changed && reached.Before(to); {
		changed = false
		for _, iv := range ivs {
			if !iv.from.After(reached) && iv.to.After(reached) {
				reached, changed = iv.to, true
			}
		}
	}
	return !reached.Before(to)
}

// nextOpeningHorizon bounds the search for the next opening: a point closed
// for longer than this is reported as having no known opening.
const nextOpeningHorizon = 62

// NextOpening returns the first instant after t at which a period starts,
// and false when none starts within two months.
func (h Hours) NextOpening(t time.Time, cal workday.Calendar) (time.Time, bool) {
	date := civilDate(t)
	for i := range nextOpeningHorizon {
		for _, iv := range h.intervalsOn(date.AddDate(0, 0, i), cal) {
			if iv.from.After(t) {
				return iv.from, true
			}
		}
	}
	return time.Time{}, false
}

var weekdayZH = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// closedError is the refusal of anything that needs the point open, saying
// when it opens next.
func closedError(next time.Time, ok bool) *apperr.Error {
	if !ok {
		return apperr.New(apperr.Conflict, "point_closed",
			apperr.M("当前不在办公时间，近期没有开放安排", "the point is closed and has no opening in the coming weeks"))
	}
	l := next.In(chinaTime)
	zh := fmt.Sprintf("当前不在办公时间，下次开放时间：%d月%d日（%s）%s", l.Month(), l.Day(), weekdayZH[l.Weekday()], l.Format("15:04"))
	en := fmt.Sprintf("the point is closed; it opens next on %s at %s", l.Format("Monday 2 January 2006"), l.Format("15:04"))
	return apperr.New(apperr.Conflict, "point_closed", apperr.M(zh, en)).With("next_open", l.Format(time.RFC3339))
}
