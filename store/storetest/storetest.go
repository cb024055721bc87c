// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder always, and a fresh PostgreSQL schema whenever
// ONEWINDOW_TEST_POSTGRES is set (to a postgres:// URL, or to 1 for the local
// server). A PostgreSQL that is asked for but unreachable fails the test.
// ONEWINDOW_TEST_CITUS names a Citus coordinator the same way (a
// postgres:// URL): each test then also runs in a fresh distributed schema
// of the cluster, and an unreachable coordinator or a server without the
// citus extension fails the test too.
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

// CitusURL returns the Citus coordinator to test against, or "" when none
// is asked for.
func CitusURL() string {
	switch v := os.Getenv("ONEWINDOW_TEST_CITUS"); v {
	case "", "0", "false":
		return ""
	default:
		return v
	}
}

// Citus opens a migrated, empty schema of its own on the Citus coordinator,
// distributed by the migrations (a tenant of the cluster: every table a
// single-shard table on one worker), and drops it afterwards. It fails the
// test when the schema did not end up distributed. It returns the DSN too.
func Citus(t testing.TB) (*store.DB, string) {
	t.Helper()
	base := CitusURL()
	if base == "" {
		t.Fatal("storetest.Citus called without ONEWINDOW_TEST_CITUS")
	}
	dsn := newSchema(t, base, "ONEWINDOW_TEST_CITUS")
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open citus: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate citus: %v", err)
	}
	placement, schema, err := db.Placement(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if placement != store.PlacementDistributed {
		t.Fatalf("citus: schema %s is %s after migrating, want %s (is the citus extension installed in the database named by ONEWINDOW_TEST_CITUS?)",
			schema, placement, store.PlacementDistributed)
	}
	return db, dsn
}

// Servers lists the PostgreSQL-protocol servers asked for, each as a name
// for subtests and an opener of a fresh migrated schema on it: PostgreSQL
// when ONEWINDOW_TEST_POSTGRES is set, Citus when ONEWINDOW_TEST_CITUS is.
func Servers() []Server {
	var out []Server
	if PostgresURL() != "" {
		out = append(out, Server{"postgres", Postgres})
	}
	if CitusURL() != "" {
		out = append(out, Server{"citus", Citus})
	}
	return out
}

// Server is one of Servers.
type Server struct {
	Name string
	Open func(t testing.TB) (*store.DB, string)
}

// SQLite opens a migrated SQLite database in t.TempDir().
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return OpenSQLite(t, filepath.Join(t.TempDir(), "onewindow.db"))
}

// OpenSQLite opens the SQLite file at path, migrated, and closes it when
// the test ends: a new file, or a copy of a template (demo/demotest).
func OpenSQLite(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return db
}

// Postgres opens a migrated, empty database of its own on the test server,
// made from the migrated template (pgtemplate.go), and drops it afterwards.
// It returns the DSN too, for tests that start servers.
func Postgres(t testing.TB) (*store.DB, string) {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		t.Fatal("storetest.Postgres called without ONEWINDOW_TEST_POSTGRES")
	}
	template, err := migratedTemplate(base)
	if err != nil {
		t.Fatalf("postgres at %s (ONEWINDOW_TEST_POSTGRES): the migrated template: %v", base, err)
	}
	return postgresFromTemplate(t, base, template)
}

// NewSchema creates an empty schema on the server at base and returns a DSN
// whose search_path points at it; the schema is dropped when the test ends.
func NewSchema(t testing.TB, base string) string {
	t.Helper()
	return newSchema(t, base, "ONEWINDOW_TEST_POSTGRES")
}

// NewCitusSchema is NewSchema on the Citus coordinator named by
// ONEWINDOW_TEST_CITUS; migrating it distributes it.
func NewCitusSchema(t testing.TB) string {
	t.Helper()
	return newSchema(t, CitusURL(), "ONEWINDOW_TEST_CITUS")
}

func newSchema(t testing.TB, base, variable string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		t.Fatalf("postgres at %s is unreachable (%s is set): %v", base, variable, err)
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
		t.Fatalf("%s: %v", variable, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs fn as a subtest on SQLite, and on PostgreSQL and Citus when
// asked for.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	for _, s := range Servers() {
		t.Run(s.Name, func(t *testing.T) {
			db, _ := s.Open(t)
			fn(t, db)
		})
	}
}
