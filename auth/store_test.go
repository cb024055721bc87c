package auth_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

const testPassword = "s3cret-password"

// clock is a settable time source for Store.Now and Limiter.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func addUser(t *testing.T, s *auth.Store, u auth.User) auth.User {
	t.Helper()
	created, err := s.AddUser(context.Background(), auth.System, u, testPassword)
	if err != nil {
		t.Fatalf("AddUser(%s): %v", u.Username, err)
	}
	return created
}

func reviewer(username string) auth.User {
	return auth.User{Username: username, Name: "审批员", Role: auth.RoleReviewer, DepartmentCode: "D-HRSS"}
}

func wantCode(t *testing.T, err error, code apperr.Code, reason string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s/%s", err, code, reason)
	}
	if ae.Code != code || ae.Reason != reason {
		t.Fatalf("got %s/%s (%v), want %s/%s", ae.Code, ae.Reason, err, code, reason)
	}
}

func TestAddAndReadUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		s := auth.NewStore(db)
		s.Now = clk.Now
		person, err := s.AddUser(ctx, auth.System, auth.User{Username: "  Yu.NvShi ", Name: " 于女士 ", Role: auth.RoleApplicant,
			Kind: auth.KindPerson, IDNumber: strings.ToLower(validIDCard), Phone: "+86 138-1234-5678"}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if person.ID == 0 || person.Username != "yu.nvshi" || person.Name != "于女士" || person.IDNumber != validIDCard ||
			person.Phone != "13812345678" || !person.CreatedAt.Equal(clk.Now()) {
			t.Fatalf("AddUser returned %+v: want an ID and normalised fields", person)
		}
		desk := addUser(t, s, auth.User{Username: "desk1", Name: "窗口一", Role: auth.RoleFrontDesk, PointCode: "P-001"})
		rev := addUser(t, s, reviewer("rev1"))

		got, err := s.User(ctx, person.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(person.CreatedAt) {
			t.Errorf("CreatedAt read back %v, want %v", got.CreatedAt, person.CreatedAt)
		}
		got.CreatedAt = person.CreatedAt
		if !reflect.DeepEqual(got, person) {
			t.Errorf("User(%d) = %+v, want %+v", person.ID, got, person)
		}
		got, err = s.UserByUsername(ctx, "YU.NVSHI")
		if err != nil || got.ID != person.ID {
			t.Errorf("UserByUsername = %+v, %v; want user %d", got, err, person.ID)
		}
		_, err = s.User(ctx, 999999)
		wantCode(t, err, apperr.NotFound, "user_not_found")
		_, err = s.UserByUsername(ctx, "nobody")
		wantCode(t, err, apperr.NotFound, "user_not_found")

		if err := s.SetDisabled(ctx, auth.System, desk.ID, true); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		for name, c := range map[string]struct {
			f    auth.UserFilter
			want []int64
		}{
			"all":             {auth.UserFilter{}, []int64{person.ID, desk.ID, rev.ID}},
			"by role":         {auth.UserFilter{Role: auth.RoleReviewer}, []int64{rev.ID}},
			"by point":        {auth.UserFilter{PointCode: "P-001"}, []int64{desk.ID}},
			"by department":   {auth.UserFilter{DepartmentCode: "D-HRSS"}, []int64{rev.ID}},
			"disabled only":   {auth.UserFilter{Disabled: &yes}, []int64{desk.ID}},
			"enabled only":    {auth.UserFilter{Disabled: &no}, []int64{person.ID, rev.ID}},
			"first page":      {auth.UserFilter{Limit: 2}, []int64{person.ID, desk.ID}},
			"second page":     {auth.UserFilter{Limit: 2, Offset: 2}, []int64{rev.ID}},
			"nothing matches": {auth.UserFilter{Role: auth.RoleAdmin}, nil},
		} {
			users, err := s.Users(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var ids []int64
			for _, u := range users {
				ids = append(ids, u.ID)
			}
			if len(ids) != len(c.want) {
				t.Errorf("%s: got users %v, want %v", name, ids, c.want)
				continue
			}
			for i := range ids {
				if ids[i] != c.want[i] {
					t.Errorf("%s: got users %v, want %v", name, ids, c.want)
					break
				}
			}
		}
		wantCode(t, s.SetDisabled(ctx, auth.System, 999999, true), apperr.NotFound, "user_not_found")
		wantCode(t, s.SetPassword(ctx, auth.System, 999999, "another-password"), apperr.NotFound, "user_not_found")
	})
}

func TestAddUserRejects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := auth.NewStore(db)
		addUser(t, s, reviewer("rev1"))

		_, err := s.AddUser(ctx, auth.System, reviewer("REV1"), testPassword)
		wantCode(t, err, apperr.Conflict, "username_taken")

		_, err = s.AddUser(ctx, auth.System, auth.User{Username: "x", Role: auth.RoleReviewer}, "short")
		got := fieldCodes(t, err)
		for _, field := range []string{"username", "name", "department_code", "password"} {
			if got[field] == "" {
				t.Errorf("no error for %s in %v", field, got)
			}
		}
		users, err := s.Users(ctx, auth.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 {
			t.Fatalf("%d users stored, want only the first one", len(users))
		}
	})
}
