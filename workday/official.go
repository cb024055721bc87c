package workday

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
)

// The holidays of the years shipped with the binary, from the State Council
// General Office notices named in the file.
//
//go:embed data/holidays.json
var embeddedYears []byte

// YearData is one year's holiday arrangement as announced by the State Council
// General Office (国务院办公厅关于…年部分节假日安排的通知).
type YearData struct {
	Year     int
	Notice   Notice
	Holidays []Holiday
}

// Notice names the document a year's arrangement comes from.
type Notice struct {
	Title  string    // 国务院办公厅关于2025年部分节假日安排的通知
	Number string    // 国办发明电〔2024〕12号; empty when not known
	Date   time.Time // date of issue; zero when not known
}

// Holiday is one holiday period with the make-up working days that pay for it.
type Holiday struct {
	Name   string      // 春节
	NameEN string      // Spring Festival
	From   time.Time   // first day off
	To     time.Time   // last day off (inclusive)
	Makeup []time.Time // weekend days worked instead (调休上班)
}

// Official is the official calendar: the embedded years, any year an
// administrator adds, and Monday to Friday (flagged as Fallback) elsewhere.
// It is safe for concurrent use; the zero value has no years yet.
type Official struct {
	mu    sync.RWMutex
	years map[int]*yearTable
}

var _ Calendar = (*Official)(nil)

type yearTable struct {
	data  YearData
	marks [366]mark // by day of the year, from 0
}

// mark is what the notice says about a date; an empty kind leaves the date to
// the weekday rule.
type mark struct {
	kind         string
	name, nameEN string
}

// NewOfficial returns the official calendar with the embedded years.
func NewOfficial() (*Official, error) {
	years, err := ParseYears(bytes.NewReader(embeddedYears))
	if err != nil {
		return nil, fmt.Errorf("workday: embedded holiday data: %w", err)
	}
	o := &Official{years: map[int]*yearTable{}}
	for _, y := range years {
		if err := o.SetYear(y); err != nil {
			return nil, fmt.Errorf("workday: embedded holiday data: %w", err)
		}
	}
	return o, nil
}

// SetYear adds a year or replaces it. Dates count by their own year, month and
// day. The data is validated as ParseYears does; errors are apperr field errors
// named after the fields ("holidays[1].to").
func (o *Official) SetYear(y YearData) error {
	y = civilYear(y)
	var f apperr.Fields
	for _, is := range validateYear(y) {
		f.Add(is.path, is.code, is.msg)
	}
	if err := f.Err(); err != nil {
		return err
	}
	t := &yearTable{data: y}
	for _, h := range t.data.Holidays {
		for d := h.From; !d.After(h.To); d = d.AddDate(0, 0, 1) {
			t.marks[d.YearDay()-1] = mark{kind: KindHoliday, name: h.Name, nameEN: h.NameEN}
		}
		for _, d := range h.Makeup {
			t.marks[d.YearDay()-1] = mark{kind: KindMakeup, name: h.Name, nameEN: h.NameEN}
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.years == nil {
		o.years = map[int]*yearTable{}
	}
	o.years[y.Year] = t
	return nil
}

// Years returns the years with data, in order.
func (o *Official) Years() []int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	years := make([]int, 0, len(o.years))
	for y := range o.years {
		years = append(years, y)
	}
	slices.Sort(years)
	return years
}

// Year returns the arrangement loaded for year y.
func (o *Official) Year(y int) (YearData, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	t, ok := o.years[y]
	if !ok {
		return YearData{}, false
	}
	return cloneYear(t.data), true
}

// Day tells whether d is a working day, and why.
func (o *Official) Day(d time.Time) Day {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.day(civil(d))
}

func (o *Official) day(d time.Time) Day {
	t, ok := o.years[d.Year()]
	if !ok {
		day := weekdayRule(d)
		day.Fallback = true
		return day
	}
	m := t.marks[d.YearDay()-1]
	switch m.kind {
	case KindHoliday:
		return Day{Date: d, Kind: KindHoliday, Name: m.name, NameEN: m.nameEN}
	case KindMakeup:
		return Day{Date: d, Workday: true, Kind: KindMakeup, Name: m.name, NameEN: m.nameEN}
	}
	return weekdayRule(d)
}

// Add returns the due date of an n-working-day limit started on start (see
// Calendar). A negative n counts as 0.
func (o *Official) Add(start time.Time, n int) (time.Time, bool) {
	start = civil(start)
	n = min(max(n, 0), MaxWorkingDays)
	o.mu.RLock()
	defer o.mu.RUnlock()
	fallback := false
	if n == 0 {
		for d := start; ; d = d.AddDate(0, 0, 1) {
			day := o.day(d)
			fallback = fallback || day.Fallback
			if day.Workday {
				return d, fallback
			}
		}
	}
	d := start
	for {
		y := d.AddDate(0, 0, 1).Year()
		if _, ok := o.years[y]; ok {
			// Walk the year with data day by day.
			for end := Date(y, 12, 31); d.Before(end); {
				d = d.AddDate(0, 0, 1)
				if o.day(d).Workday {
					if n--; n == 0 {
						return d, fallback
					}
				}
			}
			continue
		}
		// Jump over the years without data with weekday arithmetic.
		fallback = true
		next, found := o.nextYearWithData(y)
		if !found {
			return nthWeekdayAfter(d, n), true
		}
		end := Date(next-1, 12, 31)
		c := weekdaysBetween(d, end)
		if c >= n {
			return nthWeekdayAfter(d, n), true
		}
		n -= c
		d = end
	}
}

// Between counts the working days d with a < d <= b.
func (o *Official) Between(a, b time.Time) (int, bool) {
	a, b = civil(a), civil(b)
	o.mu.RLock()
	defer o.mu.RUnlock()
	count, fallback := 0, false
	for d := a; d.Before(b); {
		y := d.AddDate(0, 0, 1).Year()
		if _, ok := o.years[y]; ok {
			for end := earlier(b, Date(y, 12, 31)); d.Before(end); {
				d = d.AddDate(0, 0, 1)
				if o.day(d).Workday {
					count++
				}
			}
			continue
		}
		fallback = true
		end := b
		if next, found := o.nextYearWithData(y); found {
			end = earlier(b, Date(next-1, 12, 31))
		}
		count += weekdaysBetween(d, end)
		d = end
	}
	return count, fallback
}

// nextYearWithData returns the first year after y that has data.
func (o *Official) nextYearWithData(y int) (int, bool) {
	next, found := 0, false
	for year := range o.years {
		if year > y && (!found || year < next) {
			next, found = year, true
		}
	}
	return next, found
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func cloneYear(y YearData) YearData {
	y.Holidays = slices.Clone(y.Holidays)
	for i := range y.Holidays {
		y.Holidays[i].Makeup = slices.Clone(y.Holidays[i].Makeup)
	}
	return y
}

// civilYear returns a copy of y with every date made a civil date, so that a
// caller's time zone cannot shift a holiday.
func civilYear(y YearData) YearData {
	y = cloneYear(y)
	y.Notice.Date = civil(y.Notice.Date)
	for i := range y.Holidays {
		h := &y.Holidays[i]
		h.From, h.To = civil(h.From), civil(h.To)
		for j, d := range h.Makeup {
			h.Makeup[j] = civil(d)
		}
	}
	return y
}
