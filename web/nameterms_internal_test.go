package web

import (
	"fmt"
	"strings"
	"testing"
)

// The terms of names are kept for names seen again, but never for more than
// maxNameTerms names, however many distinct names pass.
func TestNameTermsBounded(t *testing.T) {
	if got := nameTerms("青州"); !strings.Contains(got, "qz") {
		t.Fatalf(`nameTerms("青州") = %q, want its pinyin and initials`, got)
	}
	for i := range maxNameTerms + 500 {
		nameTerms(fmt.Sprintf("青州第%d服务点", i))
		termsOfName.mu.Lock()
		n := len(termsOfName.m)
		termsOfName.mu.Unlock()
		if n > maxNameTerms {
			t.Fatalf("after %d names %d are kept, more than %d", i+1, n, maxNameTerms)
		}
	}
	// A name just seen is kept and answered alike.
	name := fmt.Sprintf("青州第%d服务点", maxNameTerms+499)
	termsOfName.mu.Lock()
	_, kept := termsOfName.m[name]
	termsOfName.mu.Unlock()
	if !kept {
		t.Errorf("the last name seen, %s, is not kept", name)
	}
	if a, b := nameTerms(name), nameTerms(name); a != b || a == "" {
		t.Errorf("nameTerms(%s) = %q then %q", name, a, b)
	}
}
