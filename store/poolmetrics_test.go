package store_test

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// poolSeries reads one go_sql_* series of a pool from /metrics' text.
func poolSeries(t *testing.T, name, pool string) (float64, bool) {
	t.Helper()
	var buf bytes.Buffer
	if err := metrics.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^` + name + `\{db_name="` + pool + `"\} (\S+)$`).FindSubmatch(buf.Bytes())
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v, true
}

// An open store's pools show on /metrics, each under its name, with the
// connections they hold; a closed store's no longer do.
func TestPoolStatisticsOnMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		pools := map[store.Dialect][]string{store.SQLite: {"sqlite-writer", "sqlite-reader"}, store.Postgres: {"postgres"}}[db.Dialect()]
		if len(pools) == 0 {
			t.Fatalf("no pool names for %s", db.Dialect())
		}
		ctx := context.Background()
		// Hold a connection of the reading pool, so that one is in use.
		conn, err := db.Reader().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := conn.PingContext(ctx); err != nil {
			t.Fatal(err)
		}
		last := pools[len(pools)-1]
		if v, ok := poolSeries(t, "go_sql_in_use_connections", last); !ok || v < 1 {
			t.Errorf("go_sql_in_use_connections{db_name=%q} = %v (served: %v), want at least 1", last, v, ok)
		}
		for _, pool := range pools {
			if v, ok := poolSeries(t, "go_sql_max_open_connections", pool); !ok || v < 1 {
				t.Errorf("go_sql_max_open_connections{db_name=%q} = %v (served: %v)", pool, v, ok)
			}
		}
	})

	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pools.db"))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := poolSeries(t, "go_sql_max_open_connections", "sqlite-writer"); !ok || v != 1 {
		t.Errorf("the SQLite writer's pool: max open %v (served: %v), want 1", v, ok)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := poolSeries(t, "go_sql_max_open_connections", "sqlite-writer"); ok {
		t.Error("a closed store's pool is still served")
	}
}
