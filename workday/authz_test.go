package workday_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/auth/authztest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// Adding calendar years is refused to other roles and out of scope, and is
// stored only together with its audit record; a refused import leaves the
// calendar in memory as it was.
func TestCalendarImportIsAuthorizedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		s := workday.NewStore(db)
		const year2031 = `{"years": [{"year": 2031, "notice": {"title": "测试用2031年节假日安排"},
			"holidays": [{"name": "元旦", "name_en": "New Year's Day", "from": "2031-01-01", "to": "2031-01-01"}]}]}`
		authztest.Check(t, db, authztest.Write{Name: "Import", Action: "workday.import", Object: "workdays:2031",
			Do: func(ctx context.Context, u auth.User) error {
				_, err := s.Import(ctx, u, strings.NewReader(year2031), o)
				return err
			},
			Stored: func(t *testing.T) bool {
				var n int
				if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM workday_years WHERE year = 2031`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n == 0 && slices.Contains(o.Years(), 2031) {
					t.Fatal("the calendar in memory has a year that was not stored")
				}
				return n == 1
			}})
	})
}
