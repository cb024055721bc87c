package hall_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// addItem publishes an item handled at the given levels.
func addItem(t *testing.T, db *store.DB, code string, levels ...int) {
	t.Helper()
	ctx := context.Background()
	cat := catalog.NewStore(db)
	if err := cat.PutDepartment(ctx, auth.System, catalog.Department{Code: "LY-RS", Name: "绿园区人力资源和社会保障局"}); err != nil {
		t.Fatal(err)
	}
	it := must(cat.SaveDraft(ctx, auth.System, catalog.Item{Code: code, BaseCode: code, Name: "事项" + code, Type: "20", DepartmentCode: "LY-RS",
		Levels: levels, LegalLimitDays: 5, PromisedLimitDays: 1})).ok(t)
	must(cat.Publish(ctx, auth.System, it.Code, it.Version)).ok(t)
}

func TestRosterAndDuty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		users := auth.NewStore(db)
		add := func(username, name, point string) auth.User {
			t.Helper()
			return must(users.AddUser(ctx, auth.System, auth.User{Username: username, Name: name, Role: auth.RoleFrontDesk, PointCode: point}, "password123")).ok(t)
		}
		g := []auth.User{add("gen1", "李春燕", community), add("gen2", "张红梅", community), add("gen3", "刘海波", community), add("gen4", "陈静", community)}
		spec := add("spec", "赵专", community)
		stranger := add("hn1", "王丽", county)
		mgr := auth.User{ID: 77, Name: "赵淑芳", Role: auth.RoleHallManager, PointCode: community}
		addItem(t, db, "COMMUNITY-1", 4, 5, 6)
		addItem(t, db, "COUNTY-1", 4)

		for _, u := range g {
			must(f.svc.PutSkill(ctx, mgr, community, hall.Skill{UserID: u.ID, AllItems: true})).ok(t)
		}
		must(f.svc.PutSkill(ctx, mgr, community, hall.Skill{UserID: spec.ID, Categories: []string{"B"}, Items: []string{"COMMUNITY-1"}})).ok(t)
		_, err := f.svc.PutSkill(ctx, mgr, community, hall.Skill{UserID: stranger.ID, AllItems: true})
		if !hasField(err, "user_id") {
			t.Errorf("skill for someone of another point: %v", err)
		}
		_, err = f.svc.PutSkill(ctx, f.manager, community, hall.Skill{UserID: spec.ID})
		wantErr(t, err, apperr.Forbidden, "out_of_scope")

		// Two a day in turn over the next ten days the centre opens, from
		// Monday 28 September: the National Day holiday is skipped, the
		// make-up Saturday 10 October and Saturday mornings are worked.
		ids := []int64{g[0].ID, g[1].ID, g[2].ID, g[3].ID}
		plan := must(f.svc.Rotate(ctx, mgr, community, hall.RotateRequest{From: "2026-09-28", Days: 10, PerDay: 2, Staff: ids})).ok(t)
		days := map[string][]int64{}
		var order []string
		for _, e := range plan {
			if _, seen := days[e.Day]; !seen {
				order = append(order, e.Day)
			}
			days[e.Day] = append(days[e.Day], e.UserID)
			if e.Skill == nil || !e.Skill.AllItems {
				t.Errorf("entry %+v should carry the generalist skill", e)
			}
		}
		wantDays := []string{"2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10",
			"2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15"}
		if !slices.Equal(order, wantDays) {
			t.Fatalf("rostered days %v, want %v", order, wantDays)
		}
		for i, d := range wantDays {
			want := []int64{ids[(2*i)%4], ids[(2*i+1)%4]}
			if !slices.Equal(days[d], want) {
				t.Errorf("%s: on duty %v, want %v", d, days[d], want)
			}
		}
		_, err = f.svc.Rotate(ctx, mgr, community, hall.RotateRequest{From: "2026-10-19", Days: 1, PerDay: 2, Staff: []int64{g[0].ID, stranger.ID}})
		if !hasField(err, "staff[1]") {
			t.Errorf("rotation with someone of another point: %v", err)
		}

		// Monday 12 October: one generalist all day, the specialist in the afternoon.
		must(f.svc.PutRoster(ctx, mgr, community, "2026-10-12", []hall.RosterEntry{{UserID: g[0].ID},
			{UserID: spec.ID, Starts: "13:30", Ends: "17:00"}})).ok(t)
		_, err = f.svc.PutRoster(ctx, mgr, community, "2026-10-12", []hall.RosterEntry{{UserID: g[0].ID, Starts: "13:30"}})
		if !hasField(err, "entries[0].ends") {
			t.Errorf("half a time range: %v", err)
		}
		duty := func(hh, mm int, item string) []int64 {
			t.Helper()
			es := must(f.svc.OnDuty(ctx, mgr, community, at(2026, 10, 12, hh, mm), item)).ok(t)
			var out []int64
			for _, e := range es {
				out = append(out, e.UserID)
			}
			return out
		}
		tests := []struct {
			name   string
			hh, mm int
			item   string
			want   []int64
		}{
			{"morning", 10, 0, "", []int64{g[0].ID}},
			{"lunch break: the centre is closed", 12, 0, "", nil},
			{"afternoon", 14, 0, "", []int64{g[0].ID, spec.ID}},
			{"a community item: the generalist and the specialist who has it", 14, 0, "COMMUNITY-1", []int64{g[0].ID, spec.ID}},
			{"a county-only item: nobody here", 14, 0, "COUNTY-1", nil},
		}
		for _, tt := range tests {
			if got := duty(tt.hh, tt.mm, tt.item); !slices.Equal(got, tt.want) {
				t.Errorf("%s: on duty %v, want %v", tt.name, got, tt.want)
			}
		}
		_, err = f.svc.OnDuty(ctx, mgr, community, at(2026, 10, 12, 14, 0), "NO-SUCH")
		if !hasField(err, "item") {
			t.Errorf("unknown item: %v", err)
		}

		// Skills decide which windows one may staff.
		must(f.svc.PutWindow(ctx, mgr, community, hall.Window{Code: "04", Name: "4号出证窗口", Categories: []string{"B"}, Active: true})).ok(t)
		_, err = f.svc.SignIn(ctx, spec, community, "01")
		wantErr(t, err, apperr.Conflict, "skill_missing")
		must(f.svc.SignIn(ctx, spec, community, "04")).ok(t)
		must(f.svc.SignIn(ctx, g[1], community, "01")).ok(t)
	})
}

// The day's numbers, worked out by hand for a Thursday at the county hall.
func TestStats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		w := staff(88, "王丽", county)
		must(f.svc.SignIn(ctx, w, county, "01")).ok(t)
		yu := applicant(601, "于", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC))
		zhou := applicant(602, "周", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC))
		he := applicant(603, "何", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC))
		// Booked on Monday for Thursday: one kept, one missed, one cancelled.
		s1, s2 := f.slot("2026-10-15", "16:00", "16:30", 5), f.slot("2026-10-15", "16:30", "17:00", 5)
		kept := must(f.svc.Book(ctx, yu, county, hall.BookRequest{SlotID: s1})).ok(t)
		must(f.svc.Book(ctx, zhou, county, hall.BookRequest{SlotID: s1})).ok(t)
		gone := must(f.svc.Book(ctx, he, county, hall.BookRequest{SlotID: s2})).ok(t)
		must(f.svc.CancelAppointment(ctx, he, county, gone.ID)).ok(t)

		kiosk := func(hh, mm int, cat string) hall.Ticket {
			t.Helper()
			f.clock.set(at(2026, 10, 15, hh, mm))
			return must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: cat})).ok(t)
		}
		serve := func(id int64, callH, callM, minutes int) {
			t.Helper()
			f.clock.set(at(2026, 10, 15, callH, callM))
			if got := must(f.svc.CallNext(ctx, w, county, "01")).ok(t); got.ID != id {
				t.Fatalf("called %d, want %d", got.ID, id)
			}
			must(f.svc.Start(ctx, w, county, id)).ok(t)
			f.clock.advance(time.Duration(minutes) * time.Minute)
			must(f.svc.Finish(ctx, w, county, id)).ok(t)
		}
		t1, t2, t3 := kiosk(9, 0, "A"), kiosk(9, 10, "A"), kiosk(9, 20, "B")
		t4 := kiosk(10, 5, "A")
		serve(t1.ID, 9, 30, 10) // waited 30 min, served 10
		f.clock.set(at(2026, 10, 15, 9, 40))
		must(f.svc.CallNext(ctx, w, county, "01")).ok(t) // t2, waited 30 min
		must(f.svc.Recall(ctx, w, county, t2.ID)).ok(t)
		must(f.svc.Recall(ctx, w, county, t2.ID)).ok(t)
		must(f.svc.NoShow(ctx, w, county, t2.ID)).ok(t)
		serve(t3.ID, 12, 0, 20) // waited 160 min, served 20 at lunch
		f.clock.set(at(2026, 10, 15, 15, 55))
		must(f.svc.CheckIn(ctx, yu, county, kept.ID)).ok(t) // a fifth ticket, still waiting at the end
		// 17:30 is 延时办 on Thursdays; t4 (waited 445 min) goes before the
		// appointment ticket under the fairness guard.
		serve(t4.ID, 17, 30, 15)

		st := must(f.svc.Stats(ctx, f.manager, county, "2026-10-15")).ok(t)
		min := func(m int) int { return m * 60 }
		wantHours := []hall.HourCount{{Hour: 9, Tickets: 3}, {Hour: 10, Tickets: 1}, {Hour: 15, Tickets: 1}}
		if st.Tickets != 5 || !slices.Equal(st.PerHour, wantHours) {
			t.Errorf("tickets %d per hour %v, want 5 and %v", st.Tickets, st.PerHour, wantHours)
		}
		if st.Served != 3 || st.NoShows != 1 || st.NoShowRate != 0.25 {
			t.Errorf("served %d, no-shows %d, rate %v; want 3, 1, 0.25", st.Served, st.NoShows, st.NoShowRate)
		}
		// Waits 30, 30, 160, 445 min: nearest-rank p50 30, p90 445.
		// Services 10, 20, 15 min: p50 15, p90 20.
		if st.WaitP50Sec != min(30) || st.WaitP90Sec != min(445) || st.ServiceP50 != min(15) || st.ServiceP90 != min(20) {
			t.Errorf("wait %d/%d service %d/%d", st.WaitP50Sec, st.WaitP90Sec, st.ServiceP50, st.ServiceP90)
		}
		wantCats := []hall.CategoryStats{
			{Category: "A", Name: "综合受理", Tickets: 4, Served: 2, NoShows: 1, Waiting: 1, WaitP50Sec: min(30), WaitP90Sec: min(445),
				ServiceP50: min(10), ServiceP90: min(15)},
			{Category: "B", Name: "出证取件", Tickets: 1, Served: 1, WaitP50Sec: min(160), WaitP90Sec: min(160), ServiceP50: min(20), ServiceP90: min(20)},
		}
		if !slices.Equal(st.Categories, wantCats) {
			t.Errorf("categories\n%+v\nwant\n%+v", st.Categories, wantCats)
		}
		if st.Lunch.Services != 1 || st.Extended.Services != 1 {
			t.Errorf("lunch %+v extended %+v, want one service each", st.Lunch, st.Extended)
		}
		wantAppt := hall.AppointmentStats{Booked: 2, Kept: 1, NoShows: 1, Cancelled: 1, KeptRate: 0.5}
		if st.Appointments != wantAppt {
			t.Errorf("appointments %+v, want %+v", st.Appointments, wantAppt)
		}
		_, err := f.svc.Stats(ctx, w, county, "")
		wantErr(t, err, apperr.Forbidden, "role_not_allowed")
	})
}
