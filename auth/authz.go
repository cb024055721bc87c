package auth

import (
	"context"
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/store"
)

// System is the actor of what the server does on its own and of the commands
// an operator runs on the server (creating users, importing a catalogue, a
// calendar, service points): a province-wide administrator with no account.
var System = User{ID: 0, Username: "system", Name: "系统", Role: RoleAdmin}

// Require refuses actor unless its role is one of roles, with the one
// role_not_allowed refusal.
func Require(actor User, roles ...Role) error {
	for _, r := range roles {
		if actor.Role == r {
			return nil
		}
	}
	return apperr.RoleNotAllowed(apperr.Msg{})
}

// RequireAdmin refuses anyone but a province-wide administrator: the
// catalogue, the service points, the accounts and the calendar serve the
// whole province, so an actor bound to one department or point (which an
// administrator's account never is) may not change them.
func RequireAdmin(actor User) error {
	if err := Require(actor, RoleAdmin); err != nil {
		return err
	}
	if actor.DepartmentCode != "" || actor.PointCode != "" {
		return ErrOutOfScope()
	}
	return nil
}

// ErrOutOfScope is the refusal of an actor whose department or service point
// does not cover what it asked for; like role_not_allowed it is audited.
func ErrOutOfScope() *apperr.Error {
	e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("不在您的办理范围内", "this is outside your scope"))
	e.Denied = true
	return e
}

// Record appends the audit record of actor's change to object inside tx, the
// transaction that makes the change, so that the change and its record
// commit or roll back together. detail is marshalled to JSON (nil is {}).
func Record(ctx context.Context, tx *store.Tx, at time.Time, actor User, action, object string, detail any) error {
	data := []byte("{}")
	if detail != nil {
		var err error
		if data, err = json.Marshal(detail); err != nil {
			return apperr.Wrap(err, "audit detail of "+action)
		}
	}
	_, err := audit.Append(ctx, tx, audit.Record{At: at, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: action, Object: object, Outcome: audit.OK, Detail: string(data)})
	return err
}
