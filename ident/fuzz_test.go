package ident

import (
	"testing"
	"time"
)

var fuzzRegions = []string{"110105", "220102", "220581", "440305", "650102", "810000", "830000"}

func FuzzIDCard(f *testing.F) {
	f.Add("11010519491231002X", uint(0), uint(0), 0)
	f.Add(" 11010519491231002x ", uint(3), uint(40000), 999)
	f.Add("", uint(1), uint(1), -1)
	f.Add("１1010519491231002X", uint(6), uint(123456), 1<<40)
	f.Fuzz(func(t *testing.T, s string, region, days uint, seq int) {
		if norm, err := IDCard(s); err == nil {
			again, err := IDCard(norm)
			if err != nil || again != norm {
				t.Fatalf("IDCard(%q) = %q, but IDCard(%q) = %q, %v", s, norm, norm, again, err)
			}
			MaskID(norm)
			if _, ok := BirthDate(norm); !ok {
				t.Fatalf("BirthDate rejects the accepted %q", norm)
			}
		}
		// Birth dates from 1900-01-01 up to 2009 are never in the future.
		birth := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days%40000))
		id := GenerateIDCard(fuzzRegions[region%uint(len(fuzzRegions))], birth, seq)
		if got, err := IDCard(id); err != nil || got != id {
			t.Fatalf("generated %q does not validate: %q, %v", id, got, err)
		}
		if id[17] != referenceIDCheck(id[:17]) {
			t.Fatalf("generated %q, reference check %q", id, referenceIDCheck(id[:17]))
		}
	})
}

func FuzzCreditCode(f *testing.F) {
	f.Add("91350100M000100Y43", "91350100M000100Y4")
	f.Add("  91350100m000100y43", "00000000000000000")
	f.Add("IOZSV", "abcdefghjklmnpqrt")
	f.Fuzz(func(t *testing.T, s, body string) {
		if norm, err := CreditCode(s); err == nil {
			again, err := CreditCode(norm)
			if err != nil || again != norm {
				t.Fatalf("CreditCode(%q) = %q, but CreditCode(%q) = %q, %v", s, norm, norm, again, err)
			}
		}
		// Map arbitrary bytes onto the alphabet to get a well-formed body.
		const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
		b := make([]byte, 17)
		for i := range b {
			if i < len(body) {
				b[i] = alphabet[int(body[i])%len(alphabet)]
			} else {
				b[i] = alphabet[i]
			}
		}
		code := GenerateCreditCode(string(b))
		if got, err := CreditCode(code); err != nil || got != code {
			t.Fatalf("generated %q does not validate: %q, %v", code, got, err)
		}
		if code[17] != referenceCreditCheck(code[:17]) {
			t.Fatalf("generated %q, reference check %q", code, referenceCreditCheck(code[:17]))
		}
	})
}

func FuzzMobile(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138-1234-5678", "8613812345678", "+852", "++86138", "138１2345678", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm, err := Mobile(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Mobile(%q) returned %T, want *ident.Error", s, err)
			}
			MaskPhone(s)
			return
		}
		if len(norm) != 11 || norm[0] != '1' || norm[1] < '3' || !allDigits(norm) {
			t.Fatalf("Mobile(%q) = %q, not 11 digits starting 1[3-9]", s, norm)
		}
		for _, variant := range []string{norm, "+86" + norm, "86" + norm} {
			if again, err := Mobile(variant); err != nil || again != norm {
				t.Fatalf("Mobile(%q) = %q, %v; want %q", variant, again, err, norm)
			}
		}
		if masked := MaskPhone(s); masked != norm[:3]+"****"+norm[7:] {
			t.Fatalf("MaskPhone(%q) = %q", s, masked)
		}
	})
}
