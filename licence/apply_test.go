package licence_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The demo's 个体工商户设立登记 is found by what people call it and yields a
// 营业执照; its holder, applying online for the food business licence, is
// offered that licence for the material it satisfies and nothing else,
// and someone else is offered nothing.
func TestIndividualBusinessLicenceOfferedOnline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, true)
		cat := catalog.NewStore(db)
		for _, q := range []string{"个体户", "yyzz", "营业执照"} {
			page, _, err := cat.Search(ctx, catalog.Filter{Query: q, Limit: catalog.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, it := range page {
				found = found || it.Code == demo.CodeIndividualBusiness
			}
			if !found {
				t.Errorf("searching %q does not find 个体工商户设立登记", q)
			}
		}
		it, err := cat.Published(ctx, demo.CodeIndividualBusiness)
		if err != nil {
			t.Fatal(err)
		}
		var mats []string
		for _, m := range it.Materials {
			if m.Requirement != catalog.Optional {
				mats = append(mats, m.Type)
			}
		}
		shop := ident.GenerateCreditCode("92220523MA0Y7777K")
		c, err := f.cases.Create(ctx, f.user(t, "hn_qiantai"), cases.CreateRequest{Item: demo.CodeIndividualBusiness, Materials: mats,
			Applicant: &cases.Applicant{Kind: "enterprise", Name: "辉南县示范小吃店", CreditCode: shop},
			Then:      &cases.FirstAction{Action: cases.Accept}})
		if err != nil {
			t.Fatal(err)
		}
		reviewer := f.user(t, "scjg_shenpi")
		for _, st := range []struct {
			who    auth.User
			action cases.Action
			req    cases.ActRequest
		}{{reviewer, cases.Approve, cases.ActRequest{}}, {reviewer, cases.PrepareResult, cases.ActRequest{}},
			{f.user(t, "hn_chuzheng"), cases.Issue, cases.ActRequest{IssueMethod: cases.IssueElectronic}}} {
			if _, err := f.cases.Act(ctx, st.who, c.ID, st.action, st.req); err != nil {
				t.Fatalf("%s: %v", st.action, err)
			}
		}
		got, err := f.lic.ForCase(ctx, c.ID)
		if err != nil || len(got) != 1 || got[0].TypeCode != "SCJG-YYZZ" || got[0].HolderID != shop {
			t.Fatalf("licence of the individual business: %+v %v", got, err)
		}

		food, err := cat.Published(ctx, demo.CodeFoodBusinessLicence)
		if err != nil {
			t.Fatal(err)
		}
		holder := auth.User{ID: 998, Role: auth.RoleApplicant, Kind: "enterprise", CreditCode: shop}
		offers, err := f.lic.ItemOffers(ctx, holder, food)
		if err != nil || len(offers) != 1 || offers[0].MaterialType != "business_licence" || offers[0].Number != got[0].Number {
			t.Fatalf("offers to the holder: %+v %v", offers, err)
		}
		if offers, err := f.lic.ItemOffers(ctx, f.user(t, "jlhx"), food); err != nil || len(offers) != 0 {
			t.Fatalf("offers to another enterprise: %+v %v", offers, err)
		}
		if offers, err := f.lic.ItemOffers(ctx, f.user(t, "hn_qiantai"), food); err != nil || len(offers) != 0 {
			t.Fatalf("offers to a front desk: %+v %v", offers, err)
		}
	})
}
