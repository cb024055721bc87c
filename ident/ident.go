// Package ident validates and masks the identity numbers a government service hall
// handles: 居民身份证 numbers, unified social credit codes and mobile numbers.
package ident

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
)

// Reasons an identity number is rejected. They are stable: clients map them to
// hints next to the field.
const (
	ReasonLength     = "length"
	ReasonCharset    = "charset"
	ReasonRegion     = "region"
	ReasonBirthDate  = "birth_date"
	ReasonCheckDigit = "check_digit"
	ReasonFormat     = "format"
)

// Error says why a number was rejected, in words an applicant understands.
type Error struct {
	Reason  string
	Message apperr.Msg
}

func (e *Error) Error() string { return "ident: " + e.Reason + ": " + e.Message.EN }

// Problem returns the reason and message of an error returned by this package,
// ready for apperr.Fields.Add. A foreign error is reported as a format problem;
// nil gives empty values.
func Problem(err error) (reason string, msg apperr.Msg) {
	if err == nil {
		return "", apperr.Msg{}
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Reason, e.Message
	}
	return ReasonFormat, apperr.M("号码格式不正确", "the number is not in a valid format")
}

func fail(reason, zh, en string) *Error {
	return &Error{Reason: reason, Message: apperr.M(zh, en)}
}

// GB 11643-1999: the check character is the weighted sum of the first 17 digits
// modulo 11, looked up in this table.
var (
	idCardWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCardChecks  = "10X98765432"
)

// Province-level codes of GB/T 2260 that begin a 居民身份证 number. 81, 82 and
// 83 begin the numbers of residence permits for residents of Hong Kong, Macao
// and Taiwan (港澳台居民居住证申领发放办法, 2018), which follow the same standard.
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// China Standard Time, fixed so that validation does not depend on tzdata.
var chinaTime = time.FixedZone("CST", 8*3600)

// earliestBirth is the earliest birth date accepted; older dates are typing
// errors far more often than real applicants.
var earliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// IDCard validates a second-generation 居民身份证 number (GB 11643-1999) and
// returns it normalised: spaces trimmed, a final x upper-cased.
func IDCard(s string) (string, error) {
	// wall clock: a birth date after the real today is a typing error,
	// whatever date the server is set to.
	now := time.Now().In(chinaTime) // wall clock: see above
	return idCardOn(s, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC))
}

// idCardOn validates s as if today were the given civil date.
func idCardOn(s string, today time.Time) (string, error) {
	id := strings.ToUpper(strings.TrimSpace(s))
	if utf8.RuneCountInString(id) != 18 {
		return "", fail(ReasonLength, "身份证号码应为18位", "an identity card number has 18 characters")
	}
	if !allDigits(id[:17]) || !(isDigit(id[17]) || id[17] == 'X') {
		return "", fail(ReasonCharset, "身份证号码前17位应为数字，最后一位为数字或字母X",
			"the first 17 characters of an identity card number are digits, the last is a digit or X")
	}
	if !provinceCodes[id[:2]] {
		return "", fail(ReasonRegion, "身份证号码前6位不是有效的地区代码",
			"the first 6 digits of the identity card number are not a valid region code")
	}
	birth, ok := parseBirth(id[6:14])
	if !ok || birth.Before(earliestBirth) || birth.After(today) {
		return "", fail(ReasonBirthDate, "身份证号码中的出生日期（第7至14位）无效",
			"the date of birth in the identity card number (digits 7 to 14) is not valid")
	}
	check, _ := IDCardCheckChar(id[:17])
	if id[17] != check {
		return "", fail(ReasonCheckDigit, "身份证号码校验位不正确，请核对号码",
			"the check digit of the identity card number is wrong; please check the number")
	}
	return id, nil
}

// IDCardCheckChar computes the 18th character of a 居民身份证 number from its
// first 17 digits.
func IDCardCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fail(ReasonLength, "计算校验位需要身份证号码的前17位",
			"the check digit is computed from the first 17 digits")
	}
	if !allDigits(first17) {
		return 0, fail(ReasonCharset, "身份证号码前17位应为数字",
			"the first 17 characters of an identity card number are digits")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idCardWeights[i]
	}
	return idCardChecks[sum%11], nil
}

// BirthDate returns the date of birth encoded in a valid 居民身份证 number, as a
// civil date at 00:00 UTC.
func BirthDate(id string) (time.Time, bool) {
	norm, err := IDCard(id)
	if err != nil {
		return time.Time{}, false
	}
	return parseBirth(norm[6:14])
}

// Age returns the age in full years (周岁) on the civil date of on of the holder
// of a valid 居民身份证 number. Someone born on 29 February becomes a year older
// on 1 March in common years.
func Age(id string, on time.Time) (int, bool) {
	birth, ok := BirthDate(id)
	if !ok {
		return 0, false
	}
	day := time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)
	if day.Before(birth) {
		return 0, false
	}
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age, true
}

// parseBirth reads YYYYMMDD and rejects dates that do not exist (20230230).
func parseBirth(s string) (time.Time, bool) {
	if len(s) != 8 || !allDigits(s) {
		return time.Time{}, false
	}
	y := atoi(s[0:4])
	m := atoi(s[4:6])
	d := atoi(s[6:8])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// GB 32100-2015: the code uses the digits and 21 capital letters (no I, O, Z,
// S, V); a character's value is its index in this alphabet.
const (
	creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	creditCodeBase     = 31
)

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCode validates a 统一社会信用代码 (GB 32100-2015) and returns it trimmed
// and upper-cased.
func CreditCode(s string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if utf8.RuneCountInString(code) != 18 {
		return "", fail(ReasonLength, "统一社会信用代码应为18位", "a unified social credit code has 18 characters")
	}
	if !creditCodeChars(code) {
		return "", creditCharsetError()
	}
	check, _ := CreditCodeCheckChar(code[:17])
	if code[17] != check {
		return "", fail(ReasonCheckDigit, "统一社会信用代码校验位不正确，请核对代码",
			"the check character of the unified social credit code is wrong; please check the code")
	}
	return code, nil
}

// CreditCodeCheckChar computes the 18th character of a 统一社会信用代码 from its
// first 17 characters (upper case).
func CreditCodeCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fail(ReasonLength, "计算校验位需要统一社会信用代码的前17位",
			"the check character is computed from the first 17 characters")
	}
	if !creditCodeChars(first17) {
		return 0, creditCharsetError()
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditCodeAlphabet, first17[i]) * creditCodeWeights[i]
	}
	return creditCodeAlphabet[(creditCodeBase-sum%creditCodeBase)%creditCodeBase], nil
}

func creditCodeChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(creditCodeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

func creditCharsetError() *Error {
	return fail(ReasonCharset, "统一社会信用代码只含数字和大写字母，且不使用 I、O、Z、S、V",
		"a unified social credit code has only digits and capital letters other than I, O, Z, S and V")
}

// Mobile validates a mainland mobile number and returns its 11 digits. Spaces,
// hyphens and a +86 or 86 country prefix are accepted.
func Mobile(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '-':
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", fail(ReasonCharset, "手机号码只能包含数字",
				"a mobile number has only digits")
		}
	}
	digits := b.String()
	switch {
	case strings.HasPrefix(digits, "+86"):
		digits = digits[3:]
	case strings.HasPrefix(digits, "+"):
		return "", fail(ReasonFormat, "只接受中国大陆手机号码（+86）",
			"only mainland China mobile numbers (+86) are accepted")
	case len(digits) == 13 && strings.HasPrefix(digits, "86"):
		digits = digits[2:]
	}
	if len(digits) != 11 {
		return "", fail(ReasonLength, "手机号码应为11位数字", "a mobile number has 11 digits")
	}
	if digits[0] != '1' || digits[1] < '3' {
		return "", fail(ReasonFormat, "手机号码应以13至19开头", "a mobile number begins with 13 to 19")
	}
	return digits, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// atoi reads a string already known to hold only digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// OptionalMobile is an optional mobile number field as stored: "" when it
// is blank, else the number normalised; a number that is not one adds the
// field's problem to f and comes back as given.
func OptionalMobile(f *apperr.Fields, field, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	v, err := Mobile(s)
	if err != nil {
		reason, msg := Problem(err)
		f.Add(field, reason, msg)
		return s
	}
	return v
}
