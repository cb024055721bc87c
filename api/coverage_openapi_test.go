package api

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
)

// The coverage fragment (openapi.d/coverage.json) describes the Go types its
// routes encode and decode field by field, and its query parameters are the
// ones the handlers read.
func TestOpenAPICoverageFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	responses := map[string]any{
		"Region":               region.Region{},
		"RegionPage":           page[region.Region]{},
		"RegionRef":            coverage.RegionRef{},
		"RegionDetail":         coverage.RegionDetail{},
		"ImportResult":         coverage.ImportResult{},
		"CoverageItemRef":      coverage.ItemRef{},
		"CoverageServiceItems": coverage.ServiceItems{},
		"PointDetail":          coverage.PointDetail{},
		"CoverageModel":        coverage.Model{},
		"CoverageLevel":        coverage.LevelStats{},
		"CoverageChild":        coverage.ChildStats{},
		"CoverageGap":          coverage.Gap{},
		"CoverageReport":       coverage.Report{},
		"CoverageLevelRate":    coverage.LevelRate{},
		"CoveragePlannedPoint": coverage.PlannedPoint{},
		"CoveragePlan":         coverage.Plan{},
		"CoverageTarget":       coverage.Target{},
		"CoverageTargetList":   targetList{},
		"CoverageLevelItems":   coverage.LevelItems{},
		"CoverageService":      coverage.ServiceInfo{},
		"CoverageServiceList":  serviceList{},
	}
	requests := map[string]any{
		"CoveragePlanRequest":        coverage.PlanRequest{},
		"CoverageLevelTarget":        coverage.LevelTarget{},
		"CoverageServiceDepartments": serviceDepartments{},
	}
	fragment{responses: responses, requests: requests, prefix: "Coverage"}.check(t, doc)

	t.Run("service enum", func(t *testing.T) {
		v, err := resolve(doc, "#/paths/~1api~1v1~1coverage~1services~1{service}/parameters/2/schema/enum")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range v.([]any) {
			got = append(got, e.(string))
		}
		if !sameSet(got, keys(network.ServiceNames)) {
			t.Errorf("enum %v, want %v", got, keys(network.ServiceNames))
		}
	})

	ops := operations(t, doc)
	model := []string{"service", "minutes", "region", "gaps", "detour", "speed_urban", "speed_rural", "speed_mountain"}
	queries := []struct {
		op   string
		want []string
	}{
		{"GET /api/v1/regions", []string{"parent", "within", "level", "q", "limit", "offset"}},
		{"GET /api/v1/points/export", []string{"format"}},
		{"GET /api/v1/coverage", model},
		{"GET /api/v1/coverage/geojson", model},
		{"GET /api/v1/coverage/targets", []string{"service"}},
		{"POST /api/v1/coverage/roads", []string{"name"}},
	}
	for _, tt := range queries {
		t.Run(tt.op, func(t *testing.T) {
			o, ok := ops[tt.op]
			if !ok {
				t.Fatalf("%s is not documented", tt.op)
			}
			var got []string
			for k := range parameters(t, doc, o) {
				if name, ok := strings.CutPrefix(k, "query:"); ok && name != "lang" {
					got = append(got, name)
				}
			}
			if !sameSet(got, tt.want) {
				t.Errorf("query parameters = %v, want %v", sorted(got), sorted(tt.want))
			}
		})
	}
}
