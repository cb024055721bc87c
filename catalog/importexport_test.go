package catalog_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// freshDB opens another empty database on the same engine as db.
func freshDB(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	if db.Dialect() == store.Postgres {
		other, _ := storetest.Postgres(t)
		return other
	}
	return storetest.SQLite(t)
}

// richCatalogue uses every field, and text that CSV must quote.
func richCatalogue() ([]catalog.Department, []catalog.Item) {
	depts := []catalog.Department{market(), social()}
	full := catalog.Item{
		Code: "220523-SCJG-007", BaseCode: "000105007000", Name: "食品经营许可，新办", NameEN: `food "business" licence`,
		Type: "01", DepartmentCode: "HN-SCJG", Levels: []int{4, 5}, LegalLimitDays: 20, PromisedLimitDays: 5,
		Fees:   []catalog.Fee{{Name: "工本费", AmountFen: 1050, Basis: "吉价费〔2020〕1号: 第三条"}, {Name: "邮寄费", AmountFen: 0}},
		Visits: 1, OnlineDepth: []string{catalog.DepthConsult, catalog.DepthReceive, catalog.DepthPreReview},
		ResultType: "证照", ResultName: "食品经营许可证", Conditions: "一、有与经营相适应的场所；\n二、有食品安全管理人员。",
		Basis: "《中华人民共和国食品安全法》第三十五条", Location: "辉南县政务服务中心 3 号窗口", Hours: "周一至周五 8:30-16:30",
		Contact: "0435-1234567", SupplementDays: 10, LifeEvents: []string{"开办企业", "餐饮"},
		ServesEnterprises: true, ServesPersons: true,
		Materials: []catalog.Material{
			{Name: "营业执照", Type: "business_licence", Requirement: catalog.Required, Originals: 1, Copies: 1,
				Form: catalog.FormEither, Source: catalog.SourceGovernment, Description: "可通过共享获取, \"无需\"提交", Licence: "SCJG-YYZZ"},
			{Name: "经营场所平面图", Type: "floor_plan", Requirement: catalog.Waivable, Copies: 2, Form: catalog.FormPaper,
				Source: catalog.SourceApplicant, Sample: "https://example.org/sample.pdf", Description: "标明面积\n及布局"},
		},
		Fields: []catalog.FormField{
			{Key: "shop_name", Label: "店铺名称, \"招牌\"", LabelEN: "shop name", Type: "text", Required: true},
			{Key: "category", Label: "经营类别", Type: "select", Options: []string{"热食", "冷食"}},
		},
	}
	minimal := item("RS-001", "HN-RSJ", "社会保险补贴申领")
	return depts, append([]catalog.Item{full, minimal}, generated(40, "HN-SCJG", "HN-RSJ")...)
}

func loadRich(t *testing.T, db *store.DB) *catalog.Store {
	t.Helper()
	s := catalog.NewStore(db)
	depts, items := richCatalogue()
	if err := s.Load(ctx, auth.System, depts, items, true); err != nil {
		t.Fatal(err)
	}
	// A draft and a retired version must not leak into exports.
	next := items[1]
	next.Name = "新名称"
	if _, err := s.SaveDraft(ctx, auth.System, next); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveDraft(ctx, auth.System, item("DRAFT-ONLY", "HN-RSJ", "只有草稿")); err != nil {
		t.Fatal(err)
	}
	return s
}

func exportJSON(t *testing.T, s *catalog.Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.Export(ctx, &b, "json"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func exportCSV(t *testing.T, s *catalog.Store) (items, materials, departments string) {
	t.Helper()
	var i, m, d bytes.Buffer
	if err := s.ExportCSV(ctx, &i, &m, &d); err != nil {
		t.Fatal(err)
	}
	return i.String(), m.String(), d.String()
}

func TestJSONRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		first := exportJSON(t, loadRich(t, db))
		if strings.Contains(first, "DRAFT-ONLY") || strings.Contains(first, "新名称") || strings.Contains(first, `"version"`) {
			t.Fatal("the export holds drafts or version numbers; it must hold published content only")
		}
		c, err := catalog.ParseJSON(strings.NewReader(first))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Departments) != 2 || len(c.Items) != 42 {
			t.Fatalf("parsed %d departments and %d items, want 2 and 42", len(c.Departments), len(c.Items))
		}
		other := catalog.NewStore(freshDB(t, db))
		rep, err := other.Import(ctx, auth.System, c, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep != (catalog.ImportReport{Departments: 2, ItemsCreated: 42, Published: 42}) {
			t.Errorf("report %+v", rep)
		}
		if second := exportJSON(t, other); second != first {
			t.Errorf("export → import → export differs:\n%s", firstDifference(first, second))
		}
	})
}

func TestCSVRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		source := loadRich(t, db)
		items, materials, departments := exportCSV(t, source)
		c, err := catalog.ParseCSV(strings.NewReader(items), strings.NewReader(materials), strings.NewReader(departments))
		if err != nil {
			t.Fatal(err)
		}
		other := catalog.NewStore(freshDB(t, db))
		if _, err := other.Import(ctx, auth.System, c, true); err != nil {
			t.Fatal(err)
		}
		i2, m2, d2 := exportCSV(t, other)
		for _, f := range []struct{ name, a, b string }{{"items", items, i2}, {"materials", materials, m2}, {"departments", departments, d2}} {
			if f.a != f.b {
				t.Errorf("%s.csv differs after a round trip:\n%s", f.name, firstDifference(f.a, f.b))
			}
		}
		// CSV must carry every field: the JSON of both catalogues agrees.
		if a, b := exportJSON(t, source), exportJSON(t, other); a != b {
			t.Errorf("content lost through CSV:\n%s", firstDifference(a, b))
		}
	})
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  " + al[i] + "\n  " + bl[i]
		}
	}
	return "lengths " + strconv.Itoa(len(al)) + " and " + strconv.Itoa(len(bl)) + " lines"
}

const goodItemsCSV = `code,base_code,name,type,department,levels,legal_limit_days,promised_limit_days
A-1,B1,营业执照设立登记,01,HN-SCJG,4|5,20,5
A-2,B2,食品经营许可,01,HN-SCJG,4,20,10
`

func TestParseCSVReportsEveryError(t *testing.T) {
	items := `code,base_code,name,type,department,levels,legal_limit_days,promised_limit_days,fees,serves_persons
A-1,B1,营业执照,01,HN-SCJG,4|5,20,5,工本费:1000,true
A-2,B2,,01,HN-SCJG,4,20,5,,
A-3,B3,许可,01,HN-SCJG,4,5,10,,

A-4,B4,许可,01,HN-SCJG,x,5,1,,
A-1,B5,重复编码,01,HN-SCJG,4,1,1,,
A-6,B6,许可,01,HN-SCJG,4,1,1,工本费,maybe
A-7,B7,"多行
名称",01,HN-SCJG,4,1,one,,
`
	materials := `item_code,name,type,requirement
A-1,居民身份证,id_card,required
A-9,居民身份证,id_card,required
A-1,身份证复印件,id_card,optional
A-2,照片,photo,sometimes
`
	departments := `code,name,credit_code
HN-SCJG,辉南县市场监督管理局,91350100M000100Y44
`
	_, err := catalog.ParseCSV(strings.NewReader(items), strings.NewReader(materials), strings.NewReader(departments))
	want := []string{
		"departments.csv:2:credit_code",
		"items.csv:3:name",
		"items.csv:4:promised_limit_days",
		"items.csv:6:levels",
		"items.csv:7:code",
		"items.csv:8:fees",
		"items.csv:8:serves_persons",
		"items.csv:9:promised_limit_days",
		"materials.csv:3:item_code",
		"materials.csv:4:type",
		"materials.csv:5:requirement",
	}
	if got := fieldsOf(t, err); !slices.Equal(got, want) {
		t.Errorf("fields\n got %v\nwant %v", got, want)
	}
}

func TestParseCSVFileShape(t *testing.T) {
	cases := []struct {
		name  string
		items string
		want  []string
	}{
		{"unknown column", "code,base_code,name,type,department,levels,legal_limit_days,promised_limit_days,colour\n", []string{"items.csv:1:colour"}},
		{"missing required column", "code,base_code,name,type,department,legal_limit_days,promised_limit_days\n", []string{"items.csv:1:levels"}},
		{"column twice", "code,code,base_code,name,type,department,levels,legal_limit_days,promised_limit_days\n", []string{"items.csv:1:code"}},
		{"empty file", "", []string{"items.csv:1"}},
		{"row too short", goodItemsCSV + "A-3,B3,名称\n", []string{"items.csv:4"}},
		{"bare quote", goodItemsCSV + "A-3,B\"3,名称,01,HN-SCJG,4,1,1\n", []string{"items.csv:4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := catalog.ParseCSV(strings.NewReader(c.items), nil, nil)
			if got := fieldsOf(t, err); !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
	t.Run("byte-order mark, capitals and column order", func(t *testing.T) {
		text := "\ufeffLevels, Code ,base_code,name,type,department,legal_limit_days,promised_limit_days\n6|4,Z-1,B,名称,20,HN-RSJ,0,0\n"
		c, err := catalog.ParseCSV(strings.NewReader(text), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		it := c.Items[0]
		if it.Code != "Z-1" || !slices.Equal(it.Levels, []int{4, 6}) || it.Type != "20" || it.SupplementDays != catalog.DefaultSupplement {
			t.Errorf("parsed %+v", it)
		}
	})
	t.Run("no items file", func(t *testing.T) {
		_, err := catalog.ParseCSV(nil, nil, nil)
		wantCode(t, err, apperr.BadRequest)
	})
}

func TestParseJSONErrors(t *testing.T) {
	cases := []struct {
		name string
		text string
		code apperr.Code
		want []string
	}{
		{"syntax error on line 3", "{\n\"items\": [\n{,}]}", apperr.BadRequest, []string{"json:3"}},
		{"unknown field", `{"items": [{"code": "A", "colour": "red"}]}`, apperr.BadRequest, []string{"json:1"}},
		{"wrong type", "{\"items\": [\n{\"levels\": \"4\"}]}", apperr.BadRequest, []string{"json:2"}},
		{"trailing data", `{"items": []} {}`, apperr.BadRequest, []string{"json:1"}},
		{"empty", ``, apperr.BadRequest, []string{"json:1"}},
		{"invalid items", `{"departments": [{"code": "D", "name": "部门"}, {"code": "D", "name": "again"}],
			"items": [{"code": "A", "base_code": "B", "name": "", "type": "01", "department": "D", "levels": [4]},
			          {"code": "A", "base_code": "B", "name": "n", "type": "01", "department": "D", "levels": [4],
			           "materials": [{"name": "m", "type": "Bad", "requirement": "required"}]}]}`,
			apperr.Invalid, []string{"departments[1].code", "items[0].name", "items[1].code", "items[1].materials[0].type"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := catalog.ParseJSON(strings.NewReader(c.text))
			ae := wantCode(t, err, c.code)
			var got []string
			for _, f := range ae.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
}

func TestImportWithErrorsWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := loadRich(t, db)
		tables := []string{"departments", "items", "item_versions"}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = rowCount(t, db, tb)
		}
		// Valid rows, but two name departments that exist nowhere, and one
		// changes an item already in the database.
		items := goodItemsCSV + "A-3,B3,名称,01,HN-NONE,4,1,1\nGEN-00001,B,改名,01,HN-SCJG,4,1,1\nA-5,B5,名称,01,HN-GONE,4,1,1\n"
		departments := "code,name\nHN-SCJG,辉南县市场监督管理局\n"
		c, err := catalog.ParseCSV(strings.NewReader(items), nil, strings.NewReader(departments))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Import(ctx, auth.System, c, true)
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"items.csv:4:department", "items.csv:6:department"}) {
			t.Errorf("fields %v, want items.csv:4:department and items.csv:6:department", got)
		}
		for _, tb := range tables {
			if n := rowCount(t, db, tb); n != before[tb] {
				t.Errorf("%s has %d rows after a refused import, want %d", tb, n, before[tb])
			}
		}
		if d, _ := s.Department(ctx, "HN-SCJG"); d.Name != market().Name || d.CreditCode == "" {
			t.Errorf("department changed by a refused import: %+v", d)
		}
	})
}

func TestImportFilesAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		source := loadRich(t, db)
		dir := filepath.Join(t.TempDir(), "export", "2026") // made by the export
		var out bytes.Buffer
		if code := runExport(ctx, source, "csv", dir, &out); code != 0 {
			t.Fatalf("export csv: exit %d", code)
		}
		// Any names and any order: the header says which file is which.
		renamed := map[string]string{"items.csv": "事项.csv", "materials.csv": "材料.CSV", "departments.csv": "bodies.csv"}
		var files []string
		for from, to := range renamed {
			if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
				t.Fatal(err)
			}
			files = append(files, filepath.Join(dir, to))
		}
		slices.Sort(files)
		other := catalog.NewStore(freshDB(t, db))
		var stdout, stderr bytes.Buffer
		if code := runImport(ctx, other, files, true, &stdout, &stderr); code != 0 {
			t.Fatalf("import: exit %d: %s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "42 items created") {
			t.Errorf("report %q, want 42 items created", stdout.String())
		}
		var a, b bytes.Buffer
		if runExport(ctx, source, "json", "", &a) != 0 || runExport(ctx, other, "json", "", &b) != 0 {
			t.Fatal("export json failed")
		}
		if a.String() != b.String() || !strings.Contains(a.String(), "营业执照") {
			t.Error("the catalogue imported from the exported CSV files differs from the source")
		}

		// A broken file: every error on its own line, under the file's name.
		broken := filepath.Join(dir, "broken.csv")
		text := goodItemsCSV + "A-3,B3,,01,HN-SCJG,4,1,1\nA-4,B4,名称,01,HN-SCJG,9,1,1\n"
		if err := os.WriteFile(broken, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		before := rowCount(t, db, "item_versions")
		stdout.Reset()
		stderr.Reset()
		if code := runImport(ctx, source, []string{broken}, true, &stdout, &stderr); code != 1 {
			t.Errorf("broken import: exit %d, want 1", code)
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], broken+":4:name: ") || !strings.HasPrefix(lines[1], broken+":5:levels: ") {
			t.Errorf("errors printed as %q", lines)
		}
		if n := rowCount(t, db, "item_versions"); n != before {
			t.Errorf("%d versions after a refused import, want %d", n, before)
		}
		for _, c := range []struct {
			name  string
			files []string
		}{
			{"no files", nil},
			{"unknown extension", []string{filepath.Join(dir, "x.xls")}},
			{"the same file twice", []string{files[0], files[0]}},
		} {
			t.Run(c.name, func(t *testing.T) {
				if c.name == "unknown extension" {
					os.WriteFile(c.files[0], []byte("x"), 0o600)
				}
				var errOut bytes.Buffer
				if code := runImport(ctx, other, c.files, false, &stdout, &errOut); code != 2 || errOut.Len() == 0 {
					t.Errorf("exit %d with message %q, want 2 and a message", code, errOut.String())
				}
			})
		}
	})
}

func TestImportFilesJSON(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		source := loadRich(t, db)
		dir := t.TempDir()
		path := filepath.Join(dir, "catalogue.json")
		var doc bytes.Buffer
		if code := runExport(ctx, source, "json", "", &doc); code != 0 {
			t.Fatalf("export: exit %d", code)
		}
		if err := os.WriteFile(path, doc.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		other := catalog.NewStore(freshDB(t, db))
		var stdout, stderr bytes.Buffer
		if code := runImport(ctx, other, []string{path}, false, &stdout, &stderr); code != 0 {
			t.Fatalf("import: exit %d: %s", code, stderr.String())
		}
		if c, _ := other.Counts(ctx); c.Drafts != 42 || c.Published != 0 {
			t.Errorf("imported without publishing: %d drafts, %d published; want 42 and 0", c.Drafts, c.Published)
		}
		for _, c := range []struct {
			name, text, prefix string
		}{
			{"syntax", "{\n  \"items\": [,]\n}", path + ":2: "},
			{"validation", `{"items": [{"code": "A", "base_code": "B", "name": "n", "type": "77", "department": "D", "levels": [4]}]}`,
				path + ": items[0].type: "},
		} {
			t.Run(c.name, func(t *testing.T) {
				if err := os.WriteFile(path, []byte(c.text), 0o600); err != nil {
					t.Fatal(err)
				}
				stderr.Reset()
				if code := runImport(ctx, other, []string{path}, false, &stdout, &stderr); code != 1 {
					t.Errorf("exit %d, want 1", code)
				}
				if !strings.HasPrefix(stderr.String(), c.prefix) || strings.Count(stderr.String(), "\n") != 1 {
					t.Errorf("printed %q, want one line starting with %q", stderr.String(), c.prefix)
				}
			})
		}
	})
}
