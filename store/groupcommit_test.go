package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

const insertOutbox = `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`

// holdWriter starts a write transaction that waits until the returned
// release is called, so that the transactions started meanwhile queue up
// and then run as one batch.
func holdWriter(t *testing.T, db *store.DB) (release func()) {
	t.Helper()
	ctx := context.Background()
	started := make(chan struct{})
	hold := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.InTx(ctx, func(tx *store.Tx) error {
			close(started)
			<-hold
			_, err := tx.ExecContext(ctx, insertOutbox, "hold", "r", "{}", "now")
			return err
		})
	}()
	<-started
	return func() {
		close(hold)
		if err := <-done; err != nil {
			t.Errorf("holding transaction: %v", err)
		}
	}
}

// waitQueued waits until n transactions are queued behind the writer.
func waitQueued(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := 0; db.QueuedWrites() < n; i++ {
		if i > 5000 {
			t.Fatalf("%d transactions queued, want %d", db.QueuedWrites(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func countTopic(t *testing.T, db *store.DB, topic string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM outbox WHERE topic LIKE ?`, topic).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGroupCommitSharesOneCommitAndKeepsOutcomesApart(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	b0, t0 := db.GroupCommitStats()
	release := holdWriter(t, db)

	const n = 30
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, insertOutbox, fmt.Sprintf("batch-%d", i), "r", "{}", "now"); err != nil {
					return err
				}
				if i%3 == 0 {
					return fmt.Errorf("refused %d", i)
				}
				return nil
			})
		}(i)
	}
	waitQueued(t, db, n)
	release()
	wg.Wait()

	for i, err := range errs {
		if i%3 == 0 {
			if err == nil || err.Error() != fmt.Sprintf("refused %d", i) {
				t.Errorf("transaction %d returned %v, want its own error", i, err)
			}
		} else if err != nil {
			t.Errorf("transaction %d returned %v", i, err)
		}
	}
	if got, want := countTopic(t, db, "batch-%"), n-n/3; got != want {
		t.Errorf("%d rows committed, want %d (the refused ones rolled back, the others kept)", got, want)
	}
	for i := 0; i < n; i += 3 {
		if countTopic(t, db, fmt.Sprintf("batch-%d", i)) != 0 {
			t.Errorf("refused transaction %d left its row", i)
		}
	}
	b1, t1 := db.GroupCommitStats()
	if b1-b0 != 2 || t1-t0 != n+1 {
		t.Errorf("ran %d batches of %d transactions, want 2 batches (the held one, then the %d queued together) of %d",
			b1-b0, t1-t0, n, n+1)
	}
}

func TestGroupCommitPanicReachesOnlyItsCaller(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	release := holdWriter(t, db)

	var wg sync.WaitGroup
	var recovered any
	var goodErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer func() { recovered = recover() }()
		db.InTx(ctx, func(tx *store.Tx) error {
			tx.ExecContext(ctx, insertOutbox, "panic", "r", "{}", "now")
			panic("boom")
		})
	}()
	go func() {
		defer wg.Done()
		goodErr = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, insertOutbox, "good", "r", "{}", "now")
			return err
		})
	}()
	waitQueued(t, db, 2)
	release()
	wg.Wait()
	if recovered != "boom" {
		t.Errorf("the panicking caller recovered %v, want boom", recovered)
	}
	if goodErr != nil {
		t.Errorf("the other transaction returned %v", goodErr)
	}
	if countTopic(t, db, "panic") != 0 || countTopic(t, db, "good") != 1 {
		t.Errorf("panic rows %d (want 0), good rows %d (want 1)", countTopic(t, db, "panic"), countTopic(t, db, "good"))
	}
}

func TestGroupCommitBrokenBatchRunsEachAlone(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	release := holdWriter(t, db)

	errs := make([]error, 6)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = db.InTx(ctx, func(tx *store.Tx) error {
				if i == 2 {
					// Ends the shared transaction behind the batch's back.
					_, err := tx.ExecContext(ctx, `ROLLBACK`)
					return err
				}
				_, err := tx.ExecContext(ctx, insertOutbox, fmt.Sprintf("alone-%d", i), "r", "{}", "now")
				return err
			})
		}(i)
	}
	waitQueued(t, db, len(errs))
	release()
	wg.Wait()
	for i, err := range errs {
		if i == 2 {
			if err == nil {
				t.Errorf("the transaction that rolled back reported success")
			}
			continue
		}
		if err != nil {
			t.Errorf("transaction %d returned %v", i, err)
		}
		if countTopic(t, db, fmt.Sprintf("alone-%d", i)) != 1 {
			t.Errorf("transaction %d reported success but its row is missing", i)
		}
	}
}

func TestGroupCommitCancellation(t *testing.T) {
	db := storetest.SQLite(t)
	release := holdWriter(t, db)

	// Cancelled while waiting: answered with the context's error, nothing written.
	waiting, cancelWaiting := context.WithCancel(context.Background())
	waitErr := make(chan error, 1)
	go func() {
		waitErr <- db.InTx(waiting, func(tx *store.Tx) error {
			_, err := tx.ExecContext(waiting, insertOutbox, "cancelled", "r", "{}", "now")
			return err
		})
	}()
	waitQueued(t, db, 1)
	cancelWaiting()
	release()
	if err := <-waitErr; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled transaction returned %v, want context.Canceled", err)
	}
	if countTopic(t, db, "cancelled") != 0 {
		t.Error("a transaction cancelled before it started wrote its row")
	}

	// Cancelled once started: it runs to its end and commits.
	running, cancelRunning := context.WithCancel(context.Background())
	err := db.InTx(running, func(tx *store.Tx) error {
		cancelRunning()
		_, err := tx.ExecContext(running, insertOutbox, "started", "r", "{}", "now")
		return err
	})
	if err != nil || countTopic(t, db, "started") != 1 {
		t.Errorf("a started transaction whose caller gave up returned %v and wrote %d rows, want nil and 1",
			err, countTopic(t, db, "started"))
	}
}

func TestGroupCommitCloseAnswersQueuedWrites(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	release := holdWriter(t, db)
	errs := make(chan error, 5)
	for i := 0; i < 5; i++ {
		go func(i int) {
			errs <- db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, insertOutbox, fmt.Sprintf("closing-%d", i), "r", "{}", "now")
				return err
			})
		}(i)
	}
	waitQueued(t, db, 5)
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	release()
	for i := 0; i < 5; i++ {
		if err := <-errs; err != nil {
			t.Errorf("queued transaction returned %v on close", err)
		}
	}
	if err := <-closed; err != nil {
		t.Errorf("close: %v", err)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return nil }); err == nil {
		t.Error("a transaction after Close reported success")
	}
}

// Transactions that read through the pool while they hold a connection (as
// a case action looking up its catalogue version does) must not starve each
// other on PostgreSQL, where reads and writes share the pool: with more of
// them at once than the pool has connections, every one still completes,
// with the default pool and with the smallest ones (--db-pool 2 and 3, one
// connection kept for reads).
func TestTransactionsReadingThroughThePoolDoNotStarve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		readThroughThePool(t, db, "starve")
	})
	for _, s := range storetest.Servers() {
		for _, pool := range []int{store.MinPool, 3} {
			t.Run(fmt.Sprintf("%s/pool-%d", s.Name, pool), func(t *testing.T) {
				_, dsn := s.Open(t)
				db, err := store.OpenWith(context.Background(), dsn, store.Options{Pool: pool})
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if got := db.Writer().Stats().MaxOpenConnections; got != pool {
					t.Fatalf("the pool holds at most %d connections, want %d", got, pool)
				}
				readThroughThePool(t, db, fmt.Sprintf("pool%d", pool))
			})
		}
	}
}

// readThroughThePool runs more transactions at once than a pool has
// connections, each writing, then reading through the pool while it holds
// its own connection, and checks that every one committed.
func readThroughThePool(t *testing.T, db *store.DB, topic string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const n = 80 // more than the PostgreSQL pool's connections
	if pool := db.Writer().Stats().MaxOpenConnections; db.Dialect() == store.Postgres && pool >= n {
		t.Fatalf("a pool of %d connections: the test needs more transactions than that", pool)
	}
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			errs <- db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, insertOutbox, fmt.Sprintf("%s-%d", topic, i), "r", "{}", "now"); err != nil {
					return err
				}
				// Let every transaction that can start hold its connection
				// before any of them reads through the pool.
				time.Sleep(20 * time.Millisecond)
				var one int
				return db.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
			})
		}(i)
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("transaction failed (the pool starved?): %v", err)
		}
	}
	if got := countTopic(t, db, topic+"-%"); got != n {
		t.Errorf("%d transactions committed, want %d", got, n)
	}
}

// Every pool size the setting takes keeps a connection for reads and one
// for transactions; sizes outside it are refused before connecting.
func TestPoolSizeAndReadReserve(t *testing.T) {
	for n := store.MinPool; n <= store.MaxPool; n++ {
		if r := store.ReadReserve(n); r < 1 || n-r < 1 {
			t.Fatalf("pool %d: %d kept for reads, %d for transactions", n, r, n-r)
		}
	}
	if r := store.ReadReserve(32); r != 8 {
		t.Errorf("pool 32 keeps %d for reads, want 8 (a quarter)", r)
	}
	for _, n := range []int{-1, 1, store.MaxPool + 1} {
		if err := store.CheckPool(n); err == nil {
			t.Errorf("pool %d accepted", n)
		}
		// An unreachable address: the size is refused before any connection.
		_, err := store.OpenWith(context.Background(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1", store.Options{Pool: n})
		if err == nil || !strings.Contains(err.Error(), "pool") {
			t.Errorf("pool %d: open answered %v, want a refusal naming the pool", n, err)
		}
	}
	if d := store.DefaultPool(); store.CheckPool(d) != nil || d < 8 {
		t.Errorf("default pool %d", d)
	}
	// SQLite has no such pool: the option is ignored there.
	db, err := store.OpenWith(context.Background(), t.TempDir()+"/x.db", store.Options{Pool: 2})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
