package api_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/network"
)

// authzUsers are the columns of the authorization matrix, in this order:
// nobody, two applicants, the front desks of two points, the reviewers of
// two departments, the issuers of the same two points, the county hall's
// manager and the administrator.
var authzUsers = [...]string{"", "yuxiulan", "zhouming", "hn_qiantai", "qz_quanke", "rs_shenpi", "yb_shenpi",
	"hn_chuzheng", "qz_chuzheng", "hn_dating", "admin"}

// authzWant is the answer one user should get from one endpoint.
type authzWant struct {
	status int
	code   string // problem code; "" when the request succeeds
	// audited: the refusal must be in the audit log with outcome "denied".
	audited bool
}

// authzRow is one line of the matrix: an endpoint and what each user of
// authzUsers gets from it. Paths hold placeholders such as {hn} that the
// test fills in with the fixture's case ids.
type authzRow struct {
	method, path string
	body         any
	headers      []string
	want         [len(authzUsers)]authzWant
}

// authzCall is one cell of the matrix: one request by one user.
type authzCall struct {
	method, path, user string
	body               any
	headers            []string
	want               authzWant
}

// authzFixture is the world the matrix runs in: four cases at two points, of
// two departments. An applicant owns the cases made from their account and
// those a front desk made for them (matched by identity number): 周明 owns
// hn, 于秀兰 owns qz and her online application; hn2 is a stranger's.
type authzFixture struct {
	vars map[string]string // placeholder in a row's path → value
	ids  map[string]int64  // fixture case name → id
}

func newAuthzFixture(t *testing.T, e *env) authzFixture {
	t.Helper()
	zhou, yu := applicantID("zhouming"), applicantID("yuxiulan")
	hn := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", zhou)
	// A walk-in for a person without an account: no applicant may see it.
	hn2 := e.walkIn("hn_qiantai", demo.CodeSocialInsuranceSubsidy, "林小雨", ident.GenerateIDCard("220523", time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC), 7))
	qz := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", yu)
	online := e.caseOf(e.call("POST", "/api/v1/cases", "yuxiulan", map[string]any{"item": demo.CodeSocialInsuranceSubsidy,
		"point": demo.QingzhouCentre, "submit": true}).want(201))

	// The matrix below is written for this arrangement; fail loudly if the
	// demo data stops providing it.
	deptOf := map[string]string{}
	for _, a := range demo.Accounts() {
		deptOf[a.Username] = a.User.DepartmentCode
	}
	switch {
	case hn.Point != demo.CountyHall || hn2.Point != demo.CountyHall || qz.Point != demo.QingzhouCentre || online.Point != demo.QingzhouCentre:
		t.Fatalf("fixture cases at unexpected points: %s %s %s %s", hn.Point, hn2.Point, qz.Point, online.Point)
	case hn.Department != deptOf["yb_shenpi"] || hn.Department == deptOf["rs_shenpi"]:
		t.Fatalf("the out-of-area case belongs to %s; the matrix wants it in yb_shenpi's department only", hn.Department)
	case hn2.Department != deptOf["rs_shenpi"] || qz.Department != deptOf["rs_shenpi"] || online.Department != deptOf["rs_shenpi"]:
		t.Fatalf("the subsidy cases belong to %s/%s/%s; the matrix wants rs_shenpi's department", hn2.Department, qz.Department, online.Department)
	case online.State != "submitted" || hn.State != "accepted":
		t.Fatalf("fixture states: online %s, walk-in %s", online.State, hn.State)
	}

	// Two drafts for the catalogue rows: one only the administrator may read,
	// one the administrator publishes.
	cat := catalog.NewStore(e.db)
	ctx := context.Background()
	hidden, err := cat.SaveDraft(ctx, auth.System, e.item(demo.CodeMarriage))
	if err != nil {
		t.Fatal(err)
	}
	toPublish, err := cat.SaveDraft(ctx, auth.System, e.item(demo.CodeInvoice))
	if err != nil {
		t.Fatal(err)
	}

	materialOf := func(code string) string {
		it := e.item(code)
		if len(it.Materials) == 0 {
			t.Fatalf("item %s has no materials", code)
		}
		return it.Materials[0].Type
	}
	f := authzFixture{ids: map[string]int64{"hn": hn.ID, "hn2": hn2.ID, "qz": qz.ID, "online": online.ID}}
	f.vars = map[string]string{
		"{hn}": fmt.Sprint(hn.ID), "{hn2}": fmt.Sprint(hn2.ID), "{qz}": fmt.Sprint(qz.ID), "{online}": fmt.Sprint(online.ID),
		"{hn_number}": hn.Number, "{online_number}": online.Number,
		"{hn_material}": materialOf(demo.CodeMedicalOutOfArea), "{online_material}": materialOf(demo.CodeSocialInsuranceSubsidy),
		"{draft}":   fmt.Sprintf("%s/versions/%d", hidden.Code, hidden.Version),
		"{publish}": fmt.Sprintf("%s/versions/%d", toPublish.Code, toPublish.Version),
	}
	return f
}

func (f authzFixture) fill(path string) string {
	for k, v := range f.vars {
		path = strings.ReplaceAll(path, k, v)
	}
	return path
}

func TestAuthzMatrix(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newAuthzFixture(t, e)
		for _, u := range authzUsers[1:] {
			e.token(u)
		}
		checkAuthzLists(t, e, f)
		calls := authzCalls(e, f)
		for _, c := range calls {
			path := f.fill(c.path)
			res := e.call(c.method, path, c.user, c.body, c.headers...)
			who := c.user
			if who == "" {
				who = "anonymous"
			}
			if res.status != c.want.status {
				t.Errorf("%s %s as %s: status %d, want %d: %.300s", c.method, path, who, res.status, c.want.status, res.body)
				continue
			}
			if c.want.code != "" {
				p := res.problem(c.want.status, "")
				if p.Code != c.want.code {
					t.Errorf("%s %s as %s: problem code %q, want %q", c.method, path, who, p.Code, c.want.code)
				}
			}
		}
		checkDenialsAudited(t, e, f, calls)
	})
}

// authzCalls is the whole matrix as a list of single requests: the case
// endpoints by every user, the administrators' endpoints by every role, and
// every authenticated route without a token.
func authzCalls(e *env, f authzFixture) []authzCall {
	login := authzWant{401, "token_required", false}
	ok := authzWant{200, "", false}
	made := authzWant{201, "", false}
	scope := authzWant{403, "out_of_scope", true}
	role := authzWant{403, "role_not_allowed", true}
	hidden := authzWant{404, "case_not_found", true} // another applicant's case: looks absent, but the attempt is recorded
	absent := authzWant{404, "case_not_found", false}
	state := authzWant{409, "illegal_transition", false} // in scope and role, but not now
	invalid := authzWant{422, "validation_failed", false}
	noDraft := authzWant{404, "item_not_found", false}

	// Who may see each fixture case. Columns, as in authzUsers: nobody,
	// yuxiulan, zhouming, hn_qiantai, qz_quanke, rs_shenpi, yb_shenpi,
	// hn_chuzheng, qz_chuzheng, hn_dating, admin.
	seesHN := [...]authzWant{login, hidden, ok, ok, scope, scope, ok, ok, scope, ok, ok}                                 // HNZWFW, 医保, 周明's walk-in
	seesHN2 := [...]authzWant{login, hidden, hidden, ok, scope, ok, scope, ok, scope, ok, ok}                            // HNZWFW, 人社, a stranger's walk-in
	seesQZ := [...]authzWant{login, ok, hidden, scope, ok, ok, scope, scope, ok, scope, ok}                              // QZSQ, 人社, 于秀兰's walk-in
	seesOnline := [...]authzWant{login, ok, hidden, scope, ok, ok, scope, scope, ok, scope, ok}                          // QZSQ, 人社, 于秀兰's own
	seesNothing := [...]authzWant{login, absent, absent, absent, absent, absent, absent, absent, absent, absent, absent} // no such case
	adminOnly := func(success authzWant) [len(authzUsers)]authzWant {
		return [...]authzWant{login, role, role, role, role, role, role, role, role, role, success}
	}

	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	walkInBody := map[string]any{"item": demo.CodeSocialInsuranceSubsidy,
		"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID("zhouming")}}
	department, err := catalog.NewStore(e.db).Department(context.Background(), e.item(demo.CodeMarriage).DepartmentCode)
	if err != nil {
		e.t.Fatal(err)
	}
	rows := []authzRow{
		// Reading a case and everything hanging off it.
		{method: "GET", path: "/api/v1/cases/{hn}", want: seesHN},
		{method: "GET", path: "/api/v1/cases/{hn}/events", want: seesHN},
		{method: "GET", path: "/api/v1/cases/{hn}/check", want: seesHN},
		{method: "GET", path: "/api/v1/cases/{hn}/documents", want: seesHN},
		{method: "GET", path: "/api/v1/cases/{hn}/documents/acceptance", want: seesHN},
		{method: "GET", path: "/api/v1/cases/{hn}/documents/acceptance?format=html", want: seesHN},
		{method: "GET", path: "/api/v1/case-numbers/{hn_number}", want: seesHN},
		{method: "GET", path: "/api/v1/cases/{hn2}", want: seesHN2},
		{method: "GET", path: "/api/v1/cases/{hn2}/events", want: seesHN2},
		{method: "GET", path: "/api/v1/cases/{qz}", want: seesQZ},
		{method: "GET", path: "/api/v1/cases/{qz}/check", want: seesQZ},
		{method: "GET", path: "/api/v1/cases/{online}", want: seesOnline},
		{method: "GET", path: "/api/v1/cases/{online}/events", want: seesOnline},
		{method: "GET", path: "/api/v1/cases/{online}/documents", want: seesOnline},
		{method: "GET", path: "/api/v1/case-numbers/{online_number}", want: seesOnline},
		{method: "GET", path: "/api/v1/cases/999999999", want: seesNothing},
		{method: "GET", path: "/api/v1/cases/999999999/events", want: seesNothing},
		{method: "GET", path: "/api/v1/case-numbers/HNZWFW-20000101-99999", want: seesNothing},
		{method: "POST", path: "/api/v1/cases/999999999/actions/approve", want: seesNothing},
		// Seeing the applicant's numbers whole: whoever may read the case.
		{method: "POST", path: "/api/v1/cases/{hn}/reveal", want: seesHN},
		{method: "POST", path: "/api/v1/cases/{qz}/reveal", want: seesQZ},
		{method: "POST", path: "/api/v1/cases/999999999/reveal", want: seesNothing},

		// Acting. Actions are chosen so that, but for the withdrawal below, no
		// row changes a case's state: who is in scope and of the right role
		// hears 409 (not now) instead.
		{method: "POST", path: "/api/v1/cases/{hn}/actions/prepare_result", want: [...]authzWant{login, hidden, role, role, scope, scope, state, state, scope, role, role}},
		{method: "POST", path: "/api/v1/cases/{hn}/actions/issue", body: map[string]any{"issue_method": "window"},
			want: [...]authzWant{login, hidden, role, role, scope, scope, role, state, scope, role, role}},
		{method: "POST", path: "/api/v1/cases/{hn}/actions/receive", want: [...]authzWant{login, hidden, role, state, scope, scope, role, role, scope, role, role}},
		// Its own front desk withdraws the stranger's case; every later column
		// is refused before the state is looked at.
		{method: "POST", path: "/api/v1/cases/{hn2}/actions/withdraw", want: [...]authzWant{login, hidden, hidden, ok, scope, role, scope, role, scope, role, role}},
		{method: "POST", path: "/api/v1/cases/{online}/actions/approve", want: [...]authzWant{login, role, hidden, scope, role, state, scope, scope, role, scope, role}},
		{method: "POST", path: "/api/v1/cases/{online}/actions/submit", want: [...]authzWant{login, state, hidden, scope, role, role, scope, scope, role, scope, role}},
		{method: "POST", path: "/api/v1/cases/{online}/actions/close", want: [...]authzWant{login, state, hidden, scope, role, role, scope, scope, state, scope, role}},
		// Materials: only the applicant and the front desk add them.
		{method: "POST", path: "/api/v1/cases/{hn}/materials", body: map[string]any{"type": f.vars["{hn_material}"]},
			want: [...]authzWant{login, hidden, ok, ok, scope, scope, role, role, scope, role, role}},
		{method: "PUT", path: "/api/v1/cases/{online}/materials/{online_material}?name=scan.png", body: png,
			want: [...]authzWant{login, ok, hidden, scope, ok, role, scope, scope, role, scope, role}},
		// Creating: front desks and applicants only (an applicant may not name
		// someone else as the applicant); a refusal under an Idempotency-Key is
		// audited like any other.
		{method: "POST", path: "/api/v1/cases", body: walkInBody,
			want: [...]authzWant{login, invalid, invalid, made, made, role, role, role, role, role, role}},
		{method: "POST", path: "/api/v1/cases", body: walkInBody, headers: []string{"Idempotency-Key", "authz-matrix-1"},
			want: [...]authzWant{login, invalid, invalid, made, made, role, role, role, role, role, role}},

		// The administrators' endpoints.
		{method: "POST", path: "/api/v1/users", body: map[string]any{"username": "authz_new_desk", "name": "新前台", "role": "frontdesk",
			"point_code": demo.CountyHall, "password": demo.Password}, want: adminOnly(made)},
		{method: "GET", path: "/api/v1/users", want: adminOnly(ok)},
		{method: "POST", path: "/api/v1/items", body: e.item(demo.CodeIDCard), want: adminOnly(made)},
		{method: "POST", path: "/api/v1/items/{publish}/publish", want: adminOnly(ok)},
		{method: "POST", path: "/api/v1/departments", body: department, want: adminOnly(ok)},
		{method: "POST", path: "/api/v1/points", body: network.Point{Code: "AUTHZ-PT", Name: "授权测试网点", Level: catalog.LevelTownship,
			Kind: network.KindTownshipCentre}, want: adminOnly(ok)},
		{method: "GET", path: "/api/v1/audit", want: adminOnly(ok)},
		{method: "GET", path: "/api/v1/audit/verify", want: adminOnly(ok)},
		// A draft item version exists only for administrators (a public route,
		// so nobody is refused: the draft just is not there).
		{method: "GET", path: "/api/v1/items/{draft}", want: [...]authzWant{noDraft, noDraft, noDraft, noDraft, noDraft, noDraft, noDraft, noDraft,
			noDraft, noDraft, ok}},
	}

	var calls []authzCall
	for _, r := range rows {
		for i, u := range authzUsers {
			calls = append(calls, authzCall{method: r.method, path: r.path, user: u, body: r.body, headers: r.headers, want: r.want[i]})
		}
	}
	// Every authenticated route refuses a request without a token, and one
	// with a token that was never issued.
	for _, rt := range e.srv.Routes() {
		if !rt.Auth {
			continue
		}
		path := strings.NewReplacer("{id}", "{hn}", "{number}", "{hn_number}", "{action}", "approve", "{type}", "{hn_material}",
			"{kind}", "acceptance", "{code}", demo.CodeMedicalOutOfArea, "{version}", "1").Replace(rt.Pattern)
		calls = append(calls,
			authzCall{method: rt.Method, path: path, want: login},
			authzCall{method: rt.Method, path: path, headers: []string{"Authorization", "Bearer " + strings.Repeat("x", 43)},
				want: authzWant{401, "", false}})
	}
	return calls
}

// checkAuthzLists: each user's case list holds exactly the fixture cases in
// their scope, and filters cannot widen it.
func checkAuthzLists(t *testing.T, e *env, f authzFixture) {
	t.Helper()
	tests := []struct {
		user, query string
		want        []string
	}{
		{"yuxiulan", "", []string{"qz", "online"}},
		{"zhouming", "", []string{"hn"}},
		{"hn_qiantai", "", []string{"hn", "hn2"}},
		{"qz_quanke", "", []string{"qz", "online"}},
		{"rs_shenpi", "", []string{"hn2", "qz", "online"}},
		{"yb_shenpi", "", []string{"hn"}},
		{"hn_chuzheng", "", []string{"hn", "hn2"}},
		{"qz_chuzheng", "", []string{"qz", "online"}},
		{"hn_dating", "", []string{"hn", "hn2"}},
		{"admin", "", []string{"hn", "hn2", "qz", "online"}},
		{"admin", "?point=" + demo.QingzhouCentre, []string{"qz", "online"}},
		// Filters narrow the scope, never widen it.
		{"hn_qiantai", "?point=" + demo.QingzhouCentre, nil},
		{"rs_shenpi", "?department=" + e.item(demo.CodeMedicalOutOfArea).DepartmentCode, nil},
		{"yuxiulan", "?point=" + demo.CountyHall, nil},
		{"zhouming", "?number={online_number}", nil},
	}
	for _, tt := range tests {
		var got struct {
			Items []caseOut `json:"items"`
			Total int       `json:"total"`
		}
		e.call("GET", "/api/v1/cases"+f.fill(tt.query), tt.user, nil).want(200).decode(&got)
		var ids, want []int64
		for _, c := range got.Items {
			ids = append(ids, c.ID)
		}
		for _, name := range tt.want {
			want = append(want, f.ids[name])
		}
		slices.Sort(ids)
		slices.Sort(want)
		if got.Total != len(tt.want) || !slices.Equal(ids, want) {
			t.Errorf("GET /api/v1/cases%s as %s: total %d, ids %v; want %d: %v (%v)", tt.query, tt.user, got.Total, ids, len(want), want, tt.want)
		}
	}
}

// checkDenialsAudited compares the audit log's "denied" records with the
// refusals the matrix expects: every 403 and every 404 that hides another
// applicant's case is there once per request, and nothing else (no 401, no
// 404 for a case that does not exist).
func checkDenialsAudited(t *testing.T, e *env, f authzFixture, calls []authzCall) {
	t.Helper()
	key := func(user, method, path string) string {
		path, _, _ = strings.Cut(path, "?")
		return user + " " + method + " " + path
	}
	want := map[string]int{}
	for _, c := range calls {
		if c.want.audited {
			want[key(c.user, c.method, f.fill(c.path))]++
		}
	}
	got := map[string]int{}
	var before int64
	for {
		recs, err := audit.List(context.Background(), e.db, audit.Filter{Before: before, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			if r.Outcome == "denied" {
				// The action of a denial is "METHOD /path".
				method, path, _ := strings.Cut(r.Action, " ")
				got[key(r.Actor, method, path)]++
				if r.Object != path || r.ActorID == 0 {
					t.Errorf("denial record %+v: want the path as object and the actor's id", r)
				}
			}
		}
		before = recs[len(recs)-1].Seq
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			t.Errorf("audit log holds %d denials of %q, want %d", got[k], k, want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, expected := want[k]; !expected {
			t.Errorf("audit log holds %d unexpected denials of %q", got[k], k)
		}
	}
	// Said once more, plainly: a case that does not exist is no denial.
	for _, u := range authzUsers[1:] {
		if n := got[key(u, "GET", "/api/v1/cases/999999999")]; n != 0 {
			t.Errorf("a 404 for a missing case was audited as a denial for %s (%d records)", u, n)
		}
	}
}
