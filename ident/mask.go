package ident

import (
	"strings"
	"unicode"
)

// MaskID hides the middle of an identity number for lists and logs
// ("2201**********1234"). Numbers shorter than 15 characters (passports,
// permits) would show too much that way, so only their last 2 characters stay.
func MaskID(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) >= 15 {
		return keep(r, 4, 4)
	}
	return keep(r, 0, 2)
}

// MaskPhone hides the middle four digits of a mobile number ("138****5678").
// Other phone numbers keep their first 3 and last 4 characters when long enough,
// otherwise only their last 2.
func MaskPhone(s string) string {
	if m, err := Mobile(s); err == nil {
		return m[:3] + "****" + m[7:]
	}
	r := []rune(strings.TrimSpace(s))
	if len(r) >= 10 {
		return keep(r, 3, 4)
	}
	return keep(r, 0, 2)
}

// MaskName keeps the first character of a name (the surname of a Chinese name)
// and hides every other one, one * each, whatever the name's length: "于**",
// "于*", "欧****" (欧阳娜娜娜), "阿*****·***" (阿卜杜热西提·买买提). Spaces and the
// middle dot of transcribed names stay, so the shape of the name is still
// recognisable at the window; a name of one character is hidden wholly. It is
// for persons' names: an enterprise's registered name is public.
func MaskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 1 {
		return strings.Repeat("*", len(r))
	}
	var b strings.Builder
	b.WriteRune(r[0])
	for _, c := range r[1:] {
		if unicode.IsSpace(c) || c == '·' || c == '•' {
			b.WriteRune(c)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// keep shows the first head and last tail runes of r and masks the rest; when r
// is not longer than what would be shown, it is masked wholly.
func keep(r []rune, head, tail int) string {
	if len(r) <= head+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}
