package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
)

// Two server processes on one SQLite file: while one holds the write lock
// for longer than a connection's busy timeout (5 s), a write of the other
// waits its turn and succeeds instead of failing with SQLITE_BUSY.
func TestSQLiteWriteWaitsOutAnotherProcessesLock(t *testing.T) {
	if testing.Short() {
		t.Skip("holds a lock for six seconds")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	first, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if err := first.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	second, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()

	locked, release := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		holder <- second.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES ('test.hold', 'user:1', '{}', '2026-11-24T02:00:00.000000Z')`); err != nil {
				return err
			}
			close(locked)
			<-release
			return nil
		})
	}()
	<-locked
	// wall clock: the lock is held past the 5 s busy timeout of SQLite
	// itself, and let go in any case (a failed write must not leave the
	// holder waiting).
	time.AfterFunc(6*time.Second, func() { close(release) })
	err = first.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES ('test.wait', 'user:1', '{}', '2026-11-24T02:00:00.000000Z')`)
		return err
	})
	if err != nil {
		t.Fatalf("a write while another process held the lock for 6 s: %v", err)
	}
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
}
