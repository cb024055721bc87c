package catalog

import (
	"slices"
	"testing"
)

// A material is provided by another member only when every member asking
// for it names the licence type and a member yielding that type comes first.
func TestMarkProvided(t *testing.T) {
	licensed := Material{Type: "business_licence", Requirement: Required, Licence: "YYZZ"}
	plain := Material{Type: "business_licence", Requirement: Required}
	guide := func(members []BundleMember, items ...Item) BundleGuide {
		g := BundleGuide{Bundle: Bundle{Members: members}, Items: items}
		g.Materials = MergeMaterials(items)
		return g
	}
	results := map[string]string{"A": "YYZZ"}
	for _, tc := range []struct {
		name    string
		g       BundleGuide
		results map[string]string
		want    []string
	}{
		{"a prerequisite yields it", guide([]BundleMember{{Item: "A"}, {Item: "B", DependsOn: []string{"A"}}},
			Item{Code: "A"}, Item{Code: "B", Materials: []Material{licensed}}), results, []string{"A"}},
		{"through another prerequisite", guide([]BundleMember{{Item: "C", DependsOn: []string{"M"}}, {Item: "M", DependsOn: []string{"A"}}, {Item: "A"}},
			Item{Code: "A"}, Item{Code: "M"}, Item{Code: "C", Materials: []Material{licensed}}), results, []string{"A"}},
		{"earlier in the bundle", guide([]BundleMember{{Item: "A"}, {Item: "B"}},
			Item{Code: "A"}, Item{Code: "B", Materials: []Material{licensed}}), results, []string{"A"}},
		{"the yielding member waits for the one needing it", guide([]BundleMember{{Item: "A", DependsOn: []string{"B"}}, {Item: "B"}},
			Item{Code: "A"}, Item{Code: "B", Materials: []Material{licensed}}), results, nil},
		{"later in the bundle", guide([]BundleMember{{Item: "B"}, {Item: "A"}},
			Item{Code: "A"}, Item{Code: "B", Materials: []Material{licensed}}), results, nil},
		{"another member asks for it without the licence", guide([]BundleMember{{Item: "A"}, {Item: "B"}, {Item: "C"}},
			Item{Code: "A"}, Item{Code: "B", Materials: []Material{licensed}}, Item{Code: "C", Materials: []Material{plain}}), results, nil},
		{"the yielding member asks for it itself", guide([]BundleMember{{Item: "A"}, {Item: "B"}},
			Item{Code: "A", Materials: []Material{licensed}}, Item{Code: "B", Materials: []Material{licensed}}), results, nil},
		{"no licence is issued here", guide([]BundleMember{{Item: "A"}, {Item: "B"}},
			Item{Code: "A"}, Item{Code: "B", Materials: []Material{licensed}}), map[string]string{}, nil},
	} {
		MarkProvided(&tc.g, tc.results)
		i := slices.IndexFunc(tc.g.Materials, func(m MergedMaterial) bool { return m.Type == "business_licence" })
		if got := tc.g.Materials[i].ProvidedBy; !slices.Equal(got, tc.want) {
			t.Errorf("%s: provided by %v, want %v", tc.name, got, tc.want)
		}
		if asked := slices.ContainsFunc(Asked(tc.g.Materials), func(m MergedMaterial) bool { return m.Type == "business_licence" }); asked != (tc.want == nil) {
			t.Errorf("%s: asked for %v", tc.name, asked)
		}
	}
}
