package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/onewindow/onewindow/store/storetest"
)

// Each of SQLite's read connections keeps a page cache of at most 1 MiB
// (cache_size -1024, in KiB), every one of them, not only the first; the
// writer keeps SQLite's default.
func TestSQLiteReaderPageCacheBounded(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	var conns []*sql.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for i := range 8 { // the reader pool's size: eight connections at once
		c, err := db.Reader().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var size int
		if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if size != -1024 {
			t.Errorf("read connection %d: cache_size %d, want -1024 (1 MiB)", i+1, size)
		}
	}
	var size int
	if err := db.Writer().QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size != -2000 {
		t.Errorf("writer: cache_size %d, want SQLite's default -2000", size)
	}
}
