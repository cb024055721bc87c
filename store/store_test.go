package store_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
	}
	for _, c := range cases {
		if got := store.Rebind(store.Postgres, c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := store.Rebind(store.SQLite, c.in); got != c.in {
			t.Errorf("sqlite Rebind changed %q to %q", c.in, got)
		}
	}
}

func TestTxCommitAndRollback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`, "t", "r", "{}", "2026-01-01T00:00:00.000000Z")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		boom := context.Canceled
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`, "t2", "r", "{}", "2026-01-01T00:00:00.000000Z"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("InTx returned %v, want the callback's error", err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("outbox has %d rows, want 1 (the rolled-back insert must be gone)", n)
		}
		// Unique violations are recognised on both engines.
		_, err = db.ExecContext(ctx, `INSERT INTO service_points (code, name, level, kind, created_at) VALUES ('P1','p',4,'hall','2026-01-01T00:00:00.000000Z')`)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ExecContext(ctx, `INSERT INTO service_points (code, name, level, kind, created_at) VALUES ('P1','p',4,'hall','2026-01-01T00:00:00.000000Z')`)
		if !store.IsUniqueViolation(err) {
			t.Fatalf("second insert: %v, want a unique violation", err)
		}
	})
}
