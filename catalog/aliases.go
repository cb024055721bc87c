package catalog

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/pinyin"
)

// Aliases are the other words people search an item by: what they want
// rather than the item's official name (营业执照 for 企业设立登记, 社保卡 for
// 社会保障卡申领). Search matches them, and their pinyin, as it does the name.
const (
	MaxAliases   = 20
	maxAliasLen  = 30
	aliasesField = "aliases"
)

// ParseAliases splits the aliases an administrator typed: one per line or
// separated by 、 , ， ; ；. Spaces stay inside an alias (business licence).
func ParseAliases(s string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(s, func(c rune) bool {
		return c == '\n' || c == '\r' || c == '、' || c == ',' || c == '，' || c == ';' || c == '；'
	}) {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// normalizeAliases trims the aliases and collapses inner runs of spaces.
func (it *Item) normalizeAliases() {
	for i := range it.Aliases {
		it.Aliases[i] = strings.Join(strings.Fields(it.Aliases[i]), " ")
	}
	if len(it.Aliases) == 0 {
		it.Aliases = nil
	}
}

func (it *Item) validateAliases(f *apperr.Fields) {
	if len(it.Aliases) > MaxAliases {
		f.Add(aliasesField, "too_many", apperr.M(fmt.Sprintf("别名不能超过 %d 个", MaxAliases),
			fmt.Sprintf("an item may have at most %d aliases", MaxAliases)))
	}
	seen := map[string]bool{}
	for _, a := range it.Aliases {
		key := strings.ToLower(a)
		switch {
		case a == "":
			f.Add(aliasesField, "required", apperr.M("别名不能为空", "an alias may not be empty"))
		case utf8.RuneCountInString(a) > maxAliasLen:
			f.Add(aliasesField, "too_long", apperr.M(fmt.Sprintf("每个别名不能超过 %d 个字", maxAliasLen),
				fmt.Sprintf("an alias may have at most %d characters", maxAliasLen)))
		case seen[key]:
			f.Add(aliasesField, "duplicate", apperr.M(fmt.Sprintf("别名“%s”重复", a), fmt.Sprintf("alias %q is listed twice", a)))
		}
		checkText(f, aliasesField, a)
		seen[key] = true
	}
}

// aliasTerms are the search terms of the aliases: each alias's words, and
// the pinyin of the Chinese ones in full and as initials (社保卡: shebaoka,
// sbk).
func aliasTerms(it *Item) []string {
	var out []string
	for _, a := range it.Aliases {
		out = append(out, strings.Fields(a)...)
		out = append(out, pinyin.Terms(a)...)
	}
	return out
}
