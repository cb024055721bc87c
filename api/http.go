package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/locale"
)

// MaxJSONBody is the largest JSON request body accepted.
const MaxJSONBody = 1 << 20

// lang picks the response language: ?lang= (en… for English, anything
// else Chinese), then Accept-Language with its quality values
// (locale.Negotiate); Chinese by default.
func lang(r *http.Request) string {
	if l := strings.ToLower(r.URL.Query().Get("lang")); l != "" {
		if strings.HasPrefix(l, "en") {
			return locale.English
		}
		return locale.Chinese
	}
	return locale.Negotiate(r.Header.Get("Accept-Language"))
}

type fieldProblem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeProblem renders err as an RFC 9457 problem document.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	ae := apperr.As(err)
	status := ae.Code.HTTPStatus()
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", ae.Error())
	}
	l := lang(r)
	body := map[string]any{
		"type":   "urn:onewindow:problem:" + ae.Reason,
		"title":  ae.Message.In(l),
		"status": status,
		"code":   ae.Reason,
		"detail": ae.Message.In(l),
	}
	if ae.Reason == "" {
		body["code"] = string(ae.Code)
		body["type"] = "urn:onewindow:problem:" + string(ae.Code)
	}
	if r != nil {
		body["instance"] = r.URL.Path
	}
	if len(ae.Fields) > 0 {
		fs := make([]fieldProblem, len(ae.Fields))
		for i, f := range ae.Fields {
			fs[i] = fieldProblem{Field: f.Field, Code: f.Code, Message: f.Message.In(l)}
		}
		body["errors"] = fs
	}
	for k, v := range ae.Extra {
		if _, taken := body[k]; !taken {
			body[k] = v
		}
	}
	if ra, ok := ae.Extra["retry_after"]; ok {
		w.Header().Set("Retry-After", fmt.Sprint(ra))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Language", l)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// writeJSON renders v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

func badRequest(zh, en string) *apperr.Error {
	return apperr.New(apperr.BadRequest, "malformed_json", apperr.M(zh, en))
}

// decodeJSON reads one JSON object into v: at most MaxJSONBody bytes, no
// unknown fields, nothing after it. Type errors name the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// readJSONBody reads a JSON request body within the size limit.
func readJSONBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/problem+json") {
		return nil, apperr.New(apperr.Unsupported, "unsupported_media_type", apperr.M("请求体须为 application/json", "the body must be application/json"))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, apperr.New(apperr.TooLarge, "body_too_large", apperr.M("请求体超过1 MiB上限", "the request body is larger than 1 MiB"))
		}
		if ae := bodyTimeout(err); ae != nil {
			return nil, ae
		}
		return nil, badRequest("无法读取请求体", "could not read the request body")
	}
	return body, nil
}

// decodeBytes decodes one JSON object strictly.
func decodeBytes(body []byte, v any) error {
	if !utf8.Valid(body) {
		return badRequest("请求体不是有效的UTF-8文本", "the request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			// The decoder names only the key; say where it is ("applicant.foo").
			name = strings.Trim(name, `"`)
			return apperr.Fields{apperr.Field(unknownFieldPath(body, reflect.TypeOf(v), name), "unknown_field",
				apperr.M("不认识的字段", "unknown field"))}.Err()
		}
		return jsonProblem(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return badRequest("请求体只能包含一个JSON对象", "the body must hold exactly one JSON object")
	}
	// In JSON a NUL can only be written as an escape; look closer only then.
	if bytes.Contains(body, []byte(`\u0000`)) {
		if field, found := nulField(body); found {
			return nulProblem(field)
		}
	}
	return nil
}

// nulProblem refuses U+0000 in any text: no field needs it, and PostgreSQL
// cannot store it, so it is turned away at the door with the field named.
func nulProblem(field string) error {
	return apperr.Fields{apperr.Field(field, "nul_character",
		apperr.M("不能包含空字符（U+0000）", "must not contain the NUL character (U+0000)"))}.Err()
}

// nulField returns the path of the first key or string in body that holds a NUL.
func nulField(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return "", false
	}
	var walk func(v any, path string) (string, bool)
	walk = func(v any, path string) (string, bool) {
		switch d := v.(type) {
		case string:
			return path, strings.ContainsRune(d, 0)
		case []any:
			for i, el := range d {
				if p, found := walk(el, fmt.Sprintf("%s[%d]", path, i)); found {
					return p, true
				}
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(d)) {
				p := k
				if path != "" {
					p = path + "." + k
				}
				if strings.ContainsRune(k, 0) {
					return p, true
				}
				if p, found := walk(d[k], p); found {
					return p, true
				}
			}
		}
		return "", false
	}
	return walk(doc, "")
}

// checkRequestText refuses a path or query parameter that is not valid
// UTF-8 or holds a NUL: PostgreSQL cannot compare such text, and no
// parameter needs it.
func checkRequestText(r *http.Request) error {
	bad := func(field, v string) error {
		if !utf8.ValidString(v) {
			return apperr.Fields{apperr.Field(field, "utf8", apperr.M("须为有效的UTF-8文本", "must be valid UTF-8 text"))}.Err()
		}
		if strings.ContainsRune(v, 0) {
			return nulProblem(field)
		}
		return nil
	}
	if err := bad("path", r.URL.Path); err != nil {
		return err
	}
	if !strings.Contains(r.URL.RawQuery, "%") {
		return nil // nothing escaped, and the server has already refused raw control bytes
	}
	q := r.URL.Query()
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if err := bad("query", name); err != nil {
			return err
		}
		for _, v := range q[name] {
			if err := bad(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	msg := err.Error()
	switch {
	case errors.As(err, &syn):
		return badRequest(fmt.Sprintf("JSON格式错误（第%d字节）", syn.Offset), fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return apperr.Fields{apperr.Field(field, "type", apperr.M(
			fmt.Sprintf("字段类型错误：应为%s", typ.Type.String()), fmt.Sprintf("wrong type: expected %s", typ.Type.String())))}.Err()
	case strings.HasPrefix(msg, "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return apperr.Fields{apperr.Field(name, "unknown_field", apperr.M("不认识的字段", "unknown field"))}.Err()
	case errors.Is(err, io.EOF):
		return badRequest("请求体为空", "the request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("JSON不完整", "the JSON ends too early")
	}
	return badRequest("JSON格式错误", "malformed JSON")
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// unknownFieldPath finds the key name that t does not know in the JSON body
// and returns its dotted path, or name itself when it cannot be placed.
func unknownFieldPath(body []byte, t reflect.Type, name string) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return name
	}
	if path, ok := findUnknownKey(doc, t, name, ""); ok {
		return path
	}
	return name
}

func findUnknownKey(doc any, t reflect.Type, name, prefix string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return "", false
	}
	join := func(key string) string {
		if prefix == "" {
			return key
		}
		return prefix + "." + key
	}
	switch d := doc.(type) {
	case map[string]any:
		for key, val := range d {
			switch t.Kind() {
			case reflect.Struct:
				ft, known := jsonFieldType(t, key)
				if !known {
					if key == name {
						return join(key), true
					}
					continue
				}
				if path, ok := findUnknownKey(val, ft, name, join(key)); ok {
					return path, true
				}
			case reflect.Map:
				if path, ok := findUnknownKey(val, t.Elem(), name, join(key)); ok {
					return path, true
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, val := range d {
				if path, ok := findUnknownKey(val, t.Elem(), name, fmt.Sprintf("%s[%d]", prefix, i)); ok {
					return path, true
				}
			}
		}
	}
	return "", false
}

// jsonFieldType returns the type of the struct field that encoding/json
// would fill from key: exact name first, then case-insensitively, looking
// into embedded structs.
func jsonFieldType(t reflect.Type, key string) (reflect.Type, bool) {
	var fold reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if inner, ok := jsonFieldType(ft, key); ok {
					return inner, true
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		fieldName := tag
		if fieldName == "" {
			fieldName = f.Name
		}
		if fieldName == key {
			return f.Type, true
		}
		if fold == nil && strings.EqualFold(fieldName, key) {
			fold = f.Type
		}
	}
	return fold, fold != nil
}

// pathID parses a numeric path value.
func pathID(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, apperr.Fields{apperr.Field(name, "format", apperr.M("编号须为正整数", "must be a positive integer"))}.Err()
	}
	return v, nil
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		return 0, apperr.Fields{apperr.Field(name, "range", apperr.M(
			fmt.Sprintf("须为%d到%d之间的整数", lo, hi), fmt.Sprintf("must be an integer from %d to %d", lo, hi)))}.Err()
	}
	return v, nil
}

// queryFlag reads an optional true/false query parameter: nil when absent.
func queryFlag(r *http.Request, name string) (*bool, error) {
	var v bool
	switch r.URL.Query().Get(name) {
	case "":
		return nil, nil
	case "true", "1":
		v = true
	case "false", "0":
	default:
		return nil, apperr.Fields{apperr.Field(name, "format", apperr.M("须为 true 或 false", "must be true or false"))}.Err()
	}
	return &v, nil
}

// queryBool reads an optional true/false query parameter: false when absent.
func queryBool(r *http.Request, name string) (bool, error) {
	v, err := queryFlag(r, name)
	if err != nil {
		return false, apperr.Fields{apperr.Field(name, "format", apperr.M(name+" 须为 true 或 false", name+" must be true or false"))}.Err()
	}
	return v != nil && *v, nil
}

// page is the envelope of every list.
type page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}
