package demotest_test

import (
	"context"
	"os"
	"testing"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo/demotest"
	"github.com/onewindow/onewindow/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	demotest.Cleanup()
	os.Exit(code)
}

// Every copy holds the demo, and copies are independent: a change to one
// is not seen in another made from the same template.
func TestCopiesHoldTheDemoAndAreIndependent(t *testing.T) {
	ctx := context.Background()
	now := clocktest.Now(t)
	demotest.Each(t, now, func(t *testing.T, db *store.DB) {
		counts, err := catalog.NewStore(db).Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Published < 1000 {
			t.Fatalf("a copy holds %d published items; the demo has over a thousand", counts.Published)
		}
		if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'changed in one copy'`); err != nil {
			t.Fatal(err)
		}
	})
	demotest.Each(t, now, func(t *testing.T, db *store.DB) {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = 'changed in one copy'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("a second copy sees %d users renamed in the first", n)
		}
	})
}
