package figures

import (
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
)

var cst = time.FixedZone("CST", 8*3600)

func month(t *testing.T, s string) Month {
	t.Helper()
	m, err := ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMonthsInChinaTime(t *testing.T) {
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 12, 31, 15, 59, 59, 999999000, time.UTC), "2025-12"}, // 23:59:59 in China
		{time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), "2026-01"},           // midnight in China
		{time.Date(2026, 3, 1, 0, 0, 0, 0, cst), "2026-03"},
		{time.Date(2026, 2, 28, 23, 59, 0, 0, cst), "2026-02"},
	} {
		if got := MonthOf(tt.at).String(); got != tt.want {
			t.Errorf("MonthOf(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
	if got := month(t, "2026-01").Add(-1).String(); got != "2025-12" {
		t.Errorf("2026-01 - 1 = %s", got)
	}
	if got := month(t, "2025-11").Add(14).String(); got != "2027-01" {
		t.Errorf("2025-11 + 14 = %s", got)
	}
	var got []string
	for _, m := range Months(month(t, "2025-11"), month(t, "2026-02")) {
		got = append(got, m.String())
	}
	if want := []string{"2025-11", "2025-12", "2026-01", "2026-02"}; !slices.Equal(got, want) {
		t.Errorf("Months = %v, want %v", got, want)
	}
	if n := len(Months(month(t, "2026-02"), month(t, "2026-01"))); n != 0 {
		t.Errorf("Months backwards gives %d months", n)
	}
	if got := month(t, "2026-01").Start(); !got.Equal(time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("2026-01 starts at %s", got.UTC())
	}
	for _, bad := range []string{"2026-13", "2026-1", "26-01", "2026/01", "", "1999-12"} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("ParseMonth(%q) accepted", bad)
		}
	}
}

func TestDefaultPeriodIsTheLastTwelveMonths(t *testing.T) {
	for _, tt := range []struct {
		now      time.Time
		from, to string
	}{
		{time.Date(2026, 3, 15, 10, 0, 0, 0, cst), "2025-04", "2026-03"},
		{time.Date(2026, 2, 28, 16, 30, 0, 0, time.UTC), "2025-04", "2026-03"}, // already 1 March in China
		{time.Date(2026, 1, 1, 0, 0, 0, 0, cst), "2025-02", "2026-01"},
	} {
		from, to := DefaultPeriod(tt.now)
		if from.String() != tt.from || to.String() != tt.to {
			t.Errorf("DefaultPeriod(%s) = %s…%s, want %s…%s", tt.now, from, to, tt.from, tt.to)
		}
		if n := len(Months(from, to)); n != DefaultMonths {
			t.Errorf("the default period has %d months", n)
		}
	}
}

// StoredMonth reads the month in China from the stored text exactly as
// MonthOf does from the instant, at every hour and at the edges of months
// (the last day of February in a leap year too).
func TestStoredMonthAgreesWithMonthOf(t *testing.T) {
	check := func(at time.Time) {
		t.Helper()
		got, ok := StoredMonth(storedTime(at))
		if !ok || got != MonthOf(at) {
			t.Fatalf("%s (%s): StoredMonth %v %v, MonthOf %v", at, storedTime(at), got, ok, MonthOf(at))
		}
	}
	for at := time.Date(2023, 12, 1, 0, 0, 0, 0, cst); at.Before(time.Date(2025, 2, 1, 0, 0, 0, 0, cst)); at = at.Add(53 * time.Minute) {
		check(at)
	}
	for _, m := range Months(month(t, "2023-12"), month(t, "2026-12")) {
		check(m.Start())
		check(m.Start().Add(-time.Microsecond))
	}
	if m, _ := StoredMonth("2024-02-29T16:00:00.000000Z"); m.String() != "2024-03" {
		t.Errorf("the last evening of February 2024 in UTC is %s in China, want 2024-03", m)
	}
	if m, _ := StoredMonth("2025-12-31T16:00:00.000000Z"); m.String() != "2026-01" {
		t.Errorf("New Year's Eve at 16:00 UTC is %s in China, want 2026-01", m)
	}
	for _, bad := range []string{"", "2025-12-31", "2025/12/31T16:00", "2025-13-01T00:00:00Z", "20x5-12-31T16:00:00Z"} {
		if _, ok := StoredMonth(bad); ok {
			t.Errorf("StoredMonth(%q) read a month", bad)
		}
	}
}

// OnTime follows the SLA: decided on the due date in China (until midnight)
// is on time; StoredOnTime, on the stored text, agrees at every instant.
func TestOnTimeOnInstantsAndStoredText(t *testing.T) {
	due := "2025-09-10"
	for _, tt := range []struct {
		decided time.Time
		want    bool
	}{
		{time.Date(2025, 9, 10, 23, 59, 59, 999999000, cst), true},
		{time.Date(2025, 9, 11, 0, 0, 0, 0, cst), false},
		{time.Date(2025, 9, 9, 9, 0, 0, 0, cst), true},
		{time.Date(2025, 9, 10, 15, 59, 0, 0, time.UTC), true},
		{time.Date(2025, 9, 10, 16, 0, 0, 0, time.UTC), false},
	} {
		if got := OnTime(tt.decided, due); got != tt.want {
			t.Errorf("OnTime(%s, %s) = %v, want %v", tt.decided, due, got, tt.want)
		}
	}
	if OnTime(time.Now(), "") {
		t.Error("a case without a due date counts as on time")
	}
	for at := time.Date(2025, 9, 9, 0, 0, 0, 0, cst); at.Before(time.Date(2025, 9, 12, 0, 0, 0, 0, cst)); at = at.Add(7 * time.Minute) {
		for _, d := range []time.Time{at, at.Add(-time.Microsecond)} {
			if StoredOnTime(storedTime(d), due) != OnTime(d, due) {
				t.Fatalf("at %s StoredOnTime says %v, OnTime %v", d, StoredOnTime(storedTime(d), due), OnTime(d, due))
			}
		}
	}
	for _, bad := range [][2]string{{"", due}, {"2025-09-10T01:00:00.000000Z", ""}, {"2025-09-10T01:00:00.000000Z", "2025-9-10"}} {
		if StoredOnTime(bad[0], bad[1]) {
			t.Errorf("StoredOnTime(%q, %q) is on time", bad[0], bad[1])
		}
	}
}

func TestRate(t *testing.T) {
	if Rate(3, 0) != nil {
		t.Error("a rate over nothing is not nil")
	}
	if r := Rate(1, 4); r == nil || *r != 0.25 {
		t.Errorf("Rate(1, 4) = %v", r)
	}
	if r := Rate(1642, 1686); r == nil || *r < 0.9739 || *r > 0.974 {
		t.Errorf("Rate(1642, 1686) = %v, the report says 97.39%%", r)
	}
}

func TestPresenceOf(t *testing.T) {
	items := ItemsAtLevel{
		ByLevel: map[int]int{4: 100, 5: 40, 6: 10},
		ByDepartmentLevel: map[DepartmentLevel]int{
			{"YB", 5}: 14, {"YB", 6}: 8, {"SF", 5}: 3, {"SF", 6}: 2, {"RS", 5}: 9,
		},
	}
	depts := map[string][]string{
		network.ServiceMedicalInsurance: {"YB"},
		network.ServiceLegalAid:         {"SF"},
		// A department named for two services counts once.
		"both": {"YB", "SF"},
	}
	for _, tt := range []struct {
		name             string
		level            int
		services         []string
		handled, atLevel int
	}{
		{"a county hall offers every item of its level", 4, []string{network.ServiceGovernment, network.ServiceMedicalInsurance}, 100, 100},
		{"a medical-insurance point the bureau's items", 5, []string{network.ServiceMedicalInsurance}, 14, 40},
		{"a legal-aid liaison point the justice bureau's", 6, []string{network.ServiceLegalAid}, 2, 10},
		{"two services, their departments once", 5, []string{network.ServiceMedicalInsurance, "both"}, 17, 40},
		{"no service, nothing", 5, nil, 0, 40},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := PresenceOf(tt.level, tt.services, depts, items)
			if p.Handled != tt.handled || p.AtLevel != tt.atLevel {
				t.Fatalf("%d of %d, want %d of %d", p.Handled, p.AtLevel, tt.handled, tt.atLevel)
			}
			if p.Rate == nil || *p.Rate != float64(tt.handled)/float64(tt.atLevel) {
				t.Errorf("rate %v", p.Rate)
			}
		})
	}
	if p := PresenceOf(3, []string{network.ServiceGovernment}, depts, items); p.Rate != nil {
		t.Errorf("a level without items has rate %v", *p.Rate)
	}
}

func TestPointsInDivision(t *testing.T) {
	points := []network.Point{
		{Code: "HALL", RegionCode: "220523"},    // 辉南县
		{Code: "TOWN", RegionCode: "220523100"}, // a township of 辉南县
		{Code: "CITY", RegionCode: "220500"},    // 通化市 itself
		{Code: "CC", RegionCode: "220102"},      // 长春市南关区
		{Code: "NONE"},
	}
	codes := func(ps []network.Point) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Code)
		}
		return out
	}
	for _, tt := range []struct {
		division region.Region
		want     []string
	}{
		{region.Region{Code: "220000", Level: region.LevelProvince}, []string{"HALL", "TOWN", "CITY", "CC"}},
		{region.Region{Code: "220500", Level: region.LevelCity}, []string{"HALL", "TOWN", "CITY"}},
		{region.Region{Code: "220523", Level: region.LevelCounty}, []string{"HALL", "TOWN"}},
		{region.Region{Code: "220523100", Level: region.LevelTownship}, []string{"TOWN"}},
		{region.Region{Code: "220100", Level: region.LevelCity}, []string{"CC"}},
		{region.Region{Code: "110000", Level: region.LevelProvince}, nil},
	} {
		if got := codes(PointsIn(points, &tt.division)); !slices.Equal(got, tt.want) {
			t.Errorf("in %s: %v, want %v", tt.division.Code, got, tt.want)
		}
	}
	if got := PointsIn(points, nil); len(got) != len(points) {
		t.Errorf("the whole province has %d points, want %d", len(got), len(points))
	}
}

func TestParseQuery(t *testing.T) {
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, cst)
	type want struct{ from, to, division string }
	for _, tt := range []struct {
		name   string
		params map[string]string
		want   want
		bad    []string // the parameters a 400 names
	}{
		{"the default period", nil, want{"2025-04", "2026-03", ""}, nil},
		{"from alone runs 12 months", map[string]string{"from": "2024-01"}, want{"2024-01", "2024-12", ""}, nil},
		{"from alone stops at this month", map[string]string{"from": "2025-10"}, want{"2025-10", "2026-03", ""}, nil},
		{"to alone goes back 12 months", map[string]string{"to": "2025-06"}, want{"2024-07", "2025-06", ""}, nil},
		{"both", map[string]string{"from": "2025-11", "to": "2026-02"}, want{"2025-11", "2026-02", ""}, nil},
		{"a division as people write it", map[string]string{"division": "2205"}, want{"2025-04", "2026-03", "220500"}, nil},
		{"a county", map[string]string{"division": " 220523 "}, want{"2025-04", "2026-03", "220523"}, nil},
		{"a month that is not one", map[string]string{"from": "2025-13"}, want{}, []string{"from"}},
		{"a date instead of a month", map[string]string{"to": "2025-06-01"}, want{}, []string{"to"}},
		{"backwards", map[string]string{"from": "2026-02", "to": "2025-11"}, want{}, []string{"from"}},
		{"too long", map[string]string{"from": "2020-01", "to": "2026-01"}, want{}, []string{"to"}},
		{"a division code with letters", map[string]string{"division": "22O5"}, want{}, []string{"division"}},
		{"several at once", map[string]string{"from": "x", "division": "1"}, want{}, []string{"from", "division"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(func(k string) string { return tt.params[k] }, now)
			if tt.bad != nil {
				ae := apperr.As(err)
				if err == nil || ae.Code != apperr.BadRequest {
					t.Fatalf("error %v, want a 400", err)
				}
				var fields []string
				for _, f := range ae.Fields {
					fields = append(fields, f.Field)
				}
				if !slices.Equal(fields, tt.bad) {
					t.Errorf("the error names %v, want %v", fields, tt.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := (want{q.From.String(), q.To.String(), q.Division}); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAuthorize(t *testing.T) {
	admin := auth.User{Role: auth.RoleAdmin}
	manager := auth.User{Role: auth.RoleHallManager, PointCode: "HNZWFW"}
	for _, tt := range []struct {
		name      string
		actor     auth.User
		q         Query
		allowed   bool
		wantPoint string
	}{
		{"an administrator asks anything", admin, Query{Division: "220500", Department: "X"}, true, ""},
		{"a hall manager gets their own point", manager, Query{}, true, "HNZWFW"},
		{"… also when they name it", manager, Query{Point: "HNZWFW", Department: "HN-YBJ"}, true, "HNZWFW"},
		{"… but not another point", manager, Query{Point: "QZSQ"}, false, ""},
		{"… nor a division", manager, Query{Division: "220523"}, false, ""},
		{"a hall manager without a point", auth.User{Role: auth.RoleHallManager}, Query{}, false, ""},
		{"a reviewer", auth.User{Role: auth.RoleReviewer, DepartmentCode: "HN-YBJ"}, Query{Department: "HN-YBJ"}, false, ""},
		{"a front desk", auth.User{Role: auth.RoleFrontDesk, PointCode: "HNZWFW"}, Query{Point: "HNZWFW"}, false, ""},
		{"an applicant", auth.User{Role: auth.RoleApplicant}, Query{}, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			err := Authorize(tt.actor, &q)
			if !tt.allowed {
				ae := apperr.As(err)
				if err == nil || ae.Code != apperr.Forbidden || !ae.Denied {
					t.Fatalf("error %v, want an audited 403", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Point != tt.wantPoint {
				t.Errorf("point %q, want %q", q.Point, tt.wantPoint)
			}
		})
	}
}
