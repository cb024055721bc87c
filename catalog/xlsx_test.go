package catalog_test

import (
	"archive/zip"
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// sheet is one worksheet of a workbook built by a test.
type sheet struct {
	name string
	rows [][]any // row i is written to row i+1; nil rows stay blank
}

// workbook builds an .xlsx file with the given sheets, in order.
func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func exportXLSX(t *testing.T, s *catalog.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.ExportXLSX(ctx, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var itemsHeaderZH = []any{"实施编码", "基本编码", "事项名称", "事项类型", "实施主体编码", "行使层级", "法定办结时限", "承诺办结时限"}

func TestXLSXRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		source := loadRich(t, db)
		data := exportXLSX(t, source)

		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); !slices.Equal(got, []string{"事项", "材料", "部门", "说明"}) {
			t.Errorf("sheets %v", got)
		}
		for cell, want := range map[string]string{"A1": "实施编码", "I1": "承诺办结时限", "A2": "220523-SCJG-007", "E2": "01", "G2": "4|5"} {
			if got, _ := f.GetCellValue("事项", cell); got != want {
				t.Errorf("事项!%s = %q, want %q", cell, got, want)
			}
		}
		// Time limits are numbers a spreadsheet can add up; codes stay text.
		// (A number cell may leave its type unset: number is the default.)
		if typ, _ := f.GetCellType("事项", "I2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("事项!I2 has type %v, want a number", typ)
		}
		if typ, _ := f.GetCellType("事项", "E2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("事项!E2 has type %v, want text", typ)
		}
		if got, _ := f.GetCellValue("材料", "A1"); got != "事项编码" {
			t.Errorf("材料!A1 = %q", got)
		}
		if got, _ := f.GetCellValue("部门", "D1"); got != "统一社会信用代码" {
			t.Errorf("部门!D1 = %q", got)
		}

		c, err := catalog.ParseXLSX(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		other := catalog.NewStore(freshDB(t, db))
		rep, err := other.Import(ctx, auth.System, c, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep != (catalog.ImportReport{Departments: 2, ItemsCreated: 42, Published: 42}) {
			t.Errorf("report %+v", rep)
		}
		// The workbook carries every field: the JSON of both catalogues agrees.
		if a, b := exportJSON(t, source), exportJSON(t, other); a != b {
			t.Errorf("content lost through the workbook:\n%s", firstDifference(a, b))
		}
	})
}

func TestParseXLSXNamesSheetCellAndColumn(t *testing.T) {
	items := sheet{"事项", [][]any{
		append(slices.Clone(itemsHeaderZH), "收费", "面向自然人"),
		{"A-1", "B1", "营业执照", "01", "HN-SCJG", "4|5", 20, 5, "工本费:1000", "是"},
		{"A-2", "B2", "", "01", "HN-SCJG", "4", 20, 5},
		{"A-3", "B3", "许可", "01", "HN-SCJG", "4", 5, 10},
		nil, // a blank row is skipped, and the rows after it keep their numbers
		{"A-4", "B4", "许可", "01", "HN-SCJG", "x", 5, 1},
		{"A-1", "B5", "重复编码", "01", "HN-SCJG", "4", 1, 1},
		{"A-6", "B6", "许可", "01", "HN-SCJG", "4", 1, 1, "工本费", "也许"},
		{"A-7", "B7", "许可", "01", "HN-SCJG", "4", 1, "one"},
	}}
	materials := sheet{"材料", [][]any{
		{"事项编码", "材料名称", "材料类型", "必要性"},
		{"A-1", "居民身份证", "id_card", "required"},
		{"A-9", "居民身份证", "id_card", "required"},
		{"A-1", "身份证复印件", "id_card", "optional"},
		{"A-2", "照片", "photo", "sometimes"},
	}}
	departments := sheet{"部门", [][]any{
		{"部门编码", "部门名称", "统一社会信用代码"},
		{"HN-SCJG", "辉南县市场监督管理局", "91350100M000100Y44"},
	}}
	_, err := catalog.ParseXLSX(bytes.NewReader(workbook(t, items, materials, departments)))
	want := []string{
		"事项!C3:name",
		"事项!H4:promised_limit_days",
		"事项!F6:levels",
		"事项!A7:code",
		"事项!I8:fees",
		"事项!J8:serves_persons",
		"事项!H9:promised_limit_days",
		"材料!A3:item_code",
		"材料!C4:type",
		"材料!D5:requirement",
		"部门!C2:credit_code",
	}
	if got := fieldsOf(t, err); !slices.Equal(got, want) {
		t.Errorf("fields\n got %v\nwant %v", got, want)
	}
}

func TestParseXLSXMalformed(t *testing.T) {
	header := sheet{"事项", [][]any{itemsHeaderZH}}
	good := sheet{"事项", [][]any{itemsHeaderZH, {"A-1", "B1", "营业执照", "01", "HN-SCJG", "4", 20, 5}}}
	var zipNoWorkbook bytes.Buffer
	zw := zip.NewWriter(&zipNoWorkbook)
	w, _ := zw.Create("hello.txt")
	w.Write([]byte("not a workbook"))
	zw.Close()
	truncated := workbook(t, good)
	truncated = truncated[:len(truncated)/2]

	cases := []struct {
		name string
		data []byte
		code apperr.Code
		want []string
	}{
		{"not a zip file", []byte("code,base_code\nA,B\n"), apperr.BadRequest, []string{"workbook"}},
		{"empty input", nil, apperr.BadRequest, []string{"workbook"}},
		{"a zip file without a workbook", zipNoWorkbook.Bytes(), apperr.BadRequest, []string{"workbook"}},
		{"cut short", truncated, apperr.BadRequest, []string{"workbook"}},
		{"a new empty workbook", workbook(t, sheet{"Sheet1", nil}), apperr.Invalid, []string{"workbook"}},
		{"items sheet empty", workbook(t, sheet{"事项", nil}), apperr.Invalid, []string{"事项!A1"}},
		{"unknown sheet", workbook(t, good, sheet{"备注", [][]any{{"随便写写"}}}), apperr.Invalid, []string{"备注!A1"}},
		{"two items sheets", workbook(t, good, sheet{"Items", [][]any{itemsHeaderZH}}), apperr.Invalid, []string{"Items!A1"}},
		{"unknown column", workbook(t, sheet{"事项", [][]any{append(slices.Clone(itemsHeaderZH), "颜色")}}), apperr.Invalid, []string{"事项!I1:颜色"}},
		{"missing column", workbook(t, sheet{"事项", [][]any{itemsHeaderZH[:7]}}), apperr.Invalid, []string{"事项!1:promised_limit_days"}},
		{"column twice", workbook(t, sheet{"事项", [][]any{append(slices.Clone(itemsHeaderZH), "code")}}), apperr.Invalid, []string{"事项!I1:code"}},
		{"value beyond the header", workbook(t, sheet{"事项", [][]any{itemsHeaderZH,
			{"A-1", "B1", "营业执照", "01", "HN-SCJG", "4", 20, 5, nil, "多出来的"}}}), apperr.Invalid, []string{"事项!J2"}},
		{"materials of an item not in the workbook", workbook(t, good,
			sheet{"材料", [][]any{{"事项编码", "材料名称", "材料类型", "必要性"}, {"Z-9", "身份证", "id_card", "required"}}}),
			apperr.Invalid, []string{"材料!A2:item_code"}},
		{"a material sheet too broken to read", workbook(t, good, sheet{"材料", [][]any{{"事项编码", "名称"}}}),
			apperr.Invalid, []string{"材料!B1:名称", "材料!1:name", "材料!1:requirement", "材料!1:type"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parsed, err := catalog.ParseXLSX(bytes.NewReader(c.data))
			if err == nil {
				t.Fatalf("accepted, with %d items", len(parsed.Items))
			}
			ae := wantCode(t, err, c.code)
			var got []string
			for _, f := range ae.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
			for _, f := range ae.Fields {
				if f.Message.ZH == "" || f.Message.EN == "" {
					t.Errorf("%s: a message in one language only: %+v", f.Field, f.Message)
				}
			}
		})
	}
	t.Run("a header row alone is an empty catalogue", func(t *testing.T) {
		c, err := catalog.ParseXLSX(bytes.NewReader(workbook(t, header)))
		if err != nil || len(c.Items) != 0 {
			t.Fatalf("got %v, %v", c, err)
		}
	})
}

func TestParseXLSXAcceptsWhatPeopleWrite(t *testing.T) {
	// English sheet and header names, another column order, a sheet named
	// only by its header, the export's readme, an empty third sheet, cells
	// typed as numbers and booleans, and blank rows above the header.
	items := sheet{"items", [][]any{nil, nil,
		{"Levels", " Code ", "base_code", "name", "type", "department", "legal_limit_days", "promised_limit_days", "serves_persons", "supplement_days"},
		{"6|4", "Z-1", "B", "名称", "20", "HN-RSJ", 0, 0, true, 7},
	}}
	materials := sheet{"Sheet2", [][]any{
		{"item_code", "name", "type", "requirement", "copies"},
		{"Z-1", "居民身份证", "id_card", "required", 2},
	}}
	c, err := catalog.ParseXLSX(bytes.NewReader(workbook(t, items, materials, sheet{"说明", [][]any{{"随便写写"}}}, sheet{"Sheet3", nil})))
	if err != nil {
		t.Fatal(err)
	}
	it := c.Items[0]
	if it.Code != "Z-1" || !slices.Equal(it.Levels, []int{4, 6}) || it.Type != "20" || !it.ServesPersons || it.SupplementDays != 7 {
		t.Errorf("parsed %+v", it)
	}
	if len(it.Materials) != 1 || it.Materials[0].Copies != 2 {
		t.Errorf("materials %+v", it.Materials)
	}
}

func TestImportXLSXWritesAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := loadRich(t, db)
		count := func() map[string]int {
			m := map[string]int{}
			for _, tb := range []string{"departments", "items", "item_versions", "audit_log"} {
				m[tb] = rowCount(t, db, tb)
			}
			return m
		}
		before := count()
		admin := auth.User{ID: 1, Username: "admin", Role: auth.RoleAdmin}
		// Every row is well formed; one names a department that exists
		// nowhere, which only the import's transaction finds.
		rows := [][]any{itemsHeaderZH,
			{"NEW-1", "B1", "新事项", "01", "HN-SCJG", "4", 20, 5},
			{"GEN-00001", "B", "改名", "01", "HN-SCJG", "4", 1, 1},
			{"NEW-2", "B2", "新事项二", "01", "HN-GONE", "4", 1, 1},
		}
		c, err := catalog.ParseXLSX(bytes.NewReader(workbook(t, sheet{"事项", rows})))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Import(ctx, admin, c, true)
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"事项!E4:department"}) {
			t.Errorf("fields %v, want 事项!E4:department", got)
		}
		if after := count(); !maps.Equal(after, before) {
			t.Errorf("rows after a refused import %v, before %v", after, before)
		}
		if it, _ := s.Published(ctx, "GEN-00001"); it.Name == "改名" {
			t.Error("a refused import renamed an item")
		}

		// Without the bad row the import goes in whole, with its audit record.
		c, err = catalog.ParseXLSX(bytes.NewReader(workbook(t, sheet{"事项", rows[:3]})))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.Import(ctx, admin, c, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep != (catalog.ImportReport{ItemsCreated: 1, ItemsUpdated: 1, Published: 2}) {
			t.Errorf("report %+v", rep)
		}
		after := count()
		if after["audit_log"] != before["audit_log"]+1 || after["items"] != before["items"]+1 {
			t.Errorf("rows after the import %v, before %v", after, before)
		}
		recs, err := audit.List(ctx, db, audit.Filter{Object: "catalog", Limit: 1})
		if err != nil || len(recs) != 1 || !strings.Contains(recs[0].Detail, `"items_created":1`) || !strings.Contains(recs[0].Detail, `"publish":true`) {
			t.Errorf("audit record %+v, %v", recs, err)
		}
	})
}

func TestImportFilesAndExportXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		source := loadRich(t, db)
		dir := t.TempDir()
		var out bytes.Buffer
		if code := runExport(ctx, source, "xlsx", dir, &out); code != 0 {
			t.Fatalf("export xlsx: exit %d", code)
		}
		path := filepath.Join(dir, catalog.XLSXFileName)
		if strings.TrimSpace(out.String()) != path {
			t.Errorf("printed %q, want the path %s", out.String(), path)
		}
		other := catalog.NewStore(freshDB(t, db))
		var stdout, stderr bytes.Buffer
		if code := runImport(ctx, other, []string{path}, true, &stdout, &stderr); code != 0 {
			t.Fatalf("import: exit %d: %s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "42 items created") {
			t.Errorf("report %q, want 42 items created", stdout.String())
		}

		broken := filepath.Join(dir, "broken.xlsx")
		if err := os.WriteFile(broken, workbook(t, sheet{"事项", [][]any{itemsHeaderZH,
			{"A-3", "B3", "", "01", "HN-SCJG", "4", 1, 1}, {"A-4", "B4", "名称", "01", "HN-SCJG", "9", 1, 1}}}), 0o600); err != nil {
			t.Fatal(err)
		}
		stderr.Reset()
		if code := runImport(ctx, other, []string{broken}, true, &stdout, &stderr); code != 1 {
			t.Errorf("broken import: exit %d, want 1", code)
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], broken+": 事项!C2:name: ") || !strings.HasPrefix(lines[1], broken+": 事项!F3:levels: ") {
			t.Errorf("errors printed as %q", lines)
		}
		stderr.Reset()
		if code := runImport(ctx, other, []string{path, broken}, true, &stdout, &stderr); code != 2 {
			t.Errorf("two workbooks: exit %d, want 2", code)
		}
	})
}

func FuzzParseXLSX(f *testing.F) {
	s := catalog.NewStore(storetest.SQLite(f))
	depts, items := richCatalogue()
	if err := s.Load(ctx, auth.System, depts, items[:5], true); err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.ExportXLSX(ctx, &b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(workbook(f, sheet{"事项", [][]any{itemsHeaderZH, {"A-1", "B1", "名称", "01", "HN-SCJG", "4", 20, 5}}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := catalog.ParseXLSX(bytes.NewReader(data))
		checkParsed(t, c, err)
	})
}
