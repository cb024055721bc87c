package apperr

import "net/http"

// Codes lists every Code.
var Codes = []Code{Invalid, BadRequest, NotFound, Conflict, Forbidden, Unauthorized, TooLarge, Unsupported,
	MethodNotAllowed, RateLimited, Unavailable, Timeout, Internal}

// HTTPStatus is the HTTP status that answers an error of code c, the same
// for the API and the pages; an unknown code is a 500.
func (c Code) HTTPStatus() int {
	switch c {
	case Invalid:
		return http.StatusUnprocessableEntity
	case BadRequest:
		return http.StatusBadRequest
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Forbidden:
		return http.StatusForbidden
	case Unauthorized:
		return http.StatusUnauthorized
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case Unsupported:
		return http.StatusUnsupportedMediaType
	case MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case RateLimited:
		return http.StatusTooManyRequests
	case Unavailable:
		return http.StatusServiceUnavailable
	case Timeout:
		return http.StatusRequestTimeout
	}
	return http.StatusInternalServerError
}

// RoleNotAllowed is the one refusal of a caller whose role may not do what
// it asked (403 "role_not_allowed"), with msg saying what (a general
// sentence when zero). It is marked Denied, so the HTTP layer writes it to
// the audit log.
func RoleNotAllowed(msg Msg) *Error {
	if msg == (Msg{}) {
		msg = M("您的角色无权执行此操作", "your role may not do this")
	}
	e := New(Forbidden, "role_not_allowed", msg)
	e.Denied = true
	return e
}
