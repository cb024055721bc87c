// Package demo builds onewindow's demonstration data: the catalogue of 辉南县政务服务中心
// (Huinan County, Tonghua, Jilin), its service points, users and the reports' stories.
package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/onewindow/onewindow/catalog"
)

// The county hall of the report: 32 departments moved in, 1,642 items handled
// in the hall (进驻率 97.39% = 1642/1686) and 702 of them fully online
// (吉林日报, 2024, "用服务擦亮城市'文明之窗'").
const (
	Division         = "220523" // 辉南县, GB/T 2260
	HallItems        = 1642
	HallFullyOnline  = 702
	MedicalTownship  = 14 // 医保服务 "乡镇可办" (吉林省医保服务下沉事项清单)
	MedicalVillage   = 8  // 医保服务 "村可办"
	hallLocation     = "辉南县政务服务中心无差别综合受理窗口"
	hallHours        = "周一至周五 8:30–17:00，午间不间断（法定节假日除外）"
	townshipLocation = "各乡镇（街道）便民服务中心"
	villageLocation  = "各村（社区）便民服务站"
)

// Department codes.
const (
	DeptMarket           = "HN-SCJG"  // 市场监督管理局
	DeptHumanResources   = "HN-RSJ"   // 人力资源和社会保障局
	DeptMedicalInsurance = "HN-YBJ"   // 医疗保障局
	DeptJustice          = "HN-SFJ"   // 司法局
	DeptHealth           = "HN-WJJ"   // 卫生健康局
	DeptPublicSecurity   = "HN-GAJ"   // 公安局
	DeptCivilAffairs     = "HN-MZJ"   // 民政局
	DeptTax              = "HN-SWJ"   // 税务局
	DeptHousing          = "HN-ZJJ"   // 住房和城乡建设局
	DeptNaturalResources = "HN-ZRZYJ" // 自然资源局
	DeptTransport        = "HN-JTYSJ" // 交通运输局
	DeptEducation        = "HN-JYJ"   // 教育局
	DeptAgriculture      = "HN-NYNCJ" // 农业农村局
	DeptWater            = "HN-SLJ"   // 水利局
	DeptEcology          = "HN-STHJ"  // 生态环境分局
	DeptCultureTourism   = "HN-WGLJ"  // 文化广播电视和旅游局
	DeptEmergency        = "HN-YJGLJ" // 应急管理局
	DeptVeterans         = "HN-TYJRJ" // 退役军人事务局
	DeptDisabledPersons  = "HN-CL"    // 残疾人联合会
	DeptHousingFund      = "HN-GJJ"   // 住房公积金管理部
	DeptRealEstate       = "HN-BDCDJ" // 不动产登记中心
	DeptCommerce         = "HN-SHWJ"  // 商务局
	DeptDevelopment      = "HN-FGJ"   // 发展和改革局
	DeptFinance          = "HN-CZJ"   // 财政局
	DeptForestry         = "HN-LYJ"   // 林业局
	DeptUrbanManagement  = "HN-CGJ"   // 城市管理行政执法局
	DeptMeteorology      = "HN-QXJ"   // 气象局
	DeptFireRescue       = "HN-XFJY"  // 消防救援大队
	DeptPublicResources  = "HN-GGZY"  // 公共资源交易中心
	DeptTobacco          = "HN-YCJ"   // 烟草专卖局
	DeptArchives         = "HN-DAG"   // 档案馆
	DeptScienceIndustry  = "HN-KGXJ"  // 科学技术和工业信息化局
)

// Unified social credit codes (GB 32100) of the departments that own
// hand-written items: "11" for an organ of government, "12" for a public
// institution, "13" for a mass organisation, then the division code, the
// organisation code (GB 11714, with its own check digit) and the check character.
const (
	creditMarket           = "11220523012441735Y"
	creditHumanResources   = "11220523012443466J"
	creditMedicalInsurance = "112205230124451976"
	creditJustice          = "112205230124469237"
	creditHealth           = "11220523012448654T"
	creditPublicSecurity   = "11220523012450383P"
	creditCivilAffairs     = "112205230124521196"
	creditTax              = "11220523012453840C"
	creditHousing          = "112205230124555710"
	creditNaturalResources = "11220523012457307E"
	creditDisabledPersons  = "13220523012472873T"
	creditHousingFund      = "12220523012474609C"
	creditRealEstate       = "1222052301247633XT"
)

// Implementation codes (实施编码) of the hand-written items: the implementing
// body's credit code followed by the basic code (基本编码: item type, five-digit
// main item, three-digit sub-item). They never change.
const (
	// The reports' stories.
	CodeBusinessLicence        = creditMarket + "0101801000"           // 企业设立登记（营业执照）
	CodeSocialInsuranceSubsidy = creditHumanResources + "0502801000"   // 社会保险补贴申领
	CodeFamilyPlanningConsult  = creditHealth + "2005801000"           // 计划生育政策咨询
	CodeMedicalOutOfArea       = creditMedicalInsurance + "2003804000" // 医保异地就医备案
	CodeLegalAid               = creditJustice + "2004801000"          // 法律援助申请

	// Common county items.
	CodeRealEstateTransfer  = creditRealEstate + "0721801000"       // 不动产转移登记
	CodeRealEstateMortgage  = creditRealEstate + "0721802000"       // 不动产抵押登记
	CodePlanningPermit      = creditNaturalResources + "0110801000" // 建设工程规划许可
	CodeFoodBusinessLicence = creditMarket + "0101802000"           // 食品经营许可
	CodeConstructionPermit  = creditHousing + "0109801000"          // 建筑工程施工许可证核发
	CodeIDCard              = creditPublicSecurity + "0706801000"   // 居民身份证申领
	CodeMarriage            = creditCivilAffairs + "0707801000"     // 结婚登记

	// 新生儿出生一件事.
	CodeBirthCertificate         = creditHealth + "2005802000"           // 出生医学证明签发
	CodeVaccinationCertificate   = creditHealth + "2005803000"           // 预防接种证办理
	CodeBirthRegistration        = creditPublicSecurity + "0706802000"   // 出生户口登记
	CodeResidentMedicalInsurance = creditMedicalInsurance + "2003801000" // 城乡居民基本医疗保险参保登记
	CodeSocialSecurityCard       = creditHumanResources + "2002802000"   // 社会保障卡申领
	CodeSealEngraving            = creditPublicSecurity + "1006803000"   // 公章刻制备案
	CodeInvoice                  = creditTax + "1008801000"              // 发票申领
	CodeEmployerSocialInsurance  = creditHumanResources + "2002803000"   // 单位社会保险参保登记
	CodeHousingFundEmployer      = creditHousingFund + "2020801000"      // 住房公积金单位缴存登记
	CodeDisabilityCertificate    = creditDisabledPersons + "0719801000"  // 残疾人证新办
	CodeDisabilitySubsidies      = creditCivilAffairs + "0507802000"     // 困难残疾人生活补贴和重度残疾人护理补贴
	CodeDisabilityRehabilitation = creditDisabledPersons + "2019802000"  // 残疾人康复服务
)

// Catalogue returns the demo departments and items. The result is the same on
// every call (a fixed seed drives the generated part) and is freshly built, so
// callers may change it. Items are drafts of version 0, already in the form
// catalog.Item.Normalize gives, for the loader to version and publish.
func Catalogue() ([]catalog.Department, []catalog.Item) {
	specs := departmentSpecs()
	depts := make([]catalog.Department, len(specs))
	byCode := make(map[string]*deptSpec, len(specs))
	for i := range specs {
		depts[i] = specs[i].Department
		byCode[specs[i].Code] = &specs[i]
	}

	hand := handWrittenItems()
	used := make(map[string]bool, HallItems)
	online := 0
	for i := range hand {
		finishItem(&hand[i], byCode[hand[i].DepartmentCode])
		used[hand[i].Name] = true
		if hand[i].FullyOnline() {
			online++
		}
	}

	g := generator{rand: rand.New(rand.NewPCG(1642, 702)), used: used}
	for i := range specs {
		g.department(&specs[i])
	}
	g.chooseFullyOnline(HallFullyOnline - online)
	addFormFields(hand)

	// Each department's hand-written items first, then its generated ones.
	items := make([]catalog.Item, 0, len(hand)+len(g.items))
	for _, d := range specs {
		for _, it := range hand {
			if it.DepartmentCode == d.Code {
				items = append(items, it)
			}
		}
		for _, c := range g.items {
			if c.item.DepartmentCode == d.Code {
				items = append(items, c.item)
			}
		}
	}
	return depts, items
}

// itemCodes maps item names, and the short names the bundles and stories use,
// to item codes.
var itemCodes = sync.OnceValue(func() map[string]string {
	_, items := Catalogue()
	codes := make(map[string]string, len(items)+len(aliases))
	for _, it := range items {
		codes[it.Name] = it.Code
	}
	for alias, code := range aliases {
		codes[alias] = code
	}
	return codes
})

// aliases are the short names the reports and the bundle definitions use for
// hand-written items whose catalogue name is longer.
var aliases = map[string]string{
	"营业执照":       CodeBusinessLicence,
	"公章刻制":       CodeSealEngraving,
	"社保登记":       CodeEmployerSocialInsurance,
	"单位参保登记":     CodeEmployerSocialInsurance,
	"住房公积金单位登记":  CodeHousingFundEmployer,
	"出生医学证明":     CodeBirthCertificate,
	"预防接种证":      CodeVaccinationCertificate,
	"出生登记":       CodeBirthRegistration,
	"户口登记（出生登记）": CodeBirthRegistration,
	"城乡居民医保参保登记": CodeResidentMedicalInsurance,
	"残疾人证":       CodeDisabilityCertificate,
	"困难残疾人两项补贴":  CodeDisabilitySubsidies,
	"医保异地备案":     CodeMedicalOutOfArea,
	"不动产登记":      CodeRealEstateTransfer,
}

// ItemCode returns the code of the demo item with the given name (or a short
// name the reports use, such as "营业执照" or "出生登记"), or "" when there is none.
func ItemCode(name string) string { return itemCodes()[strings.TrimSpace(name)] }

// materialKinds are the material types shared across items, so that one
// 居民身份证 or one 营业执照 serves every item of a bundle.
var materialKinds = map[string]catalog.Material{
	"id_card":                {Name: "居民身份证", Originals: 1, Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"household_register":     {Name: "居民户口簿", Originals: 1, Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceGovernment},
	"business_licence":       {Name: "营业执照", Originals: 1, Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"birth_certificate":      {Name: "出生医学证明", Originals: 1, Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"marriage_certificate":   {Name: "结婚证", Originals: 1, Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"disability_certificate": {Name: "中华人民共和国残疾人证", Originals: 1, Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"social_security_card":   {Name: "社会保障卡", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"property_certificate":   {Name: "不动产权证书", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceGovernment},
	"employment_certificate": {Name: "就业创业证", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"vaccination_record":     {Name: "预防接种证", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceGovernment},
	"original_licence":       {Name: "原许可（登记）证件", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceGovernment},
	"land_use_docs":          {Name: "用地批准文件", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"planning_permit":        {Name: "建设工程规划许可证", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"qualification":          {Name: "资质（资格）证书", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"land_contract":          {Name: "农村土地承包经营权证", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceGovernment},
	"tax_payment_proof":      {Name: "完税（减免税）凭证", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"insurance_payment":      {Name: "社会保险缴费凭证", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"veteran_certificate":    {Name: "退役证件", Originals: 1, Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceGovernment},
	"diploma":                {Name: "学历证书", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"subsistence_card":       {Name: "最低生活保障证", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"application_form":       {Name: "申请表", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant, Sample: "窗口及吉事办提供空白表格和填写样例"},
	"legal_rep_id":           {Name: "法定代表人身份证明", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"authorisation":          {Name: "授权委托书及受托人身份证件", Originals: 1, Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant, Description: "委托他人代为办理时提交"},
	"photo":                  {Name: "近期免冠彩色照片", Originals: 2, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"commitment":             {Name: "告知承诺书", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"loss_statement":         {Name: "遗失（损毁）情况说明", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"premises_proof":         {Name: "住所（经营场所）使用证明", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"articles":               {Name: "章程", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"resolution":             {Name: "股东会（成员大会）决议或决定", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"investor_identity":      {Name: "投资人主体资格证明", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"floor_plan":             {Name: "场所平面布局图", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"equipment_list":         {Name: "主要设施设备清单", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"management_rules":       {Name: "管理制度文本", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"staff_qualification":    {Name: "从业人员资格证明", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"health_certificate":     {Name: "从业人员健康证明", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"inspection_report":      {Name: "检验检测报告", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"bank_account":           {Name: "本人（单位）银行账户信息", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"labour_contract":        {Name: "劳动合同", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"medical_records":        {Name: "病历资料（门诊病历或出院小结）", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"diagnosis":              {Name: "医疗机构诊断证明", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"invoices":               {Name: "医疗费用票据及费用明细清单", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"income_statement":       {Name: "家庭经济状况说明", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"kinship_proof":          {Name: "亲属关系证明材料", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"residence_proof":        {Name: "合法稳定住所证明", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"case_materials":         {Name: "与申请事项有关的证据材料", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"hardship_statement":     {Name: "经济困难状况说明表（个人诚信承诺）", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"design_drawings":        {Name: "设计方案或施工图设计文件", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"site_plan":              {Name: "建设项目总平面图", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"construction_contract":  {Name: "施工合同", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"survey_report":          {Name: "测绘成果报告", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"environmental_report":   {Name: "环境影响评价文件", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"safety_plan":            {Name: "安全保障措施方案", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"contract":               {Name: "相关合同或协议", Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"financial_statements":   {Name: "财务会计报表", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"project_report":         {Name: "项目申请报告", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"safety_assessment":      {Name: "安全评价报告", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"emergency_plan":         {Name: "生产安全事故应急预案", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"disability_assessment":  {Name: "残疾评定表（指定医疗机构出具）", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"marriage_declaration":   {Name: "无配偶及无禁止结婚亲属关系的签字声明", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"mortgage_contract":      {Name: "抵押合同及主债权合同", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"sale_contract":          {Name: "不动产买卖合同", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"referral":               {Name: "转诊证明", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"insurance_voucher":      {Name: "参保凭证", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceGovernment},
	"funding_proof":          {Name: "建设资金已落实承诺书", Originals: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"accident_statement":     {Name: "意外伤害经过说明", Originals: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
	"withdrawal_reason":      {Name: "支取事由证明材料", Copies: 1, Form: catalog.FormEither, Source: catalog.SourceApplicant},
	"notarial_documents":     {Name: "申请公证的文书或者证明材料", Originals: 1, Copies: 1, Form: catalog.FormPaper, Source: catalog.SourceApplicant},
}

// material returns a material of a shared type with the given requirement;
// name, when not empty, replaces the type's usual name (for example the exact
// title of an application form).
func material(typ, requirement, name string) catalog.Material {
	m, ok := materialKinds[typ]
	if !ok {
		// A misspelt type: keep it visible rather than invent a document; the
		// tests reject any type missing from materialKinds.
		m = catalog.Material{Name: typ}
	}
	m.Type, m.Requirement = typ, requirement
	if name != "" {
		m.Name = name
	}
	return m
}

func req(typ string) catalog.Material   { return material(typ, catalog.Required, "") }
func opt(typ string) catalog.Material   { return material(typ, catalog.Optional, "") }
func waive(typ string) catalog.Material { return material(typ, catalog.Waivable, "") }
func form(title string) catalog.Material {
	return material("application_form", catalog.Required, title)
}
func named(typ, name string) catalog.Material { return material(typ, catalog.Required, name) }

// materialPools are the documents a department kind usually asks of persons
// and of enterprises, beyond identity and the application form.
var materialPools = map[string]struct{ persons, enterprises []string }{
	kindMarket: {
		persons:     []string{"premises_proof", "health_certificate", "staff_qualification", "floor_plan", "commitment"},
		enterprises: []string{"premises_proof", "articles", "resolution", "investor_identity", "floor_plan", "equipment_list", "management_rules", "staff_qualification", "health_certificate", "commitment", "inspection_report"},
	},
	kindSocial: {
		persons:     []string{"household_register", "social_security_card", "bank_account", "income_statement", "commitment", "medical_records", "diagnosis", "kinship_proof", "photo"},
		enterprises: []string{"labour_contract", "bank_account", "commitment", "insurance_payment", "financial_statements"},
	},
	kindHealth: {
		persons:     []string{"photo", "diploma", "qualification", "household_register", "medical_records", "commitment"},
		enterprises: []string{"floor_plan", "equipment_list", "management_rules", "staff_qualification", "qualification", "inspection_report", "commitment"},
	},
	kindLegal: {
		persons:     []string{"case_materials", "kinship_proof", "household_register", "commitment"},
		enterprises: []string{"premises_proof", "staff_qualification", "management_rules", "commitment"},
	},
	kindPolice: {
		persons:     []string{"household_register", "photo", "residence_proof", "kinship_proof", "commitment"},
		enterprises: []string{"premises_proof", "safety_plan", "staff_qualification", "floor_plan", "management_rules", "commitment"},
	},
	kindFiscal: {
		persons:     []string{"bank_account", "contract", "property_certificate", "labour_contract", "commitment"},
		enterprises: []string{"bank_account", "contract", "financial_statements", "labour_contract", "commitment"},
	},
	kindConstruction: {
		persons:     []string{"property_certificate", "household_register", "contract", "survey_report", "commitment"},
		enterprises: []string{"land_use_docs", "planning_permit", "design_drawings", "construction_contract", "qualification", "survey_report", "site_plan", "safety_plan", "contract", "property_certificate", "commitment"},
	},
	kindRural: {
		persons:     []string{"land_contract", "household_register", "bank_account", "photo", "commitment"},
		enterprises: []string{"site_plan", "environmental_report", "equipment_list", "qualification", "inspection_report", "management_rules", "project_report", "land_contract", "commitment"},
	},
	kindSafety: {
		persons:     []string{"household_register", "bank_account", "income_statement", "commitment"},
		enterprises: []string{"safety_assessment", "emergency_plan", "management_rules", "staff_qualification", "premises_proof", "floor_plan", "equipment_list", "commitment"},
	},
	kindCulture: {
		persons:     []string{"household_register", "photo", "diploma", "commitment"},
		enterprises: []string{"premises_proof", "floor_plan", "staff_qualification", "safety_plan", "management_rules", "commitment"},
	},
}

// Department kinds: families that share materials, levels and online habits.
const (
	kindMarket       = "market"       // enterprises and their licences
	kindSocial       = "social"       // benefits and services to residents, much of it in townships and villages
	kindHealth       = "health"       // health licences, practitioners, maternal and child health
	kindLegal        = "legal"        // legal aid, mediation, notarisation
	kindPolice       = "police"       // household registration, identity, vehicles, public order
	kindFiscal       = "fiscal"       // taxes, public finance, housing provident fund
	kindConstruction = "construction" // land, planning, building, real estate, roads
	kindRural        = "rural"        // agriculture, forestry, water, environment, weather
	kindSafety       = "safety"       // work safety and fire
	kindCulture      = "culture"      // education, culture, tourism, archives
)

// Who an item serves.
const (
	forPersons     = 'p'
	forEnterprises = 'e'
	forBoth        = 'b'
)

// family is one item of a department with its handling variants (办理项),
// e.g. 食品生产许可 with （新办）（变更）（延续）（注销）（补证）. The generated items
// are named base+variant and share the family's basic main code.
type family struct {
	typ      string
	base     string
	variants []string
	who      byte
	levels   []int
	events   []string
	basis    string
	result   string
	fees     []catalog.Fee
	needs    []string // further documents, instead of a pick from the department's pool
	offline  bool     // needs the applicant in person (biometrics, ceremonies, on-site checks)
}

func fam(typ, base string, variants ...string) family {
	if len(variants) == 0 {
		variants = []string{""}
	}
	return family{typ: typ, base: base, variants: variants}
}

func (f family) persons() family                { f.who = forPersons; return f }
func (f family) enterprises() family            { f.who = forEnterprises; return f }
func (f family) both() family                   { f.who = forBoth; return f }
func (f family) at(levels ...int) family        { f.levels = levels; return f }
func (f family) ev(events ...string) family     { f.events = events; return f }
func (f family) law(basis string) family        { f.basis = basis; return f }
func (f family) gives(result string) family     { f.result = result; return f }
func (f family) inPerson() family               { f.offline = true; return f }
func (f family) needing(types ...string) family { f.needs = types; return f }
func (f family) fee(name string, fen int64, basis string) family {
	f.fees = append(slices.Clone(f.fees), catalog.Fee{Name: name, AmountFen: fen, Basis: basis})
	return f
}

// paren writes handling variants the way Jilin's lists do: "（变更）".
func paren(vs ...string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = "（" + v + "）"
	}
	return out
}

var (
	licence5 = paren("新办", "变更", "延续", "注销", "补证")
	licence4 = paren("新办", "变更", "延续", "注销")
	licence3 = paren("新办", "变更", "注销")
	filing3  = []string{"", "变更", "注销"}
	county   = []int{catalog.LevelCounty}
	city     = []int{catalog.LevelCity, catalog.LevelCounty}
	township = []int{catalog.LevelCounty, catalog.LevelTownship}
	village  = []int{catalog.LevelCounty, catalog.LevelTownship, catalog.LevelVillage}
)

// deptSpec is a department with what the generator needs to write its items.
type deptSpec struct {
	catalog.Department
	seq      int    // position in the hall's list; part of every basic code
	contact  string // the service hotline applicants are told to call
	basis    string // the law most of its items rest on
	events   []string
	who      byte
	families []family
}

// candidate is a generated item with what choosing the fully online ones needs.
type candidate struct {
	item        catalog.Item
	onlineScore float64
	depthSteps  int // online steps when not fully online
	visits      int
}

type generator struct {
	rand  *rand.Rand
	used  map[string]bool
	items []candidate
}

func (g *generator) department(d *deptSpec) {
	for i, f := range d.families {
		g.family(d, i+1, f)
	}
}

func (g *generator) family(d *deptSpec, index int, f family) {
	who := cmp.Or(f.who, d.who, forPersons)
	levels := f.levels
	if levels == nil {
		levels = g.levels(d.Kind, who, f.typ)
	}
	events := f.events
	if events == nil {
		events = d.events
	}
	basis := cmp.Or(f.basis, d.basis)
	legal, promised := g.limits(f)
	extras := g.extras(d.Kind, who, f.typ)
	if f.needs != nil {
		extras = f.needs
	}
	waivable := g.rand.IntN(8) == 0
	authorised := g.rand.IntN(3) == 0

	for vi, v := range f.variants {
		name := f.base + v
		if g.used[name] { // written by hand already: names stay unique
			continue
		}
		g.used[name] = true
		sub := 0
		if len(f.variants) > 1 {
			sub = vi + 1
		}
		base := fmt.Sprintf("%s%05d%03d", f.typ, d.seq*1000+index, sub)
		it := catalog.Item{
			Code:              d.CreditCode + base,
			BaseCode:          base,
			Status:            catalog.StatusDraft,
			Name:              name,
			Type:              f.typ,
			DepartmentCode:    d.Code,
			Levels:            slices.Clone(levels),
			LegalLimitDays:    legal,
			PromisedLimitDays: promised,
			Fees:              slices.Clone(f.fees),
			Basis:             basis,
			LifeEvents:        slices.Clone(events),
			ServesPersons:     who != forEnterprises,
			ServesEnterprises: who != forPersons,
		}
		kind := variantKind(v)
		if kind == variantEnding || kind == variantReissue {
			it.PromisedLimitDays = min(it.PromisedLimitDays, it.LegalLimitDays/4, 3)
		}
		it.ResultType, it.ResultName = result(f, name, kind)
		it.Conditions = conditions(f.typ, basis, kind)
		it.Materials = materialsFor(f, name, who, kind, extras, waivable, authorised)
		finishItem(&it, d)
		g.items = append(g.items, candidate{
			item:        it,
			onlineScore: onlineScore(d.Kind, f, name, kind) + g.rand.Float64()*0.3,
			depthSteps:  1 + g.rand.IntN(len(catalog.AllDepths)-2),
			visits:      visitsFor(f, kind, g.rand.IntN(10)),
		})
	}
}

// levels chooses where an item may be handled: most at the county; benefits
// and services to residents also in townships (乡镇可办) and villages (村可办).
func (g *generator) levels(kind string, who byte, typ string) []int {
	roll := g.rand.IntN(100)
	social := who != forEnterprises && (typ == "05" || typ == "20" || typ == "07")
	switch {
	case kind == kindSocial && social:
		switch {
		case roll < 45:
			return township
		case roll < 70:
			return village
		}
		return county
	case (kind == kindHealth || kind == kindRural || kind == kindCulture) && social:
		switch {
		case roll < 30:
			return township
		case roll < 40:
			return village
		}
		return county
	case roll < 20:
		return city
	}
	return county
}

// limits chooses the legal and promised time limits in working days: the
// promised one about half the legal one; enquiries and certificates at once.
func (g *generator) limits(f family) (legal, promised int) {
	name := f.base + f.variants[0] // a family without a common base is named by its variants
	if f.typ == "20" && immediate(name) {
		return 0, 0
	}
	switch f.typ {
	case "09":
		legal = 30
	case "10":
		if strings.Contains(name, "备案") || strings.Contains(name, "申报") || strings.Contains(name, "报告") || strings.Contains(name, "报送") {
			legal = []int{5, 3, 1}[g.rand.IntN(3)]
			return legal, []int{0, 1}[g.rand.IntN(2)]
		}
		legal = []int{10, 5}[g.rand.IntN(2)]
	case "20":
		legal = []int{10, 5, 3}[g.rand.IntN(3)]
	default:
		legal = []int{20, 20, 15, 10}[g.rand.IntN(4)]
	}
	promised = (legal + 1) / 2
	if g.rand.IntN(3) == 0 {
		promised = max(1, legal/3)
	}
	return legal, promised
}

func immediate(name string) bool {
	for _, w := range []string{"查询", "查阅", "打印", "咨询", "下载", "预约", "开具", "激活", "受理", "报名", "缴纳", "挂失"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// extras picks the family's further documents from its department's pool:
// the enterprise pool for licences and filings an enterprise or either may
// apply for, the persons' pool otherwise.
func (g *generator) extras(kind string, who byte, typ string) []string {
	pool := slices.Clone(materialPools[kind].persons)
	if who == forEnterprises || who == forBoth && (typ == "01" || typ == "10") {
		pool = slices.Clone(materialPools[kind].enterprises)
	}
	if typ == "20" {
		pool = pool[:min(len(pool), 2)] // a public service asks for little beyond identity
	}
	g.rand.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:min(len(pool), g.rand.IntN(4))]
}

// Kinds of handling variant; they change materials, limits and the chance of
// being online.
const (
	variantNew = iota
	variantChange
	variantEnding
	variantReissue
	variantEnquiry
)

func variantKind(v string) int {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(v, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("注销", "终止", "停发", "解除", "歇业", "停业", "停用", "撤销", "缴销"):
		return variantEnding
	case has("补", "换"):
		return variantReissue
	case has("查询", "打印", "开具"):
		return variantEnquiry
	case has("变更", "延续", "延期", "复审", "调整", "转移", "迁", "恢复", "校验", "审验", "再注册", "延续注册", "重新"):
		return variantChange
	}
	return variantNew
}

func materialsFor(f family, name string, who byte, kind int, extras []string, waivable, authorised bool) []catalog.Material {
	var ms []catalog.Material
	switch who {
	case forEnterprises:
		ms = append(ms, req("business_licence"), req("legal_rep_id"))
	case forBoth:
		ms = append(ms, named("id_card", "申请人身份证件（自然人提交居民身份证）"), opt("business_licence"))
	default:
		ms = append(ms, req("id_card"))
	}
	if f.typ == "20" && immediate(name) {
		return append(ms, opt("authorisation"))
	}
	ms = append(ms, form("《"+name+"》申请表"))
	switch kind {
	case variantEnding:
		if f.typ == "01" || f.typ == "07" {
			ms = append(ms, req("original_licence"))
		}
		return ms
	case variantReissue:
		return append(ms, req("loss_statement"))
	case variantChange:
		if f.typ == "01" {
			ms = append(ms, req("original_licence"))
		}
	}
	for i, t := range extras {
		if len(ms) >= 6 || slices.ContainsFunc(ms, func(m catalog.Material) bool { return m.Type == t }) {
			continue
		}
		m := req(t)
		if t == "commitment" || t == "photo" {
			m.Requirement = catalog.Optional
		}
		if waivable && i == 0 && kind == variantNew && m.Source == catalog.SourceApplicant {
			m.Requirement = catalog.Waivable
			m.Description = "可容缺受理，于受理后 5 个工作日内补齐"
		}
		ms = append(ms, m)
	}
	if authorised && len(ms) < 6 {
		ms = append(ms, opt("authorisation"))
	}
	return ms
}

func result(f family, name string, kind int) (typ, resultName string) {
	switch {
	case kind == variantEnding:
		return "其他", "注销（终止）结果告知"
	case f.result != "":
		if strings.HasSuffix(f.result, "证") || strings.HasSuffix(f.result, "执照") || strings.HasSuffix(f.result, "证书") {
			return "证照", f.result
		}
		return "其他", f.result
	case f.typ == "01" && strings.HasSuffix(f.base, "许可"):
		return "证照", f.base + "证"
	case f.typ == "01":
		return "批文", "准予行政许可决定书"
	case f.typ == "05":
		return "其他", "待遇核定结果告知"
	case f.typ == "07":
		return "其他", "确认（登记）结果告知"
	case f.typ == "09":
		return "批文", "行政裁决书"
	case strings.Contains(name, "备案"):
		return "其他", "备案回执"
	case strings.Contains(name, "证明"):
		return "证照", strings.TrimSuffix(strings.TrimSuffix(name, "开具"), "出具")
	case strings.Contains(name, "查询") || strings.Contains(name, "查阅"):
		return "其他", "查询结果"
	}
	return "其他", "办理结果告知"
}

func conditions(typ, basis string, kind int) string {
	switch {
	case kind == variantEnding:
		return "已取得相应许可（登记、待遇），依法应当或者自愿申请办理。"
	case kind == variantReissue:
		return "原证件遗失、损毁或者信息有误，且仍在有效期内。"
	}
	switch typ {
	case "01":
		return "申请人符合" + basis + "规定的条件，申请材料齐全、符合法定形式。"
	case "05":
		return "申请人符合" + basis + "及本省、本县规定的享受条件。"
	case "07":
		return "申请人具备法定的确认（登记）条件，申请材料齐全、真实。"
	case "09":
		return "当事人之间发生争议，属于本机关管辖范围且在法定期限内提出。"
	case "10":
		return "按规定如实提交备案（报告）材料。"
	}
	return "申请人本人或者受其委托的代理人提出申请。"
}

// onlineScore says how readily an item goes fully online: enquiries, filings
// and changes before first licences; tax and market before police counters.
func onlineScore(deptKind string, f family, name string, kind int) float64 {
	if f.offline {
		return -10
	}
	score := map[string]float64{"20": 0.7, "10": 0.65, "05": 0.5, "07": 0.4, "01": 0.35, "09": 0.05}[f.typ]
	switch kind {
	case variantChange, variantEnding, variantEnquiry:
		score += 0.25
	case variantReissue:
		score += 0.15
	}
	if immediate(name) || strings.Contains(name, "申报") || strings.Contains(name, "年度报告") {
		score += 0.2
	}
	score += map[string]float64{kindFiscal: 0.1, kindMarket: 0.05, kindSocial: 0.05, kindPolice: -0.1, kindSafety: -0.05}[deptKind]
	return score
}

// visitsFor is how often an applicant who does not apply fully online comes
// to the hall: once (最多跑一次), none for some enquiries and filings.
func visitsFor(f family, kind int, roll int) int {
	if !f.offline && (kind == variantEnquiry || f.typ == "10") && roll < 4 {
		return 0
	}
	return 1
}

// chooseFullyOnline marks the n readiest generated items 全程网办 (every online
// step, no visit) and gives the rest a shorter online depth.
func (g *generator) chooseFullyOnline(n int) {
	order := make([]int, len(g.items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(g.items[b].onlineScore, g.items[a].onlineScore) })
	full := make([]bool, len(g.items))
	for _, i := range order[:max(0, min(n, len(order)))] {
		full[i] = g.items[i].onlineScore > 0
	}
	for i := range g.items {
		c := &g.items[i]
		if full[i] {
			c.item.OnlineDepth = slices.Clone(catalog.AllDepths)
			c.item.Visits = 0
			continue
		}
		c.item.OnlineDepth = slices.Clone(catalog.AllDepths[:c.depthSteps])
		c.item.Visits = c.visits
	}
}

// finishItem fills what every demo item shares: status, where and when it is
// handled, whom to call and the 补正 period.
func finishItem(it *catalog.Item, d *deptSpec) {
	it.Status = catalog.StatusDraft
	it.Version = 0
	it.Levels = slices.Clone(it.Levels) // items must not share the level sets declared once above
	slices.Sort(it.Levels)
	it.Location = hallLocation
	if it.HandledAt(catalog.LevelTownship) {
		it.Location += "；" + townshipLocation
	}
	if it.HandledAt(catalog.LevelVillage) {
		it.Location += "；" + villageLocation
	}
	it.Hours = hallHours
	if d != nil {
		it.Contact = d.contact + "（" + d.Name + "）"
	}
	it.SupplementDays = catalog.DefaultSupplement
	if len(it.Fees) == 0 {
		it.Fees = nil
	}
	if len(it.LifeEvents) == 0 {
		it.LifeEvents = nil
	}
	if len(it.OnlineDepth) == 0 {
		it.OnlineDepth = nil
	}
	if it.Materials == nil {
		it.Materials = []catalog.Material{}
	}
}

// departmentSpecs lists the 32 departments that moved into the hall, each with
// the item families the generator expands. Legal bases are named by the title
// of the law or regulation.
func departmentSpecs() []deptSpec {
	dept := func(code, name, nameEN, credit, kind string) catalog.Department {
		return catalog.Department{Code: code, Name: name, NameEN: nameEN, CreditCode: credit, Kind: kind}
	}
	const (
		food     = "《中华人民共和国食品安全法》"
		company  = "《中华人民共和国公司法》《中华人民共和国市场主体登记管理条例》"
		register = "《中华人民共和国市场主体登记管理条例》"
		social   = "《中华人民共和国社会保险法》"
		employ   = "《中华人民共和国就业促进法》"
		injury   = "《工伤保险条例》"
		unemploy = "《失业保险条例》"
		labour   = "《中华人民共和国劳动合同法》"
		doctor   = "《中华人民共和国医师法》"
		nurse    = "《护士条例》"
		hukou    = "《中华人民共和国户口登记条例》"
		traffic  = "《中华人民共和国道路交通安全法》"
		order    = "《中华人民共和国治安管理处罚法》"
		relief   = "《社会救助暂行办法》"
		taxlaw   = "《中华人民共和国税收征收管理法》"
		invoice  = "《中华人民共和国发票管理办法》"
		building = "《中华人民共和国建筑法》"
		planning = "《中华人民共和国城乡规划法》"
		land     = "《中华人民共和国土地管理法》"
		road     = "《中华人民共和国道路运输条例》"
		highway  = "《中华人民共和国公路法》"
		realty   = "《不动产登记暂行条例》"
		fund     = "《住房公积金管理条例》"
		forest   = "《中华人民共和国森林法》"
		water    = "《中华人民共和国水法》"
		eia      = "《中华人民共和国环境影响评价法》"
		veterans = "《中华人民共和国退役军人保障法》"
		pension  = "《军人抚恤优待条例》"
	)
	return []deptSpec{
		{Department: dept(DeptMarket, "辉南县市场监督管理局", "Huinan County Administration for Market Regulation", creditMarket, kindMarket),
			seq: 1, contact: "12315", basis: register, events: []string{"开办企业"}, who: forEnterprises,
			families: []family{
				fam("01", "有限责任公司设立登记").law(company).gives("营业执照"),
				fam("01", "有限责任公司变更登记", paren("名称变更", "住所变更", "法定代表人变更", "注册资本变更", "经营范围变更", "股东变更", "公司类型变更")...).law(company).gives("营业执照"),
				fam("01", "有限责任公司注销登记").law(company),
				fam("10", "有限责任公司备案", paren("章程备案", "董事、监事、经理备案", "清算组备案", "联络员备案")...).law(company),
				fam("01", "股份有限公司设立登记").law(company).gives("营业执照"),
				fam("01", "股份有限公司变更登记", paren("名称变更", "住所变更", "法定代表人变更", "注册资本变更", "经营范围变更", "发起人变更")...).law(company).gives("营业执照"),
				fam("01", "股份有限公司注销登记").law(company),
				fam("10", "股份有限公司备案", paren("章程备案", "董事、监事、经理备案", "清算组备案")...).law(company),
				fam("01", "非公司企业法人设立登记").gives("营业执照"),
				fam("01", "非公司企业法人变更登记", paren("名称变更", "住所变更", "法定代表人变更", "注册资金变更", "经营范围变更")...).gives("营业执照"),
				fam("01", "非公司企业法人注销登记"),
				fam("01", "个人独资企业设立登记").both().gives("营业执照"),
				fam("01", "个人独资企业变更登记", paren("名称变更", "住所变更", "投资人变更", "经营范围变更")...).both().gives("营业执照"),
				fam("01", "个人独资企业注销登记").both(),
				fam("01", "合伙企业设立登记").gives("营业执照"),
				fam("01", "合伙企业变更登记", paren("名称变更", "主要经营场所变更", "执行事务合伙人变更", "合伙人变更", "经营范围变更")...).gives("营业执照"),
				fam("01", "合伙企业注销登记"),
				fam("01", "农民专业合作社设立登记").gives("营业执照").ev("开办企业", "农业生产"),
				fam("01", "农民专业合作社变更登记", paren("名称变更", "住所变更", "法定代表人变更", "成员出资总额变更", "业务范围变更")...).gives("营业执照"),
				fam("01", "农民专业合作社注销登记"),
				fam("01", "农民专业合作社联合社", "设立登记", "变更登记", "注销登记"),
				fam("01", "个体工商户设立登记").both().gives("营业执照"),
				fam("01", "个体工商户变更登记", paren("名称变更", "经营者变更", "经营场所变更", "经营范围变更", "组成形式变更")...).both().gives("营业执照"),
				fam("01", "个体工商户注销登记").both(),
				fam("01", "分公司", "设立登记", "变更登记", "注销登记"),
				fam("01", "非公司企业法人分支机构", "设立登记", "变更登记", "注销登记"),
				fam("01", "个人独资企业分支机构", "设立登记", "变更登记", "注销登记"),
				fam("01", "合伙企业分支机构", "设立登记", "变更登记", "注销登记"),
				fam("01", "农民专业合作社分支机构", "设立登记", "变更登记", "注销登记"),
				fam("01", "外商投资企业", "设立登记", "变更登记", "注销登记", "备案").at(city...).law("《中华人民共和国外商投资法》"),
				fam("01", "企业简易注销登记"),
				fam("01", "个体工商户简易注销登记").both(),
				fam("07", "股权出质", "设立登记", "变更登记", "注销登记", "撤销登记").law("《股权出质登记办法》"),
				fam("01", "企业跨区域迁移登记", paren("迁出", "迁入")...),
				fam("10", "市场主体歇业备案"),
				fam("07", "个体工商户转为企业登记").both(),
				fam("07", "冒用他人身份信息取得登记的撤销"),
				fam("20", "企业名称自主申报").both(),
				fam("09", "企业名称争议裁决").law("《企业名称登记管理规定》"),
				fam("10", "企业年度报告公示").law("《企业信息公示暂行条例》"),
				fam("10", "个体工商户年度报告").both(),
				fam("10", "农民专业合作社年度报告"),
				fam("10", "经营异常名录移出申请").law("《企业信息公示暂行条例》"),
				fam("10", "严重违法失信名单移出申请"),
				fam("10", "企业信用修复申请"),
				fam("10", "企业公示信息更正"),
				fam("20", "营业执照补领换发").gives("营业执照"),
				fam("20", "电子营业执照下载"),
				fam("20", "营业执照遗失作废声明"),
				fam("20", "企业登记档案查询").both(),
				fam("20", "市场主体信用信息查询").both(),
				fam("01", "食品生产许可", licence5...).law(food),
				fam("01", "食品经营许可", paren("变更", "延续", "注销", "补证")...).law(food).both(),
				fam("07", "食品小作坊登记", licence4...).law(food).both(),
				fam("07", "小餐饮店登记", licence4...).law(food).both(),
				fam("10", "食品摊贩备案", filing3...).law(food).persons(),
				fam("10", "仅销售预包装食品备案", filing3...).law(food).both(),
				fam("01", "药品零售企业经营许可", licence5...).at(city...).law("《中华人民共和国药品管理法》"),
				fam("10", "第二类医疗器械经营备案", filing3...).law("《医疗器械监督管理条例》"),
				fam("01", "第三类医疗器械经营许可", licence5...).at(city...).law("《医疗器械监督管理条例》"),
				fam("10", "医疗器械网络销售备案", filing3...).at(city...).law("《医疗器械监督管理条例》"),
				fam("01", "特种设备使用登记", paren("电梯", "锅炉", "压力容器", "起重机械", "场（厂）内专用机动车辆", "大型游乐设施", "压力管道")...).law("《中华人民共和国特种设备安全法》"),
				fam("01", "特种设备", "使用登记变更", "停用报废注销", "使用登记证补办").law("《中华人民共和国特种设备安全法》"),
				fam("01", "特种设备作业人员资格认定", paren("首次取证", "复审", "补证")...).at(city...).persons().law("《中华人民共和国特种设备安全法》"),
				fam("10", "特种设备安装改造修理告知").law("《中华人民共和国特种设备安全法》"),
				fam("01", "计量标准器具核准", licence5...).at(city...).law("《中华人民共和国计量法》"),
				fam("20", "计量器具强制检定申请").law("《中华人民共和国计量法》"),
				fam("10", "计量纠纷调解申请").both().law("《中华人民共和国计量法》"),
				fam("20", "企业标准自我声明公开").law("《中华人民共和国标准化法》"),
				fam("20", "消费者投诉受理").persons().law("《中华人民共和国消费者权益保护法》"),
				fam("20", "消费者举报受理").persons().law("《中华人民共和国消费者权益保护法》"),
				fam("20", "知识产权维权援助申请").both().law("《中华人民共和国专利法》"),
				fam("10", "知识产权纠纷调解申请").both().law("《中华人民共和国专利法》"),
				fam("09", "专利侵权纠纷行政裁决").at(city...).both().law("《中华人民共和国专利法》"),
				fam("20", "食品检验结果复检申请").law(food),
				fam("20", "重大活动食品安全保障申请").law(food),
				fam("20", "小微企业名录扶持政策申请").law("《中华人民共和国中小企业促进法》"),
				fam("01", "企业合并分立登记").law(company),
				fam("20", "公司减资公告").law(company),
				fam("20", "公司注销清算组公告").law(company),
				fam("10", "网络食品交易第三方平台备案", filing3...).at(city...).law(food),
				fam("10", "药品网络销售备案", filing3...).at(city...).law("《中华人民共和国药品管理法》"),
				fam("10", "第一类医疗器械生产备案", filing3...).at(city...).law("《医疗器械监督管理条例》"),
				fam("20", "定量包装商品生产企业计量保证能力自我声明").law("《中华人民共和国计量法》"),
				fam("20", "消费维权服务站设立申请"),
				fam("20", "放心消费承诺单位申请"),
				fam("20", "市场主体登记政策咨询").both(),
				fam("20", "计量器具检定结果查询").law("《中华人民共和国计量法》"),
				fam("20", "商品条码注册受理"),
				fam("20", "标准文本查询").both().law("《中华人民共和国标准化法》"),
				fam("10", "产品质量监督抽查异议受理").law("《中华人民共和国产品质量法》"),
				fam("20", "特种设备检验报告查询").law("《中华人民共和国特种设备安全法》"),
			}},
		{Department: dept(DeptHumanResources, "辉南县人力资源和社会保障局", "Huinan County Human Resources and Social Security Bureau", creditHumanResources, kindSocial),
			seq: 2, contact: "12333", basis: social, events: []string{"就业"}, who: forPersons,
			families: []family{
				fam("07", "就业登记").law(employ),
				fam("07", "失业登记").law(employ),
				fam("20", "就业创业证申领").law(employ).gives("就业创业证"),
				fam("07", "就业困难人员认定").law(employ),
				fam("20", "创业担保贷款申请").law(employ),
				fam("05", "一次性创业补贴申领").law(employ),
				fam("05", "一次性吸纳就业补贴申领").enterprises().law(employ),
				fam("05", "职业培训补贴申领").both().law(employ),
				fam("05", "职业技能鉴定补贴申领").law(employ),
				fam("05", "公益性岗位补贴申领").enterprises().law(employ),
				fam("05", "求职创业补贴申领").law(employ),
				fam("05", "就业见习补贴申领").enterprises().law(employ),
				fam("05", "失业保险稳岗返还").enterprises().law(unemploy),
				fam("05", "技能提升补贴申领").law(unemploy),
				fam("05", "高校毕业生社会保险补贴申领").law(employ),
				fam("05", "灵活就业人员社会保险补贴申领").law(employ),
				fam("05", "失业保险金申领").law(unemploy),
				fam("20", "失业保险关系转移接续").law(unemploy),
				fam("05", "失业人员丧葬补助金和抚恤金申领").law(unemploy),
				fam("05", "失业农民工一次性生活补助申领").law(unemploy),
				fam("20", "城乡居民基本养老保险参保登记").ev("养老"),
				fam("05", "城乡居民基本养老保险待遇申领").ev("养老"),
				fam("20", "城乡居民基本养老保险关系转移接续").ev("养老"),
				fam("20", "城乡居民基本养老保险注销登记").ev("养老"),
				fam("20", "城乡居民基本养老保险缴费档次变更").ev("养老"),
				fam("20", "灵活就业人员养老保险参保登记").ev("养老", "就业"),
				fam("20", "职工基本养老保险关系转移接续").ev("养老", "就业"),
				fam("05", "职工基本养老金申领").ev("养老"),
				fam("05", "遗属待遇申领").ev("养老"),
				fam("05", "病残津贴申领").ev("养老"),
				fam("05", "养老保险个人账户一次性待遇申领").ev("养老"),
				fam("07", "养老保险待遇领取资格认证").ev("养老").at(village...),
				fam("20", "城乡居民养老保险与职工养老保险制度衔接").ev("养老"),
				fam("20", "社会保险个人权益记录查询打印").ev("养老", "就业").at(village...),
				fam("20", "社会保险参保缴费凭证开具").ev("就业"),
				fam("20", "个人社会保险参保信息变更", paren("姓名变更", "身份证件号码变更", "联系方式变更", "户籍性质变更")...),
				fam("20", "单位社会保险参保信息变更", paren("单位名称变更", "地址变更", "法定代表人变更", "银行账户变更")...).enterprises().ev("开办企业"),
				fam("20", "单位社会保险注销登记").enterprises(),
				fam("07", "工伤认定申请").both().law(injury),
				fam("07", "劳动能力鉴定申请").law(injury),
				fam("05", "工伤保险待遇核定支付").both().law(injury),
				fam("05", "工伤医疗费用报销").law(injury),
				fam("05", "一次性工伤医疗补助金申领").law(injury),
				fam("20", "工伤康复申请").law(injury),
				fam("20", "工伤职工辅助器具配置申请").law(injury),
				fam("20", "工伤职工异地就医备案").law(injury),
				fam("05", "工亡职工供养亲属抚恤金申领").law(injury),
				fam("20", "社会保障卡补领换领").at(village...),
				fam("20", "社会保障卡挂失解挂").at(village...),
				fam("20", "社会保障卡密码重置").at(village...),
				fam("20", "社会保障卡信息变更").at(village...),
				fam("20", "社会保障卡应用状态启用").at(village...),
				fam("01", "劳务派遣经营许可", licence5...).enterprises().at(city...).law(labour),
				fam("01", "企业实行不定时工作制和综合计算工时工作制审批").enterprises().law("《中华人民共和国劳动法》"),
				fam("01", "人力资源服务许可", licence5...).enterprises().law("《人力资源市场暂行条例》"),
				fam("10", "人力资源服务备案", filing3...).enterprises().law("《人力资源市场暂行条例》"),
				fam("10", "劳动人事争议仲裁申请").both().law("《中华人民共和国劳动争议调解仲裁法》"),
				fam("10", "劳动保障监察投诉").law("《劳动保障监察条例》"),
				fam("10", "集体合同审查").enterprises().law(labour),
				fam("10", "农民工工资保证金存储备案").enterprises().law("《保障农民工工资支付条例》"),
				fam("10", "劳动用工备案").enterprises().law(labour),
				fam("20", "高校毕业生报到").ev("就业", "上学"),
				fam("20", "流动人员人事档案接收"),
				fam("20", "流动人员人事档案转递"),
				fam("20", "流动人员人事档案查（借）阅"),
				fam("20", "依据档案记载出具相关证明"),
				fam("20", "职称申报评审"),
				fam("20", "职业技能等级认定报名"),
				fam("01", "民办职业培训学校", "设立审批", "变更审批", "终止审批").enterprises().law("《中华人民共和国民办教育促进法》"),
				fam("20", "就业见习单位认定").enterprises(),
				fam("20", "职业介绍服务").ev("就业"),
				fam("20", "职业指导服务").ev("就业"),
				fam("20", "用人单位招聘会报名").enterprises(),
				fam("20", "用人单位岗位信息发布").enterprises(),
				fam("20", "就业困难人员就业援助").at(township...),
				fam("20", "农村劳动力转移就业登记").at(village...),
				fam("05", "返乡创业补贴申领").law(employ),
				fam("05", "创业孵化基地补贴申领").enterprises().law(employ),
				fam("20", "小微企业创业担保贷款申请").enterprises().law(employ),
				fam("05", "吸纳脱贫人口就业补贴申领").enterprises().law(employ),
				fam("05", "脱贫劳动力外出务工交通补贴申领").at(village...).law(employ),
				fam("20", "高校毕业生就业见习报名").ev("就业", "上学"),
				fam("05", "城乡居民基本养老保险丧葬补助金申领").ev("养老"),
				fam("20", "城乡居民基本养老保险待遇", "暂停", "恢复").ev("养老"),
				fam("10", "社会保险费断缴补缴申报").ev("养老", "就业"),
				fam("20", "社会保险待遇发放账户维护").ev("养老"),
				fam("10", "企业年金方案备案").enterprises(),
				fam("20", "工伤预防项目申报").enterprises().law(injury),
				fam("07", "停工留薪期确认").law(injury),
				fam("07", "工伤职工旧伤复发确认").law(injury),
				fam("07", "劳动能力再次鉴定申请").law(injury),
				fam("07", "因病或非因工致残完全丧失劳动能力鉴定"),
				fam("07", "企业职工退休申请").ev("养老"),
				fam("07", "特殊工种提前退休申请").ev("养老"),
				fam("07", "企业职工基本养老保险视同缴费年限认定").ev("养老"),
				fam("20", "机关事业单位养老保险参保登记").enterprises(),
				fam("20", "机关事业单位基本养老保险关系转移接续").ev("养老"),
				fam("05", "机关事业单位养老保险待遇申领").ev("养老"),
				fam("10", "企业经济性裁员报告").enterprises().law(labour),
				fam("20", "欠薪线索反映").law("《保障农民工工资支付条例》"),
				fam("20", "劳动争议调解申请").both().law("《中华人民共和国劳动争议调解仲裁法》"),
				fam("10", "农民工工资专用账户开立备案").enterprises().law("《保障农民工工资支付条例》"),
				fam("20", "专业技术人员继续教育登记"),
				fam("20", "职业技能等级证书查询"),
				fam("20", "技能大师工作室申报"),
				fam("20", "事业单位公开招聘报名"),
				fam("20", "社会保障卡异地申领").at(village...),
				fam("10", "职业技能培训机构备案", filing3...).enterprises(),
				fam("05", "高层次人才津贴申领"),
				fam("07", "企业职工基本养老保险待遇重核").ev("养老"),
				fam("20", "就业创业政策咨询").at(village...),
				fam("20", "社会保险政策咨询").ev("养老", "就业").at(village...),
				fam("20", "失业人员证明开具"),
				fam("20", "技工院校招生报名"),
				fam("10", "人力资源服务机构年度报告").enterprises().law("《人力资源市场暂行条例》"),
				fam("20", "失业保险待遇信息查询").law(unemploy),
				fam("20", "养老保险待遇信息查询").ev("养老"),
			}},
		{Department: dept(DeptMedicalInsurance, "辉南县医疗保障局", "Huinan County Healthcare Security Administration", creditMedicalInsurance, kindSocial),
			seq: 3, contact: "12393", basis: "《医疗保障基金使用监督管理条例》", who: forEnterprises,
			families: []family{
				fam("20", "医疗机构医保定点", "申请", "变更", "解除"),
				fam("20", "零售药店医保定点", "申请", "变更", "解除"),
				fam("20", "医疗保障基金使用违法违规行为举报").both(),
				fam("10", "医疗服务价格新增项目申报"),
				fam("10", "定点医药机构相关人员医保支付资格登记备案"),
			}},
		{Department: dept(DeptJustice, "辉南县司法局", "Huinan County Justice Bureau", creditJustice, kindLegal),
			seq: 4, contact: "12348", basis: "《中华人民共和国法律援助法》", who: forPersons,
			families: []family{
				fam("20", "公共法律服务咨询").ev("法律援助").at(village...),
				fam("20", "法律援助经济困难状况核查").ev("法律援助").at(township...).needing("hardship_statement"),
				fam("10", "法律援助不予援助决定异议").ev("法律援助"),
				fam("05", "法律援助人员办案补贴申领").ev("法律援助"),
				fam("20", "人民调解申请").at(village...).law("《中华人民共和国人民调解法》"),
				fam("20", "人民调解协议司法确认引导").at(township...).law("《中华人民共和国人民调解法》"),
				fam("20", "", "出生公证", "亲属关系公证", "学历公证", "婚姻状况公证", "声明书公证", "委托书公证", "遗嘱公证", "继承公证", "赠与公证", "保全证据公证").law("《中华人民共和国公证法》").gives("公证书").needing("notarial_documents").inPerson(),
				fam("01", "基层法律服务工作者执业", paren("核准", "变更", "注销")...).at(city...).law("《基层法律服务工作者管理办法》"),
				fam("01", "基层法律服务所", paren("设立", "变更", "注销")...).at(city...).enterprises().law("《基层法律服务所管理办法》"),
				fam("10", "行政复议申请").both().law("《中华人民共和国行政复议法》"),
				fam("10", "社区矫正对象外出审批").law("《中华人民共和国社区矫正法》"),
				fam("10", "社区矫正对象变更执行地审批").law("《中华人民共和国社区矫正法》"),
				fam("10", "社区矫正对象进入特定场所审批").law("《中华人民共和国社区矫正法》"),
				fam("20", "刑满释放人员安置帮教衔接"),
				fam("20", "", "学位公证", "经历公证", "未受刑事处分公证", "驾驶证公证", "房屋买卖合同公证", "借款合同公证", "提存公证", "现场监督公证", "收养公证", "财产分割协议公证").law("《中华人民共和国公证法》").gives("公证书").needing("notarial_documents").inPerson(),
				fam("20", "法律援助值班律师服务").ev("法律援助"),
				fam("20", "农民工法律援助绿色通道").ev("法律援助", "就业").at(township...),
				fam("20", "新就业形态劳动者法律援助联络点咨询").ev("法律援助", "就业").at(village...),
				fam("20", "普法讲座预约").at(village...),
				fam("20", "法律服务投诉受理"),
				fam("20", "人民陪审员选任报名").law("《中华人民共和国人民陪审员法》"),
			}},
		{Department: dept(DeptHealth, "辉南县卫生健康局", "Huinan County Health Commission", creditHealth, kindHealth),
			seq: 5, contact: "12320", basis: "《中华人民共和国基本医疗卫生与健康促进法》", who: forPersons,
			families: []family{
				fam("01", "医疗机构执业登记", paren("新办", "变更", "校验", "注销", "补证")...).enterprises().law("《医疗机构管理条例》").gives("医疗机构执业许可证"),
				fam("10", "诊所备案", filing3...).both().law("《医疗机构管理条例》"),
				fam("10", "中医诊所备案", filing3...).both().law("《中华人民共和国中医药法》"),
				fam("01", "医师执业注册", paren("首次注册", "变更注册", "注销注册", "重新注册")...).law(doctor).gives("医师执业证书"),
				fam("01", "护士执业注册", paren("首次注册", "延续注册", "变更注册", "重新注册", "注销注册")...).law(nurse).gives("护士执业证书"),
				fam("01", "乡村医生执业注册", paren("首次注册", "再注册", "变更")...).law("《乡村医生从业管理条例》"),
				fam("01", "公共场所卫生许可", licence5...).enterprises().law("《公共场所卫生管理条例》"),
				fam("01", "生活饮用水供水单位卫生许可", licence5...).enterprises().law("《中华人民共和国传染病防治法》"),
				fam("01", "放射诊疗许可", licence5...).enterprises().at(city...).law("《放射诊疗管理规定》"),
				fam("01", "母婴保健技术服务执业许可", licence5...).enterprises().at(city...).law("《中华人民共和国母婴保健法》"),
				fam("01", "母婴保健技术考核合格证书", paren("新办", "变更", "校验")...).law("《中华人民共和国母婴保健法》"),
				fam("01", "医疗机构放射性职业病危害建设项目", "预评价报告审核", "竣工验收").enterprises().at(city...).law("《中华人民共和国职业病防治法》"),
				fam("10", "职业健康检查机构备案", filing3...).enterprises().law("《中华人民共和国职业病防治法》"),
				fam("07", "职业病诊断").at(city...).law("《中华人民共和国职业病防治法》"),
				fam("20", "生育登记").ev("生育").at(village...).law("《中华人民共和国人口与计划生育法》"),
				fam("05", "计划生育家庭特别扶助金申领").ev("养老").at(township...).law("《中华人民共和国人口与计划生育法》"),
				fam("05", "农村部分计划生育家庭奖励扶助金申领").ev("养老").at(township...).law("《中华人民共和国人口与计划生育法》"),
				fam("20", "独生子女父母光荣证补办").at(township...).law("《中华人民共和国人口与计划生育法》"),
				fam("07", "病残儿医学鉴定").ev("生育").law("《中华人民共和国人口与计划生育法》"),
				fam("20", "出生医学证明补发").ev("生育").law("《中华人民共和国母婴保健法》").inPerson(),
				fam("20", "出生医学证明换发").ev("生育").law("《中华人民共和国母婴保健法》"),
				fam("20", "预防接种证补办").ev("生育").law("《中华人民共和国疫苗管理法》"),
				fam("20", "儿童入托入学预防接种证查验").ev("上学").at(township...).law("《中华人民共和国疫苗管理法》"),
				fam("20", "疫苗接种记录查询").ev("生育").law("《中华人民共和国疫苗管理法》"),
				fam("20", "婚前医学检查").ev("婚姻").law("《中华人民共和国母婴保健法》").inPerson(),
				fam("20", "孕产妇保健手册建册").ev("生育").at(village...),
				fam("20", "0—6岁儿童健康管理").ev("生育").at(village...),
				fam("20", "65岁及以上老年人健康体检").ev("养老").at(village...).inPerson(),
				fam("20", "家庭医生签约服务").at(village...),
				fam("20", "居民健康档案查询").at(village...),
				fam("20", "老年人优待证办理").ev("养老").at(village...).law("《中华人民共和国老年人权益保障法》"),
				fam("10", "医疗事故争议处理申请").law("《医疗事故处理条例》"),
				fam("05", "无偿献血者用血费用报销").law("《中华人民共和国献血法》"),
				fam("20", "从业人员预防性健康检查").inPerson(),
				fam("01", "医疗机构设置审批").enterprises().law("《医疗机构管理条例》"),
				fam("10", "医师多机构执业备案").law(doctor),
				fam("20", "医师定期考核").law(doctor),
				fam("01", "放射工作人员证", paren("新办", "变更", "校验")...).law("《放射诊疗管理规定》"),
				fam("20", "中医医术确有专长人员医师资格考核报名").law("《中华人民共和国中医药法》"),
				fam("05", "预防接种异常反应补偿申请").law("《中华人民共和国疫苗管理法》"),
				fam("20", "儿童预防接种预约").ev("生育").at(township...),
				fam("10", "职业病危害项目申报").enterprises().law("《中华人民共和国职业病防治法》"),
				fam("20", "老年人能力评估").ev("养老").at(township...),
				fam("07", "计划生育手术并发症鉴定").law("《中华人民共和国人口与计划生育法》"),
				fam("10", "托育机构备案", filing3...).enterprises().ev("生育"),
				fam("20", "死亡医学证明补发"),
				fam("20", "家庭病床建床申请").at(township...),
				fam("20", "新生儿疾病筛查结果查询").ev("生育"),
				fam("20", "农村适龄妇女两癌免费检查预约").at(village...),
				fam("05", "严重精神障碍患者救治救助申请").at(township...),
				fam("20", "卫生监督投诉举报受理"),
				fam("20", "卫生专业技术资格考试报名"),
				fam("20", "急救技能培训报名"),
				fam("20", "无偿献血证补办").law("《中华人民共和国献血法》"),
				fam("10", "医养结合机构备案").enterprises().ev("养老"),
				fam("20", "医疗卫生政策咨询").at(village...),
				fam("20", "健康教育讲座预约").at(village...),
			}},
		{Department: dept(DeptPublicSecurity, "辉南县公安局", "Huinan County Public Security Bureau", creditPublicSecurity, kindPolice),
			seq: 6, contact: "12345", basis: hukou, events: []string{"户籍"}, who: forPersons,
			families: []family{
				fam("07", "死亡户口注销").at(township...),
				fam("07", "户口迁入", paren("投靠落户", "购房落户", "人才落户", "婚迁落户", "大中专院校毕业生落户", "退役士兵落户", "收养落户")...).at(township...),
				fam("07", "户口迁出").at(township...),
				fam("07", "分户").at(township...),
				fam("07", "立户").at(township...),
				fam("07", "户口登记项目变更更正", paren("姓名变更", "性别更正", "出生日期更正", "民族成分变更", "文化程度变更", "服务处所变更", "婚姻状况变更")...).at(township...),
				fam("20", "户籍证明开具").at(township...),
				fam("20", "户籍档案查询").at(township...),
				fam("07", "恢复户口登记").at(township...),
				fam("07", "出国（境）定居注销户口").at(township...),
				fam("07", "服兵役注销户口").ev("退役军人").at(township...),
				fam("20", "居民户口簿补领换领").at(township...),
				fam("07", "居民身份证换领").at(township...).law("《中华人民共和国居民身份证法》").inPerson().fee("居民身份证工本费", 2000, "国家发展改革委、财政部居民身份证收费标准"),
				fam("07", "居民身份证补领").at(township...).law("《中华人民共和国居民身份证法》").inPerson().fee("居民身份证工本费", 2000, "国家发展改革委、财政部居民身份证收费标准"),
				fam("07", "临时居民身份证申领").at(township...).law("《中华人民共和国居民身份证法》").inPerson().fee("临时居民身份证工本费", 1000, "国家发展改革委、财政部居民身份证收费标准"),
				fam("07", "居民身份证异地受理").law("《中华人民共和国居民身份证法》").inPerson(),
				fam("07", "居住登记").at(township...).law("《居住证暂行条例》"),
				fam("07", "居住证申领").at(township...).law("《居住证暂行条例》").inPerson(),
				fam("07", "居住证签注").at(township...).law("《居住证暂行条例》"),
				fam("01", "普通护照签发", paren("首次申请", "换发", "补发", "加注")...).law("《中华人民共和国护照法》").inPerson().ev("出入境"),
				fam("01", "往来港澳通行证签发", paren("首次申请", "换发", "补发")...).law("《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》").inPerson().ev("出入境"),
				fam("01", "往来台湾通行证签发", paren("首次申请", "换发", "补发")...).law("《中国公民往来台湾地区管理办法》").inPerson().ev("出入境"),
				fam("01", "往来港澳签注签发", paren("团队旅游签注", "个人旅游签注", "探亲签注", "商务签注")...).law("《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》").ev("出入境"),
				fam("01", "赴台湾签注签发").law("《中国公民往来台湾地区管理办法》").ev("出入境"),
				fam("07", "机动车", "注册登记", "转移登记", "抵押登记", "解除抵押登记", "注销登记").both().law(traffic).ev("出行"),
				fam("20", "机动车", "号牌补领换领", "行驶证补领换领", "登记证书补领换领", "检验合格标志核发", "临时行驶车号牌核发").both().law(traffic).ev("出行"),
				fam("01", "机动车驾驶证", "初次申领", "增驾申请", "有效期满换领", "补领", "注销", "审验").law(traffic).ev("出行"),
				fam("10", "机动车驾驶人信息变更备案").law(traffic).ev("出行"),
				fam("07", "电动自行车登记").law(traffic).ev("出行"),
				fam("01", "校车驾驶资格许可").law("《校车安全管理条例》").inPerson(),
				fam("01", "旅馆业特种行业许可", licence3...).enterprises().law("《旅馆业治安管理办法》").ev("开办企业"),
				fam("01", "公章刻制业特种行业许可", licence3...).enterprises().ev("开办企业"),
				fam("01", "典当业特种行业许可", licence3...).enterprises().at(city...),
				fam("01", "大型群众性活动安全许可").enterprises().law("《大型群众性活动安全管理条例》"),
				fam("01", "焰火晚会烟花爆竹燃放许可").enterprises().law("《烟花爆竹安全管理条例》"),
				fam("01", "烟花爆竹道路运输许可").enterprises().law("《烟花爆竹安全管理条例》"),
				fam("01", "剧毒化学品购买许可").enterprises().at(city...).law("《危险化学品安全管理条例》"),
				fam("10", "易制爆危险化学品从业单位备案").enterprises().law("《危险化学品安全管理条例》"),
				fam("01", "民用爆炸物品购买许可").enterprises().law("《民用爆炸物品安全管理条例》"),
				fam("01", "民用爆炸物品运输许可").enterprises().law("《民用爆炸物品安全管理条例》"),
				fam("10", "第二类、第三类易制毒化学品购买备案").enterprises().law("《易制毒化学品管理条例》"),
				fam("01", "易制毒化学品运输许可").enterprises().at(city...).law("《易制毒化学品管理条例》"),
				fam("01", "金融机构营业场所和金库安全防范设施建设方案审批").enterprises().at(city...),
				fam("20", "无犯罪记录证明开具").at(township...).ev("就业"),
				fam("07", "养犬登记").law(order),
				fam("07", "跨省户口迁移（迁入地一站式办理）"),
				fam("07", "港澳台居民定居落户").at(city...),
				fam("07", "华侨回国定居落户").at(city...),
				fam("07", "宣告失踪（死亡）注销户口").at(township...),
				fam("07", "注销重复户口").at(township...),
				fam("07", "大中专院校学生户口迁回原籍").at(township...).ev("户籍", "上学"),
				fam("07", "补录户口").at(township...),
				fam("20", "居民身份证挂失申报").at(township...).law("《中华人民共和国居民身份证法》"),
				fam("20", "出入境记录查询").ev("出入境"),
				fam("07", "港澳台居民居住证申领").law("《港澳台居民居住证申领发放办法》").inPerson(),
				fam("07", "外国人住宿登记").at(township...).law("《中华人民共和国出境入境管理法》"),
				fam("07", "机动车转移", "转出登记", "转入登记").both().law(traffic).ev("出行"),
				fam("07", "机动车变更登记", paren("车身颜色", "发动机", "车身或者车架", "使用性质")...).both().law(traffic).ev("出行"),
				fam("10", "机动车质押", "备案", "解除备案").both().law(traffic).ev("出行"),
				fam("20", "机动车安全技术检验预约").both().law(traffic).ev("出行"),
				fam("20", "机动车驾驶证", "延期换证", "延期审验", "延期提交身体条件证明").law(traffic).ev("出行"),
				fam("10", "驾驶人身体条件证明提交").law(traffic).ev("出行"),
				fam("20", "驾驶人考试预约").law(traffic).ev("出行"),
				fam("20", "交通违法记录查询").both().law(traffic).ev("出行"),
				fam("20", "道路交通事故证明开具").law(traffic).ev("出行"),
				fam("10", "机动车所有人联系方式变更备案").both().law(traffic).ev("出行"),
				fam("01", "残疾人专用小型自动挡载客汽车驾驶证申领").law(traffic).ev("出行", "残疾人"),
				fam("01", "校车标牌核发").enterprises().law("《校车安全管理条例》"),
				fam("20", "驾驶人满分学习预约").law(traffic).ev("出行"),
				fam("01", "保安员证核发").at(city...).law("《保安服务管理条例》"),
				fam("10", "娱乐场所治安备案").enterprises(),
				fam("01", "爆破作业人员许可").at(city...).law("《民用爆炸物品安全管理条例》"),
				fam("10", "机动车修理业治安管理信息备案").enterprises(),
				fam("20", "户籍政策咨询").at(township...),
				fam("01", "边境管理区通行证核发").inPerson(),
				fam("20", "出入境证件受理进度查询").ev("出入境"),
				fam("20", "车驾管业务办理进度查询").both().law(traffic).ev("出行"),
			}},
		{Department: dept(DeptCivilAffairs, "辉南县民政局", "Huinan County Civil Affairs Bureau", creditCivilAffairs, kindSocial),
			seq: 7, contact: "12345", basis: relief, events: []string{"社会救助"}, who: forPersons,
			families: []family{
				fam("07", "离婚登记").ev("婚姻").law("《婚姻登记条例》").inPerson(),
				fam("07", "补领结婚证").ev("婚姻").law("《婚姻登记条例》").inPerson(),
				fam("07", "补领离婚证").ev("婚姻").law("《婚姻登记条例》").inPerson(),
				fam("20", "婚姻登记档案查询").ev("婚姻").law("《婚姻登记条例》"),
				fam("05", "最低生活保障", "审核确认", "待遇变更", "终止").at(village...),
				fam("05", "特困人员救助供养", "审核确认", "待遇变更", "终止").at(village...),
				fam("05", "临时救助申请").at(village...),
				fam("07", "低保边缘家庭认定").at(township...),
				fam("07", "刚性支出困难家庭认定").at(township...),
				fam("20", "居民家庭经济状况核对").at(township...),
				fam("20", "流浪乞讨人员救助").law("《城市生活无着的流浪乞讨人员救助管理办法》"),
				fam("05", "高龄津贴申领").ev("养老").at(village...).law("《中华人民共和国老年人权益保障法》"),
				fam("05", "经济困难老年人养老服务补贴申领").ev("养老").at(township...).law("《中华人民共和国老年人权益保障法》"),
				fam("10", "养老机构备案", filing3...).enterprises().ev("养老").law("《中华人民共和国老年人权益保障法》"),
				fam("05", "孤儿基本生活费申领").at(township...).law("《中华人民共和国未成年人保护法》"),
				fam("07", "事实无人抚养儿童认定").at(township...).law("《中华人民共和国未成年人保护法》"),
				fam("05", "困境儿童基本生活保障申请").at(township...).law("《中华人民共和国未成年人保护法》"),
				fam("07", "收养登记").ev("生育").law("《中华人民共和国民法典》").inPerson(),
				fam("07", "解除收养关系登记").law("《中华人民共和国民法典》").inPerson(),
				fam("05", "基本殡葬服务费用减免申请").at(township...).law("《殡葬管理条例》"),
				fam("01", "公益性公墓建设审批").enterprises().law("《殡葬管理条例》"),
				fam("01", "社会团体", "成立登记", "变更登记", "注销登记").enterprises().law("《社会团体登记管理条例》"),
				fam("01", "民办非企业单位", "成立登记", "变更登记", "注销登记").enterprises().law("《民办非企业单位登记管理暂行条例》"),
				fam("10", "社会组织年度检查").enterprises(),
				fam("07", "慈善组织认定").enterprises().law("《中华人民共和国慈善法》"),
				fam("10", "慈善信托备案").enterprises().law("《中华人民共和国慈善法》"),
				fam("01", "地名命名更名审批").enterprises().law("《地名管理条例》"),
				fam("05", "残疾人两项补贴", "资格变更", "停发").ev("残疾人", "社会救助").at(township...),
				fam("20", "居家养老上门服务申请").ev("养老").at(village...),
				fam("20", "老年人助餐服务").ev("养老").at(village...),
				fam("05", "特殊困难老年人家庭适老化改造申请").ev("养老", "住房").at(township...),
				fam("20", "农村留守儿童关爱服务").at(village...),
				fam("20", "婚姻家庭辅导服务").ev("婚姻"),
				fam("20", "婚姻登记预约").ev("婚姻").law("《婚姻登记条例》"),
				fam("20", "婚姻登记记录证明开具").ev("婚姻").law("《婚姻登记条例》"),
				fam("20", "火化证明补办").law("《殡葬管理条例》"),
				fam("10", "社会组织印章备案").enterprises(),
				fam("10", "社会组织银行账户备案").enterprises(),
				fam("01", "社会团体章程核准").enterprises().law("《社会团体登记管理条例》"),
				fam("01", "民办非企业单位章程核准").enterprises().law("《民办非企业单位登记管理暂行条例》"),
				fam("20", "社会组织评估申请").enterprises(),
				fam("20", "养老服务投诉受理").ev("养老"),
				fam("20", "最低生活保障证明开具").at(township...),
				fam("20", "特困人员证明开具").at(township...),
				fam("20", "社会救助政策咨询").at(village...),
				fam("20", "社会工作者职业资格考试报名"),
				fam("20", "养老机构等级评定申请").enterprises().ev("养老"),
				fam("20", "社会组织信息查询").both(),
			}},
		{Department: dept(DeptTax, "国家税务总局辉南县税务局", "Huinan County Tax Service, State Taxation Administration", creditTax, kindFiscal),
			seq: 8, contact: "12366", basis: taxlaw, events: []string{"纳税"}, who: forBoth,
			families: []family{
				fam("10", "", "增值税申报（小规模纳税人）", "消费税申报", "企业所得税预缴申报", "城市维护建设税申报", "房产税申报", "城镇土地使用税申报", "印花税申报", "契税申报", "耕地占用税申报", "资源税申报", "车船税申报", "环境保护税申报", "土地增值税申报", "文化事业建设费申报", "残疾人就业保障金申报"),
				fam("10", "个人所得税", "综合所得汇算清缴", "经营所得预缴申报", "经营所得汇算清缴", "专项附加扣除信息报送").persons(),
				fam("10", "扣缴个人所得税申报").enterprises(),
				fam("10", "车辆购置税申报").persons().ev("纳税", "出行"),
				fam("20", "车辆购置税完税证明补办").persons().ev("出行"),
				fam("10", "存量房交易税费申报").persons().ev("纳税", "住房"),
				fam("01", "增值税专用发票最高开票限额审批").enterprises().law(invoice),
				fam("10", "发票票种核定").enterprises().law(invoice),
				fam("20", "代开增值税发票").law(invoice),
				fam("10", "发票缴销").enterprises().law(invoice),
				fam("10", "发票遗失、损毁报告").enterprises().law(invoice),
				fam("10", "数电发票开票额度调整").enterprises().law(invoice),
				fam("10", "纳税人身份信息报告").ev("开办企业", "纳税"),
				fam("10", "一照一码户信息变更").enterprises(),
				fam("10", "跨区域涉税事项", "报告", "报验", "信息反馈").enterprises(),
				fam("10", "存款账户账号报告").enterprises(),
				fam("10", "财务会计制度及核算软件备案报告").enterprises(),
				fam("20", "银税三方（委托）划缴协议签订"),
				fam("07", "增值税一般纳税人登记").enterprises(),
				fam("10", "清税申报").ev("纳税"),
				fam("10", "停业登记"),
				fam("10", "复业登记"),
				fam("10", "出口退（免）税备案", filing3...).enterprises(),
				fam("10", "出口退（免）税申报").enterprises(),
				fam("10", "增值税期末留抵税额退税申请").enterprises(),
				fam("10", "误收多缴退抵税申请"),
				fam("20", "税收完税证明开具"),
				fam("20", "个人所得税纳税记录开具").persons(),
				fam("20", "无欠税证明开具"),
				fam("20", "中国税收居民身份证明开具").at(city...),
				fam("10", "社会保险费缴费申报").enterprises().law(social),
				fam("20", "城乡居民基本医疗保险费缴纳").persons().law(social),
				fam("20", "城乡居民基本养老保险费缴纳").persons().ev("养老").law(social),
				fam("20", "灵活就业人员社会保险费缴纳").persons().ev("就业").law(social),
				fam("10", "纳税信用复评申请").enterprises(),
				fam("10", "纳税信用修复申请").enterprises(),
				fam("20", "纳税信用评价结果查询").enterprises(),
				fam("01", "延期申报核准"),
				fam("01", "延期缴纳税款核准").at(city...),
				fam("10", "办税人员实名信息采集"),
				fam("10", "财务报表报送").enterprises(),
				fam("20", "涉税信息查询"),
				fam("10", "增值税申报（一般纳税人）"),
				fam("10", "企业所得税年度汇算清缴申报").enterprises(),
				fam("10", "财产和行为税合并申报"),
				fam("10", "", "教育费附加申报", "地方教育附加申报", "水资源税申报", "土地增值税清算申报", "通用申报（税及附征税费）", "委托代征申报", "代收代缴车船税申报"),
				fam("10", "个人所得税分类所得申报").persons(),
				fam("10", "非正常户解除"),
				fam("10", "扣缴义务人登记").enterprises(),
				fam("07", "临时税务登记"),
				fam("10", "两证整合个体工商户信息变更"),
				fam("07", "非营利组织免税资格认定").enterprises().at(city...),
				fam("10", "纳税人放弃免税权备案"),
				fam("10", "增值税税收减免备案"),
				fam("01", "房产税、城镇土地使用税困难减免核准"),
				fam("10", "个体工商户定期定额核定").persons(),
				fam("10", "企业所得税核定征收鉴定").enterprises(),
				fam("20", "发票真伪鉴定").law(invoice),
				fam("10", "红字增值税专用发票信息表开具").enterprises().law(invoice),
				fam("20", "发票信息查询").law(invoice),
				fam("20", "出口退税相关证明开具").enterprises(),
				fam("20", "代扣代收税款凭证开具"),
				fam("10", "汇算清缴结算多缴退抵税申请"),
				fam("10", "入库减免退抵税申请"),
				fam("10", "车辆购置税退税申请").persons(),
				fam("10", "车船税退抵税申请"),
				fam("10", "社会保险费退费申请").law(social),
				fam("20", "城乡居民社会保险费缴费信息查询").persons().law(social),
				fam("20", "纳税服务投诉"),
				fam("20", "税费政策咨询"),
				fam("20", "办税预约"),
			}},
		{Department: dept(DeptHousing, "辉南县住房和城乡建设局", "Huinan County Housing and Urban-Rural Development Bureau", creditHousing, kindConstruction),
			seq: 9, contact: "12345", basis: building, events: []string{"工程建设"}, who: forEnterprises,
			families: []family{
				fam("01", "建筑工程施工许可证", "变更", "延期", "补办").gives("建筑工程施工许可证"),
				fam("10", "施工劳务企业资质备案", filing3...),
				fam("01", "房地产开发企业资质", paren("核定", "延续", "变更", "注销")...).at(city...).law("《城市房地产开发经营管理条例》"),
				fam("01", "商品房预售许可", paren("新办", "变更")...).law("《中华人民共和国城市房地产管理法》").gives("商品房预售许可证"),
				fam("10", "商品房现售备案").law("《中华人民共和国城市房地产管理法》"),
				fam("10", "商品房买卖合同网签备案").persons().ev("住房").law("《中华人民共和国城市房地产管理法》"),
				fam("10", "存量房买卖合同网签备案").persons().ev("住房").law("《中华人民共和国城市房地产管理法》"),
				fam("10", "房屋租赁登记备案", filing3...).both().ev("住房").law("《商品房屋租赁管理办法》"),
				fam("01", "城镇污水排入排水管网许可", licence5...).law("《城镇排水与污水处理条例》"),
				fam("01", "燃气经营许可", licence5...).at(city...).law("《城镇燃气管理条例》"),
				fam("01", "燃气设施改动审批").law("《城镇燃气管理条例》"),
				fam("01", "供热经营许可", licence5...).law("《吉林省城市供热条例》"),
				fam("01", "建设工程消防设计审查").law("《中华人民共和国消防法》"),
				fam("01", "建设工程消防验收").law("《中华人民共和国消防法》"),
				fam("10", "建设工程消防验收备案").law("《中华人民共和国消防法》"),
				fam("10", "建设工程竣工验收备案").law("《建设工程质量管理条例》"),
				fam("10", "施工图设计文件审查结果备案").law("《建设工程质量管理条例》"),
				fam("20", "建设工程质量安全监督手续办理").law("《建设工程质量管理条例》"),
				fam("07", "建筑起重机械使用登记", paren("新办", "注销")...).law("《建设工程安全生产管理条例》"),
				fam("10", "建筑起重机械产权备案").law("《建设工程安全生产管理条例》"),
				fam("01", "结合民用建筑修建防空地下室审批").law("《中华人民共和国人民防空法》"),
				fam("01", "防空地下室易地建设审批").law("《中华人民共和国人民防空法》"),
				fam("05", "公共租赁住房申请").persons().ev("住房").at(township...).law("《公共租赁住房管理办法》"),
				fam("05", "城镇住房保障家庭租赁补贴申领").persons().ev("住房").at(township...).law("《公共租赁住房管理办法》"),
				fam("05", "农村低收入群体等重点对象危房改造补助申请").persons().ev("住房").at(village...),
				fam("07", "住房保障资格复核").persons().ev("住房"),
				fam("20", "物业专项维修资金", "缴存", "使用审核", "退还").both().ev("住房").law("《物业管理条例》"),
				fam("20", "存量房交易资金监管").persons().ev("住房"),
				fam("10", "建设工程招标投标情况书面报告备案").law("《中华人民共和国招标投标法》"),
				fam("20", "房屋建筑和市政基础设施工程竣工联合验收"),
				fam("20", "施工图设计文件联合审查"),
				fam("10", "建设工程施工合同备案"),
				fam("20", "商品房预售资金监管").law("《中华人民共和国城市房地产管理法》"),
				fam("10", "商品房交付使用备案").law("《中华人民共和国城市房地产管理法》"),
				fam("10", "前期物业服务合同备案").law("《物业管理条例》"),
				fam("10", "业主大会成立备案").persons().ev("住房").law("《物业管理条例》"),
				fam("10", "业主委员会备案", filing3...).persons().ev("住房").law("《物业管理条例》"),
				fam("20", "房屋使用安全鉴定申请").both().ev("住房"),
				fam("10", "房地产经纪机构备案", filing3...).law("《房地产经纪管理办法》"),
				fam("01", "历史建筑实施原址保护措施审批").law("《历史文化名城名镇名村保护条例》"),
				fam("10", "人防工程竣工验收备案").law("《中华人民共和国人民防空法》"),
				fam("01", "人防工程拆除审批").law("《中华人民共和国人民防空法》"),
				fam("01", "人民防空警报设施拆除审批").law("《中华人民共和国人民防空法》"),
				fam("20", "人才公寓申请").persons().ev("住房", "就业"),
				fam("20", "绿色建筑标识申报"),
				fam("20", "建设工程质量投诉处理").both(),
				fam("07", "建设工程档案验收").law("《城市建设档案管理规定》"),
				fam("20", "城建档案查询").both(),
				fam("10", "既有住宅加装电梯备案").persons().ev("住房"),
				fam("20", "物业管理投诉受理").persons().ev("住房").law("《物业管理条例》"),
				fam("10", "建筑企业跨省承揽业务信息登记"),
				fam("10", "建筑市场主体信用修复申请"),
				fam("20", "住房保障政策咨询").persons().ev("住房"),
				fam("10", "住宅室内装饰装修登记").persons().ev("住房"),
				fam("20", "住房保障申请进度查询").persons().ev("住房"),
			}},
		{Department: dept(DeptNaturalResources, "辉南县自然资源局", "Huinan County Natural Resources Bureau", creditNaturalResources, kindConstruction),
			seq: 10, contact: "12336", basis: land, events: []string{"工程建设"}, who: forEnterprises,
			families: []family{
				fam("01", "建设项目用地预审与选址意见书核发").at(city...).law(planning),
				fam("01", "建设用地规划许可证核发").law(planning).gives("建设用地规划许可证"),
				fam("01", "建设工程规划许可", paren("变更", "延续")...).law(planning),
				fam("01", "乡村建设规划许可", paren("新办", "变更")...).both().ev("住房", "工程建设").law(planning),
				fam("01", "临时建设工程规划许可").law(planning),
				fam("07", "建设工程规划核实").law(planning),
				fam("10", "建设工程设计方案审查").law(planning),
				fam("20", "规划条件出具").law(planning),
				fam("20", "国土空间规划信息查询").both().law(planning),
				fam("01", "临时用地审批"),
				fam("01", "建设用地改变用途审核"),
				fam("01", "划拨国有建设用地使用权转让审批"),
				fam("20", "国有建设用地使用权出让"),
				fam("10", "设施农业用地备案").both().at(township...).ev("农业生产"),
				fam("09", "土地权属争议调处").both(),
				fam("10", "土地复垦方案审查").law("《土地复垦条例》"),
				fam("01", "砂石土类矿产采矿权", "新立登记", "延续登记", "变更登记", "注销登记").at(city...).law("《中华人民共和国矿产资源法》"),
				fam("01", "测量标志拆迁审批").law("《中华人民共和国测绘法》"),
				fam("20", "基础测绘成果提供").law("《中华人民共和国测绘法》"),
				fam("01", "建设项目用地预审与选址意见书", paren("变更", "延续")...).at(city...).law(planning),
				fam("01", "建设用地批准书核发"),
				fam("10", "农用地转用和土地征收审查").at(city...),
				fam("20", "国有土地使用权出让合同变更"),
				fam("20", "协议出让国有土地使用权"),
				fam("20", "国有建设用地使用权续期"),
				fam("20", "不动产测绘成果审核"),
				fam("10", "房产测绘成果备案"),
				fam("20", "地籍资料查询").both(),
				fam("10", "地质灾害危险性评估报告备案").law("《地质灾害防治条例》"),
				fam("20", "地质灾害隐患报告受理").persons().law("《地质灾害防治条例》"),
				fam("10", "矿山地质环境保护与土地复垦方案审查").law("《土地复垦条例》"),
				fam("20", "建设工程规划放线验线").law(planning),
				fam("20", "土地违法行为举报受理").persons(),
				fam("01", "乡（镇）村公共设施、公益事业建设用地审批").at(township...),
				fam("01", "乡（镇）村企业使用集体建设用地审批"),
				fam("20", "国土空间规划政策咨询").both(),
				fam("09", "征地补偿安置争议协调").both(),
			}},
		{Department: dept(DeptTransport, "辉南县交通运输局", "Huinan County Transport Bureau", "112205230124590382", kindConstruction),
			seq: 11, contact: "12328", basis: road, events: []string{"出行"}, who: forEnterprises,
			families: []family{
				fam("01", "道路货物运输经营许可", licence5...).both(),
				fam("01", "道路旅客运输经营许可", licence5...).at(city...),
				fam("01", "道路旅客运输班线经营许可", paren("新增", "变更", "延续", "终止")...).at(city...),
				fam("01", "道路客运站经营许可", licence3...).at(city...),
				fam("01", "危险货物道路运输经营许可", licence5...).at(city...),
				fam("01", "巡游出租汽车经营许可", licence5...).law("《巡游出租汽车经营服务管理规定》"),
				fam("01", "网络预约出租汽车运输证", paren("核发", "变更", "注销")...).law("《网络预约出租汽车经营服务管理暂行办法》"),
				fam("01", "道路运输从业人员从业资格证", paren("核发", "补发", "换发", "注销")...).persons().at(city...).ev("就业", "出行"),
				fam("10", "机动车维修经营备案", filing3...).both(),
				fam("10", "机动车驾驶员培训经营备案", filing3...),
				fam("10", "道路运输证", paren("配发", "补发", "换发", "注销")...).both(),
				fam("10", "道路运输车辆年度审验").both(),
				fam("01", "公路超限运输许可").both().at(city...).law(highway),
				fam("01", "涉路施工活动许可").law(highway),
				fam("01", "在公路用地范围内设置非公路标志许可").law(highway),
				fam("01", "更新采伐护路林审批").law(highway),
				fam("01", "公路建设项目施工许可").law(highway),
				fam("10", "公路建设项目竣工验收").law(highway),
				fam("01", "出租汽车驾驶员从业资格证", paren("核发", "换发", "补发", "注销")...).persons().ev("就业", "出行"),
				fam("01", "城市公共汽车客运线路经营许可"),
				fam("10", "道路运输车辆", "转籍", "过户", "报停", "恢复营运", "报废").both(),
				fam("01", "占用、挖掘公路、公路用地或者使公路改线审批").law(highway),
				fam("01", "跨越、穿越公路修建桥梁等设施许可").law(highway),
				fam("01", "在公路建筑控制区内埋设管线、电缆等设施许可").law(highway),
				fam("01", "公路增设或者改造平面交叉道口审批").law(highway),
				fam("01", "铁轮车、履带车等可能损害公路路面的机具行驶公路审批").law(highway),
				fam("01", "公路工程施工图设计审批").law(highway),
				fam("20", "交通运输工程质量监督手续办理").law(highway),
				fam("20", "交通运输服务投诉受理").persons(),
				fam("20", "包车客运标志牌核发"),
				fam("20", "道路运输政策咨询").both(),
				fam("20", "道路运输电子证照申领").both(),
			}},
		{Department: dept(DeptEducation, "辉南县教育局", "Huinan County Education Bureau", "11220523012460768K", kindCulture),
			seq: 12, contact: "12345", basis: "《中华人民共和国教育法》", events: []string{"上学"}, who: forPersons,
			families: []family{
				fam("20", "小学一年级新生入学报名").law("《中华人民共和国义务教育法》"),
				fam("20", "初中新生入学报名").law("《中华人民共和国义务教育法》"),
				fam("20", "义务教育阶段学生转学").at(township...).law("《中华人民共和国义务教育法》"),
				fam("10", "适龄儿童少年延缓入学申请").law("《中华人民共和国义务教育法》"),
				fam("20", "残疾儿童少年送教上门申请").ev("上学", "残疾人").law("《残疾人教育条例》"),
				fam("20", "特殊教育学校入学申请").ev("上学", "残疾人").law("《残疾人教育条例》"),
				fam("07", "教师资格认定", paren("幼儿园", "小学", "初级中学", "证书补发换发")...).ev("就业").law("《教师资格条例》"),
				fam("07", "中小学教师资格定期注册").ev("就业").law("《教师资格条例》"),
				fam("01", "民办幼儿园", "设立审批", "变更审批", "终止审批").enterprises().law("《中华人民共和国民办教育促进法》"),
				fam("01", "民办中小学校", "设立审批", "变更审批", "终止审批").enterprises().law("《中华人民共和国民办教育促进法》"),
				fam("05", "学前教育资助申请").at(township...),
				fam("05", "义务教育阶段家庭经济困难学生生活补助申请").at(township...),
				fam("05", "普通高中国家助学金申请"),
				fam("05", "中等职业学校国家助学金申请"),
				fam("05", "中等职业学校免学费申请"),
				fam("20", "生源地信用助学贷款申请"),
				fam("20", "中小学学历证明书补办"),
				fam("20", "中小学生学籍信息查询"),
				fam("20", "普通话水平测试报名").law("《中华人民共和国国家通用语言文字法》"),
				fam("20", "适龄儿童入学政策咨询"),
				fam("20", "幼儿园入园报名"),
				fam("20", "中等职业学校招生报名"),
				fam("20", "中考报名"),
				fam("20", "普通高校招生考试报名"),
				fam("20", "成人高校招生考试报名"),
				fam("20", "高等教育自学考试", "报名", "毕业证书申请"),
				fam("01", "校车使用许可").enterprises().law("《校车安全管理条例》"),
				fam("20", "随迁子女入学申请").at(township...),
				fam("20", "义务教育阶段学生休学复学"),
				fam("20", "教育督导问题举报"),
				fam("07", "家庭经济困难学生认定"),
				fam("20", "学籍证明开具"),
				fam("20", "教育政策咨询"),
			}},
		{Department: dept(DeptAgriculture, "辉南县农业农村局", "Huinan County Agriculture and Rural Affairs Bureau", "112205230124624997", kindRural),
			seq: 13, contact: "12316", basis: "《中华人民共和国农业法》", events: []string{"农业生产"}, who: forBoth,
			families: []family{
				fam("01", "农作物种子生产经营许可", licence5...).enterprises().at(city...).law("《中华人民共和国种子法》"),
				fam("10", "种子经营备案", filing3...).law("《中华人民共和国种子法》"),
				fam("01", "农药经营许可", licence5...).at(city...).law("《农药管理条例》"),
				fam("01", "动物防疫条件合格证", paren("核发", "变更", "注销", "补发")...).law("《中华人民共和国动物防疫法》"),
				fam("01", "动物诊疗许可", licence5...).law("《中华人民共和国动物防疫法》"),
				fam("01", "兽药经营许可", licence5...).law("《兽药管理条例》"),
				fam("10", "执业兽医和乡村兽医备案", filing3...).persons().law("《中华人民共和国动物防疫法》"),
				fam("01", "动物及动物产品检疫合格证明核发").law("《中华人民共和国动物防疫法》"),
				fam("01", "生鲜乳收购站许可", licence5...).law("《乳品质量安全监督管理条例》"),
				fam("01", "生鲜乳准运证明核发").law("《乳品质量安全监督管理条例》"),
				fam("10", "畜禽养殖场备案", filing3...).law("《中华人民共和国畜牧法》"),
				fam("01", "种畜禽生产经营许可", licence5...).at(city...).law("《中华人民共和国畜牧法》"),
				fam("07", "拖拉机和联合收割机", "注册登记", "变更登记", "转移登记", "抵押登记", "注销登记").law("《农业机械安全监督管理条例》"),
				fam("01", "拖拉机和联合收割机驾驶证", "申领", "换证", "补证", "增驾").persons().law("《农业机械安全监督管理条例》"),
				fam("05", "农机购置与应用补贴申请").at(township...),
				fam("05", "耕地地力保护补贴").persons().at(township...),
				fam("05", "玉米大豆生产者补贴").persons().at(township...),
				fam("01", "农村村民宅基地申请审批").persons().ev("住房").at(township...).law("《中华人民共和国土地管理法》"),
				fam("10", "农村土地经营权流转合同备案").at(township...).law("《中华人民共和国农村土地承包法》"),
				fam("09", "农村土地承包经营纠纷仲裁申请").law("《中华人民共和国农村土地承包经营纠纷调解仲裁法》"),
				fam("20", "土地承包经营权证补发换发").persons().at(township...).law("《中华人民共和国农村土地承包法》"),
				fam("01", "水产苗种生产经营许可", licence5...).at(city...).law("《中华人民共和国渔业法》"),
				fam("01", "渔业捕捞许可", licence5...).law("《中华人民共和国渔业法》"),
				fam("01", "水域滩涂养殖证", paren("核发", "变更", "延续", "注销")...).law("《中华人民共和国渔业法》"),
				fam("01", "农业植物检疫证书核发").law("《植物检疫条例》"),
				fam("01", "农业植物产地检疫合格证签发").law("《植物检疫条例》"),
				fam("07", "家庭农场名录登记").persons(),
				fam("20", "农民合作社示范社申报").enterprises(),
				fam("07", "农村集体经济组织登记赋码").enterprises(),
				fam("20", "农作物种子质量纠纷田间现场鉴定").law("《中华人民共和国种子法》"),
				fam("05", "病死畜禽无害化处理补助申领").law("《中华人民共和国动物防疫法》"),
				fam("05", "动物防疫先打后补补助申领").law("《中华人民共和国动物防疫法》"),
				fam("05", "农机报废更新补贴申请").at(township...),
				fam("20", "农业机械安全检验").law("《农业机械安全监督管理条例》"),
				fam("05", "稻谷生产者补贴").persons().at(township...),
				fam("05", "秸秆覆盖还田作业补助申请").at(township...),
				fam("20", "农业产业化龙头企业申报").enterprises(),
				fam("20", "绿色食品申报受理").enterprises().at(city...),
				fam("20", "食用农产品承诺达标合格证开具").law("《中华人民共和国农产品质量安全法》"),
				fam("20", "农村土地承包合同变更").persons().at(township...).law("《中华人民共和国农村土地承包法》"),
				fam("05", "农村户厕改造补助申请").persons().ev("住房").at(village...),
				fam("07", "渔业船舶登记").law("《中华人民共和国渔业法》"),
				fam("20", "农资质量投诉受理").persons(),
				fam("05", "耕地轮作补助申领").persons().at(township...),
				fam("05", "肉牛养殖补贴申领").at(township...),
				fam("07", "农村集体经济组织成员身份确认").persons().at(village...),
				fam("20", "惠农政策咨询").at(village...),
				fam("20", "农产品产地证明开具").persons(),
				fam("20", "农村土地承包经营权确权信息查询").persons().at(township...),
			}},
		{Department: dept(DeptWater, "辉南县水利局", "Huinan County Water Resources Bureau", "11220523012464224K", kindRural),
			seq: 14, contact: "12345", basis: water, who: forEnterprises,
			families: []family{
				fam("01", "取水许可", licence5...).law("《取水许可和水资源费征收管理条例》"),
				fam("01", "水工程建设规划同意书审核"),
				fam("01", "河道管理范围内建设项目工程建设方案审批").law("《中华人民共和国河道管理条例》"),
				fam("01", "河道采砂许可", licence3...).law("《中华人民共和国河道管理条例》"),
				fam("01", "生产建设项目水土保持方案", "审批", "变更审批").law("《中华人民共和国水土保持法》"),
				fam("10", "生产建设项目水土保持设施自主验收报备").law("《中华人民共和国水土保持法》"),
				fam("20", "水利工程质量监督手续办理"),
				fam("01", "水利基建项目初步设计文件审批"),
				fam("10", "水利工程开工备案"),
				fam("01", "洪水影响评价类审批").law("《中华人民共和国防洪法》"),
				fam("01", "利用堤顶、戗台兼做公路审批").law("《中华人民共和国河道管理条例》"),
				fam("01", "在大坝管理和保护范围内修建码头、鱼塘许可").law("《水库大坝安全管理条例》"),
				fam("07", "取水工程验收").law("《取水许可和水资源费征收管理条例》"),
				fam("10", "计划用水指标核定"),
				fam("20", "节水型单位申报"),
				fam("05", "大中型水库移民后期扶持申报").persons().at(township...),
				fam("10", "水资源论证报告书审查").law("《取水许可和水资源费征收管理条例》"),
				fam("20", "农村供水问题反映").persons().at(village...),
				fam("01", "在河道管理范围内进行爆破、钻探、挖筑鱼塘审批").law("《中华人民共和国河道管理条例》"),
				fam("20", "灌区用水申请").persons().ev("农业生产"),
				fam("10", "水利工程建设项目验收"),
				fam("07", "地下水取水工程登记").law("《地下水管理条例》"),
				fam("20", "水事违法行为举报").persons(),
				fam("20", "水利政策咨询").both(),
			}},
		{Department: dept(DeptEcology, "通化市生态环境局辉南县分局", "Huinan County Branch, Tonghua Municipal Bureau of Ecology and Environment", "11220523012465956U", kindRural),
			seq: 15, contact: "12369", basis: eia, who: forEnterprises,
			families: []family{
				fam("01", "建设项目环境影响报告书审批").at(city...),
				fam("01", "建设项目环境影响报告表审批").at(city...),
				fam("10", "建设项目环境影响登记表备案"),
				fam("01", "建设项目环境影响评价文件重新审核"),
				fam("01", "排污许可", paren("首次申请", "变更", "延续", "注销", "补领")...).at(city...).law("《排污许可管理条例》"),
				fam("10", "排污登记", filing3...).law("《排污许可管理条例》"),
				fam("10", "突发环境事件应急预案备案").law("《中华人民共和国突发事件应对法》"),
				fam("20", "生态环境问题举报受理").persons().law("《中华人民共和国环境保护法》"),
				fam("01", "建筑施工夜间作业审批").law("《中华人民共和国噪声污染防治法》"),
				fam("20", "环境监测数据查询").both().law("《中华人民共和国环境保护法》"),
				fam("10", "危险废物产生单位管理计划备案").law("《中华人民共和国固体废物污染环境防治法》"),
				fam("07", "非道路移动机械编码登记").law("《中华人民共和国大气污染防治法》"),
				fam("10", "企业环境信用修复申请"),
				fam("01", "入河排污口设置审批").law(water),
				fam("10", "清洁生产审核评估").law("《中华人民共和国清洁生产促进法》"),
				fam("20", "环境保护政策咨询").both(),
				fam("10", "排污许可证执行报告提交").law("《排污许可管理条例》"),
			}},
		{Department: dept(DeptCultureTourism, "辉南县文化广播电视和旅游局", "Huinan County Culture, Radio, Television and Tourism Bureau", "11220523012467687F", kindCulture),
			seq: 16, contact: "12345", basis: "《中华人民共和国公共文化服务保障法》", who: forEnterprises,
			families: []family{
				fam("01", "娱乐场所经营许可", licence5...).law("《娱乐场所管理条例》").ev("开办企业"),
				fam("01", "互联网上网服务营业场所经营许可", licence5...).law("《互联网上网服务营业场所管理条例》").ev("开办企业"),
				fam("01", "营业性演出审批").law("《营业性演出管理条例》"),
				fam("10", "演出场所经营单位备案", filing3...).law("《营业性演出管理条例》"),
				fam("01", "文艺表演团体设立审批", licence3...).law("《营业性演出管理条例》"),
				fam("10", "个体演员备案", filing3...).persons().law("《营业性演出管理条例》"),
				fam("10", "个体演出经纪人备案", filing3...).persons().law("《营业性演出管理条例》"),
				fam("10", "旅行社服务网点设立备案").at(city...).law("《旅行社条例》"),
				fam("01", "设置卫星电视广播地面接收设施审批").at(city...).law("《卫星电视广播地面接收设施管理规定》"),
				fam("01", "有线广播电视站设立审批").law("《广播电视管理条例》"),
				fam("01", "县级文物保护单位原址保护措施审批").law("《中华人民共和国文物保护法》"),
				fam("01", "文物保护单位保护范围内其他建设工程审批").at(city...).law("《中华人民共和国文物保护法》"),
				fam("01", "高危险性体育项目经营许可", licence5...).law("《全民健身条例》"),
				fam("01", "举办健身气功活动及设立站点审批").law("《全民健身条例》"),
				fam("10", "艺术品经营单位备案", filing3...),
				fam("20", "公共图书馆借阅证办理").persons(),
				fam("20", "文化馆公益艺术培训报名").persons(),
				fam("20", "非物质文化遗产代表性传承人申报").persons().law("《中华人民共和国非物质文化遗产法》"),
				fam("20", "旅游投诉受理").persons().law("《中华人民共和国旅游法》"),
				fam("20", "文化市场举报受理").persons(),
				fam("20", "A级旅游景区评定申报").law("《中华人民共和国旅游法》"),
				fam("20", "乡村旅游重点村申报"),
				fam("20", "旅游民宿等级评定申报"),
				fam("20", "公共文化设施场馆预约").persons(),
				fam("07", "不可移动文物认定").law("《中华人民共和国文物保护法》"),
				fam("10", "非国有博物馆设立备案").law("《博物馆条例》"),
				fam("20", "公共体育场馆开放预约").persons(),
				fam("07", "二级社会体育指导员技术等级称号授予").persons(),
				fam("10", "体育赛事活动备案").law("《中华人民共和国体育法》"),
				fam("20", "社会艺术水平考级报名").persons(),
				fam("20", "国民体质测定预约").persons(),
				fam("20", "文化旅游政策咨询").both(),
				fam("10", "剧本娱乐经营场所备案"),
			}},
		{Department: dept(DeptEmergency, "辉南县应急管理局", "Huinan County Emergency Management Bureau", "11220523012469412U", kindSafety),
			seq: 17, contact: "12350", basis: "《中华人民共和国安全生产法》", who: forEnterprises,
			families: []family{
				fam("01", "烟花爆竹经营（零售）许可", licence5...).law("《烟花爆竹安全管理条例》"),
				fam("01", "危险化学品经营许可", licence5...).at(city...).law("《危险化学品安全管理条例》"),
				fam("10", "非药品类易制毒化学品经营备案", filing3...).law("《易制毒化学品管理条例》"),
				fam("10", "第二类非药品类易制毒化学品生产备案").at(city...).law("《易制毒化学品管理条例》"),
				fam("10", "生产经营单位生产安全事故应急预案备案"),
				fam("01", "危险化学品建设项目安全条件审查").at(city...).law("《危险化学品安全管理条例》"),
				fam("20", "生产安全事故隐患举报受理").persons(),
				fam("05", "受灾人员冬春生活救助").persons().at(township...).law("《自然灾害救助条例》"),
				fam("05", "因灾倒损民房恢复重建补助").persons().at(township...).ev("住房").law("《自然灾害救助条例》"),
				fam("20", "安全生产标准化三级企业评审申请"),
				fam("20", "生产经营单位主要负责人和安全生产管理人员考核").persons(),
				fam("10", "危险化学品重大危险源备案").law("《危险化学品安全管理条例》"),
				fam("05", "安全生产违法行为举报奖励申领").persons(),
				fam("01", "建设工程抗震设防要求确定").law("《中华人民共和国防震减灾法》"),
				fam("20", "安全生产政策咨询"),
				fam("20", "应急避难场所查询").persons(),
			}},
		{Department: dept(DeptVeterans, "辉南县退役军人事务局", "Huinan County Veterans Affairs Bureau", "11220523012471141Q", kindSocial),
			seq: 18, contact: "12345", basis: veterans, events: []string{"退役军人"}, who: forPersons,
			families: []family{
				fam("20", "退役军人报到").inPerson(),
				fam("20", "退役军人信息采集").at(village...),
				fam("20", "退役军人优待证申领").at(village...),
				fam("20", "光荣牌悬挂申请").at(village...),
				fam("05", "自主就业退役士兵一次性经济补助金申领").law("《退役士兵安置条例》"),
				fam("05", "退役士兵待安排工作期间生活费申领").law("《退役士兵安置条例》"),
				fam("20", "伤残抚恤关系转移").law(pension),
				fam("07", "退役军人残疾等级评定", paren("新评", "调整")...).law(pension),
				fam("05", "伤残抚恤金申领").law(pension),
				fam("05", "在乡复员军人定期生活补助申领").at(township...).law(pension),
				fam("05", "带病回乡退伍军人定期生活补助申领").at(township...).law(pension),
				fam("05", "参战参试退役人员生活补助申领").at(township...).law(pension),
				fam("05", "烈士遗属定期抚恤金申领").law("《烈士褒扬条例》"),
				fam("05", "因公牺牲军人遗属定期抚恤金申领").law(pension),
				fam("05", "病故军人遗属定期抚恤金申领").law(pension),
				fam("05", "军人一次性抚恤金申领").law(pension),
				fam("05", "义务兵家庭优待金申领").at(township...).law(pension),
				fam("05", "优抚对象医疗补助申请").law(pension),
				fam("20", "退役军人就业创业服务").ev("退役军人", "就业"),
				fam("20", "退役士兵档案接收"),
				fam("05", "退役士兵职业教育和技能培训补助申领").ev("退役军人", "就业"),
				fam("05", "退役军人创业担保贷款贴息申请").ev("退役军人", "就业"),
				fam("05", "退役军人困难帮扶援助申请").at(township...),
				fam("05", "60周岁以上农村籍退役士兵老年生活补助申领").ev("退役军人", "养老").at(township...),
				fam("05", "部分烈士子女定期生活补助申领").at(township...),
				fam("20", "残疾军人证换发补发").law(pension),
				fam("20", "退役军人权益维护投诉"),
				fam("20", "退役军人身份证明开具"),
				fam("20", "退役军人政策咨询").at(village...),
				fam("20", "军人退役基本养老保险关系转移接续").ev("退役军人", "养老"),
				fam("20", "退役军人教育培训报名").ev("退役军人", "就业"),
			}},
		{Department: dept(DeptDisabledPersons, "辉南县残疾人联合会", "Huinan County Disabled Persons' Federation", creditDisabledPersons, kindSocial),
			seq: 19, contact: "12385", basis: "《中华人民共和国残疾人保障法》", events: []string{"残疾人"}, who: forPersons,
			families: []family{
				fam("07", "残疾人证", "换领", "补办", "迁移", "等级变更", "注销").at(township...),
				fam("05", "残疾儿童康复救助申请").at(township...).law("《残疾预防和残疾人康复条例》"),
				fam("20", "残疾人辅助器具适配申请").at(village...),
				fam("20", "残疾人职业技能培训报名").ev("残疾人", "就业"),
				fam("05", "残疾人自主创业扶持申请").ev("残疾人", "就业"),
				fam("05", "残疾人家庭无障碍改造申请").at(township...).ev("残疾人", "住房"),
				fam("05", "残疾人机动轮椅车燃油补贴申领"),
				fam("05", "残疾学生及残疾人家庭子女助学补助申请").ev("残疾人", "上学"),
				fam("10", "用人单位按比例安排残疾人就业审核").enterprises().law("《残疾人就业条例》"),
				fam("05", "残疾人托养服务补贴申领").at(township...),
				fam("20", "残疾人法律援助申请引导").ev("残疾人", "法律援助").at(township...),
				fam("20", "残疾人求职登记").ev("残疾人", "就业"),
				fam("20", "残疾人基本信息变更").at(township...),
				fam("20", "残疾人权益维护投诉"),
				fam("20", "残疾人政策咨询").at(village...),
				fam("05", "残疾人灵活就业社会保险补贴申领").ev("残疾人", "就业"),
			}},
		{Department: dept(DeptHousingFund, "通化市住房公积金管理中心辉南县管理部", "Huinan Office, Tonghua Housing Provident Fund Management Centre", creditHousingFund, kindFiscal),
			seq: 20, contact: "12329", basis: fund, events: []string{"住房"}, who: forPersons,
			families: []family{
				fam("20", "住房公积金单位", "信息变更", "缴存比例调整", "缓缴申请", "注销登记").enterprises(),
				fam("20", "住房公积金个人账户", "设立", "封存", "启封", "转移", "合并"),
				fam("20", "住房公积金异地转移接续"),
				fam("20", "住房公积金提取", paren("购买自住住房", "偿还住房贷款", "租赁住房", "离休退休", "出境定居", "丧失劳动能力", "死亡或宣告死亡", "既有住宅加装电梯")...),
				fam("20", "住房公积金个人住房贷款", "申请", "提前还款", "变更", "结清证明开具"),
				fam("20", "住房公积金缴存证明开具"),
				fam("20", "住房公积金个人信息查询"),
				fam("20", "灵活就业人员住房公积金缴存登记").ev("住房", "就业"),
				fam("20", "住房公积金提取", paren("大病医疗", "城镇最低生活保障家庭")...),
				fam("20", "住房公积金对冲还贷签约"),
				fam("20", "住房公积金", "汇缴", "补缴", "缴存基数调整").enterprises(),
				fam("20", "住房公积金个人缴存信息变更"),
				fam("20", "住房公积金贷款额度试算"),
				fam("20", "异地贷款缴存使用证明开具"),
				fam("20", "住房公积金投诉举报"),
				fam("20", "住房公积金政策咨询"),
			}},
		{Department: dept(DeptRealEstate, "辉南县不动产登记中心", "Huinan County Real Estate Registration Centre", creditRealEstate, kindConstruction),
			seq: 21, contact: "12345", basis: realty, events: []string{"住房"}, who: forBoth,
			families: []family{
				fam("07", "国有建设用地使用权", "首次登记", "转移登记", "变更登记", "注销登记").gives("不动产权证书"),
				fam("07", "国有建设用地使用权及房屋所有权", "首次登记", "转移登记", "变更登记", "注销登记").gives("不动产权证书"),
				fam("07", "宅基地使用权及房屋所有权", "首次登记", "转移登记", "变更登记", "注销登记").persons().gives("不动产权证书"),
				fam("07", "集体建设用地使用权及建筑物、构筑物所有权", "首次登记", "转移登记", "变更登记", "注销登记").gives("不动产权证书"),
				fam("07", "土地经营权", "首次登记", "转移登记", "变更登记", "注销登记").ev("农业生产").gives("不动产权证书"),
				fam("07", "林权", "首次登记", "转移登记", "变更登记", "注销登记").ev("农业生产").gives("不动产权证书"),
				fam("07", "地役权", "首次登记", "变更登记", "转移登记", "注销登记").gives("不动产登记证明"),
				fam("07", "居住权", "首次登记", "注销登记").persons().gives("不动产登记证明"),
				fam("07", "不动产抵押权", "变更登记", "转移登记", "注销登记").gives("不动产登记证明"),
				fam("07", "最高额抵押权", "首次登记", "变更登记", "确定登记", "注销登记").gives("不动产登记证明"),
				fam("07", "预购商品房预告登记").persons().gives("不动产登记证明"),
				fam("07", "预购商品房抵押预告登记").gives("不动产登记证明"),
				fam("07", "预告登记注销"),
				fam("07", "不动产更正登记"),
				fam("07", "不动产异议登记"),
				fam("07", "不动产异议登记注销"),
				fam("07", "不动产查封登记").enterprises(),
				fam("07", "不动产解除查封登记").enterprises(),
				fam("20", "不动产权属证书补发").gives("不动产权证书"),
				fam("20", "不动产权属证书换发").gives("不动产权证书"),
				fam("20", "不动产登记资料查询"),
				fam("20", "不动产登记信息查询证明开具"),
				fam("20", "不动产登记与水电气暖联动过户"),
				fam("07", "不动产转移登记", paren("继承", "赠与", "互换", "分割合并", "生效法律文书", "夫妻更名加名")...).gives("不动产权证书"),
				fam("07", "在建建筑物抵押权首次登记").enterprises().gives("不动产登记证明"),
				fam("07", "不动产变更登记", paren("姓名或名称变更", "坐落变更", "面积变更", "用途变更", "权利期限变更")...).gives("不动产权证书"),
				fam("07", "不动产注销登记", paren("灭失", "放弃")...),
				fam("20", "不动产登记证明补发").gives("不动产登记证明"),
				fam("07", "集体土地所有权", "首次登记", "变更登记", "注销登记").enterprises().gives("不动产权证书"),
				fam("20", "不动产登记政策咨询"),
				fam("20", "不动产登记办理进度查询"),
			}},
		{Department: dept(DeptCommerce, "辉南县商务局", "Huinan County Commerce Bureau", "11220523012478060L", kindMarket),
			seq: 22, contact: "12345", basis: "《中华人民共和国电子商务法》", who: forEnterprises,
			families: []family{
				fam("10", "单用途商业预付卡发卡企业备案", filing3...).at(city...).law("《单用途商业预付卡管理办法（试行）》"),
				fam("10", "再生资源回收经营者备案", filing3...).law("《再生资源回收管理办法》"),
				fam("10", "二手车交易市场经营者和二手车经营主体备案").law("《二手车流通管理办法》"),
				fam("10", "汽车销售企业信息备案").law("《汽车销售管理办法》"),
				fam("10", "外商投资信息报告").law("《中华人民共和国外商投资法》"),
				fam("01", "成品油零售经营批准", licence5...).at(city...),
				fam("20", "农村电商服务站点申报"),
				fam("05", "汽车以旧换新补贴申领").persons().ev("出行"),
				fam("05", "家电以旧换新补贴申领").persons(),
				fam("20", "县域商业体系建设项目申报"),
				fam("20", "老字号认定申报"),
				fam("20", "招商引资项目咨询"),
				fam("05", "出口信用保险保费补贴申报"),
				fam("05", "汽车报废更新补贴申领").persons().ev("出行"),
				fam("20", "预付卡消费投诉受理").persons(),
			}},
		{Department: dept(DeptDevelopment, "辉南县发展和改革局", "Huinan County Development and Reform Bureau", "11220523012479792W", kindMarket),
			seq: 23, contact: "12345", basis: "《企业投资项目核准和备案管理条例》", events: []string{"工程建设"}, who: forEnterprises,
			families: []family{
				fam("01", "企业投资项目核准", "", "变更", "延期").at(city...),
				fam("10", "企业投资项目备案", filing3...),
				fam("10", "政府投资项目", "建议书审批", "可行性研究报告审批", "初步设计审批").law("《政府投资条例》"),
				fam("01", "固定资产投资项目节能审查").law("《中华人民共和国节约能源法》"),
				fam("01", "依法必须招标项目招标方案核准").law("《中华人民共和国招标投标法实施条例》"),
				fam("10", "外商投资项目", "核准", "备案").at(city...),
				fam("10", "分布式光伏发电项目备案").both(),
				fam("01", "石油天然气管道保护范围内施工作业许可").law("《中华人民共和国石油天然气管道保护法》"),
				fam("20", "价格认定申请").both().law("《中华人民共和国价格法》"),
				fam("20", "价格举报投诉受理").persons().law("《中华人民共和国价格法》"),
				fam("10", "公共信用信息修复申请").both(),
				fam("20", "专项信用报告（无违法违规记录证明）开具"),
				fam("10", "粮食收购企业备案").law("《粮食流通管理条例》"),
				fam("10", "电动汽车充电基础设施建设备案"),
				fam("10", "新型储能项目备案"),
				fam("20", "中央预算内投资项目申报"),
				fam("20", "投资项目政策咨询"),
				fam("20", "企业投资项目帮办代办服务申请"),
			}},
		{Department: dept(DeptFinance, "辉南县财政局", "Huinan County Finance Bureau", "11220523012481526L", kindFiscal),
			seq: 24, contact: "12345", basis: "《中华人民共和国预算法》", who: forEnterprises,
			families: []family{
				fam("01", "代理记账机构审批", paren("设立", "变更", "注销")...).at(city...).law("《中华人民共和国会计法》"),
				fam("09", "政府采购投诉处理").law("《中华人民共和国政府采购法》"),
				fam("10", "政府采购进口产品审核").law("《中华人民共和国政府采购法》"),
				fam("10", "政府采购方式变更审批").law("《中华人民共和国政府采购法》"),
				fam("20", "会计专业技术资格考试报名").persons().law("《中华人民共和国会计法》"),
				fam("20", "会计人员信息", "采集", "变更").persons().law("《中华人民共和国会计法》"),
				fam("10", "财政票据", "领购", "核销").law("《财政票据管理办法》"),
				fam("20", "惠民惠农财政补贴资金“一卡通”发放查询").persons().at(village...),
				fam("20", "非税收入缴款").both(),
				fam("20", "政府采购供应商注册").law("《中华人民共和国政府采购法》"),
				fam("20", "政府采购合同融资").law("《中华人民共和国政府采购法》"),
				fam("10", "行政事业单位国有资产处置审批").law("《行政事业性国有资产管理条例》"),
				fam("20", "会计人员继续教育").persons().law("《中华人民共和国会计法》"),
				fam("20", "财政补贴政策咨询").both(),
			}},
		{Department: dept(DeptForestry, "辉南县林业局", "Huinan County Forestry Bureau", "112205230124832578", kindRural),
			seq: 25, contact: "12345", basis: forest, events: []string{"农业生产"}, who: forBoth,
			families: []family{
				fam("01", "林木采伐许可", paren("新办", "变更", "延续")...),
				fam("01", "建设项目使用林地审核审批").enterprises(),
				fam("01", "临时使用林地审批").enterprises(),
				fam("01", "直接为林业生产经营服务的工程设施占用林地审批"),
				fam("01", "林草种子生产经营许可", licence5...).at(city...).law("《中华人民共和国种子法》"),
				fam("01", "森林植物检疫证书核发").law("《植物检疫条例》"),
				fam("01", "林业植物产地检疫合格证签发").law("《植物检疫条例》"),
				fam("01", "森林防火期内野外用火审批").law("《森林防火条例》"),
				fam("01", "森林高火险期内进入森林高火险区审批").law("《森林防火条例》"),
				fam("05", "野生动物致害补偿申请").persons().at(township...).law("《中华人民共和国野生动物保护法》"),
				fam("01", "古树名木移植审批"),
				fam("05", "退耕还林补助申领").persons().at(township...),
				fam("05", "森林生态效益补偿资金发放").persons().at(township...),
				fam("01", "非国家重点保护陆生野生动物人工繁育许可").at(city...).law("《中华人民共和国野生动物保护法》"),
				fam("20", "林下经济项目申报"),
				fam("20", "林业有害生物疫情报告"),
				fam("09", "林木林地权属争议调处"),
				fam("05", "造林补贴申领").at(township...),
				fam("05", "林业贷款贴息申请"),
				fam("10", "森林经营方案备案"),
				fam("05", "天然林保护补助申领").persons().at(township...),
				fam("20", "野生动物收容救护").persons().law("《中华人民共和国野生动物保护法》"),
				fam("20", "破坏森林资源行为举报").persons(),
				fam("20", "林业政策咨询"),
				fam("20", "森林康养基地申报"),
			}},
		{Department: dept(DeptUrbanManagement, "辉南县城市管理行政执法局", "Huinan County Urban Management and Law Enforcement Bureau", "11220523012484989G", kindConstruction),
			seq: 26, contact: "12319", basis: "《城市市容和环境卫生管理条例》", who: forEnterprises,
			families: []family{
				fam("01", "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批"),
				fam("01", "占用、挖掘城市道路审批").law("《城市道路管理条例》"),
				fam("01", "依附于城市道路建设各种管线、杆线等设施审批").law("《城市道路管理条例》"),
				fam("01", "特殊车辆在城市道路上行驶审批").law("《城市道路管理条例》"),
				fam("01", "城市桥梁上架设各类市政管线审批").law("《城市道路管理条例》"),
				fam("01", "城市建筑垃圾处置核准", paren("新办", "延续")...),
				fam("01", "从事城市生活垃圾经营性清扫、收集、运输、处理服务审批"),
				fam("01", "工程建设涉及城市绿地、树木审批").law("《城市绿化条例》"),
				fam("01", "砍伐城市树木审批").law("《城市绿化条例》"),
				fam("01", "改变绿化规划、绿化用地使用性质审批").law("《城市绿化条例》"),
				fam("01", "拆除环境卫生设施审批"),
				fam("10", "门头牌匾设置备案").both(),
				fam("10", "临时摆摊设点备案").persons(),
				fam("10", "餐厨垃圾收集运输服务备案"),
				fam("01", "建筑垃圾运输车辆准运证核发"),
				fam("20", "城市绿地认养申请").both(),
				fam("20", "城市管理投诉举报受理").persons(),
				fam("20", "违法建设举报受理").persons(),
				fam("20", "市政设施维修报修").both(),
				fam("20", "城市管理政策咨询").both(),
			}},
		{Department: dept(DeptMeteorology, "辉南县气象局", "Huinan County Meteorological Bureau", "12220523012486714R", kindRural),
			seq: 27, contact: "12121", basis: "《中华人民共和国气象法》", who: forEnterprises,
			families: []family{
				fam("01", "升放无人驾驶自由气球或者系留气球活动审批").law("《通用航空飞行管制条例》"),
				fam("01", "雷电防护装置设计审核").law("《气象灾害防御条例》"),
				fam("01", "雷电防护装置竣工验收").law("《气象灾害防御条例》"),
				fam("01", "新建、扩建、改建建设工程避免危害气象探测环境审批").at(city...),
				fam("10", "气象信息服务单位备案"),
				fam("20", "气象灾害证明出具").both(),
				fam("20", "气象资料查询").both(),
				fam("20", "雷电灾害调查鉴定申请").both(),
				fam("20", "重大活动气象保障服务申请"),
				fam("20", "人工影响天气作业申请").both().ev("农业生产"),
				fam("20", "气象服务咨询").both(),
			}},
		{Department: dept(DeptFireRescue, "辉南县消防救援大队", "Huinan County Fire and Rescue Brigade", "11220523012488445G", kindSafety),
			seq: 28, contact: "96119", basis: "《中华人民共和国消防法》", who: forEnterprises,
			families: []family{
				fam("01", "公众聚集场所投入使用、营业前消防安全检查", paren("告知承诺", "一般程序")...).ev("开办企业"),
				fam("10", "消防安全重点单位备案"),
				fam("07", "火灾事故认定").both(),
				fam("20", "火灾事故证明出具").both(),
				fam("20", "火灾隐患举报投诉受理").persons(),
				fam("20", "消防安全培训预约").both(),
				fam("20", "消防安全检查预约"),
				fam("20", "消防产品质量投诉").both(),
				fam("10", "微型消防站建设备案"),
				fam("20", "消防安全咨询").both(),
			}},
		{Department: dept(DeptPublicResources, "辉南县公共资源交易中心", "Huinan County Public Resources Trading Centre", "12220523012490174A", kindMarket),
			seq: 29, contact: "12345", basis: "《中华人民共和国招标投标法》", who: forEnterprises,
			families: []family{
				fam("20", "工程建设项目招标公告发布").ev("工程建设"),
				fam("20", "交易场地预约"),
				fam("20", "投标保证金退还"),
				fam("20", "市场主体信息库注册"),
				fam("20", "政府采购项目进场交易").law("《中华人民共和国政府采购法》"),
				fam("20", "国有产权交易进场"),
				fam("20", "国有建设用地使用权出让交易").law("《中华人民共和国土地管理法》"),
				fam("20", "矿业权出让交易").law("《中华人民共和国矿产资源法》"),
				fam("20", "交易见证书出具"),
				fam("20", "交易档案查询"),
				fam("20", "数字证书（CA）办理"),
				fam("20", "评标专家信息变更").persons(),
				fam("20", "交易信息查询"),
				fam("20", "投标保证金电子保函开具"),
				fam("20", "招标投标政策咨询"),
			}},
		{Department: dept(DeptTobacco, "辉南县烟草专卖局", "Huinan County Tobacco Monopoly Bureau", "11220523012491900E", kindMarket),
			seq: 30, contact: "12313", basis: "《中华人民共和国烟草专卖法》", who: forBoth,
			families: []family{
				fam("01", "烟草专卖零售许可", paren("新办", "变更", "延续", "停业", "恢复营业", "歇业", "补办", "注销")...).ev("开办企业"),
				fam("01", "烟草专卖品准运证核发").enterprises().at(city...),
				fam("20", "烟草专卖零售许可证信息查询"),
				fam("20", "涉烟违法行为举报受理").persons(),
				fam("20", "烟草专卖政策咨询"),
				fam("20", "烟草制品零售点布局查询"),
			}},
		{Department: dept(DeptArchives, "辉南县档案馆", "Huinan County Archives", "12220523012493631Y", kindCulture),
			seq: 31, contact: "12345", basis: "《中华人民共和国档案法》", who: forPersons,
			families: []family{
				fam("20", "馆藏档案查阅利用").both(),
				fam("20", "知青档案查询"),
				fam("20", "学籍档案查询").ev("上学"),
				fam("20", "招工档案查询").ev("就业", "养老"),
				fam("20", "档案证明出具"),
				fam("20", "异地查档、跨馆出证"),
				fam("20", "档案寄存").both(),
				fam("20", "民间档案征集"),
				fam("20", "复员退伍军人档案查询").ev("退役军人"),
				fam("20", "土地房产档案查询").ev("住房"),
				fam("20", "档案利用咨询"),
				fam("20", "馆藏档案复制"),
			}},
		{Department: dept(DeptScienceIndustry, "辉南县科学技术和工业信息化局", "Huinan County Science, Technology, Industry and Information Technology Bureau", "11220523012495362M", kindMarket),
			seq: 32, contact: "12345", basis: "《中华人民共和国科学技术进步法》", who: forEnterprises,
			families: []family{
				fam("20", "高新技术企业认定申报"),
				fam("20", "科技型中小企业评价"),
				fam("20", "专精特新中小企业认定申报").law("《中华人民共和国中小企业促进法》"),
				fam("07", "技术合同认定登记").law("《中华人民共和国促进科技成果转化法》"),
				fam("07", "科技成果登记").law("《中华人民共和国促进科技成果转化法》"),
				fam("10", "工业企业技术改造项目备案"),
				fam("20", "企业融资需求对接（产融合作服务平台）").law("《中华人民共和国中小企业促进法》"),
				fam("20", "企业应急转贷周转金申请").law("《中华人民共和国中小企业促进法》"),
				fam("20", "县级科技计划项目申报"),
				fam("20", "科技特派员选派申请").persons().ev("农业生产"),
				fam("20", "创新型中小企业评价"),
				fam("20", "省级企业技术中心申报"),
				fam("20", "技术创新示范企业申报"),
				fam("20", "绿色工厂申报"),
				fam("20", "企业诉求受理（驻企服务）"),
				fam("20", "企业技术改造专项资金申报"),
				fam("20", "首台（套）重大技术装备认定申报"),
				fam("20", "科普基地认定申报"),
				fam("20", "科技政策咨询"),
			}},
	}
}

// handWrittenItems are the items the stories and the bundles use, the common
// county items and the 22 medical-insurance items that townships and villages
// may handle; written out field by field.
func handWrittenItems() []catalog.Item {
	full := func() []string { return slices.Clone(catalog.AllDepths) }
	steps := func(n int) []string { return slices.Clone(catalog.AllDepths[:n]) }
	const (
		lawEmployment = "《中华人民共和国就业促进法》；《就业补助资金管理办法》（财社〔2017〕164号）"
		lawMedical    = "《中华人民共和国社会保险法》；《医疗保障基金使用监督管理条例》"
		lawOutOfArea  = "《中华人民共和国社会保险法》；《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）"
		lawRelief     = "《社会救助暂行办法》；《吉林省医疗救助办法》"
		realtyFee     = "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"
		idCardFee     = "国家发展改革委、财政部居民身份证收费标准"
	)
	items := []catalog.Item{
		// The stories.
		{Code: CodeBusinessLicence, BaseCode: "0101801000", Name: "企业设立登记", NameEN: "Enterprise establishment registration (business licence)",
			Type: "01", DepartmentCode: DeptMarket, Levels: city, LegalLimitDays: 3, PromisedLimitDays: 1,
			OnlineDepth: full(), ResultType: "证照", ResultName: "营业执照",
			Conditions:        "名称已自主申报；住所、出资、组织机构等符合《中华人民共和国公司法》《中华人民共和国市场主体登记管理条例》规定；申请材料齐全、符合法定形式。",
			Basis:             "《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》",
			LifeEvents:        []string{"开办企业"},
			ServesEnterprises: true,
			Materials: []catalog.Material{
				form("《企业设立登记申请书》"), req("articles"), req("investor_identity"),
				named("legal_rep_id", "法定代表人、董事、监事和经理的任职文件及身份证件"),
				waive("premises_proof"), opt("authorisation"),
			}},
		{Code: CodeSocialInsuranceSubsidy, BaseCode: "0502801000", Name: "社会保险补贴申领", NameEN: "Social insurance subsidy claim",
			Type: "05", DepartmentCode: DeptHumanResources, Levels: village, LegalLimitDays: 20, PromisedLimitDays: 10,
			Visits: 1, OnlineDepth: steps(4), ResultType: "其他", ResultName: "社会保险补贴核定结果告知",
			Conditions:    "就业困难人员灵活就业或者被用人单位吸纳就业，并按规定缴纳社会保险费。",
			Basis:         lawEmployment,
			LifeEvents:    []string{"就业"},
			ServesPersons: true, ServesEnterprises: true,
			Materials: []catalog.Material{
				req("id_card"), form("《社会保险补贴申请表》"), req("employment_certificate"),
				waive("insurance_payment"), req("social_security_card"),
			}},
		{Code: CodeFamilyPlanningConsult, BaseCode: "2005801000", Name: "计划生育政策咨询", NameEN: "Family planning policy consultation",
			Type: "20", DepartmentCode: DeptHealth, Levels: village, LegalLimitDays: 0, PromisedLimitDays: 0,
			OnlineDepth: steps(1), ResultType: "其他", ResultName: "政策解答",
			Conditions:    "居民本人或者家属咨询生育、奖励扶助等计划生育政策。",
			Basis:         "《中华人民共和国人口与计划生育法》",
			LifeEvents:    []string{"生育"},
			ServesPersons: true,
			Materials: []catalog.Material{
				material("id_card", catalog.Optional, "居民身份证（咨询本人待遇时出示）"),
				material("household_register", catalog.Optional, "居民户口簿（咨询生育登记时出示）"),
			}},
		{Code: CodeLegalAid, BaseCode: "2004801000", Name: "法律援助申请", NameEN: "Legal aid application",
			Type: "20", DepartmentCode: DeptJustice, Levels: village, LegalLimitDays: 7, PromisedLimitDays: 3,
			Visits: 1, OnlineDepth: steps(3), ResultType: "其他", ResultName: "给予法律援助决定书",
			Conditions:    "因经济困难没有委托代理人的公民，以及《中华人民共和国法律援助法》规定不受经济困难条件限制的当事人。",
			Basis:         "《中华人民共和国法律援助法》",
			LifeEvents:    []string{"法律援助"},
			ServesPersons: true,
			Materials: []catalog.Material{
				req("id_card"), form("《法律援助申请表》"), req("hardship_statement"),
				named("case_materials", "与所申请法律援助事项有关的材料"), opt("authorisation"),
			}},

		// Common county items.
		{Code: CodeRealEstateTransfer, BaseCode: "0721801000", Name: "不动产转移登记", NameEN: "Real estate transfer registration",
			Type: "07", DepartmentCode: DeptRealEstate, Levels: county, LegalLimitDays: 30, PromisedLimitDays: 5,
			Visits: 1, OnlineDepth: steps(4), ResultType: "证照", ResultName: "不动产权证书",
			Fees: []catalog.Fee{
				{Name: "住宅类不动产登记费", AmountFen: 8000, Basis: realtyFee},
				{Name: "非住宅类不动产登记费", AmountFen: 55000, Basis: realtyFee},
			},
			Conditions:    "不动产权属清楚，买卖、赠与、继承等转移原因合法，税费已缴纳。",
			Basis:         "《中华人民共和国民法典》；《不动产登记暂行条例》",
			LifeEvents:    []string{"住房"},
			ServesPersons: true, ServesEnterprises: true,
			Materials: []catalog.Material{
				req("id_card"), form("《不动产登记申请书》"), req("property_certificate"), req("sale_contract"),
				req("tax_payment_proof"), opt("marriage_certificate"),
			}},
		{Code: CodeRealEstateMortgage, BaseCode: "0721802000", Name: "不动产抵押登记", NameEN: "Real estate mortgage registration",
			Type: "07", DepartmentCode: DeptRealEstate, Levels: county, LegalLimitDays: 30, PromisedLimitDays: 3,
			OnlineDepth: full(), ResultType: "其他", ResultName: "不动产登记证明",
			Fees:          []catalog.Fee{{Name: "住宅类不动产登记费", AmountFen: 8000, Basis: realtyFee}},
			Conditions:    "抵押财产已办理不动产登记，抵押合同及主债权合同合法有效。",
			Basis:         "《中华人民共和国民法典》；《不动产登记暂行条例》",
			LifeEvents:    []string{"住房"},
			ServesPersons: true, ServesEnterprises: true,
			Materials: []catalog.Material{
				req("id_card"), form("《不动产登记申请书》"), req("property_certificate"), req("mortgage_contract"),
				named("business_licence", "抵押权人营业执照（金融许可证）"),
			}},
		{Code: CodePlanningPermit, BaseCode: "0110801000", Name: "建设工程规划许可", NameEN: "Construction project planning permit",
			Type: "01", DepartmentCode: DeptNaturalResources, Levels: county, LegalLimitDays: 20, PromisedLimitDays: 10,
			Visits: 1, OnlineDepth: steps(5), ResultType: "证照", ResultName: "建设工程规划许可证",
			Conditions:        "建设项目符合控制性详细规划和规划条件，已取得用地手续。",
			Basis:             "《中华人民共和国城乡规划法》",
			LifeEvents:        []string{"工程建设"},
			ServesEnterprises: true,
			Materials: []catalog.Material{
				req("business_licence"), form("《建设工程规划许可申请表》"), req("land_use_docs"), req("design_drawings"), req("site_plan"),
			}},
		{Code: CodeFoodBusinessLicence, BaseCode: "0101802000", Name: "食品经营许可", NameEN: "Food business licence",
			Type: "01", DepartmentCode: DeptMarket, Levels: county, LegalLimitDays: 20, PromisedLimitDays: 5,
			Visits: 1, OnlineDepth: steps(5), ResultType: "证照", ResultName: "食品经营许可证",
			Conditions:        "具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和管理制度。",
			Basis:             "《中华人民共和国食品安全法》",
			LifeEvents:        []string{"开办企业"},
			ServesPersons:     true,
			ServesEnterprises: true,
			Materials: []catalog.Material{
				req("business_licence"), form("《食品经营许可申请书》"), req("floor_plan"), req("equipment_list"),
				named("management_rules", "食品安全管理制度文本"), waive("health_certificate"),
			}},
		{Code: CodeConstructionPermit, BaseCode: "0109801000", Name: "建筑工程施工许可证核发", NameEN: "Building construction permit",
			Type: "01", DepartmentCode: DeptHousing, Levels: county, LegalLimitDays: 15, PromisedLimitDays: 3,
			OnlineDepth: full(), ResultType: "证照", ResultName: "建筑工程施工许可证",
			Conditions:        "已取得建设工程规划许可证，施工单位已确定，建设资金已落实，有保证工程质量和安全的具体措施。",
			Basis:             "《中华人民共和国建筑法》",
			LifeEvents:        []string{"工程建设"},
			ServesEnterprises: true,
			Materials: []catalog.Material{
				req("business_licence"), form("《建筑工程施工许可申请表》"), req("planning_permit"), req("construction_contract"), req("funding_proof"),
			}},
		{Code: CodeIDCard, BaseCode: "0706801000", Name: "居民身份证申领", NameEN: "Resident identity card application",
			Type: "07", DepartmentCode: DeptPublicSecurity, Levels: township, LegalLimitDays: 60, PromisedLimitDays: 15,
			Visits: 1, OnlineDepth: steps(2), ResultType: "证照", ResultName: "中华人民共和国居民身份证",
			Fees:          []catalog.Fee{{Name: "居民身份证工本费", AmountFen: 2000, Basis: idCardFee}},
			Conditions:    "居住在中华人民共和国境内、年满十六周岁的中国公民（未满十六周岁的可以申请），本人到场采集人像和指纹。",
			Basis:         "《中华人民共和国居民身份证法》",
			LifeEvents:    []string{"户籍"},
			ServesPersons: true,
			Materials: []catalog.Material{
				req("household_register"), form("《居民身份证申领登记表》"),
			}},
		{Code: CodeMarriage, BaseCode: "0707801000", Name: "结婚登记", NameEN: "Marriage registration",
			Type: "07", DepartmentCode: DeptCivilAffairs, Levels: county, LegalLimitDays: 0, PromisedLimitDays: 0,
			Visits: 1, OnlineDepth: steps(1), ResultType: "证照", ResultName: "结婚证",
			Conditions:    "男女双方自愿，达到法定婚龄，均无配偶，且不属于禁止结婚的亲属关系；双方亲自到场。",
			Basis:         "《中华人民共和国民法典》；《婚姻登记条例》",
			LifeEvents:    []string{"婚姻"},
			ServesPersons: true,
			Materials: []catalog.Material{
				named("id_card", "男女双方居民身份证"), req("marriage_declaration"),
				named("photo", "双方近期半身免冠合影照片"),
			}},

		// 新生儿出生一件事.
		{Code: CodeBirthCertificate, BaseCode: "2005802000", Name: "出生医学证明签发", NameEN: "Medical birth certificate issue",
			Type: "20", DepartmentCode: DeptHealth, Levels: county, LegalLimitDays: 0, PromisedLimitDays: 0,
			Visits: 1, OnlineDepth: steps(3), ResultType: "证照", ResultName: "出生医学证明",
			Conditions:    "在本县助产机构出生的新生儿，由父母或者监护人申请。",
			Basis:         "《中华人民共和国母婴保健法》",
			LifeEvents:    []string{"生育"},
			ServesPersons: true,
			Materials: []catalog.Material{
				named("id_card", "父母双方居民身份证"), form("《出生医学证明》首次签发登记表"), opt("marriage_certificate"),
			}},
		{Code: CodeVaccinationCertificate, BaseCode: "2005803000", Name: "预防接种证办理", NameEN: "Vaccination certificate issue",
			Type: "20", DepartmentCode: DeptHealth, Levels: township, LegalLimitDays: 0, PromisedLimitDays: 0,
			Visits: 1, OnlineDepth: steps(2), ResultType: "证照", ResultName: "预防接种证",
			Conditions:    "儿童出生后一个月内，由监护人到居住地接种单位办理。",
			Basis:         "《中华人民共和国疫苗管理法》",
			LifeEvents:    []string{"生育"},
			ServesPersons: true,
			Materials: []catalog.Material{
				req("birth_certificate"), named("id_card", "监护人居民身份证"),
			}},
		{Code: CodeBirthRegistration, BaseCode: "0706802000", Name: "出生户口登记", NameEN: "Household registration of a newborn",
			Type: "07", DepartmentCode: DeptPublicSecurity, Levels: township, LegalLimitDays: 0, PromisedLimitDays: 0,
			OnlineDepth: full(), ResultType: "证照", ResultName: "居民户口簿（新生儿页）",
			Conditions:    "婴儿出生后一个月内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报。",
			Basis:         "《中华人民共和国户口登记条例》",
			LifeEvents:    []string{"生育", "户籍"},
			ServesPersons: true,
			Materials: []catalog.Material{
				req("birth_certificate"), req("household_register"), named("id_card", "父母双方居民身份证"), waive("marriage_certificate"),
			}},
		{Code: CodeSocialSecurityCard, BaseCode: "2002802000", Name: "社会保障卡申领", NameEN: "Social security card application",
			Type: "20", DepartmentCode: DeptHumanResources, Levels: village, LegalLimitDays: 0, PromisedLimitDays: 0,
			Visits: 1, OnlineDepth: steps(5), ResultType: "证照", ResultName: "社会保障卡",
			Conditions:    "参加社会保险的人员，或者新生儿由监护人代为申领。",
			Basis:         "《中华人民共和国社会保险法》",
			LifeEvents:    []string{"生育", "就业"},
			ServesPersons: true,
			Materials: []catalog.Material{
				named("id_card", "居民身份证（新生儿提交居民户口簿）"), opt("household_register"), opt("photo"),
			}},

		// 开办企业一件事.
		{Code: CodeSealEngraving, BaseCode: "1006803000", Name: "公章刻制备案", NameEN: "Official seal engraving filing",
			Type: "10", DepartmentCode: DeptPublicSecurity, Levels: county, LegalLimitDays: 1, PromisedLimitDays: 0,
			OnlineDepth: full(), ResultType: "其他", ResultName: "印章备案回执",
			Conditions:        "已领取营业执照的企业，向公安机关备案后由公章刻制企业刻制。",
			Basis:             "《国务院对确需保留的行政审批项目设定行政许可的决定》",
			LifeEvents:        []string{"开办企业"},
			ServesEnterprises: true,
			Materials: []catalog.Material{
				req("business_licence"), req("legal_rep_id"), form("《印章刻制备案申请表》"),
			}},
		{Code: CodeInvoice, BaseCode: "1008801000", Name: "发票申领", NameEN: "Invoice application",
			Type: "10", DepartmentCode: DeptTax, Levels: county, LegalLimitDays: 1, PromisedLimitDays: 0,
			OnlineDepth: full(), ResultType: "其他", ResultName: "发票（数电发票开票额度）",
			Conditions:        "已办理信息确认的纳税人，经票种核定后申领发票。",
			Basis:             "《中华人民共和国发票管理办法》",
			LifeEvents:        []string{"开办企业", "纳税"},
			ServesPersons:     true,
			ServesEnterprises: true,
			Materials: []catalog.Material{
				named("id_card", "办税人员居民身份证"), form("《发票领用表》"), opt("business_licence"),
			}},
		{Code: CodeEmployerSocialInsurance, BaseCode: "2002803000", Name: "单位社会保险参保登记", NameEN: "Employer social insurance registration",
			Type: "20", DepartmentCode: DeptHumanResources, Levels: county, LegalLimitDays: 0, PromisedLimitDays: 0,
			OnlineDepth: full(), ResultType: "其他", ResultName: "社会保险登记信息",
			Conditions:        "用人单位自成立之日起三十日内办理社会保险登记。",
			Basis:             "《中华人民共和国社会保险法》",
			LifeEvents:        []string{"开办企业", "就业"},
			ServesEnterprises: true,
			Materials: []catalog.Material{
				req("business_licence"), form("《社会保险登记表》"), req("bank_account"),
			}},
		{Code: CodeHousingFundEmployer, BaseCode: "2020801000", Name: "住房公积金单位缴存登记", NameEN: "Employer housing provident fund registration",
			Type: "20", DepartmentCode: DeptHousingFund, Levels: county, LegalLimitDays: 5, PromisedLimitDays: 1,
			OnlineDepth: full(), ResultType: "其他", ResultName: "住房公积金单位账户",
			Conditions:        "新设立的单位自设立之日起三十日内办理住房公积金缴存登记。",
			Basis:             "《住房公积金管理条例》",
			LifeEvents:        []string{"开办企业", "住房"},
			ServesEnterprises: true,
			Materials: []catalog.Material{
				req("business_licence"), req("legal_rep_id"), form("《住房公积金单位缴存登记表》"), opt("authorisation"),
			}},

		// 残疾人服务一件事.
		{Code: CodeDisabilityCertificate, BaseCode: "0719801000", Name: "残疾人证新办", NameEN: "Disability certificate (first issue)",
			Type: "07", DepartmentCode: DeptDisabledPersons, Levels: township, LegalLimitDays: 20, PromisedLimitDays: 10,
			Visits: 1, OnlineDepth: steps(3), ResultType: "证照", ResultName: "中华人民共和国残疾人证",
			Conditions:    "符合残疾标准、具有本县户籍的残疾人，经指定医疗机构评定残疾类别和等级。",
			Basis:         "《中华人民共和国残疾人保障法》",
			LifeEvents:    []string{"残疾人"},
			ServesPersons: true,
			Materials: []catalog.Material{
				req("id_card"), req("household_register"), form("《残疾人证申请表》"), req("photo"), req("disability_assessment"),
			}},
		{Code: CodeDisabilitySubsidies, BaseCode: "0507802000", Name: "困难残疾人生活补贴和重度残疾人护理补贴", NameEN: "Living allowance for needy and nursing allowance for severely disabled persons",
			Type: "05", DepartmentCode: DeptCivilAffairs, Levels: village, LegalLimitDays: 20, PromisedLimitDays: 15,
			Visits: 1, OnlineDepth: steps(4), ResultType: "其他", ResultName: "补贴核定结果告知",
			Conditions:    "持有残疾人证的低保家庭残疾人（生活补贴），或残疾等级为一、二级且需要长期照护的残疾人（护理补贴）。",
			Basis:         "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
			LifeEvents:    []string{"残疾人", "社会救助"},
			ServesPersons: true,
			Materials: []catalog.Material{
				req("id_card"), req("disability_certificate"), form("《残疾人两项补贴申请审批表》"), opt("subsistence_card"), req("bank_account"),
			}},
		{Code: CodeDisabilityRehabilitation, BaseCode: "2019802000", Name: "残疾人康复服务", NameEN: "Rehabilitation services for disabled persons",
			Type: "20", DepartmentCode: DeptDisabledPersons, Levels: village, LegalLimitDays: 10, PromisedLimitDays: 5,
			Visits: 1, OnlineDepth: steps(4), ResultType: "其他", ResultName: "康复服务安排告知",
			Conditions:    "持有残疾人证或经评估有康复需求的残疾人。",
			Basis:         "《残疾预防和残疾人康复条例》",
			LifeEvents:    []string{"残疾人"},
			ServesPersons: true,
			Materials: []catalog.Material{
				req("disability_certificate"), form("《残疾人康复服务申请表》"), opt("diagnosis"),
			}},
	}

	// 医保服务下沉清单: 8 items villages may handle, 14 that townships may.
	medical := func(k int, typ, name, nameEN string, levels []int, legal, promised int, online bool, basis, conditions, result string, persons, enterprises bool, events []string, ms ...catalog.Material) catalog.Item {
		base := fmt.Sprintf("%s%05d000", typ, 3000+800+k)
		it := catalog.Item{Code: creditMedicalInsurance + base, BaseCode: base, Name: name, NameEN: nameEN, Type: typ,
			DepartmentCode: DeptMedicalInsurance, Levels: levels, LegalLimitDays: legal, PromisedLimitDays: promised,
			ResultType: "其他", ResultName: result, Conditions: conditions, Basis: basis,
			LifeEvents: append([]string{"医保"}, events...), ServesPersons: persons, ServesEnterprises: enterprises, Materials: ms}
		if online {
			it.OnlineDepth = full()
		} else {
			it.OnlineDepth, it.Visits = steps(4), 1
		}
		return it
	}
	items = append(items,
		medical(1, "20", "城乡居民基本医疗保险参保登记", "Resident basic medical insurance enrolment", village, 0, 0, true, lawMedical,
			"未参加职工基本医疗保险的本县户籍或持居住证的城乡居民，含新生儿。", "参保登记信息", true, false, []string{"生育"},
			req("household_register"), opt("id_card"), form("《城乡居民基本医疗保险参保登记表》")),
		medical(2, "20", "参保信息查询", "Medical insurance enrolment enquiry", village, 0, 0, true, lawMedical,
			"参保人本人或者受其委托的代理人。", "参保信息", true, false, nil,
			req("id_card"), opt("authorisation")),
		medical(3, "20", "医保电子凭证激活", "Medical insurance e-voucher activation", village, 0, 0, true, lawMedical,
			"已参加基本医疗保险的人员，经实名实人认证。", "医保电子凭证", true, false, nil,
			req("id_card")),
		medical(4, "20", "医保异地就医备案", "Registration for medical treatment outside the insured area", village, 0, 0, true, lawOutOfArea,
			"异地长期居住人员、临时外出就医人员等需要在参保地以外就医的参保人。", "异地就医备案结果", true, false, nil,
			req("id_card"), form("《基本医疗保险异地就医备案登记表》"), opt("commitment")),
		medical(5, "20", "参保缴费凭证打印", "Medical insurance payment voucher printing", village, 0, 0, true, lawMedical,
			"参保人本人或者受其委托的代理人。", "参保缴费凭证", true, true, nil,
			req("id_card"), opt("authorisation")),
		medical(6, "20", "参保人员基本信息变更", "Change of insured person's basic information", village, 0, 0, false, lawMedical,
			"参保人员姓名、证件号码、联系方式等信息发生变化。", "变更后的参保信息", true, false, nil,
			req("id_card"), form("《参保人员信息变更表》")),
		medical(7, "20", "医疗保障政策咨询", "Medical insurance policy consultation", village, 0, 0, false, lawMedical,
			"咨询参保、待遇、报销等医疗保障政策。", "政策解答", true, true, nil,
			opt("id_card")),
		medical(8, "20", "医保个人账户查询", "Medical insurance personal account enquiry", village, 0, 0, true, lawMedical,
			"参加职工基本医疗保险的人员。", "个人账户余额及明细", true, false, nil,
			req("id_card"), opt("authorisation")),

		medical(9, "20", "医保关系转移接续", "Transfer of medical insurance relations", township, 15, 10, true, lawMedical,
			"参保人跨统筹地区流动就业或者变更参保地。", "转移接续结果告知", true, false, []string{"就业"},
			req("id_card"), form("《基本医疗保险关系转移接续申请表》"), req("insurance_voucher")),
		medical(10, "07", "门诊慢特病待遇认定", "Recognition of outpatient chronic and special disease benefits", township, 20, 10, false, lawMedical,
			"参保人患有本省门诊慢特病病种目录内的疾病，符合认定标准。", "门诊慢特病待遇认定结果", true, false, nil,
			req("id_card"), form("《门诊慢特病待遇认定申请表》"), req("medical_records"), req("diagnosis")),
		medical(11, "05", "医疗费用手工报销", "Manual reimbursement of medical expenses", township, 20, 10, false, lawMedical,
			"参保人因故未能直接结算的合规医疗费用。", "报销结果告知", true, false, nil,
			req("id_card"), req("invoices"), waive("medical_records"), req("diagnosis"), req("social_security_card")),
		medical(12, "05", "生育津贴支付", "Maternity allowance payment", township, 20, 10, false, lawMedical,
			"参加职工基本医疗保险（生育保险）的职工，按规定享受产假。", "生育津贴核定结果", true, true, []string{"生育"},
			req("id_card"), req("birth_certificate"), form("《生育津贴申领表》"), req("bank_account")),
		medical(13, "05", "生育医疗费用支付", "Maternity medical expense payment", township, 20, 10, false, lawMedical,
			"参保人生育或者施行计划生育手术发生的合规医疗费用未能直接结算。", "生育医疗费用核定结果", true, false, []string{"生育"},
			req("id_card"), req("invoices"), req("medical_records"), opt("birth_certificate")),
		medical(14, "20", "灵活就业人员医保参保登记", "Medical insurance enrolment of flexibly employed persons", township, 0, 0, true, lawMedical,
			"无雇工的个体工商户、未在用人单位参加职工医保的非全日制从业人员及其他灵活就业人员。", "参保登记信息", true, false, []string{"就业"},
			req("id_card"), form("《灵活就业人员参保登记表》")),
		medical(15, "05", "医疗救助申请", "Medical assistance application", township, 20, 10, false, lawRelief,
			"特困人员、低保对象、低保边缘家庭成员等医疗救助对象，个人负担的合规医疗费用较重。", "医疗救助核定结果", true, false, []string{"社会救助"},
			req("id_card"), form("《医疗救助申请表》"), req("invoices"), waive("income_statement")),
		medical(16, "20", "异地转诊就医备案", "Registration of referral for treatment outside the insured area", township, 5, 1, false, lawOutOfArea,
			"经参保地定点医疗机构诊断需要转往参保地以外就医的参保人。", "转诊备案结果", true, false, nil,
			req("id_card"), form("《异地转诊就医备案表》"), req("referral")),
		medical(17, "05", "职工医保个人账户一次性支取", "One-off withdrawal from a medical insurance personal account", township, 15, 5, false, lawMedical,
			"参保人出国（境）定居或者死亡等，按规定一次性支取个人账户余额。", "支取结果告知", true, false, nil,
			req("id_card"), form("《个人账户一次性支取申请表》"), req("withdrawal_reason"), req("bank_account")),
		medical(18, "05", "城乡居民大病保险待遇支付", "Resident critical illness insurance payment", township, 20, 10, false, lawMedical,
			"参加城乡居民医保的人员，年度内个人负担的合规医疗费用超过大病保险起付标准。", "大病保险待遇核定结果", true, false, nil,
			req("id_card"), req("invoices"), req("medical_records"), req("bank_account")),
		medical(19, "20", "门诊慢特病定点医疗机构变更", "Change of designated hospital for outpatient chronic diseases", township, 5, 1, false, lawMedical,
			"已认定门诊慢特病待遇的参保人。", "变更结果告知", true, false, nil,
			req("id_card"), form("《门诊慢特病定点医疗机构变更申请表》")),
		medical(20, "20", "基本医疗保险中止参保", "Suspension of basic medical insurance", township, 5, 1, false, lawMedical,
			"参保人死亡、出国（境）定居、重复参保等需要中止参保。", "中止参保结果告知", true, true, nil,
			req("id_card"), form("《基本医疗保险中止参保申请表》"), opt("commitment")),
		medical(21, "05", "意外伤害医疗费用报销", "Reimbursement of accidental injury medical expenses", township, 20, 10, false, lawMedical,
			"参加城乡居民医保的人员因无第三方责任的意外伤害发生的合规医疗费用。", "报销结果告知", true, false, nil,
			req("id_card"), req("invoices"), req("medical_records"), req("accident_statement"), req("bank_account")),
		medical(22, "07", "门诊特殊药品待遇认定", "Recognition of outpatient special drug benefits", township, 15, 5, false, lawMedical,
			"参保人所患疾病需要使用医保特殊药品目录内药品，符合用药指征。", "特殊药品待遇认定结果", true, false, nil,
			req("id_card"), form("《门诊特殊药品待遇认定申请表》"), req("diagnosis"), req("medical_records")),
	)
	return items
}
