package workday

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
)

func TestParseEmbedded(t *testing.T) {
	years, err := ParseYears(bytes.NewReader(embeddedYears))
	if err != nil {
		t.Fatalf("ParseYears(embedded): %v", err)
	}
	want := []struct {
		year   int
		title  string
		number string
		date   string
	}{
		{2024, "国务院办公厅关于2024年部分节假日安排的通知", "国办发明电〔2023〕7号", "2023-10-25"},
		{2025, "国务院办公厅关于2025年部分节假日安排的通知", "国办发明电〔2024〕12号", "2024-11-12"},
		{2026, "国务院办公厅关于2026年部分节假日安排的通知", "", "2025-11-04"},
	}
	if len(years) != len(want) {
		t.Fatalf("got %d years, want %d", len(years), len(want))
	}
	for i, w := range want {
		y := years[i]
		if y.Year != w.year || y.Notice.Title != w.title || y.Notice.Number != w.number || FormatDate(y.Notice.Date) != w.date {
			t.Errorf("years[%d] = %d %+v, want %+v", i, y.Year, y.Notice, w)
		}
	}
	if got := newOfficial(t).Years(); !slices.Equal(got, []int{2024, 2025, 2026}) {
		t.Errorf("Years() = %v", got)
	}
}

// yearJSON is a valid year on one line, to build documents around.
func yearJSON(year int) string {
	return fmt.Sprintf(`{"year": %d, "notice": {"title": "t"}, "holidays": [`+
		`{"name": "国庆节", "name_en": "National Day", "from": "%[1]d-10-01", "to": "%[1]d-10-07"}]}`, year)
}

func TestParseYearsValid(t *testing.T) {
	doc := `{"years": [
  {"year": 2027, "notice": {"title": "通知", "number": null, "date": "2026-11-01"}, "holidays": [
    {"name": "春节", "name_en": "Spring Festival", "from": "2027-02-05", "to": "2027-02-12", "makeup": ["2027-02-14", "2027-01-31"]},
    {"name": "元旦", "name_en": "New Year's Day", "from": "2027-01-01", "to": "2027-01-01", "makeup": null}
  ]},
  ` + yearJSON(2028) + `
]}`
	years, err := ParseYears(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("ParseYears: %v", err)
	}
	if len(years) != 2 || years[0].Year != 2027 || years[1].Year != 2028 {
		t.Fatalf("years = %+v", years)
	}
	spring := years[0].Holidays[0]
	if spring.Name != "春节" || spring.NameEN != "Spring Festival" || !spring.From.Equal(Date(2027, 2, 5)) ||
		!spring.To.Equal(Date(2027, 2, 12)) || len(spring.Makeup) != 2 || !spring.Makeup[1].Equal(Date(2027, 1, 31)) {
		t.Errorf("holiday = %+v", spring)
	}
	if !years[0].Notice.Date.Equal(Date(2026, 11, 1)) || years[0].Notice.Number != "" {
		t.Errorf("notice = %+v", years[0].Notice)
	}
}

func TestParseYearsReportsEveryErrorWithItsLine(t *testing.T) {
	doc := `{"years": [
  {"year": 2027,
   "notice": {"title": "测试"},
   "holidays": [
     {"name": "春节", "name_en": "Spring Festival", "from": "2027-02-30", "to": "2027-02-12"},
     {"name": "", "name_en": "Labour Day", "from": "2027-05-01", "to": "2027-05-05", "makeup": ["2027-05-06", "2027-05-03", "2026-05-08"]},
     {"name": "国庆节", "name_en": "National Day",
      "from": "2027-10-07", "to": "2027-10-01", "extra": 1}
   ]}
]}`
	_, err := ParseYears(strings.NewReader(doc))
	assertFields(t, err,
		"line 5: years[0].holidays[0].from bad_date",
		"line 6: years[0].holidays[1].name required",
		"line 6: years[0].holidays[1].makeup[0] makeup_not_weekend", // a Thursday
		"line 6: years[0].holidays[1].makeup[1] makeup_not_weekend", // a Monday, and a day off
		"line 6: years[0].holidays[1].makeup[1] makeup_on_holiday",
		"line 6: years[0].holidays[1].makeup[2] outside_year",
		"line 8: years[0].holidays[2].extra unknown_field",
		"line 8: years[0].holidays[2].to range_order",
	)
}

func TestParseYearsErrors(t *testing.T) {
	holiday := func(fields string) string {
		return `{"years": [{"year": 2027, "notice": {"title": "t"}, "holidays": [` + fields + `]}]}`
	}
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"empty input", ``, []string{"line 1 syntax"}},
		{"syntax error on line 3", "{\"years\": [\n" + yearJSON(2027) + ",\n  {\"year\": 2028,,}\n]}", []string{"line 3 syntax"}},
		{"truncated", "{\"years\": [\n" + yearJSON(2027), []string{"line 2 syntax"}},
		{"trailing data", `{"years": [` + yearJSON(2027) + "]}\n{}", []string{"line 2 syntax"}},
		{"too deep", `{"years": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, []string{"line 1 syntax"}},
		{"document is an array", `[]`, []string{"line 1: (document) type"}},
		{"years missing", `{}`, []string{"line 1: years required"}},
		{"years empty", `{"years": []}`, []string{"line 1: years required"}},
		{"years not an array", `{"years": {}}`, []string{"line 1: years type"}},
		{"unknown top-level field", `{"years": [` + yearJSON(2027) + `], "comment": "x"}`, []string{"line 1: comment unknown_field"}},
		{"year as a string", `{"years": [{"year": "2027", "notice": {"title": "t"}, "holidays": []}]}`,
			[]string{"line 1: years[0].year type", "line 1: years[0].holidays required"}},
		{"fractional year", `{"years": [{"year": 2027.5, "notice": {"title": "t"}, "holidays": []}]}`,
			[]string{"line 1: years[0].year type", "line 1: years[0].holidays required"}},
		{"year out of range", `{"years": [` + yearJSON(1999) + `]}`, []string{"line 1: years[0].year bad_year"}},
		{"year missing", `{"years": [{"notice": {"title": "t"}, "holidays": [{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01"}]}]}`,
			[]string{"line 1: years[0].year required"}},
		{"duplicate year", "{\"years\": [\n" + yearJSON(2027) + ",\n" + yearJSON(2027) + "\n]}", []string{"line 3: years[1].year duplicate_year"}},
		{"year is not an object", `{"years": [2027]}`, []string{"line 1: years[0] type"}},
		{"notice title missing", `{"years": [{"year": 2027, "notice": {}, "holidays": [{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01"}]}]}`,
			[]string{"line 1: years[0].notice.title required"}},
		{"notice missing", `{"years": [{"year": 2027, "holidays": [{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01"}]}]}`,
			[]string{"line 1: years[0].notice.title required"}},
		{"notice date invalid", `{"years": [{"year": 2027, "notice": {"title": "t", "date": "2026-11"}, "holidays": [{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01"}]}]}`,
			[]string{"line 1: years[0].notice.date bad_date"}},
		{"holidays not an array", `{"years": [{"year": 2027, "notice": {"title": "t"}, "holidays": "none"}]}`,
			[]string{"line 1: years[0].holidays type"}},
		{"holiday not an object", holiday(`"春节"`), []string{"line 1: years[0].holidays[0] type"}},
		{"field twice", holiday(`{"name": "a", "name": "b", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01"}`),
			[]string{"line 1: years[0].holidays[0].name duplicate_field"}},
		{"name not a string", holiday(`{"name": 1, "name_en": "a", "from": "2027-01-01", "to": "2027-01-01"}`),
			[]string{"line 1: years[0].holidays[0].name type"}},
		{"name too long", holiday(`{"name": "` + strings.Repeat("节", 41) + `", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01"}`),
			[]string{"line 1: years[0].holidays[0].name too_long"}},
		{"dates missing", holiday(`{"name": "a", "name_en": "a"}`),
			[]string{"line 1: years[0].holidays[0].from required", "line 1: years[0].holidays[0].to required"}},
		{"date as a number", holiday(`{"name": "a", "name_en": "a", "from": 20270101, "to": "2027-01-01"}`),
			[]string{"line 1: years[0].holidays[0].from type"}},
		{"date in the year before", holiday(`{"name": "元旦", "name_en": "a", "from": "2026-12-31", "to": "2027-01-01"}`),
			[]string{"line 1: years[0].holidays[0].from outside_year"}},
		{"period too long", holiday(`{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-03-01"}`),
			[]string{"line 1: years[0].holidays[0].to range_too_long"}},
		{"periods overlap", holiday(`{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-03"}, ` +
			`{"name": "b", "name_en": "b", "from": "2027-01-03", "to": "2027-01-04"}`),
			[]string{"line 1: years[0].holidays[1].from overlap"}},
		{"make-up day twice", holiday(`{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01", "makeup": ["2027-01-09"]}, ` +
			`{"name": "b", "name_en": "b", "from": "2027-02-01", "to": "2027-02-01", "makeup": ["2027-01-09"]}`),
			[]string{"line 1: years[0].holidays[1].makeup[0] duplicate_date"}},
		{"make-up not an array", holiday(`{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-01", "makeup": "2027-01-09"}`),
			[]string{"line 1: years[0].holidays[0].makeup type"}},
		{"make-up on a holiday weekend", holiday(`{"name": "a", "name_en": "a", "from": "2027-01-01", "to": "2027-01-03", "makeup": ["2027-01-02"]}`),
			[]string{"line 1: years[0].holidays[0].makeup[0] makeup_on_holiday"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYears(strings.NewReader(tt.doc))
			assertFields(t, err, tt.want...)
		})
	}
}

func TestParseYearsTooLarge(t *testing.T) {
	doc := `{"years": [` + strings.Repeat(" ", maxImportBytes) + `]}`
	_, err := ParseYears(strings.NewReader(doc))
	if apperr.CodeOf(err) != apperr.TooLarge {
		t.Errorf("error = %v, want too_large", err)
	}
}

// assertFields checks that err is an apperr.Invalid error whose field errors,
// written "field code", are exactly want.
func assertFields(t *testing.T, err error, want ...string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want field errors %v", err, want)
	}
	if ae.Code != apperr.Invalid {
		t.Errorf("code = %s, want invalid", ae.Code)
	}
	var got []string
	for _, f := range ae.Fields {
		got = append(got, f.Field+" "+f.Code)
		if f.Message.ZH == "" || f.Message.EN == "" {
			t.Errorf("field %s has a message in one language only: %+v", f.Field, f.Message)
		}
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("field errors:\n got  %q\n want %q", got, want)
		for _, f := range ae.Fields {
			t.Logf("%s: %s / %s", f.Field, f.Message.ZH, f.Message.EN)
		}
	}
}

func FuzzParseYears(f *testing.F) {
	f.Add(embeddedYears)
	f.Add([]byte(`{"years": [` + yearJSON(2027) + `]}`))
	f.Add([]byte(`{"years": [{"year": 2027, "holidays": [{"makeup": [null, 1, "x"]}]}]}`))
	f.Add([]byte(`{"years": [[[{}]]], "years": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		years, err := ParseYears(bytes.NewReader(data))
		if err != nil {
			ae := apperr.As(err)
			if ae.Code == apperr.Invalid && len(ae.Fields) == 0 {
				t.Fatalf("invalid without field errors: %v", err)
			}
			for _, f := range ae.Fields {
				if !strings.HasPrefix(f.Field, "line ") {
					t.Fatalf("field %q does not name its line", f.Field)
				}
			}
			return
		}
		// What ParseYears accepts, SetYear accepts too, and the calendar then
		// agrees with the data.
		o := &Official{}
		for _, y := range years {
			if err := o.SetYear(y); err != nil {
				t.Fatalf("SetYear(%d) rejects a parsed year: %v", y.Year, err)
			}
		}
		for _, y := range years {
			for _, h := range y.Holidays {
				if d := o.Day(h.From); d.Kind != KindHoliday {
					t.Fatalf("%s of %s is %+v", FormatDate(h.From), h.Name, d)
				}
				for _, m := range h.Makeup {
					if d := o.Day(m); d.Kind != KindMakeup || !d.Workday {
						t.Fatalf("make-up %s is %+v", FormatDate(m), d)
					}
				}
			}
		}
	})
}
