// Package demo builds onewindow's demonstration data: the catalogue of 辉南县政务服务中心
// (Huinan County, Tonghua, Jilin), its service points, users and the reports' stories.
package demo

import (
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

// Unified social credit codes (GB 32100) of the departments that own the
// items below: "11" for an organ of government, "12" for a public
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

// Implementation codes (实施编码) of the items of data/catalogue.json that the
// stories and bundles name: the implementing body's credit code followed by
// the basic code (基本编码: item type, five-digit main item, three-digit
// sub-item). They never change.
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
	CodeIndividualBusiness  = creditMarket + "0101022000"           // 个体工商户设立登记（营业执照）
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

// Catalogue returns the demo departments and items: those of
// data/catalogue.json, a file in the format of "onewindow catalog import",
// and the items generated from data/families.csv. The result is the same on
// every call (a fixed seed drives the generated part) and is freshly built,
// so callers may change it. Items are drafts of version 0, already in the
// form catalog.Item.Normalize gives, for the loader to version and publish.
func Catalogue() ([]catalog.Department, []catalog.Item) {
	sample := must(sampleCatalogue())
	specs := must(departmentSpecs(sample.Departments))

	written := sample.Items
	used := make(map[string]bool, HallItems)
	online := 0
	for i := range written {
		written[i].Status = catalog.StatusDraft
		used[written[i].Name] = true
		if written[i].FullyOnline() {
			online++
		}
	}

	g := generator{rand: rand.New(rand.NewPCG(1642, 702)), used: used}
	for i := range specs {
		g.department(&specs[i])
	}
	g.chooseFullyOnline(HallFullyOnline - online)

	// Each department's written-out items first, then its generated ones.
	items := make([]catalog.Item, 0, len(written)+len(g.items))
	// Written-out items carry their aliases in catalogue.json; the
	// generated ones get theirs from aliases.csv.
	searchedBy := must(readAliases(dataFiles))
	for i := range g.items {
		g.items[i].item.Aliases = slices.Clone(searchedBy[g.items[i].item.Name])
	}
	for _, d := range specs {
		for _, it := range written {
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
	return sample.Departments, items
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
// items whose catalogue name is longer.
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
