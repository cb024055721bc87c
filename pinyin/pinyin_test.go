package pinyin

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	gopinyin "github.com/mozillazg/go-pinyin"
)

func TestTerms(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"plain name", "营业执照", []string{"yingyezhizhao", "yyzz"}},
		{"银行 is yinhang", "银行", []string{"yinhang", "yh"}},
		{"重庆 is chongqing", "重庆", []string{"chongqing", "cq"}},
		{"长春 is changchun", "长春", []string{"changchun", "cc"}},
		{"长 of a head is zhang", "辉南县县长", []string{"huinanxianxianzhang", "hnxxz"}},
		{"便民 is bianmin", "便民服务中心", []string{"bianminfuwuzhongxin", "bmfwzx"}},
		{"长白山", "长白山", []string{"changbaishan", "cbs"}},
		{"行业 and 银行 in one name", "银行业务", []string{"yinhangyewu", "yhyw"}},
		{"朝阳镇 either way", "朝阳镇", []string{"chaoyangzhen", "cyz", "zhaoyangzhen", "zyz"}},
		{"乐 alone", "乐", []string{"le", "l", "yue", "y"}},
		{"音乐 decided", "音乐", []string{"yinyue", "yy"}},
		{"单 alone", "单", []string{"dan", "d", "shan", "s"}},
		{"单位 decided", "单位", []string{"danwei", "dw"}},
		{"成都", "成都", []string{"chengdu", "cd"}},
		{"传染病", "传染病", []string{"chuanranbing", "crb"}},
		{"供 has one reading without tones", "供暖补贴", []string{"gongnuanbutie", "gnbt"}},
		{"医保异地", "医保异地就医备案", []string{"yibaoyidijiuyibeian", "ybydjyba"}},
		{"会计 is kuaiji", "会计从业", []string{"kuaijicongye", "kjcy"}},
		{"社会 decides 会", "社会保险", []string{"shehuibaoxian", "shbx"}},
		{"ü is typed v", "绿色通道", []string{"lvsetongdao", "lstd"}},
		{"punctuation is left out", "营业执照（分支机构）", []string{"yingyezhizhaofenzhijigou", "yyzzfzjg"}},
		{"ASCII letters and digits kept", "3C认证", []string{"3crenzheng", "3crz"}},
		{"ASCII in the middle", "失业保险金ABC申领", []string{"shiyebaoxianjinabcshenling", "sybxjabcsl"}},
		{"full-width letters folded", "ＡＢ证", []string{"abzheng", "abz"}},
		{"two undecided heteronyms", "行长重乐", []string{
			"hangzhangzhongle", "hzzl", "hangzhangchongle", "hzcl", "hangzhangzhongyue", "hzzy"}},
		{"variants are bounded", "长重行乐便单都传朝", []string{
			"changzhongxinglebiandanduchuanchao", "czxlbddcc",
			"zhangzhongxinglebiandanduchuanchao", "zzxlbddcc",
			"changchongxinglebiandanduchuanchao", "ccxlbddcc",
			"changzhonghanglebiandanduchuanchao", "czhlbddcc"}},
		{"empty", "", nil},
		{"no Chinese", "Business Licence 2024", nil},
		{"punctuation only", "，。（）", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Terms(c.text); !slices.Equal(got, c.want) {
				t.Errorf("Terms(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

// TestTablesAgreeWithLibrary keeps the override tables free of typos: every
// reading they name must be one the library knows for its character.
func TestTablesAgreeWithLibrary(t *testing.T) {
	known := func(r rune) []string {
		return gopinyin.SinglePinyin(r, gopinyin.Args{Style: gopinyin.Normal, Heteronym: true})
	}
	for r, readings := range heteronyms {
		if len(readings) < 2 {
			t.Errorf("heteronyms[%c] = %q: a heteronym needs two readings", r, readings)
		}
		for _, reading := range readings {
			if !slices.Contains(known(r), reading) {
				t.Errorf("heteronyms[%c] names %q; the library knows %q", r, reading, known(r))
			}
		}
	}
	for phrase, readings := range phraseReadings {
		runes := []rune(phrase)
		if len(runes) != len(readings) {
			t.Errorf("phrase %s has %d characters and %d readings", phrase, len(runes), len(readings))
			continue
		}
		for i, r := range runes {
			if !slices.Contains(known(r), readings[i]) {
				t.Errorf("phrase %s reads %c as %q; the library knows %q", phrase, r, readings[i], known(r))
			}
		}
	}
}

func FuzzTerms(f *testing.F) {
	for _, seed := range []string{"营业执照", "长重行乐便单都传朝还调会参给藏校", "ABC（）证", "\xff\xfe", "",
		strings.Repeat("长", 300), "𠀀𪚥", "ｚＺ０９！～"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := Terms(text)
		if len(terms) > 2*MaxSpellings {
			t.Fatalf("%d terms, want at most %d", len(terms), 2*MaxSpellings)
		}
		// No syllable is longer than six letters (zhuang), no ASCII run
		// longer than what it copies.
		limit := 6 * min(utf8.RuneCountInString(text), MaxRunes)
		for _, term := range terms {
			if term == "" || len(term) > limit {
				t.Errorf("term %q: length %d, want 1 to %d", term, len(term), limit)
			}
			if strings.IndexFunc(term, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') }) >= 0 {
				t.Errorf("term %q is not lower-case ASCII letters and digits", term)
			}
		}
		if len(terms) != len(uniq(terms)) {
			t.Errorf("terms %q hold duplicates", terms)
		}
		if again := Terms(text); !slices.Equal(again, terms) {
			t.Errorf("Terms is not deterministic: %q then %q", terms, again)
		}
	})
}

func uniq(values []string) map[string]bool {
	out := map[string]bool{}
	for _, v := range values {
		out[v] = true
	}
	return out
}

func BenchmarkTerms(b *testing.B) {
	for b.Loop() {
		Terms("长春市二道区东惠街便民服务中心营业执照变更登记")
	}
}

// Characters the library cannot read are not kept: the cache holds at most
// the library's table, whatever else names contain.
func TestReadingCacheKeepsReadCharactersOnly(t *testing.T) {
	count := func() int {
		n := 0
		readingCache.Range(func(any, any) bool { n++; return true })
		return n
	}
	readingCache.Clear()
	read := 0
	for r := rune(0x1F300); r < 0x1F300+3000; r++ { // pictographs and symbols
		if len(readingsOf(r)) > 0 {
			read++
		}
	}
	if read > 100 {
		t.Fatalf("%d of 3000 pictographs have readings: pick another range", read)
	}
	if n := count(); n != read {
		t.Errorf("the cache holds %d entries after 3000 characters, %d of them read; want %d", n, read, read)
	}
	before := count()
	if got := readingsOf('州'); len(got) == 0 || got[0] != "zhou" {
		t.Fatalf("readingsOf('州') = %v, want zhou first", got)
	}
	if n := count(); n != before+1 {
		t.Errorf("the cache has %d entries after one read character, want %d", n, before+1)
	}
}
