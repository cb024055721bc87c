package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/catalog"
)

// An administrator downloads the catalogue as a workbook from the items
// page, corrects an item and uploads it; a workbook with a mistake imports
// nothing and the page says which cell is wrong.
func TestCatalogueWorkbookOnTheItemsPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.as(t, "zhouming").get("/admin/items/export").want(http.StatusForbidden)
		admin := e.as(t, "admin")
		admin.get("/admin/items").want(200).has(`href="/admin/items/export"`, `action="/admin/items/import"`, "导出事项目录（Excel）")
		res := admin.get("/admin/items/export").want(200)
		if ct := res.header.Get("Content-Type"); ct != catalog.XLSXContentType {
			t.Fatalf("content type %q", ct)
		}
		f, err := excelize.OpenReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		code, _ := f.GetCellValue("事项", "A2")
		oldName, _ := f.GetCellValue("事项", "C2")
		promised, _ := f.GetCellValue("事项", "I3")
		write := func() []byte {
			var b bytes.Buffer
			if err := f.Write(&b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		f.SetCellValue("事项", "C2", "网页导入改的名称")
		f.SetCellValue("事项", "I3", "三天")
		admin.get("/admin/items")
		admin.multipart("/admin/items/import", map[string]string{"publish": "true"}, map[string][]byte{"file": write()}).
			want(http.StatusUnprocessableEntity).has("事项!I3:promised_limit_days：", "不是整数", `action="/admin/items/import"`)
		admin.get("/admin/items?q=" + code).want(200).has(oldName).lacks("网页导入改的名称")

		f.SetCellValue("事项", "I3", promised)
		admin.get("/admin/items")
		res = admin.multipart("/admin/items/import", map[string]string{"publish": "true"}, map[string][]byte{"file": write()}).want(http.StatusSeeOther)
		admin.get(res.location()).want(200).has("导入完成：新增 0 个事项，更新 1 个", "发布 1 个")
		e.as(t, "").get("/items/" + code).want(200).has("网页导入改的名称")

		admin.lang = "en"
		admin.get("/admin/items")
		admin.multipart("/admin/items/import", nil, map[string][]byte{"file": []byte("not a workbook")}).
			want(http.StatusBadRequest).has("workbook: not a valid .xlsx workbook")
		admin.get("/admin/items")
		admin.multipart("/admin/items/import", nil, nil).want(http.StatusUnprocessableEntity).has("choose a catalogue file (.xlsx)")
	})
}
