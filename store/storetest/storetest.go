// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder always, and a fresh PostgreSQL schema whenever
// ONEWINDOW_TEST_POSTGRES is set (to a postgres:// URL, or to 1 for the local
// server). A PostgreSQL that is asked for but unreachable fails the test.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/onewindow/onewindow/store"
)

// DefaultPostgres is used when ONEWINDOW_TEST_POSTGRES=1.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/onewindow_test?sslmode=disable"

// PostgresURL returns the server to test against, or "" when none is asked for.
func PostgresURL() string {
	v := os.Getenv("ONEWINDOW_TEST_POSTGRES")
	switch v {
	case "", "0", "false":
		return ""
	case "1", "true":
		return DefaultPostgres
	}
	return v
}

// SQLite opens a migrated SQLite database in t.TempDir().
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "onewindow.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return db
}

// Postgres opens a migrated, empty schema of its own on the test server and
// drops it afterwards. It returns the DSN too, for tests that start servers.
func Postgres(t testing.TB) (*store.DB, string) {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		t.Fatal("storetest.Postgres called without ONEWINDOW_TEST_POSTGRES")
	}
	dsn := NewSchema(t, base)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	return db, dsn
}

// NewSchema creates an empty schema on the server at base and returns a DSN
// whose search_path points at it; the schema is dropped when the test ends.
func NewSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		t.Fatalf("postgres at %s is unreachable (ONEWINDOW_TEST_POSTGRES is set): %v", base, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", base)
		if err == nil {
			c.Exec("DROP SCHEMA " + schema + " CASCADE")
			c.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("ONEWINDOW_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs fn as a subtest on SQLite, and on PostgreSQL when asked for.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) {
			db, _ := Postgres(t)
			fn(t, db)
		})
	}
}
