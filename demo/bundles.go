package demo

import (
	"context"
	"fmt"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// Bundle codes of the demo (一件事).
const (
	BundleNewborn    = "YJS-XSECS" // 新生儿出生一件事
	BundleEnterprise = "YJS-QYKB"  // 开办企业一件事
	BundleDisability = "YJS-CJRFW" // 残疾人服务一件事
)

// Bundles returns the three demo bundles, real ones from the national list of
// 高效办成一件事: the members' dependencies follow the order the offices work in.
func Bundles() []catalog.Bundle {
	return []catalog.Bundle{
		{Code: BundleNewborn, Name: "新生儿出生一件事", NameEN: "A child is born", LeadDepartment: DeptHealth, PromisedLimitDays: 5,
			OnRefusal: catalog.OnRefusalContinue, LifeEvents: []string{"生育"},
			Members: []catalog.BundleMember{
				{Item: CodeBirthCertificate},
				{Item: CodeVaccinationCertificate},
				{Item: CodeBirthRegistration, DependsOn: []string{CodeBirthCertificate}},
				{Item: CodeResidentMedicalInsurance, DependsOn: []string{CodeBirthRegistration}},
				{Item: CodeSocialSecurityCard, DependsOn: []string{CodeBirthRegistration}},
			}},
		{Code: BundleEnterprise, Name: "开办企业一件事", NameEN: "Starting a business", LeadDepartment: DeptMarket, PromisedLimitDays: 3,
			OnRefusal: catalog.OnRefusalStop, LifeEvents: []string{"开办企业"},
			Members: []catalog.BundleMember{
				{Item: CodeBusinessLicence},
				{Item: CodeSealEngraving, DependsOn: []string{CodeBusinessLicence}},
				{Item: CodeInvoice, DependsOn: []string{CodeBusinessLicence}},
				{Item: CodeEmployerSocialInsurance, DependsOn: []string{CodeBusinessLicence}},
				{Item: CodeHousingFundEmployer, DependsOn: []string{CodeBusinessLicence}},
			}},
		{Code: BundleDisability, Name: "残疾人服务一件事", NameEN: "Services for people with disabilities", LeadDepartment: DeptDisabledPersons,
			PromisedLimitDays: 20, OnRefusal: catalog.OnRefusalStop, PartialIssue: true, LifeEvents: []string{"残疾人"},
			Members: []catalog.BundleMember{
				{Item: CodeDisabilityCertificate},
				{Item: CodeDisabilitySubsidies, DependsOn: []string{CodeDisabilityCertificate}},
				{Item: CodeDisabilityRehabilitation, DependsOn: []string{CodeDisabilityCertificate}},
			}},
	}
}

// loadBundles saves and publishes the demo bundles (after the catalogue).
func loadBundles(ctx context.Context, db *store.DB) error {
	cat := catalog.NewStore(db)
	for _, b := range Bundles() {
		saved, err := cat.SaveBundleDraft(ctx, auth.System, b)
		if err != nil {
			return fmt.Errorf("demo: bundle %s: %w", b.Code, err)
		}
		if _, err := cat.PublishBundle(ctx, auth.System, saved.Code, saved.Version); err != nil {
			return fmt.Errorf("demo: bundle %s: %w", b.Code, err)
		}
	}
	return nil
}
