package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// While the write-ahead log of one batch is being synced, the writer runs
// the next batch; yet no caller is answered, and no AfterCommit function
// runs, before a sync that covers its commit has finished.
func TestGroupCommitRunsTheNextBatchWhileTheLogSyncs(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	syncing := make(chan struct{}, 8)
	gate := make(chan struct{})
	db.SetWALSync(func() error {
		syncing <- struct{}{}
		<-gate
		return nil
	})
	var afterA atomic.Bool
	doneA, doneB := make(chan error, 1), make(chan error, 1)
	go func() {
		doneA <- db.InTx(ctx, func(tx *store.Tx) error {
			tx.AfterCommit(func() { afterA.Store(true) })
			_, err := tx.ExecContext(ctx, insertOutbox, "sync-a", "r", "{}", "now")
			return err
		})
	}()
	waitFor(t, syncing, "the sync of the first commit")

	ranB := make(chan struct{})
	go func() {
		doneB <- db.InTx(ctx, func(tx *store.Tx) error {
			close(ranB)
			_, err := tx.ExecContext(ctx, insertOutbox, "sync-b", "r", "{}", "now")
			return err
		})
	}()
	waitFor(t, ranB, "the next transaction to run while the log syncs")
	// Both are committed (a reader sees them) but not yet answered.
	for deadline := time.Now().Add(5 * time.Second); countTopic(t, db, "sync-%") < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the second transaction did not commit while the first one's sync ran")
		}
	}
	select {
	case err := <-doneA:
		t.Fatalf("the first caller was answered (%v) before its commit was synced", err)
	case err := <-doneB:
		t.Fatalf("the second caller was answered (%v) before its commit was synced", err)
	default:
	}
	if afterA.Load() {
		t.Error("AfterCommit ran before the commit was synced")
	}
	close(gate)
	for _, done := range []chan error{doneA, doneB} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if !afterA.Load() {
		t.Error("AfterCommit did not run once the commit was synced")
	}
}

// A failed sync leaves the outcome of the commits it should have made
// durable unknown: their callers are told so, never that they succeeded.
func TestGroupCommitReportsAFailedSync(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	db.SetWALSync(func() error { return errors.New("disk gone") })
	var ran atomic.Bool
	err := db.InTx(ctx, func(tx *store.Tx) error {
		tx.AfterCommit(func() { ran.Store(true) })
		_, err := tx.ExecContext(ctx, insertOutbox, "unsynced", "r", "{}", "now")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("a write whose sync failed: %v, want the sync's error", err)
	}
	if ran.Load() {
		t.Error("AfterCommit ran although the sync failed")
	}
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("waited 10 s for %s", what)
	}
}

// The log the store syncs is the one SQLite writes: a write leaves it
// there, holding the commit, so the sync is not skipped as for a log
// already folded into the database.
func TestTheSyncedLogIsSQLitesOwn(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	before := walSize(t, db)
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, insertOutbox, "wal", "r", strings.Repeat("x", 10_000), "now")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if after := walSize(t, db); after <= before {
		t.Errorf("the log at %s grew from %d to %d bytes with a 10 kB write", db.WALPath(), before, after)
	}
}

func walSize(t *testing.T, db *store.DB) int64 {
	t.Helper()
	st, err := os.Stat(db.WALPath())
	if err != nil {
		t.Fatalf("the write-ahead log: %v", err)
	}
	return st.Size()
}
