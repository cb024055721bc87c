package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/catalog"
)

// The long tail of the demo catalogue: each department's item families
// (data/families.csv) expanded into items by a seeded generator, which
// chooses limits, levels, materials and online depth the way county lists do.

// material returns a material of a shared type with the given requirement;
// name, when not empty, replaces the type's usual name (for example the exact
// title of an application form).
func material(typ, requirement, name string) catalog.Material {
	m, ok := materialKinds()[typ]
	if !ok {
		// A misspelt type: keep it visible rather than invent a document; the
		// tests reject any type missing from data/material-types.csv.
		m = catalog.Material{Name: typ}
	}
	m.Type, m.Requirement = typ, requirement
	if name != "" {
		m.Name = name
	}
	return m
}

func req(typ string) catalog.Material { return material(typ, catalog.Required, "") }
func opt(typ string) catalog.Material { return material(typ, catalog.Optional, "") }
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
// e.g. 食品生产许可 with （新办）（变更）（延续）（注销）（补证): a row of
// data/families.csv. The generated items are named base+variant and share the
// family's basic main code.
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

// Where items may be handled, as the generator chooses it.
var (
	county   = []int{catalog.LevelCounty}
	city     = []int{catalog.LevelCity, catalog.LevelCounty}
	township = []int{catalog.LevelCounty, catalog.LevelTownship}
	village  = []int{catalog.LevelCounty, catalog.LevelTownship, catalog.LevelVillage}
)

// deptSpec is a department with what the generator needs to write its items:
// its row of data/family-defaults.csv and its families.
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
		if g.used[name] { // written out in data/catalogue.json already: names stay unique
			// The draws an item makes are made all the same, so that the
			// items generated after it stay as they were.
			g.rand.Float64()
			g.rand.IntN(len(catalog.AllDepths) - 2)
			g.rand.IntN(10)
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
// handled, whom to call and the 补正 period. The items of data/catalogue.json
// carry the same values written out (a test holds them to it).
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
	it.Contact = d.contact + "（" + d.Name + "）"
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
