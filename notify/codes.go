package notify

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
)

// SMS codes (sign-in, registration, password reset, a new number) go
// through the notifier like every message: an outbox row, a delivery on the
// SMS channel with the code as a template parameter, the daily cap and the
// record. They differ in three ways: quiet hours do not hold them, a code
// that could not be sent within its lifetime is dropped rather than sent
// late, and the code is kept only until the message is sent or given up:
// the outbox row loses it when it is read, and the delivery record keeps
// the text with the code masked ("******").

// codeMask replaces a code in what is kept.
const codeMask = "******"

// CodeLifetime is how long a code is worth sending (otp.TTL).
const CodeLifetime = otp.TTL

// CodeSender is otp's Sender through the notifier.
type CodeSender struct {
	db  *store.DB
	now clock.Clock
	// Wake, when set, tells the notifier to look at the outbox at once,
	// so that a code does not wait for its next round.
	Wake func()
}

// NewCodeSender returns the sender that queues codes for the notifier on db.
func NewCodeSender(db *store.DB, clk clock.Clock) *CodeSender { return &CodeSender{db: db, now: clk} }

// Send queues the code (or the notice sent in its place) for phone.
func (c *CodeSender) Send(ctx context.Context, phone string, m otp.Outgoing) error {
	topic, payload := "auth.signin_code", map[string]string{"purpose": string(m.Purpose), "code": m.Code}
	if m.Code == "" {
		topic, payload = "auth.code_notice", map[string]string{"purpose": string(m.Purpose)}
	}
	return queueCode(ctx, c.db, c.now, phone, topic, payload, c.Wake)
}

func queueCode(ctx context.Context, db *store.DB, now clock.Clock, phone, topic string, payload map[string]string, wake func()) error {
	phone, err := ident.Mobile(phone)
	if err != nil {
		return apperr.Fields{apperr.Field("phone", "format", apperr.M("手机号码格式有误", "not a mobile number"))}.Err()
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		return outbox.Add(ctx, tx, now.Now(), topic, payload, outbox.Phone(phone))
	})
	if err == nil && wake != nil {
		wake()
	}
	return err
}

// isCodeTopic reports whether an outbox topic carries a code.
func isCodeTopic(topic string) bool { return topic == "auth.signin_code" }

// redactedPayload is a code's outbox payload with the code masked.
func redactedPayload(payload string) string {
	p := ParsePayload(payload)
	if _, ok := p["code"]; ok {
		p["code"] = codeMask
	}
	raw, _ := json.Marshal(p)
	return string(raw)
}

// redactCode masks the code in a delivery's text and parameters: what the
// record keeps once the message is sent or given up, and what lists show
// before that.
func redactCode(d *Delivery) {
	code := d.Params["code"]
	if code == "" || code == codeMask {
		return
	}
	d.Body = strings.ReplaceAll(d.Body, code, codeMask)
	d.Subject = strings.ReplaceAll(d.Subject, code, codeMask)
	d.Params = maps.Clone(d.Params)
	d.Params["code"] = codeMask
}

// codeTooOld reports whether a code's message is past sending: the code has
// expired, and a late message would only confuse.
func codeTooOld(d *Delivery, now time.Time) bool {
	return d.Kind == KindSignIn && d.Params["code"] != "" && !now.Before(d.EventAt.Add(CodeLifetime))
}

// DevMailboxSMS is the SMS channel's named fake gateway for a server
// without one (the demo, a trial): every SMS, codes included, is kept in
// the development SMS mailbox (开发用短信信箱) administrators read, with its
// text as rendered from the SMS template.
type DevMailboxSMS struct{ Mailbox *otp.DevMailbox }

// Send keeps the message in the mailbox.
func (m DevMailboxSMS) Send(ctx context.Context, d *Delivery) error {
	return m.Mailbox.Keep(ctx, d.Address, apperr.M(d.Body, d.Body))
}
