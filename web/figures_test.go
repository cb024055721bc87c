package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/figures"
)

// decideNow approves a case by its department's demo reviewer.
func (e *env) decideNow(t *testing.T, c cases.Case, reviewer string) {
	t.Helper()
	if _, err := e.svc.Act(context.Background(), user(t, e, reviewer), c.ID, cases.Approve, cases.ActRequest{}); err != nil {
		t.Fatalf("approve: %v", err)
	}
}

// The figures page shows this month's cases in its tables (readable without
// scripts), in both languages, and carries the same numbers for its charts.
func TestFiguresPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		hn := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", idOf("zhouming"))
		e.decideNow(t, hn, "yb_shenpi")
		e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))

		admin := e.as(t, "admin")
		page := admin.get("/admin/figures").want(200)
		page.has(`id="figures-months"`, `id="figures-departments"`, `id="figures-points"`, `id="figures-presence"`,
			`href="/admin/figures"`, "省级数据", "进驻率", "全程网办事项", "702 / 1642",
			`<option value="220500" data-terms="tonghuashi ths">通化市（全市）</option>`, `<option value="220523" data-terms="huinanxian hnx">辉南县</option>`,
			`data-point="`+demo.CountyHall+`"`, `data-point="`+demo.QingzhouCentre+`"`, "vendor/echarts.min.js", "figures.js")
		month := figures.MonthOf(e.svc.Now()).String()
		row := regexp.MustCompile(`<tr data-month="` + month + `"><th scope="row">` + month + `</th><td>(\d+)</td>`).FindStringSubmatch(page.body)
		if row == nil || row[1] != "2" {
			t.Errorf("this month's row %v, want 2 cases accepted", row)
		}
		// The county hall decided its case on the day: on time.
		hall := regexp.MustCompile(`(?s)<tr data-point="` + demo.CountyHall + `">.*?</tr>`).FindString(page.body)
		if !strings.Contains(hall, "100.0%") {
			t.Errorf("the county hall's row lacks its on-time rate of 100%%: %s", hall)
		}

		// 长春市 holds 青州社区, not the county hall.
		page = admin.get("/admin/figures?division=220100").want(200)
		page.has(`data-point="`+demo.QingzhouCentre+`"`, `<option value="220100" data-terms="changchunshi ccs" selected>`, "长春市").lacks(`data-point="` + demo.CountyHall + `"`)

		// A department: its cases only, and no hall figures.
		dept := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", idOf("zhouming")).DepartmentCode
		page = admin.get("/admin/figures?department=" + dept).want(200)
		page.has(`data-department="`+dept+`"`, "大厅数据（预约、午间不间断、延时办）按网点统计").lacks(`id="chart-hall"`)

		// The charts draw the report the page carries as JSON.
		page = admin.get("/admin/figures?division=2205").want(200)
		embedded := regexp.MustCompile(`(?s)<script type="application/json" id="figures-data">(.*?)</script>`).FindStringSubmatch(page.body)
		if embedded == nil {
			t.Fatal("the page carries no report for its charts")
		}
		var rep figures.Report
		if err := json.Unmarshal([]byte(embedded[1]), &rep); err != nil {
			t.Fatalf("the embedded report: %v\n%.500s", err, embedded[1])
		}
		if len(rep.Months) != figures.DefaultMonths || rep.Scope.Division != "220500" || rep.Totals.Accepted != 2 || rep.Totals.Decided != 1 {
			t.Errorf("embedded: %d months, scope %+v, totals %+v", len(rep.Months), rep.Scope, rep.Totals.Counts)
		}

		// Bad questions come back as the form with the error next to the field.
		page = admin.get("/admin/figures?from=2025-13").want(http.StatusBadRequest)
		page.has(`id="figures-form"`, "起始月份须写作 YYYY-MM").lacks(`id="figures-months"`)
		admin.get("/admin/figures?division=999999").want(http.StatusBadRequest).has("行政区划不存在")
		admin.get("/admin/figures?from=2026-02&to=2025-01").want(http.StatusBadRequest).has("起始月份不能晚于截止月份")

		// In English.
		admin.lang = "en-GB,en;q=0.8"
		admin.get("/admin/figures").want(200).has("Province figures", "On-time rate", "Whole province", "702 of 1642").lacks("⟦")
	})
}

// Only administrators open the figures pages; others get the 403 page, and
// the refusal is audited.
func TestFiguresPageRefusesOtherRoles(t *testing.T) {
	e := sqliteEnv(t)
	for _, username := range []string{"hn_dating", "hn_qiantai", "rs_shenpi", "yuxiulan"} {
		c := e.as(t, username)
		c.get("/admin/figures").want(http.StatusForbidden)
		c.get("/admin/figures?division=2205").want(http.StatusForbidden)
	}
	e.as(t, "").get("/admin/figures").want(http.StatusSeeOther)
	recs, err := audit.List(context.Background(), e.db, audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, r := range recs {
		if r.Outcome == "denied" && strings.HasPrefix(r.Object, "/admin/figures") {
			denied++
		}
	}
	if denied != 8 {
		t.Errorf("%d audited refusals of the figures pages, want 8", denied)
	}
}
