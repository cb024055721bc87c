package hall_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// slot adds one slot of category A at the county hall and returns its id.
func (f *fixture) slot(day, starts, ends string, capacity int) int64 {
	f.t.Helper()
	out := must(f.svc.PutSlots(context.Background(), f.manager, county,
		[]hall.Slot{{Category: "A", Day: day, Starts: starts, Ends: ends, Capacity: capacity}})).ok(f.t)
	return out[0].ID
}

func TestSlotsFollowTheHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		tests := []struct {
			name  string
			slot  hall.Slot
			field string // "" when accepted
		}{
			{"a Monday morning", hall.Slot{Category: "A", Day: "2026-10-12", Starts: "09:00", Ends: "09:30", Capacity: 3}, ""},
			{"lunch where it is served", hall.Slot{Category: "A", Day: "2026-10-12", Starts: "12:00", Ends: "12:30", Capacity: 3}, ""},
			{"Thursday 延时办", hall.Slot{Category: "A", Day: "2026-10-15", Starts: "18:00", Ends: "18:30", Capacity: 3}, ""},
			{"the make-up Saturday", hall.Slot{Category: "A", Day: "2026-10-10", Starts: "09:00", Ends: "09:30", Capacity: 3}, ""},
			{"National Day", hall.Slot{Category: "A", Day: "2026-10-01", Starts: "09:00", Ends: "09:30", Capacity: 3}, "slots[0].starts"},
			{"Monday evening", hall.Slot{Category: "A", Day: "2026-10-12", Starts: "18:00", Ends: "18:30", Capacity: 3}, "slots[0].starts"},
			{"ends before it starts", hall.Slot{Category: "A", Day: "2026-10-12", Starts: "10:00", Ends: "09:30", Capacity: 3}, "slots[0].ends"},
			{"no capacity", hall.Slot{Category: "A", Day: "2026-10-12", Starts: "09:00", Ends: "09:30"}, "slots[0].capacity"},
			{"bad day", hall.Slot{Category: "A", Day: "12.10.2026", Starts: "09:00", Ends: "09:30", Capacity: 1}, "slots[0].day"},
			{"unknown category", hall.Slot{Category: "Q", Day: "2026-10-12", Starts: "09:00", Ends: "09:30", Capacity: 1}, "slots[0].category"},
		}
		for _, tt := range tests {
			_, err := f.svc.PutSlots(ctx, f.manager, county, []hall.Slot{tt.slot})
			if tt.field == "" && err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			if tt.field != "" && !hasField(err, tt.field) {
				t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
			}
		}
		_, err := f.svc.PutSlots(ctx, staff(5, "王丽", county), county, []hall.Slot{tests[0].slot})
		wantErr(t, err, apperr.Forbidden, "role_not_allowed")
		// Generated slots cover the opening hours of the days the point opens.
		gen := must(f.svc.GenerateSlots(ctx, f.admin, community, hall.GenerateSlotsRequest{Category: "E", From: "2026-09-30",
			WorkingDays: 2, EveryMinutes: 60, Capacity: 2})).ok(t)
		var got []string
		for _, sl := range gen {
			got = append(got, sl.Day+" "+sl.Starts)
		}
		want := "2026-09-30 08:30,2026-09-30 09:30,2026-09-30 10:30,2026-09-30 13:30,2026-09-30 14:30,2026-09-30 15:30," +
			"2026-10-08 08:30,2026-10-08 09:30,2026-10-08 10:30,2026-10-08 13:30,2026-10-08 14:30,2026-10-08 15:30"
		if strings.Join(got, ",") != want {
			t.Errorf("generated %v\nwant      %s", got, want)
		}
	})
}

func TestBookingCancelAndReschedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		yu := applicant(301, "于秀兰", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC))
		zhou := applicant(302, "周明", time.Date(1975, 8, 2, 0, 0, 0, 0, time.UTC))
		early := f.slot("2026-10-13", "09:00", "09:30", 1)
		late := f.slot("2026-10-13", "10:00", "10:30", 1)

		a := must(f.svc.Book(ctx, yu, county, hall.BookRequest{SlotID: early})).ok(t)
		if a.Status != hall.ApptBooked || !a.StartsAt.Equal(at(2026, 10, 13, 9, 0)) || !a.EndsAt.Equal(at(2026, 10, 13, 9, 30)) {
			t.Fatalf("appointment %+v", a)
		}
		_, err := f.svc.Book(ctx, yu, county, hall.BookRequest{SlotID: late})
		wantErr(t, err, apperr.Conflict, "already_booked")
		_, err = f.svc.Book(ctx, zhou, county, hall.BookRequest{SlotID: early})
		wantErr(t, err, apperr.Conflict, "slot_full")
		_, err = f.svc.Book(ctx, zhou, county, hall.BookRequest{SlotID: 99999})
		if !hasField(err, "slot_id") {
			t.Errorf("unknown slot: %v", err)
		}
		_, err = f.svc.Book(ctx, staff(9, "王丽", county), county, hall.BookRequest{SlotID: late})
		wantErr(t, err, apperr.Forbidden, "role_not_allowed")

		// 周明 takes the later slot; 于秀兰 cannot move into it, and keeps hers.
		z := must(f.svc.Book(ctx, zhou, county, hall.BookRequest{SlotID: late})).ok(t)
		_, err = f.svc.Reschedule(ctx, yu, county, a.ID, hall.BookRequest{SlotID: late})
		wantErr(t, err, apperr.Conflict, "slot_full")
		_, err = f.svc.CancelAppointment(ctx, zhou, county, a.ID)
		wantErr(t, err, apperr.NotFound, "appointment_not_found")
		must(f.svc.CancelAppointment(ctx, zhou, county, z.ID)).ok(t)
		moved := must(f.svc.Reschedule(ctx, yu, county, a.ID, hall.BookRequest{SlotID: late})).ok(t)
		if moved.SlotID != late || !moved.StartsAt.Equal(at(2026, 10, 13, 10, 0)) {
			t.Fatalf("rescheduled %+v", moved)
		}
		slots := must(f.svc.Slots(ctx, county, hall.SlotFilter{From: "2026-10-13", To: "2026-10-13"})).ok(t)
		if slots[0].Booked != 0 || slots[1].Booked != 1 {
			t.Fatalf("slots %+v: the early one freed, the late one taken", slots)
		}
		// Once a slot has begun it can be neither cancelled nor booked.
		f.clock.set(at(2026, 10, 13, 10, 5))
		_, err = f.svc.CancelAppointment(ctx, yu, county, a.ID)
		wantErr(t, err, apperr.Conflict, "slot_past")
		_, err = f.svc.Book(ctx, zhou, county, hall.BookRequest{SlotID: early})
		wantErr(t, err, apperr.Conflict, "slot_past")
		// Hours that change after a slot was made make it unbookable, with the next opening.
		f.clock.set(at(2026, 10, 12, 9, 0))
		must(f.svc.PutHours(ctx, f.manager, county, hall.Hours{{Weekday: 3, Kind: hall.PeriodRegular, Opens: "08:30", Closes: "12:00"}})).ok(t)
		_, err = f.svc.Book(ctx, zhou, county, hall.BookRequest{SlotID: early})
		if ae := wantErr(t, err, apperr.Conflict, "point_closed"); ae.Extra["next_open"] != "2026-10-14T08:30:00+08:00" {
			t.Errorf("next opening %v, want Wednesday 08:30", ae.Extra["next_open"])
		}
	})
}

func TestCheckIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		he := applicant(401, "何经奇", time.Date(1959, 11, 23, 0, 0, 0, 0, time.UTC))
		other := applicant(402, "马慧文", time.Date(1945, 6, 5, 0, 0, 0, 0, time.UTC))
		a := must(f.svc.Book(ctx, he, county, hall.BookRequest{SlotID: f.slot("2026-10-13", "09:00", "09:30", 2)})).ok(t)
		st := hall.DefaultSettings()
		st.CheckInEarlyMinutes = 15
		must(f.svc.PutSettings(ctx, f.manager, county, st)).ok(t)

		f.clock.set(at(2026, 10, 13, 8, 0))
		_, err := f.svc.CheckIn(ctx, he, county, a.ID)
		wantErr(t, err, apperr.Conflict, "point_closed")
		f.clock.set(at(2026, 10, 13, 8, 40))
		_, err = f.svc.CheckIn(ctx, he, county, a.ID)
		if ae := wantErr(t, err, apperr.Conflict, "check_in_too_early"); ae.Extra["check_in_from"] != "2026-10-13T08:45:00+08:00" {
			t.Errorf("check in from %v", ae.Extra["check_in_from"])
		}
		_, err = f.svc.CheckIn(ctx, other, county, a.ID)
		wantErr(t, err, apperr.NotFound, "appointment_not_found")

		walkIn := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		f.clock.set(at(2026, 10, 13, 8, 50))
		tk := must(f.svc.CheckIn(ctx, he, county, a.ID)).ok(t)
		if tk.Priority != hall.PriorityAppointment || tk.Source != hall.SourceAppointment || tk.AppointmentID == nil || *tk.AppointmentID != a.ID {
			t.Fatalf("checked-in ticket %+v", tk)
		}
		got := must(f.svc.Appointment(ctx, he, county, a.ID)).ok(t)
		if got.Status != hall.ApptCheckedIn || got.TicketID == nil || *got.TicketID != tk.ID {
			t.Fatalf("appointment after check-in %+v", got)
		}
		_, err = f.svc.CheckInByCode(ctx, county, a.Code)
		wantErr(t, err, apperr.Conflict, "appointment_state")
		w := staff(403, "王丽", county)
		must(f.svc.SignIn(ctx, w, county, "02")).ok(t)
		if called := must(f.svc.CallNext(ctx, w, county, "02")).ok(t); called.ID != tk.ID {
			t.Fatalf("called %s, want the appointment %s before the walk-in %s", called.Number, tk.Number, walkIn.Number)
		}

		// Too late: the slot is over.
		b := must(f.svc.Book(ctx, other, county, hall.BookRequest{SlotID: f.slot("2026-10-13", "09:30", "10:00", 2)})).ok(t)
		f.clock.set(at(2026, 10, 13, 10, 0))
		_, err = f.svc.CheckInByCode(ctx, county, b.Code)
		wantErr(t, err, apperr.Conflict, "appointment_over")
	})
}

// Three missed appointments within 30 days block booking for 7 days from
// the third, with a message that says until when.
func TestNoShowsBlockBooking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ma := applicant(501, "马", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC))
		for _, day := range []string{"2026-10-13", "2026-10-14", "2026-10-15"} {
			must(f.svc.Book(ctx, ma, county, hall.BookRequest{SlotID: f.slot(day, "09:00", "09:30", 5)})).ok(t)
		}
		f.clock.set(at(2026, 10, 16, 9, 0))
		next := f.slot("2026-10-19", "09:00", "09:30", 5)
		_, err := f.svc.Book(ctx, ma, county, hall.BookRequest{SlotID: next})
		ae := wantErr(t, err, apperr.Conflict, "booking_blocked")
		if ae.Extra["blocked_until"] != "2026-10-22T09:30:00+08:00" || !strings.Contains(ae.Message.ZH, "2026年10月22日09:30") ||
			!strings.Contains(ae.Message.ZH, "3次") {
			t.Fatalf("blocked: %v %+v", ae.Extra, ae.Message)
		}
		mine := must(f.svc.Appointments(ctx, ma, county, "")).ok(t)
		for _, a := range mine {
			if a.Status != hall.ApptNoShow {
				t.Errorf("appointment of %s is %s, want no_show", a.Day, a.Status)
			}
		}
		f.clock.set(at(2026, 10, 22, 9, 31))
		must(f.svc.Book(ctx, ma, county, hall.BookRequest{SlotID: f.slot("2026-10-23", "09:00", "09:30", 5)})).ok(t)

		// A point may turn the rule off.
		st := hall.DefaultSettings()
		st.NoShowLimit = 0
		must(f.svc.PutSettings(ctx, f.manager, county, st)).ok(t)
		st.NoShowWindowDays = 0
		_, err = f.svc.PutSettings(ctx, f.manager, county, st)
		if !hasField(err, "no_show_window_days") {
			t.Errorf("settings out of range: %v", err)
		}
	})
}
