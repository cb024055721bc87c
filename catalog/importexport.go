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
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
)

// Catalogue is the content of an import or export file: departments and
// items (one version each, without version numbers). It travels as one JSON
// file, as three CSV files, or as one Excel workbook with the CSV files'
// tables as sheets (see xlsx.go).
//
// JSON: {"departments": [Department…], "items": [Item…]} with the JSON field
// names of the Department, Item, Material and Fee types. Unknown fields are
// an error. version, status, created_at and published_at are ignored on input
// and left out on output: the receiving catalogue numbers its own versions.
//
// CSV (UTF-8 with a header row; a leading byte-order mark, as spreadsheet
// programs write it, is accepted and written; column order is free; header
// names are matched without regard to case, and each column may also be
// headed by its Chinese name (table.go: 实施编码 for code …); cells are trimmed):
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
	t := func(name string, r io.Reader) *table {
		if r == nil {
			return nil
		}
		return &table{name: name, rows: newCSVRows(name, r)}
	}
	return parseTables(t(itemsFile, items), t(materialsFile, materials), t(departmentsFile, departments))
}

// itemFromRow reads the cells of one items.csv row; cells that cannot be
// read are reported under their column.
func itemFromRow(at func(col string) string, cell func(string) string, bad *apperr.Fields) Item {
	it := Item{
		Code: cell("code"), BaseCode: cell("base_code"), Name: cell("name"), NameEN: cell("name_en"),
		Type: cell("type"), DepartmentCode: cell("department"),
		ResultType: cell("result_type"), ResultName: cell("result_name"), Conditions: cell("conditions"),
		Basis: cell("basis"), Location: cell("location"), Hours: cell("hours"), Contact: cell("contact"),
		OnlineDepth: splitList(cell("online_depth")),
		LifeEvents:  splitList(cell("life_events")),
		Aliases:     splitList(cell("aliases")),
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
	if raw := cell("guide"); raw != "" {
		// The guide's steps, questions and forms: one JSON object in one cell.
		if err := setGuideCell(&it, raw); err != nil {
			bad.Add(at("guide"), "invalid_format", apperr.M("办事指南须为JSON对象：steps、faq、documents", "guide must be a JSON object of steps, faq and documents"))
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
// Problems are reported under the file lines they came from. Only a
// province-wide administrator imports; the audit record of the import, with
// the report as its detail, is written in the import's transaction, so that
// an import is never stored without its record or the other way round.
func (s *Store) Import(ctx context.Context, actor auth.User, c *Catalogue, publish bool) (ImportReport, error) {
	if c == nil {
		c = &Catalogue{}
	}
	return s.loadAs(ctx, actor, "catalog.import", c.Departments, c.Items, publish, c.origins)
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
			materialRows = append(materialRows, rowOf(materialColumns, materialCells(it.Code, m)))
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
			rows = append(rows, rowOf(departmentColumns, departmentCells(d)))
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
		"fields": fieldsCell(it.Fields), "aliases": strings.Join(it.Aliases, listSeparator),
		"guide": guideCell(it),
	}
}

// guideParts are the guide's parts as the "guide" cell of a table holds them.
type guideParts struct {
	Steps     []string        `json:"steps,omitempty"`
	FAQ       []Question      `json:"faq,omitempty"`
	Documents []GuideDocument `json:"documents,omitempty"`
}

func guideCell(it *Item) string {
	if len(it.Steps)+len(it.FAQ)+len(it.Documents) == 0 {
		return ""
	}
	b, _ := json.Marshal(guideParts{Steps: it.Steps, FAQ: it.FAQ, Documents: it.Documents})
	return string(b)
}

func setGuideCell(it *Item, raw string) error {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	var g guideParts
	if err := dec.Decode(&g); err != nil {
		return err
	}
	it.Steps, it.FAQ, it.Documents = g.Steps, g.FAQ, g.Documents
	return nil
}

func fieldsCell(fs []FormField) string {
	if len(fs) == 0 {
		return ""
	}
	b, _ := json.Marshal(fs)
	return string(b)
}

func rowOf(cols []column, cells map[string]string) []string {
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = cells[c.name]
	}
	return row
}

func writeCSV(w io.Writer, cols []column, rows [][]string) error {
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

// ImportFilesError is a misuse of the files of an import (none, an unknown
// kind, two items files), as opposed to errors in their content.
type ImportFilesError struct{ Message apperr.Msg }

func (e *ImportFilesError) Error() string { return e.Message.ZH + "\n" + e.Message.EN }

// ImportNames maps the names errors use ("items.csv", "json") to the files
// the user gave.
type ImportNames map[string]string

// ReadImportFiles reads and parses the files of an import: one .json file,
// one .xlsx workbook, or items.csv with optionally materials.csv and
// departments.csv in any order (recognised by their header, so they may have
// any name). A misuse is an *ImportFilesError; errors in the content are
// field errors, which names.Lines words for the user.
func ReadImportFiles(files []string) (*Catalogue, ImportNames, error) {
	usage := func(zh, en string) (*Catalogue, ImportNames, error) {
		return nil, nil, &ImportFilesError{apperr.M(zh, en)}
	}
	if len(files) == 0 {
		return usage("请指定一个 .json 文件、一个 .xlsx 工作簿，或 items.csv [materials.csv] [departments.csv]",
			"give one .json file, one .xlsx workbook, or items.csv [materials.csv] [departments.csv]")
	}
	contents := make([][]byte, len(files))
	wholeFiles := 0 // .json and .xlsx files, which hold a whole catalogue
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return usage("无法读取文件："+err.Error(), "cannot read the file: "+err.Error())
		}
		contents[i] = b
		switch strings.ToLower(filepath.Ext(f)) {
		case ".json", ".xlsx":
			wholeFiles++
		case ".csv":
		default:
			return usage(fmt.Sprintf("%s：只能导入 .json、.xlsx 或 .csv 文件", f), fmt.Sprintf("%s: only .json, .xlsx and .csv files can be imported", f))
		}
	}
	if wholeFiles > 0 {
		if len(files) != 1 {
			return usage("JSON 或 Excel 导入只接受一个文件，且不能与 CSV 混用", "a JSON or Excel import takes exactly one file, without CSV files")
		}
		parse := ParseJSON
		if strings.EqualFold(filepath.Ext(files[0]), ".xlsx") {
			parse = ParseXLSX
		}
		c, err := parse(bytes.NewReader(contents[0]))
		return c, ImportNames{"json": files[0], "": files[0]}, err
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
	names := ImportNames{itemsFile: files[i]}
	reader := func(role string) io.Reader {
		if j, ok := roles[role]; ok {
			names[role] = files[j]
			return bytes.NewReader(contents[j])
		}
		return nil
	}
	c, err := ParseCSV(reader(itemsFile), reader(materialsFile), reader(departmentsFile))
	return c, names, err
}

// csvRole tells the three CSV files apart by their header.
func csvRole(content []byte) string {
	header, err := csv.NewReader(bytes.NewReader(content)).Read()
	if err != nil {
		return ""
	}
	return roleOf(header)
}

// Lines words the problems of an import one per line, each naming the file
// the user gave ("事项.csv:12:name: …").
func (n ImportNames) Lines(err error) []string {
	ae := apperr.As(err)
	if len(ae.Fields) == 0 {
		if ae.Code == apperr.Internal {
			return []string{ae.Error()}
		}
		return []string{fmt.Sprintf("%s (%s)", ae.Message.ZH, ae.Message.EN)}
	}
	out := make([]string, len(ae.Fields))
	for i, f := range ae.Fields {
		out[i] = fmt.Sprintf("%s: %s (%s)", n.where(f.Field), f.Message.ZH, f.Message.EN)
	}
	return out
}

// where swaps the role name in a field ("items.csv:12:name") for the file
// the user gave.
func (n ImportNames) where(field string) string {
	for role, file := range n {
		if role != "" && strings.HasPrefix(field, role+":") {
			return file + field[len(role):]
		}
	}
	if file, ok := n[""]; ok {
		return file + ": " + field
	}
	return field
}

// The files of a CSV export, in the order they are written.
var CSVFileNames = []string{itemsFile, materialsFile, departmentsFile}

// XLSXFileName is the name "catalog export --format xlsx" gives the workbook.
const XLSXFileName = "catalogue.xlsx"
