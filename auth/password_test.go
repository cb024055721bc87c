package auth_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
)

func TestHashAndCheckPassword(t *testing.T) {
	const pw = "正确的密码 correct horse"
	h1, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string with the chosen parameters", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if strings.Contains(h1, pw) {
		t.Error("the hash contains the password")
	}
	for name, c := range map[string]struct {
		hash, pw string
		want     bool
	}{
		"right password":         {h1, pw, true},
		"right password, hash 2": {h2, pw, true},
		"wrong password":         {h1, pw + "!", false},
		"empty password":         {h1, "", false},
		"case differs":           {h1, strings.ToUpper(pw), false},
	} {
		if got := auth.CheckPassword(c.hash, c.pw); got != c.want {
			t.Errorf("%s: CheckPassword = %v, want %v", name, got, c.want)
		}
	}
}

func TestCheckPasswordCorruptedHash(t *testing.T) {
	const pw = "password123"
	good, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, params, salt, key
	join := func(p ...string) string { return strings.Join(p, "$") }
	cases := map[string]string{
		"empty":              "",
		"garbage":            "not a hash",
		"bcrypt":             "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":            join("", "argon2i", parts[2], parts[3], parts[4], parts[5]),
		"old version":        join("", "argon2id", "v=16", parts[3], parts[4], parts[5]),
		"missing key":        join("", "argon2id", parts[2], parts[3], parts[4]),
		"extra part":         good + "$x",
		"truncated key":      good[:len(good)-10],
		"bad base64 salt":    join("", "argon2id", parts[2], parts[3], "!!!!", parts[5]),
		"bad base64 key":     join("", "argon2id", parts[2], parts[3], parts[4], "@@@@@@@@@@@@@@@@@@@@@@"),
		"empty salt":         join("", "argon2id", parts[2], parts[3], "", parts[5]),
		"zero time":          join("", "argon2id", parts[2], "m=19456,t=0,p=1", parts[4], parts[5]),
		"zero threads":       join("", "argon2id", parts[2], "m=19456,t=2,p=0", parts[4], parts[5]),
		"threads overflow":   join("", "argon2id", parts[2], "m=19456,t=2,p=256", parts[4], parts[5]),
		"huge memory":        join("", "argon2id", parts[2], "m=4294967295,t=2,p=1", parts[4], parts[5]),
		"huge time":          join("", "argon2id", parts[2], "m=19456,t=4000000000,p=1", parts[4], parts[5]),
		"negative memory":    join("", "argon2id", parts[2], "m=-1,t=2,p=1", parts[4], parts[5]),
		"missing memory":     join("", "argon2id", parts[2], "t=2,p=1", parts[4], parts[5]),
		"duplicate param":    join("", "argon2id", parts[2], "m=19456,m=19456,t=2,p=1", parts[4], parts[5]),
		"unknown param":      join("", "argon2id", parts[2], "m=19456,t=2,p=1,x=3", parts[4], parts[5]),
		"params without =":   join("", "argon2id", parts[2], "m19456,t=2,p=1", parts[4], parts[5]),
		"memory below lanes": join("", "argon2id", parts[2], "m=1,t=2,p=1", parts[4], parts[5]),
		"other parameters":   join("", "argon2id", parts[2], "m=19456,t=3,p=1", parts[4], parts[5]),
	}
	for name, hash := range cases {
		t.Run(name, func(t *testing.T) {
			if auth.CheckPassword(hash, pw) {
				t.Errorf("CheckPassword(%q) accepted the right password with a corrupted hash", hash)
			}
		})
	}
	if !auth.CheckPassword(good, pw) {
		t.Fatal("the uncorrupted hash does not verify")
	}
}

func TestValidatePassword(t *testing.T) {
	cases := []struct {
		name, pw string
		wantCode string // "" for valid
	}{
		{"empty", "", "too_short"},
		{"seven", "1234567", "too_short"},
		{"eight", "12345678", ""},
		{"eight chinese characters", "一二三四五六七八", ""},
		{"seven chinese characters", "一二三四五六七", "too_short"},
		{"too long", strings.Repeat("a", 257), "too_long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fieldCodes(t, auth.ValidatePassword(c.pw))
			if c.wantCode == "" {
				if got != nil {
					t.Fatalf("errors %v, want none", got)
				}
				return
			}
			if got["password"] != c.wantCode || len(got) != 1 {
				t.Fatalf("errors %v, want password: %s", got, c.wantCode)
			}
		})
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	h, err := auth.HashPassword("benchmark password")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !auth.CheckPassword(h, "benchmark password") {
			b.Fatal("password does not verify")
		}
	}
}
