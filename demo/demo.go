package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
)

// Service points of the stories.
const (
	CountyHall     = "HNZWFW"  // 辉南县政务服务中心 (周先生, story 2)
	QingzhouCentre = "QZSQ"    // 长春市绿园区青州社区便民服务中心 (于女士, story 1)
	DonghuiCentre  = "DHJD"    // 长春市二道区东惠街便民服务中心 (何经奇, story 3)
	GuangmingLegal = "GMSQ-FY" // 长春市光明社区法律援助联络点 (马慧文, story 4)
	Password       = "onewindow-demo"
)

// Points returns the demo service points.
func Points() []network.Point {
	return []network.Point{
		{Code: CountyHall, Name: "辉南县政务服务中心", NameEN: "Huinan County Government Service Centre", Level: catalog.LevelCounty,
			Kind: network.KindCountyHall, RegionCode: "220523", Address: "吉林省通化市辉南县朝阳镇", Phone: "0435-8888000",
			Hours: "周一至周五 8:30–17:00，午间不间断"},
		{Code: QingzhouCentre, Name: "长春市绿园区青州社区便民服务中心", NameEN: "Qingzhou Community Service Centre, Lüyuan District, Changchun",
			Level: catalog.LevelVillage, Kind: network.KindVillageStation, RegionCode: "220106", Address: "长春市绿园区虹桥小区",
			Hours: "周一至周五 8:30–17:00"},
		{Code: DonghuiCentre, Name: "长春市二道区东惠街便民服务中心", NameEN: "Donghui Street Service Centre, Erdao District, Changchun",
			Level: catalog.LevelTownship, Kind: network.KindTownshipCentre, RegionCode: "220105", Address: "长春市二道区东惠街",
			Hours: "周一至周五 8:30–17:00"},
		{Code: GuangmingLegal, Name: "长春市光明社区法律援助联络点", NameEN: "Guangming Community Legal-Aid Liaison Point, Changchun",
			Level: catalog.LevelVillage, Kind: network.KindLegalAidPoint, RegionCode: "220100", Address: "长春市光明社区",
			Hours: "周一至周五 8:30–17:00"},
	}
}

// Account is a demo user as printed by `onewindow demo`.
type Account struct {
	User        auth.User
	Username    string
	Role        auth.Role
	Description string
}

// Accounts returns the demo users: staff for every role at the story points
// and the applicants of the stories.
func Accounts() []Account {
	_, items := Catalogue()
	deptOf := map[string]string{}
	for _, it := range items {
		deptOf[it.Code] = it.DepartmentCode
	}
	staff := func(username, name string, role auth.Role, dept, point, desc string) Account {
		return Account{Username: username, Role: role, Description: desc,
			User: auth.User{Username: username, Name: name, Role: role, DepartmentCode: dept, PointCode: point}}
	}
	birth := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	person := func(username, name, region string, born time.Time, seq int, phone, desc string) Account {
		return Account{Username: username, Role: auth.RoleApplicant, Description: desc,
			User: auth.User{Username: username, Name: name, Role: auth.RoleApplicant, Kind: auth.KindPerson,
				IDNumber: ident.GenerateIDCard(region, born, seq), Phone: phone}}
	}
	return []Account{
		staff("admin", "省政务服务管理员", auth.RoleAdmin, "", "", "province administrator / 省级管理员"),
		staff("hn_qiantai", "王丽", auth.RoleFrontDesk, "", CountyHall, "front desk, 辉南县政务服务中心 无差别受理窗口"),
		staff("qz_quanke", "李春燕", auth.RoleFrontDesk, "", QingzhouCentre, "全科社工, 青州社区便民服务中心"),
		staff("dh_qiantai", "孙建国", auth.RoleFrontDesk, "", DonghuiCentre, "front desk, 东惠街便民服务中心"),
		staff("gm_lianluo", "周玲玲", auth.RoleFrontDesk, "", GuangmingLegal, "法律援助联络员, 光明社区"),
		staff("scjg_shenpi", "陈志强", auth.RoleReviewer, deptOf[CodeBusinessLicence], "", "reviewer, 市场监督管理局"),
		staff("rs_shenpi", "刘晓梅", auth.RoleReviewer, deptOf[CodeSocialInsuranceSubsidy], "", "reviewer, 人力资源和社会保障局"),
		staff("wj_shenpi", "杨帆", auth.RoleReviewer, deptOf[CodeFamilyPlanningConsult], "", "reviewer, 卫生健康局"),
		staff("yb_shenpi", "高峰", auth.RoleReviewer, deptOf[CodeMedicalOutOfArea], "", "reviewer, 医疗保障局"),
		staff("sf_shenpi", "郑敏", auth.RoleReviewer, deptOf[CodeLegalAid], "", "reviewer, 司法局 (法律援助)"),
		staff("ga_shenpi", "马俊", auth.RoleReviewer, DeptPublicSecurity, "", "reviewer, 公安局 (户籍、公章刻制)"),
		staff("sw_shenpi", "林静", auth.RoleReviewer, DeptTax, "", "reviewer, 税务局"),
		staff("gjj_shenpi", "韩雪", auth.RoleReviewer, DeptHousingFund, "", "reviewer, 住房公积金管理部"),
		staff("mz_shenpi", "曹阳", auth.RoleReviewer, DeptCivilAffairs, "", "reviewer, 民政局"),
		staff("cl_shenpi", "宋佳", auth.RoleReviewer, DeptDisabledPersons, "", "reviewer, 残疾人联合会"),
		staff("hn_chuzheng", "张敬", auth.RoleIssuer, "", CountyHall, "issuing window, 辉南县政务服务中心 统一出证窗口"),
		staff("qz_chuzheng", "赵淑芬", auth.RoleIssuer, "", QingzhouCentre, "issuing, 青州社区"),
		staff("dh_chuzheng", "钱进", auth.RoleIssuer, "", DonghuiCentre, "issuing, 东惠街"),
		staff("gm_chuzheng", "吴洁", auth.RoleIssuer, "", GuangmingLegal, "issuing, 光明社区联络点"),
		staff("hn_dating", "黄伟", auth.RoleHallManager, "", CountyHall, "hall manager, 辉南县政务服务中心"),
		person("yuxiulan", "于秀兰", "220106", birth(1968, 3, 12), 42, "13904310001", "applicant 于女士 (story 1)"),
		person("zhouming", "周明", "220523", birth(1975, 8, 2), 17, "13904350002", "applicant 周先生 (story 2)"),
		person("hejingqi", "何经奇", "220105", birth(1959, 11, 23), 31, "13904310003", "applicant 何经奇 (story 3)"),
		person("mahuiwen", "马慧文", "220102", birth(1945, 6, 5), 28, "13904310004", "applicant 马慧文, 79 (story 4)"),
		{Username: "jlhx", Role: auth.RoleApplicant, Description: "enterprise applicant 吉林化纤 (story 5)",
			User: auth.User{Username: "jlhx", Name: "吉林化纤示范有限公司", Role: auth.RoleApplicant, Kind: auth.KindEnterprise,
				CreditCode: ident.GenerateCreditCode("91220200MA0Y1234P"), Phone: "13904320005"}},
	}
}

// Load fills an empty database with the demo catalogue, points and users,
// as of now (the server's clock): the hall's slots and roster start on
// now's day, and the enterprise requests are placed in the days before it.
// It reports false, and changes nothing, when the catalogue already has items.
func Load(ctx context.Context, db *store.DB, now time.Time) (bool, error) {
	cat := catalog.NewStore(db)
	cat.Now = clock.Fixed(now)
	counts, err := cat.Counts(ctx)
	if err != nil {
		return false, err
	}
	if counts.Published > 0 {
		return false, nil
	}
	accounts := Accounts()
	for _, a := range accounts {
		if err := a.User.Validate(); err != nil {
			return false, fmt.Errorf("demo: user %s: %w", a.Username, err)
		}
	}
	depts, items := Catalogue()
	if err := cat.Load(ctx, auth.System, depts, items, true); err != nil {
		return false, fmt.Errorf("demo: catalogue: %w", err)
	}
	if err := loadBundles(ctx, db); err != nil {
		return false, err
	}
	points := network.NewStore(db)
	points.Now = clock.Fixed(now)
	for _, p := range Points() {
		if _, err := points.Put(ctx, auth.System, p); err != nil {
			return false, fmt.Errorf("demo: point %s: %w", p.Code, err)
		}
	}
	if err := loadNetwork(ctx, db, now); err != nil {
		return false, fmt.Errorf("demo: service network: %w", err)
	}
	users := auth.NewStore(db)
	for _, a := range accounts {
		if _, err := users.AddUser(ctx, auth.System, a.User, Password); err != nil {
			return false, fmt.Errorf("demo: user %s: %w", a.Username, err)
		}
	}
	if err := loadEnterprise(ctx, db, now); err != nil {
		return false, err
	}
	if err := loadHall(ctx, db, now); err != nil {
		return false, err
	}
	if err := loadFinance(ctx, db, now); err != nil {
		return false, err
	}
	if err := loadLicenceTypes(ctx, db, now); err != nil {
		return false, err
	}
	return true, nil
}
