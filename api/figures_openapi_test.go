package api

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/figures"
)

// The figures fragment (openapi.d/figures.json) describes the report the
// figures route encodes, field by field: required exactly when always encoded.
func TestOpenAPIFiguresFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	types := map[string]any{
		"Figures":              figures.Report{},
		"FiguresScope":         figures.Scope{},
		"FiguresTotals":        figures.Totals{},
		"FiguresMonth":         figures.MonthFigures{},
		"FiguresCounts":        figures.Counts{},
		"FiguresHallCounts":    figures.HallCounts{},
		"FiguresUnit":          figures.UnitFigures{},
		"FiguresPoint":         figures.PointFigures{},
		"FiguresPresence":      figures.Presence{},
		"FiguresPresenceGroup": figures.PresenceGroup{},
		"FiguresCatalogue":     figures.Catalogue{},
	}
	for _, name := range slices.Sorted(maps.Keys(types)) {
		t.Run(name, func(t *testing.T) {
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			props, required := schemaFields(t, doc, s)
			all, always := jsonFields(reflect.TypeOf(types[name]))
			for f := range all {
				if !props[f] {
					t.Errorf("JSON field %q is not a property of the schema", f)
				}
			}
			for p := range props {
				if !all[p] {
					t.Errorf("property %q is not a JSON field of %T", p, types[name])
				}
			}
			for f := range always {
				if !required[f] {
					t.Errorf("%q is always present but not required", f)
				}
			}
			for r := range required {
				if !always[r] {
					t.Errorf("%q is required but may be left out", r)
				}
			}
		})
	}
	for name := range schemas {
		if _, known := types[name]; strings.HasPrefix(name, "Figures") && !known {
			t.Errorf("schema %s is compared with no Go type", name)
		}
	}
	op, err := resolve(doc, "#/paths/~1api~1v1~1figures/get/parameters")
	if err != nil {
		t.Fatal(err)
	}
	var params []string
	for _, p := range op.([]any) {
		params = append(params, p.(map[string]any)["name"].(string))
	}
	// The parameters ParseQuery reads.
	if want := []string{"from", "to", "division", "point", "department"}; !slices.Equal(params, want) {
		t.Errorf("query parameters %v, want %v", params, want)
	}
}
