package auth_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/auth/authztest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Every write to the accounts made by an administrator is refused to other
// roles and out of scope, and is stored only together with its audit record.
func TestAccountWritesAreAuthorizedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := auth.NewStore(db)
		clerk, err := s.AddUser(ctx, auth.System, auth.User{Username: "clerk", Name: "办事员", Role: auth.RoleFrontDesk, PointCode: "HNZWFW"}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.AddUser(ctx, auth.System, auth.User{Username: "reviewer", Name: "审批员", Role: auth.RoleReviewer, DepartmentCode: "HN-RSJ"}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		const newPassword = "a new password 2026"
		writes := []authztest.Write{
			{Name: "AddUser", Action: "user.add", Object: "user:new_clerk",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.AddUser(ctx, u, auth.User{Username: "new_clerk", Name: "新办事员", Role: auth.RoleIssuer, PointCode: "HNZWFW"}, testPassword)
					return err
				},
				Stored: func(*testing.T) bool { _, err := s.UserByUsername(ctx, "new_clerk"); return err == nil }},
			{Name: "SetDisabled", Action: "user.disable", Object: "user:clerk",
				Do: func(ctx context.Context, u auth.User) error { return s.SetDisabled(ctx, u, clerk.ID, true) },
				Stored: func(t *testing.T) bool {
					got, err := s.User(ctx, clerk.ID)
					if err != nil {
						t.Fatal(err)
					}
					return got.Disabled
				}},
			{Name: "SetPassword", Action: "user.password_reset", Object: "user:reviewer",
				Do:     func(ctx context.Context, u auth.User) error { return s.SetPassword(ctx, u, other.ID, newPassword) },
				Stored: func(*testing.T) bool { return s.CheckPassword(ctx, other.ID, newPassword) == nil }},
		}
		for _, w := range writes {
			authztest.Check(t, db, w)
		}
	})
}
