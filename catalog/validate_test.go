package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
)

// validItem is an item every rule accepts.
func validItem() Item {
	return Item{
		Code: "220523-SCJG-001", BaseCode: "000105001000", Name: "食品经营许可", NameEN: "food business licence",
		Type: "01", DepartmentCode: "HN-SCJG", Levels: []int{4, 5}, LegalLimitDays: 20, PromisedLimitDays: 5,
		Visits: 1, OnlineDepth: []string{DepthConsult, DepthReceive}, Fees: []Fee{{Name: "工本费", AmountFen: 1000}},
		SupplementDays: 5, LifeEvents: []string{"开办企业"}, ServesEnterprises: true,
		Materials: []Material{
			{Name: "营业执照", Type: "business_licence", Requirement: Required, Originals: 1, Copies: 1, Form: FormEither, Source: SourceGovernment},
			{Name: "食品安全管理制度", Type: "food_safety_rules", Requirement: Waivable, Copies: 1, Form: FormPaper, Source: SourceApplicant},
		},
	}
}

// fieldCodes returns the "field/code" pairs of a validation error.
func fieldCodes(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		t.Fatalf("error %v is not an apperr Invalid error", err)
	}
	var out []string
	for _, f := range ae.Fields {
		if f.Message.ZH == "" || f.Message.EN == "" {
			t.Errorf("field %s has no message in both languages: %+v", f.Field, f.Message)
		}
		out = append(out, f.Field+"/"+f.Code)
	}
	return out
}

func TestItemValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(it *Item)
		want   []string
	}{
		{"valid", func(it *Item) {}, nil},
		{"no code", func(it *Item) { it.Code = "" }, []string{"code/required"}},
		{"code with a space", func(it *Item) { it.Code = "A 1" }, []string{"code/invalid_format"}},
		{"code in Chinese", func(it *Item) { it.Code = "事项1" }, []string{"code/invalid_format"}},
		{"code of 64 characters", func(it *Item) { it.Code = strings.Repeat("A", 64) }, nil},
		{"code of 65 characters", func(it *Item) { it.Code = strings.Repeat("A", 65) }, []string{"code/too_long"}},
		{"no base code", func(it *Item) { it.BaseCode = "" }, []string{"base_code/required"}},
		{"no name", func(it *Item) { it.Name = "" }, []string{"name/required"}},
		{"name of 200 runes", func(it *Item) { it.Name = strings.Repeat("证", 200) }, nil},
		{"name of 201 runes", func(it *Item) { it.Name = strings.Repeat("证", 201) }, []string{"name/too_long"}},
		{"name with NUL", func(it *Item) { it.Name = "a\x00b" }, []string{"name/invalid_text"}},
		{"conditions not UTF-8", func(it *Item) { it.Conditions = "\xff\xfe" }, []string{"conditions/invalid_text"}},
		{"unknown type", func(it *Item) { it.Type = "99" }, []string{"type/unknown_value"}},
		{"public service type", func(it *Item) { it.Type = "20" }, nil},
		{"no department", func(it *Item) { it.DepartmentCode = "" }, []string{"department/required"}},
		{"no levels", func(it *Item) { it.Levels = nil }, []string{"levels/required"}},
		{"level 0", func(it *Item) { it.Levels = []int{0, 4} }, []string{"levels/out_of_range"}},
		{"level 7", func(it *Item) { it.Levels = []int{4, 7} }, []string{"levels/out_of_range"}},
		{"level twice", func(it *Item) { it.Levels = []int{5, 5} }, []string{"levels/duplicate"}},
		{"all six levels", func(it *Item) { it.Levels = []int{1, 2, 3, 4, 5, 6} }, nil},
		{"negative legal limit", func(it *Item) { it.LegalLimitDays, it.PromisedLimitDays = -1, 0 }, []string{"legal_limit_days/out_of_range"}},
		{"negative promised limit", func(it *Item) { it.PromisedLimitDays = -1 }, []string{"promised_limit_days/out_of_range"}},
		{"promised over legal", func(it *Item) { it.PromisedLimitDays = 21 }, []string{"promised_limit_days/exceeds_legal_limit"}},
		{"promised equal to legal", func(it *Item) { it.PromisedLimitDays = 20 }, nil},
		{"promised without a legal limit", func(it *Item) { it.LegalLimitDays, it.PromisedLimitDays = 0, 3 }, nil},
		{"on-the-spot item", func(it *Item) { it.LegalLimitDays, it.PromisedLimitDays = 0, 0 }, nil},
		{"absurd legal limit", func(it *Item) { it.LegalLimitDays = MaxLimitDays + 1 }, []string{"legal_limit_days/out_of_range"}},
		{"negative visits", func(it *Item) { it.Visits = -1 }, []string{"visits/out_of_range"}},
		{"ten visits", func(it *Item) { it.Visits = 10 }, nil},
		{"eleven visits", func(it *Item) { it.Visits = 11 }, []string{"visits/out_of_range"}},
		{"unknown online depth", func(it *Item) { it.OnlineDepth = []string{"teleport"} }, []string{"online_depth/unknown_value"}},
		{"online depth twice", func(it *Item) { it.OnlineDepth = []string{DepthAccept, DepthAccept} }, []string{"online_depth/duplicate"}},
		{"negative fee", func(it *Item) { it.Fees[0].AmountFen = -1 }, []string{"fees[0].amount_fen/out_of_range"}},
		{"free fee line", func(it *Item) { it.Fees[0].AmountFen = 0 }, nil},
		{"fee without name", func(it *Item) { it.Fees = append(it.Fees, Fee{AmountFen: 5}) }, []string{"fees[1].name/required"}},
		{"fee name with colon", func(it *Item) { it.Fees[0].Name = "a:b" }, []string{"fees[0].name/invalid_format"}},
		{"fee basis with bar", func(it *Item) { it.Fees[0].Basis = "a|b" }, []string{"fees[0].basis/invalid_format"}},
		{"negative supplement days", func(it *Item) { it.SupplementDays = -1 }, []string{"supplement_days/out_of_range"}},
		{"60 supplement days", func(it *Item) { it.SupplementDays = 60 }, nil},
		{"61 supplement days", func(it *Item) { it.SupplementDays = 61 }, []string{"supplement_days/out_of_range"}},
		{"empty life event", func(it *Item) { it.LifeEvents = []string{""} }, []string{"life_events/required"}},
		{"life event with comma", func(it *Item) { it.LifeEvents = []string{"a,b"} }, []string{"life_events/invalid_format"}},
		{"life event twice", func(it *Item) { it.LifeEvents = []string{"生育", "生育"} }, []string{"life_events/duplicate"}},
		{"no materials", func(it *Item) { it.Materials = nil }, nil},
		{"material without name", func(it *Item) { it.Materials[1].Name = "" }, []string{"materials[1].name/required"}},
		{"material without type", func(it *Item) { it.Materials[0].Type = "" }, []string{"materials[0].type/required"}},
		{"material type in capitals", func(it *Item) { it.Materials[0].Type = "ID_Card" }, []string{"materials[0].type/invalid_format"}},
		{"material type with dash", func(it *Item) { it.Materials[0].Type = "id-card" }, []string{"materials[0].type/invalid_format"}},
		{"material requirement unknown", func(it *Item) { it.Materials[0].Requirement = "must" }, []string{"materials[0].requirement/unknown_value"}},
		{"material requirement empty", func(it *Item) { it.Materials[0].Requirement = "" }, []string{"materials[0].requirement/unknown_value"}},
		{"21 originals", func(it *Item) { it.Materials[0].Originals = 21 }, []string{"materials[0].originals/out_of_range"}},
		{"20 copies", func(it *Item) { it.Materials[0].Copies = 20 }, nil},
		{"negative copies", func(it *Item) { it.Materials[1].Copies = -1 }, []string{"materials[1].copies/out_of_range"}},
		{"unknown form", func(it *Item) { it.Materials[0].Form = "fax" }, []string{"materials[0].form/unknown_value"}},
		{"empty form", func(it *Item) { it.Materials[0].Form = "" }, nil},
		{"unknown source", func(it *Item) { it.Materials[0].Source = "neighbour" }, []string{"materials[0].source/unknown_value"}},
		{"same material type twice", func(it *Item) { it.Materials[1].Type = it.Materials[0].Type }, []string{"materials[1].type/duplicate"}},
		{"several problems at once", func(it *Item) {
			it.Name, it.Type, it.Visits = "", "x", 99
			it.Materials[1].Requirement = "?"
		}, []string{"materials[1].requirement/unknown_value", "name/required", "type/unknown_value", "visits/out_of_range"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := validItem()
			c.change(&it)
			got := fieldCodes(t, it.Validate())
			if !slices.Equal(got, c.want) {
				t.Errorf("Validate() = %v, want %v", got, c.want)
			}
		})
	}
}

func TestItemNormalize(t *testing.T) {
	it := validItem()
	it.Code = "  X-1 "
	it.Levels = []int{6, 4, 5}
	it.OnlineDepth = []string{DepthELicence, DepthConsult, DepthAccept}
	it.SupplementDays = 0
	it.Conditions = " line one\r\nline two "
	it.Materials = nil
	it.Normalize()
	if it.Code != "X-1" {
		t.Errorf("code %q, want it trimmed", it.Code)
	}
	if !slices.Equal(it.Levels, []int{4, 5, 6}) {
		t.Errorf("levels %v, want them sorted", it.Levels)
	}
	if want := []string{DepthConsult, DepthAccept, DepthELicence}; !slices.Equal(it.OnlineDepth, want) {
		t.Errorf("online depth %v, want process order %v", it.OnlineDepth, want)
	}
	if it.SupplementDays != DefaultSupplement {
		t.Errorf("supplement days %d, want the default %d", it.SupplementDays, DefaultSupplement)
	}
	if it.Conditions != "line one\nline two" {
		t.Errorf("conditions %q, want trimmed with \\n line breaks", it.Conditions)
	}
	if it.Materials == nil {
		t.Error("materials nil, want an empty list")
	}
	again := it
	again.Normalize()
	if a, _ := contentJSON(&it); func() string { b, _ := contentJSON(&again); return b }() != a {
		t.Error("Normalize is not idempotent")
	}
}

func TestDepartmentValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *Department)
		want   []string
	}{
		{"valid", func(d *Department) {}, nil},
		{"no credit code", func(d *Department) { d.CreditCode = "" }, nil},
		{"no code", func(d *Department) { d.Code = "" }, []string{"code/required"}},
		{"code with slash", func(d *Department) { d.Code = "HN/SCJG" }, []string{"code/invalid_format"}},
		{"no name", func(d *Department) { d.Name = " " }, []string{"name/required"}},
		{"credit code in lower case", func(d *Department) { d.CreditCode = strings.ToLower(d.CreditCode) }, nil},
		{"credit code check character wrong", func(d *Department) { d.CreditCode = "91350100M000100Y44" }, []string{"credit_code/invalid_checksum"}},
		{"credit code too short", func(d *Department) { d.CreditCode = "91350100M000100Y4" }, []string{"credit_code/invalid_checksum"}},
		{"credit code with letter I", func(d *Department) { d.CreditCode = "91350100I000100Y43" }, []string{"credit_code/invalid_checksum"}},
		{"credit code with letter in region", func(d *Department) { d.CreditCode = "913501A0M000100Y43" }, []string{"credit_code/invalid_checksum"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Department{Code: "HN-SCJG", Name: "辉南县市场监督管理局", CreditCode: "91350100M000100Y43"}
			c.change(&d)
			d.Normalize()
			if got := fieldCodes(t, d.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("Validate() = %v, want %v", got, c.want)
			}
		})
	}
}

// The codes below are registered unified social credit codes as published in
// the National Enterprise Credit Information Publicity System, and the
// worked example of GB 32100-2015 (91350100M000100Y43).
func TestValidCreditCode(t *testing.T) {
	for _, code := range []string{"91350100M000100Y43", "9144030071526726XG", "914403001922038216", "91110000802100433B"} {
		if !validCreditCode(code) {
			t.Errorf("validCreditCode(%s) = false, want true", code)
		}
		// Every other check character must be refused.
		for _, c := range creditCodeChars {
			if byte(c) == code[17] {
				continue
			}
			if bad := code[:17] + string(c); validCreditCode(bad) {
				t.Errorf("validCreditCode(%s) = true, want false", bad)
			}
		}
	}
}

func TestFieldOrder(t *testing.T) {
	got := []string{"materials[10].name", "materials[9].name", "items.csv:12:name", "items.csv:9:code", "code"}
	slices.SortFunc(got, fieldOrder)
	want := []string{"code", "items.csv:9:code", "items.csv:12:name", "materials[9].name", "materials[10].name"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted %v, want %v", got, want)
	}
}
