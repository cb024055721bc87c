package store

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"modernc.org/sqlite"
)

// SQLite parses every statement it runs unless the statement is prepared and
// kept; the driver keeps nothing between calls, and parsing was about a fifth
// of the server's CPU. So each SQLite connection keeps the statements it ran,
// by query text, and runs them again from there. The cache sits under
// database/sql, in the connection itself, so that it serves the pools, the
// transactions (also those of group commit) and the migrations alike, and it
// goes away with its connection when the pool closes or recycles it.
//
// PostgreSQL needs none of this: pgx prepares and keeps each statement per
// connection on its own.

// maxCachedStmts bounds the statements one connection keeps: far more than
// the application's distinct queries, few enough that queries built with
// varying text (IN lists, inline names) cannot grow it without end.
const maxCachedStmts = 256

// openSQLitePool opens a pool whose connections keep their statements.
func openSQLitePool(dsn string) (*sql.DB, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(cachingConnector{inner: c}), nil
}

type cachingConnector struct{ inner driver.Connector }

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	full, ok := conn.(sqliteConn)
	if !ok {
		return conn, nil // a driver without these methods runs as it is
	}
	return &cachingConn{sqliteConn: full, stmts: make(map[string]*cachedStmt)}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.inner.Driver() }

// sqliteConn is what the SQLite driver's connection offers and database/sql
// looks for; cachingConn passes all of it on.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type cachedStmt struct {
	stmt preparedStmt
	// busy: rows read from the statement are still open. SQLite runs one
	// execution of a statement at a time, so a query that needs the same
	// text meanwhile (nested in a transaction) runs unprepared.
	busy bool
}

// cachingConn is one SQLite connection with its statements. database/sql
// never uses a connection from two goroutines at once (rows are closed
// under the connection's lock too), so it needs no lock of its own.
type cachingConn struct {
	sqliteConn
	stmts map[string]*cachedStmt
}

// prepared returns the connection's statement for query, preparing it on
// first use; nil (and no error) when it is busy or cannot be kept.
func (c *cachingConn) prepared(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	ds, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	ps, ok := ds.(preparedStmt)
	if !ok {
		ds.Close()
		return nil, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		c.evictOne()
	}
	s := &cachedStmt{stmt: ps}
	c.stmts[query] = s
	return s, nil
}

// evictOne drops an idle statement; which one matters little, since the
// bound is only reached by queries whose text keeps changing.
func (c *cachingConn) evictOne() {
	for q, s := range c.stmts {
		if !s.busy {
			s.stmt.Close()
			delete(c.stmts, q)
			return
		}
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return s.stmt.ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	if typed, ok := rows.(sqliteRows); ok {
		return &releasingTypedRows{sqliteRows: typed, s: s}, nil
	}
	return &releasingRows{Rows: rows, s: s}, nil
}

// Close finalizes the kept statements, then closes the connection.
func (c *cachingConn) Close() error {
	for q, s := range c.stmts {
		s.stmt.Close()
		delete(c.stmts, q)
	}
	return c.sqliteConn.Close()
}

// sqliteRows is what the SQLite driver's rows offer beyond driver.Rows
// (column types for database/sql's ColumnTypes).
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// releasingRows frees its statement for the next execution when closed.
type releasingRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *releasingRows) Close() error {
	r.s.busy = false
	return r.Rows.Close()
}

type releasingTypedRows struct {
	sqliteRows
	s *cachedStmt
}

func (r *releasingTypedRows) Close() error {
	r.s.busy = false
	return r.sqliteRows.Close()
}
