package auth_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
)

// Identity numbers published as examples: 11010519491231002X in GB 11643-1999
// (公民身份号码), 91350100M000100Y43 in GB 32100-2015 (统一社会信用代码).
const (
	validIDCard     = "11010519491231002X"
	wrongIDCheck    = "110105194912310021" // the example with its check character changed
	validCreditCode = "91350100M000100Y43"
	wrongCreditChk  = "91350100M000100Y44"
)

// fieldCodes returns field → code of a validation error, failing the test for
// any other kind of error.
func fieldCodes(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		t.Fatalf("got %v, want an Invalid error with field errors", err)
	}
	out := map[string]string{}
	for _, f := range ae.Fields {
		if f.Message.ZH == "" || f.Message.EN == "" {
			t.Errorf("field %s (%s) lacks a message in one language: %+v", f.Field, f.Code, f.Message)
		}
		out[f.Field] = f.Code
	}
	return out
}

func TestValidate(t *testing.T) {
	person := auth.User{Username: "yu.nvshi", Name: "于女士", Role: auth.RoleApplicant, Kind: auth.KindPerson, IDNumber: validIDCard}
	enterprise := auth.User{Username: "acme", Name: "某某有限公司", Role: auth.RoleApplicant, Kind: auth.KindEnterprise, CreditCode: validCreditCode}
	with := func(u auth.User, change func(*auth.User)) auth.User { change(&u); return u }
	staff := func(role auth.Role, dept, point string) auth.User {
		return auth.User{Username: "staff_" + string(role), Name: "工作人员", Role: role, DepartmentCode: dept, PointCode: point}
	}
	cases := []struct {
		name string
		user auth.User
		want map[string]string // field → code; nil means valid
	}{
		{"person", person, nil},
		{"person with phone", with(person, func(u *auth.User) { u.Phone = "13812345678" }), nil},
		{"enterprise", enterprise, nil},
		{"enterprise with agent id", with(enterprise, func(u *auth.User) { u.IDNumber = validIDCard }), nil},
		{"person without id", with(person, func(u *auth.User) { u.IDNumber = "" }), map[string]string{"id_number": "required"}},
		{"person wrong check digit", with(person, func(u *auth.User) { u.IDNumber = wrongIDCheck }), map[string]string{"id_number": "check_digit"}},
		{"person short id", with(person, func(u *auth.User) { u.IDNumber = "1101051949" }), map[string]string{"id_number": "length"}},
		{"person with credit code", with(person, func(u *auth.User) { u.CreditCode = validCreditCode }), map[string]string{"credit_code": "not_applicable"}},
		{"enterprise without code", with(enterprise, func(u *auth.User) { u.CreditCode = "" }), map[string]string{"credit_code": "required"}},
		{"enterprise wrong check", with(enterprise, func(u *auth.User) { u.CreditCode = wrongCreditChk }), map[string]string{"credit_code": "check_digit"}},
		{"enterprise letter O", with(enterprise, func(u *auth.User) { u.CreditCode = "91350100O000100Y43" }), map[string]string{"credit_code": "charset"}},
		{"enterprise bad agent id", with(enterprise, func(u *auth.User) { u.IDNumber = wrongIDCheck }), map[string]string{"id_number": "check_digit"}},
		{"applicant without kind", with(person, func(u *auth.User) { u.Kind = "" }), map[string]string{"kind": "required"}},
		{"applicant unknown kind", with(person, func(u *auth.User) { u.Kind = "robot" }), map[string]string{"kind": "unknown"}},
		{"applicant with point", with(person, func(u *auth.User) { u.PointCode = "P1" }), map[string]string{"point_code": "not_applicable"}},
		{"applicant with department", with(person, func(u *auth.User) { u.DepartmentCode = "D1" }), map[string]string{"department_code": "not_applicable"}},
		{"bad phone", with(person, func(u *auth.User) { u.Phone = "12345" }), map[string]string{"phone": "length"}},

		{"frontdesk", staff(auth.RoleFrontDesk, "", "P1"), nil},
		{"frontdesk without point", staff(auth.RoleFrontDesk, "", ""), map[string]string{"point_code": "required"}},
		{"frontdesk with department", staff(auth.RoleFrontDesk, "D1", "P1"), map[string]string{"department_code": "not_applicable"}},
		{"reviewer", staff(auth.RoleReviewer, "D1", ""), nil},
		{"reviewer without department", staff(auth.RoleReviewer, "", ""), map[string]string{"department_code": "required"}},
		{"reviewer with point", staff(auth.RoleReviewer, "D1", "P1"), map[string]string{"point_code": "not_applicable"}},
		{"issuer", staff(auth.RoleIssuer, "", "P1"), nil},
		{"issuer without point", staff(auth.RoleIssuer, "", ""), map[string]string{"point_code": "required"}},
		{"hall manager", staff(auth.RoleHallManager, "", "P1"), nil},
		{"hall manager without point", staff(auth.RoleHallManager, "", ""), map[string]string{"point_code": "required"}},
		{"admin", staff(auth.RoleAdmin, "", ""), nil},
		{"admin with scope", staff(auth.RoleAdmin, "D1", "P1"), map[string]string{"department_code": "not_applicable", "point_code": "not_applicable"}},
		{"staff with kind and id", with(staff(auth.RoleAdmin, "", ""), func(u *auth.User) { u.Kind = auth.KindPerson; u.IDNumber = validIDCard }),
			map[string]string{"kind": "not_applicable", "id_number": "not_applicable"}},

		{"unknown role", staff("mayor", "", ""), map[string]string{"role": "unknown"}},
		{"empty role", staff("", "", ""), map[string]string{"role": "unknown"}},
		{"username too short", with(person, func(u *auth.User) { u.Username = "yu" }), map[string]string{"username": "length"}},
		{"username too long", with(person, func(u *auth.User) { u.Username = strings.Repeat("a", 65) }), map[string]string{"username": "length"}},
		{"username upper case", with(person, func(u *auth.User) { u.Username = "YuNvshi" }), map[string]string{"username": "charset"}},
		{"username with space", with(person, func(u *auth.User) { u.Username = "yu nvshi" }), map[string]string{"username": "charset"}},
		{"username chinese", with(person, func(u *auth.User) { u.Username = "于女士" }), map[string]string{"username": "charset"}},
		{"missing name", with(person, func(u *auth.User) { u.Name = "" }), map[string]string{"name": "required"}},
		{"everything wrong", auth.User{Role: auth.RoleReviewer, PointCode: "P1"},
			map[string]string{"username": "length", "name": "required", "department_code": "required", "point_code": "not_applicable"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fieldCodes(t, c.user.Validate())
			if len(got) != len(c.want) {
				t.Fatalf("field errors %v, want %v", got, c.want)
			}
			for field, code := range c.want {
				if got[field] != code {
					t.Errorf("field %s: code %q, want %q (all: %v)", field, got[field], code, got)
				}
			}
		})
	}
}

func TestRoleScopes(t *testing.T) {
	want := map[auth.Role]auth.Scope{
		auth.RoleApplicant: auth.ScopeNone, auth.RoleFrontDesk: auth.ScopePoint, auth.RoleReviewer: auth.ScopeDepartment,
		auth.RoleIssuer: auth.ScopePoint, auth.RoleHallManager: auth.ScopePoint, auth.RoleAdmin: auth.ScopeNone,
		auth.RoleFinanceOfficer: auth.ScopeNone,
	}
	if len(auth.Roles) != len(want) {
		t.Fatalf("Roles has %d entries, want %d", len(auth.Roles), len(want))
	}
	for _, r := range auth.Roles {
		if got := r.Scope(); got != want[r] {
			t.Errorf("%s.Scope() = %q, want %q", r, got, want[r])
		}
		if n := auth.RoleNames[r]; n.ZH == "" || n.EN == "" {
			t.Errorf("role %s lacks a label: %+v", r, n)
		}
	}
	if auth.Role("mayor").Valid() {
		t.Error("an unknown role is valid")
	}
}

func TestUserJSONHasNoPassword(t *testing.T) {
	b, err := json.Marshal(auth.User{ID: 1, Username: "abc", Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"id", "username", "role", "disabled", "created_at"} {
		if _, ok := m[key]; !ok {
			t.Errorf("JSON %s lacks %q", b, key)
		}
	}
	for key := range m {
		if strings.Contains(key, "password") || strings.Contains(key, "hash") {
			t.Errorf("JSON %s has %q", b, key)
		}
	}
}
