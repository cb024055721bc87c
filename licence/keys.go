package licence

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// PublicKey is a department's published verification key.
type PublicKey struct {
	ID         string `json:"kid"`
	Department string `json:"department"`
	Alg        string `json:"alg"`
	Public     []byte `json:"public_key"` // base64 in JSON
	Current    bool   `json:"current"`    // the key the department signs with now
}

// PrivateKey is a department's signing key.
type PrivateKey struct {
	PublicKey
	Private []byte
}

// KeySet is the published public keys: the file `onewindow keys list
// --json` writes and /api/v1/licence-keys serves, which offline
// verification reads.
type KeySet struct {
	Keys []PublicKey `json:"keys"`
}

// Find returns the key with id.
func (s KeySet) Find(id string) (PublicKey, bool) {
	for _, k := range s.Keys {
		if k.ID == id {
			return k, true
		}
	}
	return PublicKey{}, false
}

// ReadKeySet reads a published key file.
func ReadKeySet(path string) (KeySet, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return KeySet{}, err
	}
	var s KeySet
	if err := json.Unmarshal(raw, &s); err != nil {
		return KeySet{}, fmt.Errorf("licence: %s is not a key file: %w", path, err)
	}
	return s, nil
}

// KeyDir is the folder of the departments' signing keys, kept outside the
// database: DIR/DEPT/KID.key holds a private key (base64, mode 0600) and
// DIR/DEPT/current the id of the key the department signs with. Rotation
// adds a key and moves current; the old keys stay, so what they signed
// still verifies.
type KeyDir struct{ Path string }

var deptPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// ErrNoKey is returned when a department has no signing key.
var ErrNoKey = errors.New("licence: the department has no signing key")

// New makes the first key of dept; a department that has one keeps it
// (rotate instead).
func (d KeyDir) New(dept string) (PublicKey, error) {
	if _, err := d.Current(dept); err == nil {
		return PublicKey{}, fmt.Errorf("licence: %s already has a key (use keys rotate)", dept)
	}
	return d.add(dept)
}

// Rotate makes a new key for dept and signs with it from now on.
func (d KeyDir) Rotate(dept string) (PublicKey, error) {
	if _, err := d.Current(dept); err != nil {
		return PublicKey{}, err
	}
	return d.add(dept)
}

func (d KeyDir) add(dept string) (PublicKey, error) {
	if !deptPattern.MatchString(dept) {
		return PublicKey{}, fmt.Errorf("licence: %q is not a department code", dept)
	}
	priv, pub, err := algorithms[Ed25519].NewKey()
	if err != nil {
		return PublicKey{}, err
	}
	sum := sha256.Sum256(pub)
	id := dept + "-" + hex.EncodeToString(sum[:6])
	dir := filepath.Join(d.Path, dept)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return PublicKey{}, err
	}
	body := Ed25519 + " " + base64.StdEncoding.EncodeToString(priv) + "\n"
	if err := os.WriteFile(filepath.Join(dir, id+".key"), []byte(body), 0o600); err != nil {
		return PublicKey{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "current"), []byte(id+"\n"), 0o600); err != nil {
		return PublicKey{}, err
	}
	return PublicKey{ID: id, Department: dept, Alg: Ed25519, Public: pub, Current: true}, nil
}

// Current returns the key dept signs with.
func (d KeyDir) Current(dept string) (*PrivateKey, error) {
	if !deptPattern.MatchString(dept) {
		return nil, ErrNoKey
	}
	id, err := os.ReadFile(filepath.Join(d.Path, dept, "current"))
	if err != nil {
		return nil, ErrNoKey
	}
	k, err := d.read(dept, strings.TrimSpace(string(id)))
	if err != nil {
		return nil, err
	}
	k.Current = true
	return k, nil
}

func (d KeyDir) read(dept, id string) (*PrivateKey, error) {
	raw, err := os.ReadFile(filepath.Join(d.Path, dept, id+".key"))
	if err != nil {
		return nil, fmt.Errorf("licence: key %s: %w", id, err)
	}
	alg, b64, ok := strings.Cut(strings.TrimSpace(string(raw)), " ")
	a, known := algorithms[alg]
	if !ok || !known {
		return nil, fmt.Errorf("licence: key %s: %w", id, errBadKey)
	}
	priv, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("licence: key %s: %w", id, errBadKey)
	}
	pub, err := a.Public(priv)
	if err != nil {
		return nil, fmt.Errorf("licence: key %s: %w", id, err)
	}
	return &PrivateKey{PublicKey: PublicKey{ID: id, Department: dept, Alg: alg, Public: pub}, Private: priv}, nil
}

// Public lists every department's public keys, current and old, sorted.
func (d KeyDir) Public() (KeySet, error) {
	depts, err := os.ReadDir(d.Path)
	if err != nil {
		return KeySet{}, err
	}
	set := KeySet{Keys: []PublicKey{}}
	for _, e := range depts {
		if !e.IsDir() || !deptPattern.MatchString(e.Name()) {
			continue
		}
		cur, _ := d.Current(e.Name())
		files, err := os.ReadDir(filepath.Join(d.Path, e.Name()))
		if err != nil {
			return KeySet{}, err
		}
		for _, f := range files {
			id, ok := strings.CutSuffix(f.Name(), ".key")
			if !ok {
				continue
			}
			k, err := d.read(e.Name(), id)
			if err != nil {
				return KeySet{}, err
			}
			k.Current = cur != nil && cur.ID == id
			set.Keys = append(set.Keys, k.PublicKey)
		}
	}
	slices.SortFunc(set.Keys, func(a, b PublicKey) int {
		return strings.Compare(a.Department+"/"+a.ID, b.Department+"/"+b.ID)
	})
	return set, nil
}
