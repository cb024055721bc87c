package cases_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/notify"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// Staff are told of their work: the reviewers of a case due tomorrow, and,
// when it breaches its SLA, the department's head, and only the head, gets
// the breach notice (the reviewers an overdue notice).
func TestStaffToldOfDueAndBreach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		users := auth.NewStore(db)
		add := func(u auth.User, head bool) auth.User {
			t.Helper()
			u, err := users.AddUser(ctx, auth.System, u, "password123")
			if err != nil {
				t.Fatal(err)
			}
			if head {
				if u, err = users.SetDepartmentHead(ctx, auth.System, u.ID, true); err != nil {
					t.Fatal(err)
				}
			}
			return u
		}
		head := add(auth.User{Username: "yb_head", Name: "医保局负责人", Role: auth.RoleReviewer, DepartmentCode: "HN-YB"}, true)
		otherHead := add(auth.User{Username: "rs_head", Name: "人社局负责人", Role: auth.RoleReviewer, DepartmentCode: "HN-RS"}, true)
		admin := add(auth.User{Username: "admin", Name: "管理员", Role: auth.RoleAdmin}, false)
		if _, err := users.SetDepartmentHead(ctx, auth.System, f.front.ID, true); err == nil {
			t.Fatal("a front desk was made a department head")
		}
		cal, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		n := notify.New(db, func() time.Time { return f.now })
		n.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		told := func(u auth.User, event string) int {
			t.Helper()
			var k int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE user_id = ? AND event = ?`, u.ID, event).Scan(&k); err != nil {
				t.Fatal(err)
			}
			return k
		}
		f.at("2026-11-23")
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
		if c.PromisedDue != "2026-11-30" {
			t.Fatalf("due %s", c.PromisedDue)
		}
		// Friday 11-27: the next working day is Monday 11-30, the due date.
		for _, date := range []string{"2026-11-26", "2026-11-27", "2026-11-27"} {
			f.at(date)
			if _, err := n.RemindDueTomorrow(ctx, f.now, func(d time.Time) (time.Time, bool) { return cal.Add(d, 1) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := n.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if told(f.reviewer, "staff.due_tomorrow") != 1 || told(head, "staff.due_tomorrow") != 0 || told(f.other, "staff.due_tomorrow") != 0 {
			t.Fatalf("due tomorrow: reviewer %d, head %d, other department %d; want 1, 0, 0",
				told(f.reviewer, "staff.due_tomorrow"), told(head, "staff.due_tomorrow"), told(f.other, "staff.due_tomorrow"))
		}
		f.scan(t, "2026-12-01") // the first overdue day: the breach
		if err := n.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if told(head, "staff.sla_breach") != 1 {
			t.Fatalf("the head got %d breach notices, want 1", told(head, "staff.sla_breach"))
		}
		var breaches int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE event = 'staff.sla_breach'`).Scan(&breaches); err != nil {
			t.Fatal(err)
		}
		if breaches != 1 || told(f.reviewer, "staff.overdue") != 1 || told(otherHead, "staff.sla_breach") != 0 || told(admin, "staff.sla_breach") != 0 {
			t.Fatalf("breach notices in all %d (want 1, the head's); reviewer told overdue %d times (want 1)", breaches, told(f.reviewer, "staff.overdue"))
		}
	})
}
