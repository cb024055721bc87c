package apperr_test

import (
	"testing"

	"github.com/onewindow/onewindow/apperr"
)

// Every code has its own status, a client error or a server error as the
// code's comment says; only Internal and unknown codes are 500.
func TestEveryCodeHasItsStatus(t *testing.T) {
	seen := map[int]apperr.Code{}
	for _, c := range apperr.Codes {
		st := c.HTTPStatus()
		if other, dup := seen[st]; dup {
			t.Errorf("%s and %s both answer %d", c, other, st)
		}
		seen[st] = c
		if (st >= 500) != (c == apperr.Internal || c == apperr.Unavailable) {
			t.Errorf("%s answers %d", c, st)
		}
	}
	if got := apperr.Code("no_such_code").HTTPStatus(); got != 500 {
		t.Errorf("an unknown code answers %d, want 500", got)
	}
	if apperr.MethodNotAllowed.HTTPStatus() != 405 || apperr.Timeout.HTTPStatus() != 408 || apperr.Invalid.HTTPStatus() != 422 {
		t.Error("405, 408 or 422 mapped wrongly")
	}
}
