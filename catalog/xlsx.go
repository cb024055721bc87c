package catalog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/apperr"
)

// Provinces exchange catalogues as Excel workbooks. A catalogue workbook
// (.xlsx) holds the three tables of the CSV form as worksheets, with the same
// columns, values and checks:
//
//   - 事项 (or "items"): the items, one row each;
//   - 材料 (or "materials"): the materials, in the order the guide lists them;
//   - 部门 (or "departments"), optional: the departments.
//
// The first non-empty row of a sheet is its header; a header cell is a
// column's name ("promised_limit_days") or its Chinese header (承诺办结时限),
// which the export writes. Blank rows are skipped. A sheet with another name
// is recognised by its header as a CSV file is; a sheet named 说明 (or
// "readme"), which the export writes to explain the columns, and empty sheets
// are ignored; any other sheet is an error, so that a misnamed materials
// sheet is never silently left out. Problems name the sheet, the cell and the
// column: "事项!F12:promised_limit_days".

// XLSXContentType is the media type of an .xlsx workbook.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// The sheets of a catalogue workbook.
const (
	itemsSheet       = "事项"
	materialsSheet   = "材料"
	departmentsSheet = "部门"
	readmeSheet      = "说明"
)

// sheetRoles maps the sheet names an import recognises to their table.
var sheetRoles = map[string]string{
	itemsSheet: itemsFile, "items": itemsFile,
	materialsSheet: materialsFile, "materials": materialsFile,
	departmentsSheet: departmentsFile, "departments": departmentsFile,
}

// Bounds on reading a workbook. A zip file can expand a thousandfold, so
// the expanded size is bounded as well as the file's.
const (
	maxXLSXUnzipped     = 256 << 20 // all parts together, expanded
	maxXLSXPartInMemory = 16 << 20  // a larger worksheet is expanded to a temporary file
	maxCellUTF16        = excelize.TotalCellChars
)

// ParseXLSX reads a catalogue workbook and validates every record; every
// problem is reported with its sheet, cell and column. A file that is not a
// workbook is reported under the field "workbook".
func ParseXLSX(r io.Reader) (c *Catalogue, err error) {
	// The workbook reader is a large body of code given untrusted bytes; a
	// panic in it is a broken file to the user, not a crashed server.
	defer func() {
		if p := recover(); p != nil {
			c, err = nil, workbookError(fmt.Errorf("%v", p))
		}
	}()
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: maxXLSXUnzipped, UnzipXMLSizeLimit: maxXLSXPartInMemory})
	if err != nil {
		return nil, workbookError(err)
	}
	defer f.Close()
	var bad apperr.Fields
	tables := map[string]*table{}
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			bad.Add(name+"!A1", "invalid_xlsx", apperr.M("无法读取该工作表："+err.Error(), "the sheet cannot be read: "+err.Error()))
			continue
		}
		defer rows.Close()
		src := &sheetRows{name: name, rows: rows}
		key := strings.ToLower(strings.TrimSpace(name))
		role := sheetRoles[key]
		if role == "" {
			if key == readmeSheet || key == "readme" {
				continue
			}
			header, ok := src.peek(&bad)
			if !ok {
				continue // an empty sheet, as a new workbook has
			}
			if role = roleOf(header); role == "" {
				bad.Add(name+"!A1", "unknown_sheet", apperr.M(
					fmt.Sprintf("无法判断工作表 %q 是事项、材料还是部门：请将其命名为 事项、材料 或 部门", name),
					fmt.Sprintf("the sheet %q is neither items, materials nor departments: name it 事项, 材料 or 部门 (items, materials, departments)", name)))
				continue
			}
		}
		if other, dup := tables[role]; dup {
			bad.Add(name+"!A1", "duplicate_sheet", apperr.M(
				fmt.Sprintf("工作表 %q 与 %q 是同一种表", other.name, name),
				fmt.Sprintf("the sheets %q and %q hold the same table", other.name, name)))
			continue
		}
		tables[role] = &table{name: name, sheet: true, rows: src}
	}
	if tables[itemsFile] == nil && len(bad) == 0 {
		bad.Add("workbook", "items_sheet_missing", apperr.M(
			fmt.Sprintf("工作簿中没有事项工作表（名为 %s 的工作表）；现有工作表：%s", itemsSheet, strings.Join(f.GetSheetList(), "、")),
			fmt.Sprintf("the workbook has no items sheet (named %s or items); its sheets: %s", itemsSheet, strings.Join(f.GetSheetList(), ", "))))
	}
	if len(bad) > 0 {
		sortFields(bad)
		return nil, bad.Err()
	}
	return parseTables(tables[itemsFile], tables[materialsFile], tables[departmentsFile])
}

func workbookError(err error) error {
	e := apperr.New(apperr.BadRequest, "invalid_xlsx", apperr.M("无法读取 Excel 工作簿（.xlsx）", "the Excel workbook (.xlsx) cannot be read"))
	e.Fields = []apperr.FieldError{apperr.Field("workbook", "invalid_xlsx", apperr.M(
		"不是有效的 .xlsx 工作簿（.xls 等旧格式请先另存为 .xlsx）："+err.Error(),
		"not a valid .xlsx workbook (save older formats such as .xls as .xlsx first): "+err.Error()))}
	return e
}

// sheetRows reads the rows of a worksheet that hold anything, with their
// row numbers.
type sheetRows struct {
	name   string
	rows   *excelize.Rows
	row    int // the row last read
	read   int // non-blank rows returned so far
	peeked []string
	peekAt int
	done   bool
}

// peek returns the first non-blank row without consuming it; ok is false
// for an empty sheet.
func (s *sheetRows) peek(bad *apperr.Fields) ([]string, bool) {
	if s.peeked == nil {
		rec, line, ok := s.fetch(bad)
		if !ok {
			return nil, false
		}
		s.peeked, s.peekAt = rec, line
	}
	return s.peeked, true
}

func (s *sheetRows) next(bad *apperr.Fields) ([]string, int, bool) {
	rec, line, ok := s.peeked, s.peekAt, s.peeked != nil
	s.peeked = nil
	if !ok {
		rec, line, ok = s.fetch(bad)
	}
	if !ok {
		if s.read == 0 && !s.done {
			bad.Add(s.name+"!A1", "empty_sheet", apperr.M("工作表为空，第一行应为表头", "the sheet is empty; the first row must be the header"))
		}
		s.done = true
		return nil, 0, false
	}
	s.read++
	return rec, line, true
}

// fetch reads up to the next row that holds a value.
func (s *sheetRows) fetch(bad *apperr.Fields) ([]string, int, bool) {
	for !s.done && s.rows.Next() {
		s.row++
		cols, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			s.fail(bad, err)
			return nil, 0, false
		}
		for _, c := range cols {
			if strings.TrimSpace(c) != "" {
				return cols, s.row, true
			}
		}
	}
	if !s.done {
		if err := s.rows.Error(); err != nil {
			s.fail(bad, err)
		}
	}
	return nil, 0, false
}

func (s *sheetRows) fail(bad *apperr.Fields, err error) {
	s.done = true // reported: the sheet is not also called empty
	bad.Add(fmt.Sprintf("%s!%d", s.name, s.row+1), "invalid_xlsx", apperr.M(
		"无法读取该行："+err.Error()+"（之后的行未读取）", "the row cannot be read: "+err.Error()+" (the rest of the sheet was not read)"))
}

// ExportXLSX writes every department and the published version of every
// item as one workbook: the sheets 事项, 材料 and 部门 with Chinese headers,
// and 说明, which explains the columns. A text longer than a cell can hold
// (32,767 characters) is an error naming its cell: Excel would cut it.
func (s *Store) ExportXLSX(ctx context.Context, w io.Writer) error {
	depts, list, err := s.exportData(ctx)
	if err != nil {
		return err
	}
	var itemRows, materialRows, deptRows [][]string
	for i := range list {
		it := &list[i]
		cells := itemCells(it)
		cells["serves_persons"], cells["serves_enterprises"] = yesNo(it.ServesPersons), yesNo(it.ServesEnterprises)
		itemRows = append(itemRows, rowOf(itemColumns, cells))
		for _, m := range it.Materials {
			materialRows = append(materialRows, rowOf(materialColumns, materialCells(it.Code, m)))
		}
	}
	for _, d := range depts {
		deptRows = append(deptRows, rowOf(departmentColumns, departmentCells(d)))
	}

	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), itemsSheet); err != nil {
		return apperr.Wrap(err, "catalog: name sheet")
	}
	for _, sh := range []struct {
		name string
		cols []column
		rows [][]string
	}{{itemsSheet, itemColumns, itemRows}, {materialsSheet, materialColumns, materialRows}, {departmentsSheet, departmentColumns, deptRows}} {
		if err := writeSheet(f, sh.name, sh.cols, sh.rows); err != nil {
			return err
		}
	}
	if err := writeReadme(f); err != nil {
		return err
	}
	// The first sheet (事项) is the active one in a new workbook. Setting it
	// again would read every streamed sheet back into memory.
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return apperr.Wrap(err, "catalog: write workbook")
	}
	_, err = buf.WriteTo(w)
	return apperr.Wrap(err, "catalog: write workbook")
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func materialCells(itemCode string, m Material) map[string]string {
	return map[string]string{
		"item_code": itemCode, "name": m.Name, "type": m.Type, "requirement": m.Requirement,
		"originals": strconv.Itoa(m.Originals), "copies": strconv.Itoa(m.Copies), "form": m.Form,
		"source": m.Source, "description": m.Description, "sample": m.Sample, "licence": m.Licence,
	}
}

func departmentCells(d Department) map[string]string {
	return map[string]string{"code": d.Code, "name": d.Name, "name_en": d.NameEN, "credit_code": d.CreditCode, "kind": d.Kind}
}

// numericColumns are written as numbers, so that a spreadsheet can sum
// them; every other cell is text, which keeps codes such as "01" whole.
var numericColumns = map[string]bool{
	"legal_limit_days": true, "promised_limit_days": true, "visits": true, "supplement_days": true,
	"originals": true, "copies": true,
}

// writeSheet writes one table with a frozen, bold header row of Chinese headers.
func writeSheet(f *excelize.File, name string, cols []column, rows [][]string) error {
	if idx, err := f.GetSheetIndex(name); err != nil {
		return apperr.Wrap(err, "catalog: find sheet")
	} else if idx < 0 {
		if _, err := f.NewSheet(name); err != nil {
			return apperr.Wrap(err, "catalog: add sheet")
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return apperr.Wrap(err, "catalog: header style")
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return apperr.Wrap(err, "catalog: write sheet")
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return apperr.Wrap(err, "catalog: freeze header")
	}
	for i, c := range cols {
		width := 12.0
		if c.name == "name" || c.name == "conditions" || c.name == "basis" || c.name == "description" {
			width = 30
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return apperr.Wrap(err, "catalog: column width")
		}
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: bold, Value: c.zh}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return apperr.Wrap(err, "catalog: write header")
	}
	for r, row := range rows {
		cells := make([]any, len(row))
		for i, v := range row {
			if n, err := strconv.Atoi(v); err == nil && numericColumns[cols[i].name] {
				cells[i] = n
				continue
			}
			if len(utf16.Encode([]rune(v))) > maxCellUTF16 {
				place := (&table{name: name, sheet: true}).cellAt(r+2, i, cols[i].name)
				return apperr.Fields{apperr.Field(place, "too_long", apperr.M(
					fmt.Sprintf("内容超过 Excel 单元格上限（%d 个字符），请改用 JSON 或 CSV 导出", maxCellUTF16),
					fmt.Sprintf("longer than an Excel cell holds (%d characters); export as JSON or CSV instead", maxCellUTF16)))}.Err()
			}
			cells[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return apperr.Wrap(err, "catalog: write row")
		}
	}
	return apperr.Wrap(sw.Flush(), "catalog: write sheet")
}

// writeReadme adds the sheet that explains the workbook to whoever opens it.
func writeReadme(f *excelize.File) error {
	if _, err := f.NewSheet(readmeSheet); err != nil {
		return apperr.Wrap(err, "catalog: add sheet")
	}
	rows := [][]any{
		{"onewindow 事项目录 / onewindow service catalogue"},
		{"每个工作表第一行为表头；表头可写中文名或字段名。列表用 | 分隔（如 4|5）；收费写成 名称:金额(分) 或 名称:金额(分):依据；是/否 也可写 true/false。本表导入时忽略。"},
		{"The first row of each sheet is its header, by Chinese name or field name. Lists are separated by | (4|5); fees are name:amount_fen or name:amount_fen:basis; yes/no may be 是/否 or true/false. This sheet is ignored on import."},
		{},
		{"工作表 / sheet", "表头 / header", "字段名 / field", "必填 / required"},
	}
	for _, sh := range []struct {
		name string
		cols []column
	}{{itemsSheet, itemColumns}, {materialsSheet, materialColumns}, {departmentsSheet, departmentColumns}} {
		for _, c := range sh.cols {
			rows = append(rows, []any{sh.name, c.zh, c.name, yesNo(c.required)})
		}
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(readmeSheet, cell, &row); err != nil {
			return apperr.Wrap(err, "catalog: write readme")
		}
	}
	return apperr.Wrap(f.SetColWidth(readmeSheet, "A", "D", 18), "catalog: write readme")
}
