package ident

import (
	"testing"

	"github.com/onewindow/onewindow/apperr"
)

func TestOptionalMobile(t *testing.T) {
	var f apperr.Fields
	if got := OptionalMobile(&f, "phone", "  "); got != "" || len(f) != 0 {
		t.Fatalf("blank: got %q, problems %v", got, f)
	}
	if got := OptionalMobile(&f, "phone", "138-0013 8000"); got != "13800138000" || len(f) != 0 {
		t.Fatalf("valid: got %q, problems %v", got, f)
	}
	if got := OptionalMobile(&f, "contact.phone", "12345"); got != "12345" || len(f) != 1 || f[0].Field != "contact.phone" {
		t.Fatalf("invalid: got %q, problems %+v", got, f)
	}
}
