package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// HallAccounts returns the staff the halls add to Accounts: 青州社区's other
// 全科社工 (two of the four are on duty each day, by rotation, as the report
// describes) and the centre's manager, who keeps the roster.
func HallAccounts() []Account {
	generalist := func(username, name string) Account {
		return Account{Username: username, Role: auth.RoleFrontDesk, Description: "全科社工, 青州社区便民服务中心 (轮岗)",
			User: auth.User{Username: username, Name: name, Role: auth.RoleFrontDesk, PointCode: QingzhouCentre}}
	}
	return []Account{
		generalist("qz_quanke2", "张红梅"),
		generalist("qz_quanke3", "刘海波"),
		generalist("qz_quanke4", "陈静"),
		{Username: "qz_dating", Role: auth.RoleHallManager, Description: "hall manager, 青州社区便民服务中心 (值班表)",
			User: auth.User{Username: "qz_dating", Name: "赵淑芳", Role: auth.RoleHallManager, PointCode: QingzhouCentre}},
	}
}

// hallPlan is the hall of one demo point.
type hallPlan struct {
	point      string
	categories []hall.Category
	windows    []hall.Window
	hours      hall.Hours
	slotsOf    []string // categories bookable by appointment
	capacity   int      // per 30-minute slot
}

func weekdays(kind, opens, closes string, days ...int) hall.Hours {
	var h hall.Hours
	for _, d := range days {
		h = append(h, hall.Period{Weekday: d, Kind: kind, Opens: opens, Closes: closes})
	}
	return h
}

func hallPlans() []hallPlan {
	cat := func(code, name, en string, order int) hall.Category {
		return hall.Category{Code: code, Name: name, NameEN: en, SortOrder: order, Active: true}
	}
	window := func(code, name string, order int, cats ...string) hall.Window {
		return hall.Window{Code: code, Name: name, Categories: cats, SortOrder: order, Active: true}
	}
	// The county hall (辉南县政务服务中心): 8 无差别综合受理 windows (which also
	// answer questions), 2 统一出证, 1 一件事, 1 帮代办; open through lunch
	// (午间不间断) and until 19:00 on Thursdays (延时办).
	county := hallPlan{point: CountyHall, slotsOf: []string{"A", "C"}, capacity: 4,
		categories: []hall.Category{cat("A", "综合受理", "General acceptance", 1), cat("B", "出证取件", "Results and certificates", 2),
			cat("C", "一件事", "One-thing bundles", 3), cat("D", "帮代办", "Assisted applications", 4), cat("E", "咨询", "Enquiries", 5)}}
	for i := 1; i <= 8; i++ {
		county.windows = append(county.windows, window(fmt.Sprintf("%02d", i), fmt.Sprintf("%d号综合受理窗口", i), i, "A", "E"))
	}
	county.windows = append(county.windows, window("09", "9号统一出证窗口", 9, "B"), window("10", "10号统一出证窗口", 10, "B"),
		window("11", "11号“高效办成一件事”窗口", 11, "C"), window("12", "12号帮代办窗口", 12, "D"))
	county.hours = append(append(weekdays(hall.PeriodRegular, "08:30", "17:00", 1, 2, 3, 4, 5),
		weekdays(hall.PeriodLunch, "11:30", "13:30", 1, 2, 3, 4, 5)...),
		weekdays(hall.PeriodExtended, "17:00", "19:00", 4)...)

	// Community and street centres: a smaller set, two windows, a lunch break.
	community := func(point, first, second string) hallPlan {
		return hallPlan{point: point, slotsOf: []string{"A"}, capacity: 2,
			categories: []hall.Category{cat("A", "综合受理", "General acceptance", 1), cat("B", "出证取件", "Results and certificates", 2),
				cat("E", "咨询", "Enquiries", 3)},
			windows: []hall.Window{window("01", first, 1, "A", "B", "E"), window("02", second, 2, "A", "B", "E")},
			hours: append(weekdays(hall.PeriodRegular, "08:30", "11:30", 1, 2, 3, 4, 5),
				weekdays(hall.PeriodRegular, "13:30", "17:00", 1, 2, 3, 4, 5)...)}
	}
	return []hallPlan{county,
		community(QingzhouCentre, "1号全科社工窗口", "2号全科社工窗口"),
		community(DonghuiCentre, "1号综合窗口", "2号综合窗口"),
		community(GuangmingLegal, "法律援助接待窗口", "综合窗口"),
	}
}

// loadHall sets up the halls of the story points: categories, windows,
// hours, appointment slots for the next 10 opening days, and 青州社区's
// generalists with their rotation.
func loadHall(ctx context.Context, db *store.DB, now time.Time) error {
	cal, err := workday.NewOfficial()
	if err != nil {
		return err
	}
	svc := hall.NewService(db, cal, network.NewStore(db), catalog.NewStore(db), nil, clock.Fixed(now))
	for _, p := range hallPlans() {
		if _, err := svc.PutHours(ctx, demoActor, p.point, p.hours); err != nil {
			return fmt.Errorf("demo: hours of %s: %w", p.point, err)
		}
		for _, c := range p.categories {
			if _, err := svc.PutCategory(ctx, demoActor, p.point, c); err != nil {
				return fmt.Errorf("demo: category %s of %s: %w", c.Code, p.point, err)
			}
		}
		for _, w := range p.windows {
			if _, err := svc.PutWindow(ctx, demoActor, p.point, w); err != nil {
				return fmt.Errorf("demo: window %s of %s: %w", w.Code, p.point, err)
			}
		}
	}

	users := auth.NewStore(db)
	for _, a := range HallAccounts() {
		if _, err := users.AddUser(ctx, auth.System, a.User, Password); err != nil {
			return fmt.Errorf("demo: user %s: %w", a.Username, err)
		}
	}
	for _, name := range rotation {
		u, err := users.UserByUsername(ctx, name)
		if err != nil {
			return fmt.Errorf("demo: user %s: %w", name, err)
		}
		if _, err := svc.PutSkill(ctx, demoActor, QingzhouCentre, hall.Skill{UserID: u.ID, AllItems: true}); err != nil {
			return fmt.Errorf("demo: skill of %s: %w", name, err)
		}
	}
	_, err = keepHall(ctx, db, svc)
	return err
}

// demoActor is who the demo's hall set-up acts as (an administrator).
var demoActor = auth.User{Username: "demo", Name: "demo", Role: auth.RoleAdmin}

// rotation are 青州社区's generalists in turn order, two on duty a day.
var rotation = []string{"qz_quanke", "qz_quanke2", "qz_quanke3", "qz_quanke4"}

// Demo halls are prepared this many opening days ahead.
const (
	hallDaysAhead = 10
	rosterPerDay  = 2
)

// KeepHall keeps a running demo's halls prepared as the days pass: every
// bookable category has slots, and 青州社区 a roster, for the next ten
// opening days from now's day. Only the days missing after the last one
// prepared are added, so what a hall manager changed stays; it reports how
// many days were added (0 when nothing was missing). The server runs it
// with its scheduled jobs.
func KeepHall(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	cal, err := workday.NewOfficial()
	if err != nil {
		return 0, err
	}
	svc := hall.NewService(db, cal, network.NewStore(db), catalog.NewStore(db), nil, clock.Fixed(now))
	return keepHall(ctx, db, svc)
}

func keepHall(ctx context.Context, db *store.DB, svc *hall.Service) (int, error) {
	today := clock.CivilDate(svc.Now())
	horizon := workday.FormatDate(today.AddDate(0, 0, 4*hallDaysAhead+14))
	added := 0
	for _, p := range hallPlans() {
		for _, c := range p.slotsOf {
			slots, err := svc.Slots(ctx, p.point, hall.SlotFilter{From: workday.FormatDate(today), To: horizon, Category: c})
			if err != nil {
				return added, fmt.Errorf("demo: slots of %s: %w", p.point, err)
			}
			days := make([]string, 0, len(slots))
			for _, sl := range slots {
				days = append(days, sl.Day)
			}
			from, missing := stillMissing(today, days)
			if missing == 0 {
				continue
			}
			_, err = svc.GenerateSlots(ctx, demoActor, p.point, hall.GenerateSlotsRequest{Category: c, From: from,
				WorkingDays: missing, EveryMinutes: 30, Capacity: p.capacity})
			if err != nil && apperr.CodeOf(err) != apperr.Conflict { // Conflict: no opening hours left to fill
				return added, fmt.Errorf("demo: slots of %s: %w", p.point, err)
			}
			added += missing
		}
	}

	roster, err := svc.Roster(ctx, demoActor, QingzhouCentre, workday.FormatDate(today), horizon)
	if err != nil {
		return added, fmt.Errorf("demo: roster of %s: %w", QingzhouCentre, err)
	}
	days := make([]string, 0, len(roster))
	for _, e := range roster {
		days = append(days, e.Day)
	}
	from, missing := stillMissing(today, days)
	if missing == 0 {
		return added, nil
	}
	users := auth.NewStore(db)
	staff := make([]int64, 0, len(rotation))
	for _, name := range rotation {
		u, err := users.UserByUsername(ctx, name)
		if err != nil {
			return added, fmt.Errorf("demo: user %s: %w", name, err)
		}
		staff = append(staff, u.ID)
	}
	// Go on with the rotation where the days already on the roster left it.
	shift := (len(distinct(days)) * rosterPerDay) % len(staff)
	staff = append(staff[shift:], staff[:shift]...)
	_, err = svc.Rotate(ctx, demoActor, QingzhouCentre, hall.RotateRequest{From: from, Days: missing, PerDay: rosterPerDay, Staff: staff})
	if err != nil && apperr.CodeOf(err) != apperr.Conflict {
		return added, fmt.Errorf("demo: roster of %s: %w", QingzhouCentre, err)
	}
	return added + missing, nil
}

// stillMissing says how many opening days must be added after the days
// already prepared (YYYY-MM-DD, from today on, sorted) to reach
// hallDaysAhead, and from which day: the day after the last prepared one,
// or today when none is.
func stillMissing(today time.Time, prepared []string) (string, int) {
	have := distinct(prepared)
	if len(have) >= hallDaysAhead {
		return "", 0
	}
	from := today
	if len(have) > 0 {
		last, err := workday.ParseDate(have[len(have)-1])
		if err == nil && !last.Before(today) {
			from = last.AddDate(0, 0, 1)
		}
	}
	return workday.FormatDate(from), hallDaysAhead - len(have)
}

// distinct returns the sorted days without repeats.
func distinct(days []string) []string {
	out := slices.Clone(days)
	slices.Sort(out)
	return slices.Compact(out)
}
