package notify

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// explainSQLite is SQLite's plan of q, its steps joined by "; ".
func explainSQLite(t *testing.T, db *store.DB, q string, args ...any) string {
	t.Helper()
	rs, err := db.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var plan []string
	for rs.Next() {
		var id, parent, unused int
		var detail string
		if err := rs.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

// Expanding reads the outbox's rows still to expand from their partial
// index, in id order: not every row ever written, and no sort.
func TestOutboxPickReadsTheIndexOfUnsentRows(t *testing.T) {
	db := storetest.SQLite(t)
	got := explainSQLite(t, db, outboxPick, 10)
	if !strings.Contains(got, "INDEX outbox_unsent") || strings.Contains(got, "TEMP B-TREE") {
		t.Errorf("plan of %s:\n%s", outboxPick, got)
	}
	var sql string
	if err := db.QueryRowContext(t.Context(), `SELECT sql FROM sqlite_master WHERE name = 'outbox_unsent'`).Scan(&sql); err != nil || !strings.Contains(sql, "WHERE sent_at IS NULL") {
		t.Errorf("outbox_unsent is not partial: %q, %v", sql, err)
	}
}

// A round's id lists come in a few lengths whatever its size, so that its
// statements stay prepared; every id is in one list, and padding repeats
// an id of the same list.
func TestIDListsHaveFewLengths(t *testing.T) {
	lengths := map[int]bool{}
	for n := 1; n <= 1000; n++ {
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		seen := map[int64]bool{}
		for _, list := range idLists(ids) {
			lengths[len(list)] = true
			if len(list) > maxIDList {
				t.Fatalf("%d ids: a list of %d", n, len(list))
			}
			for _, v := range list {
				seen[v.(int64)] = true
			}
		}
		if len(seen) != n {
			t.Fatalf("%d ids: %d in the lists", n, len(seen))
		}
	}
	if len(lengths) != 9 {
		t.Errorf("lists of %d lengths, want 9 (1 to 256, powers of two): %v", len(lengths), lengths)
	}
}

// On SQLite the claim's queries read the index of waiting messages, not
// every message ever sent: SQLite uses a partial index only when the query
// repeats its condition.
func TestClaimReadsTheIndexOfWaitingMessages(t *testing.T) {
	db := storetest.SQLite(t)
	now := "2026-11-24T02:00:00.000000Z"
	for q, args := range map[string][]any{claimQuery(`'queued'`): {now, 10}, claimQuery(`'sending'`): {now, 10}, anyDueQuery: {now}} {
		got := explainSQLite(t, db, q, args...)
		if !strings.Contains(got, "INDEX notify_deliveries_due") || strings.Contains(got, "SCAN notify_deliveries") || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("plan of %s:\n%s", q, got)
		}
	}
}
