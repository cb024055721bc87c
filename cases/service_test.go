package cases_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// fixture is a small world: one department, one item, one county hall, and
// a user of each role, with a clock the test moves.
type fixture struct {
	svc                                            *cases.Service
	db                                             *store.DB
	now                                            time.Time
	front, reviewer, other, issuer, appl, stranger auth.User
	personID                                       string
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	cat := catalog.NewStore(db)
	if err := cat.PutDepartment(ctx, auth.System, catalog.Department{Code: "HN-YB", Name: "辉南县医疗保障局"}); err != nil {
		t.Fatal(err)
	}
	if err := cat.PutDepartment(ctx, auth.System, catalog.Department{Code: "HN-RS", Name: "辉南县人力资源和社会保障局"}); err != nil {
		t.Fatal(err)
	}
	it, err := cat.SaveDraft(ctx, auth.System, catalog.Item{Code: "YB-0001", BaseCode: "0001", Name: "门诊慢特病待遇认定", Type: "07",
		DepartmentCode: "HN-YB", Levels: []int{4}, LegalLimitDays: 10, PromisedLimitDays: 5,
		Materials: []catalog.Material{
			{Name: "居民身份证", Type: "id_card", Requirement: catalog.Required, Originals: 1},
			{Name: "诊断证明", Type: "diagnosis", Requirement: catalog.Required, Originals: 1},
			{Name: "病历", Type: "medical_record", Requirement: catalog.Waivable, Copies: 1},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Publish(ctx, auth.System, it.Code, it.Version); err != nil {
		t.Fatal(err)
	}
	points := network.NewStore(db)
	if _, err := points.Put(ctx, auth.System, network.Point{Code: "HNZWFW", Name: "辉南县政务服务中心", Level: 4, Kind: network.KindCountyHall}); err != nil {
		t.Fatal(err)
	}
	users := auth.NewStore(db)
	personID := ident.GenerateIDCard("220523", time.Date(1960, 1, 2, 0, 0, 0, 0, time.UTC), 7)
	add := func(u auth.User) auth.User {
		t.Helper()
		u, err := users.AddUser(ctx, auth.System, u, "password123")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, personID: personID, svc: cases.NewService(db, cat, points, cal, nil)}
	f.svc.Now = func() time.Time { return f.now }
	f.svc.OnlinePoint = "HNZWFW"
	f.front = add(auth.User{Username: "front", Name: "王丽", Role: auth.RoleFrontDesk, PointCode: "HNZWFW"})
	f.reviewer = add(auth.User{Username: "review", Name: "高峰", Role: auth.RoleReviewer, DepartmentCode: "HN-YB"})
	f.other = add(auth.User{Username: "other", Name: "刘晓梅", Role: auth.RoleReviewer, DepartmentCode: "HN-RS"})
	f.issuer = add(auth.User{Username: "issuer", Name: "张敬", Role: auth.RoleIssuer, PointCode: "HNZWFW"})
	f.appl = add(auth.User{Username: "applicant", Name: "何经奇", Role: auth.RoleApplicant, Kind: auth.KindPerson, IDNumber: personID})
	f.stranger = add(auth.User{Username: "stranger", Name: "马慧文", Role: auth.RoleApplicant, Kind: auth.KindPerson,
		IDNumber: ident.GenerateIDCard("220102", time.Date(1945, 6, 5, 0, 0, 0, 0, time.UTC), 28)})
	return f
}

// at sets the clock to 10:00 China time on date.
func (f *fixture) at(date string) {
	d, err := workday.ParseDate(date)
	if err != nil {
		panic(err)
	}
	f.now = d.Add(2 * time.Hour) // 10:00 in UTC+8
}

func (f *fixture) walkIn(t *testing.T, materials ...string) cases.Case {
	t.Helper()
	c, err := f.svc.Create(context.Background(), f.front, cases.CreateRequest{Item: "YB-0001", Materials: materials,
		Applicant: &cases.Applicant{Kind: "person", Name: "何经奇", IDNumber: f.personID}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) act(t *testing.T, u auth.User, c cases.Case, a cases.Action, req cases.ActRequest) cases.Case {
	t.Helper()
	out, err := f.svc.Act(context.Background(), u, c.ID, a, req)
	if err != nil {
		t.Fatalf("%s by %s: %v", a, u.Username, err)
	}
	return out
}

// Due dates on the official calendar, the clock paused during 补正.
// Accepted Monday 2026-09-28 with a 5-working-day promise: Sep 29 (1), Sep 30
// (2), the 国庆 holiday Oct 1–7, Oct 8 (3), Oct 9 (4), Saturday Oct 10, a
// make-up working day (5); the 10-day legal limit goes on Oct 12–16 (6–10). 补正 asked on Oct 8, supplied Monday Oct 12: Oct 9,
// Oct 10 and Oct 12 were spent waiting (3 working days), so the promise moves
// three working days past Oct 10: Oct 12 (1), Oct 13 (2), Oct 14 (3). Put
// another way: two working days were left on Oct 8, and two are left after Oct 12.
func TestDueDatesAndPause(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-09-28")
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
		if c.PromisedDue != "2026-10-10" || c.LegalDue != "2026-10-16" {
			t.Fatalf("due %s / %s, want 2026-10-10 / 2026-10-16", c.PromisedDue, c.LegalDue)
		}
		c = f.act(t, f.reviewer, c, cases.StartReview, cases.ActRequest{})
		f.at("2026-10-08")
		c = f.act(t, f.reviewer, c, cases.RequestSupplement, cases.ActRequest{Reasons: []string{"诊断证明须加盖医院公章"}})
		if c.State != cases.SupplementNeeded || c.PausedSince != "2026-10-08" {
			t.Fatalf("after 补正 request: %s paused since %q", c.State, c.PausedSince)
		}
		f.at("2026-10-12")
		// The applicant supplements online: the walk-in case is theirs by identity number.
		c = f.act(t, f.appl, c, cases.Supplement, cases.ActRequest{})
		if c.State != cases.InReview || c.PausedDays != 3 || c.PromisedDue != "2026-10-14" {
			t.Fatalf("after supplement: %s, paused %d, due %s; want in_review, 3, 2026-10-14", c.State, c.PausedDays, c.PromisedDue)
		}
	})
}

func TestSupplementOfOwnCaseOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		c := f.walkIn(t, "id_card")
		// Another applicant cannot act on it, nor learn that it exists.
		if _, err := f.svc.Act(context.Background(), f.stranger, c.ID, cases.Withdraw, cases.ActRequest{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("withdraw of someone else's case: %v, want not found", err)
		}
		c = f.act(t, f.front, c, cases.NotifyMissing, cases.ActRequest{})
		if c.State != cases.SupplementNeeded {
			t.Fatalf("state %s", c.State)
		}
		c = f.act(t, f.front, c, cases.Supplement, cases.ActRequest{Materials: []string{"diagnosis"}})
		if c.State != cases.Received {
			t.Fatalf("after supplement at the desk: %s, want received", c.State)
		}
		// 容缺: the waivable record may follow; approval waits for it.
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{WaiverDays: 3})
		if len(c.Waived) != 1 || c.Waived[0] != "medical_record" || c.WaiverDue != "2026-11-26" {
			t.Fatalf("容缺: waived %v due %s, want [medical_record] due 2026-11-26", c.Waived, c.WaiverDue)
		}
		if _, err := f.svc.Act(context.Background(), f.reviewer, c.ID, cases.Approve, cases.ActRequest{}); apperr.As(err).Reason != "waived_materials_outstanding" {
			t.Fatalf("approve with 容缺 materials outstanding: %v", err)
		}
		if _, err := f.svc.AddMaterial(context.Background(), f.front, c.ID, cases.Material{Type: "medical_record", Source: cases.SourcePresented}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.svc.Get(context.Background(), f.reviewer, c.ID)
		c = f.act(t, f.reviewer, c, cases.Approve, cases.ActRequest{})
		if c.State != cases.Approved || c.DecidedBy == nil || *c.DecidedBy != f.reviewer.ID {
			t.Fatalf("approved case %+v", c)
		}
	})
}

func TestVersionConflictAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		ctx := context.Background()
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		stale := c.Version
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{Version: &c.Version})
		_, err := f.svc.Act(ctx, f.reviewer, c.ID, cases.Approve, cases.ActRequest{Version: &stale})
		ae := apperr.As(err)
		if ae.Code != apperr.Conflict || ae.Reason != "case_version_conflict" || ae.Extra["state"] != cases.Accepted {
			t.Fatalf("stale version: %v (extra %v), want a version conflict carrying the state", err, ae.Extra)
		}
		if _, err := f.svc.Act(ctx, f.other, c.ID, cases.Approve, cases.ActRequest{}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("another department's reviewer: %v, want forbidden", err)
		}
		if _, err := f.svc.Act(ctx, f.reviewer, c.ID, cases.Terminate, cases.ActRequest{}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("terminate without reasons: %v, want invalid", err)
		}
		c = f.act(t, f.reviewer, c, cases.Terminate, cases.ActRequest{Reasons: []string{"申请人死亡"}})
		if c.State != cases.Terminated {
			t.Fatalf("state %s", c.State)
		}
		// Every transition left an event and an audit record, and the chain verifies.
		evs, err := f.svc.Events(ctx, f.reviewer, c.ID)
		if err != nil || len(evs) != 3 {
			t.Fatalf("%d events (%v), want create, accept, terminate", len(evs), err)
		}
		n, err := audit.Verify(ctx, db)
		if err != nil || n < 3 {
			t.Fatalf("audit verify: %d records, %v", n, err)
		}
		var outbox int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&outbox)
		if outbox != 0 {
			t.Errorf("a walk-in applicant without a phone or an account got %d notifications", outbox)
		}
	})
}

// An online applicant: draft, submit, withdraw; notifications go to the outbox.
func TestOnlineDraftAndWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		ctx := context.Background()
		c, err := f.svc.Create(ctx, f.appl, cases.CreateRequest{Item: "YB-0001", Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.Submitted || c.Channel != cases.ChannelOnline || c.Applicant.UserID == nil || *c.Applicant.UserID != f.appl.ID {
			t.Fatalf("online case %+v", c)
		}
		c = f.act(t, f.appl, c, cases.Withdraw, cases.ActRequest{Note: "改日再办"})
		if c.State != cases.Withdrawn {
			t.Fatalf("state %s", c.State)
		}
		if _, err := f.svc.Act(ctx, f.appl, c.ID, cases.Submit, cases.ActRequest{}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("submitting a withdrawn case: %v, want conflict", err)
		}
		var outbox int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE recipient = ?`, "user:"+itoa(f.appl.ID)).Scan(&outbox)
		if outbox != 3 {
			t.Errorf("%d notifications for the applicant, want 3 (created, submitted, withdrawn)", outbox)
		}
		if _, err := f.svc.Create(ctx, f.appl, cases.CreateRequest{Item: "NO-SUCH"}); apperr.As(err).Fields[0].Field != "item" {
			t.Fatalf("unknown item: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A desk opens a case with its decision in one transaction: accepted at
// once, or, when the rules refuse the decision, no case at all.
func TestCreateWithTheDesksDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		ctx := context.Background()
		open := func(action cases.Action, req cases.ActRequest, materials ...string) (cases.Case, error) {
			return f.svc.Create(ctx, f.front, cases.CreateRequest{Item: "YB-0001", Materials: materials,
				Applicant: &cases.Applicant{Kind: "person", Name: "何经奇", IDNumber: f.personID},
				Then:      &cases.FirstAction{Action: action, Request: req}})
		}
		if _, err := open(cases.Accept, cases.ActRequest{}, "id_card"); apperr.As(err).Reason != "materials_missing" {
			t.Fatalf("accepting with materials missing: %v", err)
		}
		if _, err := open(cases.NotAccept, cases.ActRequest{}, "id_card"); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("not accepting without reasons: %v", err)
		}
		list, total, err := f.svc.List(ctx, f.front, cases.Filter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("refused decisions left %d cases (%v)", total, err)
		}
		c, err := open(cases.Accept, cases.ActRequest{}, "id_card", "diagnosis", "medical_record")
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.Accepted || c.PromisedDue == "" || c.Number == "" {
			t.Fatalf("opened and accepted: %+v", c)
		}
		got, err := f.svc.Get(ctx, f.front, c.ID)
		if err != nil || got.State != cases.Accepted || got.Version != c.Version {
			t.Fatalf("read back %s v%d (%v), want accepted v%d", got.State, got.Version, err, c.Version)
		}
	})
}
