package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// AfterCommit functions run for the transactions that committed and for
// no other: on SQLite inside a shared commit, where the failing ones are
// rolled back to their savepoints, and on PostgreSQL alone.
func TestAfterCommitRunsOnlyForCommittedWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		engine := string(db.Dialect())
		okBefore := metrics.Value("onewindow_db_transaction_seconds", "engine", engine, "outcome", "ok")
		errBefore := metrics.Value("onewindow_db_transaction_seconds", "engine", engine, "outcome", "error")
		batchesBefore := metrics.Value("onewindow_db_group_commit_batch_size")
		var release func()
		if db.Dialect() == store.SQLite {
			release = holdWriter(t, db)
		}
		const n = 12
		var ran atomic.Int64
		ranFor := make([]atomic.Bool, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					tx.AfterCommit(func() { ran.Add(1); ranFor[i].Store(true) })
					if _, err := tx.ExecContext(ctx, insertOutbox, fmt.Sprintf("after-%d", i), "r", "{}", "now"); err != nil {
						return err
					}
					if i%4 == 0 {
						return errors.New("refused")
					}
					return nil
				})
				if (err != nil) != (i%4 == 0) {
					t.Errorf("transaction %d: %v", i, err)
				}
			})
		}
		if release != nil {
			waitQueued(t, db, n)
			release()
		}
		wg.Wait()
		if got := ran.Load(); got != n-n/4 {
			t.Errorf("AfterCommit ran %d times, want %d", got, n-n/4)
		}
		for i := range n {
			if ranFor[i].Load() == (i%4 == 0) {
				t.Errorf("transaction %d: AfterCommit ran %v", i, ranFor[i].Load())
			}
		}
		if got := countTopic(t, db, "after-%"); got != n-n/4 {
			t.Errorf("%d rows committed, want %d", got, n-n/4)
		}
		// Every transaction is timed, by its outcome; SQLite's shared commits
		// are counted by their size.
		extra := 0.0
		if release != nil {
			extra = 1 // the holding transaction
		}
		if got := metrics.Value("onewindow_db_transaction_seconds", "engine", engine, "outcome", "ok") - okBefore; got != n-n/4+extra {
			t.Errorf("%v transactions timed as ok, want %v", got, n-n/4+extra)
		}
		if got := metrics.Value("onewindow_db_transaction_seconds", "engine", engine, "outcome", "error") - errBefore; got != n/4 {
			t.Errorf("%v transactions timed as failed, want %d", got, n/4)
		}
		batches := metrics.Value("onewindow_db_group_commit_batch_size") - batchesBefore
		if db.Dialect() == store.SQLite && (batches < 2 || batches > n) {
			t.Errorf("%v group commits for %d queued transactions behind one", batches, n)
		}
		if db.Dialect() == store.Postgres && batches != 0 {
			t.Errorf("%v group commits on PostgreSQL", batches)
		}
	})
}
