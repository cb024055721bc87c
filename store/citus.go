package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On a Citus coordinator (a PostgreSQL server with the citus extension) the
// schema the connection works in is one tenant of the cluster: the schema is
// distributed (Citus's schema-based sharding), so every table created in it
// is a single-shard table and all of them sit together on one worker. A
// province's cases, events, materials, tickets, outbox, deliveries,
// idempotency keys, audit log and counts therefore live on the same node,
// every query of the application is routed whole to that node, and the
// keys, foreign keys, triggers, identity columns, counters and FOR UPDATE
// SKIP LOCKED claims work as on one PostgreSQL. Several provinces (schemas)
// spread over the workers; docs/SCALING.md gives the design and its limits.
//
// Nothing here runs on plain PostgreSQL or SQLite.

// Citus placements of the schema, as Placement reports them.
const (
	PlacementLocal       = "local"       // plain PostgreSQL or SQLite
	PlacementDistributed = "distributed" // a distributed schema on Citus
	PlacementCoordinator = "coordinator" // Citus, but the public schema: the tables stay on the coordinator
)

// isCitus reports whether the server has the citus extension.
func (db *DB) isCitus(ctx context.Context) (bool, error) {
	if db.dialect != Postgres {
		return false, nil
	}
	var ok bool
	err := db.write.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')`).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: look for citus: %w", err)
	}
	return ok, nil
}

// Placement says where the tables live: PlacementLocal on plain PostgreSQL
// and SQLite; on Citus, PlacementDistributed when the connection's schema is
// distributed, PlacementCoordinator when it works in the public schema,
// which Citus cannot distribute. schema is the connection's schema ("" on
// SQLite).
func (db *DB) Placement(ctx context.Context) (placement, schema string, err error) {
	citus, err := db.isCitus(ctx)
	if err != nil || !citus {
		if db.dialect == Postgres && err == nil {
			err = db.write.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema)
		}
		return PlacementLocal, schema, err
	}
	var distributed bool
	err = db.write.QueryRowContext(ctx, `SELECT current_schema(),
		EXISTS (SELECT 1 FROM pg_dist_schema WHERE schemaid = current_schema()::regnamespace)`).Scan(&schema, &distributed)
	if err != nil {
		return "", "", fmt.Errorf("store: citus schema: %w", err)
	}
	if distributed {
		return PlacementDistributed, schema, nil
	}
	return PlacementCoordinator, schema, nil
}

// citusBefore runs before the migrations on a Citus coordinator: it
// distributes the connection's schema unless it is the public schema (the
// tables then stay on the coordinator, as on one PostgreSQL), and returns
// the pool the migrations run on, whose sessions allow triggers on
// distributed tables (00018's kept counts: their functions run on the worker
// beside the shards they count, see citusAfter). close releases that pool.
func (db *DB) citusBefore(ctx context.Context) (migrator *sql.DB, close func(), err error) {
	var schema string
	var distributed bool
	err = db.write.QueryRowContext(ctx, `SELECT current_schema(),
		EXISTS (SELECT 1 FROM pg_dist_schema WHERE schemaid = current_schema()::regnamespace)`).Scan(&schema, &distributed)
	if err != nil {
		return nil, nil, fmt.Errorf("store: citus schema: %w", err)
	}
	cfg, err := pgx.ParseConfig(db.dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("store: citus migrations: %w", err)
	}
	cfg.RuntimeParams["citus.enable_unsafe_triggers"] = "on"
	m := stdlib.OpenDB(*cfg)
	m.SetMaxOpenConns(4)
	closeM := func() { m.Close() }
	if schema != "public" && !distributed {
		// An empty schema becomes a tenant at once; one that already holds
		// the tables (migrated before citus was installed) is moved whole.
		// The extension's functions live in its own schema, which the
		// connection's search_path need not name.
		var ext string
		err := m.QueryRowContext(ctx, `SELECT quote_ident(n.nspname) FROM pg_extension e
			JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'citus'`).Scan(&ext)
		if err == nil {
			_, err = m.ExecContext(ctx, `SELECT `+ext+`.citus_schema_distribute(current_schema()::regnamespace)`)
		}
		if err != nil {
			// Another server starting at the same moment may have
			// distributed it first.
			var now bool
			if e := m.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_dist_schema
				WHERE schemaid = current_schema()::regnamespace)`).Scan(&now); e != nil || !now {
				closeM()
				return nil, nil, fmt.Errorf("store: distribute schema %s on citus: %w", schema, err)
			}
		}
	}
	return m, closeM, nil
}

// citusAfter runs after the migrations on a Citus coordinator. The kept
// counts' trigger functions run on the worker that holds the shard, in a
// session whose search_path is not the application's: each function of the
// schema is pinned to it (ALTER FUNCTION … SET search_path, which Citus
// carries to the workers), so that its unqualified table names find the
// schema's tables there as they do on the coordinator.
func (db *DB) citusAfter(ctx context.Context, m *sql.DB) error {
	rows, err := m.QueryContext(ctx, `SELECT p.oid::regprocedure::text, quote_ident(n.nspname)
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.oid = current_schema()::regnamespace AND n.nspname <> 'public'
		  AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) AS c WHERE c LIKE 'search_path=%')
		ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("store: citus functions: %w", err)
	}
	var alter []string
	for rows.Next() {
		var fn, schema string
		if err := rows.Scan(&fn, &schema); err != nil {
			rows.Close()
			return fmt.Errorf("store: citus functions: %w", err)
		}
		alter = append(alter, `ALTER FUNCTION `+fn+` SET search_path = `+schema)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: citus functions: %w", err)
	}
	for _, q := range alter {
		if _, err := m.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: citus: %s: %w", q, err)
		}
	}
	return nil
}
