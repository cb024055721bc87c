package catalog

import (
	"slices"
	"strings"
	"testing"
)

// The guide's steps, questions and forms are checked with the rest of the
// item: each problem is named by its field.
func TestGuidePartsValidate(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	doc := GuideDocument{Kind: DocBlank, Name: "申请表", Material: "business_licence", FileHash: hash, ContentType: "application/pdf", Size: 10}
	cases := []struct {
		name string
		edit func(*Item)
		want []string
	}{
		{"complete", func(it *Item) {
			it.Steps = []string{"提交申请", "审核"}
			it.FAQ = []Question{{Q: "多久办结？", A: "5个工作日。"}}
			it.Documents = []GuideDocument{doc}
		}, nil},
		{"empty step", func(it *Item) { it.Steps = []string{"提交", "  "} }, []string{"steps[1]/required"}},
		{"question without answer", func(it *Item) { it.FAQ = []Question{{Q: "多久？"}} }, []string{"faq[0].a/required"}},
		{"too many steps", func(it *Item) { it.Steps = slices.Repeat([]string{"一步"}, MaxSteps+1) }, []string{"steps/too_many"}},
		{"bad document", func(it *Item) {
			d := doc
			d.Kind, d.Material, d.FileHash, d.ContentType, d.Size = "draft", "no_such", "xyz", "text/html", 0
			it.Documents = []GuideDocument{d}
		}, []string{"documents[0].content_type/unknown_value", "documents[0].file_hash/invalid", "documents[0].kind/unknown_value",
			"documents[0].material/unknown_value", "documents[0].size/out_of_range"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := validItem()
			c.edit(&it)
			it.Normalize()
			got := fieldCodes(t, it.Validate())
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	it := validItem()
	it.Documents = []GuideDocument{doc}
	if d, ok := it.Document(hash); !ok || d.Name != "申请表" {
		t.Errorf("Document(%s) = %+v, %v", hash, d, ok)
	}
	if _, ok := it.Document(strings.Repeat("cd", 32)); ok {
		t.Error("a hash the item does not list is found")
	}
}

func TestAudienceAndOpenTo(t *testing.T) {
	for _, c := range []struct {
		persons, enterprises bool
		want                 string
		personMay            bool
	}{
		{true, false, AudiencePersons, true},
		{false, true, AudienceEnterprises, false},
		{true, true, AudienceBoth, true},
		{false, false, AudienceBoth, true},
	} {
		it := Item{ServesPersons: c.persons, ServesEnterprises: c.enterprises}
		if got := it.Audience(); got != c.want {
			t.Errorf("persons %v, enterprises %v: audience %s, want %s", c.persons, c.enterprises, got, c.want)
		}
		if got := it.OpenTo("person"); got != c.personMay {
			t.Errorf("persons %v, enterprises %v: open to a person %v", c.persons, c.enterprises, got)
		}
		if !it.OpenTo("enterprise") {
			t.Errorf("persons %v, enterprises %v: closed to an enterprise", c.persons, c.enterprises)
		}
	}
}
