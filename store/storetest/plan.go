package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store"
)

// QueryPlan returns the plan the engine chooses for query (written with ?
// placeholders), a line per plan node. On PostgreSQL the planner settings
// named in avoid (such as "enable_seqscan", "enable_sort") are turned off
// for the EXPLAIN, as a big table would make it avoid them on its own: the
// plan then shows whether an index can answer at all (for a partial index,
// whether its condition matches the query's) and in the order asked.
func QueryPlan(t testing.TB, db *store.DB, query string, args []any, avoid ...string) string {
	t.Helper()
	ctx := context.Background()
	query = store.Rebind(db.Dialect(), query)
	var lines []string
	if db.Dialect() == store.Postgres {
		tx, err := db.Writer().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for _, setting := range avoid {
			if _, err := tx.ExecContext(ctx, `SET LOCAL `+setting+` = off`); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := tx.QueryContext(ctx, "EXPLAIN "+query, args...)
		if err != nil {
			t.Fatalf("explain %s: %v", query, err)
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, line)
		}
		return strings.Join(lines, "\n")
	}
	rows, err := db.Reader().QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}
