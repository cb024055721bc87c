package api

import (
	"testing"

	"github.com/onewindow/onewindow/delegation"
)

// The delegation fragment (openapi.d/delegation.json) describes the
// registered enterprises and their agents as the routes encode them.
func TestOpenAPIDelegationFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	fragment{
		responses: map[string]any{
			"RegisteredEnterprise":     delegation.Enterprise{},
			"RegisteredEnterprisePage": page[delegation.Enterprise]{},
			"EnterpriseAgent":          delegation.Agent{},
		},
		requests: map[string]any{
			"NewRegisteredEnterprise": delegation.RegisterRequest{},
			"AgentAuthorisation":      delegation.AuthoriseRequest{},
		},
	}.check(t, doc)
}
