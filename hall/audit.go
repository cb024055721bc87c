package hall

import (
	"context"
	"encoding/json"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// recordChange writes the audit record of a change to a hall's set-up
// (settings, ticket categories, windows, hours, skills, the duty roster,
// appointment slots) in the transaction that makes it, so that who changed
// how the hall serves people is on the same hash chain as the point's cases. Ticket
// traffic (calls, service) is not audited here: it is recorded on the
// tickets and the board. The record joins the point's audit chain.
func (s *Service) recordChange(ctx context.Context, tx *store.Tx, actor auth.User, point, action, object string, detail any) error {
	data, err := json.Marshal(detail)
	if err != nil {
		return apperr.Wrap(err, "hall: audit detail")
	}
	_, err = audit.Append(ctx, tx, audit.Record{Chain: point, At: s.Now(), ActorID: actor.ID, Actor: actor.Username,
		Role: string(actor.Role), Action: action, Object: object, Outcome: audit.OK, Detail: string(data)})
	return apperr.Wrap(err, "hall: audit")
}
