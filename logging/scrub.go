package logging

import (
	"regexp"
	"strings"

	"github.com/onewindow/onewindow/ident"
)

// Scrub masks what could be an identity number or a mobile number in s, as
// the ident package masks them for lists: a number of 15 to 19 digits (the
// last may be X: an identity number of either generation, valid or not, or
// a bank card's number) keeps its first and last four
// ("2201**********1234"); a mobile number, also after 86 or +86 and also
// written 138-1234-5678 or 138 1234 5678, keeps its first three and last
// four ("138****5678"). A number counts only whole: digits joined to
// letters (a hash, a token) are left alone, and so are longer numbers (the
// catalogue's 28-digit item codes).
func Scrub(s string) string {
	if digitCount(s) < 11 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	start := -1 // start of the current run of ASCII letters and digits
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isAlnum(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			b.WriteString(maskRun(s[start:i]))
			start = -1
		}
		if i < len(s) {
			b.WriteByte(s[i])
		}
	}
	return maskSpacedMobiles(b.String())
}

// maskRun masks one run of ASCII letters and digits when it is a number to hide.
func maskRun(run string) string {
	n := len(run)
	switch {
	case n >= 15 && n <= 19 && allDigits(run[:n-1]) && (isDigit(run[n-1]) || run[n-1] == 'X' || run[n-1] == 'x'):
		return ident.MaskID(run)
	case n == 11 && allDigits(run) && isMobile(run):
		return ident.MaskPhone(run)
	case n == 13 && allDigits(run) && strings.HasPrefix(run, "86") && isMobile(run[2:]):
		return "86" + ident.MaskPhone(run[2:])
	}
	return run
}

// spacedMobile is a mobile number in three groups, 3-4-4, split by hyphens
// or spaces.
var spacedMobile = regexp.MustCompile(`1[3-9][0-9][- ][0-9]{4}[- ][0-9]{4}`)

// maskSpacedMobiles hides the middle group of each spaced mobile number
// standing alone.
func maskSpacedMobiles(s string) string {
	locs := spacedMobile.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	b := []byte(s)
	for _, l := range locs {
		if (l[0] > 0 && isAlnum(s[l[0]-1])) || (l[1] < len(s) && isAlnum(s[l[1]])) {
			continue
		}
		copy(b[l[0]+4:l[0]+8], "****")
	}
	return string(b)
}

func isMobile(s string) bool { return len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isAlnum(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}
