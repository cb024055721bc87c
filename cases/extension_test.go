package cases_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Who may ask for and refuse an extension, spelled out apart from the
// table: the reviewer asks, the administrator refuses, in the states in
// which an extension may be given; one request at a time.
func TestCheckExtensionStep(t *testing.T) {
	open := []cases.State{cases.Accepted, cases.InReview, cases.SupplementNeeded}
	who := map[cases.Action]auth.Role{cases.RequestExtension: cases.RoleReviewer, cases.RefuseExtension: cases.RoleAdmin}
	for step, role := range who {
		for _, st := range cases.States {
			for _, r := range cases.Roles {
				for _, pending := range []bool{false, true} {
					err := cases.CheckExtensionStep(st, step, r, pending)
					var want apperr.Code
					switch {
					case r != role:
						want = apperr.Forbidden
					case !slices.Contains(open, st):
						want = apperr.Conflict
					case step == cases.RequestExtension && pending, step == cases.RefuseExtension && !pending:
						want = apperr.Conflict
					}
					var got apperr.Code
					if err != nil {
						got = apperr.CodeOf(err)
					}
					if got != want {
						t.Errorf("%s by %s in %s (pending %v): %q, want %q", step, r, st, pending, got, want)
					}
				}
			}
		}
	}
	if err := cases.CheckExtensionStep(cases.InReview, cases.Approve, cases.RoleReviewer, false); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a step that is not an extension step: %v", err)
	}
}

func TestPendingExtension(t *testing.T) {
	ev := func(action string, data string) cases.Event {
		return cases.Event{Action: action, ActorName: "高峰", At: time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC), Data: json.RawMessage(data)}
	}
	request := ev("request_extension", `{"days":10,"reasons":["需专家论证"]}`)
	tests := []struct {
		name   string
		events []cases.Event
		days   int // 0: none pending
	}{
		{"no request", []cases.Event{ev("accept", `{}`), ev("start_review", `{}`)}, 0},
		{"asked", []cases.Event{ev("accept", `{}`), request}, 10},
		{"refused", []cases.Event{request, ev("refuse_extension", `{"reasons":["理由不足"]}`)}, 0},
		{"extended", []cases.Event{request, ev("extend", `{"days":10}`)}, 0},
		{"asked again after a refusal", []cases.Event{request, ev("refuse_extension", `{}`), ev("request_extension", `{"days":5,"reasons":["补充"]}`)}, 5},
	}
	for _, tt := range tests {
		got := cases.PendingExtension(tt.events)
		switch {
		case tt.days == 0 && got != nil:
			t.Errorf("%s: pending %+v, want none", tt.name, got)
		case tt.days != 0 && (got == nil || got.Days != tt.days || got.By != "高峰" || len(got.Reasons) != 1):
			t.Errorf("%s: pending %+v, want %d days by 高峰 with a reason", tt.name, got, tt.days)
		}
	}
}

// A reviewer asks for an extension; the administrator refuses one request
// and approves the next, and the due dates move only then. Each step is one
// transaction: a refused step writes no event.
func TestExtensionRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		admin, err := auth.NewStore(db).AddUser(ctx, auth.System, auth.User{Username: "boss", Name: "李主任", Role: auth.RoleAdmin}, "password123")
		if err != nil {
			t.Fatal(err)
		}
		f.at("2026-11-23")
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		if _, err := f.svc.RequestExtension(ctx, f.reviewer, c.ID, cases.ActRequest{Days: 5, Reasons: []string{"x"}}); apperr.As(err).Reason != "illegal_transition" {
			t.Fatalf("a request before acceptance: %v", err)
		}
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
		c = f.act(t, f.reviewer, c, cases.StartReview, cases.ActRequest{})
		due := c.PromisedDue

		events := func() int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_events WHERE case_id = ?`, c.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := events()
		_, err = f.svc.RequestExtension(ctx, f.reviewer, c.ID, cases.ActRequest{Days: 0})
		if got := fieldNames(err); !slices.Equal(got, []string{"days", "reasons"}) {
			t.Errorf("a request without days or reasons: fields %v", got)
		}
		if _, err := f.svc.RequestExtension(ctx, f.other, c.ID, cases.ActRequest{Days: 5, Reasons: []string{"x"}}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("another department's reviewer: %v, want forbidden", err)
		}
		if _, err := f.svc.RequestExtension(ctx, admin, c.ID, cases.ActRequest{Days: 5, Reasons: []string{"x"}}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("an administrator asking: %v, want forbidden", err)
		}
		if _, err := f.svc.RefuseExtension(ctx, admin, c.ID, cases.ActRequest{Reasons: []string{"x"}}); apperr.As(err).Reason != "no_extension_request" {
			t.Errorf("refusing nothing: %v", err)
		}
		if n := events(); n != before {
			t.Fatalf("refused steps wrote %d events", n-before)
		}

		c, err = f.svc.RequestExtension(ctx, f.reviewer, c.ID, cases.ActRequest{Days: 5, Reasons: []string{"需组织专家评审"}, Version: &c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.InReview || c.PromisedDue != due {
			t.Errorf("a request changed the case: %s, due %s (was %s)", c.State, c.PromisedDue, due)
		}
		if _, err := f.svc.RequestExtension(ctx, f.reviewer, c.ID, cases.ActRequest{Days: 3, Reasons: []string{"再次"}}); apperr.As(err).Reason != "extension_pending" {
			t.Errorf("a second request: %v", err)
		}
		list, err := f.svc.PendingExtensions(ctx, admin, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Case.ID != c.ID || list[0].Ask.Days != 5 || list[0].Ask.By != f.reviewer.Name {
			t.Errorf("pending requests: %+v", list)
		}
		if _, err := f.svc.PendingExtensions(ctx, f.reviewer, 50); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a reviewer listing requests: %v", err)
		}

		_, err = f.svc.RefuseExtension(ctx, admin, c.ID, cases.ActRequest{})
		if got := fieldNames(err); !slices.Equal(got, []string{"reasons"}) {
			t.Errorf("a refusal without reasons: fields %v", got)
		}
		c, err = f.svc.RefuseExtension(ctx, admin, c.ID, cases.ActRequest{Reasons: []string{"可在时限内办结"}})
		if err != nil {
			t.Fatal(err)
		}
		if list, _ := f.svc.PendingExtensions(ctx, admin, 50); len(list) != 0 || c.PromisedDue != due {
			t.Errorf("after the refusal: %d pending, due %s", len(list), c.PromisedDue)
		}

		c, err = f.svc.RequestExtension(ctx, f.reviewer, c.ID, cases.ActRequest{Days: 5, Reasons: []string{"检验结果未出"}})
		if err != nil {
			t.Fatal(err)
		}
		c = f.act(t, admin, c, cases.Extend, cases.ActRequest{Days: 5, Reasons: []string{"检验结果未出"}})
		if c.PromisedDue == due || c.ExtendedDays != 5 {
			t.Errorf("after the extension: due %s (was %s), extended %d", c.PromisedDue, due, c.ExtendedDays)
		}
		evs, err := f.svc.Events(ctx, admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := cases.PendingExtension(evs); p != nil {
			t.Errorf("the extension left the request pending: %+v", p)
		}
		var steps []string
		for _, e := range evs {
			steps = append(steps, e.Action)
		}
		if want := []string{"create", "accept", "start_review", "request_extension", "refuse_extension", "request_extension", "extend"}; !slices.Equal(steps, want) {
			t.Errorf("history %v, want %v", steps, want)
		}
		var audited int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('case.request_extension', 'case.refuse_extension')`).Scan(&audited); err != nil || audited != 3 {
			t.Errorf("%d extension steps audited, want 3 (%v)", audited, err)
		}
	})
}

func fieldNames(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, f := range apperr.As(err).Fields {
		out = append(out, f.Field)
	}
	return out
}
