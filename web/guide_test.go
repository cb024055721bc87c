package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

// The guide shows whom an item serves, its aliases, the steps, the common
// questions and the forms to download; a download is the demo's PDF, sent
// as an attachment; a hash the item does not list is not found. An
// administrator writes steps and questions and attaches a form, kept as the
// draft until published.
func TestGuideStepsQuestionsAndForms(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		if err := demo.PutGuideForms(e.pages.UploadDir); err != nil {
			t.Fatal(err)
		}
		guide := "/items/" + demo.CodeSocialInsuranceSubsidy
		page := e.client(t).get(guide).want(200)
		page.has(`id="steps"`, "办理流程", "补贴按月发放", `id="faq"`, "常见问题", "补贴多久能到账？", `id="downloads"`,
			"空白表格：社会保险补贴申请表", "示例样表：社会保险补贴申请表（示例）", "PDF, 2 KB", `id="book-visit"`)
		const blank = "a94f3a441b4fbd25fae26e2b4086e18289a98edecfcf13c4a0fc70103907eaed"
		dl := e.client(t).get(guide + "/documents/" + blank).want(200)
		if !strings.HasPrefix(dl.body, "%PDF-") || dl.header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("the blank form comes as %s, %s: %.20q", dl.header.Get("Content-Type"), dl.header.Get("Content-Disposition"), dl.body)
		}
		e.client(t).get(guide + "/documents/" + strings.Repeat("0", 64)).want(http.StatusNotFound)
		e.client(t).get("/items/" + demo.CodeFamilyPlanningConsult + "/documents/" + blank).want(http.StatusNotFound)
		en := e.client(t)
		en.lang = "en"
		en.get(guide).want(200).has("Steps", "Common questions", "Forms to download", "Blank form", "Who it is for")
		// 社保卡 is an alias of 社会保障卡申领: the guide shows it.
		e.client(t).get("/items/"+demo.CodeSocialSecurityCard).want(200).has(`id="aliases"`, "社保卡")

		admin := e.as(t, "admin")
		edit := "/admin/items/" + demo.CodeFamilyPlanningConsult + "/guide"
		admin.get("/admin/items/" + demo.CodeFamilyPlanningConsult).want(200).has(`href="` + edit + `"`)
		admin.get(edit).want(200)
		admin.post(edit, url.Values{"part": {"text"}, "steps": {"到窗口咨询\n当场答复"}, "faq": {"要带什么？"}}).
			want(http.StatusUnprocessableEntity).has("没有回答")
		admin.post(edit, url.Values{"part": {"text"}, "steps": {"到窗口咨询\n\n当场答复"}, "faq": {"要带什么？\n居民身份证。\n\n要收费吗？\n不收费。"}}).
			want(http.StatusSeeOther)
		admin.multipart(edit, map[string]string{"part": "attach", "kind": "sample", "name": "咨询登记表（示例）"}, map[string][]byte{"file": pngFile}).
			want(http.StatusSeeOther)
		admin.multipart(edit, map[string]string{"part": "attach", "kind": "sample", "name": "脚本"}, map[string][]byte{"file": []byte("#!/bin/sh\n")}).
			want(http.StatusUnprocessableEntity).has("只接受PDF、JPEG或PNG文件")
		public := "/items/" + demo.CodeFamilyPlanningConsult
		e.client(t).get(public).want(200).lacks("当场答复", "咨询登记表")
		versions, err := e.cat.Versions(t.Context(), demo.CodeFamilyPlanningConsult)
		if err != nil {
			t.Fatal(err)
		}
		draft := versions[0]
		if len(draft.Steps) != 2 || len(draft.FAQ) != 2 || len(draft.Documents) != 1 || draft.Documents[0].ContentType != "image/png" {
			t.Fatalf("the draft holds steps %q, questions %+v, documents %+v", draft.Steps, draft.FAQ, draft.Documents)
		}
		if _, err := e.cat.Publish(t.Context(), user(t, e, "admin"), draft.Code, draft.Version); err != nil {
			t.Fatal(err)
		}
		e.client(t).get(public).want(200).has("当场答复", "要收费吗？", "示例样表：咨询登记表（示例）")
		e.client(t).get(public + "/documents/" + draft.Documents[0].FileHash).want(200)
		admin.post(edit, url.Values{"part": {"remove"}, "hash": {draft.Documents[0].FileHash}}).want(http.StatusSeeOther)
		if versions, err = e.cat.Versions(t.Context(), demo.CodeFamilyPlanningConsult); err != nil || len(versions[0].Documents) != 0 {
			t.Errorf("after removing, the draft holds %+v (%v)", versions[0].Documents, err)
		}
	})
}
