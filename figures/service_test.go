package figures_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/region/regiontest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

var cst = time.FixedZone("CST", 8*3600)

func at(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, cst) }

// clock is the one clock of the services in a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// The world of the tests: three departments, four items, five points in
// two cities of Jilin, and made-up staff (cases and the hall need no account).
const (
	deptYB, deptRS, deptSF          = "HN-YBJ", "HN-RSJ", "CC-SFJ"
	itemA, itemB, itemC, itemD      = "YB-0001", "RS-0001", "SF-0001", "RS-0002"
	hallPt, townPt, medPt, legalPt  = "HNZWFW", "BM220523100", "YB220523100", "FY220102001"
	otherPt                         = "ZW220502"
	huinan, changchun, tonghua, nan = "220523", "220100", "220500", "220102"
)

type fixture struct {
	t       *testing.T
	db      *store.DB
	clock   *clock
	cases   *cases.Service
	hall    *hall.Service
	figures *figures.Service
	admin   auth.User
	created []int64
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	cat := catalog.NewStore(db)
	for _, d := range []catalog.Department{{Code: deptYB, Name: "辉南县医疗保障局"}, {Code: deptRS, Name: "辉南县人力资源和社会保障局"},
		{Code: deptSF, Name: "长春市司法局"}} {
		if err := cat.PutDepartment(ctx, auth.System, d); err != nil {
			t.Fatal(err)
		}
	}
	idCard := []catalog.Material{{Name: "居民身份证", Type: "id_card", Requirement: catalog.Required, Originals: 1}}
	for _, it := range []catalog.Item{
		{Code: itemA, Name: "门诊慢特病待遇认定", DepartmentCode: deptYB, Levels: []int{4, 5}, LegalLimitDays: 10, PromisedLimitDays: 5},
		{Code: itemB, Name: "就业登记", DepartmentCode: deptRS, Levels: []int{4, 5}},
		{Code: itemC, Name: "法律援助申请", DepartmentCode: deptSF, Levels: []int{4, 5, 6}, LegalLimitDays: 20, PromisedLimitDays: 10},
		{Code: itemD, Name: "社会保障卡申领", DepartmentCode: deptRS, Levels: []int{5, 6}, LegalLimitDays: 5, PromisedLimitDays: 3,
			OnlineDepth: catalog.AllDepths},
	} {
		it.BaseCode, it.Type, it.Materials, it.ServesPersons = it.Code, "20", idCard, true
		saved, err := cat.SaveDraft(ctx, auth.System, it)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cat.Publish(ctx, auth.System, saved.Code, saved.Version); err != nil {
			t.Fatal(err)
		}
	}
	if err := regiontest.Load(ctx, db, []region.Region{
		{Code: "220000", Name: "吉林省", Level: 2},
		{Code: changchun, Name: "长春市", Level: 3, ParentCode: "220000"},
		{Code: nan, Name: "南关区", Level: 4, ParentCode: changchun},
		{Code: "220102001", Name: "南岭街道", Level: 5, ParentCode: nan},
		{Code: tonghua, Name: "通化市", Level: 3, ParentCode: "220000"},
		{Code: "220502", Name: "东昌区", Level: 4, ParentCode: tonghua},
		{Code: huinan, Name: "辉南县", Level: 4, ParentCode: tonghua},
		{Code: "220523100", Name: "朝阳镇", Level: 5, ParentCode: huinan},
	}); err != nil {
		t.Fatal(err)
	}
	points := network.NewStore(db)
	for _, p := range []network.Point{
		{Code: hallPt, Name: "辉南县政务服务中心", Level: 4, Kind: network.KindCountyHall, RegionCode: huinan},
		{Code: townPt, Name: "朝阳镇便民服务中心", Level: 5, Kind: network.KindTownshipCentre, RegionCode: "220523100"},
		{Code: medPt, Name: "朝阳镇医保服务点", Level: 5, Kind: network.KindMedicalPoint, RegionCode: "220523100"},
		{Code: legalPt, Name: "南岭街道法律援助联络点", Level: 6, Kind: network.KindLegalAidPoint, RegionCode: "220102001"},
		{Code: otherPt, Name: "东昌区政务服务中心", Level: 4, Kind: network.KindCountyHall, RegionCode: "220502"},
	} {
		if _, err := points.Put(ctx, auth.System, p); err != nil {
			t.Fatal(err)
		}
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := network.SetServiceDepartments(ctx, tx, network.ServiceMedicalInsurance, []string{deptYB}); err != nil {
			return err
		}
		return network.SetServiceDepartments(ctx, tx, network.ServiceLegalAid, []string{deptSF})
	})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, clock: &clock{t: at(2025, 3, 1, 9, 0)}, admin: auth.User{ID: 1, Username: "admin", Role: auth.RoleAdmin}}
	f.cases = cases.NewService(db, cat, points, cal, f.clock.Now)
	f.hall = hall.NewService(db, cal, points, cat, f.cases, f.clock.Now)
	f.figures = figures.NewService(db, cat, points, func() time.Time { return at(2026, 3, 15, 10, 0) })
	return f
}

// plan is one case to create: where, what, how it came in, when it was
// accepted and decided (zero: never), and a 补正 pause during review.
type plan struct {
	point, item    string
	online         bool
	accept, decide time.Time
	refuse         bool
	notAccepted    bool
	pause          [2]time.Time // requested, supplied
}

func desk(point string) auth.User {
	return auth.User{ID: 100, Username: "desk-" + point, Name: "王丽", Role: auth.RoleFrontDesk, PointCode: point}
}

func reviewer(dept string) auth.User {
	return auth.User{ID: 200, Username: "review-" + dept, Name: "高峰", Role: auth.RoleReviewer, DepartmentCode: dept}
}

var applicant = auth.User{ID: 300, Username: "hejingqi", Name: "何经奇", Role: auth.RoleApplicant, Kind: auth.KindPerson,
	IDNumber: ident.GenerateIDCard("220105", time.Date(1959, 11, 23, 0, 0, 0, 0, time.UTC), 31)}

// create runs p through the case service with the clock at each step's time.
func (f *fixture) create(p plan) cases.Case {
	f.t.Helper()
	ctx := context.Background()
	must := func(c cases.Case, err error) cases.Case {
		f.t.Helper()
		if err != nil {
			f.t.Fatalf("%+v: %v", p, err)
		}
		return c
	}
	var c cases.Case
	if p.online {
		f.clock.set(p.accept.Add(-time.Hour))
		c = must(f.cases.Create(ctx, applicant, cases.CreateRequest{Item: p.item, Point: p.point, Submit: true}))
	} else {
		f.clock.set(p.accept.Add(-10 * time.Minute))
		c = must(f.cases.Create(ctx, desk(p.point), cases.CreateRequest{Item: p.item,
			Applicant: &cases.Applicant{Kind: "person", Name: "于秀兰", IDNumber: ident.GenerateIDCard("220106", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC), 42)}}))
	}
	f.created = append(f.created, c.ID)
	f.clock.set(p.accept)
	if p.notAccepted {
		return must(f.cases.Act(ctx, desk(p.point), c.ID, cases.NotAccept, cases.ActRequest{Reasons: []string{"不属于本网点受理范围"}}))
	}
	c = must(f.cases.Act(ctx, desk(p.point), c.ID, cases.Accept, cases.ActRequest{Materials: []string{"id_card"}}))
	if !p.pause[0].IsZero() {
		f.clock.set(p.pause[0])
		must(f.cases.Act(ctx, reviewer(c.DepartmentCode), c.ID, cases.RequestSupplement, cases.ActRequest{Reasons: []string{"诊断证明不清晰"}}))
		f.clock.set(p.pause[1])
		must(f.cases.Act(ctx, desk(p.point), c.ID, cases.Supplement, cases.ActRequest{}))
	}
	if !p.decide.IsZero() {
		f.clock.set(p.decide)
		if p.refuse {
			c = must(f.cases.Act(ctx, reviewer(c.DepartmentCode), c.ID, cases.Refuse, cases.ActRequest{Reasons: []string{"不符合条件"}}))
		} else {
			c = must(f.cases.Act(ctx, reviewer(c.DepartmentCode), c.ID, cases.Approve, cases.ActRequest{}))
		}
	}
	return c
}

// history is the cases of the tests, across 13 months, with the edges of
// months and due dates in China (23:59:59 and midnight).
func history() []plan {
	return []plan{
		{point: hallPt, item: itemA, accept: at(2025, 5, 6, 10, 0), decide: at(2025, 5, 8, 10, 0)},
		{point: hallPt, item: itemA, online: true, accept: at(2025, 5, 20, 11, 0), decide: at(2025, 6, 30, 10, 0)},
		// The last second of June and the first of July; 即办件 are due the day they are accepted.
		{point: hallPt, item: itemB, accept: time.Date(2025, 6, 30, 23, 59, 59, 0, cst), decide: time.Date(2025, 6, 30, 23, 59, 59, 900000000, cst)},
		{point: hallPt, item: itemB, accept: at(2025, 7, 1, 0, 0), decide: at(2025, 7, 2, 9, 0)},
		{point: townPt, item: itemB, accept: at(2025, 9, 10, 9, 0), decide: time.Date(2025, 9, 10, 23, 59, 59, 999999000, cst)},
		{point: townPt, item: itemB, accept: at(2025, 9, 11, 9, 0), decide: at(2025, 9, 12, 0, 0)},
		// Due 10 November; a week of 补正 moves the date, so the 14th is on time.
		{point: hallPt, item: itemA, accept: at(2025, 11, 3, 10, 0), pause: [2]time.Time{at(2025, 11, 5, 10, 0), at(2025, 11, 12, 10, 0)},
			decide: at(2025, 11, 14, 10, 0)},
		{point: legalPt, item: itemC, accept: at(2026, 1, 5, 10, 0), decide: at(2026, 1, 16, 10, 0), refuse: true},
		{point: otherPt, item: itemA, accept: at(2026, 2, 2, 10, 0)},
		// Accepted before the period, decided in its first month, late.
		{point: hallPt, item: itemA, accept: at(2025, 3, 20, 10, 0), decide: at(2025, 4, 2, 10, 0)},
		{point: hallPt, item: itemA, accept: at(2025, 8, 1, 10, 0), notAccepted: true},
		{point: medPt, item: itemA, online: true, accept: at(2026, 3, 2, 10, 0), decide: at(2026, 3, 3, 10, 0)},
		{point: townPt, item: itemD, online: true, accept: at(2025, 12, 1, 10, 0), decide: at(2025, 12, 2, 10, 0)},
	}
}

// expected counts what the created cases say, month by month and by unit,
// with the rules of the figures: the month in China, on time by the due
// date the case holds. Only cases for which keep says yes count.
type expected struct {
	months      map[string]figures.Counts
	departments map[string]figures.Counts
	points      map[string]figures.Counts
}

func (f *fixture) expect(from, to figures.Month, keep func(c cases.Case) bool) expected {
	f.t.Helper()
	e := expected{months: map[string]figures.Counts{}, departments: map[string]figures.Counts{}, points: map[string]figures.Counts{}}
	inPeriod := func(t time.Time) bool { m := figures.MonthOf(t); return !from.After(m) && !m.After(to) }
	for _, id := range f.created {
		c, err := f.cases.Get(context.Background(), f.admin, id)
		if err != nil {
			f.t.Fatal(err)
		}
		if !keep(c) {
			continue
		}
		add := func(key string, into map[string]figures.Counts, accepted, online, decided, onTime int) {
			n := into[key]
			n.Accepted, n.Online, n.Decided, n.OnTime = n.Accepted+accepted, n.Online+online, n.Decided+decided, n.OnTime+onTime
			into[key] = n
		}
		if c.AcceptedAt != nil && inPeriod(*c.AcceptedAt) {
			online := 0
			if c.Channel == cases.ChannelOnline {
				online = 1
			}
			add(figures.MonthOf(*c.AcceptedAt).String(), e.months, 1, online, 0, 0)
			add(c.DepartmentCode, e.departments, 1, online, 0, 0)
			add(c.PointCode, e.points, 1, online, 0, 0)
		}
		if c.DecidedAt != nil && inPeriod(*c.DecidedAt) {
			onTime := 0
			if figures.OnTime(*c.DecidedAt, c.PromisedDue) {
				onTime = 1
			}
			add(figures.MonthOf(*c.DecidedAt).String(), e.months, 0, 0, 1, onTime)
			add(c.DepartmentCode, e.departments, 0, 0, 1, onTime)
			add(c.PointCode, e.points, 0, 0, 1, onTime)
		}
	}
	return e
}

func counts(c figures.Counts) [4]int { return [4]int{c.Accepted, c.Online, c.Decided, c.OnTime} }

func checkRate(t *testing.T, what string, got *float64, part, whole int) {
	t.Helper()
	switch {
	case whole == 0 && got != nil:
		t.Errorf("%s: rate %v over nothing", what, *got)
	case whole > 0 && got == nil:
		t.Errorf("%s: no rate, want %d/%d", what, part, whole)
	case whole > 0 && *got != float64(part)/float64(whole):
		t.Errorf("%s: rate %v, want %d/%d", what, *got, part, whole)
	}
}

// compare checks a report against what the created cases say.
func compare(t *testing.T, rep figures.Report, want expected) {
	t.Helper()
	var total figures.Counts
	for _, m := range rep.Months {
		w := want.months[m.Month]
		if counts(m.Counts) != counts(w) {
			t.Errorf("%s: accepted, online, decided, on time = %v, want %v", m.Month, counts(m.Counts), counts(w))
		}
		checkRate(t, m.Month+" online", m.OnlineRate, m.Online, m.Accepted)
		checkRate(t, m.Month+" on time", m.OnTimeRate, m.OnTime, m.Decided)
		delete(want.months, m.Month)
		total.Accepted, total.Online, total.Decided, total.OnTime = total.Accepted+w.Accepted, total.Online+w.Online, total.Decided+w.Decided, total.OnTime+w.OnTime
	}
	if len(want.months) > 0 {
		t.Errorf("months missing from the report: %v", slices.Sorted(maps.Keys(want.months)))
	}
	if counts(rep.Totals.Counts) != counts(total) {
		t.Errorf("totals %v, want %v", counts(rep.Totals.Counts), counts(total))
	}
	checkRate(t, "total on time", rep.Totals.OnTimeRate, total.OnTime, total.Decided)
	// A row the report lists for no case (the department or point asked
	// for) compares with zero counts.
	for _, d := range rep.Departments {
		if w := want.departments[d.Code]; counts(d.Counts) != counts(w) {
			t.Errorf("department %s: %v, want %v", d.Code, counts(d.Counts), counts(w))
		}
		delete(want.departments, d.Code)
	}
	if len(want.departments) > 0 {
		t.Errorf("departments missing: %v", slices.Sorted(maps.Keys(want.departments)))
	}
	for _, p := range rep.Points {
		if w := want.points[p.Code]; counts(p.Counts) != counts(w) {
			t.Errorf("point %s: %v, want %v", p.Code, counts(p.Counts), counts(w))
		}
		delete(want.points, p.Code)
	}
	if len(want.points) > 0 {
		t.Errorf("points missing: %v", slices.Sorted(maps.Keys(want.points)))
	}
}

func month(t *testing.T, s string) figures.Month {
	t.Helper()
	m, err := figures.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFiguresCountWhatWasCreated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for _, p := range history() {
			f.create(p)
		}
		all := func(cases.Case) bool { return true }
		at := func(points ...string) func(cases.Case) bool {
			return func(c cases.Case) bool { return slices.Contains(points, c.PointCode) }
		}
		for _, tt := range []struct {
			name     string
			q        figures.Query
			keep     func(cases.Case) bool
			points   int
			pointSet []string
		}{
			{"the province", figures.Query{}, all, 5, nil},
			{"a county", figures.Query{Division: huinan}, at(hallPt, townPt, medPt), 3, nil},
			{"a city", figures.Query{Division: tonghua}, at(hallPt, townPt, medPt, otherPt), 4, nil},
			{"another city", figures.Query{Division: changchun}, at(legalPt), 1, nil},
			{"a point", figures.Query{Point: townPt}, at(townPt), 1, nil},
			{"a department", figures.Query{Department: deptRS}, func(c cases.Case) bool { return c.DepartmentCode == deptRS }, 5, nil},
			{"a department in a county", figures.Query{Division: huinan, Department: deptYB},
				func(c cases.Case) bool { return c.DepartmentCode == deptYB && at(hallPt, townPt, medPt)(c) }, 3, nil},
			{"a point outside the division", figures.Query{Division: changchun, Point: hallPt}, func(cases.Case) bool { return false }, 0, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				q := tt.q
				q.From, q.To = figures.DefaultPeriod(f.figures.Now())
				rep, err := f.figures.Figures(ctx, f.admin, q)
				if err != nil {
					t.Fatal(err)
				}
				if rep.From != "2025-04" || rep.To != "2026-03" || len(rep.Months) != 12 {
					t.Fatalf("period %s…%s with %d months", rep.From, rep.To, len(rep.Months))
				}
				if rep.Scope.Points != tt.points {
					t.Errorf("%d points in scope, want %d", rep.Scope.Points, tt.points)
				}
				compare(t, rep, f.expect(q.From, q.To, tt.keep))
			})
		}

		// The edges, spelled out: the last second of June counts in June and
		// the first of July in July; a decision in the last microsecond of
		// the due date is on time, at midnight it is late.
		rep, err := f.figures.Figures(ctx, f.admin, figures.Query{From: month(t, "2025-06"), To: month(t, "2025-09")})
		if err != nil {
			t.Fatal(err)
		}
		june, july, sept := rep.Months[0], rep.Months[1], rep.Months[3]
		if june.Accepted != 1 || june.Decided != 2 || june.OnTime != 1 {
			t.Errorf("June: %+v, want 1 accepted, 2 decided, 1 on time", june.Counts)
		}
		if july.Accepted != 1 || july.Decided != 1 || july.OnTime != 0 {
			t.Errorf("July: %+v, want 1 accepted, 1 decided late", july.Counts)
		}
		if sept.Decided != 2 || sept.OnTime != 1 {
			t.Errorf("September: %+v, want 2 decided, 1 on time", sept.Counts)
		}
		// The paused case: decided after the date first promised, on time.
		rep, err = f.figures.Figures(ctx, f.admin, figures.Query{From: month(t, "2025-11"), To: month(t, "2025-11")})
		if err != nil {
			t.Fatal(err)
		}
		if nov := rep.Months[0]; nov.Decided != 1 || nov.OnTime != 1 {
			t.Errorf("November: %+v, want the paused case decided on time", nov.Counts)
		}
		paused, err := f.cases.Get(ctx, f.admin, f.created[6])
		if err != nil {
			t.Fatal(err)
		}
		if paused.PausedDays == 0 || paused.PromisedDue <= "2025-11-10" || paused.PromisedDue < "2025-11-14" {
			t.Errorf("the paused case is due %s after %d paused days", paused.PromisedDue, paused.PausedDays)
		}
	})
}

func TestPresenceAndCatalogue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rep, err := f.figures.Figures(context.Background(), f.admin, figures.Query{From: month(t, "2026-01"), To: month(t, "2026-03")})
		if err != nil {
			t.Fatal(err)
		}
		// Levels: 4 has A, B, C; 5 has all four; 6 has C and D. Fully online: D.
		if c := rep.Catalogue; c.Published != 4 || c.FullyOnline != 1 || c.FullyOnlineRate == nil || *c.FullyOnlineRate != 0.25 {
			t.Errorf("catalogue %+v, want 1 of 4 fully online", c)
		}
		type group struct {
			level            int
			services         string
			points           int
			handled, atLevel int
		}
		var got []group
		for _, g := range rep.Presence {
			got = append(got, group{g.Level, strings.Join(g.Services, ","), g.Points, g.Handled, g.AtLevel})
			checkRate(t, "presence", g.Rate, g.Handled, g.AtLevel)
		}
		want := []group{
			{4, "government,legal-aid,medical-insurance", 2, 3, 3}, // county halls: every item of the county level
			{5, "government", 1, 4, 4},                             // a township centre
			{5, "medical-insurance", 1, 1, 4},                      // the bureau's item A of four
			{6, "legal-aid", 1, 1, 2},                              // the justice bureau's item C of two
		}
		if !slices.Equal(got, want) {
			t.Errorf("presence %+v\nwant %+v", got, want)
		}
		// A point shows its own rate in its row, also without cases.
		rep, err = f.figures.Figures(context.Background(), f.admin, figures.Query{From: month(t, "2026-01"), To: month(t, "2026-03"), Point: medPt})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Points) != 1 || rep.Points[0].Code != medPt || rep.Points[0].Presence.Handled != 1 || rep.Points[0].Presence.AtLevel != 4 {
			t.Errorf("points %+v, want the medical point at 1 of 4", rep.Points)
		}
	})
}

func TestHallCountsByMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.clock.set(at(2025, 11, 3, 9, 0))
		var hours hall.Hours
		for d := 1; d <= 5; d++ {
			hours = append(hours, hall.Period{Weekday: d, Kind: hall.PeriodRegular, Opens: "08:30", Closes: "17:00"},
				hall.Period{Weekday: d, Kind: hall.PeriodLunch, Opens: "11:30", Closes: "13:30"})
		}
		hours = append(hours, hall.Period{Weekday: 4, Kind: hall.PeriodExtended, Opens: "17:00", Closes: "19:00"})
		for _, pt := range []string{hallPt, townPt} {
			if _, err := f.hall.PutHours(ctx, f.admin, pt, hours); err != nil {
				t.Fatal(err)
			}
			if _, err := f.hall.PutCategory(ctx, f.admin, pt, hall.Category{Code: "A", Name: "综合受理", Active: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.hall.PutWindow(ctx, f.admin, pt, hall.Window{Code: "01", Name: "1号窗口", Categories: []string{"A"}, Active: true}); err != nil {
				t.Fatal(err)
			}
		}
		// serve takes a ticket at the desk and serves it at the given time.
		serve := func(point string, when time.Time) {
			t.Helper()
			staff := desk(point)
			staff.ID = map[string]int64{hallPt: 101, townPt: 102}[point]
			f.clock.set(when)
			if _, err := f.hall.SignIn(ctx, staff, point, "01"); err != nil && apperr.As(err).Code != apperr.Conflict {
				t.Fatal(err)
			}
			tk, err := f.hall.Take(ctx, staff, point, hall.TakeRequest{Category: "A"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.hall.CallNext(ctx, staff, point, "01"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.hall.Start(ctx, staff, point, tk.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.hall.Finish(ctx, staff, point, tk.ID); err != nil {
				t.Fatal(err)
			}
		}
		serve(hallPt, at(2025, 11, 4, 12, 0))  // Tuesday lunch-time
		serve(hallPt, at(2025, 11, 5, 12, 10)) // Wednesday lunch-time
		serve(hallPt, at(2025, 11, 6, 17, 30)) // Thursday, extended hours
		serve(hallPt, at(2025, 11, 6, 10, 0))  // regular hours: not counted
		serve(townPt, at(2025, 12, 2, 12, 0))  // another point, December

		// Three bookings for 3 December: one cancelled, one kept, one missed.
		f.clock.set(at(2025, 12, 1, 9, 0))
		slots, err := f.hall.GenerateSlots(ctx, f.admin, hallPt, hall.GenerateSlotsRequest{Category: "A", From: "2025-12-03", WorkingDays: 1, EveryMinutes: 30, Capacity: 3})
		if err != nil {
			t.Fatal(err)
		}
		var appts []hall.Appointment
		for i := range 3 {
			u := applicant
			u.ID, u.Username = int64(400+i), "appl"+string(rune('a'+i))
			a, err := f.hall.Book(ctx, u, hallPt, hall.BookRequest{SlotID: slots[1].ID})
			if err != nil {
				t.Fatal(err)
			}
			appts = append(appts, a)
		}
		if _, err := f.hall.CancelAppointment(ctx, f.admin, hallPt, appts[0].ID); err != nil {
			t.Fatal(err)
		}
		f.clock.set(appts[1].StartsAt.Add(5 * time.Minute))
		if _, err := f.hall.CheckIn(ctx, f.admin, hallPt, appts[1].ID); err != nil {
			t.Fatal(err)
		}

		type hc = figures.HallCounts
		for _, tt := range []struct {
			name  string
			q     figures.Query
			nov   hc
			dec   hc
			other bool // a department: no hall counts
		}{
			{"the province", figures.Query{}, hc{LunchServices: 2, ExtendedServices: 1}, hc{Appointments: 2, AppointmentsKept: 1, LunchServices: 1}, false},
			{"the county hall", figures.Query{Point: hallPt}, hc{LunchServices: 2, ExtendedServices: 1}, hc{Appointments: 2, AppointmentsKept: 1}, false},
			{"a county", figures.Query{Division: huinan}, hc{LunchServices: 2, ExtendedServices: 1}, hc{Appointments: 2, AppointmentsKept: 1, LunchServices: 1}, false},
			{"another city", figures.Query{Division: changchun}, hc{}, hc{}, false},
			{"a department", figures.Query{Department: deptYB}, hc{}, hc{}, true},
		} {
			t.Run(tt.name, func(t *testing.T) {
				q := tt.q
				q.From, q.To = month(t, "2025-10"), month(t, "2026-01")
				rep, err := f.figures.Figures(ctx, f.admin, q)
				if err != nil {
					t.Fatal(err)
				}
				if rep.HallCounted == tt.other {
					t.Errorf("hall_counted is %v", rep.HallCounted)
				}
				if got := rep.Months[1].HallCounts; got != tt.nov {
					t.Errorf("November %+v, want %+v", got, tt.nov)
				}
				if got := rep.Months[2].HallCounts; got != tt.dec {
					t.Errorf("December %+v, want %+v", got, tt.dec)
				}
				if rep.Months[0].HallCounts != (hc{}) || rep.Months[3].HallCounts != (hc{}) {
					t.Errorf("October or January counts something: %+v %+v", rep.Months[0].HallCounts, rep.Months[3].HallCounts)
				}
				if want := tt.nov.LunchServices + tt.dec.LunchServices; rep.Totals.LunchServices != want {
					t.Errorf("total lunch-time services %d, want %d", rep.Totals.LunchServices, want)
				}
			})
		}
	})
}

func TestFiguresRefuseBadQuestionsAndOtherRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for _, tt := range []struct {
			name  string
			q     figures.Query
			field string
		}{
			{"an unknown division", figures.Query{Division: "220599"}, "division"},
			{"an unknown point", figures.Query{Point: "NOPE"}, "point"},
			{"an unknown department", figures.Query{Department: "NOPE"}, "department"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.q.From, tt.q.To = month(t, "2025-04"), month(t, "2026-03")
				_, err := f.figures.Figures(ctx, f.admin, tt.q)
				ae := apperr.As(err)
				if err == nil || ae.Code != apperr.BadRequest || len(ae.Fields) != 1 || ae.Fields[0].Field != tt.field {
					t.Fatalf("error %v, want a 400 naming %s", err, tt.field)
				}
			})
		}
		manager := auth.User{ID: 5, Username: "hn_dating", Role: auth.RoleHallManager, PointCode: hallPt}
		rep, err := f.figures.Figures(ctx, manager, figures.Query{From: month(t, "2025-04"), To: month(t, "2026-03")})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Scope.Point != hallPt || rep.Scope.Points != 1 {
			t.Errorf("a hall manager sees %+v, want their own point", rep.Scope)
		}
		for _, tt := range []struct {
			actor auth.User
			q     figures.Query
		}{
			{manager, figures.Query{Point: townPt}},
			{auth.User{ID: 6, Role: auth.RoleReviewer, DepartmentCode: deptYB}, figures.Query{Department: deptYB}},
		} {
			tt.q.From, tt.q.To = month(t, "2025-04"), month(t, "2026-03")
			_, err := f.figures.Figures(ctx, tt.actor, tt.q)
			if ae := apperr.As(err); err == nil || ae.Code != apperr.Forbidden || !ae.Denied {
				t.Errorf("%s asking %+v: %v, want an audited 403", tt.actor.Role, tt.q, err)
			}
		}
	})
}

// The figures read the points held in memory (network.Store.Shared): a point renamed, a
// point added and a service given another department by this process show
// in the very next answer, and the presence follows them.
func TestFiguresSeeThePointsWrittenAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		q := figures.Query{From: month(t, "2026-01"), To: month(t, "2026-03")}
		ask := func() figures.Report {
			t.Helper()
			rep, err := f.figures.Figures(ctx, f.admin, q)
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		if rep := ask(); rep.Scope.Points != 5 {
			t.Fatalf("%d points, want 5", rep.Scope.Points)
		}
		points := network.NewStore(db)
		if _, err := points.Put(ctx, auth.System, network.Point{Code: "NEWPT", Name: "朝阳镇新设服务点", Level: 5, Kind: network.KindMedicalPoint, RegionCode: "220523100"}); err != nil {
			t.Fatal(err)
		}
		q.Point = medPt
		before := ask()
		if len(before.Points) != 1 || before.Points[0].Presence.Handled != 1 {
			t.Fatalf("the medical point before: %+v", before.Points)
		}
		p, err := points.Get(ctx, nil, medPt)
		if err != nil {
			t.Fatal(err)
		}
		p.Name = "朝阳镇医疗保障服务站"
		if _, err := points.Put(ctx, auth.System, p); err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return network.SetServiceDepartments(ctx, tx, network.ServiceMedicalInsurance, []string{deptYB, deptRS})
		})
		if err != nil {
			t.Fatal(err)
		}
		after := ask()
		if len(after.Points) != 1 || after.Points[0].Name != p.Name || after.Points[0].Presence.Handled != 3 {
			t.Errorf("the medical point after: %+v, want renamed and handling 3 items (A, B, D)", after.Points)
		}
		q.Point = ""
		if rep := ask(); rep.Scope.Points != 6 {
			t.Errorf("%d points after one was added, want 6", rep.Scope.Points)
		}
	})
}
