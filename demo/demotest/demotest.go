// Package demotest gives tests a database that holds the demo. Loading the
// demo takes seconds (the catalogue, the network, the accounts' password
// hashes, the past cases); a test binary loads it once per day it is loaded
// as, into a SQLite template, and every test gets a copy of that file, which
// takes milliseconds. On PostgreSQL the template is a database, copied by
// the server (see storetest); Citus schemas are loaded afresh.
package demotest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// template is the demo loaded as of one moment, as the bytes of a
// self-contained SQLite file (no -wal file).
type template struct {
	once  sync.Once
	bytes []byte
	err   error
}

var templates sync.Map // time.Time.UnixNano() → *template

// SQLite opens, in t.TempDir(), a migrated SQLite database holding the demo
// as loaded at now: a copy of the test binary's template for now.
func SQLite(t testing.TB, now time.Time) *store.DB {
	t.Helper()
	v, _ := templates.LoadOrStore(now.UnixNano(), &template{})
	tpl := v.(*template)
	tpl.once.Do(func() { tpl.bytes, tpl.err = build(now) })
	if tpl.err != nil {
		t.Fatalf("demo template as of %s: %v", now, tpl.err)
	}
	path := filepath.Join(t.TempDir(), "onewindow.db")
	if err := os.WriteFile(path, tpl.bytes, 0o600); err != nil {
		t.Fatalf("demo copy: %v", err)
	}
	return storetest.OpenSQLite(t, path)
}

// build loads the demo into a new SQLite database and returns its backup.
func build(now time.Time) ([]byte, error) {
	dir, err := os.MkdirTemp("", "onewindow-demo-template-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "onewindow.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	loaded, err := demo.Load(ctx, db, now)
	if err != nil {
		return nil, err
	}
	if !loaded {
		return nil, fmt.Errorf("the demo did not load into an empty database")
	}
	backup := filepath.Join(dir, "template.db")
	if err := db.Backup(ctx, backup); err != nil {
		return nil, err
	}
	return os.ReadFile(backup)
}

// Each runs fn as a subtest on a database holding the demo as loaded at now:
// a copy of the template on SQLite and, when asked for (see storetest), on
// PostgreSQL, and a fresh schema with the demo loaded on Citus.
func Each(t *testing.T, now time.Time, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, now)) })
	if storetest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) {
			db, _ := Postgres(t, now)
			fn(t, db)
		})
	}
	for _, s := range storetest.Servers() {
		if s.Name == "postgres" {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			db, _ := s.Open(t)
			if _, err := demo.Load(context.Background(), db, now); err != nil {
				t.Fatalf("demo data: %v", err)
			}
			fn(t, db)
		})
	}
}

// Postgres opens a database of its own on the server named by
// ONEWINDOW_TEST_POSTGRES, holding the demo as loaded at now (made from this
// binary's demo template), and drops it when the test ends. It returns the
// DSN too.
func Postgres(t testing.TB, now time.Time) (*store.DB, string) {
	t.Helper()
	template, err := storetest.PostgresTemplate("demo@"+now.Format(time.RFC3339Nano), func(ctx context.Context, db *store.DB) error {
		_, err := demo.Load(ctx, db, now)
		return err
	})
	if err != nil {
		t.Fatalf("demo template on PostgreSQL as of %s: %v", now, err)
	}
	return storetest.PostgresFrom(t, template)
}

// Cleanup drops the PostgreSQL templates this test binary made; a package's
// TestMain calls it after the tests.
func Cleanup() { storetest.Cleanup() }
