package store_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// On plain PostgreSQL and SQLite the tables stay where they are.
func TestPlacementIsLocalWithoutCitus(t *testing.T) {
	check := func(t *testing.T, db *store.DB) {
		placement, _, err := db.Placement(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if placement != store.PlacementLocal {
			t.Fatalf("placement %q, want %q", placement, store.PlacementLocal)
		}
	}
	t.Run("sqlite", func(t *testing.T) { check(t, storetest.SQLite(t)) })
	if storetest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { db, _ := storetest.Postgres(t); check(t, db) })
	}
}

// On a Citus coordinator the migrations distribute the schema: every table
// of the application is a single-shard table of one co-location group on
// one worker, the kept counts' functions find the schema's tables on the
// worker, and migrating again changes nothing.
func TestCitusDistributesTheSchema(t *testing.T) {
	if storetest.CitusURL() == "" {
		t.Skip("ONEWINDOW_TEST_CITUS is not set")
	}
	ctx := context.Background()
	db, _ := storetest.Citus(t)
	var tables, distributed, groups, nodes int
	err := db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'),
		(SELECT count(*) FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
			WHERE c.relnamespace = current_schema()::regnamespace AND p.partmethod = 'n' AND p.repmodel = 's'),
		(SELECT count(DISTINCT p.colocationid) FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
			WHERE c.relnamespace = current_schema()::regnamespace),
		(SELECT count(DISTINCT s.nodename || ':' || s.nodeport) FROM citus_shards s JOIN pg_class c ON c.oid = s.table_name
			WHERE c.relnamespace = current_schema()::regnamespace)`).Scan(&tables, &distributed, &groups, &nodes)
	if err != nil {
		t.Fatal(err)
	}
	if tables < 50 || distributed != tables || groups != 1 || nodes != 1 {
		t.Fatalf("%d tables, %d single-shard, %d co-location groups on %d nodes; want all of at least 50 single-shard in 1 group on 1 node",
			tables, distributed, groups, nodes)
	}
	var unpinned int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_proc
		WHERE pronamespace = current_schema()::regnamespace
		  AND NOT coalesce(proconfig, '{}') @> ARRAY['search_path=' || current_schema()]`).Scan(&unpinned); err != nil {
		t.Fatal(err)
	}
	if unpinned != 0 {
		t.Fatalf("%d functions of the schema are not pinned to it", unpinned)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrating again: %v", err)
	}
	// A trigger on a distributed table runs on the worker: a case inserted
	// through the coordinator is counted there.
	err = db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO cases (number, item_code, item_version, item_name, department_code, point_code, state, version,
			channel, applicant_kind, applicant_name, created_by, created_at, updated_at)
			VALUES ('T-1', 'I1', 1, 'i', 'D1', 'P1', 'accepted', 1, 'window', 'person', 'n', 1, '2026-03-02T02:00:00.000000Z', '2026-03-02T02:00:00.000000Z')`)
		return err
	})
	if err != nil {
		t.Fatalf("insert a case on citus: %v", err)
	}
	var counted int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(cases), 0) FROM case_state_counts
		WHERE point_code = 'P1' AND department_code = 'D1' AND state = 'accepted'`).Scan(&counted); err != nil {
		t.Fatal(err)
	}
	if counted != 1 {
		t.Fatalf("the kept count of the new case is %d, want 1", counted)
	}
}
