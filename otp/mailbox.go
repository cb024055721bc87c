package otp

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

// DevMailbox is the development SMS mailbox (开发用短信信箱): a Sender that
// keeps every message in a table an administrator reads, instead of sending
// it. It is what the demo and a server without an SMS gateway use.
type DevMailbox struct {
	db  *store.DB
	now clock.Clock
}

// NewDevMailbox returns the mailbox on db.
func NewDevMailbox(db *store.DB, clk clock.Clock) *DevMailbox {
	if clk == nil {
		clk = clock.Wall()
	}
	return &DevMailbox{db: db, now: clk}
}

// Send keeps the message's text.
func (m *DevMailbox) Send(ctx context.Context, phone string, msg Outgoing) error {
	return m.Keep(ctx, phone, msg.Text)
}

// Keep keeps a text as if it had been sent to phone (the notifier's SMS
// channel uses it as its named fake gateway when no gateway is configured).
func (m *DevMailbox) Keep(ctx context.Context, phone string, text apperr.Msg) error {
	return m.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dev_sms_mailbox (phone, text_zh, text_en, created_at) VALUES (?, ?, ?, ?)`,
			phone, text.ZH, text.EN, store.FormatTime(m.now()))
		return err
	})
}

// Message is one message in the mailbox.
type Message struct {
	ID     int64     `json:"id"`
	Phone  string    `json:"phone"`
	TextZH string    `json:"text_zh"`
	TextEN string    `json:"text_en"`
	At     time.Time `json:"at"`
}

// Messages lists the newest messages, to phone only when phone is not empty.
func (m *DevMailbox) Messages(ctx context.Context, phone string, limit int) ([]Message, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT id, phone, text_zh, text_en, created_at FROM dev_sms_mailbox`
	args := []any{}
	if phone != "" {
		q += ` WHERE phone = ?`
		args = append(args, phone)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := m.db.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, apperr.Wrap(err, "otp: mailbox")
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		var msg Message
		var at string
		if err := rows.Scan(&msg.ID, &msg.Phone, &msg.TextZH, &msg.TextEN, &at); err != nil {
			return nil, apperr.Wrap(err, "otp: mailbox")
		}
		msg.At = store.ParseTime(at)
		out = append(out, msg)
	}
	return out, apperr.Wrap(rows.Err(), "otp: mailbox")
}
