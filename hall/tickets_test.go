package hall_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestTicketNumbersPerCategoryAndDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		take := func(point, cat string) string {
			t.Helper()
			return must(f.svc.TakeAtKiosk(ctx, point, hall.TakeRequest{Category: cat})).ok(t).Number
		}
		got := []string{take(county, "A"), take(county, "A"), take(county, "B"), take(county, "A"), take(community, "A")}
		want := []string{"A001", "A002", "B001", "A003", "A001"}
		if !slices.Equal(got, want) {
			t.Fatalf("numbers %v, want %v", got, want)
		}
		f.clock.set(at(2026, 10, 13, 9, 0))
		if n := take(county, "A"); n != "A001" {
			t.Errorf("the next day starts again at A001, got %s", n)
		}

		_, err := f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "Z"})
		if !hasField(err, "category") {
			t.Errorf("unknown category: %v", err)
		}
		_, err = f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A", IDNumber: "12345"})
		if !hasField(err, "id_number") {
			t.Errorf("bad ID number: %v", err)
		}
		_, err = f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A", Disabled: true})
		if !hasField(err, "priority") {
			t.Errorf("the kiosk cannot see a disability certificate: %v", err)
		}
		_, err = f.svc.TakeAtKiosk(ctx, "NOWHERE", hall.TakeRequest{Category: "A"})
		wantErr(t, err, apperr.NotFound, "point_not_found")
	})
}

// Taking a ticket outside the hours is refused with the next opening.
func TestClosedPointSaysWhenItOpens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		tests := []struct {
			name string
			now  time.Time
			next string
		}{
			{"National Day", at(2026, 10, 1, 10, 0), "2026-10-08T08:30:00+08:00"},
			{"Monday evening", at(2026, 10, 12, 17, 15), "2026-10-13T08:30:00+08:00"},
			{"Friday evening before the make-up Saturday", at(2026, 10, 9, 18, 0), "2026-10-10T08:30:00+08:00"},
		}
		for _, tt := range tests {
			f.clock.set(tt.now)
			_, err := f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})
			ae := wantErr(t, err, apperr.Conflict, "point_closed")
			if ae.Extra["next_open"] != tt.next {
				t.Errorf("%s: next_open %v, want %s", tt.name, ae.Extra["next_open"], tt.next)
			}
			if !strings.Contains(ae.Message.ZH, "下次开放时间") || !strings.Contains(ae.Message.EN, "opens next") {
				t.Errorf("%s: message %+v should say when the point opens", tt.name, ae.Message)
			}
		}
		// The Thursday evening 延时办 is open.
		f.clock.set(at(2026, 10, 15, 18, 0))
		must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
	})
}

// The database calls tickets in the order of the pure rule, with priority,
// fairness and several categories and windows.
func TestCallNextFollowsTheRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		old := applicant(501, "老人", time.Date(1950, 3, 1, 0, 0, 0, 0, time.UTC))
		young := applicant(502, "青年", time.Date(1990, 3, 1, 0, 0, 0, 0, time.UTC))
		desk := staff(601, "导办", county)

		type taken struct {
			t      hall.Ticket
			minute int
		}
		var all []hall.Ticket
		take := func(minute int, req hall.TakeRequest, who string) {
			t.Helper()
			f.clock.set(at(2026, 10, 12, 9, minute))
			var tk hall.Ticket
			switch who {
			case "kiosk":
				tk = must(f.svc.TakeAtKiosk(ctx, county, req)).ok(t)
			case "desk":
				tk = must(f.svc.Take(ctx, desk, county, req)).ok(t)
			case "old":
				tk = must(f.svc.Take(ctx, old, county, req)).ok(t)
			case "young":
				tk = must(f.svc.Take(ctx, young, county, req)).ok(t)
			}
			all = append(all, tk)
		}
		take(0, hall.TakeRequest{Category: "A"}, "kiosk")                   // normal, will be overdue
		take(1, hall.TakeRequest{Category: "B"}, "kiosk")                   // normal
		take(5, hall.TakeRequest{Category: "A"}, "old")                     // elderly (online)
		take(10, hall.TakeRequest{Category: "A"}, "young")                  // normal (online)
		take(40, hall.TakeRequest{Category: "A", Disabled: true}, "desk")   // disabled
		take(41, hall.TakeRequest{Category: "C"}, "kiosk")                  // another window's
		take(42, hall.TakeRequest{Category: "B", Serviceman: true}, "desk") // serviceman
		if all[2].Priority != hall.PriorityElderly || all[4].Priority != hall.PriorityDisabled || all[6].Priority != hall.PriorityServiceman {
			t.Fatalf("priorities %q %q %q", all[2].Priority, all[4].Priority, all[6].Priority)
		}
		if all[3].Priority != hall.PriorityNone || all[3].Ahead == nil || *all[3].Ahead != 2 {
			t.Fatalf("the young applicant's ticket: %+v, want normal with 2 ahead", all[3])
		}

		// At 09:45 the first A ticket has waited 45 minutes (> 30): it goes
		// before the disabled and serviceman tickets taken after it, but the
		// elderly ticket taken at 09:05 still goes before the 09:10 one.
		f.clock.set(at(2026, 10, 12, 9, 45))
		w := staff(602, "一号", county)
		must(f.svc.SignIn(ctx, w, county, "01")).ok(t)
		var queued []hall.Queued
		for _, tk := range all {
			queued = append(queued, hall.Queued{ID: tk.ID, Category: tk.Category, Priority: tk.Priority, QueuedAt: tk.QueuedAt})
		}
		for {
			want, ok := hall.PickNext(queued, "01", []string{"A", "B"}, f.clock.Now(), 30*time.Minute)
			got, err := f.svc.CallNext(ctx, w, county, "01")
			if !ok {
				wantErr(t, err, apperr.NotFound, "queue_empty")
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != want.ID {
				t.Fatalf("called %s (%d), the rule says %d", got.Number, got.ID, want.ID)
			}
			if got.Status != hall.StatusCalled || got.Window != "01" || got.Calls != 1 {
				t.Fatalf("called ticket %+v", got)
			}
			if _, err := f.svc.CallNext(ctx, w, county, "01"); reasonOf(err) != "window_busy" {
				t.Fatalf("calling again with a ticket open: %v", err)
			}
			must(f.svc.Start(ctx, w, county, got.ID)).ok(t)
			must(f.svc.Finish(ctx, w, county, got.ID)).ok(t)
			queued = slices.DeleteFunc(queued, func(q hall.Queued) bool { return q.ID == got.ID })
			f.clock.advance(time.Minute)
		}
		if len(queued) != 1 || queued[0].Category != "C" {
			t.Fatalf("left %+v, want only the C ticket for window 03", queued)
		}
	})
}

func TestWindowsAndTicketActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		wang, li := staff(701, "王丽", county), staff(702, "李春燕", county)
		elsewhere := staff(703, "孙建国", community)

		_, err := f.svc.CallNext(ctx, wang, county, "01")
		wantErr(t, err, apperr.Conflict, "not_signed_in")
		must(f.svc.SignIn(ctx, wang, county, "01")).ok(t)
		_, err = f.svc.SignIn(ctx, li, county, "01")
		wantErr(t, err, apperr.Conflict, "window_taken")
		_, err = f.svc.SignIn(ctx, elsewhere, county, "02")
		if ae := wantErr(t, err, apperr.Forbidden, "out_of_scope"); !ae.Denied {
			t.Error("a refusal outside the caller's point must be marked for the audit log")
		}
		_, err = f.svc.PutWindow(ctx, wang, county, hall.Window{Code: "09", Name: "9号", Categories: []string{"A"}})
		wantErr(t, err, apperr.Forbidden, "role_not_allowed")
		_, err = f.svc.PutWindow(ctx, f.manager, county, hall.Window{Code: "09", Name: "9号", Categories: []string{"Q"}})
		if !hasField(err, "categories[0]") {
			t.Errorf("window with an unknown category: %v", err)
		}
		// Signing in elsewhere leaves the first window.
		must(f.svc.SignIn(ctx, wang, county, "02")).ok(t)
		must(f.svc.SignIn(ctx, li, county, "01")).ok(t)

		a1 := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		f.clock.advance(time.Minute)
		a2 := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		called := must(f.svc.CallNext(ctx, li, county, "01")).ok(t)
		if called.ID != a1.ID {
			t.Fatalf("called %s, want %s", called.Number, a1.Number)
		}
		// Only the window that called it acts on it.
		_, err = f.svc.Recall(ctx, wang, county, a1.ID)
		wantErr(t, err, apperr.Conflict, "not_your_window")
		// Two recalls before a no-show (the default).
		_, err = f.svc.NoShow(ctx, li, county, a1.ID)
		wantErr(t, err, apperr.Conflict, "recall_first")
		must(f.svc.Recall(ctx, li, county, a1.ID)).ok(t)
		r := must(f.svc.Recall(ctx, li, county, a1.ID)).ok(t)
		if r.Calls != 3 {
			t.Fatalf("calls %d after two recalls, want 3", r.Calls)
		}
		ns := must(f.svc.NoShow(ctx, li, county, a1.ID)).ok(t)
		if ns.Status != hall.StatusNoShow {
			t.Fatalf("status %s, want no_show", ns.Status)
		}
		_, err = f.svc.Start(ctx, li, county, a1.ID)
		wantErr(t, err, apperr.Conflict, "ticket_state")

		// Transfer to 一件事 (window 03): the number and the place stay.
		c2 := must(f.svc.CallNext(ctx, wang, county, "02")).ok(t)
		must(f.svc.Start(ctx, wang, county, c2.ID)).ok(t)
		f.clock.advance(10 * time.Minute)
		c3 := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "C"})).ok(t)
		moved := must(f.svc.Transfer(ctx, wang, county, c2.ID, hall.TransferRequest{Category: "C"})).ok(t)
		if moved.Status != hall.StatusWaiting || moved.Category != "C" || moved.Number != a2.Number || !moved.QueuedAt.Equal(a2.QueuedAt) || moved.Transfers != 1 {
			t.Fatalf("transferred ticket %+v", moved)
		}
		zhao := staff(704, "赵", county)
		must(f.svc.SignIn(ctx, zhao, county, "03")).ok(t)
		if got := must(f.svc.CallNext(ctx, zhao, county, "03")).ok(t); got.ID != a2.ID {
			t.Fatalf("window 03 called %s, want the transferred %s before %s", got.Number, a2.Number, c3.Number)
		}
		// Transfer to one window: only that window calls it.
		must(f.svc.Start(ctx, zhao, county, a2.ID)).ok(t)
		must(f.svc.Transfer(ctx, zhao, county, a2.ID, hall.TransferRequest{Window: "01"})).ok(t)
		_, err = f.svc.CallNext(ctx, wang, county, "02")
		wantErr(t, err, apperr.NotFound, "queue_empty")
		if got := must(f.svc.CallNext(ctx, li, county, "01")).ok(t); got.ID != a2.ID || got.Category != "C" {
			t.Fatalf("window 01 called %+v, want %s sent to it", got, a2.Number)
		}
		_, err = f.svc.SignOut(ctx, li, county, "01")
		wantErr(t, err, apperr.Conflict, "window_busy")
		must(f.svc.Start(ctx, li, county, a2.ID)).ok(t)
		done := must(f.svc.Finish(ctx, li, county, a2.ID)).ok(t)
		if done.Status != hall.StatusDone || done.FinishedAt == nil {
			t.Fatalf("finished ticket %+v", done)
		}
		must(f.svc.SignOut(ctx, li, county, "01")).ok(t)

		ws := must(f.svc.Windows(ctx, f.manager, county)).ok(t)
		if len(ws) != 3 || ws[0].StaffID != nil || ws[1].StaffID == nil || *ws[1].StaffID != wang.ID {
			t.Fatalf("windows %+v", ws)
		}
	})
}

func TestOnlineTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		yu := applicant(801, "于秀兰", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC))
		ma := applicant(802, "马慧文", time.Date(1945, 6, 5, 0, 0, 0, 0, time.UTC))
		tk := must(f.svc.Take(ctx, yu, county, hall.TakeRequest{Category: "E"})).ok(t)
		if tk.Source != hall.SourceOnline || tk.Priority != hall.PriorityNone || tk.HolderName != "于秀兰" {
			t.Fatalf("online ticket %+v", tk)
		}
		_, err := f.svc.Take(ctx, yu, county, hall.TakeRequest{Category: "A"})
		wantErr(t, err, apperr.Conflict, "ticket_already_taken")
		_, err = f.svc.Take(ctx, yu, county, hall.TakeRequest{Category: "A", Disabled: true})
		if !hasField(err, "disabled") {
			t.Errorf("online priority claims: %v", err)
		}
		// 马慧文, 79, is called first.
		mt := must(f.svc.Take(ctx, ma, county, hall.TakeRequest{Category: "E"})).ok(t)
		if mt.Priority != hall.PriorityElderly || mt.Ahead == nil || *mt.Ahead != 0 {
			t.Fatalf("elderly ticket %+v, want priority and nobody ahead", mt)
		}
		seen := must(f.svc.Ticket(ctx, yu, county, tk.ID)).ok(t)
		if seen.Ahead == nil || *seen.Ahead != 1 {
			t.Fatalf("于秀兰 has %v ahead, want 1", seen.Ahead)
		}
		_, err = f.svc.Ticket(ctx, ma, county, tk.ID)
		if ae := wantErr(t, err, apperr.NotFound, "ticket_not_found"); !ae.Denied {
			t.Error("another applicant's ticket is hidden and the attempt audited")
		}
		// Cancelling frees the account for another ticket the same day.
		c := must(f.svc.Cancel(ctx, yu, county, tk.ID)).ok(t)
		if c.Status != hall.StatusCancelled {
			t.Fatalf("cancelled ticket %+v", c)
		}
		must(f.svc.Take(ctx, yu, county, hall.TakeRequest{Category: "A"})).ok(t)
	})
}

func TestBoardEventsInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		w := staff(901, "王丽", county)
		must(f.svc.SignIn(ctx, w, county, "01")).ok(t)
		a := must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "A"})).ok(t)
		must(f.svc.TakeAtKiosk(ctx, county, hall.TakeRequest{Category: "B"})).ok(t)
		must(f.svc.CallNext(ctx, w, county, "01")).ok(t)
		must(f.svc.Recall(ctx, w, county, a.ID)).ok(t)
		evs := must(f.svc.BoardEvents(ctx, county, 0, 100)).ok(t)
		var kinds []string
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
			kinds = append(kinds, e.Kind)
		}
		if want := []string{hall.BoardTicket, hall.BoardTicket, hall.BoardCall, hall.BoardRecall}; !slices.Equal(kinds, want) {
			t.Fatalf("events %v, want %v", kinds, want)
		}
		if !strings.Contains(string(evs[2].Data), `"number":"A001"`) || !strings.Contains(string(evs[2].Data), `"window":"01"`) {
			t.Errorf("call event %s should name the number and the window", evs[2].Data)
		}
		if w := must(f.svc.Waiting(ctx, county)).ok(t); len(w) != 1 || w["B"] != 1 {
			t.Errorf("waiting %v, want B: 1", w)
		}
		b := must(f.svc.BoardState(ctx, county)).ok(t)
		if b.Seq != 4 || len(b.Calling) != 1 || b.Calling[0].Number != "A001" || b.Calling[0].WindowName != "1号窗口" || b.Waiting["B"] != 1 {
			t.Fatalf("board %+v", b)
		}
		if after := must(f.svc.BoardEvents(ctx, county, 3, 100)).ok(t); len(after) != 1 || after[0].Seq != 4 {
			t.Fatalf("events after 3: %+v", after)
		}
		// Another point's board is separate.
		if other := must(f.svc.BoardEvents(ctx, community, 0, 100)).ok(t); len(other) != 0 {
			t.Fatalf("community board has %d events", len(other))
		}
	})
}
