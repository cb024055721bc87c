package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/auth"
)

// call is what a handler's service call gets: who acts, the request (for
// path and query values), the path's {id} when the route has one, and the
// decoded body.
type call[In any] struct {
	Actor auth.User
	R     *http.Request
	ID    int64
	In    In
}

// noBody is the In of a route that reads no request body.
type noBody struct{}

// serve is the one handler adapter: actor → id → decode → call → write.
// roles, when given, refuse other roles before the request is read (a first
// gate; the service refuses them too, being the authority), and status is
// the answer's status when the call succeeds.
func serve[In, Out any](status int, roles []auth.Role, fn func(ctx context.Context, c call[In]) (Out, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		c := call[In]{R: r}
		c.Actor, _ = actor(r)
		if len(roles) > 0 {
			if err := auth.Require(c.Actor, roles...); err != nil {
				return err
			}
		}
		if strings.Contains(r.Pattern, "{id}") {
			id, err := pathID(r, "id")
			if err != nil {
				return err
			}
			c.ID = id
		}
		if _, none := any(c.In).(noBody); !none {
			if err := decodeJSON(w, r, &c.In); err != nil {
				return err
			}
		}
		out, err := fn(r.Context(), c)
		if err != nil {
			return err
		}
		writeJSON(w, status, out)
		return nil
	}
}

// admins is the first gate of the administrators' routes.
var admins = []auth.Role{auth.RoleAdmin}
