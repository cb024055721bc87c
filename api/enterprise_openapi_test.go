package api

import (
	"testing"

	"github.com/onewindow/onewindow/enterprise"
)

// The enterprise fragment (openapi.d/enterprise.json) describes the Go types
// the enterprise routes encode and decode, field by field, and the domain's
// enums value by value, as the core document does for the core types.
func TestOpenAPIEnterpriseFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
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

	enums := []enumWant{
		{"#/components/schemas/EnterpriseStatus/enum", strs(enterprise.Statuses)},
		{"#/components/schemas/EnterpriseAction/enum", strs(enterprise.Actions)},
		{"#/components/schemas/EnterpriseCategory/enum", strs(enterprise.Categories)},
		{"#/components/schemas/EnterpriseParty/enum", strs([]enterprise.Party{enterprise.PartyEnterprise, enterprise.PartyTeam, enterprise.PartyAdmin})},
		{"#/components/schemas/EnterpriseStep/enum", strs([]enterprise.Step{enterprise.StepAccept, enterprise.StepPropose, enterprise.StepMeeting})},
		{"#/components/schemas/EnterpriseDeadlineStatus/enum", strs([]enterprise.DeadlineStatus{enterprise.DeadlinePending, enterprise.DeadlineMet,
			enterprise.DeadlineMetLate, enterprise.DeadlineMissed, enterprise.DeadlineNotNeeded})},
	}
	// EnterpriseAgent belongs to the delegation fragment, checked with it.
	fragment{responses: responses, requests: requests, prefix: "Enterprise", enums: enums,
		others: []string{"EnterpriseAgent"}}.check(t, doc)
}
