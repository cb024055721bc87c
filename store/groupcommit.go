package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/onewindow/onewindow/metrics"
)

// groupCommit runs the write transactions of a SQLite database in batches:
// while one batch commits (a durable commit waits for the disk), the
// transactions that arrive queue up and then run one after another inside a
// single transaction, each under its own savepoint, and share one commit.
// A transaction whose function fails is rolled back to its savepoint and
// leaves the others untouched; each caller learns its own outcome only after
// the shared commit, so nothing is acknowledged before it is durable.
//
// SQLite has one writer at a time, so the batch costs no concurrency; it
// saves a commit (and its fsync) per transaction. PostgreSQL commits
// concurrent transactions in parallel and groups their WAL flushes itself,
// so it does not use this.
//
// The commit does not wait for the disk: the writer connection commits with
// synchronous=NORMAL (the transaction's pages written to the write-ahead
// log, not yet synced), and a second goroutine (syncLoop) syncs the log and
// only then answers the batch's callers and runs their AfterCommit
// functions. Meanwhile the writer runs the next batch: the disk's sync and
// the next transactions' work overlap, where before the writer waited for
// each sync. One sync of the log makes every commit written before it
// durable, so batches committed while a sync runs share the next one.
type groupCommit struct {
	db       *DB
	requests chan *writeRequest
	quit     chan struct{}
	stopped  chan struct{}
	maxBatch int

	// toSync takes the committed batches to syncLoop, in commit order.
	toSync chan []pendingAnswer
	// sync makes the commits written so far durable (DB.syncWAL; tests
	// replace it).
	sync func() error

	// batches and transactions count what ran, for the tests.
	batches      atomic.Int64
	transactions atomic.Int64
}

type writeRequest struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan writeResult
}

type writeResult struct {
	err      error
	panicked bool
	panicVal any
}

// pendingAnswer is a request's outcome waiting for the sync of its commit;
// tx is the committed transaction whose AfterCommit functions then run (nil
// when nothing was committed).
type pendingAnswer struct {
	req *writeRequest
	res writeResult
	tx  *Tx
}

// savepoint is the name every transaction of a batch runs under; savepoints
// nest by name, and each is released before the next one starts.
const savepoint = "group_write"

func newGroupCommit(db *DB, maxBatch int) *groupCommit {
	g := &groupCommit{
		db:       db,
		requests: make(chan *writeRequest, 1024),
		quit:     make(chan struct{}),
		stopped:  make(chan struct{}),
		maxBatch: maxBatch,
		toSync:   make(chan []pendingAnswer, 64),
		sync:     db.syncWAL,
	}
	go g.loop()
	return g
}

// errClosed answers the transactions that arrive after Close.
var errClosed = errors.New("store: database closed")

// do queues fn and waits for its outcome. A panic in fn is raised again in
// the caller's goroutine, as if fn had run there.
func (g *groupCommit) do(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-g.quit:
		return errClosed
	default:
	}
	req := &writeRequest{ctx: ctx, fn: fn, done: make(chan writeResult, 1)}
	select {
	case g.requests <- req:
	case <-g.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the transaction runs to its end even if the caller gives
	// up: the outcome must be waited for, or a caller could report failure
	// for a case that was in fact committed.
	var res writeResult
	select {
	case res = <-req.done:
	case <-g.stopped:
		// The loop has stopped: either it answered before stopping (the
		// answer is buffered) or the request came after its last drain.
		select {
		case res = <-req.done:
		default:
			return errClosed
		}
	}
	if res.panicked {
		panic(res.panicVal)
	}
	return res.err
}

// close stops the loop after the transactions already queued have run.
func (g *groupCommit) close() {
	select {
	case <-g.quit:
	default:
		close(g.quit)
	}
	<-g.stopped
}

func (g *groupCommit) loop() {
	syncDone := make(chan struct{})
	go g.syncLoop(syncDone)
	defer func() {
		close(g.toSync)
		<-syncDone
		close(g.stopped)
	}()
	batch := make([]*writeRequest, 0, g.maxBatch)
	for {
		var first *writeRequest
		select {
		case first = <-g.requests:
		case <-g.quit:
			// Answer what is still queued, then stop.
			for {
				select {
				case r := <-g.requests:
					g.toSync <- g.runBatch([]*writeRequest{r})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	gather:
		for len(batch) < g.maxBatch {
			select {
			case r := <-g.requests:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		g.toSync <- g.runBatch(batch)
	}
}

// syncLoop answers the committed batches once the write-ahead log holding
// them is synced: it takes every batch committed by then, syncs once, runs
// their AfterCommit functions and answers their callers. If the sync fails,
// the outcome of those commits is unknown, and their callers are told it
// failed; nobody is told a write succeeded before it is durable.
func (g *groupCommit) syncLoop(done chan<- struct{}) {
	defer close(done)
	var pending []pendingAnswer
	for batch := range g.toSync {
		pending = append(pending[:0], batch...)
	more:
		for {
			select {
			case b, ok := <-g.toSync:
				if !ok {
					break more
				}
				pending = append(pending, b...)
			default:
				break more
			}
		}
		var err error
		for _, p := range pending {
			if p.tx != nil {
				err = g.sync()
				break
			}
		}
		for _, p := range pending {
			res := p.res
			if p.tx != nil {
				if err != nil {
					res = writeResult{err: fmt.Errorf("store: sync the committed write: %w", err)}
				} else {
					p.tx.committed()
				}
			}
			p.req.done <- res
		}
		clear(pending)
	}
}

// runBatch runs the requests in one transaction. If the transaction itself
// breaks (a savepoint cannot be rolled back, the commit fails after a
// function ended the transaction), nothing of it was committed, and each
// request is run again on its own, so that one bad transaction does not fail
// the others.
func (g *groupCommit) runBatch(batch []*writeRequest) []pendingAnswer {
	out := make([]pendingAnswer, 0, len(batch))
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			out = append(out, pendingAnswer{req: r, res: writeResult{err: err}})
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return out
	}
	metrics.Observe("onewindow_db_group_commit_batch_size", float64(len(live)))
	if len(live) == 1 {
		return append(out, g.runAlone(live[0]))
	}
	results, err := g.runTogether(live)
	if err != nil {
		for _, r := range live {
			out = append(out, g.runAlone(r))
		}
		return out
	}
	return append(out, results...)
}

// runAlone is an ordinary transaction: begin, fn, commit.
func (g *groupCommit) runAlone(r *writeRequest) pendingAnswer {
	g.batches.Add(1)
	g.transactions.Add(1)
	sqlTx, err := g.begin(context.Background())
	if err != nil {
		return pendingAnswer{req: r, res: writeResult{err: fmt.Errorf("store: begin: %w", err)}}
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, dialect: g.db.dialect, detached: true}
	res := call(r.fn, tx)
	if res.err != nil || res.panicked {
		return pendingAnswer{req: r, res: res}
	}
	if err := sqlTx.Commit(); err != nil {
		return pendingAnswer{req: r, res: writeResult{err: fmt.Errorf("store: commit: %w", err)}}
	}
	return pendingAnswer{req: r, tx: tx}
}

// runTogether runs every request under its own savepoint in one
// transaction and commits once. An error means the transaction as a whole
// failed and nothing of it was committed.
func (g *groupCommit) runTogether(reqs []*writeRequest) ([]pendingAnswer, error) {
	ctx := context.Background()
	sqlTx, err := g.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	defer sqlTx.Rollback()
	// One Tx per request, sharing the transaction: each keeps its own
	// AfterCommit functions, dropped if its savepoint is rolled back.
	out := make([]pendingAnswer, len(reqs))
	for i, r := range reqs {
		if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT "+savepoint); err != nil {
			return nil, err
		}
		tx := &Tx{tx: sqlTx, dialect: g.db.dialect, detached: true}
		out[i] = pendingAnswer{req: r, res: call(r.fn, tx)}
		if out[i].res.err != nil || out[i].res.panicked {
			if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO "+savepoint); err != nil {
				return nil, err
			}
		} else {
			out[i].tx = tx
		}
		if _, err := sqlTx.ExecContext(ctx, "RELEASE "+savepoint); err != nil {
			return nil, err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return nil, fmt.Errorf("store: commit: %w", err)
	}
	g.batches.Add(1)
	g.transactions.Add(int64(len(reqs)))
	return out, nil
}

// beginAttempts is how many times a write transaction tries to begin while
// another process holds the database file's write lock. Each try waits up
// to the connection's busy_timeout (5 s) first, so several server processes
// sharing one SQLite file, each committing in groups, wait their turn
// instead of failing a request when one of them holds the lock for longer
// on a loaded machine. Nothing has been done when BEGIN fails, so trying
// again is safe.
const beginAttempts = 4

func (g *groupCommit) begin(ctx context.Context) (*sql.Tx, error) {
	var err error
	for range beginAttempts {
		var tx *sql.Tx
		if tx, err = g.db.write.BeginTx(ctx, nil); err == nil || !isBusy(err) {
			return tx, err
		}
	}
	return nil, err
}

// isBusy reports SQLite's SQLITE_BUSY: another connection holds the lock.
func isBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}

// call runs fn and turns a panic into a result, so that the batch goes on
// and the panic is raised again in the caller's goroutine.
func call(fn func(*Tx) error, tx *Tx) (res writeResult) {
	defer func() {
		if v := recover(); v != nil {
			res = writeResult{panicked: true, panicVal: v}
		}
	}()
	return writeResult{err: fn(tx)}
}
