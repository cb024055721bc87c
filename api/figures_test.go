package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/figures"
)

// handleAt runs one case through the server's case service with its clock
// at accepted, and decides it at decided unless that is zero.
func handleAt(t *testing.T, e *env, desk, item string, accepted, decided time.Time) {
	t.Helper()
	ctx := context.Background()
	users := auth.NewStore(e.db)
	front, err := users.UserByUsername(ctx, desk)
	if err != nil {
		t.Fatal(err)
	}
	it, err := catalog.NewStore(e.db).Published(ctx, item)
	if err != nil {
		t.Fatal(err)
	}
	var mats []string
	for _, m := range it.Materials {
		if m.Requirement != catalog.Optional {
			mats = append(mats, m.Type)
		}
	}
	defer func() { e.svc.Now = time.Now }()
	e.svc.Now = func() time.Time { return accepted }
	c, err := e.svc.Create(ctx, front, cases.CreateRequest{Item: item, Materials: mats,
		Applicant: &cases.Applicant{Kind: "person", Name: "周明", IDNumber: demoID("zhouming")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(ctx, front, c.ID, cases.Accept, cases.ActRequest{}); err != nil {
		t.Fatal(err)
	}
	if decided.IsZero() {
		return
	}
	e.svc.Now = func() time.Time { return decided }
	reviewer := auth.User{ID: 9000, Username: "figures-reviewer", Name: "高峰", Role: auth.RoleReviewer, DepartmentCode: it.DepartmentCode}
	if _, err := e.svc.Act(ctx, reviewer, c.ID, cases.Approve, cases.ActRequest{}); err != nil {
		t.Fatal(err)
	}
}

func demoID(username string) string {
	for _, a := range demo.Accounts() {
		if a.Username == username {
			return a.User.IDNumber
		}
	}
	panic("no demo account " + username)
}

func TestFiguresAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		cst := time.FixedZone("CST", 8*3600)
		// Two cases at the county hall (辉南县, in 通化市) in October: one
		// them decided the same day (an item done at once), the other late in
		// November; one at 青州社区 (长春市) in November.
		handleAt(t, e, "hn_qiantai", demo.CodeMedicalOutOfArea, time.Date(2025, 10, 9, 10, 0, 0, 0, cst), time.Date(2025, 10, 9, 15, 0, 0, 0, cst))
		handleAt(t, e, "hn_qiantai", demo.CodeMedicalOutOfArea, time.Date(2025, 10, 31, 23, 30, 0, 0, cst), time.Date(2025, 11, 28, 10, 0, 0, 0, cst))
		handleAt(t, e, "qz_quanke", demo.CodeSocialInsuranceSubsidy, time.Date(2025, 11, 3, 9, 0, 0, 0, cst), time.Time{})

		var rep figures.Report
		e.call("GET", "/api/v1/figures?from=2025-09&to=2025-11", "admin", nil).want(200).decode(&rep)
		if len(rep.Months) != 3 || rep.Months[0].Month != "2025-09" {
			t.Fatalf("months %+v", rep.Months)
		}
		oct, nov := rep.Months[1], rep.Months[2]
		if oct.Accepted != 2 || oct.Decided != 1 || oct.OnTime != 1 || nov.Accepted != 1 || nov.Decided != 1 || nov.OnTime != 0 {
			t.Errorf("October %+v, November %+v", oct.Counts, nov.Counts)
		}
		if rep.Totals.OnTimeRate == nil || *rep.Totals.OnTimeRate != 0.5 {
			t.Errorf("on-time rate %v, want one of two", rep.Totals.OnTimeRate)
		}
		if rep.Catalogue.Published != demo.HallItems || rep.Catalogue.FullyOnline != demo.HallFullyOnline {
			t.Errorf("catalogue %+v, want %d of %d fully online as the report says", rep.Catalogue, demo.HallFullyOnline, demo.HallItems)
		}
		if len(rep.Points) != 2 || rep.Points[0].Code != demo.CountyHall || rep.Points[0].Presence.Rate == nil {
			t.Errorf("points %+v", rep.Points)
		}

		// 通化市 (2205) holds the county hall; 长春市 (2201) 青州社区.
		e.call("GET", "/api/v1/figures?from=2025-09&to=2025-11&division=2205", "admin", nil).want(200).decode(&rep)
		if rep.Scope.Division != "220500" || rep.Totals.Accepted != 2 || len(rep.Points) != 1 {
			t.Errorf("通化市: scope %+v, totals %+v, points %d", rep.Scope, rep.Totals.Counts, len(rep.Points))
		}
		e.call("GET", "/api/v1/figures?from=2025-09&to=2025-11&division=220100", "admin", nil).want(200).decode(&rep)
		if rep.Totals.Accepted != 1 || rep.Totals.Decided != 0 {
			t.Errorf("长春市: totals %+v", rep.Totals.Counts)
		}

		// Bad questions are 400s naming the parameter.
		for query, field := range map[string]string{
			"from=2025-13":               "from",
			"to=2025-1":                  "to",
			"from=2025-11&to=2025-09":    "from",
			"from=2020-01&to=2025-01":    "to",
			"division=22x":               "division",
			"division=110000":            "division",
			"point=NOPE":                 "point",
			"department=NOPE":            "department",
			"from=2025-09&point=NOWHERE": "point",
		} {
			p := e.call("GET", "/api/v1/figures?"+query, "admin", nil).problem(400, "bad_parameter")
			if !p.hasField(field) {
				t.Errorf("?%s: the problem names %+v, want %s", query, p.Errors, field)
			}
		}

		// The county hall's manager sees the hall, and nothing else.
		e.call("GET", "/api/v1/figures?from=2025-09&to=2025-11", "hn_dating", nil).want(200).decode(&rep)
		if rep.Scope.Point != demo.CountyHall || rep.Totals.Accepted != 2 {
			t.Errorf("the hall manager sees %+v, totals %+v", rep.Scope, rep.Totals.Counts)
		}
		e.call("GET", "/api/v1/figures?point="+demo.QingzhouCentre, "hn_dating", nil).problem(403, "figures_not_allowed")
		e.call("GET", "/api/v1/figures?division=2205", "hn_dating", nil).problem(403, "figures_not_allowed")
		for _, who := range []string{"rs_shenpi", "hn_qiantai", "yuxiulan"} {
			// Refused before the parameters are read.
			e.call("GET", "/api/v1/figures?from=nonsense", who, nil).problem(403, "figures_not_allowed")
		}
		e.call("GET", "/api/v1/figures", "", nil).problem(401, "")

		recs, err := audit.List(context.Background(), e.db, audit.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		denied := map[string]int{}
		for _, r := range recs {
			if r.Outcome == "denied" && r.Object == "/api/v1/figures" {
				denied[r.Actor]++
			}
		}
		for who, n := range map[string]int{"hn_dating": 2, "rs_shenpi": 1, "hn_qiantai": 1, "yuxiulan": 1} {
			if denied[who] != n {
				t.Errorf("%d denials of %s in the audit log, want %d", denied[who], who, n)
			}
		}
		if denied["admin"] != 0 {
			t.Errorf("the administrator's 400s were audited as denials")
		}
	})
}
