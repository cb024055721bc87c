package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/catalog"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// A province administrator exports the catalogue as a workbook, corrects an
// item in a spreadsheet program and imports it again; a workbook with a
// mistake imports nothing and says which cell is wrong.
func TestCatalogueWorkbookExchange(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.call("GET", "/api/v1/items/export", "", nil).problem(401, "token_required")
		e.call("GET", "/api/v1/items/export", "hn_dating", nil).problem(403, "role_not_allowed")
		if p := e.call("GET", "/api/v1/items/export?format=csv", "admin", nil).problem(422, "validation_failed"); !p.hasField("format") {
			t.Errorf("the bad format is not named: %+v", p.Errors)
		}

		res := e.call("GET", "/api/v1/items/export", "admin", nil).want(200)
		if ct := res.header.Get("Content-Type"); ct != xlsxType {
			t.Fatalf("content type %q", ct)
		}
		f, err := excelize.OpenReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("事项")
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Total int }
		e.call("GET", "/api/v1/items?limit=1", "", nil).want(200).decode(&page)
		if len(rows)-1 != page.Total || rows[0][0] != "实施编码" || rows[0][2] != "事项名称" {
			t.Fatalf("the workbook has %d item rows under %v, want the %d published items", len(rows)-1, rows[0][:3], page.Total)
		}
		code, oldName := rows[1][0], rows[1][2]

		// A mistake in the third row: nothing is imported, and the cell is named.
		if err := f.SetCellValue("事项", "C2", "改过的名称"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue("事项", "I3", "三天"); err != nil {
			t.Fatal(err)
		}
		var broken bytes.Buffer
		if err := f.Write(&broken); err != nil {
			t.Fatal(err)
		}
		p := e.call("POST", "/api/v1/items/import?publish=true", "admin", broken.Bytes(), "Content-Type", xlsxType).problem(422, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "事项!I3:promised_limit_days" {
			t.Errorf("problems %+v, want one at 事项!I3:promised_limit_days", p.Errors)
		}
		var it catalog.Item
		e.call("GET", "/api/v1/items/"+code, "", nil).want(200).decode(&it)
		if it.Name != oldName {
			t.Fatalf("a refused import renamed %s to %q", code, it.Name)
		}

		// Corrected, it goes in: one item changes, the rest are left alone.
		if err := f.SetCellValue("事项", "I3", rows[2][8]); err != nil {
			t.Fatal(err)
		}
		var fixed bytes.Buffer
		if err := f.Write(&fixed); err != nil {
			t.Fatal(err)
		}
		e.call("POST", "/api/v1/items/import", "hn_dating", fixed.Bytes(), "Content-Type", xlsxType).problem(403, "role_not_allowed")
		var rep catalog.ImportReport
		e.call("POST", "/api/v1/items/import?publish=true", "admin", fixed.Bytes(), "Content-Type", xlsxType).want(200).decode(&rep)
		if rep.ItemsUpdated != 1 || rep.Published != 1 || rep.ItemsUnchanged != page.Total-1 || rep.ItemsCreated != 0 {
			t.Errorf("report %+v, want one item updated and published, %d unchanged", rep, page.Total-1)
		}
		e.call("GET", "/api/v1/items/"+code, "", nil).want(200).decode(&it)
		if it.Name != "改过的名称" {
			t.Errorf("after the import %s is named %q", code, it.Name)
		}
		var audits struct {
			Items []struct{ Action, Actor, Detail string }
		}
		e.call("GET", "/api/v1/audit?object=catalog", "admin", nil).want(200).decode(&audits)
		// Newest first: the import, then the demo's load by the system.
		if len(audits.Items) != 2 || audits.Items[0].Action != "catalog.import" || audits.Items[0].Actor != "admin" ||
			!strings.Contains(audits.Items[0].Detail, `"items_updated":1`) ||
			audits.Items[1].Action != "catalog.load" || audits.Items[1].Actor != "system" {
			t.Errorf("audit records %+v, want the import after the demo's load", audits.Items)
		}

		// The same catalogue as JSON changes nothing.
		doc := e.call("GET", "/api/v1/items/export?format=json", "admin", nil).want(200)
		if ct := doc.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("JSON export has content type %q", ct)
		}
		rep = catalog.ImportReport{}
		e.call("POST", "/api/v1/items/import?publish=true", "admin", doc.body).want(200).decode(&rep)
		if rep.ItemsUnchanged != page.Total || rep.ItemsUpdated+rep.ItemsCreated != 0 {
			t.Errorf("re-importing the export: %+v", rep)
		}
	})
}

func TestCatalogueImportRefusals(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		if p := e.call("POST", "/api/v1/items/import", "admin", []byte("not a workbook"), "Content-Type", xlsxType).problem(400, "invalid_xlsx"); !p.hasField("workbook") {
			t.Errorf("problems %+v, want the field workbook", p.Errors)
		}
		e.call("POST", "/api/v1/items/import", "admin", []byte("code,name\n"), "Content-Type", "text/csv").problem(415, "unsupported_media_type")
		if p := e.call("POST", "/api/v1/items/import?publish=maybe", "admin", []byte("{}")).problem(422, "validation_failed"); !p.hasField("publish") {
			t.Errorf("problems %+v, want the field publish", p.Errors)
		}
		e.call("POST", "/api/v1/items/import", "", []byte("{}")).problem(401, "token_required")
	})
}
