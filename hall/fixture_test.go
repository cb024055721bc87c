package hall_test

import (
	"context"
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
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

const (
	county    = "HNZWFW"
	community = "QZSQ"
)

// clock is a settable clock shared by the services of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a county hall with categories A–E, windows 01–03 and the county
// hours, and a community centre with a lunch break; actors are made up
// (window staff need no account), except where the roster needs real users.
type fixture struct {
	t       testing.TB
	db      *store.DB
	svc     *hall.Service
	clock   *clock
	cal     workday.Calendar
	admin   auth.User
	manager auth.User
}

func newService(t testing.TB, db *store.DB, c *clock) *hall.Service {
	t.Helper()
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewStore(db)
	points := network.NewStore(db)
	svc := hall.NewService(db, cal, points, cat, cases.NewService(db, cat, points, cal, c.Now), c.Now)
	return svc
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	points := network.NewStore(db)
	for _, p := range []network.Point{
		{Code: county, Name: "辉南县政务服务中心", Level: catalog.LevelCounty, Kind: network.KindCountyHall},
		{Code: community, Name: "青州社区便民服务中心", Level: catalog.LevelVillage, Kind: network.KindVillageStation},
	} {
		if _, err := points.Put(ctx, auth.System, p); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{t: at(2026, 10, 12, 9, 0)} // a Monday
	f := &fixture{t: t, db: db, clock: c, svc: newService(t, db, c), cal: official(t),
		admin:   auth.User{ID: 1, Username: "admin", Name: "管理员", Role: auth.RoleAdmin},
		manager: auth.User{ID: 2, Username: "hn_dating", Name: "黄伟", Role: auth.RoleHallManager, PointCode: county}}
	f.setUpHall(county, countyHours())
	f.setUpHall(community, communityHours())
	return f
}

func (f *fixture) setUpHall(point string, h hall.Hours) {
	f.t.Helper()
	ctx := context.Background()
	must(f.svc.PutHours(ctx, f.admin, point, h)).ok(f.t)
	for i, c := range []hall.Category{
		{Code: "A", Name: "综合受理"}, {Code: "B", Name: "出证取件"}, {Code: "C", Name: "一件事"}, {Code: "D", Name: "帮代办"}, {Code: "E", Name: "咨询"},
	} {
		c.SortOrder, c.Active = i, true
		must(f.svc.PutCategory(ctx, f.admin, point, c)).ok(f.t)
	}
	for _, w := range []hall.Window{
		{Code: "01", Name: "1号窗口", Categories: []string{"A", "B"}},
		{Code: "02", Name: "2号窗口", Categories: []string{"A"}},
		{Code: "03", Name: "3号窗口", Categories: []string{"C", "D", "E"}},
	} {
		w.Active = true
		must(f.svc.PutWindow(ctx, f.admin, point, w)).ok(f.t)
	}
}

// staff returns a made-up window worker of a point.
func staff(id int64, name, point string) auth.User {
	return auth.User{ID: id, Username: "staff" + name, Name: name, Role: auth.RoleFrontDesk, PointCode: point}
}

// applicant returns a made-up applicant born on the given date.
func applicant(id int64, name string, born time.Time) auth.User {
	return auth.User{ID: id, Username: "appl" + name, Name: name, Role: auth.RoleApplicant, Kind: auth.KindPerson,
		IDNumber: ident.GenerateIDCard("220106", born, int(id%900))}
}

// result carries a value and an error to ok, so that must(call()).ok(t)
// fails the test on an error in one line.
type result[T any] struct {
	v   T
	err error
}

func must[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) ok(t testing.TB) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// wantErr checks the class and reason of an error.
func wantErr(t testing.TB, err error, code apperr.Code, reason string) *apperr.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s/%s", code, reason)
	}
	ae := apperr.As(err)
	if ae.Code != code || (reason != "" && ae.Reason != reason) {
		t.Fatalf("error %v, want %s/%s", err, code, reason)
	}
	return ae
}

// reasonOf returns the reason of an application error, "" for nil.
func reasonOf(err error) string {
	if err == nil {
		return ""
	}
	return apperr.As(err).Reason
}
