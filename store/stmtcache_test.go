package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// On SQLite the same query text can run again while rows of it are still
// open in the same transaction (PostgreSQL's driver allows no second query
// while rows are open); a kept statement runs one execution at a time, so
// the nested one must run apart from it and both must read the right rows.
func TestSameQueryNestedInATransaction(t *testing.T) {
	{
		db := storetest.SQLite(t)
		ctx := context.Background()
		const q = `SELECT id, topic FROM outbox WHERE id >= ? ORDER BY id`
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := range 3 {
				if _, err := tx.ExecContext(ctx, insertOutbox, fmt.Sprint("t", i), "r", "{}", "2024-06-03T09:00:00.000000Z"); err != nil {
					return err
				}
			}
			rows, err := tx.QueryContext(ctx, q, 0)
			if err != nil {
				return err
			}
			defer rows.Close()
			var outer []string
			for rows.Next() {
				var id int64
				var topic string
				if err := rows.Scan(&id, &topic); err != nil {
					return err
				}
				outer = append(outer, topic)
				// The same text, with the outer rows still open.
				var innerID int64
				var innerTopic string
				if err := tx.QueryRowContext(ctx, q, id).Scan(&innerID, &innerTopic); err != nil {
					return fmt.Errorf("nested query: %w", err)
				}
				if innerID != id || innerTopic != topic {
					return fmt.Errorf("nested query read %d %s, want %d %s", innerID, innerTopic, id, topic)
				}
				if _, err := tx.ExecContext(ctx, `UPDATE outbox SET recipient = ? WHERE id = ?`, "seen", id); err != nil {
					return fmt.Errorf("update while reading: %w", err)
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if fmt.Sprint(outer) != "[t0 t1 t2]" {
				return fmt.Errorf("outer query read %v, want [t0 t1 t2]", outer)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Once the rows are closed the statement serves again.
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE recipient = ?`, "seen").Scan(&n); err != nil || n != 3 {
			t.Fatalf("count = %d, %v; want 3", n, err)
		}
	}
}

// Connections that the pool closes and opens again (lifetime, idle limits)
// take their statements with them; queries keep working on the new ones.
func TestStatementsSurviveRecycledConnections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Reader().SetConnMaxLifetime(time.Millisecond)
		db.Reader().SetMaxIdleConns(1)
		before := db.Reader().Stats().MaxLifetimeClosed
		for i := range 20 {
			if _, err := db.ExecContext(ctx, insertOutbox, fmt.Sprint("t", i), "r", "{}", "2024-06-03T09:00:00.000000Z"); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE topic LIKE ?`, "t%").Scan(&n); err != nil {
				t.Fatalf("read %d: %v", i, err)
			}
			if n != i+1 {
				t.Fatalf("read %d: count %d, want %d", i, n, i+1)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if closed := db.Reader().Stats().MaxLifetimeClosed - before; closed == 0 {
			t.Fatal("no reader connection was recycled; the test did not test anything")
		}
	})
}

// A statement kept from before a schema change still runs, against the new
// schema (SQLite prepares it again by itself).
func TestKeptStatementFollowsSchemaChanges(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t_schema (a INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO t_schema (a) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	columns := func() int {
		rows, err := db.QueryContext(ctx, `SELECT * FROM t_schema`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(cols)
	}
	if n := columns(); n != 1 {
		t.Fatalf("%d columns, want 1", n)
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE t_schema ADD COLUMN b TEXT NOT NULL DEFAULT ''`); err != nil {
		t.Fatal(err)
	}
	if n := columns(); n != 2 {
		t.Fatalf("%d columns after ALTER TABLE, want 2", n)
	}
}

// A statement that cannot be prepared reports its error, every time.
func TestBadStatementReportsItsError(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "bad.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		var n int
		if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM no_such_table`).Scan(&n); err == nil {
			t.Fatal("a query on a missing table succeeded")
		}
	}
}
