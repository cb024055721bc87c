// Package outbox writes the messages a change owes the people it concerns
// into the outbox table, in the change's own transaction, so that a message
// exists exactly when its change committed. Package notify reads the table
// and delivers them.
package outbox

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// Add writes one message of topic for each recipient, with q (the change's
// transaction). The payload is encoded as JSON unless it is already
// (json.RawMessage or []byte).
func Add(ctx context.Context, q store.Querier, now time.Time, topic string, payload any, recipients ...string) error {
	var body []byte
	switch p := payload.(type) {
	case json.RawMessage:
		body = p
	case []byte:
		body = p
	default:
		var err error
		if body, err = json.Marshal(payload); err != nil {
			return apperr.Wrap(err, "outbox: encode "+topic)
		}
	}
	at := store.FormatTime(now)
	for _, r := range recipients {
		if _, err := q.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`,
			topic, r, string(body), at); err != nil {
			return apperr.Wrap(err, "outbox: add "+topic)
		}
	}
	return nil
}

// User is the recipient that is an account, by its id.
func User(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// Phone is the recipient that is a mobile number without an account.
func Phone(number string) string { return "phone:" + number }
