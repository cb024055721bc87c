package ident

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The check characters below were worked out by hand from the standards, not
// by the code under test.
//
// 11010519491231002X (the sample in GB 11643-1999 itself), weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
//
//	1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2
//	= 7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4 = 167
//	167 mod 11 = 2, and "10X98765432"[2] = 'X'.
//
// 220102199003071235 (长春市南关区, born 1990-03-07, sequence 123):
//
//	2·7 + 2·9 + 0·10 + 1·5 + 0·8 + 2·4 + 1·2 + 9·1 + 9·6 + 0·3 + 0·7 + 3·9 + 0·10 + 7·5 + 1·8 + 2·4 + 3·2
//	= 14 + 18 + 0 + 5 + 0 + 8 + 2 + 9 + 54 + 0 + 0 + 27 + 0 + 35 + 8 + 8 + 6 = 194
//	194 mod 11 = 7, and "10X98765432"[7] = '5'.
//
// 440524188001010014 (the other sample in GB 11643-1999): sum 195, 195 mod 11 = 8 → '4'; the check is right
// but the holder was born in 1880, before the earliest date we accept.
//
// 91350100M000100Y43 (a sample 统一社会信用代码; M = 21, Y = 30), weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
//
//	9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + 21·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24 + 0·10 + 30·30 + 4·28
//	= 9 + 3 + 27 + 135 + 0 + 26 + 0 + 0 + 420 + 0 + 0 + 0 + 8 + 0 + 0 + 900 + 112 = 1640
//	1640 mod 31 = 28, 31 − 28 = 3 → '3'.
//
// 10000000000000000Y: sum 1·1 = 1, 31 − 1 = 30 → 'Y'. 000000000000000000: sum 0, 31 − 0 = 31, which maps to 0.

func TestIDCardValid(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"standard sample with X", "11010519491231002X", "11010519491231002X"},
		{"lower-case x", "11010519491231002x", "11010519491231002X"},
		{"surrounding spaces", "  220102199003071235\t", "220102199003071235"},
		{"Jilin number", "220102199003071235", "220102199003071235"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IDCard(tt.in)
			if err != nil {
				t.Fatalf("IDCard(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("IDCard(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIDCardErrors(t *testing.T) {
	today := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, in, reason, zhPart string
	}{
		{"empty", "", ReasonLength, "18位"},
		{"17 characters", "11010519491231002", ReasonLength, "18位"},
		{"19 characters", "11010519491231002X1", ReasonLength, "18位"},
		{"first generation 15 digits", "110105491231002", ReasonLength, "18位"},
		{"letter in body", "1101051949123100AX", ReasonCharset, "数字"},
		{"wrong last letter", "11010519491231002Y", ReasonCharset, "X"},
		{"full-width digit", "１1010519491231002X", ReasonCharset, "数字"},
		{"no province 00", "00010519491231002X", ReasonRegion, "地区"},
		{"no province 99", "99010519491231002X", ReasonRegion, "地区"},
		{"no province 72", "72010519491231002X", ReasonRegion, "地区"},
		{"30 February", withCheck("22010219900230123"), ReasonBirthDate, "出生日期"},
		{"month 13", withCheck("22010219901301123"), ReasonBirthDate, "出生日期"},
		{"born before 1900", "440524188001010014", ReasonBirthDate, "出生日期"},
		{"born tomorrow", withCheck("22010220250602123"), ReasonBirthDate, "出生日期"},
		{"wrong check digit", "110105194912310021", ReasonCheckDigit, "校验位"},
		{"digits swapped", "220102199003071325", ReasonCheckDigit, "校验位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := idCardOn(tt.in, today)
			assertReason(t, err, tt.reason, tt.zhPart)
		})
	}
}

func TestIDCardBirthBoundaries(t *testing.T) {
	today := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, body := range []string{"22010220250601123", "22010219000101123", "22010220000229123"} {
		id := withCheck(body)
		if _, err := idCardOn(id, today); err != nil {
			t.Errorf("idCardOn(%q, %s): %v", id, today.Format(time.DateOnly), err)
		}
	}
}

func TestIDCardCheckChar(t *testing.T) {
	tests := []struct {
		name, first17 string
		want          byte
		reason        string
	}{
		{"standard sample", "11010519491231002", 'X', ""},
		{"Jilin", "22010219900307123", '5', ""},
		{"old sample", "44052418800101001", '4', ""},
		{"too short", "1101051949123100", 0, ReasonLength},
		{"letter", "1101051949123100A", 0, ReasonCharset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IDCardCheckChar(tt.first17)
			if tt.reason != "" {
				assertReason(t, err, tt.reason, "")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("IDCardCheckChar(%q) = %q, %v; want %q", tt.first17, got, err, tt.want)
			}
		})
	}
}

func TestCreditCode(t *testing.T) {
	tests := []struct {
		name, in, want, reason string
	}{
		{"sample", "91350100M000100Y43", "91350100M000100Y43", ""},
		{"lower case and spaces", " 91350100m000100y43 ", "91350100M000100Y43", ""},
		{"check Y", "10000000000000000Y", "10000000000000000Y", ""},
		{"31 maps to 0", "000000000000000000", "000000000000000000", ""},
		{"empty", "", "", ReasonLength},
		{"17 characters", "91350100M000100Y4", "", ReasonLength},
		{"letter I", "91350100I000100Y43", "", ReasonCharset},
		{"letter O", "91350100O000100Y43", "", ReasonCharset},
		{"letter Z", "91350100Z000100Y43", "", ReasonCharset},
		{"letter S", "91350100S000100Y43", "", ReasonCharset},
		{"letter V", "91350100V000100Y43", "", ReasonCharset},
		{"punctuation", "91350100-000100Y43", "", ReasonCharset},
		{"wrong check", "91350100M000100Y44", "", ReasonCheckDigit},
		{"wrong Y check", "10000000000000000X", "", ReasonCheckDigit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CreditCode(tt.in)
			if tt.reason != "" {
				assertReason(t, err, tt.reason, "统一社会信用代码")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("CreditCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCreditCodeCheckChar(t *testing.T) {
	for body, want := range map[string]byte{"91350100M000100Y4": '3', "10000000000000000": 'Y', "00000000000000000": '0'} {
		got, err := CreditCodeCheckChar(body)
		if err != nil || got != want {
			t.Errorf("CreditCodeCheckChar(%q) = %q, %v; want %q", body, got, err, want)
		}
	}
	_, err := CreditCodeCheckChar("9135")
	assertReason(t, err, ReasonLength, "")
	_, err = CreditCodeCheckChar("91350100m000100Y4")
	assertReason(t, err, ReasonCharset, "")
}

func TestMobile(t *testing.T) {
	tests := []struct {
		name, in, want, reason string
	}{
		{"plain", "13812345678", "13812345678", ""},
		{"19x", "19912345678", "19912345678", ""},
		{"spaces", " 138 1234 5678 ", "13812345678", ""},
		{"hyphens", "138-1234-5678", "13812345678", ""},
		{"plus 86", "+86 138 1234 5678", "13812345678", ""},
		{"plus 86 hyphen", "+86-13812345678", "13812345678", ""},
		{"86 without plus", "8613812345678", "13812345678", ""},
		{"empty", "", "", ReasonLength},
		{"10 digits", "1381234567", "", ReasonLength},
		{"12 digits", "138123456789", "", ReasonLength},
		{"landline of 11 digits", "0431-8888888", "", ReasonFormat},
		{"landline of 12 digits", "0431-88886666", "", ReasonLength},
		{"letters", "138abcd5678", "", ReasonCharset},
		{"plus in the middle", "138+12345678", "", ReasonCharset},
		{"starts 12", "12812345678", "", ReasonFormat},
		{"starts 2", "23812345678", "", ReasonFormat},
		{"foreign country code", "+85291234567", "", ReasonFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Mobile(tt.in)
			if tt.reason != "" {
				assertReason(t, err, tt.reason, "手机号码")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Mobile(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestBirthDateAndAge(t *testing.T) {
	id := "11010519491231002X"
	birth, ok := BirthDate(id)
	if !ok || !birth.Equal(time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("BirthDate(%q) = %v, %v; want 1949-12-31", id, birth, ok)
	}
	leap := withCheck("22010220000229123")
	tests := []struct {
		name string
		id   string
		on   time.Time
		want int
		ok   bool
	}{
		{"day before 70th birthday", id, time.Date(2019, 12, 30, 0, 0, 0, 0, time.UTC), 69, true},
		{"70th birthday", id, time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC), 70, true},
		{"morning in China counts by its own date", id, time.Date(2019, 12, 31, 7, 0, 0, 0, chinaTime), 70, true},
		{"leap day, common year, 28 February", leap, time.Date(2001, 2, 28, 0, 0, 0, 0, time.UTC), 0, true},
		{"leap day, common year, 1 March", leap, time.Date(2001, 3, 1, 0, 0, 0, 0, time.UTC), 1, true},
		{"before birth", id, time.Date(1949, 12, 30, 0, 0, 0, 0, time.UTC), 0, false},
		{"invalid number", "110105194912310021", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Age(tt.id, tt.on)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Age(%q, %v) = %d, %v; want %d, %v", tt.id, tt.on, got, ok, tt.want, tt.ok)
			}
		})
	}
	if _, ok := BirthDate("not a number"); ok {
		t.Error("BirthDate accepted an invalid number")
	}
}

func TestProblem(t *testing.T) {
	_, err := IDCard("110105194912310021")
	reason, msg := Problem(err)
	if reason != ReasonCheckDigit || msg.ZH != "身份证号码校验位不正确，请核对号码" || msg.EN == "" {
		t.Errorf("Problem = %q, %+v", reason, msg)
	}
	if reason, msg := Problem(nil); reason != "" || msg.ZH != "" {
		t.Errorf("Problem(nil) = %q, %+v", reason, msg)
	}
	if reason, msg := Problem(errors.New("boom")); reason != ReasonFormat || msg.ZH == "" {
		t.Errorf("Problem(foreign) = %q, %+v", reason, msg)
	}
	if !strings.Contains(err.Error(), "check_digit") {
		t.Errorf("Error() = %q, want the reason in it", err.Error())
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"id 18", MaskID, "220102199003071234", "2201**********1234"},
		{"id 15", MaskID, "220102900307123", "2201*******7123"},
		{"id trimmed", MaskID, " 11010519491231002X ", "1101**********002X"},
		{"passport", MaskID, "E12345678", "*******78"},
		{"two characters", MaskID, "12", "**"},
		{"empty id", MaskID, "", ""},
		{"mobile", MaskPhone, "13812345678", "138****5678"},
		{"mobile with prefix", MaskPhone, "+86 138-1234-5678", "138****5678"},
		{"landline", MaskPhone, "0431-88886666", "043******6666"},
		{"short phone", MaskPhone, "12345", "***45"},
		{"name three", MaskName, "于晓梅", "于**"},
		{"name two", MaskName, "于静", "于*"},
		{"compound surname", MaskName, "欧阳修", "欧**"},
		{"transcribed name", MaskName, "买买提·艾力", "买**·**"},
		{"long transcribed name", MaskName, "阿卜杜热西提·买买提", "阿*****·***"},
		{"five characters", MaskName, "欧阳娜娜娜", "欧****"},
		{"latin name", MaskName, "John Smith", "J*** *****"},
		{"one character", MaskName, "于", "*"},
		{"empty name", MaskName, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestGenerate(t *testing.T) {
	birth := time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC)
	if got := GenerateIDCard("220102", birth, 123); got != "220102199003071235" {
		t.Errorf("GenerateIDCard = %q, want the hand-computed 220102199003071235", got)
	}
	if got := GenerateIDCard("220102", birth, -877); got != "220102199003071235" {
		t.Errorf("GenerateIDCard with a negative sequence = %q, want sequence 123", got)
	}
	if got := GenerateCreditCode("91350100m000100Y4"); got != "91350100M000100Y43" {
		t.Errorf("GenerateCreditCode = %q, want 91350100M000100Y43", got)
	}
	for seq := 0; seq < 200; seq++ {
		id := GenerateIDCard("220581", birth.AddDate(0, 0, seq*37), seq)
		if got := referenceIDCheck(id[:17]); id[17] != got {
			t.Fatalf("GenerateIDCard gave %q, reference check is %q", id, got)
		}
	}
	mustPanic(t, "short region", func() { GenerateIDCard("2201", birth, 1) })
	mustPanic(t, "bad body", func() { GenerateCreditCode("91350100I000100Y4") })
}

// referenceIDCheck computes the check character from the definition in
// GB 11643 rather than from the tables the package uses: weight i is 2^(18-i)
// mod 11, and the check value is (12 - sum mod 11) mod 11, with 10 written X.
func referenceIDCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		w := 1
		for k := 0; k < 17-i; k++ {
			w = w * 2 % 11
		}
		sum += int(first17[i]-'0') * w
	}
	v := (12 - sum%11) % 11
	if v == 10 {
		return 'X'
	}
	return byte('0' + v)
}

// referenceCreditCheck uses the definition in GB 32100: weight i is 3^(i-1)
// mod 31.
func referenceCreditCheck(first17 string) byte {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(alphabet, first17[i]) * w
		w = w * 3 % 31
	}
	return alphabet[(31-sum%31)%31]
}

// withCheck completes 17 digits with the reference check character, so that a
// test of another rule is not stopped by the check digit.
func withCheck(first17 string) string {
	return first17 + string(referenceIDCheck(first17))
}

func assertReason(t *testing.T, err error, reason, zhPart string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *ident.Error with reason %q", err, reason)
	}
	if e.Reason != reason {
		t.Errorf("reason = %q, want %q (%s)", e.Reason, reason, e.Message.EN)
	}
	if e.Message.ZH == "" || e.Message.EN == "" {
		t.Errorf("message %+v lacks a language", e.Message)
	}
	if !strings.Contains(e.Message.ZH, zhPart) {
		t.Errorf("message %q does not mention %q", e.Message.ZH, zhPart)
	}
}

func mustPanic(t *testing.T, name string, fn func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", name)
		}
	}()
	fn()
}
