package figures

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// Service answers the figures from the database.
type Service struct {
	db      *store.DB
	catalog *catalog.Store
	points  *network.Store
	regions *region.Store
	// Now is the clock (the default period ends in its month); tests set it.
	Now clock.Clock
	// recount counts the cases themselves instead of reading the kept
	// monthly figures: the tests' reference.
	recount bool
}

// NewService returns a Service over the database and its catalogue and network.
func NewService(db *store.DB, cat *catalog.Store, points *network.Store, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, catalog: cat, points: points, regions: region.NewStore(db), Now: clk}
}

// Counts are the case figures of a month, a department, a point or the period.
type Counts struct {
	// Accepted counts cases accepted (受理) in the period; Online those of
	// them that came in online (网上申请), and OnlineRate their share (网办率).
	Accepted   int      `json:"accepted"`
	Online     int      `json:"online"`
	OnlineRate *float64 `json:"online_rate"`
	// Decided counts cases decided (办结: approved or refused) in the period;
	// OnTime those decided on or before their promised due date, and
	// OnTimeRate their share (按时办结率). Paused time (补正, special
	// procedures) and approved extensions are in the due date already.
	Decided    int      `json:"decided"`
	OnTime     int      `json:"on_time"`
	OnTimeRate *float64 `json:"on_time_rate"`
}

func (c *Counts) rates() {
	c.OnlineRate = Rate(c.Online, c.Accepted)
	c.OnTimeRate = Rate(c.OnTime, c.Decided)
}

func (c *Counts) add(o Counts) {
	c.Accepted += o.Accepted
	c.Online += o.Online
	c.Decided += o.Decided
	c.OnTime += o.OnTime
}

// HallCounts are a month's figures of the halls: appointments for days of the
// month (预约办: not cancelled; kept: checked in) and services started during
// lunch-time (午间不间断) and extended hours (延时办).
type HallCounts struct {
	Appointments     int `json:"appointments"`
	AppointmentsKept int `json:"appointments_kept"`
	LunchServices    int `json:"lunch_services"`
	ExtendedServices int `json:"extended_services"`
}

func (h *HallCounts) add(o HallCounts) {
	h.Appointments += o.Appointments
	h.AppointmentsKept += o.AppointmentsKept
	h.LunchServices += o.LunchServices
	h.ExtendedServices += o.ExtendedServices
}

// MonthFigures are one month's figures.
type MonthFigures struct {
	Month string `json:"month"` // YYYY-MM, in China
	Counts
	HallCounts
}

// Totals are the figures of the whole period.
type Totals struct {
	Counts
	HallCounts
}

// UnitFigures are a department's or a point's case figures over the period.
type UnitFigures struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	Counts
}

// PointFigures are a point's case figures and its 进驻率.
type PointFigures struct {
	UnitFigures
	Level      int      `json:"level"`
	Kind       string   `json:"kind"`
	RegionCode string   `json:"region_code,omitempty"`
	Presence   Presence `json:"presence"`
}

// PresenceGroup is the 进驻率 shared by every point in scope of one level
// offering the same services (the rate depends on nothing else).
type PresenceGroup struct {
	Level    int      `json:"level"`
	Services []string `json:"services"`
	Points   int      `json:"points"`
	Presence
}

// Catalogue is the published catalogue's share of items fully online (全程网办).
type Catalogue struct {
	Published       int      `json:"published"`
	FullyOnline     int      `json:"fully_online"`
	FullyOnlineRate *float64 `json:"fully_online_rate"`
}

// Scope is what the figures cover, with names for a page to show.
type Scope struct {
	Division         string `json:"division,omitempty"`
	DivisionName     string `json:"division_name,omitempty"`
	Point            string `json:"point,omitempty"`
	PointName        string `json:"point_name,omitempty"`
	PointNameEN      string `json:"point_name_en,omitempty"`
	Department       string `json:"department,omitempty"`
	DepartmentName   string `json:"department_name,omitempty"`
	DepartmentNameEN string `json:"department_name_en,omitempty"`
	// Points counts the service points in scope.
	Points int `json:"points"`
}

// Report is the answer to a Query.
type Report struct {
	From      string         `json:"from"` // YYYY-MM
	To        string         `json:"to"`
	Scope     Scope          `json:"scope"`
	Totals    Totals         `json:"totals"`
	Months    []MonthFigures `json:"months"`
	Catalogue Catalogue      `json:"catalogue"`
	// HallCounted is false when a department is chosen: a visit to a hall
	// belongs to a point, not to a department, so the hall counts are zero.
	HallCounted bool `json:"hall_counted"`
	// Departments and Points list those in scope that accepted or decided a
	// case in the period (and the one asked for), most cases first.
	Departments []UnitFigures  `json:"departments"`
	Points      []PointFigures `json:"points"`
	// Presence is 进驻率 by level and services over every point in scope.
	Presence []PresenceGroup `json:"presence"`
	// Notifications are the messages per channel, for the province only.
	Notifications NotifyFigures `json:"notifications"`
}

// scope is a resolved Query: the points it covers and the SQL that selects them.
type scope struct {
	points  []network.Point // in scope
	byCode  map[string]*network.Point
	cond    string // " AND …" on point_code (and department_code for cases)
	args    []any
	hall    string // the same on point_code alone, for the hall's tables
	hallArg []any
	empty   bool // no point in scope: nothing to count
	dialect store.Dialect
}

// Figures answers q for actor: administrators anything, hall managers their
// own point (Authorize). Unknown divisions, points and departments are 400s
// naming the parameter.
func (s *Service) Figures(ctx context.Context, actor auth.User, q Query) (Report, error) {
	if err := Authorize(actor, &q); err != nil {
		return Report{}, err
	}
	months := Months(q.From, q.To)
	if len(months) == 0 || len(months) > MaxMonths {
		return Report{}, badParameter(apperr.Fields{apperr.Field("to", "range", apperr.M("查询期间有误", "the period is not valid"))})
	}
	rep := Report{From: q.From.String(), To: q.To.String(), HallCounted: q.Department == "",
		Departments: []UnitFigures{}, Points: []PointFigures{}, Presence: []PresenceGroup{}}
	// The points and the departments of their services, as the points'
	// cache holds them (read anew per request, they were most of the cost
	// of the province's answer): shared, never modified here.
	allPoints, serviceDepts, err := s.points.Shared(ctx)
	if err != nil {
		return Report{}, err
	}
	sc, err := s.resolve(ctx, q, allPoints, &rep.Scope)
	if err != nil {
		return Report{}, err
	}
	rep.Months = make([]MonthFigures, len(months))
	for i, m := range months {
		rep.Months[i].Month = m.String()
	}
	depts := map[string]*Counts{}
	points := map[string]*Counts{}
	if !sc.empty {
		count := s.countCases
		if s.recount {
			count = s.recountCases
		}
		if err := count(ctx, sc, q, months, rep.Months, depts, points); err != nil {
			return Report{}, err
		}
		if rep.HallCounted {
			if err := s.countHall(ctx, sc, months, rep.Months); err != nil {
				return Report{}, err
			}
		}
	}
	for i := range rep.Months {
		rep.Months[i].rates()
		rep.Totals.Counts.add(rep.Months[i].Counts)
		rep.Totals.HallCounts.add(rep.Months[i].HallCounts)
	}
	rep.Totals.rates()

	counts, err := s.catalog.PublishedCounts(ctx)
	if err != nil {
		return Report{}, err
	}
	rep.Catalogue = Catalogue{Published: counts.Published, FullyOnline: counts.FullyOnline, FullyOnlineRate: Rate(counts.FullyOnline, counts.Published)}
	items, err := s.itemsAtLevels(ctx, counts, sc.points, serviceDepts)
	if err != nil {
		return Report{}, err
	}

	names, err := s.catalog.DepartmentsByCode(ctx)
	if err != nil {
		return Report{}, err
	}
	if q.Department != "" && depts[q.Department] == nil {
		depts[q.Department] = &Counts{}
	}
	for code, c := range depts {
		c.rates()
		u := UnitFigures{Code: code, Name: code, Counts: *c}
		if d, ok := names[code]; ok {
			u.Name, u.NameEN = d.Name, d.NameEN
		}
		rep.Departments = append(rep.Departments, u)
	}
	slices.SortFunc(rep.Departments, func(a, b UnitFigures) int {
		return cmp.Or(cmp.Compare(b.Accepted+b.Decided, a.Accepted+a.Decided), cmp.Compare(a.Code, b.Code))
	})
	if q.Point != "" && points[q.Point] == nil && sc.byCode[q.Point] != nil {
		points[q.Point] = &Counts{}
	}
	for code, c := range points {
		c.rates()
		pf := PointFigures{UnitFigures: UnitFigures{Code: code, Name: code, Counts: *c}}
		if p := sc.byCode[code]; p != nil {
			pf.Name, pf.NameEN, pf.Level, pf.Kind, pf.RegionCode = p.Name, p.NameEN, p.Level, p.Kind, p.RegionCode
			pf.Presence = PresenceOf(p.Level, p.Services, serviceDepts, items)
		}
		rep.Points = append(rep.Points, pf)
	}
	slices.SortFunc(rep.Points, func(a, b PointFigures) int {
		return cmp.Or(cmp.Compare(b.Accepted+b.Decided, a.Accepted+a.Decided), cmp.Compare(a.Code, b.Code))
	})
	rep.Presence = presenceGroups(sc.points, serviceDepts, items)
	rep.Notifications = NotifyFigures{Totals: []NotifyChannel{}, Months: []NotifyMonth{}}
	if q.Division == "" && q.Point == "" && q.Department == "" {
		if rep.Notifications, err = s.countNotifications(ctx, months); err != nil {
			return Report{}, err
		}
	}
	return rep, nil
}

// resolve finds the points in scope and checks every code q names.
func (s *Service) resolve(ctx context.Context, q Query, all []network.Point, out *Scope) (*scope, error) {
	sc := &scope{points: all, byCode: map[string]*network.Point{}, dialect: s.db.Dialect()}
	var bad apperr.Fields
	if q.Division != "" {
		div, err := s.regions.Get(ctx, q.Division)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			bad.Add("division", "unknown", apperr.M("行政区划不存在", "no such division"))
		case err != nil:
			return nil, err
		default:
			sc.points = PointsIn(all, &div)
			out.Division, out.DivisionName = div.Code, div.Name
		}
	}
	if q.Point != "" {
		i := slices.IndexFunc(all, func(p network.Point) bool { return p.Code == q.Point })
		if i < 0 {
			bad.Add("point", "unknown", apperr.M("服务网点不存在", "no such service point"))
		} else {
			p := all[i]
			out.Point, out.PointName, out.PointNameEN = p.Code, p.Name, p.NameEN
			sc.points = slices.DeleteFunc(slices.Clone(sc.points), func(x network.Point) bool { return x.Code != p.Code })
		}
	}
	if q.Department != "" {
		d, err := s.catalog.Department(ctx, q.Department)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			bad.Add("department", "unknown", apperr.M("部门不存在", "no such department"))
		case err != nil:
			return nil, err
		default:
			out.Department, out.DepartmentName, out.DepartmentNameEN = d.Code, d.Name, d.NameEN
		}
	}
	if err := badParameter(bad); err != nil {
		return nil, err
	}
	for i := range sc.points {
		sc.byCode[sc.points[i].Code] = &sc.points[i]
	}
	out.Points = len(sc.points)
	switch {
	case q.Point != "":
		sc.hall, sc.hallArg = " AND point_code = ?", []any{q.Point}
		sc.empty = len(sc.points) == 0 // a point outside the division asked for
	case q.Division != "":
		sc.empty = len(sc.points) == 0
		codes := make([]any, len(sc.points))
		for i, p := range sc.points {
			codes[i] = p.Code
		}
		sc.hall, sc.hallArg = " AND point_code IN ("+questionMarks(len(codes))+")", codes
	}
	sc.cond, sc.args = sc.hall, sc.hallArg
	if q.Department != "" {
		sc.cond, sc.args = sc.cond+" AND department_code = ?", append(slices.Clone(sc.args), q.Department)
	}
	return sc, nil
}

func questionMarks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// The counting queries. The case figures are read from the monthly figures
// kept as cases change (00018_growth.*.sql), at the coarsest grain that
// answers the question: per point and per department for the whole
// province, per point and department when a division, a point or a
// department narrows it. Their size depends on the points, departments and
// months, never on the number of cases. The hall's tables are small and
// grouped in SQL. explain_test.go checks that both engines read indexes.

// keptRows selects the kept case figures of the period's months from table,
// whose rows name a point, a department or both (an empty code where the
// grain has none).
func keptRows(table, cond string, args []any, months []Month) (string, []any) {
	point, dept := "point_code", "department_code"
	switch table {
	case "case_month_points":
		dept = "''"
	case "case_month_departments":
		point = "''"
	}
	return `SELECT month, ` + dept + `, ` + point + `, accepted, online, decided, on_time FROM ` + table + `
		WHERE month >= ? AND month <= ?` + cond,
		slices.Concat([]any{months[0].String(), months[len(months)-1].String()}, args)
}

// keptTotals selects the kept case figures of the period from table added
// up by by (point_code or department_code) in SQL: a source that only fills
// in the points (or the departments) gets a row per point instead of a row
// per point, month and slot (on PostgreSQL eight slots), which is what the
// province's answer read and decoded on every request.
func keptTotals(table, by, cond string, args []any, months []Month) (string, []any) {
	point, dept := "''", "''"
	if by == "point_code" {
		point = by
	} else {
		dept = by
	}
	return `SELECT '', ` + dept + `, ` + point + `, CAST(SUM(accepted) AS BIGINT), CAST(SUM(online) AS BIGINT),
		CAST(SUM(decided) AS BIGINT), CAST(SUM(on_time) AS BIGINT) FROM ` + table + `
		WHERE month >= ? AND month <= ?` + cond + ` GROUP BY ` + by,
		slices.Concat([]any{months[0].String(), months[len(months)-1].String()}, args)
}

// keptSource is one read of kept figures and what it fills in.
type keptSource struct {
	table                string
	cond                 string
	args                 []any
	months, depts, units bool // units: the points
}

// keptSources chooses the grains that answer sc: every case counted once
// for the months, for the departments and for the points.
func keptSources(sc *scope, department string) []keptSource {
	var deptCond string
	var deptArgs []any
	if department != "" {
		deptCond, deptArgs = " AND department_code = ?", []any{department}
	}
	switch {
	case sc.hall == "" && department == "":
		return []keptSource{
			{table: "case_month_departments", months: true, depts: true},
			{table: "case_month_points", units: true},
		}
	case sc.hall == "":
		return []keptSource{
			{table: "case_month_departments", cond: deptCond, args: deptArgs, months: true, depts: true},
			{table: "case_month_figures", cond: deptCond, args: deptArgs, units: true},
		}
	case department == "":
		return []keptSource{
			{table: "case_month_points", cond: sc.hall, args: sc.hallArg, months: true, units: true},
			{table: "case_month_figures", cond: sc.cond, args: sc.args, depts: true},
		}
	}
	return []keptSource{{table: "case_month_figures", cond: sc.cond, args: sc.args, months: true, depts: true, units: true}}
}

// countCases fills the months, departments and points with the cases
// accepted and decided in the period, from the kept monthly figures. Rows
// that count nothing (every case they counted moved elsewhere) are skipped,
// so that a department or point appears when it has something counted.
func (s *Service) countCases(ctx context.Context, sc *scope, q Query, months []Month, out []MonthFigures, depts, points map[string]*Counts) error {
	index := make(map[string]int, len(months))
	for i, m := range months {
		index[m.String()] = i
	}
	var month, dept, point sql.RawBytes
	var n Counts
	for _, src := range keptSources(sc, q.Department) {
		query, args := keptRows(src.table, src.cond, src.args, months)
		totals := !src.months && src.depts != src.units // no month needed: added up in SQL
		if totals {
			by := "point_code"
			if src.depts {
				by = "department_code"
			}
			query, args = keptTotals(src.table, by, src.cond, src.args, months)
		}
		err := s.each(ctx, query, args, func(scan func(...any) error) error {
			if err := scan(&month, &dept, &point, &n.Accepted, &n.Online, &n.Decided, &n.OnTime); err != nil {
				return err
			}
			i, ok := index[string(month)]
			if (!ok && !totals) || n == (Counts{}) {
				return nil
			}
			if src.months {
				out[i].Counts.add(n)
			}
			if src.depts {
				unit(depts, dept).add(n)
			}
			if src.units {
				unit(points, point).add(n)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// appointmentsByMonth counts appointments by month and status. The hall's
// tables keep the civil day in China, so its first seven characters are the month.
func appointmentsByMonth(sc *scope, months []Month) (string, []any) {
	return `SELECT SUBSTR(day, 1, 7) AS m, status, COUNT(*) FROM hall_appointments
		WHERE day >= ? AND day < ?` + sc.hall + ` GROUP BY m, status`,
		slices.Concat([]any{months[0].FirstDay(), months[len(months)-1].Add(1).FirstDay()}, sc.hallArg)
}

// periodServicesByMonth counts services started during lunch-time and
// extended hours by month. The literal IN list is the condition of the
// partial index the query reads.
func periodServicesByMonth(sc *scope, months []Month) (string, []any) {
	return `SELECT SUBSTR(day, 1, 7) AS m, period, COUNT(*) FROM hall_tickets
		WHERE period IN ('lunch', 'extended') AND day >= ? AND day < ?` + sc.hall + ` GROUP BY m, period`,
		slices.Concat([]any{months[0].FirstDay(), months[len(months)-1].Add(1).FirstDay()}, sc.hallArg)
}

// countHall fills the months with the halls' appointments and lunch-time
// and extended-hours services.
func (s *Service) countHall(ctx context.Context, sc *scope, months []Month, out []MonthFigures) error {
	index := map[string]int{}
	for i, m := range months {
		index[m.String()] = i
	}
	query, args := appointmentsByMonth(sc, months)
	err := s.each(ctx, query, args, func(scan func(...any) error) error {
		var m, status string
		var n int
		if err := scan(&m, &status, &n); err != nil {
			return err
		}
		i, ok := index[m]
		if !ok || status == hall.ApptCancelled {
			return nil
		}
		out[i].Appointments += n
		if status == hall.ApptCheckedIn {
			out[i].AppointmentsKept += n
		}
		return nil
	})
	if err != nil {
		return err
	}
	query, args = periodServicesByMonth(sc, months)
	return s.each(ctx, query, args, func(scan func(...any) error) error {
		var m, kind string
		var n int
		if err := scan(&m, &kind, &n); err != nil {
			return err
		}
		i, ok := index[m]
		if !ok {
			return nil
		}
		switch kind {
		case hall.PeriodLunch:
			out[i].LunchServices += n
		case hall.PeriodExtended:
			out[i].ExtendedServices += n
		}
		return nil
	})
}

// each runs a query and calls row for every row with its Scan.
func (s *Service) each(ctx context.Context, query string, args []any, row func(scan func(...any) error) error) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return apperr.Wrap(err, "figures: query")
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return apperr.Wrap(err, "figures: read")
		}
	}
	return apperr.Wrap(rows.Err(), "figures: read")
}

// itemsAtLevels counts the published items of each level, and of each
// department a non-government service covers at the levels of the points.
func (s *Service) itemsAtLevels(ctx context.Context, counts catalog.CatalogCounts, points []network.Point, serviceDepts map[string][]string) (ItemsAtLevel, error) {
	items := ItemsAtLevel{ByLevel: counts.ByLevel, ByDepartmentLevel: map[DepartmentLevel]int{}}
	needed := map[DepartmentLevel]bool{}
	for _, p := range points {
		if slices.Contains(p.Services, network.ServiceGovernment) {
			continue
		}
		for _, sv := range p.Services {
			for _, d := range serviceDepts[sv] {
				needed[DepartmentLevel{d, p.Level}] = true
			}
		}
	}
	for dl := range needed {
		_, n, err := s.catalog.Search(ctx, catalog.Filter{Department: dl.Department, Level: dl.Level, Limit: 1})
		if err != nil {
			return items, err
		}
		items.ByDepartmentLevel[dl] = n
	}
	return items, nil
}

// presenceGroups gives the 进驻率 of each level and set of services among points.
func presenceGroups(points []network.Point, serviceDepts map[string][]string, items ItemsAtLevel) []PresenceGroup {
	groups := map[string]*PresenceGroup{}
	for _, p := range points {
		services := slices.Sorted(slices.Values(p.Services))
		key := string(rune('0'+p.Level)) + strings.Join(services, ",")
		g := groups[key]
		if g == nil {
			g = &PresenceGroup{Level: p.Level, Services: services, Presence: PresenceOf(p.Level, services, serviceDepts, items)}
			if g.Services == nil {
				g.Services = []string{}
			}
			groups[key] = g
		}
		g.Points++
	}
	out := make([]PresenceGroup, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b PresenceGroup) int {
		return cmp.Or(cmp.Compare(a.Level, b.Level), slices.Compare(a.Services, b.Services))
	})
	return out
}

// Division is a city (市、州) with its counties, for choosing a scope.
type Division struct {
	region.Region
	Counties []region.Region
}

// Divisions lists the cities and their counties of the divisions loaded,
// in code order, for a page to choose from.
func (s *Service) Divisions(ctx context.Context) ([]Division, error) {
	cities, _, err := s.regions.List(ctx, region.Filter{Level: region.LevelCity, Limit: 2000})
	if err != nil {
		return nil, err
	}
	counties, _, err := s.regions.List(ctx, region.Filter{Level: region.LevelCounty, Limit: 2000})
	if err != nil {
		return nil, err
	}
	out := make([]Division, len(cities))
	at := map[string]int{}
	for i, c := range cities {
		out[i].Region = c
		at[c.Code] = i
	}
	for _, c := range counties {
		if i, ok := at[c.ParentCode]; ok {
			out[i].Counties = append(out[i].Counties, c)
		}
	}
	return out, nil
}
