package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
)

// Delivery is one message to one recipient on one channel, and its record.
type Delivery struct {
	ID           int64             `json:"id"`
	MessageID    string            `json:"message_id"`
	OutboxID     int64             `json:"-"`
	Topic        string            `json:"topic"`
	Event        string            `json:"event"`
	Kind         Kind              `json:"kind"`
	Channel      Channel           `json:"channel"`
	UserID       int64             `json:"user_id,omitempty"`
	Address      string            `json:"address,omitempty"` // e-mail or phone; masked in every list
	SubscriberID int64             `json:"subscriber_id,omitempty"`
	Department   string            `json:"department,omitempty"`
	Lang         string            `json:"lang"`
	Subject      string            `json:"subject,omitempty"`
	Body         string            `json:"body"`
	Params       map[string]string `json:"-"`
	Status       Status            `json:"status"`
	Attempts     int               `json:"attempts"`
	NextAt       time.Time         `json:"next_at"`
	LastError    string            `json:"last_error,omitempty"`
	ReadAt       *time.Time        `json:"read_at,omitempty"`
	EventAt      time.Time         `json:"event_at"`
	CreatedAt    time.Time         `json:"created_at"`
	SentAt       *time.Time        `json:"sent_at,omitempty"`

	// paramsJSON is Params as written to the record, encoded when the
	// delivery is planned, off the one writer's path.
	paramsJSON string
}

// Notifier turns outbox rows into deliveries and delivers them. Several
// servers on one database run one each: outbox rows and due deliveries are
// claimed in a transaction (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite
// has one writer), and a claim is a lease: a server killed mid-delivery
// leaves the message to be taken again when the lease runs out, under the
// same message id.
type Notifier struct {
	db  *store.DB
	now clock.Clock

	// Email, SMS and Webhooks deliver on their channels; a nil Email or SMS
	// means the channel is not configured and nobody is sent anything on it.
	Email    Sender
	SMS      Sender
	Webhooks Sender
	// DailyCap is how many SMS one number receives per China day (0: DefaultDailyCap).
	DailyCap int
	// Batch is how many outbox rows or deliveries one round claims.
	Batch int
	// Lease is how long a claimed delivery is left to its server.
	Lease time.Duration
	// Workers deliver at once (network waits, not CPU).
	Workers int
	Log     *slog.Logger

	wake chan struct{}
}

// New makes a notifier on db with the server's clock. Webhooks are on; set
// Email and SMS to turn those channels on.
func New(db *store.DB, clk clock.Clock) *Notifier {
	n := &Notifier{db: db, now: clk, Batch: 1000, Lease: 2 * time.Minute, Workers: 8, Log: slog.Default(), wake: make(chan struct{}, 1)}
	n.Webhooks = &WebhookSender{Lookup: n.webhookTarget}
	return n
}

// AllowWebhookNetworks lets webhooks reach receivers on these internal
// networks (by default only public addresses are dialled).
func (n *Notifier) AllowWebhookNetworks(networks []netip.Prefix) {
	if w, ok := n.Webhooks.(*WebhookSender); ok {
		w.Allow = networks
	}
}

// Wake makes a running notifier look at the outbox at once rather than at
// its next round: an SMS code is waited for by someone at a form.
func (n *Notifier) Wake() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n *Notifier) dailyCap() int {
	if n.DailyCap > 0 {
		return n.DailyCap
	}
	return DefaultDailyCap
}

// Run expands and delivers until ctx ends, checking every poll when idle.
// While busy it goes on at once after a full batch, and after a partial one
// waits a moment (busyPause) so that the next round finds a batch worth its
// transactions: on SQLite every round takes the one writer three times,
// which intake needs too.
func (n *Notifier) Run(ctx context.Context, poll time.Duration) {
	for {
		wait := poll
		if k, err := n.Expand(ctx); err != nil {
			n.failed("expand", err)
		} else if k >= n.Batch {
			wait = 0
		} else if k > 0 {
			wait = min(wait, busyPause)
		}
		if k, err := n.Deliver(ctx); err != nil {
			n.failed("deliver", err)
		} else if k >= n.Batch {
			wait = 0
		} else if k > 0 {
			wait = min(wait, busyPause)
		}
		if ctx.Err() != nil {
			return
		}
		if wait == 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-n.wake:
		case <-time.After(wait): // wall clock: the pace of polling
		}
	}
}

// busyPause is the wait between rounds while messages keep coming.
const busyPause = 500 * time.Millisecond

func (n *Notifier) failed(step string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	metrics.Inc("onewindow_notify_errors_total", "step", step)
	n.Log.Error("notifier", "step", step, "err", err)
}

// Flush expands and delivers until nothing is due now (tests, and a
// server that wants its messages out before it stops).
func (n *Notifier) Flush(ctx context.Context) error {
	for {
		a, err := n.Expand(ctx)
		if err != nil {
			return err
		}
		b, err := n.Deliver(ctx)
		if err != nil {
			return err
		}
		if a == 0 && b == 0 {
			return nil
		}
	}
}

// tally counts a round's messages per channel and status, so that the
// counters are touched once a round rather than once a message.
type tally map[[2]string]float64

func (t tally) add(ch Channel, st Status) { t[[2]string{string(ch), string(st)}]++ }

func (t tally) count(name string) {
	for k, v := range t {
		metrics.Add(name, v, "channel", k[0], "status", k[1])
	}
}

const deliveryColumns = `id, message_id, outbox_id, topic, event, kind, channel, user_id, address, subscriber_id, department_code, lang,
	subject, body, params, status, attempts, next_at, last_error, read_at, event_at, created_at, sent_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanDelivery(r rowScanner) (Delivery, error) {
	var d Delivery
	var kind, ch, status, params, next, readAt, eventAt, created, sent string
	err := r.Scan(&d.ID, &d.MessageID, &d.OutboxID, &d.Topic, &d.Event, &kind, &ch, &d.UserID, &d.Address, &d.SubscriberID,
		&d.Department, &d.Lang, &d.Subject, &d.Body, &params, &status, &d.Attempts, &next, &d.LastError, &readAt, &eventAt, &created, &sent)
	if err != nil {
		return d, err
	}
	d.Kind, d.Channel, d.Status = Kind(kind), Channel(ch), Status(status)
	json.Unmarshal([]byte(params), &d.Params)
	d.NextAt, d.EventAt, d.CreatedAt = store.ParseTime(next), store.ParseTime(eventAt), store.ParseTime(created)
	if readAt != "" {
		t := store.ParseTime(readAt)
		d.ReadAt = &t
	}
	if sent != "" {
		t := store.ParseTime(sent)
		d.SentAt = &t
	}
	return d, nil
}

func init() {
	metrics.Describe("onewindow_notify_messages_total", "notification deliveries by channel and status reached (queued, delivered, sent, dead)")
	metrics.Describe("onewindow_notify_failures_total", "notification attempts that failed, by channel (retried or dead)")
	metrics.Describe("onewindow_notify_delay_seconds_sum", "seconds from the event to the message being sent, summed by channel")
	metrics.Describe("onewindow_notify_delay_seconds_count", "messages sent, for the delay's mean")
	metrics.Describe("onewindow_notify_capped_total", "SMS held back by the per-number daily cap")
	metrics.Describe("onewindow_notify_errors_total", "notifier rounds that failed (database errors)")
}

// RemindAppointments tells everyone booked for the next working day after
// now's China day of their appointment, once: each reminder is claimed
// under its key with the outbox row that carries it, so that several
// servers running the scan remind once. A scheduler job of serve.
func (n *Notifier) RemindAppointments(ctx context.Context, now time.Time, nextWorkingDay func(time.Time) (time.Time, bool)) (int, error) {
	next, _ := nextWorkingDay(clock.CivilDate(now))
	day := next.Format("2006-01-02")
	rs, err := n.db.QueryContext(ctx, `SELECT id, code, point_code, category, starts_at, ends_at, user_id FROM hall_appointments
		WHERE day = ? AND status = 'booked' ORDER BY id`, day)
	if err != nil {
		return 0, apperr.Wrap(err, "notify: appointments")
	}
	type booking struct {
		id                                int64
		code, point, category, from, till string
		user                              int64
	}
	var due []booking
	for rs.Next() {
		var b booking
		if err := rs.Scan(&b.id, &b.code, &b.point, &b.category, &b.from, &b.till, &b.user); err != nil {
			rs.Close()
			return 0, apperr.Wrap(err, "notify: appointments")
		}
		due = append(due, b)
	}
	rs.Close()
	if err := rs.Err(); err != nil || len(due) == 0 {
		return 0, apperr.Wrap(err, "notify: appointments")
	}
	done := 0
	at := store.FormatTime(now)
	err = n.db.InTx(ctx, func(tx *store.Tx) error {
		done = 0
		for _, b := range due {
			res, err := tx.ExecContext(ctx, `INSERT INTO notify_once (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
				fmt.Sprintf("appointment-reminder:%d:%s", b.id, day), at)
			if err != nil {
				return apperr.Wrap(err, "notify: appointment reminder")
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			if err := outbox.Add(ctx, tx, now, "appointment.reminder", map[string]any{"appointment": b.code, "point": b.point, "category": b.category, "day": day,
				"time": store.ParseTime(b.from).In(clock.China).Format("15:04") + "–" + store.ParseTime(b.till).In(clock.China).Format("15:04")},
				outbox.User(b.user)); err != nil {
				return err
			}
			done++
		}
		return nil
	})
	return done, err
}
