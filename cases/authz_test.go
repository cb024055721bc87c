package cases_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/auth/authztest"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Setting an escalation ladder is refused to other roles and out of scope,
// and is stored only together with its audit record.
func TestSetLadderIsAuthorizedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		steps := cases.DefaultLadder[:1]
		authztest.Check(t, db, authztest.Write{Name: "SetLadder", Action: "escalation.ladder", Object: "ladder:item:YB-0001",
			Do: func(ctx context.Context, u auth.User) error { return f.svc.SetLadder(ctx, u, "item:YB-0001", steps) },
			Stored: func(t *testing.T) bool {
				ls, err := f.svc.Ladders(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				_, ok := ls["item:YB-0001"]
				return ok
			}})
	})
}
