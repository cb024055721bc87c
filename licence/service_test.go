package licence_test

import (
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// fixture is the demo database with cases issuing licences through the hook.
type fixture struct {
	db     *store.DB
	cat    *catalog.Store
	cases  *cases.Service
	lic    *licence.Service
	clock  *clock.Manual
	users  *auth.Store
	credit string
}

func newFixture(t *testing.T, db *store.DB, withKeys bool) *fixture {
	t.Helper()
	ctx := context.Background()
	now := clocktest.Now(t)
	if _, err := demo.Load(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(now)
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewStore(db)
	svc := cases.NewService(db, cat, network.NewStore(db), cal, clk.Clock())
	var keys *licence.KeyDir
	if withKeys {
		dir := t.TempDir()
		if err := demo.LicenceKeys(dir); err != nil {
			t.Fatal(err)
		}
		keys = &licence.KeyDir{Path: dir}
	}
	lic := licence.NewService(db, cat, keys, clk.Clock())
	svc.OnIssue, svc.OnMemberStart = lic.OnIssue, lic.OnMemberStart
	cat.ResultLicences = lic.ResultLicences
	return &fixture{db: db, cat: cat, cases: svc, lic: lic, clock: clk, users: auth.NewStore(db), credit: ident.GenerateCreditCode("91220523MA0Y2345K")}
}

func (f *fixture) user(t *testing.T, name string) auth.User {
	t.Helper()
	u, err := f.users.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// issueBusinessLicence takes a 企业设立登记 from the desk to the issuing window;
// refuse decides against it instead.
func (f *fixture) issueBusinessLicence(t *testing.T, refuse bool) cases.Case {
	t.Helper()
	ctx := context.Background()
	c, err := f.cases.Create(ctx, f.user(t, "hn_qiantai"), cases.CreateRequest{Item: demo.CodeBusinessLicence,
		Materials: []string{"application_form", "articles", "investor_identity", "legal_rep_id", "premises_proof"},
		Applicant: &cases.Applicant{Kind: "enterprise", Name: "辉南示范商贸有限公司", CreditCode: f.credit},
		Then:      &cases.FirstAction{Action: cases.Accept}})
	if err != nil {
		t.Fatal(err)
	}
	reviewer := f.user(t, "scjg_shenpi")
	decide := cases.ActRequest{}
	action := cases.Approve
	if refuse {
		action, decide.Reasons = cases.Refuse, []string{"名称不符合规定"}
	}
	for _, step := range []struct {
		who    auth.User
		action cases.Action
		req    cases.ActRequest
	}{{reviewer, action, decide}, {reviewer, cases.PrepareResult, cases.ActRequest{}},
		{f.user(t, "hn_chuzheng"), cases.Issue, cases.ActRequest{IssueMethod: cases.IssueElectronic}}} {
		if c, err = f.cases.Act(ctx, step.who, c.ID, step.action, step.req); err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
	}
	return c
}

func TestIssuingMakesASignedLicence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, true)
		c := f.issueBusinessLicence(t, false)
		got, err := f.lic.ForCase(ctx, c.ID)
		if err != nil || len(got) != 1 {
			t.Fatalf("licences of the issued case: %+v %v", got, err)
		}
		l := got[0]
		if l.TypeCode != "SCJG-YYZZ" || l.HolderID != f.credit || l.Status != licence.StatusValid || l.Content.Issuer.Name == "HN-SCJG" || l.ValidTo != "" {
			t.Fatalf("licence: %+v", l)
		}
		v, err := f.lic.VerifyDocument(ctx, []byte(l.Document))
		if err != nil || !v.Valid || v.HolderName != "辉南示范商贸有限公司" {
			t.Fatalf("verify: %+v %v", v, err)
		}
		if v, _ := f.lic.Lookup(ctx, l.Number, l.VerifyCode); !v.Valid {
			t.Fatalf("lookup by number and code: %+v", v)
		}
		if v, _ := f.lic.Lookup(ctx, l.Number, "WRONGCODE234"); v.Valid || v.Reason != licence.NotFound {
			t.Fatalf("lookup with a wrong code: %+v", v)
		}

		// The holder's staff see it in their wallet; someone else does not.
		rep := auth.User{ID: 999, Role: auth.RoleApplicant, Kind: auth.KindPerson}.WithActsFor([]string{f.credit})
		if w, err := f.lic.Wallet(ctx, rep); err != nil || len(w) != 1 || w[0].ID != l.ID {
			t.Fatalf("wallet of the enterprise's agent: %+v %v", w, err)
		}
		if w, _ := f.lic.Wallet(ctx, f.user(t, "yuxiulan")); len(w) != 0 {
			t.Fatalf("a stranger's wallet holds %+v", w)
		}
		if _, err := f.lic.Get(ctx, f.user(t, "yuxiulan"), l.ID); apperr.As(err).Reason != "licence_not_found" {
			t.Fatalf("a stranger opens the licence: %v", err)
		}

		// A correction supersedes the first version; revoking the new one.
		if _, err := f.lic.Correct(ctx, f.user(t, "rs_shenpi"), l.ID, licence.Correction{HolderName: "x", Reason: "更正"}); apperr.As(err).Reason != "out_of_scope" {
			t.Fatalf("another department corrects: %v", err)
		}
		if _, err := f.lic.Correct(ctx, f.user(t, "scjg_shenpi"), l.ID, licence.Correction{HolderName: "辉南示范商贸（集团）有限公司"}); apperr.As(err).Fields == nil {
			t.Fatalf("a correction without a reason: %v", err)
		}
		v2, err := f.lic.Correct(ctx, f.user(t, "scjg_shenpi"), l.ID, licence.Correction{HolderName: "辉南示范商贸（集团）有限公司", Reason: "名称变更"})
		if err != nil || v2.Version != 2 || v2.Content.Supersedes != licence.Ref(l.Number, 1) {
			t.Fatalf("correct: %+v %v", v2, err)
		}
		if v, _ := f.lic.VerifyDocument(ctx, []byte(l.Document)); v.Valid || v.Reason != licence.Superseded {
			t.Fatalf("the first version after a correction: %+v", v)
		}
		if _, err := f.lic.Revoke(ctx, f.user(t, "scjg_shenpi"), v2.ID, " "); apperr.As(err).Fields == nil {
			t.Fatalf("revoking without a reason: %v", err)
		}
		if _, err := f.lic.Revoke(ctx, f.user(t, "scjg_shenpi"), v2.ID, "以欺骗手段取得"); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.lic.VerifyDocument(ctx, []byte(v2.Document)); v.Valid || v.Reason != licence.Revoked || v.MessageEN == "" {
			t.Fatalf("a revoked licence: %+v", v)
		}
		if _, err := f.lic.Revoke(ctx, f.user(t, "scjg_shenpi"), v2.ID, "again"); apperr.As(err).Reason != "licence_not_valid" {
			t.Fatalf("revoking twice: %v", err)
		}
		var actions []string
		rows, err := db.QueryContext(ctx, `SELECT action FROM audit_log WHERE object LIKE 'licence:%' ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var a string
			rows.Scan(&a)
			actions = append(actions, a)
		}
		if want := []string{"licence.issue", "licence.issue", "licence.revoke"}; !slices.Equal(actions, want) {
			t.Fatalf("audit records %v, want %v", actions, want)
		}
		if _, err := audit.Verify(ctx, db); err != nil {
			t.Fatalf("audit chain: %v", err)
		}
	})
}

func TestNoLicenceWithoutKeysOrWhenRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, false)
		c := f.issueBusinessLicence(t, false)
		if c.State != cases.Issued {
			t.Fatalf("the case was not issued: %s", c.State)
		}
		if got, err := f.lic.ForCase(ctx, c.ID); err != nil || len(got) != 0 {
			t.Fatalf("a server without keys issued %+v %v", got, err)
		}
		f = newFixture(t, storetest.SQLite(t), true)
		c = f.issueBusinessLicence(t, true)
		if got, err := f.lic.ForCase(ctx, c.ID); err != nil || len(got) != 0 {
			t.Fatalf("a refused case got a licence: %+v %v", got, err)
		}
	})
}
