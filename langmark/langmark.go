// Package langmark marks the text of a page written in the other of the
// pages' two languages with its language, so that a screen reader reads a
// Chinese item name on an English page in Chinese, and an English name on a
// Chinese page in English (WCAG 2.1 3.1.2, language of parts).
package langmark

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// Page languages, as the html element's lang attribute names them.
const (
	Chinese = "zh-CN"
	English = "en"
)

// Mark returns page (an HTML document or fragment written by our templates)
// with every run of text in the other language wrapped in a span carrying
// its lang attribute; page itself when there is nothing to mark.
//
//   - On an English page, a run is Chinese when it holds a Han character:
//     it spans the Han characters, the CJK punctuation and the digits,
//     spaces and marks between them (11月24日), not the digits after them.
//   - On a Chinese page, a run is English when it holds two words of
//     letters and no Han character (Qingzhou Community Service Centre);
//     a code (QZSQ-20261124-00001), a lone word (PDF) or a user name is no
//     run: screen readers spell those out in either language alike.
//
// An option cannot hold a span, so an option whose text is in the other
// language gets the lang attribute itself. Text directly inside an element
// that names its own language, and the text of script, style, textarea and
// title, is left alone.
func Mark(page []byte, pageLang string) []byte {
	find := hanRuns
	other := Chinese
	if pageLang != English {
		find, other = englishRuns, English
	}
	var out bytes.Buffer
	out.Grow(len(page) + len(page)/8)
	changed := false
	pendingOption := -1     // where in out the last start tag of an option begins, while its text may follow
	lastTagHasLang := false // the last start tag named its own language
	for i := 0; i < len(page); {
		if page[i] == '<' {
			end := tagEnd(page, i)
			tag := page[i:end]
			name, closing := tagName(tag)
			if rawText[name] && !closing {
				// Copy through to the element's end tag, untouched.
				stop := indexFold(page[end:], "</"+name)
				if stop < 0 {
					stop = len(page) - end
				}
				out.Write(page[i : end+stop])
				i = end + stop
				pendingOption, lastTagHasLang = -1, false
				continue
			}
			pendingOption = -1
			if name == "option" && !closing && !hasLang(tag) {
				pendingOption = out.Len()
			}
			lastTagHasLang = !closing && hasLang(tag)
			out.Write(tag)
			i = end
			continue
		}
		end := bytes.IndexByte(page[i:], '<')
		if end < 0 {
			end = len(page)
		} else {
			end += i
		}
		text := page[i:end]
		i = end
		runs := find(text)
		if len(runs) == 0 || lastTagHasLang {
			out.Write(text)
			continue
		}
		changed = true
		if pendingOption >= 0 {
			// <option …> becomes <option lang="…" …>.
			b := out.Bytes()
			tagText := append([]byte(nil), b[pendingOption:]...)
			out.Truncate(pendingOption)
			out.Write(tagText[:len("<option")])
			out.WriteString(` lang="` + other + `"`)
			out.Write(tagText[len("<option"):])
			out.Write(text)
			pendingOption = -1
			continue
		}
		last := 0
		for _, r := range runs {
			out.Write(text[last:r[0]])
			out.WriteString(`<span lang="` + other + `">`)
			out.Write(text[r[0]:r[1]])
			out.WriteString(`</span>`)
			last = r[1]
		}
		out.Write(text[last:])
	}
	if !changed {
		return page
	}
	return out.Bytes()
}

// rawText are the elements whose content is not marked: it is not text a
// span may stand in (script, style, textarea, title), nor drawings (svg).
var rawText = map[string]bool{"script": true, "style": true, "textarea": true, "title": true, "svg": true}

// tagEnd is the index after the markup that starts at page[i] ('<'): a
// comment, a doctype or a tag, whose quoted attribute values may hold '>'.
func tagEnd(page []byte, i int) int {
	if bytes.HasPrefix(page[i:], []byte("<!--")) {
		if j := bytes.Index(page[i+4:], []byte("-->")); j >= 0 {
			return i + 4 + j + 3
		}
		return len(page)
	}
	var quote byte
	for j := i + 1; j < len(page); j++ {
		c := page[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j + 1
		}
	}
	return len(page)
}

// tagName is the lower-case name of a tag and whether it closes an element;
// "" for a comment or a doctype.
func tagName(tag []byte) (string, bool) {
	s := tag[1:]
	closing := len(s) > 0 && s[0] == '/'
	if closing {
		s = s[1:]
	}
	var name [16]byte
	n := 0
	for n < len(s) && n < len(name) && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		name[n] = lower(s[n])
		n++
	}
	return string(name[:n]), closing
}

// hasLang reports whether a start tag has a lang attribute.
func hasLang(tag []byte) bool {
	for i := 1; i+5 <= len(tag); i++ {
		if (tag[i-1] == ' ' || tag[i-1] == '\t' || tag[i-1] == '\n') && lower(tag[i]) == 'l' && lower(tag[i+1]) == 'a' &&
			lower(tag[i+2]) == 'n' && lower(tag[i+3]) == 'g' && tag[i+4] == '=' {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func indexFold(s []byte, sub string) int {
	return bytes.Index(bytes.ToLower(s), []byte(sub))
}

// hanRuns finds the Chinese runs of an English page's text.
func hanRuns(text []byte) [][2]int {
	var runs [][2]int
	start, lastHan := -1, -1
	for i := 0; i < len(text); {
		if n := entityLen(text[i:]); n > 0 {
			i += n // an entity (&#34;) neither starts nor ends a run
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case isHan(r):
			if start < 0 {
				start = i
			}
			lastHan = i + size
		case start >= 0 && (r == ' ' || r == '*' || r == '-' || r == '·' || unicode.IsDigit(r) || unicode.IsPunct(r) && r < 0x80):
			// digits, spaces and marks between Han characters belong to the run
		default:
			if start >= 0 {
				runs = append(runs, [2]int{start, lastHan})
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, lastHan})
	}
	return runs
}

// isHan reports whether r is a Han character or CJK punctuation (、。「」
// and the full-width forms such as ：（）).
func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}

// englishRuns finds the English runs of a Chinese page's text: letters,
// with digits, spaces and Latin punctuation between them, holding at least
// two words.
func englishRuns(text []byte) [][2]int {
	var runs [][2]int
	start, lastLetter, words := -1, -1, 0
	inWord := false
	flush := func() {
		if start >= 0 && words >= 2 {
			runs = append(runs, [2]int{start, lastLetter})
		}
		start, words, inWord = -1, 0, false
	}
	for i := 0; i < len(text); {
		if n := entityLen(text[i:]); n > 0 {
			i += n
			inWord = false
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case unicode.IsLetter(r) && !isHan(r) && r != 'ー':
			if start < 0 {
				start = i
			}
			if !inWord {
				words++
				inWord = true
			}
			lastLetter = i + size
		case start >= 0 && unicode.IsDigit(r):
			// digits inside a word or a phrase (Window 01)
		case start >= 0 && r == ')':
			lastLetter = i + size // (receipt) closes with the run
			inWord = false
		case start >= 0 && (r == ' ' || r == ',' || r == '.' || r == '(' || r == '\'' || r == '’' || r == '-' || r == '/' || r == ':' || r == '&'):
			if r != '-' && r != '\'' && r != '’' {
				inWord = false
			}
		default:
			flush()
		}
		i += size
	}
	flush()
	// A run of one word repeated over a code's parts (QZSQ-A) is no phrase:
	// a run needs a space between two of its words.
	out := runs[:0]
	for _, r := range runs {
		if bytes.ContainsAny(text[r[0]:r[1]], " ") {
			out = append(out, r)
		}
	}
	return out
}

// entityLen is the length of the character reference text starts with
// (&amp; &#34; &#x4e00;), or 0.
func entityLen(text []byte) int {
	if len(text) < 3 || text[0] != '&' {
		return 0
	}
	for j := 1; j < len(text) && j < 12; j++ {
		c := text[j]
		if c == ';' {
			if j == 1 {
				return 0
			}
			return j + 1
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '#') {
			return 0
		}
	}
	return 0
}
