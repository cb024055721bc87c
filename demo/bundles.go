package demo

import (
	"context"
	"fmt"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// Bundle codes of the demo (一件事).
const (
	BundleNewborn    = "YJS-XSECS" // 新生儿出生一件事
	BundleEnterprise = "YJS-QYKB"  // 开办企业一件事
	BundleDisability = "YJS-CJRFW" // 残疾人服务一件事
)

// Questions shared by several items: asked once in a bundle's form.
var (
	fieldApplicantName = catalog.FormField{Key: "applicant_name", Label: "申请人姓名", LabelEN: "applicant's name", Type: "text", Required: true}
	fieldApplicantID   = catalog.FormField{Key: "applicant_id_number", Label: "申请人身份证号码", LabelEN: "applicant's ID number", Type: "id_number", Required: true}
	fieldPhone         = catalog.FormField{Key: "phone", Label: "联系电话", LabelEN: "phone", Type: "phone", Required: true}
	fieldAddress       = catalog.FormField{Key: "address", Label: "住址", LabelEN: "address", Type: "text", Required: true}
	fieldChildName     = catalog.FormField{Key: "child_name", Label: "新生儿姓名", LabelEN: "child's name", Type: "text", Required: true}
	fieldChildBirth    = catalog.FormField{Key: "child_birth_date", Label: "出生日期", LabelEN: "date of birth", Type: "date", Required: true}
	fieldChildSex      = catalog.FormField{Key: "child_sex", Label: "性别", LabelEN: "sex", Type: "select", Required: true, Options: []string{"男", "女"}}
	fieldBirthPlace    = catalog.FormField{Key: "birth_hospital", Label: "出生医院", LabelEN: "hospital of birth", Type: "text", Required: true}
	fieldCompanyName   = catalog.FormField{Key: "company_name", Label: "企业名称", LabelEN: "company name", Type: "text", Required: true}
	fieldCompanyAddr   = catalog.FormField{Key: "company_address", Label: "住所（经营场所）", LabelEN: "registered address", Type: "text", Required: true}
	fieldLegalRep      = catalog.FormField{Key: "legal_representative", Label: "法定代表人", LabelEN: "legal representative", Type: "text", Required: true}
	fieldCapital       = catalog.FormField{Key: "registered_capital", Label: "注册资本（万元）", LabelEN: "registered capital (10,000 yuan)", Type: "number", Required: true}
	fieldStaffCount    = catalog.FormField{Key: "staff_count", Label: "参保职工人数", LabelEN: "insured employees", Type: "number"}
	fieldDisability    = catalog.FormField{Key: "disability_kind", Label: "残疾类别", LabelEN: "kind of disability", Type: "select", Required: true,
		Options: []string{"视力", "听力", "言语", "肢体", "智力", "精神", "多重"}}
	fieldBankAccount = catalog.FormField{Key: "bank_account", Label: "补贴发放银行账号", LabelEN: "bank account for the subsidy", Type: "text", Required: true}
)

// formFields are the application forms of the bundle members.
var formFields = map[string][]catalog.FormField{
	CodeBirthCertificate:         {fieldApplicantName, fieldApplicantID, fieldPhone, fieldChildName, fieldChildBirth, fieldChildSex, fieldBirthPlace},
	CodeVaccinationCertificate:   {fieldApplicantName, fieldPhone, fieldChildName, fieldChildBirth, fieldAddress},
	CodeBirthRegistration:        {fieldApplicantName, fieldApplicantID, fieldPhone, fieldChildName, fieldChildBirth, fieldChildSex, fieldAddress},
	CodeResidentMedicalInsurance: {fieldApplicantName, fieldApplicantID, fieldPhone, fieldChildName, fieldAddress},
	CodeSocialSecurityCard:       {fieldApplicantName, fieldPhone, fieldChildName, fieldAddress},
	CodeBusinessLicence:          {fieldCompanyName, fieldCompanyAddr, fieldLegalRep, fieldCapital, fieldPhone},
	CodeSealEngraving:            {fieldCompanyName, fieldLegalRep, fieldPhone},
	CodeInvoice:                  {fieldCompanyName, fieldCompanyAddr, fieldPhone},
	CodeEmployerSocialInsurance:  {fieldCompanyName, fieldCompanyAddr, fieldStaffCount, fieldPhone},
	CodeHousingFundEmployer:      {fieldCompanyName, fieldLegalRep, fieldStaffCount, fieldPhone},
	CodeDisabilityCertificate:    {fieldApplicantName, fieldApplicantID, fieldPhone, fieldAddress, fieldDisability},
	CodeDisabilitySubsidies:      {fieldApplicantName, fieldApplicantID, fieldPhone, fieldBankAccount},
	CodeDisabilityRehabilitation: {fieldApplicantName, fieldPhone, fieldAddress, fieldDisability},
}

func addFormFields(items []catalog.Item) {
	for i := range items {
		if fs, ok := formFields[items[i].Code]; ok {
			items[i].Fields = append([]catalog.FormField(nil), fs...)
		}
	}
}

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
		saved, err := cat.SaveBundleDraft(ctx, b)
		if err != nil {
			return fmt.Errorf("demo: bundle %s: %w", b.Code, err)
		}
		if _, err := cat.PublishBundle(ctx, saved.Code, saved.Version); err != nil {
			return fmt.Errorf("demo: bundle %s: %w", b.Code, err)
		}
	}
	return nil
}
