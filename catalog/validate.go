package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
)

// Limits of the catalogue's fields. They are generous; they exist so that a
// broken import cannot store nonsense the rest of the system must guard against.
const (
	MaxCodeLen          = 64
	MaxNameLen          = 200 // runes
	MaxLimitDays        = 3650
	MaxVisits           = 10
	MaxCopies           = 20
	MaxSupplementDays   = 60
	DefaultSupplement   = 5 // working days for 补正 when an item does not say
	maxLifeEventLen     = 50
	maxMaterialTypeLen  = 64
	maxDepartmentKindLn = 64
)

// Material forms and sources.
const (
	FormPaper        = "paper"
	FormElectronic   = "electronic"
	FormEither       = "either"
	SourceApplicant  = "applicant"
	SourceGovernment = "government"
)

// Normalize trims text, sorts levels and the online depth into process order
// and fills defaults (supplement days), so that two spellings of the same
// item store the same bytes. Call it before Validate.
func (it *Item) Normalize() {
	it.Code = strings.TrimSpace(it.Code)
	it.BaseCode = strings.TrimSpace(it.BaseCode)
	it.Name = strings.TrimSpace(it.Name)
	it.NameEN = strings.TrimSpace(it.NameEN)
	it.Type = strings.TrimSpace(it.Type)
	it.DepartmentCode = strings.TrimSpace(it.DepartmentCode)
	slices.Sort(it.Levels)
	for i := range it.OnlineDepth {
		it.OnlineDepth[i] = strings.TrimSpace(it.OnlineDepth[i])
	}
	// Known steps in process order; unknown ones keep their place after them
	// so that Validate can name them.
	slices.SortStableFunc(it.OnlineDepth, func(a, b string) int { return depthRank(a) - depthRank(b) })
	if len(it.OnlineDepth) == 0 {
		it.OnlineDepth = nil
	}
	if len(it.Fees) == 0 {
		it.Fees = nil
	}
	for i := range it.Fees {
		it.Fees[i].Name = strings.TrimSpace(it.Fees[i].Name)
		it.Fees[i].Basis = cleanText(it.Fees[i].Basis)
	}
	for i := range it.LifeEvents {
		it.LifeEvents[i] = strings.TrimSpace(it.LifeEvents[i])
	}
	if len(it.LifeEvents) == 0 {
		it.LifeEvents = nil
	}
	it.normalizeAliases()
	it.normalizeGuide()
	for _, p := range []*string{&it.ResultType, &it.ResultName, &it.Conditions, &it.Basis, &it.Location, &it.Hours, &it.Contact} {
		*p = cleanText(*p)
	}
	if it.SupplementDays == 0 {
		it.SupplementDays = DefaultSupplement
	}
	if it.Materials == nil {
		it.Materials = []Material{}
	}
	for i := range it.Materials {
		m := &it.Materials[i]
		m.Name = strings.TrimSpace(m.Name)
		m.Type = strings.TrimSpace(m.Type)
		m.Requirement = strings.TrimSpace(m.Requirement)
		m.Form = strings.TrimSpace(m.Form)
		m.Source = strings.TrimSpace(m.Source)
		m.Sample = cleanText(m.Sample)
		m.Description = cleanText(m.Description)
	}
}

// cleanText trims free text and writes line breaks as "\n", the form a CSV
// reader returns them in, so that a file round trip keeps the text unchanged.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func depthRank(d string) int {
	if i := slices.Index(AllDepths, d); i >= 0 {
		return i
	}
	return len(AllDepths)
}

// Validate checks every field of the item and returns all problems at once as
// an apperr Invalid error whose field names are the JSON names
// ("materials[2].type"). Version, status and timestamps are not checked: the
// store sets them.
func (it *Item) Validate() error {
	var f apperr.Fields
	checkCode(&f, "code", codeItem, it.Code)
	checkCode(&f, "base_code", codeBase, it.BaseCode)
	checkName(&f, "name", it.Name, true)
	checkName(&f, "name_en", it.NameEN, false)
	if _, ok := ItemTypes[it.Type]; !ok {
		f.Add("type", "unknown_value", apperr.M("事项类型不在清单内", "unknown item type"))
	}
	checkCode(&f, "department", codeDepartment, it.DepartmentCode)
	it.validateLevels(&f)
	it.validateLimits(&f)
	if it.Visits < 0 || it.Visits > MaxVisits {
		f.Add("visits", "out_of_range", apperr.M(fmt.Sprintf("到现场次数应在 0 到 %d 之间", MaxVisits),
			fmt.Sprintf("visits must be between 0 and %d", MaxVisits)))
	}
	it.validateDepth(&f)
	it.validateFees(&f)
	if it.SupplementDays < 0 || it.SupplementDays > MaxSupplementDays {
		f.Add("supplement_days", "out_of_range", apperr.M(fmt.Sprintf("补正期限应在 0 到 %d 个工作日之间", MaxSupplementDays),
			fmt.Sprintf("supplement_days must be between 0 and %d", MaxSupplementDays)))
	}
	it.validateLifeEvents(&f)
	it.validateAliases(&f)
	it.validateGuide(&f)
	for field, v := range map[string]string{"result_type": it.ResultType, "result_name": it.ResultName,
		"conditions": it.Conditions, "basis": it.Basis, "location": it.Location, "hours": it.Hours, "contact": it.Contact} {
		checkText(&f, field, v)
	}
	it.validateMaterials(&f)
	it.validateFormFields(&f)
	sortFields(f)
	return f.Err()
}

var fieldKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

func (it *Item) validateFormFields(f *apperr.Fields) {
	if len(it.Fields) > 100 {
		f.Add("fields", "too_many", apperr.M("表单字段不超过100个", "at most 100 form fields"))
		return
	}
	seen := map[string]bool{}
	for i, ff := range it.Fields {
		at := fmt.Sprintf("fields[%d]", i)
		if !fieldKey.MatchString(ff.Key) {
			f.Add(at+".key", "invalid_format", apperr.M("字段键须为小写字母开头的字母、数字或下划线（不超过40个）", "key must be lower-case letters, digits or _ (at most 40), starting with a letter"))
		} else if seen[ff.Key] {
			f.Add(at+".key", "duplicate", apperr.M("字段键重复", "duplicate key"))
		}
		seen[ff.Key] = true
		checkName(f, at+".label", ff.Label, true)
		if !slices.Contains(FieldTypes, ff.Type) {
			f.Add(at+".type", "unknown_value", apperr.M("字段类型须为 text、date、number、id_number、phone 或 select", "type must be text, date, number, id_number, phone or select"))
		}
		if ff.Type == "select" && len(ff.Options) == 0 {
			f.Add(at+".options", "required", apperr.M("选择题须列出选项", "a select field needs options"))
		}
	}
}

func (it *Item) validateLevels(f *apperr.Fields) {
	if len(it.Levels) == 0 {
		f.Add("levels", "required", apperr.M("请至少选择一个可办理层级", "at least one level is required"))
		return
	}
	seen := map[int]bool{}
	for _, l := range it.Levels {
		switch {
		case l < LevelNational || l > LevelVillage:
			f.Add("levels", "out_of_range", apperr.M(fmt.Sprintf("层级 %d 无效，应在 1 到 6 之间", l),
				fmt.Sprintf("level %d is not between 1 and 6", l)))
		case seen[l]:
			f.Add("levels", "duplicate", apperr.M(fmt.Sprintf("层级 %d 重复", l), fmt.Sprintf("level %d is listed twice", l)))
		}
		seen[l] = true
	}
}

func (it *Item) validateLimits(f *apperr.Fields) {
	for field, v := range map[string]int{"legal_limit_days": it.LegalLimitDays, "promised_limit_days": it.PromisedLimitDays} {
		if v < 0 || v > MaxLimitDays {
			f.Add(field, "out_of_range", apperr.M(fmt.Sprintf("时限应在 0 到 %d 个工作日之间", MaxLimitDays),
				fmt.Sprintf("the limit must be between 0 and %d working days", MaxLimitDays)))
		}
	}
	if it.LegalLimitDays > 0 && it.PromisedLimitDays > it.LegalLimitDays {
		f.Add("promised_limit_days", "exceeds_legal_limit", apperr.M("承诺时限不能超过法定时限",
			"the promised limit may not exceed the legal limit"))
	}
}

func (it *Item) validateDepth(f *apperr.Fields) {
	seen := map[string]bool{}
	for _, d := range it.OnlineDepth {
		switch {
		case !slices.Contains(AllDepths, d):
			f.Add("online_depth", "unknown_value", apperr.M(fmt.Sprintf("未知的网办深度 %q", d), fmt.Sprintf("unknown online depth %q", d)))
		case seen[d]:
			f.Add("online_depth", "duplicate", apperr.M(fmt.Sprintf("网办深度 %q 重复", d), fmt.Sprintf("online depth %q is listed twice", d)))
		}
		seen[d] = true
	}
}

func (it *Item) validateFees(f *apperr.Fields) {
	for i, fee := range it.Fees {
		p := fmt.Sprintf("fees[%d].", i)
		if fee.Name == "" {
			f.Add(p+"name", "required", apperr.M("请填写收费项目名称", "the fee needs a name"))
		}
		// The CSV form writes fees as "name:amount:basis|…".
		if strings.ContainsAny(fee.Name, ":|") {
			f.Add(p+"name", "invalid_format", apperr.M("收费项目名称不能含有半角 : 或 |", "a fee name may not contain ':' or '|'"))
		}
		checkText(f, p+"name", fee.Name)
		if fee.AmountFen < 0 {
			f.Add(p+"amount_fen", "out_of_range", apperr.M("收费金额不能为负数", "the amount may not be negative"))
		}
		if strings.Contains(fee.Basis, "|") {
			f.Add(p+"basis", "invalid_format", apperr.M("收费依据不能含有 |", "a fee basis may not contain '|'"))
		}
		checkText(f, p+"basis", fee.Basis)
	}
}

func (it *Item) validateLifeEvents(f *apperr.Fields) {
	seen := map[string]bool{}
	for _, e := range it.LifeEvents {
		switch {
		case e == "":
			f.Add("life_events", "required", apperr.M("主题标签不能为空", "a life event may not be empty"))
		case strings.ContainsAny(e, ",|"):
			f.Add("life_events", "invalid_format", apperr.M(fmt.Sprintf("主题标签 %q 不能含有 , 或 |", e),
				fmt.Sprintf("life event %q may not contain , or |", e)))
		case utf8.RuneCountInString(e) > maxLifeEventLen:
			f.Add("life_events", "too_long", apperr.M(fmt.Sprintf("主题标签不能超过 %d 个字", maxLifeEventLen),
				fmt.Sprintf("a life event may have at most %d characters", maxLifeEventLen)))
		case seen[e]:
			f.Add("life_events", "duplicate", apperr.M(fmt.Sprintf("主题标签 %q 重复", e), fmt.Sprintf("life event %q is listed twice", e)))
		}
		checkText(f, "life_events", e)
		seen[e] = true
	}
}

func (it *Item) validateMaterials(f *apperr.Fields) {
	types := map[string]bool{}
	for i, m := range it.Materials {
		p := fmt.Sprintf("materials[%d].", i)
		checkName(f, p+"name", m.Name, true)
		switch {
		case m.Type == "":
			f.Add(p+"type", "required", apperr.M("请填写材料类型编码", "the material type is required"))
		case !isMaterialType(m.Type):
			f.Add(p+"type", "invalid_format", apperr.M(fmt.Sprintf("材料类型编码只能由小写字母、数字和下划线组成，最长 %d 位", maxMaterialTypeLen),
				fmt.Sprintf("a material type is lower-case letters, digits and '_', at most %d", maxMaterialTypeLen)))
		case types[m.Type]:
			f.Add(p+"type", "duplicate", apperr.M("同一事项中材料类型重复", "another material of this item has the same type"))
		}
		types[m.Type] = true
		if !slices.Contains([]string{Required, Optional, Waivable}, m.Requirement) {
			f.Add(p+"requirement", "unknown_value", apperr.M("材料必要性应为 required、optional 或 waivable",
				"requirement must be required, optional or waivable"))
		}
		for field, n := range map[string]int{"originals": m.Originals, "copies": m.Copies} {
			if n < 0 || n > MaxCopies {
				f.Add(p+field, "out_of_range", apperr.M(fmt.Sprintf("份数应在 0 到 %d 之间", MaxCopies),
					fmt.Sprintf("the count must be between 0 and %d", MaxCopies)))
			}
		}
		if !slices.Contains([]string{"", FormPaper, FormElectronic, FormEither}, m.Form) {
			f.Add(p+"form", "unknown_value", apperr.M("材料形式应为 paper、electronic 或 either",
				"form must be paper, electronic or either"))
		}
		if !slices.Contains([]string{"", SourceApplicant, SourceGovernment}, m.Source) {
			f.Add(p+"source", "unknown_value", apperr.M("材料来源应为 applicant 或 government",
				"source must be applicant or government"))
		}
		checkText(f, p+"sample", m.Sample)
		checkText(f, p+"description", m.Description)
		if len(m.Licence) > 64 || strings.ContainsAny(m.Licence, " \t\r\n") {
			f.Add(p+"licence", "format", apperr.M("电子证照类型代码不超过64个字符，不含空白", "licence is a licence type code: at most 64 characters, no spaces"))
		}
	}
}

// Normalize trims the department's text and upper-cases its credit code.
func (d *Department) Normalize() {
	d.Code = strings.TrimSpace(d.Code)
	d.Name = strings.TrimSpace(d.Name)
	d.NameEN = strings.TrimSpace(d.NameEN)
	d.CreditCode = strings.ToUpper(strings.TrimSpace(d.CreditCode))
	d.Kind = strings.TrimSpace(d.Kind)
}

// Validate checks the department and returns every problem at once.
func (d *Department) Validate() error {
	var f apperr.Fields
	checkCode(&f, "code", codeDepartment, d.Code)
	checkName(&f, "name", d.Name, true)
	checkName(&f, "name_en", d.NameEN, false)
	if d.CreditCode != "" && !validCreditCode(d.CreditCode) {
		f.Add("credit_code", "invalid_checksum", apperr.M("统一社会信用代码格式或校验位不正确",
			"the unified social credit code is malformed or its check character is wrong"))
	}
	if len(d.Kind) > maxDepartmentKindLn {
		f.Add("kind", "too_long", apperr.M(fmt.Sprintf("类别不能超过 %d 个字符", maxDepartmentKindLn),
			fmt.Sprintf("kind may have at most %d characters", maxDepartmentKindLn)))
	}
	checkText(&f, "kind", d.Kind)
	sortFields(f)
	return f.Err()
}

// The codes a form may hold several of, named so that each field's
// message says which code it is about.
var (
	codeItem           = apperr.M("事项编码", "the item code")
	codeBase           = apperr.M("基本编码", "the base code")
	codeDepartment     = apperr.M("部门编码", "the department code")
	codeBundle         = apperr.M("一件事编码", "the bundle code")
	codeLeadDepartment = apperr.M("牵头部门编码", "the lead department's code")
)

// checkCode accepts item and department codes: letters, digits and '-'.
func checkCode(f *apperr.Fields, field string, name apperr.Msg, v string) {
	switch {
	case v == "":
		f.Add(field, "required", apperr.M(name.ZH+"不能为空", name.EN+" is required"))
	case len(v) > MaxCodeLen:
		f.Add(field, "too_long", apperr.M(fmt.Sprintf("%s不能超过 %d 位", name.ZH, MaxCodeLen),
			fmt.Sprintf("%s may have at most %d characters", name.EN, MaxCodeLen)))
	case strings.IndexFunc(v, func(r rune) bool { return !isCodeRune(r) }) >= 0:
		f.Add(field, "invalid_format", apperr.M(name.ZH+"只能由字母、数字和 - 组成", name.EN+" may hold only letters, digits and '-'"))
	}
}

func isCodeRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-'
}

func isMaterialType(v string) bool {
	if len(v) > maxMaterialTypeLen {
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func checkName(f *apperr.Fields, field, v string, required bool) {
	switch {
	case v == "" && required:
		f.Add(field, "required", apperr.M("名称不能为空", "the name is required"))
	case utf8.RuneCountInString(v) > MaxNameLen:
		f.Add(field, "too_long", apperr.M(fmt.Sprintf("名称不能超过 %d 个字", MaxNameLen),
			fmt.Sprintf("the name may have at most %d characters", MaxNameLen)))
	}
	checkText(f, field, v)
}

// checkText rejects what neither engine stores faithfully: invalid UTF-8 and
// NUL (PostgreSQL refuses both in TEXT).
func checkText(f *apperr.Fields, field, v string) {
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		f.Add(field, "invalid_text", apperr.M("含有无效字符（非 UTF-8 或空字符）", "contains invalid characters (not UTF-8, or NUL)"))
	}
}

// sortFields keeps the error list in a stable order: validators walk maps.
func sortFields(f apperr.Fields) {
	slices.SortStableFunc(f, func(a, b apperr.FieldError) int { return fieldOrder(a.Field, b.Field) })
}

// fieldOrder compares field paths so that "materials[10]" sorts after
// "materials[9]", "items.csv:12:x" after "items.csv:9:x", and worksheet
// cells by row first: "事项!B9" before "事项!A12".
func fieldOrder(a, b string) int {
	a, b = rowFirst(a), rowFirst(b)
	for a != "" && b != "" {
		ia, ib := digitRun(a), digitRun(b)
		if ia > 0 && ib > 0 {
			na, _ := strconv.Atoi(a[:ia])
			nb, _ := strconv.Atoi(b[:ib])
			if na != nb {
				return na - nb
			}
			a, b = a[ia:], b[ib:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

// rowFirst rewrites a worksheet place "事项!AB12:x" as "事项!12 AB:x" (the
// letters right-aligned in three places, so that Z sorts before AA).
func rowFirst(s string) string {
	i := strings.IndexByte(s, '!')
	if i < 0 {
		return s
	}
	j := i + 1
	for j < len(s) && s[j] >= 'A' && s[j] <= 'Z' {
		j++
	}
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	if j == i+1 || k == j {
		return s
	}
	return s[:i+1] + s[j:k] + fmt.Sprintf("%3s", s[i+1:j]) + s[k:]
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// creditCodeChars is the alphabet of the unified social credit code
// (GB 32100-2015): digits and capital letters without I, O, Z, S and V. A
// character's value is its index.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// validCreditCode checks an 18-character unified social credit code: its
// alphabet, the six-digit administrative division code in positions 3–8, and
// the check character, which GB 32100-2015 defines as
// 31 − (Σ value(i)·3^i mod 31) mod 31 over the first 17 characters.
func validCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum, weight := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, s[i])
		if v < 0 || (i >= 2 && i < 8 && v > 9) {
			return false
		}
		sum += v * weight
		weight = weight * 3 % 31
	}
	check := (31 - sum%31) % 31
	return s[17] == creditCodeChars[check]
}
