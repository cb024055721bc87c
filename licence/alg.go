package licence

import (
	"crypto/ed25519"
	"errors"
)

// Algorithm signs and verifies. Each document names its algorithm ("alg"),
// so a national-standard signer (SM2 with SM3) can be registered beside
// Ed25519 without changing the documents already issued.
type Algorithm interface {
	NewKey() (private, public []byte, err error)
	Public(private []byte) ([]byte, error)
	Sign(private, msg []byte) ([]byte, error)
	Verify(public, msg, sig []byte) bool
}

// Ed25519 is the default algorithm (crypto/ed25519, RFC 8032); its private
// keys are kept as their 32-byte seed.
const Ed25519 = "Ed25519"

var algorithms = map[string]Algorithm{Ed25519: ed25519Alg{}}

// Register adds an algorithm under the name documents carry in "alg".
func Register(name string, a Algorithm) { algorithms[name] = a }

var errUnknownAlg = errors.New("licence: unknown signature algorithm")
var errBadKey = errors.New("licence: malformed key")

type ed25519Alg struct{}

func (ed25519Alg) NewKey() ([]byte, []byte, error) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, nil, err
	}
	return priv.Seed(), pub, nil
}

func (ed25519Alg) Public(seed []byte) ([]byte, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, errBadKey
	}
	return ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey), nil
}

func (ed25519Alg) Sign(seed, msg []byte) ([]byte, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, errBadKey
	}
	return ed25519.Sign(ed25519.NewKeyFromSeed(seed), msg), nil
}

func (ed25519Alg) Verify(pub, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}
