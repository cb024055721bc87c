// Package authztest holds every write of a domain package to the one rule
// of writes: the service refuses a role that may not make it and an actor
// whose scope does not cover it, and writes the audit record in the
// transaction of the change, so that neither is stored without the other.
package authztest

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// Write is one service method under test.
type Write struct {
	Name   string
	Action string // the audit record's action
	Object string // the audit record's object
	// Do makes the write as actor.
	Do func(ctx context.Context, actor auth.User) error
	// Stored reports whether the write's effect is in the database.
	Stored func(t *testing.T) bool
}

// Admin is the province-wide administrator the writes succeed for.
var Admin = auth.User{ID: 7, Username: "sheng_admin", Name: "省管理员", Role: auth.RoleAdmin}

// WrongRoles are actors of every role but administrator, each in its scope.
var WrongRoles = []auth.User{
	{ID: 8, Username: "zhang_san", Name: "张三", Role: auth.RoleApplicant, Kind: auth.KindPerson},
	{ID: 9, Username: "qz_quanke", Name: "全科", Role: auth.RoleFrontDesk, PointCode: "QZSQ"},
	{ID: 10, Username: "rs_shenpi", Name: "审批", Role: auth.RoleReviewer, DepartmentCode: "HN-RSJ"},
	{ID: 11, Username: "hn_dating", Name: "大厅", Role: auth.RoleHallManager, PointCode: "HNZWFW"},
}

// OutOfScope is an administrator bound to one service point: its scope does
// not cover what serves the whole province.
var OutOfScope = auth.User{ID: 12, Username: "point_admin", Name: "网点管理员", Role: auth.RoleAdmin, PointCode: "HNZWFW"}

// Check runs w as every wrong role, out of scope, with the audit log broken,
// and finally as Admin, and checks what each leaves in db.
func Check(t *testing.T, db *store.DB, w Write) {
	t.Helper()
	ctx := context.Background()
	for _, u := range WrongRoles {
		err := w.Do(ctx, u)
		if apperr.As(err).Reason != "role_not_allowed" {
			t.Errorf("%s as %s: %v, want role_not_allowed", w.Name, u.Role, err)
		}
		if w.Stored(t) {
			t.Fatalf("%s as %s was stored", w.Name, u.Role)
		}
	}
	if err := w.Do(ctx, OutOfScope); apperr.As(err).Reason != "out_of_scope" {
		t.Errorf("%s by an administrator bound to a point: %v, want out_of_scope", w.Name, err)
	}
	if w.Stored(t) {
		t.Fatalf("%s out of scope was stored", w.Name)
	}
	if n := len(records(t, db, w)); n != 0 {
		t.Fatalf("%s: %d audit records of refused writes, want none (refusals are audited by the HTTP layer)", w.Name, n)
	}

	restore := breakAuditLog(t, db)
	if err := w.Do(ctx, Admin); err == nil {
		t.Errorf("%s succeeded though its audit record could not be written", w.Name)
	}
	restore()
	if w.Stored(t) {
		t.Fatalf("%s was stored without its audit record", w.Name)
	}

	if err := w.Do(ctx, Admin); err != nil {
		t.Fatalf("%s as administrator: %v", w.Name, err)
	}
	if !w.Stored(t) {
		t.Fatalf("%s as administrator: not stored", w.Name)
	}
	recs := records(t, db, w)
	if len(recs) != 1 || recs[0].Actor != Admin.Username || recs[0].ActorID != Admin.ID || recs[0].Outcome != audit.OK {
		t.Fatalf("%s: audit records %+v, want one by %s", w.Name, recs, Admin.Username)
	}
	if _, err := audit.Verify(ctx, db); err != nil {
		t.Fatalf("%s: audit chain: %v", w.Name, err)
	}
}

// records are the audit records of w's action on its object.
func records(t *testing.T, db *store.DB, w Write) []audit.Record {
	t.Helper()
	all, err := audit.List(context.Background(), db, audit.Filter{Object: w.Object, Action: w.Action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// breakAuditLog moves the audit chains' heads out of the way, so that every
// append fails, whichever chain it joins, and returns what puts them back.
func breakAuditLog(t *testing.T, db *store.DB) (restore func()) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `ALTER TABLE audit_heads RENAME TO audit_heads_away`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := db.ExecContext(ctx, `ALTER TABLE audit_heads_away RENAME TO audit_heads`); err != nil {
			t.Fatal(err)
		}
	}
}
