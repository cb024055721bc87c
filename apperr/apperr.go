// Package apperr defines application errors with stable codes and messages in
// Chinese and English. Every package returns these; the HTTP layer maps the
// code to a status in one place and renders RFC 9457 problem documents.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Code is a stable, machine-readable error class.
type Code string

const (
	Invalid          Code = "invalid"            // the request is well-formed but a field is wrong (422)
	BadRequest       Code = "bad_request"        // the request cannot be parsed (400)
	NotFound         Code = "not_found"          // missing, or not visible to the caller (404)
	Conflict         Code = "conflict"           // a concurrent change or a state that forbids the action (409)
	Forbidden        Code = "forbidden"          // authenticated but outside the caller's role or scope (403)
	Unauthorized     Code = "unauthorized"       // no or bad credentials (401)
	TooLarge         Code = "too_large"          // body over the limit (413)
	Unsupported      Code = "unsupported"        // media type not accepted (415)
	MethodNotAllowed Code = "method_not_allowed" // the path exists, the method does not (405)
	RateLimited      Code = "rate_limited"       // too many attempts (429)
	Unavailable      Code = "unavailable"        // overloaded or not ready (503)
	Timeout          Code = "timeout"            // the request did not arrive in time (408)
	Internal         Code = "internal"           // a bug or an infrastructure failure (500)
)

// Msg is a user-facing message in both languages of the UI.
type Msg struct {
	ZH string
	EN string
}

// M builds a message from its Chinese and English text.
func M(zh, en string) Msg { return Msg{ZH: zh, EN: en} }

// In returns the message in lang ("en…" gives English, anything else Chinese).
func (m Msg) In(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") && m.EN != "" {
		return m.EN
	}
	return m.ZH
}

// FieldError names one wrong field. Field uses the JSON path of the request
// ("materials[2].type") or, for imports, "line 12: code".
type FieldError struct {
	Field   string
	Code    string
	Message Msg
}

// Error is an application error. Reason is a finer stable code than Code
// ("case_version_conflict", "item_not_at_level"); Extra carries data the
// client needs to recover (for a 409: the current state and version).
type Error struct {
	Code    Code
	Reason  string
	Message Msg
	Fields  []FieldError
	Extra   map[string]any
	Err     error // internal cause, logged, never shown
	// Denied marks a refusal of access outside the caller's scope; the HTTP
	// layer writes it to the audit log whatever status it is shown as.
	Denied bool
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Reason != "" {
		b.WriteString("/" + e.Reason)
	}
	b.WriteString(": " + e.Message.EN)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message.EN)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given class.
func New(code Code, reason string, msg Msg) *Error {
	return &Error{Code: code, Reason: reason, Message: msg}
}

// With attaches extra data for the client and returns e.
func (e *Error) With(key string, value any) *Error {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[key] = value
	return e
}

// Field builds one field error.
func Field(field, code string, msg Msg) FieldError {
	return FieldError{Field: field, Code: code, Message: msg}
}

// Fields collects field errors; Err returns nil when none were added, so a
// validator can add as it goes and return v.Err() at the end.
type Fields []FieldError

// Add appends a field error.
func (f *Fields) Add(field, code string, msg Msg) { *f = append(*f, Field(field, code, msg)) }

// Err returns an Invalid error holding every field error, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Reason: "validation_failed",
		Message: M("提交的内容有误，请按提示修改", "some fields are not valid"), Fields: f}
}

// Wrap reports an unexpected failure as Internal, keeping the cause for the log.
func Wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	var ae *Error
	if errors.As(err, &ae) {
		return err
	}
	return &Error{Code: Internal, Reason: "internal", Message: M("系统内部错误，请稍后重试", "internal error, please try again later"),
		Err: fmt.Errorf("%s: %w", what, err)}
}

// CodeOf returns the class of err: Internal for anything that is not an *Error.
func CodeOf(err error) Code {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	return Internal
}

// As returns err as *Error, wrapping foreign errors as Internal.
func As(err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	return Wrap(err, "unexpected").(*Error)
}

// NotFoundf is the common "no such thing, or not yours to see" error.
func NotFoundf(reason string, msg Msg) *Error { return New(NotFound, reason, msg) }
