package oidclogin

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

// identity is what the provider said about the person signing in.
type identity struct {
	subject     string
	idNumber    string
	idVerified  bool
	username    string
	name        string
	groups      []string
	hasIDNumber bool
}

// claims reads the identity from the ID token, and from the user info
// endpoint for what the token leaves out (providers differ in which
// claims they put where).
func (s *Service) claims(ctx context.Context, p *oidc.Provider, idt *oidc.IDToken, tok *oauth2.Token) (identity, error) {
	var m map[string]any
	if err := idt.Claims(&m); err != nil {
		return identity{}, refuse("token_invalid", msgStartAgain)
	}
	_, hasID := m[s.cfg.IDNumberClaim]
	_, hasGroups := m[s.cfg.GroupsClaim]
	if (!hasID || !hasGroups) && p.UserInfoEndpoint() != "" {
		if ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			var more map[string]any
			if ui.Claims(&more) == nil {
				for k, v := range more {
					if _, ok := m[k]; !ok {
						m[k] = v
					}
				}
			}
		}
	}
	id := identity{subject: idt.Subject}
	str := func(k string) string { v, _ := m[k].(string); return strings.TrimSpace(v) }
	id.idNumber, id.username, id.name = str(s.cfg.IDNumberClaim), str(s.cfg.UsernameClaim), str(s.cfg.NameClaim)
	id.hasIDNumber = id.idNumber != ""
	if s.cfg.VerifiedClaim == "" {
		id.idVerified = true
	} else {
		switch v := m[s.cfg.VerifiedClaim].(type) {
		case bool:
			id.idVerified = v
		case string:
			id.idVerified = v == "true"
		}
	}
	switch v := m[s.cfg.GroupsClaim].(type) {
	case []any:
		for _, g := range v {
			if g, ok := g.(string); ok {
				id.groups = append(id.groups, g)
			}
		}
	case string:
		id.groups = strings.Fields(strings.ReplaceAll(v, ",", " "))
	}
	return id, nil
}

// linkOutcome says what a sign-in did to the accounts, for the audit log.
type linkOutcome struct {
	Linked  bool   `json:"linked,omitempty"`  // a first sign-in linked an existing account
	Created bool   `json:"created,omitempty"` // a first sign-in made an account
	Claimed bool   `json:"claimed,omitempty"` // a self-registered account was handed to the proven holder
	Role    string `json:"role"`
	Group   string `json:"group,omitempty"`
}

// link finds or makes the account of id in one transaction with its audit
// record: a subject signed in before keeps its account (staff get their
// role from their groups again); a first sign-in links a staff account by
// username, or a person's account by a verified ID number, or creates one.
func (s *Service) link(ctx context.Context, id identity, client string) (auth.User, error) {
	// A first sign-in may need a password hash: made before the transaction,
	// since hashing takes tens of milliseconds.
	var hash string
	if _, err := s.linkedUser(ctx, s.db, id.subject); errors.Is(err, sql.ErrNoRows) {
		if hash, err = auth.UnusablePasswordHash(); err != nil {
			return auth.User{}, err
		}
	} else if err != nil {
		return auth.User{}, err
	}
	var u auth.User
	var out linkOutcome
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		grant, staff := s.cfg.grantFor(id.groups)
		userID, err := s.linkedUser(ctx, tx, id.subject)
		switch {
		case err == nil:
			if u, err = s.users.UserTx(ctx, tx, userID); err != nil {
				return err
			}
			if u.Role.IsStaff() {
				if !staff {
					return &refusal{reason: "no_staff_group", err: apperr.RoleNotAllowed(apperr.M(
						"统一身份认证平台未授予您工作人员角色，无法以工作人员身份登录。", "The identity service grants you no staff role, so you cannot sign in as staff."))}
				}
				if u, err = s.applyGrant(ctx, tx, u, grant); err != nil {
					return err
				}
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		case hash == "":
			return errors.New("oidclogin: linked meanwhile") // another sign-in of the same subject; try again
		case staff:
			if u, out, err = s.linkStaff(ctx, tx, id, grant, hash); err != nil {
				return err
			}
		default:
			if u, out, err = s.linkPerson(ctx, tx, id, hash); err != nil {
				return err
			}
		}
		if hash != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)`,
				s.cfg.Issuer, id.subject, u.ID, store.FormatTime(s.clk.Now().UTC())); err != nil {
				return err
			}
		}
		out.Role, out.Group = string(u.Role), grant.Group
		d, _ := json.Marshal(out)
		_, err = audit.Append(ctx, tx, audit.Record{At: s.clk.Now(), ActorID: u.ID, Actor: u.Username, Role: string(u.Role),
			Action: "auth.oidc", Object: "user:" + strconv.FormatInt(u.ID, 10), Outcome: audit.OK, Detail: string(d), IP: client})
		return err
	})
	if err != nil {
		var r *refusal
		if errors.As(err, &r) {
			return auth.User{}, r
		}
		if ae := apperr.As(err); ae.Code != apperr.Internal {
			return auth.User{}, &refusal{reason: "account_refused", detail: map[string]any{"error": ae.Reason}, err: ae}
		}
		return auth.User{}, apperr.Wrap(err, "oidclogin: link account")
	}
	if out.Claimed {
		s.users.Forget(u.ID)
	}
	return u, nil
}

func (s *Service) linkedUser(ctx context.Context, q store.Querier, subject string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT user_id FROM oidc_identities WHERE issuer = ? AND subject = ?`, s.cfg.Issuer, subject).Scan(&id)
	return id, err
}

// applyGrant gives a staff account the role its groups grant today.
func (s *Service) applyGrant(ctx context.Context, tx *store.Tx, u auth.User, g RoleGrant) (auth.User, error) {
	dept, point := g.binding()
	if u.Role == g.Role && u.DepartmentCode == dept && u.PointCode == point {
		return u, nil
	}
	return s.users.SetStaffRoleTx(ctx, tx, u, g.Role, dept, point)
}

var errNotStaffAccount = apperr.M("该用户名属于申请人账号，不能以工作人员身份登录。", "This username belongs to an applicant's account and cannot sign in as staff.")

func (s *Service) linkStaff(ctx context.Context, tx *store.Tx, id identity, g RoleGrant, hash string) (auth.User, linkOutcome, error) {
	if id.username == "" {
		return auth.User{}, linkOutcome{}, claimMissing(s.cfg.UsernameClaim)
	}
	u, err := s.users.UserByUsernameTx(ctx, tx, id.username)
	if err == nil {
		if !u.Role.IsStaff() {
			return auth.User{}, linkOutcome{}, &refusal{reason: "not_staff_account", err: apperr.RoleNotAllowed(errNotStaffAccount)}
		}
		u, err = s.applyGrant(ctx, tx, u, g)
		return u, linkOutcome{Linked: true}, err
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return auth.User{}, linkOutcome{}, err
	}
	dept, point := g.binding()
	name := id.name
	if name == "" {
		name = id.username
	}
	u = auth.User{Username: id.username, Name: name, Role: g.Role, DepartmentCode: dept, PointCode: point}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return auth.User{}, linkOutcome{}, err
	}
	u, err = s.users.InsertUser(ctx, tx, u, hash)
	return u, linkOutcome{Created: true}, err
}

func (s *Service) linkPerson(ctx context.Context, tx *store.Tx, id identity, hash string) (auth.User, linkOutcome, error) {
	if !id.hasIDNumber {
		return auth.User{}, linkOutcome{}, claimMissing(s.cfg.IDNumberClaim)
	}
	number, err := ident.IDCard(id.idNumber)
	if err != nil {
		r := refuse("id_number_invalid", apperr.M("统一身份认证平台提供的身份证号码无效。", "The ID number the identity service sent is not valid."))
		return auth.User{}, linkOutcome{}, r
	}
	if !id.idVerified {
		return auth.User{}, linkOutcome{}, refuse("id_number_unverified", apperr.M(
			"您在统一身份认证平台尚未完成实名认证，请先完成实名认证，或使用账号密码登录。",
			"The identity service has not verified your identity yet; complete its real-name check first, or sign in with your password."))
	}
	u, err := s.users.PersonByIDNumber(ctx, tx, number)
	if err == nil {
		if !u.IdentityUnverified {
			return u, linkOutcome{Linked: true}, nil
		}
		if err := s.users.ClaimVerifiedTx(ctx, tx, u.ID, hash); err != nil {
			return auth.User{}, linkOutcome{}, err
		}
		u.IdentityUnverified, u.Phone = false, ""
		return u, linkOutcome{Linked: true, Claimed: true}, nil
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return auth.User{}, linkOutcome{}, err
	}
	if id.name == "" {
		return auth.User{}, linkOutcome{}, claimMissing(s.cfg.NameClaim)
	}
	u = auth.User{Username: newUsername(), Name: id.name, Role: auth.RoleApplicant, Kind: auth.KindPerson, IDNumber: number}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return auth.User{}, linkOutcome{}, err
	}
	u, err = s.users.InsertUser(ctx, tx, u, hash)
	return u, linkOutcome{Created: true}, err
}

func claimMissing(claim string) *refusal {
	r := refuse("claim_missing", apperr.M("统一身份认证平台未提供登录所需的信息，请联系管理员。",
		"The identity service did not send what signing in needs; please contact the administrator."))
	r.detail = map[string]any{"claim": claim}
	return r
}

// newUsername makes the login name of an account made by a first sign-in;
// residents sign in with their ID number or the provider, so it only has to
// be unique.
func newUsername() string { return "o" + strings.ToLower(random()[:15]) }
