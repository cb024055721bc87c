package main

import (
	"errors"
	"flag"
	"net"
	"strings"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/oidclogin"
	"github.com/onewindow/onewindow/store"
)

// oidcFlags are serve's settings for signing in through the province's
// identity service (OpenID Connect).
type oidcFlags struct {
	issuer, clientID, secret, scopes          *string
	idClaim, verifiedClaim, userClaim, groups *string
	roles                                     *string
	roleMap                                   []oidclogin.RoleGrant
	redirect                                  string
}

func defineOIDCFlags(fs *flag.FlagSet) *oidcFlags {
	return &oidcFlags{
		issuer:        fs.String("oidc-issuer", "", "sign applicants and staff in through this OpenID Connect provider (the province's 统一身份认证), e.g.\nhttps://id.example.gov.cn; its callback is PUBLIC-URL/login/oidc/callback (none: passwords only)"),
		clientID:      fs.String("oidc-client-id", "", "this server's client id at the provider; with --oidc-issuer"),
		secret:        fs.String("oidc-client-secret", "", "this server's client secret at the provider (better: --oidc-client-secret-file or ONEWINDOW_OIDC_CLIENT_SECRET)"),
		scopes:        fs.String("oidc-scopes", "profile", "scopes asked for besides openid, comma-separated"),
		idClaim:       fs.String("oidc-id-claim", "id_number", "the claim carrying an applicant's resident ID card number"),
		verifiedClaim: fs.String("oidc-verified-claim", oidclogin.DefaultVerifiedClaim, "the boolean claim saying the provider verified that ID number (实名认证); \"\" trusts every ID number"),
		userClaim:     fs.String("oidc-username-claim", "preferred_username", "the claim carrying a staff member's username"),
		groups:        fs.String("oidc-groups-claim", "groups", "the claim listing the groups staff roles are mapped from"),
		roles:         fs.String("oidc-roles", "", "staff roles by provider group, first match first: group=role[:scope],… e.g.\nhn-rs=reviewer:HN-RS,hn-desk=frontdesk:HNZWFW,hn-admin=admin (someone in none of them signs in as an applicant)"),
	}
}

// check validates the settings and works out the callback address.
func (f *oidcFlags) check(addr, publicURL string) error {
	if *f.issuer == "" {
		if *f.clientID != "" || *f.roles != "" {
			return errors.New("--oidc-client-id and --oidc-roles need --oidc-issuer")
		}
		return nil
	}
	var err error
	if f.roleMap, err = oidclogin.ParseRoleMap(*f.roles); err != nil {
		return errors.New("--oidc-roles: " + err.Error())
	}
	base := strings.TrimRight(publicURL, "/")
	if base == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil || host == "" || net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified() {
			return errors.New("--oidc-issuer needs --public-url: the provider sends browsers back to PUBLIC-URL/login/oidc/callback")
		}
		base = "http://" + addr
	}
	f.redirect = base + "/login/oidc/callback"
	return nil
}

// service returns the sign-in service, or nil when no provider is set.
func (f *oidcFlags) service(db *store.DB, users *auth.Store, clk clock.Clock) (*oidclogin.Service, error) {
	if *f.issuer == "" {
		return nil, nil
	}
	var scopes []string
	for _, sc := range strings.Split(*f.scopes, ",") {
		if sc = strings.TrimSpace(sc); sc != "" && sc != "openid" {
			scopes = append(scopes, sc)
		}
	}
	return oidclogin.New(oidclogin.Config{Issuer: *f.issuer, ClientID: *f.clientID, ClientSecret: *f.secret, RedirectURL: f.redirect,
		Scopes: scopes, IDNumberClaim: *f.idClaim, VerifiedClaim: *f.verifiedClaim, UsernameClaim: *f.userClaim, GroupsClaim: *f.groups,
		Roles: f.roleMap}, db, users, clk)
}
