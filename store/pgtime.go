package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL the timestamps are timestamptz columns (migrations 00031
// and 00036); on SQLite they stay UTC text in TimeFormat. The code reads and
// writes them as that text on both engines: the PostgreSQL connections of a
// DB go through the thin wrapper of the pgx driver below, which
//
//   - reads every timestamptz value back as FormatTime's text (UTC,
//     microseconds, Z), whatever the session's time zone, and a NULL one as
//     "", the "not yet" of the text columns, so that Scan(&string) and the
//     comparisons, JSON answers and hashes made from it are those of SQLite;
//   - writes a Stamp argument as its text, and the empty Stamp (not yet) as
//     NULL, which a timestamptz column takes where SQLite takes ''.
//
// A query that tests "not yet" in SQL says it with NotYet or Already.

// Stamp is a timestamp argument of a statement, in TimeFormat; "" is "not
// yet", which SQLite stores as empty text and PostgreSQL as NULL. Pass a not-yet
// column's value as a Stamp (a plain string "" does not cast to timestamptz).
type Stamp string

// Value is the text for drivers that do not know Stamp (SQLite).
func (s Stamp) Value() (driver.Value, error) { return string(s), nil }

// StampOf is the Stamp of t, and "not yet" for nil.
func StampOf(t *time.Time) Stamp {
	if t == nil {
		return ""
	}
	return Stamp(FormatTime(*t))
}

// NotYet is the SQL condition that the timestamp column col is not set:
// col = "" (empty text) on SQLite, col IS NULL on PostgreSQL.
func NotYet(d Dialect, col string) string {
	if d == Postgres {
		return col + " IS NULL"
	}
	return col + " = ''"
}

// Already is the SQL condition that the timestamp column col is set.
func Already(d Dialect, col string) string {
	if d == Postgres {
		return col + " IS NOT NULL"
	}
	return col + " <> ''"
}

// StampOrEmpty is the timestamp expression expr read as text even where it
// is NULL (a LEFT JOIN's missing row, MAX over no row): COALESCE with empty
// text on SQLite; expr itself on PostgreSQL, where the store reads a NULL
// timestamptz as "" and a timestamptz cannot be empty text.
func StampOrEmpty(d Dialect, expr string) string {
	if d == Postgres {
		return expr
	}
	return "COALESCE(" + expr + ", '')"
}

// StampParam is a placeholder for a timestamp where PostgreSQL cannot tell
// the type from the context (a CASE's results, all parameters): "?" on
// SQLite, "CAST(? AS timestamptz)" on PostgreSQL. (SQLite's CAST to a type
// it does not know would make the text a number.)
func StampParam(d Dialect) string {
	if d == Postgres {
		return "CAST(? AS timestamptz)"
	}
	return "?"
}

// pgConnector opens pgx connections wrapped in pgConn. Sessions work in UTC
// unless the URL names a time zone: a date compared with a timestamptz, or
// a timestamptz written as text, then reads as in the text columns before.
func pgConnector(dsn string) (driver.Connector, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if _, ok := cfg.RuntimeParams["timezone"]; !ok {
		cfg.RuntimeParams["timezone"] = "UTC"
	}
	return pgTimeConnector{stdlib.GetConnector(*cfg)}, nil
}

type pgTimeConnector struct{ inner driver.Connector }

func (c pgTimeConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		conn.Close()
		return nil, errors.New("store: the pgx driver returned an unexpected connection")
	}
	return pgConn{sc}, nil
}

func (c pgTimeConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is a pgx connection whose rows read timestamptz as text and whose
// arguments turn Stamps into text or NULL.
type pgConn struct{ *stdlib.Conn }

func (c pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if s, ok := nv.Value.(Stamp); ok {
		if s == "" {
			nv.Value = nil
		} else {
			nv.Value = string(s)
		}
	}
	return c.Conn.CheckNamedValue(nv)
}

func (c pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.QueryContext(ctx, q, args)
	if err != nil {
		return nil, err
	}
	return wrapRows(rows), nil
}

func (c pgConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := c.Conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	ps, ok := st.(*stdlib.Stmt)
	if !ok {
		st.Close()
		return nil, errors.New("store: the pgx driver returned an unexpected statement")
	}
	return pgStmt{ps}, nil
}

type pgStmt struct{ *stdlib.Stmt }

func (s pgStmt) Query(args []driver.Value) (driver.Rows, error) {
	rows, err := s.Stmt.Query(args)
	if err != nil {
		return nil, err
	}
	return wrapRows(rows), nil
}

func (s pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.Stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	return wrapRows(rows), nil
}

var timeType = reflect.TypeFor[time.Time]()

func wrapRows(rows driver.Rows) driver.Rows {
	r, ok := rows.(*stdlib.Rows)
	if !ok {
		return rows // not pgx's: its times are read as the driver gives them
	}
	cols := r.Columns()
	var stamps []int
	for i := range cols {
		// The scan type is a switch on the type's OID; only a time's name
		// is looked up (timestamp and date scan as time.Time too).
		if r.ColumnTypeScanType(i) == timeType && r.ColumnTypeDatabaseTypeName(i) == "TIMESTAMPTZ" {
			stamps = append(stamps, i)
		}
	}
	if stamps == nil {
		return r
	}
	return &pgRows{Rows: r, stamps: stamps}
}

// pgRows reads the timestamptz columns (stamps) as FormatTime's text, NULL
// as "".
type pgRows struct {
	*stdlib.Rows
	stamps []int
}

func (r *pgRows) Next(dest []driver.Value) error {
	if err := r.Rows.Next(dest); err != nil {
		return err
	}
	for _, i := range r.stamps {
		switch v := dest[i].(type) {
		case nil:
			dest[i] = ""
		case time.Time:
			dest[i] = FormatTime(v)
		}
	}
	return nil
}

// ColumnTypeScanType: the timestamptz columns scan as text.
func (r *pgRows) ColumnTypeScanType(i int) reflect.Type {
	for _, s := range r.stamps {
		if s == i {
			return reflect.TypeFor[string]()
		}
	}
	return r.Rows.ColumnTypeScanType(i)
}
