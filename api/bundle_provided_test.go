package api_test

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/demo/demotest"
	"github.com/onewindow/onewindow/store"
)

// On a server that issues licences, the 开办企业一件事's guide names the
// member whose result provides the 营业执照; the other materials name none.
func TestBundleGuideProvidedByMember(t *testing.T) {
	demotest.Each(t, clocktest.Now(t), func(t *testing.T, db *store.DB) {
		e := newLicenceEnv(t, db)
		var g struct {
			Materials []struct {
				Type       string   `json:"type"`
				ProvidedBy []string `json:"provided_by"`
			} `json:"materials"`
		}
		e.call("GET", "/api/v1/bundles/"+demo.BundleEnterprise, "", nil).want(200).decode(&g)
		provided := 0
		for _, m := range g.Materials {
			switch {
			case m.Type == "business_licence" && slices.Equal(m.ProvidedBy, []string{demo.CodeBusinessLicence}):
				provided++
			case len(m.ProvidedBy) > 0:
				t.Errorf("%s is provided by %v", m.Type, m.ProvidedBy)
			}
		}
		if provided != 1 {
			t.Fatalf("the guide's materials: %+v", g.Materials)
		}
	})
}
