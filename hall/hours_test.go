package hall_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/workday"
)

// countyHours are the county hall's: Monday to Friday 08:30–17:00, served
// through lunch 11:30–13:30 (午间不间断), and 延时办 17:00–19:00 on Thursdays.
func countyHours() hall.Hours {
	var h hall.Hours
	for wd := 1; wd <= 5; wd++ {
		h = append(h, hall.Period{Weekday: wd, Kind: hall.PeriodRegular, Opens: "08:30", Closes: "17:00"},
			hall.Period{Weekday: wd, Kind: hall.PeriodLunch, Opens: "11:30", Closes: "13:30"})
	}
	return append(h, hall.Period{Weekday: 4, Kind: hall.PeriodExtended, Opens: "17:00", Closes: "19:00"})
}

// communityHours close for lunch and open on Saturday mornings.
func communityHours() hall.Hours {
	var h hall.Hours
	for wd := 1; wd <= 5; wd++ {
		h = append(h, hall.Period{Weekday: wd, Kind: hall.PeriodRegular, Opens: "08:30", Closes: "11:30"},
			hall.Period{Weekday: wd, Kind: hall.PeriodRegular, Opens: "13:30", Closes: "17:00"})
	}
	return append(h, hall.Period{Weekday: 6, Kind: hall.PeriodRegular, Opens: "09:00", Closes: "12:00"})
}

func official(t testing.TB) workday.Calendar {
	t.Helper()
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestHoursAtAndNextOpening(t *testing.T) {
	cal := official(t)
	tests := []struct {
		name   string
		hours  hall.Hours
		t      time.Time
		open   bool
		period string
		next   time.Time // when closed
	}{
		{"Monday morning", countyHours(), at(2026, 10, 12, 10, 0), true, hall.PeriodRegular, time.Time{}},
		{"opens at 08:30 sharp", countyHours(), at(2026, 10, 12, 8, 30), true, hall.PeriodRegular, time.Time{}},
		{"before opening", countyHours(), at(2026, 10, 12, 8, 29), false, "", at(2026, 10, 12, 8, 30)},
		{"lunch is served and counted as lunch", countyHours(), at(2026, 10, 12, 12, 0), true, hall.PeriodLunch, time.Time{}},
		{"lunch ends at 13:30", countyHours(), at(2026, 10, 12, 13, 30), true, hall.PeriodRegular, time.Time{}},
		{"Monday evening: no 延时办", countyHours(), at(2026, 10, 12, 17, 30), false, "", at(2026, 10, 13, 8, 30)},
		{"Thursday evening: 延时办", countyHours(), at(2026, 10, 15, 18, 0), true, hall.PeriodExtended, time.Time{}},
		{"Thursday 19:00 is closed", countyHours(), at(2026, 10, 15, 19, 0), false, "", at(2026, 10, 16, 8, 30)},
		{"National Day (a Thursday) is closed until the 8th", countyHours(), at(2026, 10, 1, 10, 0), false, "", at(2026, 10, 8, 8, 30)},
		{"the evening before the holiday looks past it", countyHours(), at(2026, 9, 30, 17, 0), false, "", at(2026, 10, 8, 8, 30)},
		{"make-up Saturday 10-10 keeps Monday's hours", countyHours(), at(2026, 10, 10, 9, 0), true, hall.PeriodRegular, time.Time{}},
		{"make-up Saturday serves through lunch", countyHours(), at(2026, 10, 10, 12, 0), true, hall.PeriodLunch, time.Time{}},
		{"Friday evening before the make-up day", countyHours(), at(2026, 10, 9, 17, 30), false, "", at(2026, 10, 10, 8, 30)},
		{"an ordinary Saturday is closed", countyHours(), at(2026, 10, 17, 10, 0), false, "", at(2026, 10, 19, 8, 30)},
		{"community centre closes for lunch", communityHours(), at(2026, 10, 12, 12, 0), false, "", at(2026, 10, 12, 13, 30)},
		{"community centre opens on Saturday mornings", communityHours(), at(2026, 10, 17, 10, 0), true, hall.PeriodRegular, time.Time{}},
		{"but not on a Saturday of the holiday", communityHours(), at(2026, 10, 3, 10, 0), false, "", at(2026, 10, 8, 8, 30)},
		{"no hours at all", hall.Hours{}, at(2026, 10, 12, 10, 0), false, "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			period, open := tt.hours.At(tt.t, cal)
			if open != tt.open || period != tt.period {
				t.Fatalf("At(%s) = %q, %v; want %q, %v", tt.t, period, open, tt.period, tt.open)
			}
			if open {
				return
			}
			next, ok := tt.hours.NextOpening(tt.t, cal)
			if ok != !tt.next.IsZero() || !next.Equal(tt.next) {
				t.Fatalf("NextOpening(%s) = %s, %v; want %s", tt.t, next, ok, tt.next)
			}
		})
	}
}

func TestHoursCovers(t *testing.T) {
	cal := official(t)
	tests := []struct {
		name     string
		hours    hall.Hours
		from, to time.Time
		want     bool
	}{
		{"morning slot", countyHours(), at(2026, 10, 12, 9, 0), at(2026, 10, 12, 9, 30), true},
		{"across lunch where lunch is served", countyHours(), at(2026, 10, 12, 11, 0), at(2026, 10, 12, 12, 0), true},
		{"across lunch where it is not", communityHours(), at(2026, 10, 12, 11, 0), at(2026, 10, 12, 12, 0), false},
		{"past closing on Monday", countyHours(), at(2026, 10, 12, 16, 30), at(2026, 10, 12, 17, 30), false},
		{"into 延时办 on Thursday", countyHours(), at(2026, 10, 15, 16, 30), at(2026, 10, 15, 17, 30), true},
		{"on a holiday", countyHours(), at(2026, 10, 1, 9, 0), at(2026, 10, 1, 9, 30), false},
		{"on the make-up Saturday", countyHours(), at(2026, 10, 10, 9, 0), at(2026, 10, 10, 9, 30), true},
		{"empty span", countyHours(), at(2026, 10, 12, 9, 0), at(2026, 10, 12, 9, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.hours.Covers(tt.from, tt.to, cal); got != tt.want {
				t.Errorf("Covers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHoursValidate(t *testing.T) {
	tests := []struct {
		name  string
		hours hall.Hours
		field string
	}{
		{"weekday 0", hall.Hours{{Weekday: 0, Kind: hall.PeriodRegular, Opens: "08:30", Closes: "17:00"}}, "periods[0].weekday"},
		{"unknown kind", hall.Hours{{Weekday: 1, Kind: "night", Opens: "08:30", Closes: "17:00"}}, "periods[0].kind"},
		{"bad time", hall.Hours{{Weekday: 1, Kind: hall.PeriodRegular, Opens: "8:30", Closes: "17:00"}}, "periods[0].opens"},
		{"24:00 is not a time", hall.Hours{{Weekday: 1, Kind: hall.PeriodRegular, Opens: "08:30", Closes: "24:00"}}, "periods[0].closes"},
		{"closes before it opens", hall.Hours{{Weekday: 1, Kind: hall.PeriodRegular, Opens: "17:00", Closes: "08:30"}}, "periods[0].closes"},
		{"listed twice", hall.Hours{{Weekday: 1, Kind: hall.PeriodLunch, Opens: "11:30", Closes: "13:30"},
			{Weekday: 1, Kind: hall.PeriodLunch, Opens: "11:30", Closes: "13:00"}}, "periods[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.hours.Validate(); !hasField(err, tt.field) {
				t.Fatalf("Validate: %v, want an error on %s", err, tt.field)
			}
		})
	}
	if err := countyHours().Validate(); err != nil {
		t.Errorf("the county hours are valid: %v", err)
	}
}
