package workday

import (
	"math/rand"
	"testing"
	"time"
)

// officialDays lists every day off and every make-up working day of the
// notices, written out from their text rather than from the embedded file:
// 国办发明电〔2023〕7号 (2024), 国办发明电〔2024〕12号 (2025) and the notice of
// 4 November 2025 (2026).
var officialDays = []struct {
	date, kind, name string
}{
	// 2024
	{"2024-01-01", KindHoliday, "元旦"},  // Mon
	{"2024-02-04", KindMakeup, "春节"},   // Sun
	{"2024-02-10", KindHoliday, "春节"},  // Sat
	{"2024-02-11", KindHoliday, "春节"},  // Sun
	{"2024-02-12", KindHoliday, "春节"},  // Mon
	{"2024-02-13", KindHoliday, "春节"},  // Tue
	{"2024-02-14", KindHoliday, "春节"},  // Wed
	{"2024-02-15", KindHoliday, "春节"},  // Thu
	{"2024-02-16", KindHoliday, "春节"},  // Fri
	{"2024-02-17", KindHoliday, "春节"},  // Sat
	{"2024-02-18", KindMakeup, "春节"},   // Sun
	{"2024-04-04", KindHoliday, "清明节"}, // Thu
	{"2024-04-05", KindHoliday, "清明节"}, // Fri
	{"2024-04-06", KindHoliday, "清明节"}, // Sat
	{"2024-04-07", KindMakeup, "清明节"},  // Sun
	{"2024-04-28", KindMakeup, "劳动节"},  // Sun
	{"2024-05-01", KindHoliday, "劳动节"}, // Wed
	{"2024-05-02", KindHoliday, "劳动节"}, // Thu
	{"2024-05-03", KindHoliday, "劳动节"}, // Fri
	{"2024-05-04", KindHoliday, "劳动节"}, // Sat
	{"2024-05-05", KindHoliday, "劳动节"}, // Sun
	{"2024-05-11", KindMakeup, "劳动节"},  // Sat
	{"2024-06-10", KindHoliday, "端午节"}, // Mon
	{"2024-09-14", KindMakeup, "中秋节"},  // Sat
	{"2024-09-15", KindHoliday, "中秋节"}, // Sun
	{"2024-09-16", KindHoliday, "中秋节"}, // Mon
	{"2024-09-17", KindHoliday, "中秋节"}, // Tue
	{"2024-09-29", KindMakeup, "国庆节"},  // Sun
	{"2024-10-01", KindHoliday, "国庆节"}, // Tue
	{"2024-10-02", KindHoliday, "国庆节"}, // Wed
	{"2024-10-03", KindHoliday, "国庆节"}, // Thu
	{"2024-10-04", KindHoliday, "国庆节"}, // Fri
	{"2024-10-05", KindHoliday, "国庆节"}, // Sat
	{"2024-10-06", KindHoliday, "国庆节"}, // Sun
	{"2024-10-07", KindHoliday, "国庆节"}, // Mon
	{"2024-10-12", KindMakeup, "国庆节"},  // Sat
	// 2025
	{"2025-01-01", KindHoliday, "元旦"},      // Wed
	{"2025-01-26", KindMakeup, "春节"},       // Sun
	{"2025-01-28", KindHoliday, "春节"},      // Tue
	{"2025-01-29", KindHoliday, "春节"},      // Wed
	{"2025-01-30", KindHoliday, "春节"},      // Thu
	{"2025-01-31", KindHoliday, "春节"},      // Fri
	{"2025-02-01", KindHoliday, "春节"},      // Sat
	{"2025-02-02", KindHoliday, "春节"},      // Sun
	{"2025-02-03", KindHoliday, "春节"},      // Mon
	{"2025-02-04", KindHoliday, "春节"},      // Tue
	{"2025-02-08", KindMakeup, "春节"},       // Sat
	{"2025-04-04", KindHoliday, "清明节"},     // Fri
	{"2025-04-05", KindHoliday, "清明节"},     // Sat
	{"2025-04-06", KindHoliday, "清明节"},     // Sun
	{"2025-04-27", KindMakeup, "劳动节"},      // Sun
	{"2025-05-01", KindHoliday, "劳动节"},     // Thu
	{"2025-05-02", KindHoliday, "劳动节"},     // Fri
	{"2025-05-03", KindHoliday, "劳动节"},     // Sat
	{"2025-05-04", KindHoliday, "劳动节"},     // Sun
	{"2025-05-05", KindHoliday, "劳动节"},     // Mon
	{"2025-05-31", KindHoliday, "端午节"},     // Sat
	{"2025-06-01", KindHoliday, "端午节"},     // Sun
	{"2025-06-02", KindHoliday, "端午节"},     // Mon
	{"2025-09-28", KindMakeup, "国庆节、中秋节"},  // Sun
	{"2025-10-01", KindHoliday, "国庆节、中秋节"}, // Wed
	{"2025-10-02", KindHoliday, "国庆节、中秋节"}, // Thu
	{"2025-10-03", KindHoliday, "国庆节、中秋节"}, // Fri
	{"2025-10-04", KindHoliday, "国庆节、中秋节"}, // Sat
	{"2025-10-05", KindHoliday, "国庆节、中秋节"}, // Sun
	{"2025-10-06", KindHoliday, "国庆节、中秋节"}, // Mon
	{"2025-10-07", KindHoliday, "国庆节、中秋节"}, // Tue
	{"2025-10-08", KindHoliday, "国庆节、中秋节"}, // Wed
	{"2025-10-11", KindMakeup, "国庆节、中秋节"},  // Sat
	// 2026
	{"2026-01-01", KindHoliday, "元旦"},  // Thu
	{"2026-01-02", KindHoliday, "元旦"},  // Fri
	{"2026-01-03", KindHoliday, "元旦"},  // Sat
	{"2026-01-04", KindMakeup, "元旦"},   // Sun
	{"2026-02-14", KindMakeup, "春节"},   // Sat
	{"2026-02-15", KindHoliday, "春节"},  // Sun
	{"2026-02-16", KindHoliday, "春节"},  // Mon
	{"2026-02-17", KindHoliday, "春节"},  // Tue
	{"2026-02-18", KindHoliday, "春节"},  // Wed
	{"2026-02-19", KindHoliday, "春节"},  // Thu
	{"2026-02-20", KindHoliday, "春节"},  // Fri
	{"2026-02-21", KindHoliday, "春节"},  // Sat
	{"2026-02-22", KindHoliday, "春节"},  // Sun
	{"2026-02-23", KindHoliday, "春节"},  // Mon
	{"2026-02-28", KindMakeup, "春节"},   // Sat
	{"2026-04-04", KindHoliday, "清明节"}, // Sat
	{"2026-04-05", KindHoliday, "清明节"}, // Sun
	{"2026-04-06", KindHoliday, "清明节"}, // Mon
	{"2026-05-01", KindHoliday, "劳动节"}, // Fri
	{"2026-05-02", KindHoliday, "劳动节"}, // Sat
	{"2026-05-03", KindHoliday, "劳动节"}, // Sun
	{"2026-05-04", KindHoliday, "劳动节"}, // Mon
	{"2026-05-05", KindHoliday, "劳动节"}, // Tue
	{"2026-05-09", KindMakeup, "劳动节"},  // Sat
	{"2026-06-19", KindHoliday, "端午节"}, // Fri
	{"2026-06-20", KindHoliday, "端午节"}, // Sat
	{"2026-06-21", KindHoliday, "端午节"}, // Sun
	{"2026-09-25", KindHoliday, "中秋节"}, // Fri
	{"2026-09-26", KindHoliday, "中秋节"}, // Sat
	{"2026-09-27", KindHoliday, "中秋节"}, // Sun
	{"2026-09-20", KindMakeup, "国庆节"},  // Sun
	{"2026-10-01", KindHoliday, "国庆节"}, // Thu
	{"2026-10-02", KindHoliday, "国庆节"}, // Fri
	{"2026-10-03", KindHoliday, "国庆节"}, // Sat
	{"2026-10-04", KindHoliday, "国庆节"}, // Sun
	{"2026-10-05", KindHoliday, "国庆节"}, // Mon
	{"2026-10-06", KindHoliday, "国庆节"}, // Tue
	{"2026-10-07", KindHoliday, "国庆节"}, // Wed
	{"2026-10-10", KindMakeup, "国庆节"},  // Sat
}

func newOfficial(t *testing.T) *Official {
	t.Helper()
	o, err := NewOfficial()
	if err != nil {
		t.Fatalf("NewOfficial: %v", err)
	}
	return o
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestOfficialDays(t *testing.T) {
	o := newOfficial(t)
	listed := map[string]bool{}
	for _, tt := range officialDays {
		listed[tt.date] = true
		t.Run(tt.date, func(t *testing.T) {
			day := o.Day(mustDate(t, tt.date))
			wantWorkday := tt.kind == KindMakeup
			if day.Kind != tt.kind || day.Name != tt.name || day.Workday != wantWorkday || day.Fallback {
				t.Errorf("Day(%s) = %+v, want kind %s, name %s, workday %v", tt.date, day, tt.kind, tt.name, wantWorkday)
			}
			if day.NameEN == "" {
				t.Errorf("Day(%s) has no English name", tt.date)
			}
		})
	}
	// Every other day of the three years follows the weekday rule, so the list
	// above is the whole of the notices.
	for d := Date(2024, 1, 1); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
		if listed[FormatDate(d)] {
			continue
		}
		day := o.Day(d)
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		if day.Workday == weekend || day.Name != "" || day.Fallback || !day.Date.Equal(d) {
			t.Errorf("Day(%s, %s) = %+v, want an ordinary day", FormatDate(d), d.Weekday(), day)
		}
	}
}

func TestWorkingDaysPerYear(t *testing.T) {
	// Counted by hand: weekdays in the year, minus days off on weekdays, plus make-up days.
	// 2024: 262 − (1+5+2+3+1+2+5) + 8 = 251; 2025: 261 − (1+6+1+3+1+6) + 5 = 248;
	// 2026: 261 − (2+6+1+3+1+1+5) + 6 = 248.
	o := newOfficial(t)
	for year, want := range map[int]int{2024: 251, 2025: 248, 2026: 248} {
		got, fallback := o.Between(Date(year-1, 12, 31), Date(year, 12, 31))
		if got != want || fallback {
			t.Errorf("working days in %d = %d (fallback %v), want %d", year, got, fallback, want)
		}
	}
}

func TestOfficialAdd(t *testing.T) {
	o := newOfficial(t)
	tests := []struct {
		name     string
		start    string
		n        int
		want     string
		fallback bool
	}{
		{"国庆 2026: three days end on the make-up Saturday", "2026-09-30", 3, "2026-10-10", false},
		{"国庆 2026: first day after the holiday", "2026-09-30", 1, "2026-10-08", false},
		{"国庆 2026: make-up Sunday before", "2026-09-18", 1, "2026-09-20", false},
		{"春节 2026: make-up Saturday is the next working day", "2026-02-13", 1, "2026-02-14", false},
		{"春节 2026: then the holiday", "2026-02-13", 2, "2026-02-24", false},
		{"春节 2026: second make-up Saturday", "2026-02-13", 6, "2026-02-28", false},
		{"春节 2025: make-up Sunday", "2025-01-24", 1, "2025-01-26", false},
		{"春节 2025: across the holiday", "2025-01-24", 3, "2025-02-05", false},
		{"国庆 2025: eight days off", "2025-09-30", 1, "2025-10-09", false},
		{"国庆 2025: make-up Saturday", "2025-09-30", 3, "2025-10-11", false},
		{"国庆 2025: twenty days", "2025-09-15", 20, "2025-10-17", false},
		{"元旦 2026: make-up Sunday right after", "2025-12-31", 1, "2026-01-04", false},
		{"元旦 2025", "2024-12-31", 1, "2025-01-02", false},
		{"started on a holiday", "2026-10-03", 1, "2026-10-08", false},
		{"即办件 on a working day", "2026-02-13", 0, "2026-02-13", false},
		{"即办件 on a make-up day", "2026-02-14", 0, "2026-02-14", false},
		{"即办件 on a holiday", "2026-02-15", 0, "2026-02-24", false},
		{"negative counts as zero", "2026-02-15", -3, "2026-02-24", false},
		{"last day with data", "2026-12-30", 1, "2026-12-31", false},
		{"into 2027", "2026-12-31", 1, "2027-01-01", true},
		{"into 2027 over a weekend", "2026-12-31", 2, "2027-01-04", true},
		{"即办件 in 2027", "2027-01-02", 0, "2027-01-04", true},
		{"from 2023 into 元旦 2024", "2023-12-29", 1, "2024-01-02", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, fallback := o.Add(mustDate(t, tt.start), tt.n)
			if FormatDate(due) != tt.want || fallback != tt.fallback {
				t.Errorf("Add(%s, %d) = %s, %v; want %s, %v", tt.start, tt.n, FormatDate(due), fallback, tt.want, tt.fallback)
			}
		})
	}
}

func TestOfficialBetween(t *testing.T) {
	o := newOfficial(t)
	tests := []struct {
		name     string
		a, b     string
		want     int
		fallback bool
	}{
		{"国庆 2026", "2026-09-30", "2026-10-10", 3, false},
		{"春节 2026 with both make-up Saturdays", "2026-02-13", "2026-02-28", 6, false},
		{"same day", "2026-02-13", "2026-02-13", 0, false},
		{"reversed", "2026-10-10", "2026-09-30", 0, false},
		{"into 2027", "2026-12-31", "2027-01-08", 6, true},
		{"2027 only", "2027-01-01", "2027-01-08", 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, fallback := o.Between(mustDate(t, tt.a), mustDate(t, tt.b))
			if n != tt.want || fallback != tt.fallback {
				t.Errorf("Between(%s, %s) = %d, %v; want %d, %v", tt.a, tt.b, n, fallback, tt.want, tt.fallback)
			}
		})
	}
}

func TestFallbackDay(t *testing.T) {
	o := newOfficial(t)
	for _, tt := range []struct {
		date    string
		workday bool
		kind    string
	}{
		{"2027-01-01", true, KindWorkday}, // 元旦 2027 is not known yet
		{"2027-01-02", false, KindWeekend},
		{"2023-10-02", true, KindWorkday},
	} {
		day := o.Day(mustDate(t, tt.date))
		if !day.Fallback || day.Workday != tt.workday || day.Kind != tt.kind || day.Name != "" {
			t.Errorf("Day(%s) = %+v, want fallback %s", tt.date, day, tt.kind)
		}
	}
}

// naiveAdd walks day by day with Day: the definition of Add, without the
// shortcuts the calendars take.
func naiveAdd(cal Calendar, start time.Time, n int) (time.Time, bool) {
	fallback := false
	d := start
	if n <= 0 {
		for {
			day := cal.Day(d)
			fallback = fallback || day.Fallback
			if day.Workday {
				return d, fallback
			}
			d = d.AddDate(0, 0, 1)
		}
	}
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		day := cal.Day(d)
		fallback = fallback || day.Fallback
		if day.Workday {
			n--
		}
	}
	return d, fallback
}

func naiveBetween(cal Calendar, a, b time.Time) (int, bool) {
	n, fallback := 0, false
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		day := cal.Day(d)
		fallback = fallback || day.Fallback
		if day.Workday {
			n++
		}
	}
	return n, fallback
}

// gappedCalendar has the embedded years and 2029, but not 2027 and 2028, so
// counts jump over years without data and land in a year with data again.
func gappedCalendar(t *testing.T) *Official {
	t.Helper()
	o := newOfficial(t)
	if err := o.SetYear(YearData{Year: 2029, Notice: Notice{Title: "test year"}, Holidays: []Holiday{
		{Name: "元旦", NameEN: "New Year's Day", From: Date(2029, 1, 1), To: Date(2029, 1, 3), Makeup: []time.Time{Date(2029, 1, 6)}},
		{Name: "国庆节", NameEN: "National Day", From: Date(2029, 10, 1), To: Date(2029, 10, 7), Makeup: []time.Time{Date(2029, 9, 29)}},
	}}); err != nil {
		t.Fatalf("SetYear: %v", err)
	}
	return o
}

func TestCountingProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(20260930))
	calendars := map[string]Calendar{"official": newOfficial(t), "gapped": gappedCalendar(t), "monday-friday": MondayFriday{}}
	first := Date(2023, 6, 1)
	for name, cal := range calendars {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < 1500; i++ {
				start := first.AddDate(0, 0, rng.Intn(7*365))
				n := rng.Intn(300)
				due, fallback := cal.Add(start, n)
				wantDue, wantFallback := naiveAdd(cal, start, n)
				if !due.Equal(wantDue) || fallback != wantFallback {
					t.Fatalf("Add(%s, %d) = %s, %v; walking day by day gives %s, %v",
						FormatDate(start), n, FormatDate(due), fallback, FormatDate(wantDue), wantFallback)
				}
				if !cal.Day(due).Workday {
					t.Fatalf("Add(%s, %d) = %s, not a working day", FormatDate(start), n, FormatDate(due))
				}
				between, betweenFallback := cal.Between(start, due)
				wantBetween := n
				if n == 0 && !due.Equal(start) {
					wantBetween = 1 // 即办件 received on a day off is due on the next working day
				}
				if between != wantBetween || (n > 0 && betweenFallback != fallback) {
					t.Fatalf("Between(%s, Add(…, %d) = %s) = %d, %v; want %d, %v",
						FormatDate(start), n, FormatDate(due), between, betweenFallback, wantBetween, fallback)
				}
				if next, _ := cal.Add(start, n+1); !next.After(due) && (n > 0 || !next.Equal(due)) {
					t.Fatalf("Add(%s, %d) = %s but Add(…, %d) = %s", FormatDate(start), n, FormatDate(due), n+1, FormatDate(next))
				}
				b := start.AddDate(0, 0, rng.Intn(1200)-100)
				got, gotFallback := cal.Between(start, b)
				want, wantFallback := naiveBetween(cal, start, b)
				if got != want || gotFallback != wantFallback {
					t.Fatalf("Between(%s, %s) = %d, %v; day by day %d, %v", FormatDate(start), FormatDate(b), got, gotFallback, want, wantFallback)
				}
			}
		})
	}
}

func TestFarDates(t *testing.T) {
	o := newOfficial(t)
	tests := []struct {
		name  string
		start time.Time
		n     int
	}{
		{"year 9000", Date(9000, 3, 1), 500},
		{"year 1", Date(1, 1, 1), 10},
		{"before year 1", Date(-400, 12, 31), 7},
		{"from the past into the data", Date(1990, 1, 1), 100000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, fallback := o.Add(tt.start, tt.n)
			if !fallback {
				t.Error("fallback not set")
			}
			if got, _ := o.Between(tt.start, due); got != tt.n {
				t.Errorf("Between(start, Add(start, %d) = %s) = %d", tt.n, FormatDate(due), got)
			}
			if d := o.Day(due); !d.Workday {
				t.Errorf("due date %s is not a working day", FormatDate(due))
			}
		})
	}
	// A limit beyond any statute is capped rather than overflowing.
	if due, _ := o.Add(Date(2026, 1, 1), int(^uint(0)>>1)); due.Year() < 5000 || due.Year() > 6000 {
		t.Errorf("Add with the largest int = %s, want the capped limit of a million working days", FormatDate(due))
	}
	if n, _ := o.Between(Date(-10000, 1, 1), Date(10000, 1, 1)); n < 5_000_000 {
		t.Errorf("Between over 20000 years = %d", n)
	}
}

func TestSetYear(t *testing.T) {
	o := newOfficial(t)
	cst := time.FixedZone("CST", 8*3600)
	y2027 := YearData{Year: 2027, Notice: Notice{Title: "国务院办公厅关于2027年部分节假日安排的通知（测试）"}, Holidays: []Holiday{
		// Dates in another zone still count by their own calendar day.
		{Name: "元旦", NameEN: "New Year's Day", From: time.Date(2027, 1, 1, 0, 0, 0, 0, cst), To: Date(2027, 1, 3)},
		{Name: "春节", NameEN: "Spring Festival", From: Date(2027, 2, 5), To: Date(2027, 2, 12), Makeup: []time.Time{Date(2027, 2, 14)}},
	}}
	if err := o.SetYear(y2027); err != nil {
		t.Fatalf("SetYear: %v", err)
	}
	if got := o.Years(); len(got) != 4 || got[3] != 2027 {
		t.Errorf("Years() = %v", got)
	}
	if d := o.Day(Date(2027, 1, 1)); d.Kind != KindHoliday || d.Name != "元旦" || d.Fallback {
		t.Errorf("Day(2027-01-01) = %+v", d)
	}
	if d := o.Day(Date(2027, 2, 14)); d.Kind != KindMakeup || !d.Workday {
		t.Errorf("Day(2027-02-14) = %+v", d)
	}
	if due, fallback := o.Add(Date(2026, 12, 31), 1); FormatDate(due) != "2027-01-04" || fallback {
		t.Errorf("Add(2026-12-31, 1) = %s, %v; want 2027-01-04 without fallback", FormatDate(due), fallback)
	}
	// The caller's slices are copied: changing them later changes nothing.
	y2027.Holidays[0].Name = "changed"
	if d := o.Day(Date(2027, 1, 2)); d.Name != "元旦" {
		t.Errorf("calendar follows the caller's slice: %+v", d)
	}
	if stored, ok := o.Year(2027); !ok || stored.Holidays[0].Name != "元旦" || stored.Holidays[1].Makeup[0] != Date(2027, 2, 14) {
		t.Errorf("Year(2027) = %+v, %v", stored, ok)
	}
	// Replacing a year drops its old days.
	if err := o.SetYear(YearData{Year: 2027, Notice: Notice{Title: "replacement"}, Holidays: []Holiday{
		{Name: "国庆节", NameEN: "National Day", From: Date(2027, 10, 1), To: Date(2027, 10, 7)},
	}}); err != nil {
		t.Fatalf("SetYear replacement: %v", err)
	}
	if d := o.Day(Date(2027, 1, 1)); d.Kind != KindWorkday {
		t.Errorf("after replacement Day(2027-01-01) = %+v, want a working Friday", d)
	}
	if _, ok := o.Year(2030); ok {
		t.Error("Year(2030) found")
	}
}

func TestSetYearRejects(t *testing.T) {
	o := newOfficial(t)
	err := o.SetYear(YearData{Year: 2027, Holidays: []Holiday{
		{Name: "春节", NameEN: "Spring Festival", From: Date(2027, 2, 5), To: Date(2027, 2, 12), Makeup: []time.Time{Date(2027, 2, 10)}},
		{Name: "元旦", From: Date(2026, 12, 31), To: Date(2027, 1, 1)},
	}})
	assertFields(t, err,
		"notice.title required",
		"holidays[0].makeup[0] makeup_not_weekend",
		"holidays[0].makeup[0] makeup_on_holiday",
		"holidays[1].name_en required",
		"holidays[1].from outside_year",
	)
	if d := o.Day(Date(2027, 2, 8)); !d.Fallback {
		t.Errorf("a rejected year was stored: %+v", d)
	}
}

func TestMondayFriday(t *testing.T) {
	var mf MondayFriday
	if d := mf.Day(Date(2025, 10, 1)); !d.Workday || d.Kind != KindWorkday || d.Fallback {
		t.Errorf("MondayFriday.Day(2025-10-01) = %+v", d)
	}
	if d := mf.Day(Date(2025, 10, 4)); d.Workday || d.Kind != KindWeekend {
		t.Errorf("MondayFriday.Day(2025-10-04) = %+v", d)
	}
	tests := []struct {
		start string
		n     int
		want  string
	}{
		{"2025-10-03", 1, "2025-10-06"}, // Friday + 1 → Monday
		{"2025-10-04", 1, "2025-10-06"}, // from Saturday
		{"2025-10-04", 0, "2025-10-06"},
		{"2025-10-06", 0, "2025-10-06"},
		{"2025-10-06", 5, "2025-10-13"},
		{"2025-10-06", 10, "2025-10-20"},
		{"1969-12-31", 3, "1970-01-05"}, // before the arithmetic's epoch
	}
	for _, tt := range tests {
		due, fallback := mf.Add(mustDate(t, tt.start), tt.n)
		if FormatDate(due) != tt.want || fallback {
			t.Errorf("MondayFriday.Add(%s, %d) = %s, %v; want %s", tt.start, tt.n, FormatDate(due), fallback, tt.want)
		}
	}
	if n, fallback := mf.Between(mustDate(t, "2025-10-03"), mustDate(t, "2025-10-13")); n != 6 || fallback {
		t.Errorf("MondayFriday.Between = %d, %v; want 6", n, fallback)
	}
}

func TestDates(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name    string
		instant time.Time
		want    string
	}{
		{"UTC afternoon is the next morning in China", time.Date(2025, 1, 27, 16, 30, 0, 0, time.UTC), "2025-01-28"},
		{"UTC morning", time.Date(2025, 1, 27, 15, 59, 0, 0, time.UTC), "2025-01-27"},
		{"already in China", time.Date(2025, 1, 28, 0, 0, 0, 0, cst), "2025-01-28"},
		{"New York evening", time.Date(2025, 12, 31, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)), "2026-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DateOf(tt.instant)
			if FormatDate(got) != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
				t.Errorf("DateOf(%v) = %v, want %s 00:00 UTC", tt.instant, got, tt.want)
			}
		})
	}
	if d := Date(2025, 2, 29); FormatDate(d) != "2025-03-01" {
		t.Errorf("Date normalises like time.Date, got %s", FormatDate(d))
	}
	for _, bad := range []string{"", "2025-02-29", "2025-13-01", "2025-1-5", "25-01-05", "2025/01/05", "2025-01-05T00:00:00Z"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if d, err := ParseDate(" 2024-02-29 "); err != nil || !d.Equal(Date(2024, 2, 29)) {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", d, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	o := newOfficial(t)
	y2027 := YearData{Year: 2027, Notice: Notice{Title: "test"}, Holidays: []Holiday{
		{Name: "国庆节", NameEN: "National Day", From: Date(2027, 10, 1), To: Date(2027, 10, 7)},
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			if err := o.SetYear(y2027); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 200; i++ {
		if due, _ := o.Add(Date(2026, 9, 30), 3); !due.Equal(Date(2026, 10, 10)) {
			t.Fatalf("Add during SetYear = %s", FormatDate(due))
		}
		o.Between(Date(2026, 12, 1), Date(2027, 12, 31))
		o.Years()
	}
	<-done
}
