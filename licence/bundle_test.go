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
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// foodShopBundle publishes a 一件事 in which the food business licence
// follows the business licence and takes the 营业执照 容缺 (to follow), with
// results issued one by one; it returns the bundle's code.
func foodShopBundle(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	cat := catalog.NewStore(db)
	food, err := cat.Published(ctx, demo.CodeFoodBusinessLicence)
	if err != nil {
		t.Fatal(err)
	}
	for i := range food.Materials {
		if food.Materials[i].Licence == "SCJG-YYZZ" {
			food.Materials[i].Requirement = catalog.Waivable
		}
	}
	draft, err := cat.SaveDraft(ctx, auth.System, food)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Publish(ctx, auth.System, draft.Code, draft.Version); err != nil {
		t.Fatal(err)
	}
	b, err := cat.SaveBundleDraft(ctx, auth.System, catalog.Bundle{Code: "YJS-SPDKB", Name: "开办食品店一件事", NameEN: "Opening a food shop",
		LeadDepartment: demo.DeptMarket, PromisedLimitDays: 10, OnRefusal: catalog.OnRefusalStop, PartialIssue: true,
		Members: []catalog.BundleMember{{Item: demo.CodeBusinessLicence},
			{Item: demo.CodeFoodBusinessLicence, DependsOn: []string{demo.CodeBusinessLicence}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.PublishBundle(ctx, auth.System, b.Code, b.Version); err != nil {
		t.Fatal(err)
	}
	return b.Code
}

// Inside a 一件事 the 营业执照 one member yields is passed on to the member
// that needs it: before its issue the food licence case lists it as to
// follow and cannot be approved; once the business licence is issued, the
// material is provided by reference to the new licence (the bundle
// application is the consent), recorded in the register of uses and the
// audit log, and the case is approved. A case of the same enterprise
// outside the bundle is not given the licence without its own consent.
func TestBundleMemberLicencePassedOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, true)
		f.lic.Cases = f.cases
		code := foodShopBundle(t, db)
		desk, reviewer := f.user(t, "hn_qiantai"), f.user(t, "scjg_shenpi")
		guide, err := catalog.NewStore(db).PublishedBundle(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		g, err := catalog.NewStore(db).Guide(ctx, guide)
		if err != nil {
			t.Fatal(err)
		}
		var presented []string
		for _, m := range g.Materials {
			if m.Requirement != catalog.Optional && m.Type != "business_licence" {
				presented = append(presented, m.Type)
			}
		}
		if i := slices.IndexFunc(g.Materials, func(m catalog.MergedMaterial) bool { return m.Type == "business_licence" }); i < 0 || g.Materials[i].Requirement != catalog.Waivable {
			t.Fatalf("the bundle should take the business licence to follow: %+v", g.Materials)
		}
		applicant := &cases.Applicant{Kind: "enterprise", Name: "辉南示范食品有限公司", CreditCode: f.credit}
		b, err := f.cases.CreateBundleCase(ctx, desk, cases.BundleCreateRequest{Bundle: code, Applicant: applicant, Materials: presented})
		if err != nil {
			t.Fatal(err)
		}
		if b, err = f.cases.ActOnBundle(ctx, desk, b.ID, cases.BundleAccept, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		// A standalone food licence case of the same enterprise, accepted with the licence to follow.
		var foodMaterials []string
		for _, m := range g.Materials {
			if slices.Contains(m.Items, demo.CodeFoodBusinessLicence) && slices.Contains(presented, m.Type) {
				foodMaterials = append(foodMaterials, m.Type)
			}
		}
		alone, err := f.cases.Create(ctx, desk, cases.CreateRequest{Item: demo.CodeFoodBusinessLicence, Materials: foodMaterials, Applicant: applicant,
			Then: &cases.FirstAction{Action: cases.Accept}})
		if err != nil {
			t.Fatal(err)
		}
		member := func(item string) int64 {
			t.Helper()
			b, err := f.cases.GetBundleCase(ctx, desk, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range b.Members {
				if m.Item == item && m.CaseID != nil {
					return *m.CaseID
				}
			}
			t.Fatalf("member %s has not started: %+v", item, b.Members)
			return 0
		}
		lic := member(demo.CodeBusinessLicence)
		if _, err := f.cases.Act(ctx, reviewer, lic, cases.Approve, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		food := member(demo.CodeFoodBusinessLicence)
		check, err := f.cases.Check(ctx, reviewer, food)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(check.WaivableMissing, func(m catalog.Material) bool { return m.Type == "business_licence" }) {
			t.Fatalf("before the licence is issued the food case's notice lacks it: %+v", check)
		}
		if _, err := f.cases.Act(ctx, reviewer, food, cases.Approve, cases.ActRequest{}); apperr.As(err).Reason != "waived_materials_outstanding" {
			t.Fatalf("approving before the licence: %v", err)
		}

		for _, st := range []struct {
			who    auth.User
			action cases.Action
			req    cases.ActRequest
		}{{reviewer, cases.PrepareResult, cases.ActRequest{}}, {f.user(t, "hn_chuzheng"), cases.Issue, cases.ActRequest{IssueMethod: cases.IssueElectronic}}} {
			if _, err := f.cases.Act(ctx, st.who, lic, st.action, st.req); err != nil {
				t.Fatalf("%s: %v", st.action, err)
			}
		}
		issued, err := f.lic.ForCase(ctx, lic)
		if err != nil || len(issued) != 1 {
			t.Fatalf("licences of the business licence member: %+v %v", issued, err)
		}
		l := issued[0]

		got, err := f.cases.Get(ctx, reviewer, food)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(got.Materials, func(m cases.Material) bool { return m.Type == "business_licence" })
		if i < 0 || got.Materials[i].Source != cases.SourceLicence || got.Materials[i].FileName != licence.Ref(l.Number, l.Version) {
			t.Fatalf("the food case's business licence after the issue: %+v", got.Materials)
		}
		if check, err = f.cases.Check(ctx, reviewer, food); err != nil || len(check.Missing)+len(check.WaivableMissing) != 0 {
			t.Fatalf("the food case's notice after the issue: %+v %v", check, err)
		}
		if _, err := f.cases.Act(ctx, reviewer, food, cases.Approve, cases.ActRequest{}); err != nil {
			t.Fatalf("approving with the licence passed on: %v", err)
		}
		// The reviewer sees the licence itself, checked.
		seen, err := f.lic.ForCaseMaterials(ctx, reviewer, food, "")
		if err != nil || len(seen) != 1 || seen[0].Licence.ID != l.ID || !seen[0].Verdict.Valid {
			t.Fatalf("the reviewer's view of the passed-on licence: %+v %v", seen, err)
		}

		standalone, err := f.cases.Get(ctx, desk, alone.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(standalone.Materials, func(m cases.Material) bool { return m.Source == cases.SourceLicence }) {
			t.Fatalf("a case outside the bundle was given the licence without consent: %+v", standalone.Materials)
		}
		var uses, bundleUses, records int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN kind = 'bundle' AND case_id = ? AND purpose = '一件事' THEN 1 END) FROM licence_uses WHERE licence_id = ? AND kind <> 'view'`,
			food, l.ID).Scan(&uses, &bundleUses); err != nil {
			t.Fatal(err)
		}
		if uses != 1 || bundleUses != 1 {
			t.Fatalf("register of uses: %d uses, %d by the bundle; want the one bundle use", uses, bundleUses)
		}
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'licence.bundle_reuse' AND object = ?`,
			"licence:"+licence.Ref(l.Number, l.Version)).Scan(&records); err != nil || records != 1 {
			t.Fatalf("%d bundle reuse audit records (%v), want 1", records, err)
		}
		if _, err := audit.Verify(ctx, db); err != nil {
			t.Fatalf("audit chain: %v", err)
		}
	})
}

// A member that starts after a sibling's licence was issued gets it when it
// starts: the food licence waits for the business licence and the invoice,
// the business licence is issued first (results go out one by one), and
// when the invoice is approved the food licence case starts with the
// 营业执照 provided by reference, not taken to follow; the use is recorded
// and audited like a licence passed on at its issue.
func TestBundleMemberStartedAfterLicenceGetsIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, true)
		f.lic.Cases = f.cases
		foodShopBundle(t, db) // publishes the food item taking the 营业执照 to follow
		cat := catalog.NewStore(db)
		saved, err := cat.SaveBundleDraft(ctx, auth.System, catalog.Bundle{Code: "YJS-SPDKB2", Name: "开办食品店并申领发票一件事", NameEN: "Opening a food shop with invoices",
			LeadDepartment: demo.DeptMarket, PromisedLimitDays: 10, OnRefusal: catalog.OnRefusalStop, PartialIssue: true,
			Members: []catalog.BundleMember{{Item: demo.CodeBusinessLicence}, {Item: demo.CodeInvoice},
				{Item: demo.CodeFoodBusinessLicence, DependsOn: []string{demo.CodeBusinessLicence, demo.CodeInvoice}}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cat.PublishBundle(ctx, auth.System, saved.Code, saved.Version); err != nil {
			t.Fatal(err)
		}
		def, err := cat.PublishedBundle(ctx, saved.Code)
		if err != nil {
			t.Fatal(err)
		}
		g, err := cat.Guide(ctx, def)
		if err != nil {
			t.Fatal(err)
		}
		var presented []string
		for _, m := range g.Materials {
			if m.Requirement != catalog.Optional && m.Type != "business_licence" {
				presented = append(presented, m.Type)
			}
		}
		desk := f.user(t, "hn_qiantai")
		applicant := &cases.Applicant{Kind: "enterprise", Name: "辉南示范食品有限公司", CreditCode: f.credit}
		b, err := f.cases.CreateBundleCase(ctx, desk, cases.BundleCreateRequest{Bundle: saved.Code, Applicant: applicant, Materials: presented})
		if err != nil {
			t.Fatal(err)
		}
		if b, err = f.cases.ActOnBundle(ctx, desk, b.ID, cases.BundleAccept, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		member := func(item string) int64 {
			t.Helper()
			b, err := f.cases.GetBundleCase(ctx, desk, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range b.Members {
				if m.Item == item && m.CaseID != nil {
					return *m.CaseID
				}
			}
			t.Fatalf("member %s has not started: %+v", item, b.Members)
			return 0
		}
		reviewerOf := map[string]string{demo.CodeBusinessLicence: "scjg_shenpi", demo.CodeInvoice: "sw_shenpi"}
		lic := member(demo.CodeBusinessLicence)
		for _, st := range []struct {
			who    auth.User
			action cases.Action
			req    cases.ActRequest
		}{{f.user(t, reviewerOf[demo.CodeBusinessLicence]), cases.Approve, cases.ActRequest{}},
			{f.user(t, reviewerOf[demo.CodeBusinessLicence]), cases.PrepareResult, cases.ActRequest{}},
			{f.user(t, "hn_chuzheng"), cases.Issue, cases.ActRequest{IssueMethod: cases.IssueElectronic}}} {
			if _, err := f.cases.Act(ctx, st.who, lic, st.action, st.req); err != nil {
				t.Fatalf("%s: %v", st.action, err)
			}
		}
		issued, err := f.lic.ForCase(ctx, lic)
		if err != nil || len(issued) != 1 {
			t.Fatalf("licences of the business licence member: %+v %v", issued, err)
		}
		l := issued[0]
		b, err = f.cases.GetBundleCase(ctx, desk, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range b.Members {
			if m.Item == demo.CodeFoodBusinessLicence && m.CaseID != nil {
				t.Fatalf("the food licence started before the invoice was approved: %+v", b.Members)
			}
		}
		if _, err := f.cases.Act(ctx, f.user(t, reviewerOf[demo.CodeInvoice]), member(demo.CodeInvoice), cases.Approve, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		food, err := f.cases.Get(ctx, desk, member(demo.CodeFoodBusinessLicence))
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(food.Materials, func(m cases.Material) bool { return m.Type == "business_licence" })
		if i < 0 || food.Materials[i].Source != cases.SourceLicence || food.Materials[i].FileName != licence.Ref(l.Number, l.Version) {
			t.Fatalf("the food case's business licence as it starts: %+v", food.Materials)
		}
		if food.State != cases.Accepted || len(food.Waived) != 0 {
			t.Fatalf("the food case starts %s with %v to follow, want accepted with nothing to follow", food.State, food.Waived)
		}
		var uses, records int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM licence_uses WHERE licence_id = ? AND case_id = ? AND kind = 'bundle' AND purpose = '一件事'`,
			l.ID, food.ID).Scan(&uses); err != nil || uses != 1 {
			t.Fatalf("%d bundle uses for the food case (%v), want 1", uses, err)
		}
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'licence.bundle_reuse' AND object = ?`,
			"licence:"+licence.Ref(l.Number, l.Version)).Scan(&records); err != nil || records != 2 {
			t.Fatalf("%d bundle reuse audit records (%v), want 2: the invoice at the issue and the food licence at its start", records, err)
		}
		if _, err := audit.Verify(ctx, db); err != nil {
			t.Fatalf("audit chain: %v", err)
		}
	})
}
