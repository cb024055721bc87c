package enterprise

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

const testPassword = "correct-horse-battery-9"

// Departments of the fixture: the team's own and two it convenes.
const (
	deptIndustry = "QY-GXJ"
	deptLand     = "QY-ZRZYJ"
	deptLabour   = "QY-RSJ"
	deptOther    = "QY-SWJ"
)

// fixture is a team of two (a lead reviewer and a front-desk member) serving
// one enterprise, plus the users who must be kept out.
type fixture struct {
	t   *testing.T
	db  *store.DB
	svc *Service
	now time.Time

	admin, lead, member, outsider, issuer auth.User
	ent, entColleague, otherEnt, person   auth.User
	team                                  Team
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, now: time.Date(2025, 3, 10, 9, 30, 0, 0, cst)}
	f.svc = NewService(db, cal, func() time.Time { return f.now })
	cat := catalog.NewStore(db)
	for code, name := range map[string]string{deptIndustry: "科技和工业信息化局", deptLand: "自然资源局", deptLabour: "人力资源和社会保障局", deptOther: "税务局"} {
		if err := cat.PutDepartment(ctx, auth.System, catalog.Department{Code: code, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	users := auth.NewStore(db)
	add := func(u auth.User) auth.User {
		t.Helper()
		u, err := users.AddUser(ctx, auth.System, u, testPassword)
		if err != nil {
			t.Fatalf("add user %s: %v", u.Username, err)
		}
		return u
	}
	credit := ident.GenerateCreditCode("91220200MA0Y1234P")
	f.admin = add(auth.User{Username: "admin", Name: "管理员", Role: auth.RoleAdmin})
	f.lead = add(auth.User{Username: "lead", Name: "专班负责人", Role: auth.RoleReviewer, DepartmentCode: deptIndustry})
	f.member = add(auth.User{Username: "member", Name: "驻企专员", Role: auth.RoleFrontDesk, PointCode: "JK-FW"})
	f.outsider = add(auth.User{Username: "outsider", Name: "他部门审批", Role: auth.RoleReviewer, DepartmentCode: deptIndustry})
	f.issuer = add(auth.User{Username: "issuer", Name: "出证", Role: auth.RoleIssuer, PointCode: "JK-FW"})
	f.ent = add(auth.User{Username: "jlhx", Name: "吉林化纤示范有限公司", Role: auth.RoleApplicant, Kind: auth.KindEnterprise,
		CreditCode: credit, Phone: "13904320005"})
	f.entColleague = add(auth.User{Username: "jlhx2", Name: "吉林化纤示范有限公司", Role: auth.RoleApplicant, Kind: auth.KindEnterprise, CreditCode: credit})
	f.otherEnt = add(auth.User{Username: "other", Name: "另一家企业", Role: auth.RoleApplicant, Kind: auth.KindEnterprise,
		CreditCode: ident.GenerateCreditCode("91220200MA0Y5678Q")})
	f.person = add(auth.User{Username: "person", Name: "于秀兰", Role: auth.RoleApplicant, Kind: auth.KindPerson,
		IDNumber: ident.GenerateIDCard("220106", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC), 42)})
	f.team, err = f.svc.PutTeam(ctx, f.admin, Team{Code: "JLHX", Name: "服务化纤集团办公室", DepartmentCode: deptIndustry,
		MeetingDepartments: []string{deptLand, deptLabour},
		Members:            []Member{{Username: "lead", Lead: true}, {Username: "member"}},
		Enterprises:        []string{credit}})
	if err != nil {
		t.Fatalf("put team: %v", err)
	}
	return f
}

func (f *fixture) raise(actor auth.User, category, text string) Detail {
	f.t.Helper()
	d, err := f.svc.Raise(context.Background(), actor, RaiseRequest{Category: category, Description: text})
	if err != nil {
		f.t.Fatalf("raise: %v", err)
	}
	return d
}

func (f *fixture) act(actor auth.User, id int64, a Action, req ActRequest) Detail {
	f.t.Helper()
	d, err := f.svc.Act(context.Background(), actor, id, a, req)
	if err != nil {
		f.t.Fatalf("%s by %s: %v", a, actor.Username, err)
	}
	return d
}

func (f *fixture) get(id int64) Detail {
	f.t.Helper()
	d, err := f.svc.Get(context.Background(), f.admin, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) scan(now time.Time) ScanReport {
	f.t.Helper()
	rep, err := f.svc.Scan(context.Background(), now)
	if err != nil {
		f.t.Fatalf("scan at %s: %v", now, err)
	}
	return rep
}

// outbox returns recipient lists by topic for one request number.
func (f *fixture) outbox(number string) map[string][]string {
	f.t.Helper()
	rows, err := f.db.QueryContext(context.Background(), `SELECT topic, recipient, payload FROM outbox ORDER BY id`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var topic, rcpt, payload string
		if err := rows.Scan(&topic, &rcpt, &payload); err != nil {
			f.t.Fatal(err)
		}
		var p struct{ Request, Department string }
		if err := json.Unmarshal([]byte(payload), &p); err != nil {
			f.t.Fatalf("payload %s: %v", payload, err)
		}
		if p.Request == number && p.Department == "" {
			f.t.Errorf("%s of %s names no department for webhook filters: %s", topic, number, payload)
		}
		if p.Request == number {
			out[topic] = append(out[topic], rcpt)
		}
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

func (f *fixture) auditActions(number string) []string {
	f.t.Helper()
	rows, err := f.db.QueryContext(context.Background(), `SELECT action FROM audit_log WHERE object = ? ORDER BY seq`, "enterprise_request:"+number)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

func actions(h []Event) []string {
	var out []string
	for _, e := range h {
		s := e.Action
		if e.Level > 0 {
			s += fmt.Sprintf("@%d", e.Level)
		}
		out = append(out, s)
	}
	return out
}

func user(id int64) string { return fmt.Sprintf("user:%d", id) }

// A request answered in time: accepted on day 1, a solution on day 2,
// confirmed by the enterprise; nothing to escalate.
func TestRequestAnsweredInTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		d := f.raise(f.ent, "用工", "新产线投产需招聘技术工人200名")
		if !regexp.MustCompile(`^QYSQ-20250310-\d{4}$`).MatchString(d.Number) {
			t.Errorf("number %q, want QYSQ-20250310-NNNN", d.Number)
		}
		want := Clock{Start: "2025-03-10", AcceptDue: "2025-03-11", ProposeDue: "2025-03-12", MeetingDue: "2025-03-13"}
		if d.Clock != want || d.Status != Raised || d.Round != 1 || d.TeamCode != "JLHX" || d.Category != CategoryLabour ||
			d.Enterprise.CreditCode != f.ent.CreditCode || d.Enterprise.Phone != "13904320005" || d.Party != PartyEnterprise {
			t.Fatalf("raised %+v", d.Request)
		}
		if !slices.Equal(d.Departments, []string{deptIndustry, deptLand, deptLabour}) {
			t.Errorf("departments %v, want the team's and those it convenes", d.Departments)
		}
		if !slices.Equal(d.Allowed, []Action{Close}) {
			t.Errorf("the enterprise may %v on a raised request, want close only", d.Allowed)
		}

		f.now = time.Date(2025, 3, 11, 16, 0, 0, 0, cst)
		d = f.act(f.member, d.ID, Accept, ActRequest{Version: &d.Version})
		f.now = time.Date(2025, 3, 12, 11, 0, 0, 0, cst)
		d = f.act(f.lead, d.ID, Propose, ActRequest{Solution: "人社局组织专场招聘会，三月底前到岗"})
		if d.Status != Proposed || d.Solution == "" {
			t.Fatalf("after propose: %+v", d.Request)
		}
		if rep := f.scan(time.Date(2025, 3, 20, 0, 5, 0, 0, cst)); len(rep.Escalations) != 0 {
			t.Fatalf("a request answered in time was escalated: %+v", rep.Escalations)
		}
		f.now = time.Date(2025, 3, 13, 9, 0, 0, 0, cst)
		d = f.act(f.entColleague, d.ID, Resolve, ActRequest{}) // another account of the same enterprise
		if d.Status != Resolved || d.EndedAt == nil || d.Overdue || len(d.Breaches) != 0 {
			t.Fatalf("after resolve: %+v", d.Request)
		}
		var got []DeadlineStatus
		for _, dl := range d.Deadlines {
			got = append(got, dl.Status)
		}
		if !slices.Equal(got, []DeadlineStatus{DeadlineMet, DeadlineMet, DeadlineNotNeeded}) {
			t.Errorf("deadlines %v", got)
		}
		if a := actions(d.History); !slices.Equal(a, []string{"raise", "accept", "propose", "resolve"}) {
			t.Errorf("history %v", a)
		}
		if a := f.auditActions(d.Number); !slices.Equal(a, []string{"enterprise_request.raise", "enterprise_request.accept",
			"enterprise_request.propose", "enterprise_request.resolve"}) {
			t.Errorf("audit %v", a)
		}
		box := f.outbox(d.Number)
		members := []string{user(f.lead.ID), user(f.member.ID)}
		sort.Strings(members)
		wantBox := map[string][]string{
			"enterprise_request.raised":  append([]string{"department:" + deptIndustry}, members...),
			"enterprise_request.accept":  {user(f.ent.ID)},
			"enterprise_request.propose": {user(f.ent.ID)},
			"enterprise_request.resolve": members,
		}
		if fmt.Sprint(box) != fmt.Sprint(wantBox) {
			t.Errorf("outbox %v\nwant %v", box, wantBox)
		}
		if n, err := audit.Verify(context.Background(), db); err != nil {
			t.Errorf("audit chain after %d records: %v", n, err)
		}
	})
}

// Story 5 on the service: nothing is done, the scan escalates day by day up
// to the joint meeting; the solution is turned down and a new clock runs.
func TestScanEscalatesToTheJointMeeting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		d := f.raise(f.ent, "land", "碳纤维产业园二期用地需调整城镇开发边界")

		if rep := f.scan(time.Date(2025, 3, 11, 23, 59, 0, 0, cst)); len(rep.Escalations) != 0 {
			t.Fatalf("escalated on the acceptance day: %+v", rep.Escalations)
		}
		rep := f.scan(time.Date(2025, 3, 12, 0, 1, 0, 0, cst))
		if len(rep.Escalations) != 1 || rep.Escalations[0].Level != LevelAccept || rep.Escalations[0].Due != "2025-03-11" || rep.Today != "2025-03-12" {
			t.Fatalf("day 2 scan: %+v", rep)
		}
		if again := f.scan(time.Date(2025, 3, 12, 0, 1, 0, 0, cst)); len(again.Escalations) != 0 {
			t.Fatalf("a second scan at the same time escalated again: %+v", again.Escalations)
		}
		f.now = time.Date(2025, 3, 12, 9, 0, 0, 0, cst)
		if got := f.get(d.ID); got.EscalationLevel != 1 || got.Status != Raised || !got.Overdue {
			t.Fatalf("after level 1: level %d, status %s, overdue %v", got.EscalationLevel, got.Status, got.Overdue)
		}

		rep = f.scan(time.Date(2025, 3, 13, 0, 1, 0, 0, cst))
		var levels []int
		for _, e := range rep.Escalations {
			levels = append(levels, e.Level)
		}
		if !slices.Equal(levels, []int{LevelPropose, LevelMeeting}) || rep.Escalations[1].MeetingOn != "2025-03-13" {
			t.Fatalf("day 3 scan: %+v", rep.Escalations)
		}
		f.scan(time.Date(2025, 3, 14, 0, 1, 0, 0, cst)) // nothing more to do
		f.now = time.Date(2025, 3, 13, 8, 0, 0, 0, cst)
		got := f.get(d.ID)
		if got.Status != Meeting || got.MeetingOn != "2025-03-13" || got.EscalationLevel != 3 || len(got.Escalations) != 3 {
			t.Fatalf("after the meeting was scheduled: %+v, escalations %+v", got.Request, got.Escalations)
		}
		if a := actions(got.History); !slices.Equal(a, []string{"raise", "escalate@1", "escalate@2", "schedule_meeting@3"}) {
			t.Fatalf("history %v", a)
		}
		if !slices.Equal(got.Breaches, []Step{StepAccept, StepPropose}) {
			t.Errorf("breaches %v", got.Breaches)
		}
		box := f.outbox(d.Number)
		leadDept := []string{"department:" + deptIndustry, user(f.lead.ID)}
		meeting := []string{"department:" + deptIndustry, "department:" + deptLabour, "department:" + deptLand, user(f.lead.ID), user(f.ent.ID)}
		sort.Strings(meeting)
		if fmt.Sprint(box["enterprise_request.escalated.level1"]) != fmt.Sprint(leadDept) ||
			fmt.Sprint(box["enterprise_request.escalated.level2"]) != fmt.Sprint(leadDept) ||
			fmt.Sprint(box["enterprise_request.escalated.level3"]) != fmt.Sprint(meeting) {
			t.Errorf("escalation notices %v", box)
		}
		if a := f.auditActions(d.Number); len(a) != 4 || a[3] != "enterprise_request.schedule_meeting" {
			t.Errorf("audit %v", a)
		}

		// After the meeting the team proposes; the enterprise turns it down
		// on Friday: a new round, due from the following Monday.
		d = f.act(f.lead, d.ID, Propose, ActRequest{Solution: "自然资源局牵头调整开发边界"})
		f.now = time.Date(2025, 3, 14, 10, 0, 0, 0, cst)
		d = f.act(f.ent, d.ID, Reopen, ActRequest{Reason: "调整周期过长，影响二期开工"})
		want := Clock{Start: "2025-03-14", AcceptDue: "2025-03-17", ProposeDue: "2025-03-18", MeetingDue: "2025-03-19"}
		if d.Status != Reopened || d.Round != 2 || d.Clock != want || d.EscalationLevel != 0 || d.Solution != "" ||
			d.AcceptedAt != nil || d.ProposedAt != nil || d.MeetingOn != "" || d.ReopenReason == "" {
			t.Fatalf("reopened: %+v", d.Request)
		}
		rep = f.scan(time.Date(2025, 3, 18, 0, 1, 0, 0, cst))
		if len(rep.Escalations) != 1 || rep.Escalations[0].Round != 2 || rep.Escalations[0].Level != LevelAccept {
			t.Fatalf("round 2 scan: %+v", rep.Escalations)
		}
		if esc := f.get(d.ID).Escalations; len(esc) != 4 || esc[3].Round != 2 || esc[3].Due != "2025-03-17" {
			t.Fatalf("escalations %+v", esc)
		}
	})
}

// The scan leaves answered steps alone, and a request accepted late still
// gets its level 1 only if the scan came first.
func TestScanOnlyEscalatesWhatIsOwed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		accepted := f.raise(f.ent, "融资", "申请应急周转金")
		f.act(f.member, accepted.ID, Accept, ActRequest{})
		proposed := f.raise(f.ent, "policy", "申报技术改造补贴")
		f.act(f.member, proposed.ID, Accept, ActRequest{})
		f.act(f.member, proposed.ID, Propose, ActRequest{Solution: "工信局指导申报"})
		closed := f.raise(f.ent, "other", "已不需要")
		f.act(f.ent, closed.ID, Close, ActRequest{Reason: "已自行解决"})
		rep := f.scan(time.Date(2025, 3, 20, 0, 1, 0, 0, cst))
		var got []string
		for _, e := range rep.Escalations {
			got = append(got, fmt.Sprintf("%s@%d", e.Number, e.Level))
		}
		want := []string{accepted.Number + "@2", accepted.Number + "@3"}
		if !slices.Equal(got, want) {
			t.Fatalf("escalations %v, want %v", got, want)
		}
	})
}

// Two server processes scan the same database at the same moment: every
// escalation happens once, with one event and one set of notices.
func TestConcurrentScansEscalateOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const n = 12
		var numbers []string
		for i := range n {
			numbers = append(numbers, f.raise(f.ent, "审批", fmt.Sprintf("第%d项审批卡点", i+1)).Number)
		}
		second := openSecondPool(t, db)
		cal, _ := workday.NewOfficial()
		services := []*Service{f.svc, NewService(second, cal, f.svc.Now)}
		day3 := time.Date(2025, 3, 13, 0, 1, 0, 0, cst)
		reports := make([]ScanReport, 4)
		errs := make([]error, 4)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range reports {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				reports[i], errs[i] = services[i%2].Scan(context.Background(), day3)
			}()
		}
		close(start)
		wg.Wait()
		made := map[string]int{}
		for i, rep := range reports {
			if errs[i] != nil {
				t.Fatalf("scan %d: %v", i, errs[i])
			}
			for _, e := range rep.Escalations {
				made[fmt.Sprintf("%s@%d", e.Number, e.Level)]++
			}
		}
		if len(made) != 3*n {
			t.Errorf("%d escalations reported, want %d", len(made), 3*n)
		}
		for k, c := range made {
			if c != 1 {
				t.Errorf("%s reported by %d scans", k, c)
			}
		}
		for _, num := range numbers {
			var id int64
			if err := db.QueryRowContext(context.Background(), `SELECT id FROM ent_requests WHERE number = ?`, num).Scan(&id); err != nil {
				t.Fatal(err)
			}
			if a := actions(f.get(id).History); !slices.Equal(a, []string{"raise", "escalate@1", "escalate@2", "schedule_meeting@3"}) {
				t.Errorf("%s history %v", num, a)
			}
			box := f.outbox(num)
			if len(box["enterprise_request.escalated.level1"]) != 2 || len(box["enterprise_request.escalated.level3"]) != 5 {
				t.Errorf("%s notices %v", num, box)
			}
		}
		if _, err := audit.Verify(context.Background(), db); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}

// openSecondPool opens the same database again, as a second server would.
func openSecondPool(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	dsn := db.Location
	if db.Dialect() == store.Postgres {
		var database, schema string
		if err := db.QueryRowContext(context.Background(), `SELECT current_database(), current_schema()`).Scan(&database, &schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(storetest.PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + database
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	second, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	return second
}

func TestWhoMayDoWhat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		d := f.raise(f.ent, "水电气", "新厂区供电增容")
		tests := []struct {
			name   string
			do     func() error
			code   apperr.Code
			reason string
		}{
			{"a person may not raise", func() error {
				_, err := f.svc.Raise(ctx, f.person, RaiseRequest{Category: "other", Description: "x"})
				return err
			}, apperr.Forbidden, "enterprise_only"},
			{"staff may not raise", func() error {
				_, err := f.svc.Raise(ctx, f.member, RaiseRequest{Category: "other", Description: "x"})
				return err
			}, apperr.Forbidden, "enterprise_only"},
			{"another enterprise does not see it", func() error { _, err := f.svc.Get(ctx, f.otherEnt, d.ID); return err }, apperr.NotFound, "request_not_found"},
			{"a person does not see it", func() error { _, err := f.svc.Get(ctx, f.person, d.ID); return err }, apperr.NotFound, "request_not_found"},
			{"a reviewer off the team is out of scope", func() error { _, err := f.svc.Get(ctx, f.outsider, d.ID); return err }, apperr.Forbidden, "out_of_scope"},
			{"an issuer is out of scope", func() error { _, err := f.svc.Get(ctx, f.issuer, d.ID); return err }, apperr.Forbidden, "out_of_scope"},
			{"a reviewer off the team may not accept", func() error { _, err := f.svc.Act(ctx, f.outsider, d.ID, Accept, ActRequest{}); return err }, apperr.Forbidden, "out_of_scope"},
			{"the enterprise may not accept its own request", func() error { _, err := f.svc.Act(ctx, f.ent, d.ID, Accept, ActRequest{}); return err }, apperr.Forbidden, "party_not_allowed"},
			{"the team may not close", func() error { _, err := f.svc.Act(ctx, f.lead, d.ID, Close, ActRequest{}); return err }, apperr.Forbidden, "party_not_allowed"},
			{"nothing to confirm yet", func() error { _, err := f.svc.Act(ctx, f.ent, d.ID, Resolve, ActRequest{}); return err }, apperr.Conflict, "illegal_transition"},
			{"a stale version", func() error {
				v := d.Version - 1
				_, err := f.svc.Act(ctx, f.member, d.ID, Accept, ActRequest{Version: &v})
				return err
			}, apperr.Conflict, "request_version_conflict"},
			{"an unknown department", func() error {
				_, err := f.svc.Act(ctx, f.member, d.ID, Accept, ActRequest{Departments: []string{"NOPE"}})
				return err
			}, apperr.Invalid, "validation_failed"},
			{"a meeting on a Sunday", func() error {
				_, err := f.svc.Act(ctx, f.member, d.ID, ScheduleMeeting, ActRequest{MeetingOn: "2025-03-16"})
				return err
			}, apperr.Invalid, "validation_failed"},
			{"a meeting in the past", func() error {
				_, err := f.svc.Act(ctx, f.member, d.ID, ScheduleMeeting, ActRequest{MeetingOn: "2025-03-07"})
				return err
			}, apperr.Invalid, "validation_failed"},
			{"no such request", func() error { _, err := f.svc.Get(ctx, f.admin, d.ID+1000); return err }, apperr.NotFound, "request_not_found"},
			{"an issuer may not list", func() error { _, _, err := f.svc.List(ctx, f.issuer, Filter{}); return err }, apperr.Forbidden, "role_not_allowed"},
			{"only administrators set up teams", func() error { _, err := f.svc.PutTeam(ctx, f.lead, f.team); return err }, apperr.Forbidden, "role_not_allowed"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.do()
				if apperr.CodeOf(err) != tt.code || apperr.As(err).Reason != tt.reason {
					t.Fatalf("err %v, want %s/%s", err, tt.code, tt.reason)
				}
			})
		}
		if got := f.get(d.ID); got.Status != Raised || got.Version != d.Version || len(got.History) != 1 {
			t.Fatalf("refused actions changed the request: %+v", got.Request)
		}
		// The team schedules a meeting early, naming the departments: the
		// scan then has no meeting left to schedule.
		m := f.act(f.member, d.ID, ScheduleMeeting, ActRequest{Departments: []string{deptOther}})
		if m.Status != Meeting || m.MeetingOn != "2025-03-13" || !slices.Equal(m.Departments, []string{deptOther}) || m.EscalationLevel != 3 {
			t.Fatalf("scheduled: %+v", m.Request)
		}
		rep := f.scan(time.Date(2025, 3, 13, 0, 1, 0, 0, cst))
		for _, e := range rep.Escalations {
			if e.Level == LevelMeeting {
				t.Fatalf("the scan scheduled a second meeting: %+v", rep.Escalations)
			}
		}
		closed := f.act(f.admin, d.ID, Close, ActRequest{Reason: "重复提交"})
		if closed.Status != Closed || len(closed.Allowed) != 0 {
			t.Fatalf("closed: %+v", closed.Request)
		}
	})
}

func TestRaiseValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tests := []struct {
			name   string
			req    RaiseRequest
			fields []string
		}{
			{"nothing", RaiseRequest{}, []string{"category", "description"}},
			{"unknown category", RaiseRequest{Category: "用电", Description: "x"}, []string{"category"}},
			{"too long", RaiseRequest{Category: "other", Description: strings.Repeat("长", maxDescriptionLen+1)}, []string{"description"}},
			{"bad phone", RaiseRequest{Category: "other", Description: "x", Phone: "12345"}, []string{"phone"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.Raise(context.Background(), f.ent, tt.req)
				var got []string
				for _, fe := range apperr.As(err).Fields {
					got = append(got, fe.Field)
				}
				if !slices.Equal(got, tt.fields) {
					t.Fatalf("fields %v, want %v (%v)", got, tt.fields, err)
				}
			})
		}
		// An enterprise no team serves gets the default team, or a clear refusal.
		_, err := f.svc.Raise(context.Background(), f.otherEnt, RaiseRequest{Category: "other", Description: "x"})
		if apperr.As(err).Reason != "no_service_team" {
			t.Fatalf("no team: %v", err)
		}
		f.team.Default = true
		if _, err := f.svc.PutTeam(context.Background(), f.admin, f.team); err != nil {
			t.Fatal(err)
		}
		if d := f.raise(f.otherEnt, "other", "x"); d.TeamCode != f.team.Code {
			t.Fatalf("served by %q, want the default team", d.TeamCode)
		}
	})
}

func TestPutTeamValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		_, err := f.svc.PutTeam(context.Background(), f.admin, Team{Code: "bad code", DepartmentCode: "NOPE",
			MeetingDepartments: []string{deptLand, "GONE"},
			Members:            []Member{{Username: "issuer"}, {Username: "nobody"}, {Username: "lead"}, {Username: "lead"}},
			Enterprises:        []string{"91220200MA0Y1234P1"}})
		var got []string
		for _, fe := range apperr.As(err).Fields {
			got = append(got, fe.Field)
		}
		want := []string{"code", "name", "department", "meeting_departments[1]", "members[0].username", "members[1].username",
			"members[3].username", "enterprises[0]"}
		if !slices.Equal(got, want) {
			t.Fatalf("fields %v\nwant   %v", got, want)
		}
		teams, err := f.svc.Teams(context.Background(), f.member)
		if err != nil || len(teams) != 1 || len(teams[0].Members) != 2 || !teams[0].Members[0].Lead {
			t.Fatalf("member's teams %+v, %v", teams, err)
		}
		if teams, _ := f.svc.Teams(context.Background(), f.outsider); len(teams) != 0 {
			t.Fatalf("an outsider sees teams %+v", teams)
		}
	})
}

func TestListScopeAndFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		late := f.raise(f.ent, "land", "用地")
		answered := f.raise(f.ent, "labour", "用工")
		f.act(f.member, answered.ID, Accept, ActRequest{})
		f.team.Default = true
		if _, err := f.svc.PutTeam(ctx, f.admin, f.team); err != nil {
			t.Fatal(err)
		}
		foreign := f.raise(f.otherEnt, "policy", "政策")
		f.now = time.Date(2025, 3, 12, 9, 0, 0, 0, cst) // late is past its acceptance day; answered is not past its proposal day
		numbers := func(actor auth.User, flt Filter) []string {
			t.Helper()
			rs, total, err := f.svc.List(ctx, actor, flt)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(rs) {
				t.Errorf("total %d for %d rows", total, len(rs))
			}
			var out []string
			for _, r := range rs {
				out = append(out, r.Number)
			}
			sort.Strings(out)
			return out
		}
		all := []string{late.Number, answered.Number, foreign.Number}
		sort.Strings(all)
		tests := []struct {
			name  string
			actor auth.User
			f     Filter
			want  []string
		}{
			{"admin sees all", f.admin, Filter{}, all},
			{"the team sees its enterprises' requests", f.member, Filter{}, all},
			{"an enterprise sees its own", f.entColleague, Filter{}, []string{late.Number, answered.Number}},
			{"another enterprise its own", f.otherEnt, Filter{}, []string{foreign.Number}},
			{"a person none", f.person, Filter{}, nil},
			{"a reviewer off the team none", f.outsider, Filter{}, nil},
			{"by status", f.admin, Filter{Statuses: []Status{Accepted}}, []string{answered.Number}},
			{"overdue", f.admin, Filter{Overdue: true}, []string{late.Number, foreign.Number}},
			{"overdue and the enterprise's", f.ent, Filter{Overdue: true}, []string{late.Number}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := numbers(tt.actor, tt.f); !slices.Equal(got, tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			})
		}
		// The SQL filter and the judgement on each request agree.
		rs, _, _ := f.svc.List(ctx, f.admin, Filter{})
		for _, r := range rs {
			if r.Overdue != (r.Number != answered.Number) {
				t.Errorf("%s overdue=%v", r.Number, r.Overdue)
			}
		}
	})
}
