package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// keptStatements runs fn on one connection of the reader pool and returns
// what that connection keeps afterwards.
func keptStatements(t *testing.T, db *DB, fn func(run func(q string, args ...any))) map[string]*cachedStmt {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Reader().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fn(func(q string, args ...any) {
		t.Helper()
		var v any
		if err := conn.QueryRowContext(ctx, q, args...).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	})
	var kept map[string]*cachedStmt
	conn.Raw(func(dc any) error {
		c, ok := dc.(*cachingConn)
		if !ok {
			t.Fatalf("the connection is a %T, not one that keeps statements", dc)
		}
		kept = c.stmts
		return nil
	})
	return kept
}

func openTestSQLite(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStatementIsPreparedOnceAndKept(t *testing.T) {
	db := openTestSQLite(t)
	var first *cachedStmt
	kept := keptStatements(t, db, func(run func(string, ...any)) {
		run(`SELECT ? + 1`, 1)
	})
	first = kept[`SELECT ? + 1`]
	if first == nil {
		t.Fatalf("nothing kept for the query; kept %d statements", len(kept))
	}
	kept = keptStatements(t, db, func(run func(string, ...any)) {
		run(`SELECT ? + 1`, 2)
		run(`SELECT ? + 1`, 3)
	})
	if len(kept) != 1 || kept[`SELECT ? + 1`] != first {
		t.Fatalf("kept %d statements, the query's is %p, want the first one %p again", len(kept), kept[`SELECT ? + 1`], first)
	}
}

func TestKeptStatementsAreBounded(t *testing.T) {
	db := openTestSQLite(t)
	kept := keptStatements(t, db, func(run func(string, ...any)) {
		for i := range maxCachedStmts + 20 {
			run(fmt.Sprintf(`SELECT %d`, i))
		}
	})
	if len(kept) > maxCachedStmts {
		t.Fatalf("%d statements kept, want at most %d", len(kept), maxCachedStmts)
	}
	if kept[fmt.Sprintf(`SELECT %d`, maxCachedStmts+19)] == nil {
		t.Error("the newest statement was not kept")
	}
}
