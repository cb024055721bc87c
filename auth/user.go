// Package auth holds users, their roles and scopes, password hashing, bearer
// tokens and login rate limiting; every other package asks it who is acting.
package auth

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/ident"
)

// Role is what a user may do. Staff roles are bound to a scope: a department
// (reviewers decide only their department's cases) or a service point (front
// desks, issuing windows and hall managers act only where they work).
type Role string

const (
	RoleApplicant   Role = "applicant"
	RoleFrontDesk   Role = "frontdesk"
	RoleReviewer    Role = "reviewer"
	RoleIssuer      Role = "issuer"
	RoleHallManager Role = "hall_manager"
	RoleAdmin       Role = "admin"
	// RoleFinanceOfficer acts for a financial institution on the 产融合作
	// platform; which institution is kept by package finance (its officers).
	RoleFinanceOfficer Role = "finance_officer"
)

// Roles lists every role in the order menus show them.
var Roles = []Role{RoleApplicant, RoleFrontDesk, RoleReviewer, RoleIssuer, RoleHallManager, RoleAdmin, RoleFinanceOfficer}

// RoleNames labels each role in both UI languages.
var RoleNames = map[Role]apperr.Msg{
	RoleApplicant:      apperr.M("申请人", "Applicant"),
	RoleFrontDesk:      apperr.M("综合受理窗口", "Front desk"),
	RoleReviewer:       apperr.M("部门审批人员", "Department reviewer"),
	RoleIssuer:         apperr.M("统一出证窗口", "Issuing window"),
	RoleHallManager:    apperr.M("大厅管理员", "Hall manager"),
	RoleAdmin:          apperr.M("系统管理员", "Administrator"),
	RoleFinanceOfficer: apperr.M("金融机构人员", "Financial institution officer"),
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := RoleNames[r]
	return ok
}

// Scope is the kind of place a staff role is bound to.
type Scope string

const (
	ScopeNone       Scope = ""
	ScopeDepartment Scope = "department"
	ScopePoint      Scope = "point"
)

// Scope returns what r must be bound to: reviewers to a department; front
// desks, issuers and hall managers to a service point; applicants and
// administrators to nothing.
func (r Role) Scope() Scope {
	switch r {
	case RoleReviewer:
		return ScopeDepartment
	case RoleFrontDesk, RoleIssuer, RoleHallManager:
		return ScopePoint
	}
	return ScopeNone
}

// IsStaff reports whether r works for the administration (every role but applicant).
func (r Role) IsStaff() bool { return r.Valid() && r != RoleApplicant }

// Applicant kinds: a resident identified by a 居民身份证 number, or an
// enterprise (or other organisation) identified by a 统一社会信用代码.
const (
	KindPerson     = "person"
	KindEnterprise = "enterprise"
)

// KindNames labels each applicant kind in both UI languages.
var KindNames = map[string]apperr.Msg{
	KindPerson:     apperr.M("个人", "Person"),
	KindEnterprise: apperr.M("企业或组织", "Enterprise or organisation"),
}

// User is an account of any role. The password hash is kept by Store and is
// never part of this type, so it cannot be serialised by accident.
type User struct {
	ID             int64  `json:"id"`
	Username       string `json:"username"`
	Name           string `json:"name"`
	Role           Role   `json:"role"`
	Kind           string `json:"kind,omitempty"`
	IDNumber       string `json:"id_number,omitempty"`
	CreditCode     string `json:"credit_code,omitempty"`
	Phone          string `json:"phone,omitempty"`
	DepartmentCode string `json:"department_code,omitempty"`
	PointCode      string `json:"point_code,omitempty"`
	// DepartmentHead marks a reviewer who heads their department (部门负责人).
	DepartmentHead bool      `json:"department_head,omitempty"`
	Disabled       bool      `json:"disabled"`
	CreatedAt      time.Time `json:"created_at"`
	// IdentityUnverified marks a resident who registered alone: the phone
	// is confirmed, but nobody has checked that the holder is the person the
	// ID number names (see cases' ownership rule).
	IdentityUnverified bool `json:"-"`
	// actsFor holds the 统一社会信用代码 of the enterprises a person may act
	// for today, as their legal representative or an authorised agent
	// (经办人), joined by commas (a list would make User incomparable). It is
	// read per request (package delegation, WithActsFor), never stored, and
	// widens what the person sees to those enterprises' cases and requests.
	actsFor string
}

// WithActsFor returns u acting for the enterprises with these credit codes.
func (u User) WithActsFor(codes []string) User {
	u.actsFor = strings.Join(codes, ",")
	return u
}

// ActsFor lists the credit codes of the enterprises u may act for today.
func (u User) ActsFor() []string {
	if u.actsFor == "" {
		return nil
	}
	return strings.Split(u.actsFor, ",")
}

// MayActFor reports whether u may act for the enterprise with creditCode.
func (u User) MayActFor(creditCode string) bool {
	if creditCode == "" {
		return false
	}
	for _, c := range u.ActsFor() {
		if c == creditCode {
			return true
		}
	}
	return false
}

const (
	minUsernameLen = 3
	maxUsernameLen = 64
	maxNameLen     = 100
	maxCodeLen     = 64
)

// Validate checks every field and reports all wrong ones at once, each named
// by its JSON field. It does not change u; Store.AddUser normalises first.
func (u *User) Validate() error {
	var f apperr.Fields
	validateUsername(&f, u.Username)
	switch n := utf8.RuneCountInString(u.Name); {
	case n == 0:
		f.Add("name", "required", apperr.M("请填写姓名或名称", "name is required"))
	case n > maxNameLen:
		f.Add("name", "too_long", apperr.M("姓名或名称不能超过100个字", "name must be at most 100 characters"))
	}
	if !u.Role.Valid() {
		f.Add("role", "unknown", apperr.M("角色无效，可选：applicant、frontdesk、reviewer、issuer、hall_manager、admin、finance_officer",
			"unknown role; one of applicant, frontdesk, reviewer, issuer, hall_manager, admin, finance_officer"))
	}
	u.validateScope(&f)
	u.validateApplicant(&f)
	if u.Phone != "" {
		addIdentProblem(&f, "phone", ident.Mobile, u.Phone)
	}
	return f.Err()
}

func validateUsername(f *apperr.Fields, name string) {
	if len(name) < minUsernameLen || len(name) > maxUsernameLen {
		f.Add("username", "length", apperr.M("用户名长度应为3到64个字符", "username must be 3 to 64 characters long"))
		return
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			f.Add("username", "charset", apperr.M("用户名只能包含小写字母、数字、下划线、点和连字符",
				"username may contain only lowercase letters, digits, '_', '.' and '-'"))
			return
		}
	}
}

func (u *User) validateScope(f *apperr.Fields) {
	scope := u.Role.Scope()
	checkCode := func(field, value string, needed bool, need, notApplicable apperr.Msg) {
		switch {
		case needed && value == "":
			f.Add(field, "required", need)
		case !needed && value != "":
			f.Add(field, "not_applicable", notApplicable)
		case len(value) > maxCodeLen:
			f.Add(field, "too_long", apperr.M("编码不能超过64个字符", "code must be at most 64 characters"))
		}
	}
	checkCode("department_code", u.DepartmentCode, scope == ScopeDepartment,
		apperr.M("部门审批人员必须指定所属部门", "a reviewer needs a department"),
		apperr.M("只有部门审批人员可以指定部门", "only reviewers are bound to a department"))
	if u.DepartmentHead && u.Role != RoleReviewer {
		f.Add("department_head", "not_applicable", apperr.M("只有部门审批人员可以设为部门负责人", "only a department's reviewers can be its head"))
	}
	checkCode("point_code", u.PointCode, scope == ScopePoint,
		apperr.M("窗口人员和大厅管理员必须指定服务网点", "front desk, issuer and hall manager users need a service point"),
		apperr.M("该角色不绑定服务网点", "this role is not bound to a service point"))
}

func (u *User) validateApplicant(f *apperr.Fields) {
	if u.Role != RoleApplicant {
		if u.Kind != "" {
			f.Add("kind", "not_applicable", apperr.M("只有申请人区分个人和企业", "only applicants have a kind"))
		}
		if u.IDNumber != "" {
			f.Add("id_number", "not_applicable", apperr.M("工作人员账号不登记身份证号码", "staff accounts carry no ID number"))
		}
		if u.CreditCode != "" {
			f.Add("credit_code", "not_applicable", apperr.M("工作人员账号不登记统一社会信用代码", "staff accounts carry no credit code"))
		}
		return
	}
	switch u.Kind {
	case KindPerson:
		if u.IDNumber == "" {
			f.Add("id_number", "required", apperr.M("个人申请人必须填写居民身份证号码", "a person needs a resident ID card number"))
		} else {
			addIdentProblem(f, "id_number", ident.IDCard, u.IDNumber)
		}
		if u.CreditCode != "" {
			f.Add("credit_code", "not_applicable", apperr.M("个人申请人不填写统一社会信用代码", "a person has no unified social credit code"))
		}
	case KindEnterprise:
		if u.CreditCode == "" {
			f.Add("credit_code", "required", apperr.M("企业申请人必须填写统一社会信用代码", "an enterprise needs a unified social credit code"))
		} else {
			addIdentProblem(f, "credit_code", ident.CreditCode, u.CreditCode)
		}
		// An enterprise account may also record the ID number of the person
		// who acts for it; when given it must be right.
		if u.IDNumber != "" {
			addIdentProblem(f, "id_number", ident.IDCard, u.IDNumber)
		}
	case "":
		f.Add("kind", "required", apperr.M("请选择申请人类型：个人（person）或企业（enterprise）",
			"applicant kind is required: person or enterprise"))
	default:
		f.Add("kind", "unknown", apperr.M("申请人类型只能是个人（person）或企业（enterprise）",
			"applicant kind must be person or enterprise"))
	}
}

// Normalize trims the text fields, puts usernames in lower case, identity
// numbers in upper case and mobile numbers in their 11 digits: the forms
// Validate expects and the database stores.
func (u *User) Normalize() {
	u.Username = NormalizeUsername(u.Username)
	u.Name = strings.TrimSpace(u.Name)
	u.Role = Role(strings.TrimSpace(string(u.Role)))
	u.Kind = strings.TrimSpace(u.Kind)
	u.IDNumber = normalizeIdent(u.IDNumber)
	u.CreditCode = normalizeIdent(u.CreditCode)
	u.Phone = strings.TrimSpace(u.Phone)
	if mobile, err := ident.Mobile(u.Phone); err == nil {
		u.Phone = mobile // "+86 138-0000-0000" is stored as 13800000000
	}
	u.DepartmentCode = strings.TrimSpace(u.DepartmentCode)
	u.PointCode = strings.TrimSpace(u.PointCode)
}

// normalizeIdent trims spaces and upper-cases a typed identity number, since
// people write the trailing x of an ID card in either case.
func normalizeIdent(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// NormalizeUsername is how a typed username is looked up: trimmed, lower case.
func NormalizeUsername(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// addIdentProblem adds a field error when check (an ident validator) refuses value.
func addIdentProblem(f *apperr.Fields, field string, check func(string) (string, error), value string) {
	if _, err := check(value); err != nil {
		reason, msg := ident.Problem(err)
		f.Add(field, reason, msg)
	}
}
