package catalog

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
)

// A catalogue in rows and columns comes as three tables (items, materials,
// departments): three CSV files, or three worksheets of one .xlsx workbook.
// Both are read by the same code, so that they take the same columns and
// report the same problems; only the way a place is named differs
// ("items.csv:12:name" for a file, "事项!C12:name" for a worksheet).

// column is one column of a table: its name, whether it must be present,
// and its Chinese header, which an import accepts as well as the name and
// which the workbook export writes.
type column struct {
	name     string
	required bool
	zh       string
}

var itemColumns = []column{
	{"code", true, "实施编码"}, {"base_code", true, "基本编码"}, {"name", true, "事项名称"}, {"name_en", false, "英文名称"},
	{"type", true, "事项类型"}, {"department", true, "实施主体编码"}, {"levels", true, "行使层级"},
	{"legal_limit_days", true, "法定办结时限"}, {"promised_limit_days", true, "承诺办结时限"},
	{"visits", false, "到办事现场次数"}, {"online_depth", false, "网办深度"}, {"fees", false, "收费"},
	{"result_type", false, "办理结果类型"}, {"result_name", false, "办理结果名称"}, {"conditions", false, "受理条件"},
	{"basis", false, "设定依据"}, {"location", false, "办理地点"}, {"hours", false, "办理时间"}, {"contact", false, "咨询方式"},
	{"supplement_days", false, "补正时限"}, {"life_events", false, "主题分类"}, {"serves_persons", false, "面向自然人"},
	{"serves_enterprises", false, "面向法人"}, {"fields", false, "表单字段"}, {"aliases", false, "别名"},
	{"guide", false, "办事指南"},
}

var materialColumns = []column{
	{"item_code", true, "事项编码"}, {"name", true, "材料名称"}, {"type", true, "材料类型"}, {"requirement", true, "必要性"},
	{"originals", false, "原件份数"}, {"copies", false, "复印件份数"}, {"form", false, "材料形式"}, {"source", false, "来源渠道"},
	{"description", false, "填报须知"}, {"sample", false, "样表"}, {"licence", false, "可免提交的电子证照"},
}

var departmentColumns = []column{
	{"code", true, "部门编码"}, {"name", true, "部门名称"}, {"name_en", false, "英文名称"},
	{"credit_code", false, "统一社会信用代码"}, {"kind", false, "部门类别"},
}

// columnNamed finds the column a header cell names, by its name (in any
// case) or its Chinese header.
func columnNamed(cols []column, header string) (column, bool) {
	h := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header, csvBOM)))
	i := slices.IndexFunc(cols, func(c column) bool { return c.name == h || c.zh == h })
	if i < 0 {
		return column{}, false
	}
	return cols[i], true
}

// roleOf tells the three tables apart by their header: the materials table
// names an item code, the items table a basic code, the departments table
// only a code. It returns the table's role (itemsFile, materialsFile,
// departmentsFile) or "" when the header is none of them.
func roleOf(header []string) string {
	has := func(cols []column, name string) bool {
		return slices.ContainsFunc(header, func(h string) bool {
			c, ok := columnNamed(cols, h)
			return ok && c.name == name
		})
	}
	switch {
	case has(materialColumns, "item_code"):
		return materialsFile
	case has(itemColumns, "base_code"):
		return itemsFile
	case has(departmentColumns, "code"):
		return departmentsFile
	}
	return ""
}

// table is one table being read: where its rows come from and how its
// places are named.
type table struct {
	name  string // "items.csv", or the worksheet's name
	sheet bool   // a worksheet: places carry column letters, rows may end early
	rows  rowSource
	// index maps a column name to its position in the header, once read.
	index map[string]int
}

// rowSource yields a table's records in order with the line (CSV) or row
// (worksheet) each starts on. A problem that stops the reading is added to
// bad, and ok is false from then on.
type rowSource interface {
	next(bad *apperr.Fields) (rec []string, line int, ok bool)
}

// at names a place in the table: a line and column of a CSV file
// ("items.csv:12:name"), or a cell of a worksheet with its column's name
// ("事项!C12:name"). col may be empty, and a worksheet column whose position
// is unknown (a missing column) gives the row alone ("事项!1:department").
func (t *table) at(line int, col string) string {
	i, ok := t.index[col]
	if !ok {
		i = -1
	}
	return t.cellAt(line, i, col)
}

// cellAt is at for a cell known by its position in the row.
func (t *table) cellAt(line, i int, col string) string {
	suffix := ""
	if col != "" {
		suffix = ":" + col
	}
	if !t.sheet {
		return fmt.Sprintf("%s:%d%s", t.name, line, suffix)
	}
	if i < 0 {
		return fmt.Sprintf("%s!%d%s", t.name, line, suffix)
	}
	return fmt.Sprintf("%s!%s%d%s", t.name, columnLetters(i), line, suffix)
}

// columnLetters gives the spreadsheet name of the column at position i
// (0 → A, 25 → Z, 26 → AA).
func columnLetters(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// read checks the header against cols, then calls row for every record
// with a way to read a cell by column name. A record that does not fit the
// header (a CSV line with another number of cells, a worksheet row with
// values beyond the header) is reported and passed on as broken.
func (t *table) read(cols []column, bad *apperr.Fields, row func(line int, cell func(string) string, broken bool)) {
	header, _, ok := t.rows.next(bad)
	if !ok {
		return
	}
	t.index = map[string]int{}
	headerOK := true
	for i, h := range header {
		c, known := columnNamed(cols, h)
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, csvBOM)))
		_, dup := t.index[c.name]
		switch {
		case !known:
			bad.Add(t.cellAt(1, i, h), "unknown_column", apperr.M(fmt.Sprintf("未知的列 %q", h), fmt.Sprintf("unknown column %q", h)))
			headerOK = false
		case dup:
			bad.Add(t.cellAt(1, i, c.name), "duplicate_column", apperr.M(fmt.Sprintf("列 %q 出现了两次", h), fmt.Sprintf("column %q appears twice", h)))
			headerOK = false
		default:
			t.index[c.name] = i
		}
	}
	for _, c := range cols {
		if _, ok := t.index[c.name]; c.required && !ok {
			bad.Add(t.at(1, c.name), "missing_column", apperr.M(fmt.Sprintf("缺少必需的列 %q（%s）", c.name, c.zh),
				fmt.Sprintf("the required column %q is missing", c.name)))
			headerOK = false
		}
	}
	if !headerOK {
		return
	}
	for {
		rec, line, ok := t.rows.next(bad)
		if !ok {
			return
		}
		broken := false
		switch {
		case !t.sheet && len(rec) != len(header):
			broken = true
			bad.Add(t.cellAt(line, -1, ""), "column_count", apperr.M(
				fmt.Sprintf("该行有 %d 列，表头有 %d 列", len(rec), len(header)),
				fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(header))))
		case t.sheet:
			for i := len(header); i < len(rec); i++ {
				if strings.TrimSpace(rec[i]) != "" {
					broken = true
					bad.Add(t.cellAt(line, i, ""), "outside_header", apperr.M("该单元格所在的列没有表头",
						"this cell is in a column without a header"))
				}
			}
		}
		row(line, func(col string) string {
			if i, ok := t.index[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}, broken)
	}
}

// csvRows reads the records of a CSV file.
type csvRows struct {
	name string
	r    *csv.Reader
	read int // records read so far
	done bool
}

func newCSVRows(name string, r io.Reader) *csvRows {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	return &csvRows{name: name, r: cr}
}

func (c *csvRows) next(bad *apperr.Fields) ([]string, int, bool) {
	if c.done {
		return nil, 0, false
	}
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		c.done = true
		if c.read == 0 {
			bad.Add(c.name+":1", "empty_file", apperr.M("文件为空，第一行应为表头", "the file is empty; the first row must be the header"))
		}
		return nil, 0, false
	}
	if err != nil {
		c.done = true
		csvSyntaxError(c.name, err, bad)
		return nil, 0, false
	}
	c.read++
	line, _ := c.r.FieldPos(0)
	return rec, line, true
}

// parseTables reads the three tables of a catalogue (materials and
// departments may be nil) and validates every record; every problem is
// reported under its place.
func parseTables(items, materials, departments *table) (*Catalogue, error) {
	var bad apperr.Fields
	c := &Catalogue{origins: &origins{items: items, materials: materials, departments: departments}}
	o := c.origins
	if departments != nil {
		departments.read(departmentColumns, &bad, func(line int, cell func(string) string, broken bool) {
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
	items.read(itemColumns, &bad, func(line int, cell func(string) string, broken bool) {
		if broken {
			brokenItems[cell("code")] = true
			return
		}
		it := itemFromRow(func(col string) string { return items.at(line, col) }, cell, &bad)
		if _, dup := index[it.Code]; !dup {
			index[it.Code] = len(c.Items)
		}
		c.Items = append(c.Items, it)
		o.itemLines = append(o.itemLines, line)
		o.materialLines = append(o.materialLines, nil)
	})
	if materials != nil {
		materials.read(materialColumns, &bad, func(line int, cell func(string) string, broken bool) {
			if broken {
				return
			}
			at := func(col string) string { return materials.at(line, col) }
			code := cell("item_code")
			i, ok := index[code]
			if !ok {
				if !brokenItems[code] {
					bad.Add(at("item_code"), "unknown_item", apperr.M(
						fmt.Sprintf("%s 中没有编码为 %q 的事项", items.name, code), fmt.Sprintf("no item with code %q in %s", code, items.name)))
				}
				return
			}
			c.Items[i].Materials = append(c.Items[i].Materials, Material{
				Name: cell("name"), Type: cell("type"), Requirement: cell("requirement"),
				Originals: parseInt(cell("originals"), at("originals"), &bad),
				Copies:    parseInt(cell("copies"), at("copies"), &bad),
				Form:      cell("form"), Source: cell("source"), Description: cell("description"), Sample: cell("sample"),
				Licence: cell("licence"),
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

func csvSyntaxError(name string, err error, bad *apperr.Fields) {
	line := 1
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.Line
	}
	bad.Add(fmt.Sprintf("%s:%d", name, line), "invalid_csv", apperr.M("CSV 格式错误："+err.Error()+"（之后的行未读取）",
		"malformed CSV: "+err.Error()+" (the rest of the file was not read)"))
}
