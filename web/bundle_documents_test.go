package web_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
)

// A bundle application prints its notices as a single case does: the
// one-time notice (一次性告知书) while it waits for materials, listing every
// material still missing, and the notice of non-acceptance (不予受理通知书)
// once refused, with its reasons and the routes of appeal; each signed by
// the officer who acted. A notice the application does not have now is
// refused, one of another applicant's application is not shown.
func TestBundleNotices(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		id := bundleAwaitingSupply(t, e)
		path := "/bundle-cases/" + strconv.FormatInt(id, 10)
		deskUser := user(t, e, "hn_qiantai")
		b, err := e.svc.GetBundleCase(ctx, deskUser, id)
		if err != nil {
			t.Fatal(err)
		}
		def, err := e.cat.PublishedBundle(ctx, demo.BundleNewborn)
		if err != nil {
			t.Fatal(err)
		}
		g, err := e.cat.Guide(ctx, def)
		if err != nil {
			t.Fatal(err)
		}
		var missing, received []string
		for _, m := range catalog.Asked(g.Materials) {
			switch {
			case slices.Contains(b.Materials, m.Type):
				received = append(received, m.Name)
			case m.Requirement == catalog.Required || m.Requirement == catalog.Waivable:
				missing = append(missing, m.Name)
			}
		}
		if len(missing) == 0 || len(received) == 0 {
			t.Fatalf("the application should have materials both missing and received: %v / %v", missing, received)
		}

		desk := e.as(t, "hn_qiantai")
		desk.get(path).want(200).has(`id="bundle-docs"`, path+"/documents/missing").lacks(path + "/documents/not_accepted")
		notice := desk.get(path+"/documents/missing").want(200).has("一次性告知书", b.Number, b.BundleName, deskUser.Name).
			has(missing...).has(received...).lacks(`id="doc-qr-url"`)
		notice.has("一件事", "牵头部门")
		desk.get(path + "/documents/not_accepted").want(http.StatusConflict)
		desk.get(path + "/documents/permit").want(http.StatusNotFound)
		e.as(t, "yuxiulan").get(path + "/documents/missing").want(http.StatusNotFound)

		if _, err := e.svc.ActOnBundle(ctx, deskUser, id, cases.BundleNotAccept,
			cases.ActRequest{Reasons: []string{"申请人不属于本地户籍"}}); err != nil {
			t.Fatal(err)
		}
		desk.get(path).want(200).has(path + "/documents/not_accepted").lacks(path + "/documents/missing")
		desk.get(path + "/documents/missing").want(http.StatusConflict)
		zm := e.as(t, "zhouming")
		zm.get(path+"/documents/not_accepted").want(200).has("不予受理通知书", b.BundleName, "申请人不属于本地户籍", "行政复议", deskUser.Name)
		zm.lang = "en"
		zm.get(path+"/documents/not_accepted").want(200).has("Notice of non-acceptance", "Lead department", "administrative reconsideration").lacks("⟦")
	})
}
