package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
)

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
	// Most rounds find nothing due (a message's first try is claimed as it
	// is written): a read says so without taking the writer, which on
	// SQLite every intake waits for. A message due just after the read is
	// claimed next round.
	var due int
	if err := n.db.QueryRowContext(ctx, anyDueQuery, store.FormatTime(now)).Scan(&due); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.Wrap(err, "notify: claim")
	}
	if due == 0 {
		return 0, nil
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
			rs, err := tx.QueryContext(ctx, claimQuery(status)+lock, store.FormatTime(now), n.Batch-len(claimed))
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
		for _, chunk := range idLists(ids) {
			if _, err := tx.ExecContext(ctx, `UPDATE notify_deliveries SET status = 'sending', attempts = attempts + 1, next_at = ?
				WHERE id IN (`+placeholders(len(chunk))+`)`, append([]any{lease}, chunk...)...); err != nil {
				return apperr.Wrap(err, "notify: claim")
			}
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

// waitingOnly is the condition of the partial index of waiting messages
// (notify_deliveries_due), written out in every query that should use it:
// SQLite uses a partial index only when the query repeats its condition
// (status = 'queued' alone does not count as implying it), and without it
// scans every message ever sent, inside the claim's write transaction.
const waitingOnly = `status IN ('queued', 'sending')`

// anyDueQuery tells whether any message is due (or its claim ran out).
const anyDueQuery = `SELECT 1 FROM notify_deliveries WHERE ` + waitingOnly + ` AND next_at <= ? LIMIT 1`

// claimQuery reads the due messages of one status, in next_at order: one
// index range. The status is written out, not bound, so that both engines
// see which part of the index applies.
func claimQuery(status string) string {
	return `SELECT ` + deliveryColumns + ` FROM notify_deliveries
		WHERE status = ` + status + ` AND ` + waitingOnly + ` AND next_at <= ? ORDER BY next_at LIMIT ?`
}

// send tries the claimed deliveries whose outcome the SMS rules did not
// already decide, a few calls at once, and records every outcome. A
// channel whose sender takes batches gets its messages in batches, one
// call each.
func (n *Notifier) send(ctx context.Context, claimed []Delivery, outcomes []outcome, lease string) error {
	if len(claimed) == 0 {
		return nil
	}
	// A call is the indexes into claimed it carries; a batch call is made
	// in the batch form even when it carries one message, since a gateway
	// configured for batches may speak only that form.
	type call struct {
		idx   []int
		batch bool
	}
	var calls []call
	batches := map[Channel][]int{}
	for i := range claimed {
		if outcomes[i].status != "" {
			continue // held back or refused by the SMS rules
		}
		ch := claimed[i].Channel
		b, ok := n.senderFor(ch).(BatchSender)
		if !ok || b.BatchSize() <= 1 {
			calls = append(calls, call{idx: []int{i}})
			continue
		}
		batches[ch] = append(batches[ch], i)
		if len(batches[ch]) == b.BatchSize() {
			calls = append(calls, call{idx: batches[ch], batch: true})
			batches[ch] = nil
		}
	}
	for _, idx := range batches {
		if len(idx) > 0 {
			calls = append(calls, call{idx: idx, batch: true})
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, n.Workers))
	for _, c := range calls {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if !c.batch {
				outcomes[c.idx[0]] = n.attempt(ctx, &claimed[c.idx[0]])
				return
			}
			ds := make([]*Delivery, len(c.idx))
			for k, i := range c.idx {
				ds[k] = &claimed[i]
			}
			errs := n.senderFor(ds[0].Channel).(BatchSender).SendBatch(ctx, ds)
			for k, i := range c.idx {
				outcomes[i] = n.outcomeOf(&claimed[i], errs[k])
			}
		}()
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
	return n.outcomeOf(d, sender.Send(ctx, d))
}

// outcomeOf reads an attempt's error: sent, dead (a refusal, or the last
// try), or queued again after the backoff.
func (n *Notifier) outcomeOf(d *Delivery, err error) outcome {
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
		if codeTooOld(&d, now) {
			out[i] = outcome{status: Dead, reason: "the code expired before it could be sent"}
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
	for _, phone := range phones {
		// One upsert a number counts the whole batch for it and returns the
		// day's total (the row locked on PostgreSQL until the commit, so
		// servers sharing the database never overshoot together); only a
		// number past the cap takes a second statement to give back what
		// it could not send.
		idx := byPhone[phone]
		var total int
		if err := tx.QueryRowContext(ctx, `INSERT INTO notify_sms_daily (phone, day, sent) VALUES (?, ?, ?)
			ON CONFLICT (phone, day) DO UPDATE SET sent = notify_sms_daily.sent + excluded.sent RETURNING sent`, phone, day, len(idx)).Scan(&total); err != nil {
			return nil, apperr.Wrap(err, "notify: daily cap")
		}
		before := total - len(idx)
		allowed := min(len(idx), max(0, limit-before))
		if over := len(idx) - allowed; over > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE notify_sms_daily SET sent = sent - ? WHERE phone = ? AND day = ?`, over, phone, day); err != nil {
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
	var sent []int64
	for i := range ds {
		if outs[i].status == Sent && ds[i].Kind != KindSignIn {
			sent = append(sent, ds[i].ID)
		}
	}
	kept := keptCounts{}
	for i := range ds {
		d, o := &ds[i], outs[i]
		switch {
		case o.status == Sent:
			c := kept.of(d.Channel)
			c.sent++
			c.delayMS += max(0, now.Sub(d.EventAt).Milliseconds())
		case o.status == Dead:
			c := kept.of(d.Channel)
			c.dead++
			c.failures++
		case !o.deferred:
			kept.of(d.Channel).failures++
		}
	}
	failed := failedRecords{}
	err := n.db.InTx(ctx, func(tx *store.Tx) error {
		clear(failed)
		if err := kept.keep(ctx, tx, now); err != nil {
			return err
		}
		for _, chunk := range idLists(sent) {
			if _, err := tx.ExecContext(ctx, `UPDATE notify_deliveries SET status = 'sent', last_error = '', sent_at = ?
				WHERE status = 'sending' AND next_at = ? AND id IN (`+placeholders(len(chunk))+`)`,
				append([]any{store.FormatTime(now), lease}, chunk...)...); err != nil {
				return apperr.Wrap(err, "notify: record")
			}
		}
		for i := range ds {
			d, o := &ds[i], outs[i]
			if d.Kind == KindSignIn && (o.status == Sent || o.status == Dead) {
				// A code is kept only until it is sent or given up.
				kept := *d
				redactCode(&kept)
				params, _ := json.Marshal(kept.Params)
				sentAt := store.Stamp("")
				if o.status == Sent {
					sentAt = store.Stamp(store.FormatTime(now))
				}
				if _, err := tx.ExecContext(ctx, `UPDATE notify_deliveries SET status = ?, last_error = ?, sent_at = ?, subject = ?, body = ?, params = ?
					WHERE message_id = ? AND status = 'sending' AND next_at = ?`,
					string(o.status), o.reason, sentAt, kept.Subject, kept.Body, string(params), d.MessageID, lease); err != nil {
					return apperr.Wrap(err, "notify: record")
				}
				continue
			}
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
			failed.add(failedKey{status: o.status, attempts: attempts, reason: o.reason}, d.MessageID, store.FormatTime(next))
		}
		return failed.write(ctx, tx, lease)
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

// failedRecords gathers a round's messages that were not sent by what
// their record gets alike (status, tries, reason), each with its own next
// try, so that a gateway that is down, refusing a thousand messages with
// one reason, costs a few statements rather than one a message.
type failedRecords map[failedKey][][2]string // message id, next_at

type failedKey struct {
	status   Status
	attempts int
	reason   string
}

func (f failedRecords) add(k failedKey, messageID, nextAt string) {
	f[k] = append(f[k], [2]string{messageID, nextAt})
}

// failedChunk is how many records one statement writes (three parameters
// each, far below either engine's limit).
const failedChunk = 200

// write updates each group under the round's claim: a message whose lease
// another server has taken keeps the newer record.
func (f failedRecords) write(ctx context.Context, tx *store.Tx, lease string) error {
	for k, rows := range f {
		for len(rows) > 0 {
			chunk := rows[:min(len(rows), failedChunk)]
			rows = rows[len(chunk):]
			var q strings.Builder
			args := make([]any, 0, 4+3*len(chunk))
			args = append(args, string(k.status), k.attempts, k.reason)
			q.WriteString(`UPDATE notify_deliveries SET status = ?, attempts = ?, last_error = ?, next_at = CASE message_id`)
			for _, r := range chunk {
				q.WriteString(` WHEN ? THEN ` + store.StampParam(tx.Dialect()))
				args = append(args, r[0], r[1])
			}
			q.WriteString(` END WHERE status = 'sending' AND next_at = ? AND message_id IN (` + placeholders(len(chunk)) + `)`)
			args = append(args, lease)
			for _, r := range chunk {
				args = append(args, r[0])
			}
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return apperr.Wrap(err, "notify: record")
			}
		}
	}
	return nil
}
