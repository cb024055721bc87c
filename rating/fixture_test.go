package rating_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

var cst = time.FixedZone("CST", 8*3600)

func at(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, cst) }

const (
	hallPt  = "HNZWFW"
	otherPt = "DCZWFW"
	deptRS  = "D-HRSS"
	deptYB  = "D-YB"
	itemRS  = "RS-0001"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// fixture: a county hall with windows 01 and 02, a second hall, one item
// of 人社, and the people of the stories, made up (no accounts needed).
type fixture struct {
	t      *testing.T
	db     *store.DB
	clock  *clock
	cases  *cases.Service
	hall   *hall.Service
	svc    *rating.Service
	admin  auth.User
	desk   auth.User // accepts the cases at the hall and serves window 01
	desk2  auth.User // another front desk of the hall
	far    auth.User // a front desk of the other hall
	rev    auth.User // reviewer of 人社
	rev2   auth.User // reviewer of another department
	issuer auth.User
	mgr    auth.User // hall manager of the hall
	mgr2   auth.User // hall manager of the other hall
	yu     auth.User // 于女士, applicant with an account
	zhou   auth.User // 周先生, another applicant
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	cat := catalog.NewStore(db)
	for _, d := range []catalog.Department{{Code: deptRS, Name: "辉南县人力资源和社会保障局"}, {Code: deptYB, Name: "辉南县医疗保障局"}} {
		if err := cat.PutDepartment(ctx, auth.System, d); err != nil {
			t.Fatal(err)
		}
	}
	it := catalog.Item{Code: itemRS, BaseCode: itemRS, Name: "社会保险补贴申领", DepartmentCode: deptRS, Levels: []int{4, 5}, Type: "20",
		LegalLimitDays: 10, PromisedLimitDays: 5, ServesPersons: true,
		Materials: []catalog.Material{{Name: "居民身份证", Type: "id_card", Requirement: catalog.Required, Originals: 1}}}
	saved, err := cat.SaveDraft(ctx, auth.System, it)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Publish(ctx, auth.System, saved.Code, saved.Version); err != nil {
		t.Fatal(err)
	}
	points := network.NewStore(db)
	for _, p := range []network.Point{
		{Code: hallPt, Name: "辉南县政务服务中心", Level: 4, Kind: network.KindCountyHall, RegionCode: "220523"},
		{Code: otherPt, Name: "东昌区政务服务中心", Level: 4, Kind: network.KindCountyHall, RegionCode: "220502"},
	} {
		if _, err := points.Put(ctx, auth.System, p); err != nil {
			t.Fatal(err)
		}
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	// A Tuesday in an ordinary week: the stories set their own days.
	c := &clock{t: at(2026, 11, 24, 10, 0)}
	f := &fixture{t: t, db: db, clock: c,
		admin:  auth.User{ID: 1, Username: "admin", Name: "管理员", Role: auth.RoleAdmin},
		desk:   auth.User{ID: 10, Username: "desk", Name: "王丽", Role: auth.RoleFrontDesk, PointCode: hallPt},
		desk2:  auth.User{ID: 11, Username: "desk2", Name: "李强", Role: auth.RoleFrontDesk, PointCode: hallPt},
		far:    auth.User{ID: 12, Username: "far", Name: "赵敏", Role: auth.RoleFrontDesk, PointCode: otherPt},
		rev:    auth.User{ID: 20, Username: "rev", Name: "高峰", Role: auth.RoleReviewer, DepartmentCode: deptRS},
		rev2:   auth.User{ID: 21, Username: "rev2", Name: "孙悦", Role: auth.RoleReviewer, DepartmentCode: deptYB},
		issuer: auth.User{ID: 30, Username: "issuer", Name: "陈晨", Role: auth.RoleIssuer, PointCode: hallPt},
		mgr:    auth.User{ID: 40, Username: "mgr", Name: "黄伟", Role: auth.RoleHallManager, PointCode: hallPt},
		mgr2:   auth.User{ID: 41, Username: "mgr2", Name: "刘洋", Role: auth.RoleHallManager, PointCode: otherPt},
		yu: auth.User{ID: 100, Username: "yu", Name: "于女士", Role: auth.RoleApplicant, Kind: auth.KindPerson, Phone: "13812345678",
			IDNumber: ident.GenerateIDCard("220523", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC), 42)},
		zhou: auth.User{ID: 101, Username: "zhou", Name: "周先生", Role: auth.RoleApplicant, Kind: auth.KindPerson,
			IDNumber: ident.GenerateIDCard("220523", time.Date(1975, 6, 1, 0, 0, 0, 0, time.UTC), 17)},
	}
	f.cases = cases.NewService(db, cat, points, cal, c.Now)
	f.hall = hall.NewService(db, cal, points, cat, f.cases, c.Now)
	f.svc = rating.NewService(db, cal, c.Now)
	var h hall.Hours
	for wd := 1; wd <= 6; wd++ {
		h = append(h, hall.Period{Weekday: wd, Kind: hall.PeriodRegular, Opens: "08:30", Closes: "17:00"})
	}
	f.must(f.hall.PutHours(ctx, f.admin, hallPt, h))
	f.must(f.hall.PutCategory(ctx, f.admin, hallPt, hall.Category{Code: "A", Name: "综合受理", Active: true}))
	for _, w := range []hall.Window{{Code: "01", Name: "1号窗口"}, {Code: "02", Name: "2号窗口"}} {
		w.Categories, w.Active = []string{"A"}, true
		f.must(f.hall.PutWindow(ctx, f.admin, hallPt, w))
	}
	f.must(f.hall.SignIn(ctx, f.desk, hallPt, "01"))
	return f
}

func (f *fixture) must(_ any, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// issuedCase runs a case of yu's through the hall to the issuing window,
// accepted by f.desk, and returns it issued.
func (f *fixture) issuedCase(applicant auth.User) cases.Case {
	f.t.Helper()
	ctx := context.Background()
	c, err := f.cases.Create(ctx, f.desk, cases.CreateRequest{Item: itemRS,
		Applicant: &cases.Applicant{Kind: "person", Name: applicant.Name, IDNumber: applicant.IDNumber, Phone: applicant.Phone}})
	if err != nil {
		f.t.Fatal(err)
	}
	steps := []struct {
		who auth.User
		a   cases.Action
		req cases.ActRequest
	}{
		{f.desk, cases.Accept, cases.ActRequest{Materials: []string{"id_card"}}},
		{f.rev, cases.Approve, cases.ActRequest{}},
		{f.rev, cases.PrepareResult, cases.ActRequest{}},
		{f.issuer, cases.Issue, cases.ActRequest{IssueMethod: "window"}},
	}
	for _, st := range steps {
		if c, err = f.cases.Act(ctx, st.who, c.ID, st.a, st.req); err != nil {
			f.t.Fatalf("%s: %v", st.a, err)
		}
	}
	return c
}

// visit serves a ticket taken online by applicant at window 01 (staffed by
// f.desk) and returns it finished.
func (f *fixture) visit(applicant *auth.User) hall.Ticket {
	f.t.Helper()
	ctx := context.Background()
	var tk hall.Ticket
	var err error
	if applicant != nil {
		tk, err = f.hall.Take(ctx, *applicant, hallPt, hall.TakeRequest{Category: "A"})
	} else {
		tk, err = f.hall.TakeAtKiosk(ctx, hallPt, hall.TakeRequest{Category: "A"})
	}
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.hall.CallNext(ctx, f.desk, hallPt, "01"); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.hall.Start(ctx, f.desk, hallPt, tk.ID); err != nil {
		f.t.Fatal(err)
	}
	if tk, err = f.hall.Finish(ctx, f.desk, hallPt, tk.ID); err != nil {
		f.t.Fatal(err)
	}
	return tk
}

// outbox returns the payloads of the notifications of a topic.
func (f *fixture) outbox(topic string) []map[string]any {
	f.t.Helper()
	rows, err := f.db.QueryContext(context.Background(), `SELECT recipient, payload FROM outbox WHERE topic = ? ORDER BY id`, topic)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var rcpt, body string
		if err := rows.Scan(&rcpt, &body); err != nil {
			f.t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			f.t.Fatal(err)
		}
		m["recipient"] = rcpt
		out = append(out, m)
	}
	return out
}

// auditCount counts audit records of an action.
func (f *fixture) auditCount(action string) int {
	f.t.Helper()
	var n int
	if err := f.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func reason(err error) string {
	if err == nil {
		return ""
	}
	return apperr.As(err).Reason
}

func wantReason(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := reason(err); got != want {
		t.Fatalf("%s: %v (reason %q), want %q", what, err, got, want)
	}
}
