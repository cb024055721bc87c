// Package store opens the SQL database (SQLite embedded, or PostgreSQL), runs
// the embedded migrations and runs write transactions. Every other package
// writes its own SQL with "?" placeholders; Rebind adapts them for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/onewindow/onewindow/metrics"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Querier is what both a DB and a Tx offer, so that read helpers can run
// inside or outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

// DB is an open database. On SQLite it holds one writer connection (SQLite
// allows one writer at a time; queuing in Go is cheaper than busy retries) and
// a pool of read-only connections; on PostgreSQL both are the same pool.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect Dialect
	// group batches the write transactions of SQLite (groupcommit.go); nil
	// on PostgreSQL.
	group *groupCommit
	// txSlots bounds the transactions open at once on PostgreSQL, where
	// reads and writes share one pool: a transaction that reads through the
	// pool (a catalogue lookup inside a case action) needs a second
	// connection, and if transactions held every connection they would all
	// wait for one another. The slots keep ReadReserve(pool) connections
	// for such reads. Nil on SQLite, whose readers have a pool of their own.
	txSlots chan struct{}
	// Location is where the data lives, for messages: a file path or a
	// PostgreSQL URL without its password.
	Location string
	// dsn is the PostgreSQL URL the pool was opened with: the migrations
	// on a Citus coordinator open a pool of their own from it (citus.go).
	dsn string
	// unwatch stops serving the pools' statistics on /metrics.
	unwatch []func()
	// wal is the SQLite write-ahead log's path, synced by syncWAL.
	wal string
}

// syncWAL makes every commit written so far durable on SQLite, whose writer
// commits without syncing (writerSync): one fsync of the write-ahead log
// covers all the commits written to it before. The log is opened anew each
// time, so that a log SQLite removed and made again is the one synced; a
// missing log was checkpointed into the database and removed when the last
// connection closed, and SQLite synced the database then.
func (db *DB) syncWAL() error {
	if db.dialect != SQLite {
		return nil
	}
	f, err := os.OpenFile(db.wal, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// IsPostgresDSN reports whether dsn names a PostgreSQL server.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL, or a SQLite file
// path (optionally prefixed with "sqlite:"). The SQLite file and its folder are
// created when missing.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenWith(ctx, dsn, Options{})
}

// Options tune how a database is opened; the zero value takes the defaults.
type Options struct {
	// Pool is the PostgreSQL connections of this process, between MinPool
	// and MaxPool; 0 is DefaultPool(). SQLite ignores it: one writer and
	// eight read-only connections.
	Pool int
}

// The bounds of Options.Pool: a transaction needs a connection and a read
// through the pool another (ReadReserve), so two is the least that works;
// PostgreSQL itself allows 100 by default, and far fewer serve one
// process best (docs/PERFORMANCE.md, "Pool size").
const (
	MinPool = 2
	MaxPool = 500
)

// DefaultPool is the PostgreSQL pool of a process that sets none: four
// connections per CPU Go runs on (GOMAXPROCS), at least 8. Each connection
// is a backend process of the server; more of them than can run only
// queue on the CPUs and lengthen the tail (docs/PERFORMANCE.md).
func DefaultPool() int { return max(8, 4*runtime.GOMAXPROCS(0)) }

// CheckPool refuses a pool size outside MinPool..MaxPool.
func CheckPool(n int) error {
	if n < MinPool || n > MaxPool {
		return fmt.Errorf("a pool of %d connections: it takes %d to %d", n, MinPool, MaxPool)
	}
	return nil
}

// ReadReserve is how many connections of a pool of n transactions never
// take: a quarter, and at least one, so that a transaction reading through
// the pool always finds a connection (DB.txSlots).
func ReadReserve(n int) int { return max(1, n/4) }

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, o Options) (*DB, error) {
	if IsPostgresDSN(dsn) {
		pool := o.Pool
		if pool == 0 {
			pool = DefaultPool()
		}
		if err := CheckPool(pool); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		return openPostgres(ctx, dsn, pool)
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
}

// sqlitePragmas: busy_timeout must come before journal_mode, or switching to
// WAL can fail at once with SQLITE_BUSY while another process holds the file.
// synchronous(FULL) makes every commit durable in WAL mode, also on power
// loss, before it returns; the readers open with it. The writer opens with
// writerSync instead.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"

// writerSync is the writer's synchronous setting: NORMAL, under which a
// commit writes the write-ahead log without syncing it (the log is still
// synced before every checkpoint, so the database stays consistent), because
// the store syncs the log itself (DB.syncWAL) before anybody learns that a
// write succeeded: group commit in a goroutine of its own, overlapping the
// sync with the next batch (groupcommit.go), the other writes straight
// after their commit. An acknowledged commit is as durable as under FULL.
const writerSync = "&_pragma=synchronous(NORMAL)"

// readerCache bounds the page cache of each of the 8 read connections to
// 1 MiB (SQLite's default is 2 MiB a connection): the operating system
// caches the file too, so a page missed here is a read from memory.
const readerCache = "&_pragma=cache_size(-1024)"

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
	}
	// The writer keeps its temporary files in memory: group commit runs each
	// transaction under a savepoint, whose journal would otherwise be a file
	// written page by page on the one writer's path. The writer sorts
	// nothing large (only a migration adding an index to a big table does,
	// once); the readers, which may, keep the default.
	w, err := openSQLitePool("file:" + path + "?" + sqlitePragmas + writerSync + "&_pragma=temp_store(memory)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r, err := openSQLitePool("file:" + path + "?" + sqlitePragmas + "&_pragma=query_only(1)" + readerCache)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	r.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{write: w, read: r, dialect: SQLite, Location: path, wal: path + "-wal",
		unwatch: []func(){metrics.WatchDBPool("sqlite-writer", w), metrics.WatchDBPool("sqlite-reader", r)}}
	db.group = newGroupCommit(db, maxGroupCommit)
	return db, nil
}

func openPostgres(ctx context.Context, dsn string, pool int) (*DB, error) {
	conn, err := pgConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(pool)
	db.SetMaxIdleConns(pool)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", redact(dsn), err)
	}
	return &DB{write: db, read: db, dialect: Postgres, Location: redact(dsn), dsn: dsn,
		txSlots: make(chan struct{}, pool-ReadReserve(pool)),
		unwatch: []func(){metrics.WatchDBPool("postgres", db)}}, nil
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// maxGroupCommit bounds how many write transactions share one commit on
// SQLite: enough for every window of a hall calling at once, small enough
// that the first in a batch does not wait long for the last.
const maxGroupCommit = 64

// Close closes every connection, after the queued write transactions ran.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	for _, stop := range db.unwatch {
		stop()
	}
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Dialect returns the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Writer and Reader expose the pools for the few callers that need them
// (benchmarks, backups).
func (db *DB) Writer() *sql.DB { return db.write }
func (db *DB) Reader() *sql.DB { return db.read }

// ExecContext runs a statement on the writer outside any transaction,
// durable when it returns.
func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := db.write.ExecContext(ctx, Rebind(db.dialect, q), args...)
	if err == nil {
		if serr := db.syncWAL(); serr != nil {
			return nil, fmt.Errorf("store: sync: %w", serr)
		}
	}
	return res, err
}

// QueryContext reads from the reader pool.
func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, Rebind(db.dialect, q), args...)
}

// QueryRowContext reads one row from the reader pool.
func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, Rebind(db.dialect, q), args...)
}

// Ping checks that the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error { return db.write.PingContext(ctx) }

// Tx is a write transaction; its methods rebind placeholders like DB's.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	// detached transactions ignore the cancellation of the context their
	// statements are given: on SQLite an interrupted write rolls back the
	// whole transaction, which under group commit holds other callers'
	// writes too. A transaction that started runs to its end.
	detached bool
	// afterCommit runs once the writes are committed (AfterCommit).
	afterCommit []func()
}

// AfterCommit runs fn once the transaction's writes are committed, and never
// if they are rolled back: for what must follow only a durable change, such
// as counting it. fn runs once the commit is durable, before InTx returns
// (on SQLite in group commit's syncing goroutine); it must be quick, must
// not panic and must not use the transaction.
func (t *Tx) AfterCommit(fn func()) { t.afterCommit = append(t.afterCommit, fn) }

// committed runs the functions given to AfterCommit.
func (t *Tx) committed() {
	for _, fn := range t.afterCommit {
		fn()
	}
}

func (t *Tx) context(ctx context.Context) context.Context {
	if t.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (t *Tx) Dialect() Dialect { return t.dialect }

func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.context(ctx), Rebind(t.dialect, q), args...)
}

func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.context(ctx), Rebind(t.dialect, q), args...)
}

func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.context(ctx), Rebind(t.dialect, q), args...)
}

// InTx runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise. On PostgreSQL a serialization failure or deadlock
// is retried a few times, since it says nothing about the request itself.
// On SQLite concurrent transactions share commits (groupcommit.go); fn must
// not call InTx itself.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	start := time.Now() // wall clock: measures the transaction for /metrics
	defer func() {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		metrics.Observe("onewindow_db_transaction_seconds", time.Since(start).Seconds(), "engine", string(db.dialect), "outcome", outcome)
	}()
	fn = withEffect(ctx, fn)
	if db.group != nil {
		return db.group.do(ctx, fn)
	}
	if db.txSlots != nil {
		select {
		case db.txSlots <- struct{}{}:
			defer func() { <-db.txSlots }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for attempt := 0; attempt < 5; attempt++ {
		err = db.inTxOnce(ctx, fn)
		if err == nil || !isRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

// InPlainTx runs fn in one transaction of its own, begun and committed
// straight on the writer: on SQLite outside group commit (no savepoint, no
// sharing), on PostgreSQL without a retry. It is for a caller that batches
// its writes itself and is the only writer at the time (the bench's ideal
// writer); every other write goes through InTx.
func (db *DB) InPlainTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTxOnce(ctx, fn)
}

func (db *DB) inTxOnce(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, dialect: db.dialect}
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	if err := db.syncWAL(); err != nil {
		return fmt.Errorf("store: sync the committed write: %w", err)
	}
	tx.committed()
	return nil
}

func init() {
	metrics.DescribeHistogram("onewindow_db_transaction_seconds",
		"time a write transaction took, from asking to the commit (waiting for a connection or a group commit included), by engine and outcome",
		[]float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5})
	metrics.DescribeHistogram("onewindow_db_group_commit_batch_size",
		"write transactions that shared one SQLite commit (group commit)", []float64{1, 2, 4, 8, 16, 32, 64, 128})
}

// Rebind turns "?" placeholders into "$1", "$2"… for PostgreSQL. Question
// marks inside single-quoted literals are left alone.
func Rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// TimeFormat is how timestamps are stored: UTC text that sorts as time does
// and reads the same on both engines.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// FormatTime renders t for storage.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// ParseTime reads a stored timestamp; the zero time for "".
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(TimeFormat, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

// IsUniqueViolation reports whether err is a unique or primary-key conflict.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") ||
		strings.Contains(s, "duplicate key value")
}

func isRetryable(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLSTATE 40001") || strings.Contains(s, "SQLSTATE 40P01")
}

// BoolInt is a boolean as the databases' integer columns hold it (SQLite
// has no boolean type; the schema uses 0 and 1 on both engines).
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
