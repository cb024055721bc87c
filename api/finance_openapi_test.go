package api

import (
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/onewindow/onewindow/finance"
	"github.com/onewindow/onewindow/targets"
)

// The finance fragment (openapi.d/finance.json) describes the Go types the
// financing, bridge-loan and 民生实事 routes encode and decode, field by
// field, and the domain's enums.
func TestOpenAPIFinanceFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	responses := map[string]any{
		"FinanceProduct":      finance.Product{},
		"FinanceNeed":         finance.Need{},
		"FinanceApplication":  finance.Application{},
		"FinanceMatch":        matchView{},
		"FinanceCheck":        checkView{},
		"BridgeLoan":          finance.BridgeLoan{},
		"FinanceGroup":        finance.Group{},
		"FinanceFigures":      finance.Figures{},
		"PublicServiceTarget": targets.Target{},
	}
	requests := map[string]any{
		"FinanceProductInput":      finance.ProductInput{},
		"FinanceNeedInput":         finance.NeedInput{},
		"FinanceActInput":          finance.ActInput{},
		"BridgeLoanInput":          finance.BridgeInput{},
		"BridgeLoanActInput":       finance.BridgeActInput{},
		"PublicServiceTargetInput": targets.TargetInput{},
		"TargetProgressInput":      targets.ReportInput{},
	}
	fragment{responses: responses, requests: requests}.check(t, doc)
	enum := func(name string) []string {
		var out []string
		for _, e := range schemas[name].(map[string]any)["enum"].([]any) {
			out = append(out, e.(string))
		}
		sort.Strings(out)
		return out
	}
	keys := func(m any) []string {
		var out []string
		for _, k := range reflect.ValueOf(m).MapKeys() {
			out = append(out, k.String())
		}
		sort.Strings(out)
		return out
	}
	for name, domain := range map[string]any{"FinanceCollateral": finance.CollateralNames, "FinanceIndustry": finance.Industries,
		"FinanceProductKind": finance.ProductKinds, "FinanceApplicationStatus": finance.StatusNames, "BridgeLoanStatus": finance.BridgeStatusNames,
		"PublicServiceTargetStanding": targets.StandingNames} {
		if got, want := enum(name), keys(domain); !slices.Equal(got, want) {
			t.Errorf("%s: enum %v, domain %v", name, got, want)
		}
	}
}
