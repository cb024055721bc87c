package catalog

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
)

// Catalogue is the content of an import or export file: departments and
// items (one version each, without version numbers). It travels as one JSON
// file or as three CSV files.
//
// JSON: {"departments": [Department…], "items": [Item…]} with the JSON field
// names of the Department, Item, Material and Fee types. Unknown fields are
// an error. version, status, created_at and published_at are ignored on input
// and left out on output: the receiving catalogue numbers its own versions.
//
// CSV (UTF-8 with a header row; a leading byte-order mark, as spreadsheet
// programs write it, is accepted and written; column order is free; header
// names are matched without regard to case; cells are trimmed):
//
// items.csv, one row per item. Required columns: code, base_code, name, type,
// department, levels, legal_limit_days, promised_limit_days. Optional: name_en,
// visits, online_depth, fees, result_type, result_name, conditions, basis,
// location, hours, contact, supplement_days, life_events, serves_persons,
// serves_enterprises. Lists (levels, online_depth, life_events) are separated
// by "|": "4|5|6". fees is "name:amount_fen" or "name:amount_fen:basis",
// separated by "|". Booleans are true/false (1/0, yes/no, 是/否 are accepted).
// An empty number is 0; an empty supplement_days means the default of 5.
//
// materials.csv, one row per material, in the order the guide lists them.
// Required: item_code, name, type, requirement. Optional: originals, copies,
// form, source, description, sample.
//
// departments.csv, one row per department. Required: code, name. Optional:
// name_en, credit_code, kind.
//
// Errors name the file, line and column: "items.csv:12:promised_limit_days".
type Catalogue struct {
	Departments []Department `json:"departments"`
	Items       []Item       `json:"items"`
	// where each record came from, for errors found on import; nil for JSON
	origins *origins
}

// The names of the CSV files; errors use them ("items.csv:12:name").
const (
	itemsFile       = "items.csv"
	materialsFile   = "materials.csv"
	departmentsFile = "departments.csv"
	listSeparator   = "|"
	csvBOM          = "\ufeff"
)

type csvColumn struct {
	name     string
	required bool
}

var itemColumns = []csvColumn{
	{"code", true}, {"base_code", true}, {"name", true}, {"name_en", false}, {"type", true},
	{"department", true}, {"levels", true}, {"legal_limit_days", true}, {"promised_limit_days", true},
	{"visits", false}, {"online_depth", false}, {"fees", false}, {"result_type", false}, {"result_name", false},
	{"conditions", false}, {"basis", false}, {"location", false}, {"hours", false}, {"contact", false},
	{"supplement_days", false}, {"life_events", false}, {"serves_persons", false}, {"serves_enterprises", false},
	{"fields", false},
}

var materialColumns = []csvColumn{
	{"item_code", true}, {"name", true}, {"type", true}, {"requirement", true}, {"originals", false},
	{"copies", false}, {"form", false}, {"source", false}, {"description", false}, {"sample", false},
}

var departmentColumns = []csvColumn{
	{"code", true}, {"name", true}, {"name_en", false}, {"credit_code", false}, {"kind", false},
}

// ParseJSON reads a catalogue file in JSON and validates every record; the
// error lists every problem ("items[3].promised_limit_days").
func ParseJSON(r io.Reader) (*Catalogue, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, apperr.Wrap(err, "catalog: read JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Catalogue
	if err := dec.Decode(&c); err != nil {
		return nil, jsonError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, jsonError(data, dec, errors.New("unexpected data after the catalogue object"))
	}
	for i := range c.Items {
		it := &c.Items[i]
		it.Version, it.Status, it.CreatedAt, it.PublishedAt = 0, "", time.Time{}, nil
	}
	if err := validateAll(c.Departments, c.Items, nil); err != nil {
		return nil, err
	}
	return &c, nil
}

// jsonError reports a decoding error with the line it happened on.
func jsonError(data []byte, dec *json.Decoder, err error) error {
	offset := dec.InputOffset()
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	case errors.Is(err, io.EOF):
		err = errors.New("the file is empty")
	}
	offset = min(max(offset, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	e := apperr.New(apperr.BadRequest, "invalid_json", apperr.M("JSON 文件格式错误", "the JSON file is malformed"))
	e.Fields = []apperr.FieldError{apperr.Field(fmt.Sprintf("json:%d", line), "invalid_json",
		apperr.M("JSON 格式错误："+err.Error(), "malformed JSON: "+err.Error()))}
	return e
}

// ParseCSV reads a catalogue in CSV: items.csv, and optionally materials.csv
// and departments.csv (nil readers are skipped). Every row is validated and
// every problem reported with its file, line and column; unknown or missing
// columns, materials of unknown items and duplicate codes are errors too.
func ParseCSV(items, materials, departments io.Reader) (*Catalogue, error) {
	if items == nil {
		return nil, apperr.New(apperr.BadRequest, "items_file_missing", apperr.M("缺少事项文件 items.csv", "items.csv is missing"))
	}
	var bad apperr.Fields
	c := &Catalogue{origins: &origins{}}
	o := c.origins
	if departments != nil {
		readCSV(departmentsFile, departments, departmentColumns, &bad, func(line int, cell func(string) string, broken bool) {
			if broken {
				return
			}
			c.Departments = append(c.Departments, Department{Code: cell("code"), Name: cell("name"),
				NameEN: cell("name_en"), CreditCode: cell("credit_code"), Kind: cell("kind")})
			o.departmentLines = append(o.departmentLines, line)
		})
	}
	index := map[string]int{}        // item code → position in c.Items
	brokenItems := map[string]bool{} // codes of rows too broken to read
	readCSV(itemsFile, items, itemColumns, &bad, func(line int, cell func(string) string, broken bool) {
		if broken {
			brokenItems[cell("code")] = true
			return
		}
		it := itemFromRow(line, cell, &bad)
		if _, dup := index[it.Code]; !dup {
			index[it.Code] = len(c.Items)
		}
		c.Items = append(c.Items, it)
		o.itemLines = append(o.itemLines, line)
		o.materialLines = append(o.materialLines, nil)
	})
	if materials != nil {
		readCSV(materialsFile, materials, materialColumns, &bad, func(line int, cell func(string) string, broken bool) {
			if broken {
				return
			}
			code := cell("item_code")
			i, ok := index[code]
			if !ok {
				if !brokenItems[code] {
					bad.Add(fmt.Sprintf("%s:%d:item_code", materialsFile, line), "unknown_item",
						apperr.M(fmt.Sprintf("事项文件中没有编码为 %q 的事项", code), fmt.Sprintf("no item with code %q in items.csv", code)))
				}
				return
			}
			at := func(col string) string { return fmt.Sprintf("%s:%d:%s", materialsFile, line, col) }
			c.Items[i].Materials = append(c.Items[i].Materials, Material{
				Name: cell("name"), Type: cell("type"), Requirement: cell("requirement"),
				Originals: parseInt(cell("originals"), at("originals"), &bad),
				Copies:    parseInt(cell("copies"), at("copies"), &bad),
				Form:      cell("form"), Source: cell("source"), Description: cell("description"), Sample: cell("sample"),
			})
			o.materialLines[i] = append(o.materialLines[i], line)
		})
	}
	// A cell that could not be read is reported once, not again by the
	// validator that sees the zero value left in its place.
	reported := map[string]bool{}
	for _, f := range bad {
		reported[f.Field] = true
	}
	if err := validateAll(c.Departments, c.Items, o); err != nil {
		for _, f := range apperr.As(err).Fields {
			if !reported[f.Field] {
				bad = append(bad, f)
			}
		}
	}
	if len(bad) > 0 {
		sortFields(bad)
		return nil, bad.Err()
	}
	return c, nil
}

// readCSV reads one CSV file: it checks the header against cols, then calls
// row for every record with a way to read a cell by column name. A record
// with the wrong number of cells is reported and passed on as broken.
func readCSV(name string, r io.Reader, cols []csvColumn, bad *apperr.Fields, row func(line int, cell func(string) string, broken bool)) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		bad.Add(name+":1", "empty_file", apperr.M("文件为空，第一行应为表头", "the file is empty; the first row must be the header"))
		return
	}
	if err != nil {
		csvSyntaxError(name, err, bad)
		return
	}
	index := map[string]int{}
	headerOK := true
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, csvBOM)
		}
		h = strings.ToLower(strings.TrimSpace(h))
		at := fmt.Sprintf("%s:1:%s", name, h)
		switch _, dup := index[h]; {
		case !slices.ContainsFunc(cols, func(c csvColumn) bool { return c.name == h }):
			bad.Add(at, "unknown_column", apperr.M(fmt.Sprintf("未知的列 %q", h), fmt.Sprintf("unknown column %q", h)))
			headerOK = false
		case dup:
			bad.Add(at, "duplicate_column", apperr.M(fmt.Sprintf("列 %q 出现了两次", h), fmt.Sprintf("column %q appears twice", h)))
			headerOK = false
		default:
			index[h] = i
		}
	}
	for _, c := range cols {
		if _, ok := index[c.name]; c.required && !ok {
			bad.Add(fmt.Sprintf("%s:1:%s", name, c.name), "missing_column",
				apperr.M(fmt.Sprintf("缺少必需的列 %q", c.name), fmt.Sprintf("the required column %q is missing", c.name)))
			headerOK = false
		}
	}
	if !headerOK {
		return
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			csvSyntaxError(name, err, bad)
			return
		}
		line, _ := cr.FieldPos(0)
		broken := len(rec) != len(header)
		if broken {
			bad.Add(fmt.Sprintf("%s:%d", name, line), "column_count", apperr.M(
				fmt.Sprintf("该行有 %d 列，表头有 %d 列", len(rec), len(header)),
				fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(header))))
		}
		row(line, func(col string) string {
			if i, ok := index[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}, broken)
	}
}

func csvSyntaxError(name string, err error, bad *apperr.Fields) {
	line := 1
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.Line
	}
	bad.Add(fmt.Sprintf("%s:%d", name, line), "invalid_csv", apperr.M("CSV 格式错误："+err.Error()+"（之后的行未读取）",
		"malformed CSV: "+err.Error()+" (the rest of the file was not read)"))
}

// itemFromRow reads the cells of one items.csv row; cells that cannot be
// read are reported under their column.
func itemFromRow(line int, cell func(string) string, bad *apperr.Fields) Item {
	at := func(col string) string { return fmt.Sprintf("%s:%d:%s", itemsFile, line, col) }
	it := Item{
		Code: cell("code"), BaseCode: cell("base_code"), Name: cell("name"), NameEN: cell("name_en"),
		Type: cell("type"), DepartmentCode: cell("department"),
		ResultType: cell("result_type"), ResultName: cell("result_name"), Conditions: cell("conditions"),
		Basis: cell("basis"), Location: cell("location"), Hours: cell("hours"), Contact: cell("contact"),
		OnlineDepth: splitList(cell("online_depth")),
		LifeEvents:  splitList(cell("life_events")),
	}
	for _, s := range splitList(cell("levels")) {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad.Add(at("levels"), "invalid_number", apperr.M(fmt.Sprintf("层级 %q 不是整数", s), fmt.Sprintf("level %q is not a number", s)))
			continue
		}
		it.Levels = append(it.Levels, n)
	}
	it.LegalLimitDays = parseInt(cell("legal_limit_days"), at("legal_limit_days"), bad)
	it.PromisedLimitDays = parseInt(cell("promised_limit_days"), at("promised_limit_days"), bad)
	it.Visits = parseInt(cell("visits"), at("visits"), bad)
	it.SupplementDays = parseInt(cell("supplement_days"), at("supplement_days"), bad)
	it.ServesPersons = parseBool(cell("serves_persons"), at("serves_persons"), bad)
	it.ServesEnterprises = parseBool(cell("serves_enterprises"), at("serves_enterprises"), bad)
	if raw := cell("fields"); raw != "" {
		// Form fields are a JSON array in one cell: they have too much structure for a list.
		if err := json.Unmarshal([]byte(raw), &it.Fields); err != nil {
			bad.Add(at("fields"), "invalid_format", apperr.M("表单字段须为JSON数组", "fields must be a JSON array"))
		}
	}
	for _, s := range splitList(cell("fees")) {
		parts := strings.SplitN(s, ":", 3)
		var amount int64
		var err error
		if len(parts) >= 2 {
			amount, err = strconv.ParseInt(strings.TrimSpace(parts[1]), 10, 64)
		}
		if len(parts) < 2 || err != nil {
			bad.Add(at("fees"), "invalid_format", apperr.M(fmt.Sprintf("收费项 %q 应写成 名称:金额(分) 或 名称:金额(分):依据", s),
				fmt.Sprintf("fee %q must be name:amount_fen or name:amount_fen:basis", s)))
			continue
		}
		fee := Fee{Name: strings.TrimSpace(parts[0]), AmountFen: amount}
		if len(parts) == 3 {
			fee.Basis = strings.TrimSpace(parts[2])
		}
		it.Fees = append(it.Fees, fee)
	}
	return it
}

func splitList(cell string) []string {
	if cell == "" {
		return nil
	}
	parts := strings.Split(cell, listSeparator)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func parseInt(cell, field string, bad *apperr.Fields) int {
	if cell == "" {
		return 0
	}
	n, err := strconv.Atoi(cell)
	if err != nil {
		bad.Add(field, "invalid_number", apperr.M(fmt.Sprintf("%q 不是整数", cell), fmt.Sprintf("%q is not a whole number", cell)))
	}
	return n
}

func parseBool(cell, field string, bad *apperr.Fields) bool {
	switch strings.ToLower(cell) {
	case "", "false", "0", "no", "n", "否":
		return false
	case "true", "1", "yes", "y", "是":
		return true
	}
	bad.Add(field, "invalid_bool", apperr.M(fmt.Sprintf("%q 应为 true 或 false", cell), fmt.Sprintf("%q must be true or false", cell)))
	return false
}

// Import loads a parsed catalogue in one transaction (see Load): every item
// becomes a new draft version, published when publish is true. Departments
// the items name must be in the catalogue or in the database already.
// Problems are reported under the file lines they came from.
func (s *Store) Import(ctx context.Context, c *Catalogue, publish bool) (ImportReport, error) {
	if c == nil {
		return ImportReport{}, nil
	}
	return s.load(ctx, c.Departments, c.Items, publish, c.origins)
}

// catalogueFile is the JSON form written by Export.
type catalogueFile struct {
	Departments []Department  `json:"departments"`
	Items       []itemContent `json:"items"`
}

// Export writes every department and the published version of every item as
// JSON (format "json"; CSV is three files, see ExportCSV).
func (s *Store) Export(ctx context.Context, w io.Writer, format string) error {
	if format != "json" {
		var f apperr.Fields
		f.Add("format", "unknown_value", apperr.M("导出格式只能是 json（CSV 请用 ExportCSV）", "the export format must be json (CSV has its own export)"))
		return f.Err()
	}
	depts, items, err := s.exportData(ctx)
	if err != nil {
		return err
	}
	out := catalogueFile{Departments: depts, Items: make([]itemContent, len(items))}
	for i := range items {
		out.Items[i] = itemContent{Item: items[i]}
		out.Items[i].Item.Version, out.Items[i].Item.Status = 0, ""
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return apperr.Wrap(enc.Encode(out), "catalog: write JSON")
}

// ExportCSV writes every department and the published version of every item
// as the three CSV files; a nil writer skips its file.
func (s *Store) ExportCSV(ctx context.Context, items, materials, departments io.Writer) error {
	depts, list, err := s.exportData(ctx)
	if err != nil {
		return err
	}
	var itemRows, materialRows [][]string
	for i := range list {
		it := &list[i]
		itemRows = append(itemRows, rowOf(itemColumns, itemCells(it)))
		for _, m := range it.Materials {
			materialRows = append(materialRows, rowOf(materialColumns, map[string]string{
				"item_code": it.Code, "name": m.Name, "type": m.Type, "requirement": m.Requirement,
				"originals": strconv.Itoa(m.Originals), "copies": strconv.Itoa(m.Copies), "form": m.Form,
				"source": m.Source, "description": m.Description, "sample": m.Sample,
			}))
		}
	}
	if items != nil {
		if err := writeCSV(items, itemColumns, itemRows); err != nil {
			return err
		}
	}
	if materials != nil {
		if err := writeCSV(materials, materialColumns, materialRows); err != nil {
			return err
		}
	}
	if departments != nil {
		var rows [][]string
		for _, d := range depts {
			rows = append(rows, rowOf(departmentColumns, map[string]string{
				"code": d.Code, "name": d.Name, "name_en": d.NameEN, "credit_code": d.CreditCode, "kind": d.Kind,
			}))
		}
		if err := writeCSV(departments, departmentColumns, rows); err != nil {
			return err
		}
	}
	return nil
}

func itemCells(it *Item) map[string]string {
	fees := make([]string, len(it.Fees))
	for i, f := range it.Fees {
		fees[i] = f.Name + ":" + strconv.FormatInt(f.AmountFen, 10)
		if f.Basis != "" {
			fees[i] += ":" + f.Basis
		}
	}
	return map[string]string{
		"code": it.Code, "base_code": it.BaseCode, "name": it.Name, "name_en": it.NameEN, "type": it.Type,
		"department": it.DepartmentCode, "levels": strings.Join(intStrings(it.Levels), listSeparator),
		"legal_limit_days": strconv.Itoa(it.LegalLimitDays), "promised_limit_days": strconv.Itoa(it.PromisedLimitDays),
		"visits": strconv.Itoa(it.Visits), "online_depth": strings.Join(it.OnlineDepth, listSeparator),
		"fees": strings.Join(fees, listSeparator), "result_type": it.ResultType, "result_name": it.ResultName,
		"conditions": it.Conditions, "basis": it.Basis, "location": it.Location, "hours": it.Hours,
		"contact": it.Contact, "supplement_days": strconv.Itoa(it.SupplementDays),
		"life_events":    strings.Join(it.LifeEvents, listSeparator),
		"serves_persons": strconv.FormatBool(it.ServesPersons), "serves_enterprises": strconv.FormatBool(it.ServesEnterprises),
		"fields": fieldsCell(it.Fields),
	}
}

func fieldsCell(fs []FormField) string {
	if len(fs) == 0 {
		return ""
	}
	b, _ := json.Marshal(fs)
	return string(b)
}

func rowOf(cols []csvColumn, cells map[string]string) []string {
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = cells[c.name]
	}
	return row
}

func writeCSV(w io.Writer, cols []csvColumn, rows [][]string) error {
	if _, err := io.WriteString(w, csvBOM); err != nil {
		return apperr.Wrap(err, "catalog: write CSV")
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	if err := cw.Write(header); err != nil {
		return apperr.Wrap(err, "catalog: write CSV")
	}
	if err := cw.WriteAll(rows); err != nil {
		return apperr.Wrap(err, "catalog: write CSV")
	}
	return nil
}

// exportData reads every department and every published item in code order.
func (s *Store) exportData(ctx context.Context) ([]Department, []Item, error) {
	depts, err := s.Departments(ctx)
	if err != nil {
		return nil, nil, err
	}
	if depts == nil {
		depts = []Department{}
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+itemSelect+` FROM item_versions WHERE status = 'published' ORDER BY item_code`)
	if err != nil {
		return nil, nil, apperr.Wrap(err, "catalog: export items")
	}
	items, err := scanItems(rows)
	return depts, items, err
}

// RunImport is the "catalog import" command: files are one .json file, or
// items.csv with optionally materials.csv and departments.csv in any order
// (recognised by their header, so they may have any name). It prints the
// report, or every problem one per line, and returns the exit code: 0 on
// success, 1 when the files have errors (nothing was written), 2 on misuse.
func RunImport(ctx context.Context, s *Store, files []string, publish bool, stdout, stderr io.Writer) int {
	c, names, code := parseFiles(files, stderr)
	if code != 0 {
		return code
	}
	rep, err := s.Import(ctx, c, publish)
	if err != nil {
		printErrors(stderr, err, names)
		return 1
	}
	fmt.Fprintf(stdout, "导入完成：部门 %d 个，新增事项 %d 个，更新 %d 个，未变 %d 个，发布 %d 个\n",
		rep.Departments, rep.ItemsCreated, rep.ItemsUpdated, rep.ItemsUnchanged, rep.Published)
	fmt.Fprintf(stdout, "imported: %d departments, %d items created, %d updated, %d unchanged, %d published\n",
		rep.Departments, rep.ItemsCreated, rep.ItemsUpdated, rep.ItemsUnchanged, rep.Published)
	return 0
}

// parseFiles reads and parses the files of an import. names maps the
// names errors use ("items.csv", "json") to the files given.
func parseFiles(files []string, stderr io.Writer) (*Catalogue, map[string]string, int) {
	usage := func(zh, en string) (*Catalogue, map[string]string, int) {
		fmt.Fprintf(stderr, "%s\n%s\n", zh, en)
		return nil, nil, 2
	}
	if len(files) == 0 {
		return usage("请指定一个 .json 文件，或 items.csv [materials.csv] [departments.csv]",
			"give one .json file, or items.csv [materials.csv] [departments.csv]")
	}
	contents := make([][]byte, len(files))
	jsonFiles := 0
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return usage("无法读取文件："+err.Error(), "cannot read the file: "+err.Error())
		}
		contents[i] = b
		switch strings.ToLower(filepath.Ext(f)) {
		case ".json":
			jsonFiles++
		case ".csv":
		default:
			return usage(fmt.Sprintf("%s：只能导入 .json 或 .csv 文件", f), fmt.Sprintf("%s: only .json and .csv files can be imported", f))
		}
	}
	if jsonFiles > 0 {
		if len(files) != 1 {
			return usage("JSON 导入只接受一个文件，且不能与 CSV 混用", "a JSON import takes exactly one file, without CSV files")
		}
		c, err := ParseJSON(bytes.NewReader(contents[0]))
		names := map[string]string{"json": files[0], "": files[0]}
		if err != nil {
			printErrors(stderr, err, names)
			return nil, nil, 1
		}
		return c, names, 0
	}
	roles := map[string]int{}
	for i, b := range contents {
		role := csvRole(b)
		if role == "" {
			return usage(fmt.Sprintf("%s：无法从表头判断是事项、材料还是部门文件", files[i]),
				fmt.Sprintf("%s: the header says neither items, materials nor departments", files[i]))
		}
		if j, dup := roles[role]; dup {
			return usage(fmt.Sprintf("%s 与 %s 都是 %s", files[j], files[i], role), fmt.Sprintf("%s and %s are both %s", files[j], files[i], role))
		}
		roles[role] = i
	}
	i, ok := roles[itemsFile]
	if !ok {
		return usage("缺少事项文件（表头含 base_code 的 CSV）", "the items file (a CSV whose header has base_code) is missing")
	}
	names := map[string]string{itemsFile: files[i]}
	reader := func(role string) io.Reader {
		if j, ok := roles[role]; ok {
			names[role] = files[j]
			return bytes.NewReader(contents[j])
		}
		return nil
	}
	c, err := ParseCSV(reader(itemsFile), reader(materialsFile), reader(departmentsFile))
	if err != nil {
		printErrors(stderr, err, names)
		return nil, nil, 1
	}
	return c, names, 0
}

// csvRole tells the three CSV files apart by their header.
func csvRole(content []byte) string {
	header, err := csv.NewReader(bytes.NewReader(content)).Read()
	if err != nil {
		return ""
	}
	has := func(col string) bool {
		return slices.ContainsFunc(header, func(h string) bool {
			return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, csvBOM))) == col
		})
	}
	switch {
	case has("item_code"):
		return materialsFile
	case has("base_code"):
		return itemsFile
	case has("code"):
		return departmentsFile
	}
	return ""
}

// printErrors writes one problem per line, naming the file given by the user.
func printErrors(w io.Writer, err error, names map[string]string) {
	ae := apperr.As(err)
	if len(ae.Fields) == 0 {
		if ae.Code == apperr.Internal {
			fmt.Fprintln(w, ae.Error())
			return
		}
		fmt.Fprintf(w, "%s (%s)\n", ae.Message.ZH, ae.Message.EN)
		return
	}
	for _, f := range ae.Fields {
		fmt.Fprintf(w, "%s: %s (%s)\n", userField(f.Field, names), f.Message.ZH, f.Message.EN)
	}
}

// userField swaps the role name in a field ("items.csv:12:name") for the
// file the user gave.
func userField(field string, names map[string]string) string {
	for role, file := range names {
		if role != "" && strings.HasPrefix(field, role+":") {
			return file + field[len(role):]
		}
	}
	if file, ok := names[""]; ok {
		return file + ": " + field
	}
	return field
}

// RunExport is the "catalog export" command: format "json" writes to stdout,
// "csv" writes items.csv, materials.csv and departments.csv into dir. It
// returns the exit code.
func RunExport(ctx context.Context, s *Store, format, dir string, stdout io.Writer) int {
	switch strings.ToLower(format) {
	case "", "json":
		if err := s.Export(ctx, stdout, "json"); err != nil {
			printErrors(os.Stderr, err, nil)
			return 1
		}
		return 0
	case "csv":
	default:
		fmt.Fprintf(os.Stderr, "导出格式应为 json 或 csv，而不是 %q\nthe export format must be json or csv, not %q\n", format, format)
		return 2
	}
	if dir == "" {
		dir = "."
	}
	var items, materials, departments bytes.Buffer
	if err := s.ExportCSV(ctx, &items, &materials, &departments); err != nil {
		printErrors(os.Stderr, err, nil)
		return 1
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{itemsFile, items.Bytes()}, {materialsFile, materials.Bytes()}, {departmentsFile, departments.Bytes()}} {
		path := filepath.Join(dir, f.name)
		if err := writeFileAtomic(path, f.data); err != nil {
			fmt.Fprintf(os.Stderr, "无法写入 %s: %v\ncannot write %s: %v\n", path, err, path, err)
			return 1
		}
		fmt.Fprintln(stdout, path)
	}
	return 0
}

// writeFileAtomic replaces path only once the new content is complete, so an
// interrupted export never leaves half a file behind.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
