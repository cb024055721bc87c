package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Story 5: 吉林经开区 set up an office serving 吉林化纤 and stationed cadres
// there, so that a request is accepted within one working day, has a proposed
// solution within two and goes to a joint meeting (二级联席会议) on the third
// (吉林日报, 2024). The demo's departments are 辉南县's, standing in for the
// development zone's.
const (
	EnterpriseTeam     = "JLHX-ZQFW"
	EnterpriseTeamName = "服务化纤集团办公室（驻企服务专班）"
)

// EnterpriseAccounts returns the service team's staff: a lead, told of every
// escalation, and a stationed officer. Both are reviewers of 科学技术和工业信息化局.
func EnterpriseAccounts() []Account {
	staff := func(username, name, desc string) Account {
		return Account{Username: username, Role: auth.RoleReviewer, Description: desc,
			User: auth.User{Username: username, Name: name, Role: auth.RoleReviewer, DepartmentCode: DeptScienceIndustry}}
	}
	return []Account{
		staff("qy_fuzeren", "孟庆海", "驻企服务专班负责人, 服务化纤集团办公室 (story 5)"),
		staff("qy_zhuanyuan", "韩雪", "驻企服务专员, 服务化纤集团办公室 (story 5)"),
	}
}

// loadEnterprise adds the service team of story 5 and three requests of
// 吉林化纤 in different states: one left unanswered, which the scan has taken
// to the joint meeting; one with a proposed solution; one just raised.
func loadEnterprise(ctx context.Context, db *store.DB, now time.Time) error {
	users := auth.NewStore(db)
	for _, a := range EnterpriseAccounts() {
		if _, err := users.AddUser(ctx, auth.System, a.User, Password); err != nil {
			return fmt.Errorf("demo: user %s: %w", a.Username, err)
		}
	}
	admin, err := users.UserByUsername(ctx, "admin")
	if err != nil {
		return fmt.Errorf("demo: enterprise team: %w", err)
	}
	company, err := users.UserByUsername(ctx, "jlhx")
	if err != nil {
		return fmt.Errorf("demo: enterprise team: %w", err)
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		return err
	}
	at := now
	svc := enterprise.NewService(db, cal, func() time.Time { return at })
	accounts := EnterpriseAccounts()
	team := enterprise.Team{Code: EnterpriseTeam, Name: EnterpriseTeamName, DepartmentCode: DeptScienceIndustry,
		MeetingDepartments: []string{DeptNaturalResources, DeptDevelopment, DeptHumanResources, DeptHousing},
		Members:            []enterprise.Member{{Username: accounts[0].Username, Lead: true}, {Username: accounts[1].Username}},
		Enterprises:        []string{company.CreditCode}, Default: true}
	if _, err := svc.PutTeam(ctx, admin, team); err != nil {
		return fmt.Errorf("demo: enterprise team: %w", err)
	}
	lead, err := users.UserByUsername(ctx, accounts[0].Username)
	if err != nil {
		return err
	}

	// Raised at 10:00 China time on the latest day whose day 3 has come.
	today := workday.DateOf(now)
	start := today.AddDate(0, 0, -3)
	day3, _ := cal.Add(start, enterprise.MeetingDays)
	for day3.After(today) {
		start = start.AddDate(0, 0, -1)
		day3, _ = cal.Add(start, enterprise.MeetingDays)
	}
	at = start.Add(2 * time.Hour) // 10:00 in China is 02:00 UTC
	if _, err := svc.Raise(ctx, company, enterprise.RaiseRequest{Category: string(enterprise.CategoryLand),
		Description: "碳纤维产业园二期拟建项目用地超出现行城镇开发边界，需协调省、市规划和自然资源部门调整边界后才能办理用地手续。"}); err != nil {
		return fmt.Errorf("demo: enterprise request: %w", err)
	}

	// Raised yesterday, accepted within the hour, a solution the same afternoon.
	at = today.AddDate(0, 0, -1).Add(1 * time.Hour)
	labour, err := svc.Raise(ctx, company, enterprise.RaiseRequest{Category: string(enterprise.CategoryLabour),
		Description: "新建碳纤维原丝生产线投产前需招聘一批纺丝、碳化岗位技术工人，本地招工困难。"})
	if err != nil {
		return fmt.Errorf("demo: enterprise request: %w", err)
	}
	at = at.Add(time.Hour)
	if _, err := svc.Act(ctx, lead, labour.ID, enterprise.Accept, enterprise.ActRequest{Departments: []string{DeptScienceIndustry, DeptHumanResources}}); err != nil {
		return fmt.Errorf("demo: enterprise request: %w", err)
	}
	at = at.Add(5 * time.Hour)
	if _, err := svc.Act(ctx, lead, labour.ID, enterprise.Propose, enterprise.ActRequest{
		Solution: "人力资源和社会保障局下周组织专场招聘会，并对接本市职业院校开设定向培养班；专班跟踪到岗情况。"}); err != nil {
		return fmt.Errorf("demo: enterprise request: %w", err)
	}

	// Raised just now.
	at = now
	if _, err := svc.Raise(ctx, company, enterprise.RaiseRequest{Category: string(enterprise.CategoryUtilities),
		Description: "新建厂房需增加供电容量并接入工业燃气管网，希望在设备进场前完成。"}); err != nil {
		return fmt.Errorf("demo: enterprise request: %w", err)
	}
	// The scheduler's scan in the first minutes of day 3 took the land
	// request to the joint meeting that day.
	china := time.FixedZone("CST", 8*3600)
	if _, err := svc.Scan(ctx, time.Date(day3.Year(), day3.Month(), day3.Day(), 0, 5, 0, 0, china)); err != nil {
		return fmt.Errorf("demo: enterprise scan: %w", err)
	}
	return nil
}
