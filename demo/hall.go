package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
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
// hours, appointment slots for the next 10 working days, and 青州社区's
// generalists with their rotation.
func loadHall(ctx context.Context, db *store.DB) error {
	cal, err := workday.NewOfficial()
	if err != nil {
		return err
	}
	cat := catalog.NewStore(db)
	svc := hall.NewService(db, cal, network.NewStore(db), cat, nil)
	admin := auth.User{Username: "demo", Name: "demo", Role: auth.RoleAdmin}
	today := workday.FormatDate(workday.DateOf(time.Now()))
	for _, p := range hallPlans() {
		if _, err := svc.PutHours(ctx, admin, p.point, p.hours); err != nil {
			return fmt.Errorf("demo: hours of %s: %w", p.point, err)
		}
		for _, c := range p.categories {
			if _, err := svc.PutCategory(ctx, admin, p.point, c); err != nil {
				return fmt.Errorf("demo: category %s of %s: %w", c.Code, p.point, err)
			}
		}
		for _, w := range p.windows {
			if _, err := svc.PutWindow(ctx, admin, p.point, w); err != nil {
				return fmt.Errorf("demo: window %s of %s: %w", w.Code, p.point, err)
			}
		}
		for _, c := range p.slotsOf {
			if _, err := svc.GenerateSlots(ctx, admin, p.point, hall.GenerateSlotsRequest{Category: c, From: today, WorkingDays: 10,
				EveryMinutes: 30, Capacity: p.capacity}); err != nil {
				return fmt.Errorf("demo: slots of %s: %w", p.point, err)
			}
		}
	}

	users := auth.NewStore(db)
	for _, a := range HallAccounts() {
		if _, err := users.AddUser(ctx, a.User, Password); err != nil {
			return fmt.Errorf("demo: user %s: %w", a.Username, err)
		}
	}
	var rotation []int64
	for _, name := range []string{"qz_quanke", "qz_quanke2", "qz_quanke3", "qz_quanke4"} {
		u, err := users.UserByUsername(ctx, name)
		if err != nil {
			return fmt.Errorf("demo: user %s: %w", name, err)
		}
		if _, err := svc.PutSkill(ctx, admin, QingzhouCentre, hall.Skill{UserID: u.ID, AllItems: true}); err != nil {
			return fmt.Errorf("demo: skill of %s: %w", name, err)
		}
		rotation = append(rotation, u.ID)
	}
	if _, err := svc.Rotate(ctx, admin, QingzhouCentre, hall.RotateRequest{From: today, Days: 10, PerDay: 2, Staff: rotation}); err != nil {
		return fmt.Errorf("demo: roster of %s: %w", QingzhouCentre, err)
	}
	return nil
}
