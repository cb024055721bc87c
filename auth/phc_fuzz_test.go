package auth

import "testing"

// FuzzParsePHC: no input may panic the parser, and whatever it accepts must
// have parameters a login can afford.
func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("$argon2id$v=19$m=1,t=1,p=255$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parsePHC(s)
		if !ok {
			return
		}
		if p.memory > maxArgonMemoryKiB || p.time < 1 || p.time > maxArgonTime || p.threads < 1 ||
			p.memory < 8*uint32(p.threads) || len(p.key) < minArgonKeyLen || len(p.salt) < minArgonSaltLen {
			t.Fatalf("parsePHC(%q) accepted out-of-bounds parameters %+v", s, p)
		}
	})
}
