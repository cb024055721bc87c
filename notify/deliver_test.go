package notify

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store/storetest"
)

// On SQLite the claim's queries read the index of waiting messages, not
// every message ever sent: SQLite uses a partial index only when the query
// repeats its condition.
func TestClaimReadsTheIndexOfWaitingMessages(t *testing.T) {
	db := storetest.SQLite(t)
	now := "2026-11-24T02:00:00.000000Z"
	for q, args := range map[string][]any{claimQuery(`'queued'`): {now, 10}, claimQuery(`'sending'`): {now, 10}, anyDueQuery: {now}} {
		rs, err := db.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rs.Next() {
			var id, parent, unused int
			var detail string
			if err := rs.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rs.Close()
		got := strings.Join(plan, "; ")
		if !strings.Contains(got, "INDEX notify_deliveries_due") || strings.Contains(got, "SCAN notify_deliveries") || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("plan of %s:\n%s", q, got)
		}
	}
}
