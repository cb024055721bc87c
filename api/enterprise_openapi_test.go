package api

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/enterprise"
)

// The enterprise fragment (openapi.d/enterprise.json) describes the Go types
// the enterprise routes encode and decode, field by field, and the domain's
// enums value by value, as the core document does for the core types.
func TestOpenAPIEnterpriseFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	// Response types: required exactly when always encoded. Request types:
	// properties exactly the fields; required ones a subset.
	responses := map[string]any{
		"EnterpriseParticipant":   enterprise.Enterprise{},
		"EnterpriseRequest":       enterpriseRequestView{},
		"EnterpriseRequestDetail": enterpriseDetailView{},
		"EnterpriseRequestPage":   page[enterpriseRequestView]{},
		"EnterpriseDeadline":      enterprise.Deadline{},
		"EnterpriseEscalation":    enterprise.Escalation{},
		"EnterpriseEvent":         enterprise.Event{},
		"EnterpriseTeam":          enterprise.Team{},
		"EnterpriseTeamMember":    enterprise.Member{},
		"EnterpriseTeamPage":      page[enterprise.Team]{},
	}
	requests := map[string]any{
		"RaiseEnterpriseRequest": enterprise.RaiseRequest{},
		"EnterpriseActRequest":   enterprise.ActRequest{},
		"EnterpriseTeamInput":    enterprise.Team{},
	}
	check := func(name string, v any, exactRequired bool) {
		t.Run(name, func(t *testing.T) {
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			props, required := schemaFields(t, doc, s)
			all, always := jsonFields(reflect.TypeOf(v))
			for f := range all {
				if !props[f] {
					t.Errorf("JSON field %q is not a property of the schema", f)
				}
			}
			for p := range props {
				if !all[p] {
					t.Errorf("property %q is not a JSON field of %T", p, v)
				}
			}
			for r := range required {
				if exactRequired && !always[r] {
					t.Errorf("%q is required but may be left out (omitempty)", r)
				}
				if !all[r] {
					t.Errorf("%q is required but not a field", r)
				}
			}
			for f := range always {
				if exactRequired && !required[f] {
					t.Errorf("%q is always present but not required", f)
				}
			}
		})
	}
	for _, name := range slices.Sorted(maps.Keys(responses)) {
		check(name, responses[name], true)
	}
	for _, name := range slices.Sorted(maps.Keys(requests)) {
		check(name, requests[name], false)
	}

	enums := []struct {
		pointer string
		want    []string
	}{
		{"#/components/schemas/EnterpriseStatus/enum", strs(enterprise.Statuses)},
		{"#/components/schemas/EnterpriseAction/enum", strs(enterprise.Actions)},
		{"#/components/schemas/EnterpriseCategory/enum", strs(enterprise.Categories)},
		{"#/components/schemas/EnterpriseParty/enum", strs([]enterprise.Party{enterprise.PartyEnterprise, enterprise.PartyTeam, enterprise.PartyAdmin})},
		{"#/components/schemas/EnterpriseStep/enum", strs([]enterprise.Step{enterprise.StepAccept, enterprise.StepPropose, enterprise.StepMeeting})},
		{"#/components/schemas/EnterpriseDeadlineStatus/enum", strs([]enterprise.DeadlineStatus{enterprise.DeadlinePending, enterprise.DeadlineMet,
			enterprise.DeadlineMetLate, enterprise.DeadlineMissed, enterprise.DeadlineNotNeeded})},
	}
	for _, tt := range enums {
		t.Run(strings.TrimPrefix(tt.pointer, "#/components/schemas/"), func(t *testing.T) {
			v, err := resolve(doc, tt.pointer)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range v.([]any) {
				got = append(got, e.(string))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("enum %v, want %v", got, tt.want)
			}
		})
	}
}
