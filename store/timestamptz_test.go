package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The times migration 00036 converts, read back as the code reads them.
var convertedTimes = []string{
	`SELECT id, accepted_at, decided_at, issued_at, created_at, updated_at FROM cases ORDER BY id`,
	`SELECT id, at FROM case_events ORDER BY id`,
	`SELECT case_id, name, added_at FROM case_materials ORDER BY case_id, name`,
	`SELECT id, queued_at, taken_at, first_called_at, called_at, started_at, finished_at, ahead_told_at FROM hall_tickets ORDER BY id`,
	`SELECT id, created_at, sent_at FROM outbox ORDER BY id`,
	`SELECT idem_key, created_at FROM idempotency_keys ORDER BY idem_key`,
	`SELECT id, next_at, event_at, created_at, read_at, sent_at FROM notify_deliveries ORDER BY id`,
}

// readTimes reads every row of the queries as text; the outbox's sent_at
// was NULL before (not yet), as it is after.
func readTimes(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	for _, q := range convertedTimes {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			text := make([]string, len(vals))
			for i, v := range vals {
				text[i] = v.String
			}
			out = append(out, strings.Join(text, "|"))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestTimestamptzMigrationKeepsTheTimes writes the hot tables' times as
// text before migration 36 (the hot tables and the deliveries), "not yet" as empty text, and reads them back unchanged
// after it, on PostgreSQL in a session in China's time zone: the same UTC
// text, and "" for not yet. The kept monthly figures go on counting by the
// month in China, and the columns are timestamptz.
func TestTimestamptzMigrationKeepsTheTimes(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.MigrateTo(ctx, 35); err != nil {
			t.Fatalf("migrate to 35: %v", err)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// Case 1 accepted at 15:59:59.999999 UTC on 31 August (still August
		// in China) and decided at 16:00 UTC on 31 October (1 November in
		// China, the day after its due date); case 2 received, nothing yet.
		exec(`INSERT INTO cases (id, number, item_code, item_version, item_name, department_code, point_code, state, version, channel,
			applicant_kind, applicant_name, created_by, promised_due, accepted_at, decided_at, issued_at, created_at, updated_at)
			VALUES (1, 'HNZWFW-1', 'I1', 1, 'item', 'D1', 'HNZWFW', 'approved', 3, 'window', 'person', 'A', 1, '2025-10-31',
			'2025-08-31T15:59:59.999999Z', '2025-10-31T16:00:00.000000Z', '', '2025-08-31T15:00:00.000001Z', '2025-10-31T16:00:00.000000Z')`)
		exec(`INSERT INTO cases (id, number, item_code, item_version, item_name, department_code, point_code, state, version, channel,
			applicant_kind, applicant_name, created_by, created_at, updated_at)
			VALUES (2, 'HNZWFW-2', 'I1', 1, 'item', 'D1', 'HNZWFW', 'received', 1, 'online', 'person', 'B', 1,
			'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`)
		exec(`INSERT INTO case_events (id, case_id, at, actor_id, actor_name, role, action, from_state, to_state)
			VALUES (1, 1, '2025-08-31T15:59:59.999999Z', 1, 'desk', 'front_desk', 'accept', 'received', 'accepted')`)
		exec(`INSERT INTO case_materials (case_id, type, name, source, added_by, added_at)
			VALUES (1, 'id', 'card', 'upload', 1, '2025-08-31T15:00:00.000001Z')`)
		exec(`INSERT INTO hall_tickets (id, point_code, day, category, number, status, source, queued_at, taken_at, called_at, first_called_at)
			VALUES (1, 'HNZWFW', '2026-01-02', 'A', 'A001', 'called', 'kiosk', '2026-01-01T16:00:00.000000Z', '2026-01-01T16:00:00.000000Z',
			'2026-01-01T16:05:00.123456Z', '2026-01-01T16:05:00.123456Z')`)
		exec(`INSERT INTO hall_tickets (id, point_code, day, category, number, status, source, queued_at, taken_at)
			VALUES (2, 'HNZWFW', '2026-01-02', 'A', 'A002', 'waiting', 'kiosk', '2026-01-01T16:01:00.000000Z', '2026-01-01T16:01:00.000000Z')`)
		exec(`INSERT INTO outbox (id, topic, recipient, payload, created_at, sent_at) VALUES
			(1, 't', 'r', '{}', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:01.000000Z'),
			(2, 't', 'r', '{}', '2026-01-01T00:00:02.000000Z', NULL)`)
		exec(`INSERT INTO idempotency_keys (user_id, idem_key, request, status, body, created_at)
			VALUES (1, 'k1', 'POST /x', 200, '{}', '2026-01-01T00:00:00.000000Z')`)
		exec(`INSERT INTO notify_deliveries (id, message_id, outbox_id, topic, event, kind, channel, status, next_at, event_at, created_at, read_at, sent_at)
			VALUES (1, 'm1', 1, 't', 'e', 'applicant', 'inbox', 'sent', '2026-01-01T00:00:01.000000Z', '2026-01-01T00:00:00.000000Z',
			'2026-01-01T00:00:01.000000Z', '2026-01-02T08:00:00.000000Z', '2026-01-01T00:00:01.500000Z'),
			(2, 'm2', 2, 't', 'e', 'applicant', 'inbox', 'queued', '2026-01-01T00:00:03.000000Z', '2026-01-01T00:00:02.000000Z',
			'2026-01-01T00:00:03.000000Z', '', '')`)
		figures := func() []string {
			t.Helper()
			rows, err := db.QueryContext(ctx, `SELECT month, CAST(SUM(accepted) AS BIGINT), CAST(SUM(decided) AS BIGINT), CAST(SUM(on_time) AS BIGINT)
				FROM case_month_figures GROUP BY month ORDER BY month`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var m string
				var a, d, o int64
				if err := rows.Scan(&m, &a, &d, &o); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%s %d %d %d", m, a, d, o))
			}
			return out
		}
		before, kept := readTimes(t, db), figures()
		if want := []string{"2025-08 1 0 0", "2025-11 0 1 0"}; !slices.Equal(kept, want) {
			t.Fatalf("the kept figures before the migration: %q, want %q", kept, want)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		// New connections, as a server has after migrating: PostgreSQL's
		// prepared statements do not survive a change of a result's type.
		db.Close()
		if db, err = store.Open(ctx, dsn); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if after := readTimes(t, db); !reflect.DeepEqual(after, before) {
			t.Fatalf("the times read after the migration:\n%q\nwant those before:\n%q", after, before)
		}
		if !slices.Contains(before, "2||||2026-01-01T00:00:00.000000Z|2026-01-01T00:00:00.000000Z") {
			t.Fatalf("the case not accepted yet reads %q: want empty times", before)
		}
		// The triggers, made again for the new type, count a decision by
		// its month in China and its due date; taking it back uncounts it.
		exec(`UPDATE cases SET decided_at = ?, promised_due = '2026-01-02' WHERE id = 2`, store.Stamp("2026-01-02T15:59:59.000000Z"))
		if got, want := figures(), []string{"2025-08 1 0 0", "2025-11 0 1 0", "2026-01 0 1 1"}; !slices.Equal(got, want) {
			t.Fatalf("the kept figures after deciding case 2: %q, want %q", got, want)
		}
		exec(`UPDATE cases SET decided_at = ? WHERE id = 2`, store.Stamp(""))
		if got, want := figures(), []string{"2025-08 1 0 0", "2025-11 0 1 0", "2026-01 0 0 0"}; !slices.Equal(got, want) {
			t.Fatalf("the kept figures after taking the decision back: %q, want %q", got, want)
		}
		var notYet int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM hall_tickets WHERE `+store.NotYet(db.Dialect(), "called_at")).Scan(&notYet); err != nil || notYet != 1 {
			t.Fatalf("tickets not called yet: %d, %v; want 1", notYet, err)
		}
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE `+store.NotYet(db.Dialect(), "read_at")+
			` AND `+store.Already(db.Dialect(), "created_at")).Scan(&notYet); err != nil || notYet != 1 {
			t.Fatalf("messages not read yet: %d, %v; want 1", notYet, err)
		}
		if db.Dialect() != store.Postgres {
			return
		}
		var zone string
		if err := db.QueryRowContext(ctx, `SELECT current_setting('TimeZone')`).Scan(&zone); err != nil || zone != "Asia/Shanghai" {
			t.Fatalf("the session's time zone is %q (%v), want Asia/Shanghai, as the URL names", zone, err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "old.db")) })
	if base := storetest.PostgresURL(); base != "" {
		t.Run("postgres", func(t *testing.T) { run(t, storetest.NewSchema(t, base)+"&timezone=Asia%2FShanghai") })
	}
	if storetest.CitusURL() != "" {
		t.Run("citus", func(t *testing.T) { run(t, storetest.NewCitusSchema(t)+"&timezone=Asia%2FShanghai") })
	}
}

// TestTimestamptzMigrationRefusesOtherText: a time that is not UTC text
// with microseconds would not read back as it was written; the migration
// refuses it, naming the table and the column, and changes nothing.
func TestTimestamptzMigrationRefusesOtherText(t *testing.T) {
	base := storetest.PostgresURL()
	if base == "" {
		t.Skip("ONEWINDOW_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.NewSchema(t, base))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateTo(ctx, 35); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO hall_tickets (id, point_code, day, category, number, status, source, queued_at, taken_at, finished_at)
		VALUES (1, 'HNZWFW', '2026-01-02', 'A', 'A001', 'done', 'kiosk', '2026-01-01T16:00:00.000000Z', '2026-01-01T16:00:00.000000Z',
		'2026-01-02 00:10:00+08')`); err != nil {
		t.Fatal(err)
	}
	err = db.Migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "hall_tickets.finished_at") {
		t.Fatalf("migrate over a time in another form: %v; want a refusal naming hall_tickets.finished_at", err)
	}
	var typ string
	if err := db.QueryRowContext(ctx, `SELECT data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'cases' AND column_name = 'created_at'`).Scan(&typ); err != nil || typ != "text" {
		t.Fatalf("cases.created_at is %q (%v) after the refused migration, want text still", typ, err)
	}
}

// TestTimestampColumnsAreTimestamptz fails when a timestamp column is left
// text on PostgreSQL: every column named at or *_at is a timestamptz, but
// for the deliberate exceptions of textTimesAllowed. Before migration 36 the
// same query finds the text ones, so that the check is seen to work.
func TestTimestampColumnsAreTimestamptz(t *testing.T) {
	base := storetest.PostgresURL()
	if base == "" {
		t.Skip("ONEWINDOW_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.NewSchema(t, base))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateTo(ctx, 35); err != nil {
		t.Fatal(err)
	}
	if text := textTimes(t, db); !slices.Contains(text, "cases.created_at") || !slices.Contains(text, "notify_deliveries.read_at") {
		t.Fatalf("before migration 36 the text times found are %q: want cases.created_at and notify_deliveries.read_at among them", text)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if text := textTimes(t, db); len(text) > 0 {
		t.Fatalf("timestamp columns left text on PostgreSQL: %s (make them timestamptz, or say in textTimesAllowed why not)", strings.Join(text, ", "))
	}
}

// textTimesAllowed are the columns named at or *_at that stay text on
// PostgreSQL on purpose, with the reason. None today: the days on the
// calendar (due dates, the hall's days, warning days) are civil dates in
// China, not instants, and none is named *_at.
var textTimesAllowed = map[string]string{}

// textTimes lists the columns named at or *_at of the schema that are not
// timestamptz and not allowed to be.
func textTimes(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (column_name = 'at' OR column_name LIKE '%\_at')
		AND data_type <> 'timestamp with time zone' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var text []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		if _, ok := textTimesAllowed[c]; !ok {
			text = append(text, c)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return text
}

// TestPostgresReadsTimestamptzAsStoredText: whatever the session's time
// zone, a timestamptz reads back as store.FormatTime's text, a NULL one as
// "", through a query and through a prepared statement; an empty Stamp is
// written as NULL and another as its time.
func TestPostgresReadsTimestamptzAsStoredText(t *testing.T) {
	base := storetest.PostgresURL()
	if base == "" {
		t.Skip("ONEWINDOW_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.NewSchema(t, base)+"&timezone=Asia%2FShanghai")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const q = `SELECT CAST('2026-01-02T03:04:05.000006Z' AS timestamptz), CAST(NULL AS timestamptz),
		CAST(? AS timestamptz) IS NULL, CAST(? AS timestamptz) + interval '1 hour', to_char(now(), 'TZ')`
	check := func(how string, row *sql.Row) {
		t.Helper()
		var at, none, later, zone string
		var isNull bool
		if err := row.Scan(&at, &none, &isNull, &later, &zone); err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		if at != "2026-01-02T03:04:05.000006Z" || none != "" || !isNull || later != "2026-01-02T04:00:00.000000Z" || zone != "CST" {
			t.Fatalf("%s: read %q, %q, %v, %q in zone %q; want the UTC text, \"\", true, 04:00 UTC, in China's zone", how, at, none, isNull, later, zone)
		}
	}
	check("query", db.QueryRowContext(ctx, q, store.Stamp(""), store.Stamp("2026-01-02T03:00:00.000000Z")))
	stmt, err := db.Reader().PrepareContext(ctx, store.Rebind(db.Dialect(), q))
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	check("prepared statement", stmt.QueryRowContext(ctx, store.Stamp(""), store.Stamp("2026-01-02T03:00:00.000000Z")))
}

// TestPostgresSessionsWorkInUTC: unless the URL names a time zone, the
// sessions work in UTC, whatever the server's default, so that a date
// compared with a timestamptz reads as UTC midnight, as it compared with
// the text.
func TestPostgresSessionsWorkInUTC(t *testing.T) {
	base := storetest.PostgresURL()
	if base == "" {
		t.Skip("ONEWINDOW_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.NewSchema(t, base))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var zone string
	var before bool
	if err := db.QueryRowContext(ctx, `SELECT current_setting('TimeZone'),
		CAST('2026-01-01T23:59:59.999999Z' AS timestamptz) < CAST(? AS timestamptz)`, "2026-01-02").Scan(&zone, &before); err != nil {
		t.Fatal(err)
	}
	if zone != "UTC" || !before {
		t.Fatalf("the session's zone is %q and 23:59:59.999999Z before 2026-01-02 is %v; want UTC and true", zone, before)
	}
}
