package region

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
)

// Column is a CSV column an importer knows.
type Column struct {
	Name     string
	Required bool
}

const csvBOM = "\ufeff"

// ReadCSV reads a CSV file whose first row names the columns, in any order.
// It checks the header against cols, then calls row for each record with its
// line number and a way to read a cell by column name. Problems are added to
// bad under "name:line:column", so that a user finds them in the file.
func ReadCSV(name string, r io.Reader, cols []Column, bad *apperr.Fields, row func(line int, cell func(string) string)) {
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
	ok := true
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, csvBOM)
		}
		h = strings.ToLower(strings.TrimSpace(h))
		at := fmt.Sprintf("%s:1:%s", name, h)
		if _, dup := index[h]; dup {
			bad.Add(at, "duplicate_column", apperr.M(fmt.Sprintf("列 %q 出现了两次", h), fmt.Sprintf("column %q appears twice", h)))
			ok = false
			continue
		}
		if !slices.ContainsFunc(cols, func(c Column) bool { return c.Name == h }) {
			bad.Add(at, "unknown_column", apperr.M(fmt.Sprintf("未知的列 %q", h), fmt.Sprintf("unknown column %q", h)))
			ok = false
			continue
		}
		index[h] = i
	}
	for _, c := range cols {
		if _, found := index[c.Name]; c.Required && !found {
			bad.Add(fmt.Sprintf("%s:1:%s", name, c.Name), "missing_column",
				apperr.M(fmt.Sprintf("缺少必需的列 %q", c.Name), fmt.Sprintf("the required column %q is missing", c.Name)))
			ok = false
		}
	}
	if !ok {
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
		if len(rec) != len(header) {
			bad.Add(fmt.Sprintf("%s:%d", name, line), "column_count", apperr.M(
				fmt.Sprintf("该行有 %d 列，表头有 %d 列", len(rec), len(header)),
				fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(header))))
			continue
		}
		row(line, func(col string) string {
			if i, found := index[col]; found {
				return strings.TrimSpace(rec[i])
			}
			return ""
		})
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

// Prefixed renames the fields of f to "prefix:field" (a line and a column).
func Prefixed(prefix string, f apperr.Fields) apperr.Fields {
	out := make(apperr.Fields, len(f))
	for i, e := range f {
		e.Field = prefix + ":" + e.Field
		out[i] = e
	}
	return out
}

// LooksLikeJSON reports whether data starts with "{" (after spaces and a byte
// order mark): GeoJSON rather than CSV.
func LooksLikeJSON(data []byte) bool {
	s := strings.TrimLeft(strings.TrimPrefix(string(data[:min(len(data), 64)]), csvBOM), " \t\r\n")
	return strings.HasPrefix(s, "{")
}

// maxImportErrors caps the field errors one import reports.
const maxImportErrors = 200

// Capped keeps the first maxImportErrors problems and says how many more there were.
func Capped(f apperr.Fields) apperr.Fields {
	if len(f) <= maxImportErrors {
		return f
	}
	more := len(f) - maxImportErrors
	f = f[:maxImportErrors]
	f.Add("(more)", "more_errors", apperr.M(fmt.Sprintf("另有 %d 处错误未列出", more), fmt.Sprintf("%d more problems not listed", more)))
	return f
}

// Merge appends to f the problems of more whose field f does not name yet,
// so that a cell that could not be read is reported once.
func Merge(f, more apperr.Fields) apperr.Fields {
	for _, e := range more {
		if !slices.ContainsFunc(f, func(prev apperr.FieldError) bool { return prev.Field == e.Field }) {
			f = append(f, e)
		}
	}
	return f
}
