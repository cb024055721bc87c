package api

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/figures"
)

// The figures fragment (openapi.d/figures.json) describes the report the
// figures route encodes, field by field: required exactly when always encoded.
func TestOpenAPIFiguresFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
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
		"FiguresNotifications": figures.NotifyFigures{},
		"FiguresNotifyChannel": figures.NotifyChannel{},
		"FiguresNotifyMonth":   figures.NotifyMonth{},
	}
	fragment{responses: types, prefix: "Figures"}.check(t, doc)
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
