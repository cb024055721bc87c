package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/metrics"
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
}

// New makes a notifier on db with the server's clock. Webhooks are on; set
// Email and SMS to turn those channels on.
func New(db *store.DB, clk clock.Clock) *Notifier {
	n := &Notifier{db: db, now: clk, Batch: 1000, Lease: 2 * time.Minute, Workers: 8, Log: slog.Default()}
	n.Webhooks = &WebhookSender{Lookup: n.webhookTarget}
	return n
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
		case <-time.After(wait):
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

type outboxRow struct {
	id                            int64
	topic, recipient, payload, at string
}

// Expand turns a batch of outbox rows into deliveries and marks the rows
// handled, in one transaction: a crash before the commit leaves the rows to
// be expanded again, a crash after leaves the deliveries to be sent. The
// new deliveries are written already claimed by this server (with the SMS
// rules applied), and sent as soon as the transaction commits: a message's
// first try costs the database no claim of its own.
func (n *Notifier) Expand(ctx context.Context) (int, error) {
	const pick = `SELECT id, topic, recipient, payload, created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?`
	now := n.now.Now()
	lease := now.Add(n.Lease)
	done := 0
	var fresh []Delivery
	var outs []outcome
	if n.db.Dialect() == store.Postgres {
		err := n.db.InTx(ctx, func(tx *store.Tx) error {
			rows, err := readOutbox(ctx, tx, pick+` FOR UPDATE SKIP LOCKED`, n.Batch)
			if err != nil || len(rows) == 0 {
				return err
			}
			plan, err := n.plan(ctx, tx, rows)
			if err != nil {
				return err
			}
			ids := make([]int64, len(rows))
			for i, r := range rows {
				ids[i] = r.id
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ? WHERE id IN (`+placeholders(len(ids))+`)`,
				append([]any{store.FormatTime(now)}, int64Args(ids)...)...); err != nil {
				return apperr.Wrap(err, "notify: mark outbox")
			}
			done = len(rows)
			fresh, outs, err = n.writeClaimed(ctx, tx, plan, now, lease)
			return err
		})
		if err != nil {
			return 0, err
		}
		return done, n.send(ctx, fresh, outs, store.FormatTime(lease))
	}
	// SQLite: the one writer serialises claims, so the work of reading
	// recipients and rendering is done before the write transaction, off
	// the path every intake write takes.
	rows, err := readOutbox(ctx, n.db, pick, n.Batch)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	plan, err := n.plan(ctx, n.db, rows)
	if err != nil {
		return 0, err
	}
	err = n.db.InTx(ctx, func(tx *store.Tx) error {
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.id
		}
		claimed, err := queryIDs(ctx, tx, `UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND id IN (`+placeholders(len(ids))+`) RETURNING id`,
			append([]any{store.FormatTime(now)}, int64Args(ids)...)...)
		if err != nil {
			return apperr.Wrap(err, "notify: mark outbox")
		}
		var mine []Delivery
		for _, d := range plan {
			if claimed[d.OutboxID] {
				mine = append(mine, d)
			}
		}
		done = len(claimed)
		fresh, outs, err = n.writeClaimed(ctx, tx, mine, now, lease)
		return err
	})
	if err != nil {
		return 0, err
	}
	return done, n.send(ctx, fresh, outs, store.FormatTime(lease))
}

// writeClaimed writes the new deliveries, those this server can send
// already claimed by it (first try, under lease), and applies the SMS rules
// to the ones it wrote, inside the expanding transaction. It returns them
// with their preset outcomes. A delivery whose message id is already there
// (an event told again, a webhook's second outbox row) is not written, and
// not sent.
func (n *Notifier) writeClaimed(ctx context.Context, tx *store.Tx, ds []Delivery, now, lease time.Time) ([]Delivery, []outcome, error) {
	seen := make(map[string]bool, len(ds))
	unique := ds[:0:0]
	for i := range ds {
		d := ds[i]
		if seen[d.MessageID] {
			continue
		}
		seen[d.MessageID] = true
		if d.Status == Queued && n.senderFor(d.Channel) != nil {
			d.Status, d.Attempts, d.NextAt = Sending, 1, lease
		}
		unique = append(unique, d)
	}
	written, err := insertDeliveries(ctx, tx, unique)
	if err != nil {
		return nil, nil, err
	}
	var fresh []Delivery
	for _, d := range unique {
		if d.Status == Sending && written[d.MessageID] {
			fresh = append(fresh, d)
		}
	}
	if len(fresh) == 0 {
		return nil, nil, nil
	}
	outs, err := n.smsGate(ctx, tx, fresh, now)
	return fresh, outs, err
}

func readOutbox(ctx context.Context, q store.Querier, query string, limit int) ([]outboxRow, error) {
	rs, err := q.QueryContext(ctx, query, limit)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: read outbox")
	}
	defer rs.Close()
	var out []outboxRow
	for rs.Next() {
		var r outboxRow
		if err := rs.Scan(&r.id, &r.topic, &r.recipient, &r.payload, &r.at); err != nil {
			return nil, apperr.Wrap(err, "notify: read outbox")
		}
		out = append(out, r)
	}
	return out, apperr.Wrap(rs.Err(), "notify: read outbox")
}

func queryIDs(ctx context.Context, q store.Querier, query string, args ...any) (map[int64]bool, error) {
	rs, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[int64]bool{}
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rs.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// plan decides the deliveries of a batch of outbox rows: recipients
// resolved to accounts and their chosen channels, templates rendered, and
// the webhooks whose filters the event passes.
func (n *Notifier) plan(ctx context.Context, q store.Querier, rows []outboxRow) ([]Delivery, error) {
	r := newResolver(q)
	tmpls, err := loadTemplates(ctx, q)
	if err != nil {
		return nil, err
	}
	subs, err := activeWebhooks(ctx, q)
	if err != nil {
		return nil, err
	}
	now := n.now.Now()
	var out []Delivery
	for _, row := range rows {
		p := ParsePayload(row.payload)
		event := EventOf(row.topic, p)
		at := store.ParseTime(row.at)
		dept := p.str("department")
		if n.Webhooks != nil {
			for _, s := range subs {
				if s.matches(row.topic, event, p) {
					out = append(out, webhookDelivery(s, row, event, dept, now))
				}
			}
		}
		if event == "" {
			continue
		}
		ev, _ := EventByKey(event)
		point, err := r.point(ctx, p.str("point"))
		if err != nil {
			return nil, err
		}
		targets, err := r.targets(ctx, row.recipient)
		if err != nil {
			return nil, err
		}
		for _, t := range targets {
			vars := Variables(event, p, t.lang, point, at.In(clock.China).Format("2006-01-02 15:04"))
			for _, ch := range n.channelsFor(t, ev.Kind) {
				msg := tmpls.get(event, t.lang, ch).render(vars)
				d := Delivery{OutboxID: row.id, Topic: row.topic, Event: event, Kind: ev.Kind, Channel: ch, UserID: t.userID,
					Department: dept, Lang: t.lang, Subject: msg.Subject, Body: msg.Body, Params: msg.Params,
					Status: Queued, NextAt: now, EventAt: at, CreatedAt: now}
				switch ch {
				case Inbox:
					d.Status, d.SentAt = Delivered, &now
				case Email:
					d.Address = t.email
				case SMS:
					d.Address = t.phone
				}
				who := "p"
				if t.userID != 0 {
					who = "u" + strconv.FormatInt(t.userID, 10)
				}
				d.MessageID = fmt.Sprintf("ow-%d-%s-%s", row.id, ch, who)
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// channelsFor is where a target hears of an event of kind: the inbox for
// every account, and the channels the account chose that this server has.
func (n *Notifier) channelsFor(t target, kind Kind) []Channel {
	var out []Channel
	if t.userID != 0 {
		out = append(out, Inbox)
	}
	chosen := t.channels[kind]
	if kind == KindSignIn || t.userID == 0 {
		chosen = []Channel{SMS} // a code, or a person known only by the number they gave
	}
	for _, ch := range chosen {
		switch {
		case ch == Email && n.Email != nil && t.email != "":
			out = append(out, Email)
		case ch == SMS && n.SMS != nil && t.phone != "":
			out = append(out, SMS)
		}
	}
	return out
}

func webhookDelivery(s webhookSub, row outboxRow, event, dept string, now time.Time) Delivery {
	// One event may fill several outbox rows (one per recipient); a
	// department system hears of it once: the message id names the event.
	sum := sha256.Sum256([]byte(row.topic + "\x00" + row.at + "\x00" + row.payload))
	eventID := hex.EncodeToString(sum[:12])
	body, _ := json.Marshal(map[string]any{"id": eventID, "type": row.topic, "event": event, "occurred_at": row.at,
		"department": dept, "data": json.RawMessage(row.payload)})
	return Delivery{OutboxID: row.id, MessageID: fmt.Sprintf("ow-wh%d-%s", s.ID, eventID), Topic: row.topic, Event: event,
		Kind: KindStaff, Channel: Webhook, SubscriberID: s.ID, Address: s.URL, Department: dept, Lang: "zh", Body: string(body),
		Status: Queued, NextAt: now, EventAt: store.ParseTime(row.at), CreatedAt: now}
}

const insertDeliveryColumns = `INSERT INTO notify_deliveries (message_id, outbox_id, topic, event, kind, channel, user_id, address, subscriber_id,
	department_code, lang, subject, body, params, status, attempts, next_at, event_at, created_at, sent_at) VALUES `

// insertChunk is how many deliveries one INSERT carries: far below either
// engine's limit on parameters, large enough that a busy batch is a few
// statements.
const insertChunk = 50

// insertDeliveries writes ds and returns the message ids it wrote (those
// not there already).
func insertDeliveries(ctx context.Context, tx *store.Tx, ds []Delivery) (map[string]bool, error) {
	written := make(map[string]bool, len(ds))
	for len(ds) > 0 {
		chunk := ds[:min(len(ds), insertChunk)]
		ds = ds[len(chunk):]
		var q strings.Builder
		q.WriteString(insertDeliveryColumns)
		args := make([]any, 0, len(chunk)*20)
		for i := range chunk {
			d := &chunk[i]
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			params, _ := json.Marshal(d.Params)
			sent := ""
			if d.SentAt != nil {
				sent = store.FormatTime(*d.SentAt)
			}
			args = append(args, d.MessageID, d.OutboxID, d.Topic, d.Event, string(d.Kind), string(d.Channel), d.UserID, d.Address, d.SubscriberID,
				d.Department, d.Lang, d.Subject, d.Body, string(params), string(d.Status), d.Attempts,
				store.FormatTime(d.NextAt), store.FormatTime(d.EventAt), store.FormatTime(d.CreatedAt), sent)
		}
		q.WriteString(" ON CONFLICT (message_id) DO NOTHING RETURNING message_id")
		rs, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return nil, apperr.Wrap(err, "notify: insert delivery")
		}
		for rs.Next() {
			var id string
			if err := rs.Scan(&id); err != nil {
				rs.Close()
				return nil, apperr.Wrap(err, "notify: insert delivery")
			}
			written[id] = true
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, apperr.Wrap(err, "notify: insert delivery")
		}
		counts := tally{}
		for i := range chunk {
			if !written[chunk[i].MessageID] {
				continue
			}
			st := Queued
			if chunk[i].Status == Delivered {
				st = Delivered
			}
			counts.add(chunk[i].Channel, st)
		}
		counts.count("onewindow_notify_messages_total")
	}
	return written, nil
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

// Deliver claims the deliveries that are due (or whose claim ran out),
// sends them, and records each outcome. The claim transaction also applies
// the SMS rules (quiet hours, the daily cap), so that a round costs the
// database two write transactions however many messages it sends.
func (n *Notifier) Deliver(ctx context.Context) (int, error) {
	now := n.now.Now()
	lease := store.FormatTime(now.Add(n.Lease))
	lock := ""
	if n.db.Dialect() == store.Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	var claimed []Delivery
	var outcomes []outcome
	err := n.db.InTx(ctx, func(tx *store.Tx) error {
		claimed = claimed[:0]
		// Waiting messages first, then those whose claim ran out; each an
		// index range in next_at order.
		for _, status := range []string{`'queued'`, `'sending'`} {
			if len(claimed) >= n.Batch {
				break
			}
			// The status is written out, not bound, so that both engines
			// see that the partial index of waiting messages applies.
			rs, err := tx.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM notify_deliveries
				WHERE status = `+status+` AND next_at <= ? ORDER BY next_at LIMIT ?`+lock, store.FormatTime(now), n.Batch-len(claimed))
			if err != nil {
				return apperr.Wrap(err, "notify: claim")
			}
			for rs.Next() {
				d, err := scanDelivery(rs)
				if err != nil {
					rs.Close()
					return apperr.Wrap(err, "notify: claim")
				}
				claimed = append(claimed, d)
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return apperr.Wrap(err, "notify: claim")
			}
		}
		if len(claimed) == 0 {
			return nil
		}
		ids := make([]int64, len(claimed))
		for i := range claimed {
			ids[i] = claimed[i].ID
			claimed[i].Attempts++
			claimed[i].Status = Sending
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notify_deliveries SET status = 'sending', attempts = attempts + 1, next_at = ?
			WHERE id IN (`+placeholders(len(ids))+`)`, append([]any{lease}, int64Args(ids)...)...); err != nil {
			return apperr.Wrap(err, "notify: claim")
		}
		var err error
		outcomes, err = n.smsGate(ctx, tx, claimed, now)
		return err
	})
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	return len(claimed), n.send(ctx, claimed, outcomes, lease)
}

// send tries the claimed deliveries whose outcome the SMS rules did not
// already decide, a few at once, and records every outcome.
func (n *Notifier) send(ctx context.Context, claimed []Delivery, outcomes []outcome, lease string) error {
	if len(claimed) == 0 {
		return nil
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, n.Workers))
	for i := range claimed {
		if outcomes[i].status != "" {
			continue // held back or refused by the SMS rules
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			outcomes[i] = n.attempt(ctx, &claimed[i])
		}(i)
	}
	wg.Wait()
	return n.record(ctx, claimed, outcomes, lease)
}

// outcome is what became of one attempt.
type outcome struct {
	status   Status
	nextAt   time.Time
	reason   string
	deferred bool // quiet hours or the daily cap: not counted as a try
}

func (n *Notifier) attempt(ctx context.Context, d *Delivery) outcome {
	sender := n.senderFor(d.Channel)
	if sender == nil {
		return outcome{status: Dead, reason: "channel " + string(d.Channel) + " is not configured on this server"}
	}
	err := sender.Send(ctx, d)
	switch {
	case err == nil:
		return outcome{status: Sent}
	case IsRefusal(err) || d.Attempts >= MaxAttempts:
		return outcome{status: Dead, reason: err.Error()}
	}
	return outcome{status: Queued, nextAt: n.now.Now().Add(Backoff(d.Attempts, d.MessageID)), reason: err.Error()}
}

// smsGate applies the SMS rules to the claimed messages, in the claim's
// transaction: in quiet hours only sign-in codes go; each number's count
// for the China day is taken before sending, a number at a time, so that
// servers sharing the database never overshoot the cap together. Messages
// it holds back get their outcome here; the others an empty one.
func (n *Notifier) smsGate(ctx context.Context, tx *store.Tx, ds []Delivery, now time.Time) ([]outcome, error) {
	out := make([]outcome, len(ds))
	until, quiet := QuietUntil(now)
	byPhone := map[string][]int{}
	var phones []string
	for i, d := range ds {
		if d.Channel != SMS {
			continue
		}
		if quiet && d.Kind != KindSignIn {
			out[i] = outcome{status: Queued, nextAt: until, reason: "quiet hours (21:00–08:00)", deferred: true}
			continue
		}
		if _, seen := byPhone[d.Address]; !seen {
			phones = append(phones, d.Address)
		}
		byPhone[d.Address] = append(byPhone[d.Address], i)
	}
	day, limit := ChinaDay(now), n.dailyCap()
	lock := ""
	if tx.Dialect() == store.Postgres {
		lock = ` FOR UPDATE`
	}
	for _, phone := range phones {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_sms_daily (phone, day, sent) VALUES (?, ?, 0) ON CONFLICT (phone, day) DO NOTHING`, phone, day); err != nil {
			return nil, apperr.Wrap(err, "notify: daily cap")
		}
		var sent int
		if err := tx.QueryRowContext(ctx, `SELECT sent FROM notify_sms_daily WHERE phone = ? AND day = ?`+lock, phone, day).Scan(&sent); err != nil {
			return nil, apperr.Wrap(err, "notify: daily cap")
		}
		idx := byPhone[phone]
		allowed := min(len(idx), max(0, limit-sent))
		if allowed > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE notify_sms_daily SET sent = sent + ? WHERE phone = ? AND day = ?`, allowed, phone, day); err != nil {
				return nil, apperr.Wrap(err, "notify: daily cap")
			}
		}
		for _, i := range idx[allowed:] {
			metrics.Inc("onewindow_notify_capped_total")
			if ds[i].Kind == KindSignIn {
				out[i] = outcome{status: Dead, reason: fmt.Sprintf("daily cap of %d SMS for this number reached", limit)}
			} else {
				out[i] = outcome{status: Queued, nextAt: NextMorning(now), reason: fmt.Sprintf("daily cap of %d SMS reached: held until tomorrow", limit), deferred: true}
			}
		}
	}
	return out, nil
}

func (n *Notifier) senderFor(ch Channel) Sender {
	switch ch {
	case Email:
		return n.Email
	case SMS:
		return n.SMS
	case Webhook:
		return n.Webhooks
	}
	return nil
}

// record writes the outcomes of one round, each guarded by the claim it
// was made under (status sending with this round's lease): a server whose
// lease ran out, and whose message another server took, does not overwrite
// the newer record.
func (n *Notifier) record(ctx context.Context, ds []Delivery, outs []outcome, lease string) error {
	now := n.now.Now()
	// By message id: a delivery claimed as it was written has no id here.
	var sent []any
	for i := range ds {
		if outs[i].status == Sent {
			sent = append(sent, ds[i].MessageID)
		}
	}
	err := n.db.InTx(ctx, func(tx *store.Tx) error {
		if len(sent) > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE notify_deliveries SET status = 'sent', last_error = '', sent_at = ?
				WHERE status = 'sending' AND next_at = ? AND message_id IN (`+placeholders(len(sent))+`)`,
				append([]any{store.FormatTime(now), lease}, sent...)...); err != nil {
				return apperr.Wrap(err, "notify: record")
			}
		}
		for i := range ds {
			d, o := &ds[i], outs[i]
			if o.status == Sent {
				continue
			}
			next := o.nextAt
			if next.IsZero() {
				next = now
			}
			attempts := d.Attempts
			if o.deferred {
				attempts--
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notify_deliveries SET status = ?, attempts = ?, next_at = ?, last_error = ?
				WHERE message_id = ? AND status = 'sending' AND next_at = ?`,
				string(o.status), attempts, store.FormatTime(next), o.reason, d.MessageID, lease); err != nil {
				return apperr.Wrap(err, "notify: record")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	counts, failures, delay := tally{}, map[Channel]float64{}, map[Channel]float64{}
	defer func() {
		counts.count("onewindow_notify_messages_total")
		for ch, n := range failures {
			metrics.Add("onewindow_notify_failures_total", n, "channel", string(ch))
		}
		for ch, secs := range delay {
			metrics.Add("onewindow_notify_delay_seconds_sum", secs, "channel", string(ch))
			metrics.Add("onewindow_notify_delay_seconds_count", counts[[2]string{string(ch), string(Sent)}], "channel", string(ch))
		}
	}()
	for i := range ds {
		d, o := &ds[i], outs[i]
		switch {
		case o.status == Sent:
			counts.add(d.Channel, Sent)
			delay[d.Channel] += now.Sub(d.EventAt).Seconds()
		case o.status == Dead:
			counts.add(d.Channel, Dead)
			failures[d.Channel]++
			n.Log.Warn("message failed for good", "message_id", d.MessageID, "channel", d.Channel, "to", MaskAddress(d.Address), "reason", o.reason)
		case !o.deferred:
			failures[d.Channel]++
			n.Log.Info("message will be tried again", "message_id", d.MessageID, "channel", d.Channel, "to", MaskAddress(d.Address),
				"attempt", d.Attempts, "next", o.nextAt, "reason", o.reason)
		}
	}
	return nil
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
			payload, _ := json.Marshal(map[string]any{"appointment": b.code, "point": b.point, "category": b.category, "day": day,
				"time": store.ParseTime(b.from).In(clock.China).Format("15:04") + "–" + store.ParseTime(b.till).In(clock.China).Format("15:04")})
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES ('appointment.reminder', ?, ?, ?)`,
				"user:"+strconv.FormatInt(b.user, 10), string(payload), at); err != nil {
				return apperr.Wrap(err, "notify: appointment reminder")
			}
			done++
		}
		return nil
	})
	return done, err
}
