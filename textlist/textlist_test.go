package textlist

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestDistinct(t *testing.T) {
	for _, tc := range []struct {
		in, want []string
	}{
		{nil, nil},
		{[]string{"", "  "}, nil},
		{[]string{" 身份证 ", "身份证", "户口簿"}, []string{"身份证", "户口簿"}},
		{[]string{"b", "a", "b", "c", "a"}, []string{"b", "a", "c"}},
	} {
		if got := Distinct(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Distinct(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOrEmptyWritesAnEmptyJSONList(t *testing.T) {
	b, _ := json.Marshal(OrEmpty[string](nil))
	if string(b) != "[]" {
		t.Fatalf("OrEmpty(nil) marshals as %s, want []", b)
	}
	in := []int{3}
	if got := OrEmpty(in); &got[0] != &in[0] {
		t.Fatal("OrEmpty copied a list it should have returned as is")
	}
}
