package web_test

import (
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
)

// The 开办企业一件事's 营业执照 comes from its first member's result: the
// portal, the online application and the desk's form mark it so, in both
// languages, and the desk's form offers no box to tick for it.
func TestBundleMaterialProvidedByMember(t *testing.T) {
	e := sqliteEnv(t)
	ctx := context.Background()
	def, err := e.cat.PublishedBundle(ctx, demo.BundleEnterprise)
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.cat.Guide(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(g.Materials, func(m catalog.MergedMaterial) bool {
		return m.Type == "business_licence" && slices.Equal(m.ProvidedBy, []string{demo.CodeBusinessLicence})
	}) {
		t.Fatalf("the guide's business licence is not provided by the first member: %+v", g.Materials)
	}
	visitor := e.client(t)
	visitor.get("/bundles").want(200).has("由本一件事中其他事项的办理结果提供")
	visitor.get("/bundles?lang=en").want(200).has("Provided by another member&#39;s result")
	desk := e.as(t, "hn_qiantai")
	desk.get("/desk/bundle?bundle=" + def.Code).want(200).has("由本一件事中其他事项的办理结果提供").lacks(`id="m-business_licence"`)
	desk.get("/desk/bundle?bundle=" + def.Code + "&lang=en").want(200).has("Provided by another member&#39;s result").lacks(`id="m-business_licence"`)
}
