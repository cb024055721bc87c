package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// The demo's past year, so that the province's figures have something to
// show: cases at the story points on every working day of the last 12
// months, taken in, decided, issued and closed through the case service with
// its clock set to each step's time, and lunch-time and extended-hours
// services at the county hall through the hall service. The volumes are a
// small fraction of the report's (230,000 cases a year at the county hall),
// enough for the charts and quick to load.

// historyDaily is how many cases a story point takes in on an ordinary
// working day; fewer around the Spring Festival, more in March and
// September, as halls see.
var historyDaily = map[string]float64{CountyHall: 2, QingzhouCentre: 0.6, DonghuiCentre: 0.4, GuangmingLegal: 0.15}

// Shares of the outcomes: decided late, refused, paused for 补正.
const (
	historyLate    = 0.07
	historyRefused = 0.04
	historyPaused  = 0.05
	historyOnline  = 0.45 // of the items that can be applied for online
)

// HistoryCounts says what LoadHistory created.
type HistoryCounts struct {
	Cases         int
	HallServices  int
	Elapsed       time.Duration
	FirstAccepted time.Time
}

// LoadWithHistory is Load followed, when it loaded anything, by LoadHistory
// for the year before now.
func LoadWithHistory(ctx context.Context, db *store.DB, now time.Time) (bool, error) {
	return LoadWithLicences(ctx, db, now, nil)
}

// LoadWithLicences is LoadWithHistory in which the past cases whose items
// yield a licence are issued one, signed with the keys in keys (nil: none).
func LoadWithLicences(ctx context.Context, db *store.DB, now time.Time, keys *licence.KeyDir) (bool, error) {
	loaded, err := Load(ctx, db, now)
	if err != nil || !loaded {
		return loaded, err
	}
	if _, err = loadHistory(ctx, db, now, keys); err != nil {
		return true, err
	}
	if _, err = LoadRatings(ctx, db, now); err != nil {
		return true, err
	}
	return true, LoadFinanceHistory(ctx, db, now)
}

// historyCase is one case to create: where, what, for whom and when each
// step happens (a zero time: the step has not happened by now).
type historyCase struct {
	point    string
	item     catalog.Item
	online   *auth.User // the applicant's account, for an online application
	person   cases.Applicant
	accepted time.Time
	pause    [2]time.Time // 补正 requested, supplied
	decided  time.Time
	refused  bool
	issued   time.Time
	closed   time.Time
}

// LoadHistory creates the demo's past year of cases and hall services, up
// to now, on the demo data Load wrote. The same now gives the same history.
func LoadHistory(ctx context.Context, db *store.DB, now time.Time) (HistoryCounts, error) {
	return loadHistory(ctx, db, now, nil)
}

func loadHistory(ctx context.Context, db *store.DB, now time.Time, keys *licence.KeyDir) (HistoryCounts, error) {
	began := time.Now() // wall clock: measures how long loading took
	cal, err := workday.NewOfficial()
	if err != nil {
		return HistoryCounts{}, err
	}
	cat := catalog.NewStore(db)
	points := network.NewStore(db)
	users, err := historyUsers(ctx, db)
	if err != nil {
		return HistoryCounts{}, err
	}
	plan, err := planHistory(ctx, cat, points, users, cal, now)
	if err != nil {
		return HistoryCounts{}, err
	}
	out := HistoryCounts{Cases: len(plan)}
	if len(plan) > 0 {
		out.FirstAccepted = plan[0].accepted
	}

	// Several workers, each with a case service of its own clock, and the
	// county hall's visits alongside: the database commits their
	// transactions together.
	const workers = 16
	jobs := make(chan historyCase)
	errs := make(chan error, workers+1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		n, err := hallHistory(ctx, db, cal, points, cat, now)
		out.HallServices = n
		if err != nil {
			errs <- err
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var at time.Time
			svc := cases.NewService(db, cat, points, cal, func() time.Time { return at })
			if keys != nil {
				// Set before any case loads: an issued case yields its licence then and there.
				lic := licence.NewService(db, cat, keys, func() time.Time { return at })
				lic.Cases = svc
				svc.OnIssue, svc.OnMemberStart = lic.OnIssue, lic.OnMemberStart
			}
			for hc := range jobs {
				if err := runHistoryCase(ctx, svc, &at, users, hc); err != nil {
					errs <- fmt.Errorf("demo: history case at %s on %s: %w", hc.point, hc.accepted.Format(time.DateOnly), err)
					for range jobs {
					}
					return
				}
			}
		}()
	}
	for _, hc := range plan {
		jobs <- hc
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return out, err
	}
	out.Elapsed = time.Since(began)
	return out, nil
}

// historyStaff are the demo accounts that act in the history.
type historyStaff struct {
	desks, issuers map[string]auth.User // by point
	reviewers      map[string]auth.User // by department
	applicants     []auth.User          // persons with accounts, for online applications
	enterprise     auth.User
}

func historyUsers(ctx context.Context, db *store.DB) (historyStaff, error) {
	st := historyStaff{desks: map[string]auth.User{}, issuers: map[string]auth.User{}, reviewers: map[string]auth.User{}}
	store := auth.NewStore(db)
	for _, a := range Accounts() {
		u, err := store.UserByUsername(ctx, a.Username)
		if err != nil {
			return st, fmt.Errorf("demo: history: %s: %w", a.Username, err)
		}
		switch {
		case u.Role == auth.RoleFrontDesk:
			if _, taken := st.desks[u.PointCode]; !taken {
				st.desks[u.PointCode] = u
			}
		case u.Role == auth.RoleIssuer:
			st.issuers[u.PointCode] = u
		case u.Role == auth.RoleReviewer:
			st.reviewers[u.DepartmentCode] = u
		case u.Role == auth.RoleApplicant && u.Kind == auth.KindPerson:
			st.applicants = append(st.applicants, u)
		case u.Role == auth.RoleApplicant:
			st.enterprise = u
		}
	}
	return st, nil
}

// Names of the walk-in applicants of the history: common surnames and given
// names, combined at random (nobody in particular).
var (
	historySurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
	historyGiven    = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
		"秀兰", "霞", "平", "刚", "桂英", "建华", "玉兰", "春梅", "海燕", "国庆", "淑珍", "志刚"}
	// Six-digit divisions (GB/T 2260) the walk-ins' identity numbers come from, by point.
	historyHome = map[string]string{CountyHall: "220523", QingzhouCentre: "220106", DonghuiCentre: "220105", GuangmingLegal: "220102"}
)

// planHistory decides every case of the year before now, deterministically.
func planHistory(ctx context.Context, cat *catalog.Store, points *network.Store, st historyStaff, cal workday.Calendar, now time.Time) ([]historyCase, error) {
	_, all := Catalogue()
	sample, err := sampleCatalogue()
	if err != nil {
		return nil, err
	}
	byPoint := map[string][]catalog.Item{}
	for _, code := range []string{CountyHall, QingzhouCentre, DonghuiCentre, GuangmingLegal} {
		pt, err := points.Get(ctx, nil, code)
		if err != nil {
			return nil, err
		}
		for _, it := range sample.Items {
			if !it.HandledAt(pt.Level) || st.reviewers[it.DepartmentCode].ID == 0 {
				continue
			}
			if pt.Kind == "legal_aid_point" && it.DepartmentCode != DeptJustice {
				continue // a liaison point offers legal aid only
			}
			i := slices.IndexFunc(all, func(x catalog.Item) bool { return x.Code == it.Code })
			if i < 0 {
				continue
			}
			published, err := cat.Published(ctx, it.Code)
			if err != nil {
				return nil, err
			}
			byPoint[code] = append(byPoint[code], published)
		}
	}
	rng := rand.New(rand.NewPCG(230000, 1642))
	cst := time.FixedZone("CST", 8*3600)
	today := workday.DateOf(now)
	start := today.AddDate(-1, 0, 1)
	var plan []historyCase
	seq := 0
	for day := start; !day.After(today); day = day.AddDate(0, 0, 1) {
		if !cal.Day(day).Workday {
			continue
		}
		season := 1.0
		switch day.Month() {
		case time.February:
			season = 0.6
		case time.March, time.September:
			season = 1.3
		}
		for _, code := range []string{CountyHall, QingzhouCentre, DonghuiCentre, GuangmingLegal} {
			want := historyDaily[code] * season
			n := int(want)
			if rng.Float64() < want-float64(n) {
				n++
			}
			for range n {
				items := byPoint[code]
				if len(items) == 0 {
					break
				}
				it := items[rng.IntN(len(items))]
				seq++
				// Accepted between 8:30 and 16:45 in China, some over lunch.
				minute := 8*60 + 30 + rng.IntN(8*60+15)
				accepted := time.Date(day.Year(), day.Month(), day.Day(), minute/60, minute%60, rng.IntN(60), 0, cst)
				if accepted.After(now) {
					continue
				}
				hc := historyCase{point: code, item: it, accepted: accepted}
				hc.person = historyApplicant(rng, code, seq, it)
				if len(it.OnlineDepth) > 1 && rng.Float64() < historyOnline {
					u := st.enterprise
					if it.ServesPersons {
						u = st.applicants[rng.IntN(len(st.applicants))]
					}
					hc.online = &u
				}
				planOutcome(&hc, rng, cal, now, cst)
				plan = append(plan, hc)
			}
		}
	}
	slices.SortStableFunc(plan, func(a, b historyCase) int { return a.accepted.Compare(b.accepted) })
	return plan, nil
}

// historyApplicant is a walk-in person (or enterprise, for enterprise items).
func historyApplicant(rng *rand.Rand, point string, seq int, it catalog.Item) cases.Applicant {
	name := string(historySurnames[rng.IntN(len(historySurnames))]) + historyGiven[rng.IntN(len(historyGiven))]
	born := time.Date(1940+rng.IntN(65), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	id := ident.GenerateIDCard(historyHome[point], born, seq%1000)
	if !it.ServesPersons {
		body := fmt.Sprintf("91%s%09d", historyHome[point], 100000000+seq) // 91: an enterprise; then the division and an organisation number
		return cases.Applicant{Kind: "enterprise", Name: name + "商贸有限公司", CreditCode: ident.GenerateCreditCode(body[:17]), IDNumber: id}
	}
	return cases.Applicant{Kind: "person", Name: name, IDNumber: id}
}

// planOutcome sets when the case is decided, issued and closed: mostly
// within the promised limit, sometimes late, refused or paused; no step
// after now.
func planOutcome(hc *historyCase, rng *rand.Rand, cal workday.Calendar, now time.Time, cst *time.Location) {
	limit := hc.item.PromisedLimitDays
	day := workday.DateOf(hc.accepted)
	at := func(d time.Time, after time.Time) time.Time {
		t := time.Date(d.Year(), d.Month(), d.Day(), 9+rng.IntN(8), rng.IntN(60), rng.IntN(60), 0, cst)
		if !t.After(after) {
			t = after.Add(time.Duration(10+rng.IntN(50)) * time.Minute)
		}
		return t
	}
	offset := rng.IntN(limit + 1)
	if rng.Float64() < historyLate {
		offset = limit + 1 + rng.IntN(3)
	}
	after := hc.accepted
	if limit > 1 && rng.Float64() < historyPaused {
		asked, _ := cal.Add(day, 1)
		supplied, _ := cal.Add(asked, 2+rng.IntN(4))
		hc.pause = [2]time.Time{at(asked, after), time.Time{}}
		hc.pause[1] = at(supplied, hc.pause[0])
		if hc.pause[1].After(now) {
			hc.pause[1] = time.Time{}
			return
		}
		after = hc.pause[1]
		day = workday.DateOf(after)
		offset = max(offset-2, 0)
	}
	decided, _ := cal.Add(day, offset)
	hc.decided = at(decided, after)
	hc.refused = rng.Float64() < historyRefused
	issued, _ := cal.Add(workday.DateOf(hc.decided), rng.IntN(2))
	hc.issued = at(issued, hc.decided)
	hc.closed = hc.issued.Add(time.Duration(5+rng.IntN(30)) * time.Minute)
	for _, t := range []*time.Time{&hc.decided, &hc.issued, &hc.closed} {
		if t.After(now) {
			hc.decided, hc.issued, hc.closed = zeroAfter(hc.decided, now), zeroAfter(hc.issued, now), zeroAfter(hc.closed, now)
			break
		}
	}
}

func zeroAfter(t, now time.Time) time.Time {
	if t.After(now) {
		return time.Time{}
	}
	return t
}

// runHistoryCase takes one case through the service, moving the worker's
// clock (*at) to each step's time.
func runHistoryCase(ctx context.Context, svc *cases.Service, at *time.Time, st historyStaff, hc historyCase) error {
	desk, issuer := st.desks[hc.point], st.issuers[hc.point]
	reviewer := st.reviewers[hc.item.DepartmentCode]
	var mats []string
	for _, m := range hc.item.Materials {
		if m.Requirement != catalog.Optional {
			mats = append(mats, m.Type)
		}
	}
	var c cases.Case
	var err error
	if hc.online != nil {
		*at = hc.accepted.Add(-time.Duration(1+len(mats)) * time.Hour)
		c, err = svc.Create(ctx, *hc.online, cases.CreateRequest{Item: hc.item.Code, Point: hc.point, Submit: true})
	} else {
		*at = hc.accepted.Add(-8 * time.Minute)
		person := hc.person
		c, err = svc.Create(ctx, desk, cases.CreateRequest{Item: hc.item.Code, Applicant: &person, Materials: mats})
	}
	if err != nil {
		return err
	}
	act := func(when time.Time, who auth.User, action cases.Action, req cases.ActRequest) error {
		*at = when
		_, err := svc.Act(ctx, who, c.ID, action, req)
		return err
	}
	accept := cases.ActRequest{}
	if hc.online != nil {
		accept.Materials = mats // checked at the desk when the application is taken in
	}
	if err := act(hc.accepted, desk, cases.Accept, accept); err != nil {
		return err
	}
	if !hc.pause[0].IsZero() {
		if err := act(hc.pause[0], reviewer, cases.RequestSupplement, cases.ActRequest{Reasons: []string{"材料内容不完整，请补正"}}); err != nil {
			return err
		}
		if hc.pause[1].IsZero() {
			return nil
		}
		if err := act(hc.pause[1], desk, cases.Supplement, cases.ActRequest{}); err != nil {
			return err
		}
	}
	if hc.decided.IsZero() {
		return nil
	}
	decide, req := cases.Approve, cases.ActRequest{}
	if hc.refused {
		decide, req = cases.Refuse, cases.ActRequest{Reasons: []string{"不符合办理条件"}}
	}
	if err := act(hc.decided, reviewer, decide, req); err != nil {
		return err
	}
	if hc.issued.IsZero() {
		return nil
	}
	if err := act(hc.decided.Add(time.Minute), reviewer, cases.PrepareResult, cases.ActRequest{}); err != nil {
		return err
	}
	method := cases.IssueAtWindow
	if hc.online != nil {
		method = cases.IssueElectronic
	}
	if err := act(hc.issued, issuer, cases.Issue, cases.ActRequest{IssueMethod: method}); err != nil {
		return err
	}
	if hc.closed.IsZero() {
		return nil
	}
	return act(hc.closed, issuer, cases.Close, cases.ActRequest{})
}

// hallHistory serves visitors at the county hall over the year before now:
// some by appointment (预约办) in the morning, some during lunch-time
// (午间不间断) and on Thursday evenings (延时办). It returns how many were
// served during lunch-time and extended hours.
func hallHistory(ctx context.Context, db *store.DB, cal workday.Calendar, points *network.Store, cat *catalog.Store, now time.Time) (int, error) {
	var at time.Time
	svc := hall.NewService(db, cal, points, cat, nil, func() time.Time { return at })
	users := auth.NewStore(db)
	var desk, manager auth.User
	var applicants []auth.User
	for _, a := range Accounts() {
		u, err := users.UserByUsername(ctx, a.Username)
		if err != nil {
			return 0, err
		}
		switch {
		case a.Username == "hn_qiantai":
			desk = u
		case a.Username == "hn_dating":
			manager = u
		case u.Role == auth.RoleApplicant && u.Kind == auth.KindPerson:
			applicants = append(applicants, u)
		}
	}
	rng := rand.New(rand.NewPCG(900, 880))
	cst := time.FixedZone("CST", 8*3600)
	clock := func(day time.Time, h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, cst)
	}
	// serve calls the next visitor to window 01 and serves them.
	serve := func(ticket int64) error {
		if _, err := svc.CallNext(ctx, desk, CountyHall, "01"); err != nil {
			return err
		}
		at = at.Add(time.Minute)
		if _, err := svc.Start(ctx, desk, CountyHall, ticket); err != nil {
			return err
		}
		at = at.Add(time.Duration(5+rng.IntN(15)) * time.Minute)
		_, err := svc.Finish(ctx, desk, CountyHall, ticket)
		return err
	}
	served := 0
	today := workday.DateOf(now)
	for day := today.AddDate(-1, 0, 1); day.Before(today); day = day.AddDate(0, 0, 1) {
		if !cal.Day(day).Workday {
			continue
		}
		appointment := rng.Float64() < 0.3
		lunch := rng.Float64() < 0.25
		evening := day.Weekday() == time.Thursday && rng.Float64() < 0.5
		if !appointment && !lunch && !evening {
			continue
		}
		at = clock(day, 8, 40)
		if _, err := svc.SignIn(ctx, desk, CountyHall, "01"); err != nil {
			return served, fmt.Errorf("demo: history: sign in: %w", err)
		}
		if appointment {
			if err := historyAppointment(ctx, svc, &at, manager, applicants[rng.IntN(len(applicants))], day, rng, serve); err != nil {
				return served, fmt.Errorf("demo: history: appointment on %s: %w", day.Format(time.DateOnly), err)
			}
		}
		for _, when := range []struct {
			on   bool
			h, m int
		}{{lunch, 11, 40 + rng.IntN(15)}, {evening, 17, 15 + rng.IntN(30)}} {
			if !when.on {
				continue
			}
			at = clock(day, when.h, when.m)
			tk, err := svc.Take(ctx, desk, CountyHall, hall.TakeRequest{Category: "A"})
			if err != nil {
				return served, fmt.Errorf("demo: history: ticket: %w", err)
			}
			if err := serve(tk.ID); err != nil {
				return served, err
			}
			served++
		}
		if _, err := svc.SignOut(ctx, desk, CountyHall, "01"); err != nil {
			return served, err
		}
	}
	return served, nil
}

// historyAppointment books a morning slot of day the evening before, checks
// the applicant in on arrival and serves them.
func historyAppointment(ctx context.Context, svc *hall.Service, at *time.Time, manager, applicant auth.User, day time.Time, rng *rand.Rand, serve func(int64) error) error {
	*at = time.Date(day.Year(), day.Month(), day.Day()-1, 18, 0, 0, 0, time.FixedZone("CST", 8*3600)) // the evening before
	slots, err := svc.GenerateSlots(ctx, manager, CountyHall, hall.GenerateSlotsRequest{Category: "A", From: day.Format(time.DateOnly),
		WorkingDays: 1, EveryMinutes: 30, Capacity: 4})
	if err != nil {
		return err
	}
	var morning []hall.Slot
	for _, sl := range slots {
		if sl.Starts >= "09:00" && sl.Starts <= "10:30" {
			morning = append(morning, sl)
		}
	}
	if len(morning) == 0 {
		return nil
	}
	a, err := svc.Book(ctx, applicant, CountyHall, hall.BookRequest{SlotID: morning[rng.IntN(len(morning))].ID})
	if err != nil {
		return err
	}
	*at = a.StartsAt.Add(-10 * time.Minute)
	tk, err := svc.CheckIn(ctx, applicant, CountyHall, a.ID)
	if err != nil {
		return err
	}
	*at = a.StartsAt
	return serve(tk.ID)
}
