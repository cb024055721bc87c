package hall_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestChangeableAndBookable(t *testing.T) {
	now := at(2026, 10, 12, 10, 0)
	appts := []struct {
		name string
		a    hall.Appointment
		want bool
	}{
		{"booked, later today", hall.Appointment{Status: hall.ApptBooked, StartsAt: now.Add(30 * time.Minute)}, true},
		{"booked, begun", hall.Appointment{Status: hall.ApptBooked, StartsAt: now.Add(-time.Minute)}, false},
		{"booked, begins now", hall.Appointment{Status: hall.ApptBooked, StartsAt: now}, false},
		{"cancelled, later", hall.Appointment{Status: hall.ApptCancelled, StartsAt: now.Add(time.Hour)}, false},
		{"checked in, later", hall.Appointment{Status: hall.ApptCheckedIn, StartsAt: now.Add(time.Hour)}, false},
	}
	for _, tt := range appts {
		if got := tt.a.Changeable(now); got != tt.want {
			t.Errorf("%s: Changeable = %v, want %v", tt.name, got, tt.want)
		}
	}
	slots := []struct {
		name string
		sl   hall.Slot
		want bool
	}{
		{"later with places", hall.Slot{Day: "2026-10-12", Starts: "10:30", Ends: "11:00", Free: 2}, true},
		{"tomorrow, one place", hall.Slot{Day: "2026-10-13", Starts: "08:30", Ends: "09:00", Free: 1}, true},
		{"full", hall.Slot{Day: "2026-10-13", Starts: "08:30", Ends: "09:00", Free: 0}, false},
		{"begins now", hall.Slot{Day: "2026-10-12", Starts: "10:00", Ends: "10:30", Free: 2}, false},
		{"earlier today", hall.Slot{Day: "2026-10-12", Starts: "09:00", Ends: "09:30", Free: 2}, false},
		{"not a date", hall.Slot{Day: "12.10.2026", Starts: "11:00", Ends: "11:30", Free: 2}, false},
	}
	for _, tt := range slots {
		if got := tt.sl.Bookable(now); got != tt.want {
			t.Errorf("%s: Bookable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHallPointsAndOwnAppointments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db) // Monday 12 October 2026, 09:00
		ctx := context.Background()
		codes := func(bookable bool) []string {
			t.Helper()
			pts := must(f.svc.HallPoints(ctx, bookable)).ok(t)
			var out []string
			for _, p := range pts {
				out = append(out, p.Code)
			}
			return out
		}
		if got := codes(false); !slices.Equal(got, []string{county, community}) {
			t.Errorf("hall points = %v", got)
		}
		if got := codes(true); len(got) != 0 {
			t.Errorf("bookable points without slots = %v", got)
		}
		countySlot := f.slot("2026-10-13", "09:00", "09:30", 1)
		communitySlot := must(f.svc.PutSlots(ctx, f.admin, community, []hall.Slot{{Category: "A", Day: "2026-10-14",
			Starts: "09:00", Ends: "09:30", Capacity: 1}})).ok(t)[0].ID
		must(f.svc.PutSlots(ctx, f.admin, community, []hall.Slot{{Category: "A", Day: "2026-11-20", Starts: "09:00", Ends: "09:30",
			Capacity: 5}})).ok(t) // beyond the booking horizon
		if got := codes(true); !slices.Equal(got, []string{county, community}) {
			t.Errorf("bookable points = %v", got)
		}

		yu := applicant(101, "于秀兰", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC))
		zhou := applicant(102, "周明", time.Date(1975, 8, 2, 0, 0, 0, 0, time.UTC))
		first := must(f.svc.Book(ctx, yu, county, hall.BookRequest{SlotID: countySlot})).ok(t)
		second := must(f.svc.Book(ctx, yu, community, hall.BookRequest{SlotID: communitySlot})).ok(t)
		// Both slots are full now: no point takes a booking in the coming days.
		if got := codes(true); len(got) != 0 {
			t.Errorf("bookable points with every slot full = %v", got)
		}
		mine := must(f.svc.MyAppointments(ctx, yu)).ok(t)
		if len(mine) != 2 || mine[0].ID != second.ID || mine[1].ID != first.ID {
			t.Fatalf("own appointments, latest first: %+v", mine)
		}
		if others := must(f.svc.MyAppointments(ctx, zhou)).ok(t); len(others) != 0 {
			t.Errorf("another applicant sees %+v", others)
		}
		_, err := f.svc.MyAppointments(ctx, f.manager)
		if ae := wantErr(t, err, apperr.Forbidden, "role_not_allowed"); !ae.Denied {
			t.Error("the refusal is not marked for the audit log")
		}
		// Once the slot is over, the list shows the appointment as missed.
		f.clock.set(at(2026, 10, 13, 10, 0))
		mine = must(f.svc.MyAppointments(ctx, yu)).ok(t)
		if mine[1].Status != hall.ApptNoShow || mine[0].Status != hall.ApptBooked {
			t.Errorf("after the county slot: %s, %s", mine[0].Status, mine[1].Status)
		}
	})
}

func TestStaffOfAPoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		users := auth.NewStore(db)
		add := func(username, name string, role auth.Role, point string) auth.User {
			t.Helper()
			return must(users.AddUser(ctx, auth.System, auth.User{Username: username, Name: name, Role: role, PointCode: point}, "password123")).ok(t)
		}
		desk := add("gen1", "李春燕", auth.RoleFrontDesk, community)
		issuer := add("iss1", "赵淑芬", auth.RoleIssuer, community)
		mgr := add("mgr1", "赵淑芳", auth.RoleHallManager, community)
		gone := add("gone1", "离职者", auth.RoleFrontDesk, community)
		add("hn1", "王丽", auth.RoleFrontDesk, county)
		if err := users.SetDisabled(ctx, auth.System, gone.ID, true); err != nil {
			t.Fatal(err)
		}
		must(f.svc.PutSkill(ctx, mgr, community, hall.Skill{UserID: desk.ID, AllItems: true})).ok(t)

		staff := must(f.svc.Staff(ctx, mgr, community)).ok(t)
		var got []string
		for _, m := range staff {
			got = append(got, m.Name)
		}
		if !slices.Equal(got, []string{"李春燕", "赵淑芬", "赵淑芳"}) {
			t.Fatalf("staff = %v", got)
		}
		if staff[0].ID != desk.ID || staff[0].Skill == nil || !staff[0].Skill.AllItems {
			t.Errorf("the generalist's skill: %+v", staff[0])
		}
		if staff[1].ID != issuer.ID || staff[1].Skill != nil || staff[1].Role != auth.RoleIssuer {
			t.Errorf("the issuer: %+v", staff[1])
		}
		_, err := f.svc.Staff(ctx, f.manager, community)
		wantErr(t, err, apperr.Forbidden, "out_of_scope")
		_, err = f.svc.Staff(ctx, applicant(9, "于秀兰", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC)), community)
		wantErr(t, err, apperr.Forbidden, "role_not_allowed")
	})
}

func TestHoursOnTheCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		days := must(f.svc.HoursOn(ctx, community, "2026-09-28", 14)).ok(t)
		byDay := map[string]hall.DayHours{}
		for _, d := range days {
			byDay[d.Day] = d
		}
		tests := []struct {
			day     string
			weekday int
			opens   []string
			kind    string
		}{
			{"2026-09-28", 1, []string{"08:30", "13:30"}, "workday"},
			{"2026-10-01", 4, nil, "holiday"},                       // National Day
			{"2026-10-03", 6, nil, "holiday"},                       // a Saturday inside the holiday
			{"2026-10-10", 6, []string{"08:30", "13:30"}, "makeup"}, // keeps Monday's hours
			{"2026-10-11", 7, nil, "weekend"},
		}
		for _, tt := range tests {
			d, ok := byDay[tt.day]
			if !ok {
				t.Errorf("%s is missing", tt.day)
				continue
			}
			var opens []string
			for _, p := range d.Periods {
				opens = append(opens, p.Opens)
			}
			if d.Weekday != tt.weekday || !slices.Equal(opens, tt.opens) || d.DayKind != tt.kind || d.Open() != (len(tt.opens) > 0) {
				t.Errorf("%s: %+v, want weekday %d, opens %v, %s", tt.day, d, tt.weekday, tt.opens, tt.kind)
			}
		}
		if byDay["2026-10-01"].Holiday == "" {
			t.Error("the holiday has no name")
		}
		// An ordinary Saturday keeps the community's Saturday morning.
		sat := must(f.svc.HoursOn(ctx, community, "2026-10-17", 1)).ok(t)[0]
		if len(sat.Periods) != 1 || sat.Periods[0].Opens != "09:00" {
			t.Errorf("an ordinary Saturday: %+v", sat)
		}
		_, err := f.svc.HoursOn(ctx, community, "2026/10/17", 1)
		if !hasField(err, "from") {
			t.Errorf("a bad date: %v", err)
		}
		_, err = f.svc.HoursOn(ctx, community, "2026-10-17", 0)
		if !hasField(err, "days") {
			t.Errorf("no days: %v", err)
		}
		_, err = f.svc.HoursOn(ctx, "NOSUCH", "2026-10-17", 7)
		wantErr(t, err, apperr.NotFound, "")
	})
}
