package catalog_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// addCases writes n cases of an item as a case's creation does, row by row,
// so that the triggers on cases count them.
func addCases(t *testing.T, db *store.DB, code string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO cases (number, item_code, item_version, item_name, department_code, point_code,
				state, version, channel, applicant_kind, applicant_name, created_by, created_at, updated_at)
				VALUES (?, ?, 1, '事项', 'HN-SCJG', 'HNZWFW', 'received', 1, 'window', 'person', '王芳', 1, ?, ?)`,
				fmt.Sprintf("HNZWFW-20261123-%s-%03d", code, i), code, "2026-11-23T01:00:00.000000Z", "2026-11-23T01:00:00.000000Z")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Among equally good matches the most used item comes first; a better match
// still beats a more used weaker one. The in-memory index and SQL agree,
// and the counts the triggers keep follow deletions too.
func TestSearchRanksEqualMatchesByUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		catalog.SetClock(s, func() time.Time { return now })
		mustPutDepartments(t, s, market())
		company := item("SC-101", "HN-SCJG", "企业设立登记")
		company.Aliases = []string{"营业执照"}
		trader := item("SC-102", "HN-SCJG", "个体工商户设立登记")
		trader.Aliases = []string{"营业执照"}
		lost := item("SC-103", "HN-SCJG", "营业执照遗失补领") // starts with the query: a weaker match than an alias equal to it
		if err := s.Load(ctx, auth.System, nil, []catalog.Item{company, trader, lost}, true); err != nil {
			t.Fatal(err)
		}
		want := func(when string, order ...string) {
			t.Helper()
			for _, q := range []string{"营业执照", "yyzz"} {
				items, total, err := s.Search(ctx, catalog.Filter{Query: q})
				if err != nil {
					t.Fatal(err)
				}
				if got := codes(items); !slices.Equal(got, order) || total != len(order) {
					t.Errorf("%s: Search(%q) = %v (%d), want %v", when, q, got, total, order)
				}
				items, _, err = catalog.SearchSQL(ctx, s, catalog.Filter{Query: q})
				if err != nil {
					t.Fatal(err)
				}
				if got := codes(items); !slices.Equal(got, order) {
					t.Errorf("%s: SQL search %q = %v, want %v", when, q, got, order)
				}
			}
		}
		// Unused: the shorter name first among the exact matches.
		want("no cases", "SC-101", "SC-102", "SC-103")

		addCases(t, db, "SC-101", 1)
		addCases(t, db, "SC-102", 3)
		addCases(t, db, "SC-103", 10)
		items, _, err := s.Search(ctx, catalog.Filter{Query: "营业执照"})
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(items); !slices.Equal(got, []string{"SC-101", "SC-102", "SC-103"}) {
			t.Errorf("within a minute the index ranks by the counts it read: %v", got)
		}
		now = now.Add(catalog.UseRefreshInterval)
		want("more cases of the trader", "SC-102", "SC-101", "SC-103")

		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM cases WHERE item_code = 'SC-102'`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(catalog.UseRefreshInterval)
		want("the trader's cases deleted", "SC-101", "SC-102", "SC-103")
	})
}
