// Package oidclogin signs applicants and staff in through the province's
// identity service (统一身份认证) with OpenID Connect: the authorization
// code flow with PKCE, a state bound to the browser and spent once, a
// nonce, and the ID token checked for its issuer, audience and expiry. A
// first sign-in links the provider's subject to an account (a resident by a
// verified ID number, staff by username, their role from a group claim) or
// creates one. Every refusal is written to the audit log.
package oidclogin

import (
	"fmt"
	"strings"

	"github.com/onewindow/onewindow/auth"
)

// Config says which provider to use and how to read its tokens.
type Config struct {
	Issuer       string // the provider's issuer URL; its discovery document is read from there
	ClientID     string
	ClientSecret string
	RedirectURL  string   // this server's callback, …/login/oidc/callback
	Scopes       []string // asked for besides openid

	// Claims of the ID token (or of the user info when the token lacks them).
	IDNumberClaim string // the resident ID card number (default id_number)
	// VerifiedClaim is a boolean claim saying that the provider checked the
	// ID number against the holder (实名认证); empty trusts every ID number
	// the provider sends. Default id_number_verified.
	VerifiedClaim string
	UsernameClaim string // the staff username (default preferred_username)
	GroupsClaim   string // the groups the roles are mapped from (default groups)
	NameClaim     string // the person's name (default name)

	// Roles maps the provider's groups to staff roles, first match first.
	// Someone in none of these groups signs in as an applicant.
	Roles []RoleGrant
}

// RoleGrant gives members of a provider group a staff role, bound to a
// department (reviewers) or a service point (front desks, issuers, hall
// managers).
type RoleGrant struct {
	Group string
	Role  auth.Role
	Scope string // department or service point code
}

func (c *Config) withDefaults() {
	def := func(v *string, d string) {
		if strings.TrimSpace(*v) == "" {
			*v = d
		}
	}
	def(&c.IDNumberClaim, "id_number")
	def(&c.UsernameClaim, "preferred_username")
	def(&c.GroupsClaim, "groups")
	def(&c.NameClaim, "name")
	c.Issuer = strings.TrimSpace(c.Issuer)
}

// DefaultVerifiedClaim is the claim that marks a checked ID number unless
// configured otherwise.
const DefaultVerifiedClaim = "id_number_verified"

// ParseRoleMap reads the group-to-role map of the command line:
// comma-separated group=role[:scope] entries, e.g.
// "hn-reviewers-rs=reviewer:HN-RS,hn-desk=frontdesk:HNZWFW,hn-admins=admin".
// The role must be a staff role; its scope is required where the role has
// one and refused where it has none.
func ParseRoleMap(s string) ([]RoleGrant, error) {
	var out []RoleGrant
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		group, rest, ok := strings.Cut(entry, "=")
		group = strings.TrimSpace(group)
		if !ok || group == "" {
			return nil, fmt.Errorf("%q: expected group=role[:scope]", entry)
		}
		role, scope, _ := strings.Cut(rest, ":")
		g := RoleGrant{Group: group, Role: auth.Role(strings.TrimSpace(role)), Scope: strings.TrimSpace(scope)}
		if !g.Role.IsStaff() {
			return nil, fmt.Errorf("%q: %q is not a staff role (frontdesk, reviewer, issuer, hall_manager, admin)", entry, g.Role)
		}
		switch needs := g.Role.Scope(); {
		case needs != auth.ScopeNone && g.Scope == "":
			return nil, fmt.Errorf("%q: a %s is bound to a %s: write %s=%s:CODE", entry, g.Role, needs, group, g.Role)
		case needs == auth.ScopeNone && g.Scope != "":
			return nil, fmt.Errorf("%q: a %s is bound to no department or service point", entry, g.Role)
		}
		out = append(out, g)
	}
	return out, nil
}

// grantFor returns the first grant whose group is among groups.
func (c *Config) grantFor(groups []string) (RoleGrant, bool) {
	for _, g := range c.Roles {
		for _, have := range groups {
			if have == g.Group {
				return g, true
			}
		}
	}
	return RoleGrant{}, false
}

// binding returns the department and point codes of a grant.
func (g RoleGrant) binding() (department, point string) {
	switch g.Role.Scope() {
	case auth.ScopeDepartment:
		return g.Scope, ""
	case auth.ScopePoint:
		return "", g.Scope
	}
	return "", ""
}
