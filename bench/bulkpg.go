package bench

import (
	"context"
	"fmt"

	"github.com/onewindow/onewindow/store"
)

// On PostgreSQL every generated case ran the kept counts' triggers
// (PL/pgSQL, eight upserts a case): about 12,000 cases a minute on the
// measuring machine, 80 minutes a million. A superuser may load with the
// triggers off (session_replication_role = replica, for the load's
// transactions only) and count the kept tables once at the end from the
// cases, as migration 00018 counted the cases that existed. The counts are
// then in slot 0 only, where intakes in parallel spread them over eight.

// pgTriggersOff reports whether the load may turn the triggers off.
func pgTriggersOff(ctx context.Context, db *store.DB) bool {
	if db.Dialect() != store.Postgres {
		return false
	}
	var super bool
	err := db.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super)
	return err == nil && super
}

// keptRecount rebuilds the kept tables from the cases.
var keptRecount = []string{
	`DELETE FROM case_month_figures`, `DELETE FROM case_month_points`, `DELETE FROM case_month_departments`,
	`DELETE FROM case_state_counts`, `DELETE FROM case_state_counts_departments`, `DELETE FROM item_use`,
	`CREATE TEMPORARY TABLE bench_counted ON COMMIT DROP AS
	SELECT point_code, department_code, case_month_of(accepted_at) AS month,
		1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
	FROM cases WHERE accepted_at IS NOT NULL
	UNION ALL
	SELECT point_code, department_code, case_month_of(decided_at), 0, 0, 1, case_on_time(decided_at, promised_due)
	FROM cases WHERE decided_at IS NOT NULL`,
	`INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
	SELECT point_code, department_code, month, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM bench_counted
	GROUP BY point_code, department_code, month`,
	`INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
	SELECT month, point_code, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM bench_counted GROUP BY month, point_code`,
	`INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
	SELECT month, department_code, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM bench_counted GROUP BY month, department_code`,
	`INSERT INTO case_state_counts (point_code, department_code, state, slot, cases)
	SELECT point_code, department_code, state, 0, COUNT(*) FROM cases GROUP BY point_code, department_code, state`,
	`INSERT INTO case_state_counts_departments (department_code, state, slot, cases)
	SELECT department_code, state, 0, COUNT(*) FROM cases GROUP BY department_code, state`,
	`INSERT INTO item_use (item_code, slot, cases) SELECT item_code, 0, COUNT(*) FROM cases GROUP BY item_code`,
	`DELETE FROM case_sla_points`, `DELETE FROM case_sla_departments`,
	`INSERT INTO case_sla_points (point_code, warn_from, promised_due, slot, cases)
	SELECT point_code, warn_from, promised_due, 0, COUNT(*) FROM cases
	WHERE state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> ''
	GROUP BY point_code, warn_from, promised_due`,
	`INSERT INTO case_sla_departments (department_code, warn_from, promised_due, slot, cases)
	SELECT department_code, warn_from, promised_due, 0, COUNT(*) FROM cases
	WHERE state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> ''
	GROUP BY department_code, warn_from, promised_due`,
}

// recountKept counts the kept tables anew from the cases, in one transaction.
func recountKept(ctx context.Context, db *store.DB) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		for _, q := range keptRecount {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("bench: recount the kept tables: %w", err)
			}
		}
		return nil
	})
}
