package ident

import (
	"fmt"
	"strings"
	"time"
)

// GenerateIDCard builds a 居民身份证 number for demo data and tests: the region
// code (six digits), the birth date, a sequence number (taken modulo 1000; an odd
// one marks a man, an even one a woman) and the computed check character.
// It panics when region is not six digits or birth is outside years 0–9999,
// as these are mistakes in the calling program, not user input.
func GenerateIDCard(region string, birth time.Time, seq int) string {
	if len(region) != 6 || !allDigits(region) {
		panic(fmt.Sprintf("ident.GenerateIDCard: region %q is not six digits", region))
	}
	if birth.Year() < 0 || birth.Year() > 9999 {
		panic(fmt.Sprintf("ident.GenerateIDCard: birth year %d has not four digits", birth.Year()))
	}
	seq %= 1000
	if seq < 0 {
		seq += 1000
	}
	body := fmt.Sprintf("%s%04d%02d%02d%03d", region, birth.Year(), int(birth.Month()), birth.Day(), seq)
	check, err := IDCardCheckChar(body)
	if err != nil {
		panic("ident.GenerateIDCard: " + err.Error())
	}
	return body + string(check)
}

// GenerateCreditCode appends the check character to the first 17 characters of
// a 统一社会信用代码. It panics when body17 is not 17 characters of the code's
// alphabet (lower case is accepted), as that is a mistake in the calling program.
func GenerateCreditCode(body17 string) string {
	body := strings.ToUpper(body17)
	check, err := CreditCodeCheckChar(body)
	if err != nil {
		panic(fmt.Sprintf("ident.GenerateCreditCode: %q: %v", body17, err))
	}
	return body + string(check)
}
