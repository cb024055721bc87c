package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// RawWriter writes what one intake through the API writes, straight to the
// database with the same driver, the same durability settings (store.Open's)
// and the same transaction shape, and nothing else: no HTTP, no token
// check, no validation, no reads of the catalogue or the case. It is the
// yardstick for the app's intake: app / raw is the share of the engine's
// write throughput the application keeps.
//
// One intake is two transactions, as through the API:
//  1. create: the number counter upsert, the case row, one row per
//     presented material, the "create" event, one audit record (read the
//     chain head, insert, move the head) and one outbox row;
//  2. accept: the case update (with its version check), the "accept" event,
//     one audit record and one outbox row.
//
// The audit record is written by audit.Append, which is those three
// statements and a SHA-256, so that the chain stays verifiable.
type RawWriter struct {
	DB        *store.DB
	Point     string
	Item      catalog.Item
	Materials []string
	Staff     int64
}

// Intake writes one case, created and accepted.
func (w *RawWriter) Intake(ctx context.Context) error {
	now := time.Now()
	var c rawCase
	if err := w.DB.InTx(ctx, func(tx *store.Tx) error { return w.create(ctx, tx, now, &c) }); err != nil {
		return fmt.Errorf("raw create: %w", err)
	}
	if err := w.DB.InTx(ctx, func(tx *store.Tx) error { return w.accept(ctx, tx, now, c) }); err != nil {
		return fmt.Errorf("raw accept: %w", err)
	}
	return nil
}

// IdealIntakes writes n intakes, each the same rows as Intake's two
// transactions, in one plain transaction (store.DB.InPlainTx): no group
// commit, no savepoints, nobody else waiting. Called by one goroutine with
// n the commits group commit can share, it is what the engine does at
// best with those rows: the "ideal" yardstick.
func (w *RawWriter) IdealIntakes(ctx context.Context, n int) error {
	now := time.Now()
	return w.DB.InPlainTx(ctx, func(tx *store.Tx) error {
		for range n {
			var c rawCase
			if err := w.create(ctx, tx, now, &c); err != nil {
				return fmt.Errorf("ideal create: %w", err)
			}
			if err := w.accept(ctx, tx, now, c); err != nil {
				return fmt.Errorf("ideal accept: %w", err)
			}
		}
		return nil
	})
}

// rawCase is what the accept of a created case needs to know.
type rawCase struct {
	id     int64
	number string
}

// create writes the rows of a case created at the front desk.
func (w *RawWriter) create(ctx context.Context, tx *store.Tx, now time.Time, c *rawCase) error {
	at := store.FormatTime(now)
	day := workday.DateOf(now).Format("20060102")
	var n int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO case_counters (point_code, day, last) VALUES (?, ?, 1)
		ON CONFLICT (point_code, day) DO UPDATE SET last = case_counters.last + 1
		RETURNING last`, w.Point, day).Scan(&n); err != nil {
		return err
	}
	c.number = fmt.Sprintf("%s-%s-%05d", w.Point, day, n)
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO cases (number, item_code, item_version, item_name, department_code, point_code, state, version, channel,
			applicant_user_id, applicant_kind, applicant_name, applicant_id_number, applicant_credit, applicant_phone,
			acting_staff_id, created_by, form, waived, reasons, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		c.number, w.Item.Code, w.Item.Version, w.Item.Name, w.Item.DepartmentCode, w.Point, "received", 1, "window",
		nil, "person", "周明", benchIDNumber, "", benchPhone, w.Staff, w.Staff, "{}", "[]", "[]", at, at).Scan(&c.id); err != nil {
		return err
	}
	for _, m := range w.Materials {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO case_materials (case_id, type, name, source, file_name, file_hash, content_type, size, added_by, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.id, m, m, "presented", "", "", "", 0, w.Staff, at); err != nil {
			return err
		}
	}
	data, _ := json.Marshal(map[string]any{"channel": "window", "materials": w.Materials})
	return w.record(ctx, tx, c.id, c.number, "create", "", "received", string(data), now)
}

// accept writes the rows of the case's acceptance.
func (w *RawWriter) accept(ctx context.Context, tx *store.Tx, now time.Time, c rawCase) error {
	at := store.FormatTime(now)
	due := workday.FormatDate(workday.DateOf(now).AddDate(0, 0, w.Item.PromisedLimitDays+2))
	res, err := tx.ExecContext(ctx, `
		UPDATE cases SET state = ?, version = version + 1, accepted_at = ?, accepted_by = ?, promised_due = ?, legal_due = ?,
			warn_from = ?, promised_limit = ?, updated_at = ?
		WHERE id = ? AND version = ?`, "accepted", at, w.Staff, due, due, due, w.Item.PromisedLimitDays, at, c.id, 1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("case %d changed underneath", c.id)
	}
	return w.record(ctx, tx, c.id, c.number, "accept", "received", "accepted", `{"promised_due":"`+due+`"}`, now)
}

// record appends the event, the audit record and the outbox row.
func (w *RawWriter) record(ctx context.Context, tx *store.Tx, id int64, number, action, from, to, data string, now time.Time) error {
	at := store.FormatTime(now)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO case_events (case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, at, w.Staff, "bench", "front_desk", action, from, to, "", data); err != nil {
		return err
	}
	if _, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: w.Staff, Actor: "bench", Role: "front_desk",
		Action: "case." + action, Object: "case:" + number, Outcome: audit.OK, Detail: `{"from":"` + from + `","to":"` + to + `"}`}); err != nil {
		return err
	}
	payload := `{"case":"` + number + `","state":"` + to + `","action":"` + action + `"}`
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`,
		"case."+action, "phone:"+benchPhone, payload, at)
	return err
}
