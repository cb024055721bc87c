package catalog_test

import (
	"testing"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// A catalogue stored without pinyin terms (as databases made before pinyin
// search were) is found by pinyin once its search text is refreshed, and a
// second refresh writes nothing.
func TestRefreshSearchTextFillsInPinyin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		old := catalog.NewStore(db)
		old.SearchTerms = nil
		pinyinFixture(t, old)

		s := catalog.NewStore(db)
		search := func(q string) int {
			t.Helper()
			_, total, err := s.Search(ctx, catalog.Filter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return total
		}
		if n := search("yyzz"); n != 0 {
			t.Fatalf("yyzz found %d items before the refresh; the fixture should have no pinyin", n)
		}
		n, err := s.RefreshSearchText(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 11 {
			t.Errorf("refresh rewrote %d versions, want the 11 stored", n)
		}
		if got := search("yyzz"); got != 5 {
			t.Errorf("yyzz finds %d items after the refresh, want 5", got)
		}
		if n, err := s.RefreshSearchText(ctx); err != nil || n != 0 {
			t.Errorf("second refresh rewrote %d versions (%v), want 0", n, err)
		}
	})
}
