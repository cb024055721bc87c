package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// addOutboxRow writes one row in its own transaction and returns its id: a
// stand-in for an acknowledged change.
func addOutboxRow(t *testing.T, db *store.DB, n int) int64 {
	t.Helper()
	id, err := insertOutboxRow(db, n)
	if err != nil {
		t.Fatalf("insert: %v", err)
	}
	return id
}

func insertOutboxRow(db *store.DB, n int) (int64, error) {
	var id int64
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRowContext(context.Background(), `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			"backup.test", "nobody", strings.Repeat("x", n%50), "2026-01-01T00:00:00.000000Z").Scan(&id)
	})
	return id, err
}

func outboxIDs(t *testing.T, path string) map[int64]bool {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), `SELECT id FROM outbox WHERE topic = 'backup.test'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// A backup taken while writers run holds every row committed before it
// started, and restores into a database that opens and migrates.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	dir := t.TempDir()
	var before []int64
	for i := range 50 {
		before = append(before, addOutboxRow(t, db, i))
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var during atomic.Int64
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				if _, err := insertOutboxRow(db, w*1000+i); err != nil {
					t.Errorf("insert during the backup: %v", err)
					return
				}
				during.Add(1)
			}
		}()
	}
	backup := filepath.Join(dir, "copy.db")
	err := db.Backup(ctx, backup)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if _, err := os.Stat(backup + "-wal"); err == nil {
		t.Error("the backup left a -wal file: it is not self-contained")
	}

	target := filepath.Join(dir, "restored.db")
	if err := store.Restore(ctx, backup, target, false); err != nil {
		t.Fatalf("restore into a new file: %v", err)
	}
	got := outboxIDs(t, target)
	for _, id := range before {
		if !got[id] {
			t.Fatalf("row %d, committed before the backup, is missing from the restored copy", id)
		}
	}
	restored, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.Migrate(ctx); err != nil {
		t.Fatalf("the restored database does not migrate: %v", err)
	}
	t.Logf("%d rows written during the backup", during.Load())
}

func TestBackupAndRestoreRefusals(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := db.Backup(ctx, good); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 100), 0o600)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	{
		other, err := store.Open(ctx, foreign)
		if err != nil {
			t.Fatal(err)
		}
		other.ExecContext(ctx, `CREATE TABLE something_else (x INTEGER)`)
		other.Close()
	}
	occupied := filepath.Join(dir, "occupied.db")
	if err := store.Restore(ctx, good, occupied, false); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		run     func() error
		wantErr string
	}{
		{"backup over an existing file", func() error { return db.Backup(ctx, good) }, "already exists"},
		{"restore from a file that is not a database", func() error { return store.Restore(ctx, garbage, filepath.Join(dir, "a.db"), false) }, "not an SQLite database"},
		{"restore from an empty file", func() error { return store.Restore(ctx, empty, filepath.Join(dir, "b.db"), false) }, "not a backup file"},
		{"restore from another application's database", func() error { return store.Restore(ctx, foreign, filepath.Join(dir, "c.db"), false) }, "not a onewindow database"},
		{"restore from a missing file", func() error {
			return store.Restore(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "d.db"), false)
		}, "no such file"},
		{"restore over a database with tables", func() error { return store.Restore(ctx, good, occupied, false) }, "not empty"},
		{"restore into PostgreSQL", func() error { return store.Restore(ctx, good, "postgres://127.0.0.1/x", true) }, "pg_restore"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	if err := store.Restore(ctx, good, occupied, false); !errors.Is(err, store.ErrNotEmpty) {
		t.Fatalf("restore over an occupied database: %v, want ErrNotEmpty", err)
	}
	if err := store.Restore(ctx, good, occupied, true); err != nil {
		t.Fatalf("restore with force: %v", err)
	}
}
