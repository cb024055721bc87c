package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
)

// MaxJSONBody is the largest JSON request body accepted.
const MaxJSONBody = 1 << 20

// lang picks the response language: ?lang=, then Accept-Language; Chinese by default.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return l
	}
	al := r.Header.Get("Accept-Language")
	for _, part := range strings.Split(al, ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		tag = strings.ToLower(tag)
		if strings.HasPrefix(tag, "zh") {
			return "zh-CN"
		}
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
	}
	return "zh-CN"
}

var statusOf = map[apperr.Code]int{
	apperr.Invalid:      http.StatusUnprocessableEntity,
	apperr.BadRequest:   http.StatusBadRequest,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.TooLarge:     http.StatusRequestEntityTooLarge,
	apperr.Unsupported:  http.StatusUnsupportedMediaType,
	apperr.RateLimited:  http.StatusTooManyRequests,
	apperr.Unavailable:  http.StatusServiceUnavailable,
	apperr.Internal:     http.StatusInternalServerError,
}

type fieldProblem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeProblem renders err as an RFC 9457 problem document.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	ae := apperr.As(err)
	status := statusOf[ae.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", ae.Error())
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
		return jsonProblem(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return badRequest("请求体只能包含一个JSON对象", "the body must hold exactly one JSON object")
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

// page is the envelope of every list.
type page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}
