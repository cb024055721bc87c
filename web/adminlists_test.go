package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/network"
)

var (
	pointRow = regexp.MustCompile(`<tr data-point="([A-Z0-9-]+)">`)
	userRow  = regexp.MustCompile(`id="toggle-([a-z0-9_.-]+)"`)
)

// The administrators' lists are searched, filtered and paged on the
// server: the province's thousands of points come fifty at a time, a search
// finds the right ones, and the users' list searches by name.
func TestAdminListsSearchAndPage(t *testing.T) {
	e := sqliteEnv(t)
	ctx := context.Background()
	admin := e.as(t, "admin")
	all, err := network.NewStore(e.db).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if all <= 50 {
		t.Fatalf("the demo has %d points; the test wants more than a page", all)
	}
	first := admin.get("/admin/points").want(200)
	rows := pointRow.FindAllStringSubmatch(first.body, -1)
	if len(rows) != 50 {
		t.Errorf("first page has %d points, want 50", len(rows))
	}
	first.has(fmt.Sprintf("第1–50条，共%d条", all), `href="/admin/points?offset=50"`)
	if len(first.body) > 200<<10 {
		t.Errorf("the first page of points is %d KB", len(first.body)>>10)
	}
	last := admin.get(fmt.Sprintf("/admin/points?offset=%d", all-1)).want(200)
	if n := len(pointRow.FindAllString(last.body, -1)); n != 1 {
		t.Errorf("the last page has %d points, want 1", n)
	}

	hall := admin.get("/admin/points?q=" + url.QueryEscape("辉南县政务服务中心")).want(200)
	if got := pointRow.FindAllStringSubmatch(hall.body, -1); len(got) != 1 || got[0][1] != demo.CountyHall {
		t.Errorf("searching the county hall's name finds %v", got)
	}
	byCode := admin.get("/admin/points?q=" + strings.ToLower(demo.QingzhouCentre)).want(200)
	if !strings.Contains(byCode.body, `data-point="`+demo.QingzhouCentre+`"`) {
		t.Errorf("searching a code in lower case does not find %s", demo.QingzhouCentre)
	}
	villages, vtotal, err := network.NewStore(e.db).Search(ctx, network.Filter{Level: 6, Limit: 1})
	if err != nil || vtotal == 0 {
		t.Fatalf("village points: %d, %v", vtotal, err)
	}
	lv := admin.get("/admin/points?level=6").want(200).has(fmt.Sprintf("共%d条", vtotal), `href="/admin/points?level=6&amp;offset=50"`)
	got := pointRow.FindAllStringSubmatch(lv.body, -1)
	if len(got) == 0 || got[0][1] != villages[0].Code {
		t.Errorf("level 6 starts with %v, want %s", got, villages[0].Code)
	}
	if strings.Contains(lv.body, `data-point="`+demo.CountyHall+`"`) {
		t.Error("the county hall is listed among village points")
	}
	admin.get("/admin/points?level=9").want(http.StatusUnprocessableEntity)
	admin.get("/admin/points?q=" + url.QueryEscape("没有这个网点")).want(200).has("没有符合条件的记录")

	users := admin.get("/admin/users?q=qz_").want(200)
	names := userRow.FindAllStringSubmatch(users.body, -1)
	if len(names) == 0 {
		t.Fatal("searching qz_ finds no user")
	}
	for _, n := range names {
		if !strings.Contains(n[1], "qz_") {
			t.Errorf("searching qz_ lists %s", n[1])
		}
	}
	admin.get("/admin/users?q=" + url.QueryEscape("李春燕")).want(200).has("qz_quanke")

	// Every case, for the administrators: by number, department and point.
	a := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	b := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", idOf("zhouming"))
	caseRow := regexp.MustCompile(`<a class="mono" href="/cases/(\d+)">`)
	ids := func(body string) []string {
		var out []string
		for _, m := range caseRow.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	if got := ids(admin.get("/admin/cases?number=" + url.QueryEscape(strings.ToLower(a.Number))).want(200).body); len(got) != 1 || got[0] != fmt.Sprint(a.ID) {
		t.Errorf("by number %s: %v", a.Number, got)
	}
	if got := ids(admin.get("/admin/cases?point=" + demo.CountyHall).want(200).body); len(got) != 1 || got[0] != fmt.Sprint(b.ID) {
		t.Errorf("by point %s: %v", demo.CountyHall, got)
	}
	if got := ids(admin.get("/admin/cases?department=" + url.QueryEscape(b.DepartmentCode) + "&state=accepted").want(200).body); len(got) != 1 || got[0] != fmt.Sprint(b.ID) {
		t.Errorf("by department %s: %v", b.DepartmentCode, got)
	}
	for i := 0; i < 31; i++ {
		e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	}
	page := admin.get("/admin/cases").want(200)
	if n := len(ids(page.body)); n != 30 {
		t.Errorf("a page of %d cases, want 30", n)
	}
	page.has(`href="/admin/cases?offset=30"`)

	// The audit log: fifty at a time, newest first, by actor, object or action.
	seqRow := regexp.MustCompile(`<tr data-seq="(\d+)">`)
	seqs := func(body string) []string {
		var out []string
		for _, m := range seqRow.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	log := admin.get("/admin/audit").want(200)
	newest := seqs(log.body)
	if len(newest) != 50 {
		t.Fatalf("the audit log's first page has %d records, want 50", len(newest))
	}
	older := seqs(admin.get("/admin/audit?before=" + newest[49]).want(200).body)
	lastSeq, _ := strconv.Atoi(newest[49])
	if len(older) == 0 {
		t.Fatal("no older page")
	}
	if first, _ := strconv.Atoi(older[0]); first != lastSeq-1 {
		t.Errorf("the older page starts at %v after %d", older, lastSeq)
	}
	byObject := admin.get("/admin/audit?object="+url.QueryEscape("case:"+b.Number)).want(200).has("case.create", "case.accept")
	for _, m := range regexp.MustCompile(`<td class="mono small">(case:[^<]*)</td>`).FindAllStringSubmatch(byObject.body, -1) {
		if m[1] != "case:"+b.Number {
			t.Errorf("searching case:%s lists %s", b.Number, m[1])
		}
	}
	byActor := admin.get("/admin/audit?actor=hn_qiantai&action=case.accept").want(200)
	if n := len(seqs(byActor.body)); n != 1 {
		t.Errorf("hn_qiantai accepted %d cases in the log, want 1", n)
	}
	admin.get("/admin/audit?actor=nobody-here").want(http.StatusUnprocessableEntity)

	en := e.as(t, "admin")
	en.lang = "en"
	en.get("/admin/points").want(200).has(fmt.Sprintf("1–50 of %d", all))
}
