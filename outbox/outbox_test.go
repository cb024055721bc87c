package outbox_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestAddWritesOneMessagePerRecipientInTheTransaction(t *testing.T) {
	check := func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := outbox.Add(ctx, tx, now, "case.accepted", map[string]any{"case": "N1"}, outbox.User(7), outbox.Phone("13800138000")); err != nil {
				return err
			}
			return outbox.Add(ctx, tx, now, "case.raw", json.RawMessage(`{"case":"N2"}`), "role:admin")
		})
		if err != nil {
			t.Fatal(err)
		}
		// A transaction that fails leaves no message behind.
		_ = db.InTx(ctx, func(tx *store.Tx) error {
			if err := outbox.Add(ctx, tx, now, "case.lost", map[string]any{}, outbox.User(8)); err != nil {
				return err
			}
			return context.Canceled
		})
		rows, err := db.QueryContext(ctx, `SELECT topic, recipient, payload FROM outbox ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got [][3]string
		for rows.Next() {
			var r [3]string
			if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		want := [][3]string{
			{"case.accepted", "user:7", `{"case":"N1"}`},
			{"case.accepted", "phone:13800138000", `{"case":"N1"}`},
			{"case.raw", "role:admin", `{"case":"N2"}`},
		}
		if len(got) != len(want) {
			t.Fatalf("outbox = %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("row %d = %v, want %v", i, got[i], want[i])
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { check(t, storetest.SQLite(t)) })
	for _, s := range storetest.Servers() {
		t.Run(s.Name, func(t *testing.T) {
			db, _ := s.Open(t)
			check(t, db)
		})
	}
}
