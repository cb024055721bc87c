package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

// outboxPick reads the oldest outbox rows not yet expanded: a range of the
// partial index outbox_unsent, which holds those rows only.
const outboxPick = `SELECT id, topic, recipient, payload, created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?`

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
	const pick = outboxPick
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
			for _, chunk := range idLists(ids) {
				if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ? WHERE id IN (`+placeholders(len(chunk))+`)`,
					append([]any{store.FormatTime(now)}, chunk...)...); err != nil {
					return apperr.Wrap(err, "notify: mark outbox")
				}
			}
			if err := forgetCodes(ctx, tx, rows, nil); err != nil {
				return err
			}
			done = len(rows)
			fresh, outs, err = n.writeClaimed(ctx, tx, n.ready(plan, lease), now)
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
	// The rows to write and their statements are built here too: the
	// transaction only runs them.
	all := n.ready(plan, lease)
	err = n.db.InTx(ctx, func(tx *store.Tx) error {
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.id
		}
		claimed := make(map[int64]bool, len(ids))
		for _, chunk := range idLists(ids) {
			if err := queryIDs(ctx, tx, claimed, `UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND id IN (`+placeholders(len(chunk))+`) RETURNING id`,
				append([]any{store.FormatTime(now)}, chunk...)...); err != nil {
				return apperr.Wrap(err, "notify: mark outbox")
			}
		}
		if err := forgetCodes(ctx, tx, rows, claimed); err != nil {
			return err
		}
		done = len(claimed)
		w := all
		if len(claimed) < len(rows) {
			// Another server expanded some of the rows meanwhile: a new
			// slice, since a group commit that fails as a whole runs this
			// function again, with all as it was.
			var mine []Delivery
			for _, d := range all.ds {
				if claimed[d.OutboxID] {
					mine = append(mine, d)
				}
			}
			w = n.ready(mine, lease)
		}
		fresh, outs, err = n.writeClaimed(ctx, tx, w, now)
		return err
	})
	if err != nil {
		return 0, err
	}
	return done, n.send(ctx, fresh, outs, store.FormatTime(lease))
}

// ready is a batch's deliveries made ready to write: one per message id,
// those this server can send claimed by it (first try, under lease), with
// their INSERT statements.
type ready struct {
	ds      []Delivery
	inserts []insertStmt
}

// ready works in ds's own array (the deliveries are many, and large):
// the caller gives ds up to it.
func (n *Notifier) ready(ds []Delivery, lease time.Time) ready {
	seen := make(map[string]bool, len(ds))
	unique := ds[:0]
	for i := range ds {
		if seen[ds[i].MessageID] {
			continue
		}
		seen[ds[i].MessageID] = true
		unique = append(unique, ds[i])
		if u := &unique[len(unique)-1]; u.Status == Queued && n.senderFor(u.Channel) != nil {
			u.Status, u.Attempts, u.NextAt = Sending, 1, lease
		}
	}
	return ready{ds: unique, inserts: buildInserts(unique)}
}

// writeClaimed writes the new deliveries, those this server can send
// already claimed by it (first try, under lease), and applies the SMS rules
// to the ones it wrote, inside the expanding transaction. It returns them
// with their preset outcomes. A delivery whose message id is already there
// (an event told again, a webhook's second outbox row) is not written, and
// not sent.
func (n *Notifier) writeClaimed(ctx context.Context, tx *store.Tx, w ready, now time.Time) ([]Delivery, []outcome, error) {
	written, err := runInserts(ctx, tx, w.ds, w.inserts, now)
	if err != nil {
		return nil, nil, err
	}
	// A new slice, not w's: a group commit that fails as a whole runs the
	// transaction's function again, with w as it was.
	fresh := make([]Delivery, 0, len(w.ds))
	for i := range w.ds {
		if id, ok := written[w.ds[i].MessageID]; ok && w.ds[i].Status == Sending {
			fresh = append(fresh, w.ds[i])
			fresh[len(fresh)-1].ID = id
		}
	}
	if len(fresh) == 0 {
		return nil, nil, nil
	}
	outs, err := n.smsGate(ctx, tx, fresh, now)
	return fresh, outs, err
}

// forgetCodes masks the codes in the outbox rows just read (those claimed,
// when claimed is not nil): from here on the code lives only in its
// delivery, until that is sent.
func forgetCodes(ctx context.Context, tx *store.Tx, rows []outboxRow, claimed map[int64]bool) error {
	for _, r := range rows {
		if !isCodeTopic(r.topic) || (claimed != nil && !claimed[r.id]) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET payload = ? WHERE id = ?`, redactedPayload(r.payload), r.id); err != nil {
			return apperr.Wrap(err, "notify: forget code")
		}
	}
	return nil
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

// queryIDs adds the ids query returns to out.
func queryIDs(ctx context.Context, q store.Querier, out map[int64]bool, query string, args ...any) error {
	rs, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return err
		}
		out[id] = true
	}
	return rs.Err()
}

// maxIDList is the longest list of ids one statement names.
const maxIDList = 256

// idLists cuts ids into lists for "IN (…)" of at most maxIDList, each
// padded to a power of two by repeating its last id (which IN ignores), so
// that the statements of a round have one of nine texts whatever its size.
// On SQLite each connection keeps the statements it ran by their text: lists
// of every length would fill that cache with statements run once, parsed
// each time on the writer, and push out the ones intake runs all the time.
func idLists[T any](ids []T) [][]any {
	var out [][]any
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), maxIDList)]
		ids = ids[len(chunk):]
		size := 1
		for size < len(chunk) {
			size *= 2
		}
		list := make([]any, size)
		for i := range list {
			list[i] = chunk[min(i, len(chunk)-1)]
		}
		out = append(out, list)
	}
	return out
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
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
	out := make([]Delivery, 0, 2*len(rows))
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
		event = eventFor(event, row.recipient, p)
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
				params, _ := json.Marshal(msg.Params)
				d := Delivery{OutboxID: row.id, Topic: row.topic, Event: event, Kind: ev.Kind, Channel: ch, UserID: t.userID,
					Department: dept, Lang: t.lang, Subject: msg.Subject, Body: msg.Body, Params: msg.Params, paramsJSON: string(params),
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

// insertChunk is the most deliveries one INSERT carries: far below either
// engine's limit on parameters, large enough that a busy batch is a few
// statements. A batch is cut into chunks of powers of two (64, then what is
// left as 32, 16, …), so that its statements have one of seven texts, each
// kept prepared (see idLists).
const insertChunk = 64

// insertStmt is one INSERT of deliveries ds[from:to].
type insertStmt struct {
	query    string
	args     []any
	from, to int
}

// buildInserts makes the statements that write ds, a chunk each.
func buildInserts(ds []Delivery) []insertStmt {
	var out []insertStmt
	for from := 0; from < len(ds); {
		size := insertChunk
		for size > len(ds)-from {
			size /= 2
		}
		chunk := ds[from : from+size]
		var q strings.Builder
		q.WriteString(insertDeliveryColumns)
		args := make([]any, 0, len(chunk)*20)
		for i := range chunk {
			d := &chunk[i]
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			params := d.paramsJSON
			if params == "" {
				b, _ := json.Marshal(d.Params)
				params = string(b)
			}
			sent := store.StampOf(d.SentAt)
			args = append(args, d.MessageID, d.OutboxID, d.Topic, d.Event, string(d.Kind), string(d.Channel), d.UserID, d.Address, d.SubscriberID,
				d.Department, d.Lang, d.Subject, d.Body, params, string(d.Status), d.Attempts,
				store.FormatTime(d.NextAt), store.FormatTime(d.EventAt), store.FormatTime(d.CreatedAt), sent)
		}
		q.WriteString(" ON CONFLICT (message_id) DO NOTHING RETURNING id, message_id")
		out = append(out, insertStmt{query: q.String(), args: args, from: from, to: from + size})
		from += size
	}
	return out
}

// runInserts writes ds by their statements and returns the message ids it
// wrote (those not there already) with their row ids, counting them in the
// kept counts of now's day.
func runInserts(ctx context.Context, tx *store.Tx, ds []Delivery, stmts []insertStmt, now time.Time) (map[string]int64, error) {
	written := make(map[string]int64, len(ds))
	kept := keptCounts{}
	for _, st := range stmts {
		rs, err := tx.QueryContext(ctx, st.query, st.args...)
		if err != nil {
			return nil, apperr.Wrap(err, "notify: insert delivery")
		}
		for rs.Next() {
			var id int64
			var messageID string
			if err := rs.Scan(&id, &messageID); err != nil {
				rs.Close()
				return nil, apperr.Wrap(err, "notify: insert delivery")
			}
			written[messageID] = id
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, apperr.Wrap(err, "notify: insert delivery")
		}
		counts := tally{}
		for i := st.from; i < st.to; i++ {
			if _, ok := written[ds[i].MessageID]; !ok {
				continue
			}
			status := Queued
			c := kept.of(ds[i].Channel)
			c.messages++
			if ds[i].Status == Delivered {
				status = Delivered
				c.delivered++
			}
			counts.add(ds[i].Channel, status)
		}
		counts.count("onewindow_notify_messages_total")
	}
	return written, kept.keep(ctx, tx, now)
}
