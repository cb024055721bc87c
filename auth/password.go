package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/onewindow/onewindow/apperr"
)

// Argon2id parameters: the OWASP minimum (19 MiB, 2 passes, 1 lane), which
// costs a few tens of milliseconds per login on a small server while making
// offline guessing expensive.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// Bounds for parameters read back from a stored hash, so that a corrupted or
// planted hash cannot make a login allocate gigabytes or spin for minutes.
const (
	maxArgonMemoryKiB = 256 * 1024
	maxArgonTime      = 16
	minArgonKeyLen    = 16
	maxArgonKeyLen    = 128
	minArgonSaltLen   = 8
	maxArgonSaltLen   = 64
)

const (
	minPasswordLen = 8   // characters
	maxPasswordLen = 256 // characters; longer input is a mistake or an attack
)

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// ValidatePassword applies the password policy: 8 to 256 characters.
func ValidatePassword(pw string) error {
	var f apperr.Fields
	switch n := utf8.RuneCountInString(pw); {
	case n < minPasswordLen:
		f.Add("password", "too_short", apperr.M("密码至少需要8个字符", "password must have at least 8 characters"))
	case n > maxPasswordLen:
		f.Add("password", "too_long", apperr.M("密码不能超过256个字符", "password must have at most 256 characters"))
	}
	return f.Err()
}

// HashPassword hashes pw with argon2id and a random salt and returns it in
// the PHC string format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
// It does not apply the policy; callers validate first.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the PHC-encoded hash. A hash that
// cannot be parsed, or whose parameters are out of bounds, matches nothing.
func CheckPassword(encoded, pw string) bool {
	p, ok := parsePHC(encoded)
	if !ok {
		return false
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// parsePHC reads "$argon2id$v=19$m=…,t=…,p=…$salt$hash".
func parsePHC(s string) (argonParams, bool) {
	var p argonParams
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, false
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(parts[3], ",") {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || seen[name] {
			return p, false
		}
		seen[name] = true
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil {
			return p, false
		}
		switch name {
		case "m":
			p.memory = uint32(n)
		case "t":
			p.time = uint32(n)
		case "p":
			if n > 255 {
				return p, false
			}
			p.threads = uint8(n)
		default:
			return p, false
		}
	}
	if p.time < 1 || p.time > maxArgonTime || p.threads < 1 ||
		p.memory < 8*uint32(p.threads) || p.memory > maxArgonMemoryKiB {
		return p, false
	}
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < minArgonSaltLen || len(p.salt) > maxArgonSaltLen {
		return p, false
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < minArgonKeyLen || len(p.key) > maxArgonKeyLen {
		return p, false
	}
	return p, true
}

// dummyHash is checked when a login names an unknown user, so that the answer
// takes as long as for a known user with a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("no such user: the result is never used")
	if err != nil {
		// Without randomness no hash can be made; a fixed well-formed
		// hash still costs the same time to check.
		return "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	}
	return h
})
