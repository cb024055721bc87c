package workday

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
)

// The holiday file an administrator imports, and the one embedded, look like
//
//	{"years": [{
//	  "year": 2025,
//	  "notice": {"title": "国务院办公厅关于2025年部分节假日安排的通知", "number": "国办发明电〔2024〕12号", "date": "2024-11-12"},
//	  "holidays": [
//	    {"name": "春节", "name_en": "Spring Festival", "from": "2025-01-28", "to": "2025-02-04",
//	     "makeup": ["2025-01-26", "2025-02-08"]}
//	  ]
//	}]}
//
// Each holiday lists its days off from "from" to "to" inclusive, and the
// weekend days worked in exchange. Only the dates inside the year are given:
// days off that fall in December of the year before belong to that year's notice.

const (
	maxImportBytes = 1 << 20 // a year takes about 2 KiB
	maxJSONDepth   = 16
	minYear        = 2000
	maxYear        = 2199
	maxPeriodDays  = 31 // the longest holiday period is 9 days; more is a typing error
	maxNameRunes   = 40
	maxNameENRunes = 80
	maxTitleRunes  = 200
	maxNumberRunes = 100
)

// ParseYears reads holiday data in the import format and validates every
// year. All problems are reported at once as apperr field errors named
// "line 12: years[0].holidays[1].to".
func ParseYears(r io.Reader) ([]YearData, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return nil, apperr.Wrap(err, "workday: read holiday data")
	}
	if len(data) > maxImportBytes {
		return nil, apperr.New(apperr.TooLarge, "holiday_file_too_large", apperr.M(
			"节假日数据文件超过 1 MiB", "the holiday file is larger than 1 MiB"))
	}
	p := newJSONParser(data)
	root, err := p.document()
	if err != nil {
		return nil, err
	}
	s := &importState{lines: map[string]int{}, failed: map[string]bool{}}
	years := s.document(root)
	if err := s.fields.Err(); err != nil {
		return nil, err
	}
	return years, nil
}

// importState maps the JSON tree onto YearData, remembering the line of every
// path so that later checks can name it too.
type importState struct {
	fields apperr.Fields
	lines  map[string]int
	failed map[string]bool // paths whose value could not be read
}

func (s *importState) add(path, code string, msg apperr.Msg) {
	s.fields.Add(fmt.Sprintf("line %d: %s", s.lineOf(path), path), code, msg)
}

// lineOf returns the line of path, or of its nearest ancestor in the file
// (a missing field is reported at the object that lacks it).
func (s *importState) lineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if line, ok := s.lines[p]; ok {
			return line
		}
	}
	return 1
}

// failedUnder tells whether path or one of its ancestors could not be read; a
// check on such a path would only repeat the first error.
func (s *importState) failedUnder(path string) bool {
	for p := path; p != ""; p = parentPath(p) {
		if s.failed[p] {
			return true
		}
	}
	return false
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func (s *importState) document(root *jsonNode) []YearData {
	if !s.expect(root, "", kindObject) {
		return nil
	}
	s.lines["years"] = root.line
	fields := s.object(root, "", "years")
	yearsNode := fields["years"]
	if yearsNode == nil {
		s.add("years", "required", apperr.M("缺少 years（年份列表）", "years is missing"))
		return nil
	}
	if !s.expect(yearsNode, "years", kindArray) {
		return nil
	}
	if len(yearsNode.elems) == 0 {
		s.add("years", "required", apperr.M("years 中至少需要一个年份", "years must hold at least one year"))
	}
	years := make([]YearData, len(yearsNode.elems))
	firstIndex := map[int]int{}
	for i, n := range yearsNode.elems {
		path := fmt.Sprintf("years[%d]", i)
		s.lines[path] = n.line
		years[i] = s.year(n, path)
		for _, is := range validateYear(years[i]) {
			if full := path + "." + is.path; !s.failedUnder(full) {
				s.add(full, is.code, is.msg)
			}
		}
		if y := years[i].Year; y != 0 {
			if j, dup := firstIndex[y]; dup {
				s.add(path+".year", "duplicate_year", apperr.M(
					fmt.Sprintf("%d 年已在 years[%d] 中出现", y, j),
					fmt.Sprintf("year %d already appears in years[%d]", y, j)))
			} else {
				firstIndex[y] = i
			}
		}
	}
	return years
}

func (s *importState) year(n *jsonNode, path string) YearData {
	var y YearData
	f := s.object(n, path, "year", "notice", "holidays")
	if v := f["year"]; v != nil {
		y.Year = s.integer(v, path+".year")
	}
	if v := f["notice"]; v != nil {
		np := path + ".notice"
		nf := s.object(v, np, "title", "number", "date")
		y.Notice.Title = s.str(nf["title"], np+".title")
		y.Notice.Number = s.str(nf["number"], np+".number")
		y.Notice.Date = s.date(nf["date"], np+".date")
	}
	if v := f["holidays"]; v != nil && s.expect(v, path+".holidays", kindArray) {
		y.Holidays = make([]Holiday, len(v.elems))
		for i, hn := range v.elems {
			hp := fmt.Sprintf("%s.holidays[%d]", path, i)
			s.lines[hp] = hn.line
			hf := s.object(hn, hp, "name", "name_en", "from", "to", "makeup")
			h := &y.Holidays[i]
			h.Name = s.str(hf["name"], hp+".name")
			h.NameEN = s.str(hf["name_en"], hp+".name_en")
			h.From = s.date(hf["from"], hp+".from")
			h.To = s.date(hf["to"], hp+".to")
			if m := hf["makeup"]; m != nil && m.kind != kindNull && s.expect(m, hp+".makeup", kindArray) {
				h.Makeup = make([]time.Time, len(m.elems))
				for j, dn := range m.elems {
					h.Makeup[j] = s.date(dn, fmt.Sprintf("%s.makeup[%d]", hp, j))
				}
			}
		}
	}
	return y
}

// object returns the members of an object node by name, reporting unknown and
// repeated fields; it returns nil (and reports) when n is not an object.
func (s *importState) object(n *jsonNode, path string, known ...string) map[string]*jsonNode {
	if path != "" {
		s.lines[path] = n.line
	}
	if !s.expect(n, path, kindObject) {
		return nil
	}
	out := map[string]*jsonNode{}
	for i, key := range n.keys {
		child := key
		if path != "" {
			child = path + "." + key
		}
		s.lines[child] = n.keyLines[i]
		switch {
		case !contains(known, key):
			s.add(child, "unknown_field", apperr.M(
				fmt.Sprintf("未知字段“%s”，可用字段：%s", key, strings.Join(known, "、")),
				fmt.Sprintf("unknown field %q; the fields are %s", key, strings.Join(known, ", "))))
		case out[key] != nil:
			s.add(child, "duplicate_field", apperr.M(
				fmt.Sprintf("字段“%s”重复出现", key), fmt.Sprintf("field %q appears twice", key)))
		default:
			out[key] = n.values[i]
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// expect reports a value of the wrong type and marks its path as failed.
func (s *importState) expect(n *jsonNode, path string, kind jsonKind) bool {
	if n.kind == kind {
		return true
	}
	if path != "" {
		s.lines[path] = n.line
	}
	s.failed[path] = true
	name := path
	if name == "" {
		name = "(document)"
	}
	s.fields.Add(fmt.Sprintf("line %d: %s", n.line, name), "type", apperr.M(
		fmt.Sprintf("应为%s，实际为%s", kind.zh(), n.kind.zh()),
		fmt.Sprintf("must be %s, not %s", kind.en(), n.kind.en())))
	return false
}

// str reads an optional string; null and absence give "".
func (s *importState) str(n *jsonNode, path string) string {
	if n == nil || n.kind == kindNull || !s.expect(n, path, kindString) {
		return ""
	}
	return n.text
}

func (s *importState) integer(n *jsonNode, path string) int {
	if n.kind == kindNull || !s.expect(n, path, kindNumber) {
		return 0
	}
	v, err := strconv.Atoi(n.text)
	if err != nil {
		s.failed[path] = true
		s.add(path, "type", apperr.M(fmt.Sprintf("应为整数，实际为 %s", n.text),
			fmt.Sprintf("must be a whole number, not %s", n.text)))
		return 0
	}
	return v
}

// date reads an optional date; null and absence give the zero time.
func (s *importState) date(n *jsonNode, path string) time.Time {
	if n == nil || n.kind == kindNull || !s.expect(n, path, kindString) {
		return time.Time{}
	}
	d, err := ParseDate(n.text)
	if err != nil {
		s.failed[path] = true
		s.add(path, "bad_date", apperr.As(err).Message)
		return time.Time{}
	}
	return d
}

// issue is one problem found in a YearData, at a path relative to the year.
type issue struct {
	path, code string
	msg        apperr.Msg
}

var weekdayZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// validateYear checks one year's arrangement: every date present and inside
// the year, periods in order and apart, make-up days on weekends and not on
// holidays, names present.
func validateYear(y YearData) []issue {
	var out []issue
	add := func(path, code, zh, en string) {
		out = append(out, issue{path: path, code: code, msg: apperr.M(zh, en)})
	}
	yearOK := false
	switch {
	case y.Year == 0:
		add("year", "required", "缺少年份", "the year is missing")
	case y.Year < minYear || y.Year > maxYear:
		add("year", "bad_year", fmt.Sprintf("年份应在 %d 至 %d 之间", minYear, maxYear),
			fmt.Sprintf("the year must lie between %d and %d", minYear, maxYear))
	default:
		yearOK = true
	}
	requireText := func(path, value string, limit int, zhName, enName string) {
		switch {
		case strings.TrimSpace(value) == "":
			add(path, "required", "缺少"+zhName, enName+" is missing")
		case utf8.RuneCountInString(value) > limit:
			add(path, "too_long", fmt.Sprintf("%s不能超过 %d 个字符", zhName, limit),
				fmt.Sprintf("%s must not exceed %d characters", enName, limit))
		}
	}
	requireText("notice.title", y.Notice.Title, maxTitleRunes, "通知标题", "the notice title")
	if utf8.RuneCountInString(y.Notice.Number) > maxNumberRunes {
		add("notice.number", "too_long", fmt.Sprintf("文号不能超过 %d 个字符", maxNumberRunes),
			fmt.Sprintf("the document number must not exceed %d characters", maxNumberRunes))
	}
	if len(y.Holidays) == 0 {
		add("holidays", "required", "至少需要一个节假日", "at least one holiday is needed")
	}
	checkDate := func(path string, d time.Time) bool {
		switch {
		case d.IsZero():
			add(path, "required", "缺少日期", "the date is missing")
			return false
		case yearOK && d.Year() != y.Year:
			add(path, "outside_year", fmt.Sprintf("%s 不在 %d 年内", FormatDate(d), y.Year),
				fmt.Sprintf("%s is not in %d", FormatDate(d), y.Year))
			return false
		}
		return yearOK
	}

	offDays := map[time.Time]int{} // day off → index of its holiday
	for i, h := range y.Holidays {
		p := fmt.Sprintf("holidays[%d]", i)
		requireText(p+".name", h.Name, maxNameRunes, "节假日名称", "the holiday name")
		requireText(p+".name_en", h.NameEN, maxNameENRunes, "节假日英文名称", "the English holiday name")
		fromOK := checkDate(p+".from", h.From)
		toOK := checkDate(p+".to", h.To)
		if !fromOK || !toOK {
			continue
		}
		if h.To.Before(h.From) {
			add(p+".to", "range_order", fmt.Sprintf("结束日期 %s 早于开始日期 %s", FormatDate(h.To), FormatDate(h.From)),
				fmt.Sprintf("the last day %s comes before the first day %s", FormatDate(h.To), FormatDate(h.From)))
			continue
		}
		if days := h.To.YearDay() - h.From.YearDay() + 1; days > maxPeriodDays {
			add(p+".to", "range_too_long", fmt.Sprintf("假期共 %d 天，超过 %d 天，请核对日期", days, maxPeriodDays),
				fmt.Sprintf("the period lasts %d days, more than %d; please check the dates", days, maxPeriodDays))
			continue
		}
		for d := h.From; !d.After(h.To); d = d.AddDate(0, 0, 1) {
			if j, taken := offDays[d]; taken {
				add(p+".from", "overlap", fmt.Sprintf("%s 已属于 holidays[%d]（%s）", FormatDate(d), j, y.Holidays[j].Name),
					fmt.Sprintf("%s already belongs to holidays[%d] (%s)", FormatDate(d), j, y.Holidays[j].NameEN))
				break
			}
			offDays[d] = i
		}
	}

	makeupAt := map[time.Time]string{}
	for i, h := range y.Holidays {
		for j, d := range h.Makeup {
			p := fmt.Sprintf("holidays[%d].makeup[%d]", i, j)
			if !checkDate(p, d) {
				continue
			}
			if !isWeekend(d) {
				add(p, "makeup_not_weekend",
					fmt.Sprintf("%s 是%s，调休上班日应为星期六或星期日", FormatDate(d), weekdayZH[d.Weekday()]),
					fmt.Sprintf("%s is a %s; a make-up working day is a Saturday or Sunday", FormatDate(d), d.Weekday()))
			}
			if k, off := offDays[d]; off {
				add(p, "makeup_on_holiday", fmt.Sprintf("%s 同时是 holidays[%d]（%s）的放假日", FormatDate(d), k, y.Holidays[k].Name),
					fmt.Sprintf("%s is also a day off of holidays[%d] (%s)", FormatDate(d), k, y.Holidays[k].NameEN))
			}
			if first, dup := makeupAt[d]; dup {
				add(p, "duplicate_date", fmt.Sprintf("%s 已在 %s 中列出", FormatDate(d), first),
					fmt.Sprintf("%s is already listed at %s", FormatDate(d), first))
				continue
			}
			makeupAt[d] = p
		}
	}
	return out
}

// The JSON is read token by token so that every value keeps the line it
// starts on; encoding/json reports positions only for syntax errors.

type jsonKind int

const (
	kindNull jsonKind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k jsonKind) zh() string {
	return [...]string{"null", "布尔值", "数字", "字符串", "数组", "对象"}[k]
}

func (k jsonKind) en() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

type jsonNode struct {
	kind     jsonKind
	line     int
	text     string // a string's value or a number's literal
	keys     []string
	keyLines []int
	values   []*jsonNode // object members, in the order of keys
	elems    []*jsonNode // array elements
}

type jsonParser struct {
	data       []byte
	dec        *json.Decoder
	lineStarts []int // offset at which each line after the first starts
}

func newJSONParser(data []byte) *jsonParser {
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	for i, c := range data {
		if c == '\n' {
			p.lineStarts = append(p.lineStarts, i+1)
		}
	}
	return p
}

// lineAt returns the 1-based line of byte offset off.
func (p *jsonParser) lineAt(off int64) int {
	return sort.SearchInts(p.lineStarts, int(off)+1) + 1
}

// nextStart returns the offset of the next token: the decoder's offset lies
// before any white space and separator that precede it.
func (p *jsonParser) nextStart() int64 {
	off := p.dec.InputOffset()
	for off < int64(len(p.data)) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// document parses one JSON value followed by nothing but white space.
func (p *jsonParser) document() (*jsonNode, error) {
	root, err := p.value(0)
	if err != nil {
		return nil, p.syntaxError(err)
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.syntaxFieldError(p.lineAt(p.nextStart()),
			"文档结束后还有多余内容", "there is more data after the end of the document")
	}
	return root, nil
}

var errTooDeep = errors.New("nested too deeply")

func (p *jsonParser) value(depth int) (*jsonNode, error) {
	if depth > maxJSONDepth {
		return nil, errTooDeep
	}
	n := &jsonNode{line: p.lineAt(p.nextStart())}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v != '{' && v != '[' {
			return nil, fmt.Errorf("unexpected %q", rune(v))
		}
		if v == '{' {
			n.kind = kindObject
			for p.dec.More() {
				keyLine := p.lineAt(p.nextStart())
				keyTok, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := keyTok.(string) // the decoder allows only strings here
				child, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key)
				n.keyLines = append(n.keyLines, keyLine)
				n.values = append(n.values, child)
			}
		} else {
			n.kind = kindArray
			for p.dec.More() {
				child, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, child)
			}
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.kind, n.text = kindString, v
	case json.Number:
		n.kind, n.text = kindNumber, string(v)
	case bool:
		n.kind, n.text = kindBool, strconv.FormatBool(v)
	case nil:
		n.kind = kindNull
	}
	return n, nil
}

func (p *jsonParser) syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return p.syntaxFieldError(p.lineAt(se.Offset),
			"JSON 格式错误："+se.Error(), "JSON syntax error: "+se.Error())
	case errors.Is(err, errTooDeep):
		return p.syntaxFieldError(p.lineAt(p.nextStart()), "JSON 嵌套层次过深", "the JSON is nested too deeply")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return p.syntaxFieldError(p.lineAt(int64(len(p.data))),
			"文件不完整，JSON 在此处意外结束", "the file is incomplete: the JSON ends unexpectedly")
	}
	return p.syntaxFieldError(p.lineAt(p.dec.InputOffset()), "JSON 格式错误："+err.Error(), "JSON error: "+err.Error())
}

func (p *jsonParser) syntaxFieldError(line int, zh, en string) error {
	var f apperr.Fields
	f.Add(fmt.Sprintf("line %d", line), "syntax", apperr.M(zh, en))
	return f.Err()
}
