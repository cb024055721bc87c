package catalog_test

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// A new item starts as draft version 1; a code already in the catalogue is
// refused on the field "code" together with the item's other problems, and
// nothing is written.
func TestCreateItem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market())
		created, err := s.CreateItem(ctx, auth.System, item("NEW-1", "HN-SCJG", "新事项"))
		if err != nil {
			t.Fatal(err)
		}
		if created.Version != 1 || created.Status != catalog.StatusDraft {
			t.Errorf("created v%d %s, want v1 draft", created.Version, created.Status)
		}

		again := item("NEW-1", "HN-SCJG", "另一个事项")
		again.Levels = nil
		if got := fieldsOf(t, mustFail(s.CreateItem(ctx, auth.System, again))); !slices.Equal(got, []string{"code", "levels"}) {
			t.Errorf("fields %v, want code and levels", got)
		}
		versions, err := s.Versions(ctx, "NEW-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(versions) != 1 || versions[0].Name != "新事项" {
			t.Errorf("after a refused create: %d versions, first %q", len(versions), versions[0].Name)
		}

		bad := item("NEW-2", "NO-SUCH-DEPT", "")
		if got := fieldsOf(t, mustFail(s.CreateItem(ctx, auth.System, bad))); !slices.Equal(got, []string{"name"}) {
			t.Errorf("fields %v, want name (the department is checked once the rest is valid)", got)
		}
		bad.Name = "部门不存在的事项"
		if got := fieldsOf(t, mustFail(s.CreateItem(ctx, auth.System, bad))); !slices.Equal(got, []string{"department"}) {
			t.Errorf("fields %v, want department", got)
		}
		if n := rowCount(t, db, "items"); n != 1 {
			t.Errorf("%d items stored, want 1", n)
		}
	})
}

// mustFail returns the error of a call that returned an item too.
func mustFail(_ catalog.Item, err error) error { return err }
