// Package pinyin turns Chinese text into the ASCII forms people type to find
// it: full pinyin without tones (yingyezhizhao) and initials (yyzz).
package pinyin

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
)

// Bounds that keep Terms linear in its input whatever it is given.
const (
	// MaxSpellings is how many full spellings Terms returns for one text at
	// most: the usual one and up to three that read one heteronym otherwise.
	// Each spelling comes with its initials, so Terms returns at most twice
	// this many terms.
	MaxSpellings = 4
	// MaxRunes is how much of a text Terms reads; item names are shorter
	// (200 characters at most).
	MaxRunes = 256
)

// Terms returns what a search should match for text, in lower-case ASCII:
// the full pinyin without tones or spaces, then its initials, then the same
// pair for a few other readings of the text's heteronyms (长 chang or zhang)
// where no phrase of the override table decides the reading. ASCII letters and
// digits in text are kept; other characters are left out. A text without
// Chinese characters gives no terms: the text itself is what to match then.
// The result is deterministic and holds no duplicates.
func Terms(text string) []string {
	syllables, hasHan := readText(text)
	if !hasHan {
		return nil
	}
	var terms []string
	for _, spelling := range spellings(syllables) {
		var full, initials strings.Builder
		for _, s := range spelling {
			full.WriteString(s.text)
			if s.han {
				initials.WriteByte(s.text[0])
			} else {
				initials.WriteString(s.text)
			}
		}
		for _, t := range []string{full.String(), initials.String()} {
			if t != "" && !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
	}
	return terms
}

// syllable is one position of a text: the reading of a Chinese character,
// or a run of ASCII letters and digits (han false) kept as it is.
type syllable struct {
	text string
	han  bool
	// alternatives are the other readings worth indexing for a heteronym
	// that no phrase decided; nil for everything else.
	alternatives []string
}

// readText splits text into syllables, reading phrases of the override table
// as the table says and every other character by its usual reading.
func readText(text string) ([]syllable, bool) {
	runes := []rune(text)
	if len(runes) > MaxRunes {
		runes = runes[:MaxRunes]
	}
	var out []syllable
	var latin strings.Builder
	flush := func() {
		if latin.Len() > 0 {
			out = append(out, syllable{text: latin.String()})
			latin.Reset()
		}
	}
	hasHan := false
	for i := 0; i < len(runes); {
		r := foldWidth(runes[i])
		if r <= unicode.MaxASCII {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
				latin.WriteRune(r)
			} else {
				flush()
			}
			i++
			continue
		}
		flush()
		if phrase, n := phraseAt(runes[i:]); n > 0 {
			for _, p := range phrase {
				out = append(out, syllable{text: p, han: true})
			}
			hasHan = true
			i += n
			continue
		}
		readings := readingsOf(runes[i])
		if len(readings) > 0 {
			out = append(out, syllable{text: readings[0], han: true, alternatives: readings[1:]})
			hasHan = true
		}
		i++
	}
	flush()
	return out, hasHan
}

// foldWidth maps full-width ASCII (Ａ１) to ASCII, as Chinese input methods
// produce it.
func foldWidth(r rune) rune {
	if '！' <= r && r <= '～' {
		return r - '！' + '!'
	}
	return r
}

// spellings returns the usual spelling of the syllables first and then, up
// to MaxSpellings in all, spellings that differ from it in one heteronym:
// first every heteronym's first alternative, left to right, then the second
// ones. Changing one character at a time keeps the count linear in the
// number of heteronyms instead of multiplying their readings.
func spellings(syllables []syllable) [][]syllable {
	out := [][]syllable{syllables}
	for round := 0; len(out) < MaxSpellings; round++ {
		found := false
		for i, s := range syllables {
			if round >= len(s.alternatives) {
				continue
			}
			found = true
			variant := slices.Clone(syllables)
			variant[i].text = s.alternatives[round]
			out = append(out, variant)
			if len(out) == MaxSpellings {
				break
			}
		}
		if !found {
			break
		}
	}
	return out
}

// readingCache keeps each character's readings once computed: the library
// strips tones with regular expressions on every call. Only characters the
// library reads are kept, so the cache is bounded by its table (some 40,000
// characters), not by whatever else names contain.
var readingCache sync.Map // rune → []string

// readingsOf returns how r is read, without tones, the usual reading first.
// Characters of the heteronym table get the readings the table names (those
// the library knows for them); every other character gets the library's
// first reading only. Characters the library cannot read give nothing.
func readingsOf(r rune) []string {
	if v, ok := readingCache.Load(r); ok {
		return v.([]string)
	}
	known := gopinyin.SinglePinyin(r, gopinyin.Args{Style: gopinyin.Normal, Heteronym: true})
	known = slices.DeleteFunc(known, func(s string) bool { return !isLowerASCII(s) })
	var readings []string
	if wanted, ok := heteronyms[r]; ok {
		for _, w := range wanted {
			if slices.Contains(known, w) {
				readings = append(readings, w)
			}
		}
	}
	if len(readings) == 0 && len(known) > 0 {
		readings = known[:1]
	}
	if len(readings) > 0 {
		readingCache.Store(r, readings)
	}
	return readings
}

// isLowerASCII reports whether s is a non-empty string of a–z: what a reading
// must be to be typed (the library spells ü as v, but a few readings of
// interjections keep marks).
func isLowerASCII(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// phraseAt returns the readings of the longest phrase of the override table
// that runes start with, and its length in characters (0 when none does).
func phraseAt(runes []rune) ([]string, int) {
	if !phraseStarts[runes[0]] {
		return nil, 0
	}
	for n := min(len(runes), longestPhrase); n >= 2; n-- {
		if readings, ok := phraseReadings[string(runes[:n])]; ok {
			return readings, n
		}
	}
	return nil, 0
}
