// Package figures answers the province's numbers over time: cases handled
// (办件量), the share handled online (网办率), the share of a place's items its
// hall may handle (进驻率), the on-time rate, appointments and lunch-time and
// extended-hours service, month by month, for the whole province, a division,
// a service point or a department. It reads the monthly case counts kept
// with the cases (case_month_figures) and the hall's tables, and writes
// nothing; the arithmetic is in plain functions.
package figures

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/workday"
)

// chinaTime is China Standard Time: months begin at midnight there.
var chinaTime = time.FixedZone("CST", 8*3600)

// Month is a calendar month in China.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month in China in which the instant t falls.
func MonthOf(t time.Time) Month {
	c := t.In(chinaTime)
	return Month{c.Year(), c.Month()}
}

// ParseMonth reads a month written YYYY-MM.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return Month{}, fmt.Errorf("figures: %q is not a month written YYYY-MM", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Add returns the month n months after m (before it when n is negative).
func (m Month) Add(n int) Month {
	t := time.Date(m.Year, m.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// Start is the first instant of the month in China.
func (m Month) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, chinaTime) }

// FirstDay is the month's first civil date, YYYY-MM-DD, as the hall writes days.
func (m Month) FirstDay() string { return m.String() + "-01" }

// After reports whether m comes after o.
func (m Month) After(o Month) bool {
	return m.Year > o.Year || m.Year == o.Year && m.Month > o.Month
}

// Months lists the months from from to to, both included.
func Months(from, to Month) []Month {
	var out []Month
	for m := from; !m.After(to); m = m.Add(1) {
		out = append(out, m)
	}
	return out
}

// Periods: the default is the last 12 months, the current one included; a
// question spans at most MaxMonths.
const (
	DefaultMonths = 12
	MaxMonths     = 36
)

// DefaultPeriod is the last DefaultMonths months up to the month of now.
func DefaultPeriod(now time.Time) (from, to Month) {
	to = MonthOf(now)
	return to.Add(1 - DefaultMonths), to
}

// storedTime writes an instant as the tables store it (store.TimeFormat):
// UTC text that sorts as time does.
func storedTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// StoredMonth returns the month in China of an instant as the tables store
// it (2026-01-31T16:20:00.000000Z is 1 February in China), without parsing
// it into a time: a day in China begins at 16:00 UTC of the day before, so
// only the last day of a month from 16:00 on belongs to the next. It reads
// the counted rows, so it must be cheap. ok is false for text of another form.
func StoredMonth(stored string) (m Month, ok bool) {
	if len(stored) < 13 || stored[4] != '-' || stored[7] != '-' || stored[10] != 'T' {
		return Month{}, false
	}
	year, ok1 := digitsOf(stored[0:4])
	month, ok2 := digitsOf(stored[5:7])
	day, ok3 := digitsOf(stored[8:10])
	hour, ok4 := digitsOf(stored[11:13])
	if !ok1 || !ok2 || !ok3 || !ok4 || month < 1 || month > 12 {
		return Month{}, false
	}
	m = Month{year, time.Month(month)}
	if hour >= 16 && day == daysIn(m) {
		m = m.Add(1)
	}
	return m, true
}

func digitsOf(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// daysIn is the number of days of the month.
func daysIn(m Month) int { return time.Date(m.Year, m.Month+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// OnTime reports whether a case decided at the instant decided kept its
// promised due date (YYYY-MM-DD on the working-day calendar): decided on that
// civil day in China or before, as cases.ComputeSLA says. Paused time is in
// the due date already: the case's clock moves it out when a pause ends.
func OnTime(decided time.Time, promisedDue string) bool {
	due, err := workday.ParseDate(promisedDue)
	if err != nil {
		return false
	}
	return !workday.DateOf(decided).After(due)
}

// StoredOnTime is OnTime on the stored text of the decision. The due date's
// day in China ends at 16:00 UTC of that date, so the decision is on time
// exactly when its UTC text sorts before "<due>T16:00:00"; the comparison is
// made in two parts so that no string is built per row.
func StoredOnTime(decided, promisedDue string) bool {
	if len(decided) < 10 || len(promisedDue) != 10 {
		return false
	}
	switch day := decided[:10]; {
	case day < promisedDue:
		return true
	case day > promisedDue:
		return false
	}
	return decided[10:] < "T16:00:00"
}

// Rate is part over whole, or nil when whole is zero (no rate, not 0%).
func Rate(part, whole int) *float64 {
	if whole <= 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}

// ItemsAtLevel counts published items per level (a place of level L may
// handle the items whose levels include L) and per department and level.
type ItemsAtLevel struct {
	ByLevel           map[int]int
	ByDepartmentLevel map[DepartmentLevel]int
}

// DepartmentLevel is one department's items at one level.
type DepartmentLevel struct {
	Department string
	Level      int
}

// Presence is 进驻率 of a point: Handled is the number of published items the
// point may handle in its hall, AtLevel the number of published items of its
// level of government, Rate their quotient. A point may handle an item when
// the item's levels include the point's level (the check a front desk makes
// when it accepts) and the point offers the item's service: government
// services cover every item, another service (medical insurance, legal aid)
// the items of the departments named for it, as the coverage planner counts.
type Presence struct {
	Handled int      `json:"handled"`
	AtLevel int      `json:"at_level"`
	Rate    *float64 `json:"rate"`
}

// PresenceOf computes a point's 进驻率 from the catalogue's counts and the
// departments each service covers.
func PresenceOf(level int, services []string, serviceDepartments map[string][]string, items ItemsAtLevel) Presence {
	p := Presence{AtLevel: items.ByLevel[level]}
	if slices.Contains(services, network.ServiceGovernment) {
		p.Handled = p.AtLevel
	} else {
		seen := map[string]bool{}
		for _, sv := range services {
			for _, d := range serviceDepartments[sv] {
				if !seen[d] {
					seen[d] = true
					p.Handled += items.ByDepartmentLevel[DepartmentLevel{d, level}]
				}
			}
		}
	}
	p.Rate = Rate(p.Handled, p.AtLevel)
	return p
}

// PointsIn returns the points standing inside the division (all of them when
// div is nil). A point's region code is the division it stands in; one
// without a code belongs to no division.
func PointsIn(points []network.Point, div *region.Region) []network.Point {
	if div == nil {
		return points
	}
	var out []network.Point
	for _, p := range points {
		if p.RegionCode != "" && div.Contains(p.RegionCode) {
			out = append(out, p)
		}
	}
	return out
}

// Query asks for the figures of a period and a scope. The scope is the whole
// province unless a division, a point or a department narrows it; several
// narrow it together.
type Query struct {
	From, To   Month
	Division   string // a division code as region.Normalize writes it
	Point      string
	Department string
}

// badParameter is a 400 naming the query parameters that are wrong.
func badParameter(f apperr.Fields) error {
	if len(f) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.BadRequest, Reason: "bad_parameter",
		Message: apperr.M("查询参数有误，请按提示修改", "some query parameters are not valid"), Fields: f}
}

// ParseQuery reads a question from its parameters (from, to: YYYY-MM;
// division; point; department), with the last 12 months up to now when the
// period is left out. Errors are 400s naming the parameter.
func ParseQuery(get func(string) string, now time.Time) (Query, error) {
	var q Query
	var f apperr.Fields
	q.From, q.To = DefaultPeriod(now)
	fromSet, toSet := strings.TrimSpace(get("from")) != "", strings.TrimSpace(get("to")) != ""
	if toSet {
		m, err := ParseMonth(get("to"))
		if err != nil {
			f.Add("to", "format", apperr.M("截止月份须写作 YYYY-MM，如 2026-03", "to must be a month written YYYY-MM, e.g. 2026-03"))
		}
		q.To = m
		if !fromSet {
			q.From = m.Add(1 - DefaultMonths)
		}
	}
	if fromSet {
		m, err := ParseMonth(get("from"))
		if err != nil {
			f.Add("from", "format", apperr.M("起始月份须写作 YYYY-MM，如 2025-04", "from must be a month written YYYY-MM, e.g. 2025-04"))
		}
		q.From = m
		if !toSet {
			q.To = m.Add(DefaultMonths - 1)
			if current := MonthOf(now); q.To.After(current) {
				q.To = current
			}
			if q.From.After(q.To) {
				q.To = q.From
			}
		}
	}
	if len(f) == 0 {
		switch n := len(Months(q.From, q.To)); {
		case q.From.After(q.To):
			f.Add("from", "order", apperr.M("起始月份不能晚于截止月份", "from must not be after to"))
		case n > MaxMonths:
			f.Add("to", "range", apperr.M(fmt.Sprintf("一次最多查询%d个月", MaxMonths), fmt.Sprintf("a period spans at most %d months", MaxMonths)))
		}
	}
	if d := strings.TrimSpace(get("division")); d != "" {
		code, err := region.Normalize(d)
		if err != nil {
			f.Add("division", "format", apperr.M("区划代码须为2、4、6、9或12位数字", "division must be a code of 2, 4, 6, 9 or 12 digits"))
		}
		q.Division = code
	}
	q.Point = strings.TrimSpace(get("point"))
	q.Department = strings.TrimSpace(get("department"))
	for _, p := range []struct{ name, value string }{{"point", q.Point}, {"department", q.Department}} {
		if len(p.value) > 64 {
			f.Add(p.name, "format", apperr.M("编码过长", "the code is too long"))
		}
	}
	return q, badParameter(f)
}

// Authorize checks who may ask q: an administrator anything; a hall manager
// the figures of their own point only (the point is filled in when left out).
// Every refusal is marked for the audit log.
func Authorize(actor auth.User, q *Query) error {
	switch actor.Role {
	case auth.RoleAdmin:
		return nil
	case auth.RoleHallManager:
		if q.Point == "" {
			q.Point = actor.PointCode
		}
		if q.Point != actor.PointCode || q.Division != "" || actor.PointCode == "" {
			return denied(apperr.M("大厅负责人只能查看本网点的数据", "a hall manager may see the figures of their own point only"))
		}
		return nil
	}
	return denied(apperr.M("只有管理员和大厅负责人可以查看统计数据", "only administrators and hall managers may see the figures"))
}

func denied(msg apperr.Msg) error {
	e := apperr.New(apperr.Forbidden, "figures_not_allowed", msg)
	e.Denied = true
	return e
}
