package delegation_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/delegation"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func person(t *testing.T, users *auth.Store, db *store.DB, username, id string, verified bool) auth.User {
	t.Helper()
	ctx := context.Background()
	u, hash, err := users.PrepareUser(auth.User{Username: username, Name: username, Role: auth.RoleApplicant, Kind: auth.KindPerson,
		IDNumber: id, IdentityUnverified: !verified}, "a-good-password")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { u, err = users.InsertUser(ctx, tx, u, hash); return err }); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRegisterAuthoriseWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewManual(clocktest.Now(t))
		users := auth.NewStore(db)
		svc := delegation.NewService(db, users, clk.Clock())
		rep := person(t, users, db, "rep", ident.GenerateIDCard("220523", time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC), 11), true)
		agent := person(t, users, db, "agent", ident.GenerateIDCard("220523", time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), 12), true)
		self := person(t, users, db, "self", ident.GenerateIDCard("220523", time.Date(1991, 1, 2, 0, 0, 0, 0, time.UTC), 13), false)
		code := ident.GenerateCreditCode("91220523MA1B2C3D4")

		if _, err := svc.Register(ctx, self, delegation.RegisterRequest{CreditCode: code, Name: "某公司"}, ""); apperr.As(err).Reason != "identity_not_verified" {
			t.Fatalf("a self-registered account registered an enterprise: %v", err)
		}
		_, err := svc.Register(ctx, rep, delegation.RegisterRequest{CreditCode: "91220523MA1B2C3D4X", Name: ""}, "")
		if fe := apperr.As(err).Fields; len(fe) != 2 || fe[0].Field != "credit_code" || fe[1].Field != "name" {
			t.Fatalf("field errors %+v, want credit_code and name", fe)
		}
		if _, err := svc.Register(ctx, rep, delegation.RegisterRequest{CreditCode: code, Name: "某公司"}, "203.0.113.1"); err != nil {
			t.Fatal(err)
		}
		today := clk.Now().In(clock.China).Format("2006-01-02")
		if _, err := svc.Authorise(ctx, agent, code, delegation.AuthoriseRequest{IDNumber: rep.IDNumber, EndsOn: today}, ""); apperr.As(err).Reason != "role_not_allowed" {
			t.Fatalf("an agent authorised someone: %v", err)
		}
		a, err := svc.Authorise(ctx, rep, code, delegation.AuthoriseRequest{IDNumber: agent.IDNumber, EndsOn: today}, "")
		if err != nil {
			t.Fatal(err)
		}
		acting, err := svc.WithAgency(ctx, agent)
		if err != nil || !acting.MayActFor(code) {
			t.Fatalf("agent acts for %v (%v), want %s", acting.ActsFor(), err, code)
		}
		// Enterprise requests follow the same rule.
		if p := enterprise.PartyOf(acting, 0, code, false); p != enterprise.PartyEnterprise {
			t.Fatalf("agent is %v to the enterprise's requests", p)
		}
		if p := enterprise.PartyOf(agent, 0, code, false); p != enterprise.PartyNone {
			t.Fatalf("a person not acting for it is %v", p)
		}
		// A stranger cannot withdraw it; the agent can give it up.
		if err := svc.Withdraw(ctx, self, code, a.ID, ""); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a stranger withdrew: %v", err)
		}
		if err := svc.Withdraw(ctx, agent, code, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		if acting, _ = svc.WithAgency(ctx, agent); acting.MayActFor(code) {
			t.Fatal("a withdrawn authorisation still holds")
		}
		if repActs, _ := svc.WithAgency(ctx, rep); !repActs.MayActFor(code) {
			t.Fatal("the legal representative does not act for the enterprise")
		}
		recs, err := audit.List(ctx, db, audit.Filter{Object: "enterprise:" + code})
		if err != nil || len(recs) != 3 {
			t.Fatalf("%d audit records (%v), want register, authorise, withdraw", len(recs), err)
		}
	})
}
