package licence_test

import (
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The demo's 开办企业一件事 without a 营业执照: the bundle's guide marks the
// 营业执照 as provided by the 企业设立登记 member, so neither the application
// nor its 一次性告知 asks for it; the members needing it start with it to
// follow and cannot be approved before it; the 企业设立登记 member is issued
// on its own although the bundle issues its results together, its licence
// reaches every member needing it by reference, and the bundle is issued.
func TestStartingABusinessWithoutBusinessLicence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, true)
		f.lic.Cases = f.cases
		def, err := f.cat.PublishedBundle(ctx, demo.BundleEnterprise)
		if err != nil {
			t.Fatal(err)
		}
		g, err := f.cat.Guide(ctx, def)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(g.Materials, func(m catalog.MergedMaterial) bool { return m.Type == "business_licence" })
		if i < 0 || !slices.Equal(g.Materials[i].ProvidedBy, []string{demo.CodeBusinessLicence}) {
			t.Fatalf("the guide's business licence: %+v", g.Materials)
		}
		var presented []string
		for _, m := range catalog.Asked(g.Materials) {
			if m.Requirement != catalog.Optional {
				presented = append(presented, m.Type)
			}
		}
		if slices.Contains(presented, "business_licence") {
			t.Fatalf("the application asks for the business licence: %v", presented)
		}
		desk, issuer := f.user(t, "hn_qiantai"), f.user(t, "hn_chuzheng")
		applicant := &cases.Applicant{Kind: "enterprise", Name: "辉南示范商贸有限公司", CreditCode: f.credit}

		// The 一次性告知 of an application that brought nothing leaves the 营业执照 out.
		empty, err := f.cases.CreateBundleCase(ctx, desk, cases.BundleCreateRequest{Bundle: def.Code, Applicant: applicant})
		if err != nil {
			t.Fatal(err)
		}
		if empty, err = f.cases.ActOnBundle(ctx, desk, empty.ID, cases.BundleNotifyMissing, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		if len(empty.Reasons) == 0 || slices.Contains(empty.Reasons, g.Materials[i].Name) {
			t.Fatalf("the bundle's notice lists %v", empty.Reasons)
		}

		b, err := f.cases.CreateBundleCase(ctx, desk, cases.BundleCreateRequest{Bundle: def.Code, Applicant: applicant, Materials: presented})
		if err != nil {
			t.Fatal(err)
		}
		if b, err = f.cases.ActOnBundle(ctx, desk, b.ID, cases.BundleAccept, cases.ActRequest{}); err != nil {
			t.Fatalf("accepting without a business licence: %v", err)
		}
		reviewers := map[string]string{}
		for _, a := range demo.Accounts() {
			if a.Role == "reviewer" {
				for _, m := range def.Members {
					if it, _ := f.cat.Version(ctx, m.Item, m.Version); it.DepartmentCode == a.User.DepartmentCode && reviewers[m.Item] == "" {
						reviewers[m.Item] = a.Username
					}
				}
			}
		}
		members := func() map[string]int64 {
			t.Helper()
			b, err := f.cases.GetBundleCase(ctx, desk, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int64{}
			for _, m := range b.Members {
				if m.CaseID != nil {
					out[m.Item] = *m.CaseID
				}
			}
			return out
		}
		act := func(item string, id int64, a cases.Action) error {
			t.Helper()
			_, err := f.cases.Act(ctx, f.user(t, reviewers[item]), id, a, cases.ActRequest{})
			return err
		}
		lic := members()[demo.CodeBusinessLicence]
		for _, a := range []cases.Action{cases.Approve, cases.PrepareResult} {
			if err := act(demo.CodeBusinessLicence, lic, a); err != nil {
				t.Fatalf("%s the business licence: %v", a, err)
			}
		}
		rest := []string{demo.CodeSealEngraving, demo.CodeInvoice, demo.CodeEmployerSocialInsurance, demo.CodeHousingFundEmployer}
		started := members()
		for _, item := range []string{demo.CodeSealEngraving, demo.CodeEmployerSocialInsurance, demo.CodeHousingFundEmployer} {
			c, err := f.cases.Get(ctx, desk, started[item])
			if err != nil {
				t.Fatal(err)
			}
			if c.State != cases.Accepted || !slices.Equal(c.Waived, []string{"business_licence"}) {
				t.Fatalf("%s starts %s with %v to follow, want the business licence", item, c.State, c.Waived)
			}
			if err := act(item, c.ID, cases.Approve); apperr.As(err).Reason != "waived_materials_outstanding" {
				t.Fatalf("approving %s before the licence: %v", item, err)
			}
		}
		if _, err := f.cases.Act(ctx, issuer, lic, cases.Issue, cases.ActRequest{IssueMethod: cases.IssueElectronic}); err != nil {
			t.Fatalf("issuing the business licence on its own: %v", err)
		}
		issued, err := f.lic.ForCase(ctx, lic)
		if err != nil || len(issued) != 1 {
			t.Fatalf("licences of the business licence member: %+v %v", issued, err)
		}
		ref := licence.Ref(issued[0].Number, issued[0].Version)
		for _, item := range rest {
			c, err := f.cases.Get(ctx, desk, started[item])
			if err != nil {
				t.Fatal(err)
			}
			j := slices.IndexFunc(c.Materials, func(m cases.Material) bool { return m.Type == "business_licence" })
			if j < 0 || c.Materials[j].Source != cases.SourceLicence || c.Materials[j].FileName != ref {
				t.Fatalf("%s after the issue: %+v", item, c.Materials)
			}
			for _, a := range []cases.Action{cases.Approve, cases.PrepareResult} {
				if err := act(item, c.ID, a); err != nil {
					t.Fatalf("%s %s: %v", a, item, err)
				}
			}
		}
		if b, err = f.cases.ActOnBundle(ctx, issuer, b.ID, cases.BundleIssue, cases.ActRequest{IssueMethod: cases.IssueElectronic}); err != nil || b.State != cases.Issued {
			t.Fatalf("issuing the bundle: %s %v", b.State, err)
		}
	})
}
