package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/catalog"
)

// The figures of the report on 辉南县政务服务中心 and of Jilin's list of
// medical-insurance services moved down to townships and villages.
const (
	reportDepartments = 32
	reportItems       = 1642
	reportFullyOnline = 702
	medicalTownship   = 14
	medicalVillage    = 8
)

func demoCatalogue(t *testing.T) ([]catalog.Department, []catalog.Item) {
	t.Helper()
	depts, items := Catalogue()
	if len(depts) == 0 || len(items) == 0 {
		t.Fatalf("Catalogue returned %d departments and %d items", len(depts), len(items))
	}
	return depts, items
}

func itemByCode(t *testing.T, items []catalog.Item, code string) catalog.Item {
	t.Helper()
	for _, it := range items {
		if it.Code == code {
			return it
		}
	}
	t.Fatalf("no item with code %q", code)
	return catalog.Item{}
}

func TestCatalogueCounts(t *testing.T) {
	depts, items := demoCatalogue(t)
	codes := map[string]bool{}
	for _, d := range depts {
		codes[d.Code] = true
	}
	if len(codes) != reportDepartments || len(depts) != reportDepartments {
		t.Errorf("%d departments (%d distinct codes), want %d", len(depts), len(codes), reportDepartments)
	}
	if len(items) < reportItems {
		t.Errorf("%d items, want at least %d", len(items), reportItems)
	}
	online := 0
	perDept := map[string]int{}
	for _, it := range items {
		if it.FullyOnline() {
			online++
		}
		perDept[it.DepartmentCode]++
	}
	if online < reportFullyOnline {
		t.Errorf("%d items fully online, want at least %d", online, reportFullyOnline)
	}
	for _, d := range depts {
		if perDept[d.Code] == 0 {
			t.Errorf("department %s (%s) has no items", d.Code, d.Name)
		}
	}
}

func TestMedicalInsuranceList(t *testing.T) {
	_, items := demoCatalogue(t)
	var township, village []string
	for _, it := range items {
		if !slices.Contains(it.LifeEvents, "医保") {
			continue
		}
		if it.DepartmentCode != DeptMedicalInsurance {
			t.Errorf("%s is tagged 医保 but belongs to %s", it.Name, it.DepartmentCode)
			continue
		}
		switch {
		case slices.Equal(it.Levels, []int{4, 5}):
			township = append(township, it.Name)
		case slices.Equal(it.Levels, []int{4, 5, 6}):
			village = append(village, it.Name)
		default:
			t.Errorf("%s: levels %v, want {4,5} or {4,5,6}", it.Name, it.Levels)
		}
	}
	if len(township)+len(village) != medicalTownship+medicalVillage {
		t.Errorf("%d medical-insurance items, want %d", len(township)+len(village), medicalTownship+medicalVillage)
	}
	if len(township) != medicalTownship {
		t.Errorf("%d items townships may handle, want %d: %v", len(township), medicalTownship, township)
	}
	if len(village) != medicalVillage {
		t.Errorf("%d items villages may handle, want %d: %v", len(village), medicalVillage, village)
	}
	if !slices.Contains(village, "医保异地就医备案") {
		t.Errorf("医保异地就医备案 is not among the village items %v", village)
	}
}

func TestUniqueCodesAndNames(t *testing.T) {
	_, items := demoCatalogue(t)
	codes, bases, names := map[string]string{}, map[string]string{}, map[string]string{}
	for _, it := range items {
		if prev, ok := codes[it.Code]; ok {
			t.Errorf("code %s used by %q and %q", it.Code, prev, it.Name)
		}
		if prev, ok := bases[it.BaseCode]; ok {
			t.Errorf("basic code %s used by %q and %q", it.BaseCode, prev, it.Name)
		}
		if prev, ok := names[it.Name]; ok {
			t.Errorf("name %q used by %s and %s", it.Name, prev, it.Code)
		}
		codes[it.Code], bases[it.BaseCode], names[it.Name] = it.Name, it.Name, it.Code
	}
}

// referenceCreditCheck computes the GB 32100 check character: the charset
// without I, O, S, V and Z, weights 3^i mod 31, check = 31 − Σ mod 31 (31 → 0).
func referenceCreditCheck(first17 string) (byte, bool) {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(charset, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * weights[i]
	}
	return charset[(31-sum%31)%31], true
}

// referenceOrgCheck computes the GB 11714 check character of an organisation
// code's eight-character body: weights 3 7 9 10 5 8 4 2, check = 11 − Σ mod 11
// with 10 → X and 11 → 0.
func referenceOrgCheck(body string) byte {
	weights := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

func TestDepartmentCreditCodes(t *testing.T) {
	depts, _ := demoCatalogue(t)
	seen := map[string]string{}
	for _, d := range depts {
		t.Run(d.Code, func(t *testing.T) {
			cc := d.CreditCode
			if len(cc) != 18 {
				t.Fatalf("credit code %q has %d characters, want 18", cc, len(cc))
			}
			check, ok := referenceCreditCheck(cc[:17])
			if !ok {
				t.Fatalf("credit code %q has a character outside the GB 32100 charset", cc)
			}
			if cc[17] != check {
				t.Errorf("credit code %q ends in %c, want check character %c", cc, cc[17], check)
			}
			if !slices.Contains([]string{"11", "12", "13"}, cc[:2]) {
				t.Errorf("credit code %q: a government body, public institution or mass organisation starts 11, 12 or 13", cc)
			}
			if cc[2:8] != "220523" {
				t.Errorf("credit code %q: division %s, want 220523 (辉南县)", cc, cc[2:8])
			}
			if got := referenceOrgCheck(cc[8:16]); cc[16] != got {
				t.Errorf("credit code %q: organisation code check %c, want %c", cc, cc[16], got)
			}
			if prev, dup := seen[cc]; dup {
				t.Errorf("credit code %q also belongs to %s", cc, prev)
			}
			seen[cc] = d.Code
			if !strings.HasPrefix(d.Name, "辉南县") && !strings.Contains(d.Name, "辉南县") {
				t.Errorf("name %q does not name the county", d.Name)
			}
			if d.NameEN == "" || !strings.Contains(d.NameEN, "Huinan") {
				t.Errorf("English name %q does not name Huinan", d.NameEN)
			}
			if _, ok := materialPools[d.Kind]; !ok {
				t.Errorf("kind %q has no material pool", d.Kind)
			}
			probe := d
			probe.Normalize()
			if !reflect.DeepEqual(probe, d) {
				t.Errorf("Normalize changes the department: %+v → %+v", d, probe)
			}
			if err := d.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestStoryItems(t *testing.T) {
	_, items := demoCatalogue(t)
	tests := []struct {
		name        string
		code        string
		dept        string
		at, notAt   []int
		fullyOnline bool
		immediate   bool
	}{
		{name: "企业设立登记", code: CodeBusinessLicence, dept: DeptMarket, at: []int{3, 4}, notAt: []int{5, 6}},
		{name: "社会保险补贴申领", code: CodeSocialInsuranceSubsidy, dept: DeptHumanResources, at: []int{4, 5, 6}},
		{name: "计划生育政策咨询", code: CodeFamilyPlanningConsult, dept: DeptHealth, at: []int{4, 5, 6}, immediate: true},
		{name: "医保异地就医备案", code: CodeMedicalOutOfArea, dept: DeptMedicalInsurance, at: []int{4, 5, 6}, fullyOnline: true},
		{name: "法律援助申请", code: CodeLegalAid, dept: DeptJustice, at: []int{4, 5, 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := itemByCode(t, items, tc.code)
			if it.Name != tc.name {
				t.Errorf("code %s is %q, want %q", tc.code, it.Name, tc.name)
			}
			if it.DepartmentCode != tc.dept {
				t.Errorf("department %s, want %s", it.DepartmentCode, tc.dept)
			}
			for _, l := range tc.at {
				if !it.HandledAt(l) {
					t.Errorf("not handled at level %d (levels %v)", l, it.Levels)
				}
			}
			for _, l := range tc.notAt {
				if it.HandledAt(l) {
					t.Errorf("handled at level %d (levels %v), want not", l, it.Levels)
				}
			}
			if tc.fullyOnline && !it.FullyOnline() {
				t.Errorf("not fully online: visits %d, depth %v", it.Visits, it.OnlineDepth)
			}
			if tc.immediate && (it.LegalLimitDays != 0 || it.PromisedLimitDays != 0) {
				t.Errorf("limits %d/%d, want 0/0 (即办件)", it.LegalLimitDays, it.PromisedLimitDays)
			}
			if got := ItemCode(tc.name); got != tc.code {
				t.Errorf("ItemCode(%q) = %q, want %q", tc.name, got, tc.code)
			}
		})
	}
	if it := itemByCode(t, items, CodeBusinessLicence); !it.ServesEnterprises || it.ResultName != "营业执照" {
		t.Errorf("企业设立登记 serves enterprises %v and issues %q, want true and 营业执照", it.ServesEnterprises, it.ResultName)
	}
	if it := itemByCode(t, items, CodeFamilyPlanningConsult); it.Type != "20" {
		t.Errorf("计划生育政策咨询 has type %s, want 20 (public service)", it.Type)
	}
}

func TestBundleMembers(t *testing.T) {
	_, items := demoCatalogue(t)
	bundles := []struct {
		name    string
		members []string // names as the bundle definitions write them
		shared  []string // material types at least two members ask for
	}{
		{name: "新生儿出生一件事", members: []string{"出生医学证明", "预防接种证", "出生登记", "城乡居民医保参保登记", "社会保障卡申领"},
			shared: []string{"id_card", "household_register", "birth_certificate"}},
		{name: "开办企业一件事", members: []string{"营业执照", "公章刻制", "发票申领", "社保登记", "住房公积金单位登记"},
			shared: []string{"business_licence", "legal_rep_id", "application_form"}},
		{name: "残疾人服务一件事", members: []string{"残疾人证", "困难残疾人生活补贴和重度残疾人护理补贴", "残疾人康复服务"},
			shared: []string{"id_card", "disability_certificate"}},
	}
	for _, b := range bundles {
		t.Run(b.name, func(t *testing.T) {
			uses := map[string]int{}
			depts := map[string]bool{}
			for _, name := range b.members {
				code := ItemCode(name)
				if code == "" {
					t.Errorf("ItemCode(%q) is empty", name)
					continue
				}
				it := itemByCode(t, items, code)
				depts[it.DepartmentCode] = true
				for _, m := range it.Materials {
					uses[m.Type]++
				}
			}
			for _, typ := range b.shared {
				if uses[typ] < 2 {
					t.Errorf("material type %q is asked for by %d members, want at least 2", typ, uses[typ])
				}
			}
			if len(depts) < 2 {
				t.Errorf("members come from %d department(s); a bundle crosses departments", len(depts))
			}
		})
	}
}

func TestItemCode(t *testing.T) {
	_, items := demoCatalogue(t)
	tests := []struct {
		name, want string
	}{
		{name: "营业执照", want: CodeBusinessLicence},
		{name: "出生登记", want: CodeBirthRegistration},
		{name: " 法律援助申请 ", want: CodeLegalAid},
		{name: "城乡居民基本医疗保险参保登记", want: CodeResidentMedicalInsurance},
		{name: "no such item", want: ""},
		{name: "", want: ""},
	}
	for _, tc := range tests {
		if got := ItemCode(tc.name); got != tc.want {
			t.Errorf("ItemCode(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	// Every item is found by its own name, generated ones included.
	for _, it := range items {
		if got := ItemCode(it.Name); got != it.Code {
			t.Errorf("ItemCode(%q) = %q, want %q", it.Name, got, it.Code)
		}
	}
	for alias, code := range aliases {
		if code == "" {
			t.Errorf("alias %q maps to nothing", alias)
			continue
		}
		itemByCode(t, items, code)
	}
}

func TestCatalogueIsDeterministic(t *testing.T) {
	depts1, items1 := Catalogue()
	depts2, items2 := Catalogue()
	if !reflect.DeepEqual(depts1, depts2) {
		t.Error("two calls return different departments")
	}
	if !reflect.DeepEqual(items1, items2) {
		for i := range min(len(items1), len(items2)) {
			if !reflect.DeepEqual(items1[i], items2[i]) {
				t.Fatalf("two calls differ first at item %d: %+v\n%+v", i, items1[i], items2[i])
			}
		}
		t.Fatalf("two calls return %d and %d items", len(items1), len(items2))
	}
	// A caller that edits its copy does not change the next one.
	items1[0].Materials[0].Name = "changed"
	items1[0].Levels[0] = 1
	depts1[0].Name = "changed"
	depts3, items3 := Catalogue()
	if !reflect.DeepEqual(items2, items3) || !reflect.DeepEqual(depts2, depts3) {
		t.Error("editing a returned catalogue changed a later one")
	}
}

// TestItemRules checks every item against the rules a catalogue item must
// keep, written out here rather than taken from the code under test.
func TestItemRules(t *testing.T) {
	depts, items := demoCatalogue(t)
	credit := map[string]string{}
	for _, d := range depts {
		credit[d.Code] = d.CreditCode
	}
	requirements := []string{catalog.Required, catalog.Optional, catalog.Waivable}
	for _, it := range items {
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s %s: "+format, append([]any{it.Code, it.Name}, args...)...)
		}
		if it.Status != catalog.StatusDraft || it.Version != 0 {
			fail("status %q version %d, want draft 0", it.Status, it.Version)
		}
		if _, ok := catalog.ItemTypes[it.Type]; !ok {
			fail("unknown type %q", it.Type)
		}
		cc, ok := credit[it.DepartmentCode]
		if !ok {
			fail("unknown department %q", it.DepartmentCode)
		}
		if it.Code != cc+it.BaseCode {
			fail("code is not the department's credit code %s followed by the basic code %s", cc, it.BaseCode)
		}
		if len(it.BaseCode) != 10 || strings.Trim(it.BaseCode, "0123456789") != "" || !strings.HasPrefix(it.BaseCode, it.Type) {
			fail("basic code %q is not ten digits starting with the type %s", it.BaseCode, it.Type)
		}
		if len(it.Levels) == 0 || !slices.IsSorted(it.Levels) || len(slices.Compact(slices.Clone(it.Levels))) != len(it.Levels) {
			fail("levels %v are not a sorted set", it.Levels)
		}
		for _, l := range it.Levels {
			if l < 1 || l > 6 {
				fail("level %d outside 1..6", l)
			}
		}
		if it.LegalLimitDays < 0 || it.PromisedLimitDays < 0 || it.PromisedLimitDays > it.LegalLimitDays {
			fail("promised %d days, legal %d days", it.PromisedLimitDays, it.LegalLimitDays)
		}
		if !it.ServesPersons && !it.ServesEnterprises {
			fail("serves nobody")
		}
		if it.FullyOnline() != (it.Visits == 0 && len(it.OnlineDepth) == len(catalog.AllDepths)) {
			fail("visits %d and depth %v disagree with FullyOnline", it.Visits, it.OnlineDepth)
		}
		if it.SupplementDays != 5 || it.Location == "" || it.Hours == "" || it.Contact == "" || it.Basis == "" || it.Conditions == "" || it.ResultName == "" {
			fail("a shared field is missing: %+v", it)
		}
		if it.HandledAt(catalog.LevelVillage) != strings.Contains(it.Location, "村（社区）") {
			fail("location %q does not match levels %v", it.Location, it.Levels)
		}
		if len(it.Materials) == 0 || len(it.Materials) > 6 {
			fail("%d materials, want 1 to 6", len(it.Materials))
		}
		types := map[string]bool{}
		for _, m := range it.Materials {
			if types[m.Type] {
				fail("material type %q twice", m.Type)
			}
			types[m.Type] = true
			if _, ok := materialKinds()[m.Type]; !ok {
				fail("material type %q is not a shared type", m.Type)
			}
			if !slices.Contains(requirements, m.Requirement) {
				fail("material %q has requirement %q", m.Name, m.Requirement)
			}
			if m.Name == "" || m.Originals+m.Copies == 0 {
				fail("material %+v has no name or no copies", m)
			}
		}
		probe := it
		probe.Levels = slices.Clone(it.Levels)
		probe.OnlineDepth = slices.Clone(it.OnlineDepth)
		probe.Materials = slices.Clone(it.Materials)
		probe.Normalize()
		if !reflect.DeepEqual(probe, it) {
			fail("Normalize changes the item; the loader would store something else")
		}
		if err := it.Validate(); err != nil {
			fail("Validate: %v", err)
		}
	}
}

// TestGeneratedMix checks that the long tail looks like a county list: most
// items at the county, a mix of item types, limits whose promise is about half
// the legal one, life events to browse by and some 容缺 materials.
func TestGeneratedMix(t *testing.T) {
	_, items := demoCatalogue(t)
	countyOnly, types, waivable := 0, map[string]int{}, 0
	events := map[string]int{}
	var ratioSum float64
	ratioN := 0
	for _, it := range items {
		if slices.Equal(it.Levels, []int{catalog.LevelCounty}) {
			countyOnly++
		}
		types[it.Type]++
		for _, e := range it.LifeEvents {
			events[e]++
		}
		for _, m := range it.Materials {
			if m.Requirement == catalog.Waivable {
				waivable++
			}
		}
		if it.LegalLimitDays >= 10 {
			ratioSum += float64(it.PromisedLimitDays) / float64(it.LegalLimitDays)
			ratioN++
		}
	}
	if countyOnly*2 < len(items) {
		t.Errorf("%d of %d items handled at the county only, want most", countyOnly, len(items))
	}
	for _, typ := range []string{"01", "05", "07", "10", "20"} {
		if types[typ]*20 < len(items) {
			t.Errorf("type %s (%s) has %d items, want at least 5%%", typ, catalog.ItemTypes[typ][0], types[typ])
		}
	}
	for _, e := range []string{"生育", "上学", "就业", "婚姻", "养老", "医保", "住房", "开办企业", "残疾人", "退役军人", "法律援助"} {
		if events[e] == 0 {
			t.Errorf("no item for life event %q", e)
		}
	}
	if waivable < 20 {
		t.Errorf("%d waivable (容缺) materials, want at least 20", waivable)
	}
	if ratio := ratioSum / float64(ratioN); ratio < 0.3 || ratio > 0.7 {
		t.Errorf("promised limits are on average %.2f of the legal ones, want about half", ratio)
	}
}

func BenchmarkCatalogue(b *testing.B) {
	for b.Loop() {
		Catalogue()
	}
}

// Every row of data/aliases.csv names a generated item of the catalogue
// (written-out items carry theirs in catalogue.json), which carries its
// aliases; the searches people make most have theirs.
func TestAliases(t *testing.T) {
	searchedBy, err := readAliases(dataFiles)
	if err != nil {
		t.Fatal(err)
	}
	_, items := demoCatalogue(t)
	byName := map[string]catalog.Item{}
	for _, it := range items {
		byName[it.Name] = it
	}
	for name, aliases := range searchedBy {
		it, ok := byName[name]
		if !ok {
			t.Errorf("aliases.csv: %q is no item of the catalogue", name)
			continue
		}
		if !slices.Equal(it.Aliases, aliases) {
			t.Errorf("%s: aliases %v, want %v", name, it.Aliases, aliases)
		}
		if err := it.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"企业设立登记", "个体工商户设立登记", "社会保障卡申领"} {
		if !slices.Contains(byName[name].Aliases, "营业执照") && !slices.Contains(byName[name].Aliases, "社保卡") {
			t.Errorf("%s is searched by neither 营业执照 nor 社保卡: %v", name, byName[name].Aliases)
		}
	}
}
