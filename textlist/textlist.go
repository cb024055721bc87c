// Package textlist holds the two list rules that cases, enterprise requests
// and the hall share: a list of names or codes as a person typed it becomes
// its distinct non-empty entries, and a missing list is written as an empty
// one (JSON [] rather than null), so readers never tell "none" from "unknown".
package textlist

import (
	"slices"
	"strings"
)

// Distinct returns the entries of in, trimmed, without empty ones and
// without repeats, in the order they first appear (nil when none is left).
func Distinct(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// OrEmpty returns s, or an empty list when s is nil.
func OrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
