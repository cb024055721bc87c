package audit

// Checkpoints anchor the hash chain outside the database. The chain alone
// proves that no record was changed in place, but anyone who can write to the
// database can also cut its end off and move the head back, or recompute
// every hash from a changed record onwards: plain SHA-256 needs no key. A
// checkpoint is the head (seq and hash) at a time, signed with an Ed25519 key
// that the database does not hold, and appended as one JSON line to a file
// kept outside it. Verifying with the checkpoints then shows a log that lost
// records a checkpoint saw, or whose records no longer hash as they did.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/store"
)

// Checkpoint is one line of a checkpoint file: the head of the chain at a
// time, signed. Its JSON form is the line.
type Checkpoint struct {
	Seq  int64  `json:"seq"`  // the head's seq (0 for an empty log)
	Hash string `json:"hash"` // the hash of the record at Seq (GenesisHash for 0)
	At   string `json:"at"`   // when it was taken, UTC with microseconds, as signed
	Key  string `json:"key"`  // KeyID of the signing key
	Sig  string `json:"sig"`  // Ed25519 signature of the fields above, standard base64
}

// signedBytes is what a checkpoint's signature covers: a fixed title line,
// then one "name: value" line per field.
func (c Checkpoint) signedBytes() []byte {
	return []byte("onewindow audit checkpoint v1\n" +
		"seq: " + strconv.FormatInt(c.Seq, 10) + "\n" +
		"hash: " + c.Hash + "\n" +
		"at: " + c.At + "\n" +
		"key: " + c.Key + "\n")
}

// KeyID names a public key in checkpoints and messages: the first 8 bytes of
// the SHA-256 of the key, in hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// sign returns the signed checkpoint of (seq, hash) at the given time.
func sign(key ed25519.PrivateKey, seq int64, hash string, at time.Time) Checkpoint {
	c := Checkpoint{Seq: seq, Hash: hash, At: store.FormatTime(at), Key: KeyID(key.Public().(ed25519.PublicKey))}
	c.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.signedBytes()))
	return c
}

// checkSignature reports whether c was signed by pub, and if not, why.
func (c Checkpoint) checkSignature(pub ed25519.PublicKey) string {
	if id := KeyID(pub); c.Key != id {
		return fmt.Sprintf("it names key %s, not the public key given (%s): it was signed by another key or edited", c.Key, id)
	}
	sig, err := base64.StdEncoding.DecodeString(c.Sig)
	if err != nil || !ed25519.Verify(pub, c.signedBytes(), sig) {
		return "its signature does not verify with the public key: the line was edited or forged"
	}
	return ""
}

// CheckpointError says which checkpoint the log or the checkpoint file fails,
// and how.
type CheckpointError struct {
	File    string // the checkpoint file
	Line    int    // its line, from 1; 0 for the file's last line
	Seq     int64  // the seq the line names
	At      string // when it says it was taken ("" when the line is unreadable)
	Problem string // what is wrong, in English, for operators
}

func (e *CheckpointError) Error() string {
	where := fmt.Sprintf("checkpoint on line %d of %s", e.Line, e.File)
	if e.Line == 0 {
		where = "last checkpoint of " + e.File
	}
	if e.At == "" {
		return where + ": " + e.Problem
	}
	return fmt.Sprintf("%s (seq %d, taken %s): %s", where, e.Seq, e.At, e.Problem)
}

func (e *CheckpointError) at(c Checkpoint) *CheckpointError {
	e.Seq, e.At = c.Seq, c.At
	return e
}

// Keys are kept as PEM files, the private key in PKCS #8 and the public key
// in PKIX form (the forms "openssl pkey" reads and writes).
const (
	privatePEM = "PRIVATE KEY"
	publicPEM  = "PUBLIC KEY"
)

// GenerateKey writes a new Ed25519 private key to keyPath (mode 0600) and
// its public key to pubPath (0644). It refuses to replace either file.
func GenerateKey(keyPath, pubPath string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("audit: generate key: %w", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("audit: generate key: %w", err)
	}
	pubPEM, err := PublicKeyPEM(pub)
	if err != nil {
		return nil, fmt.Errorf("audit: generate key: %w", err)
	}
	if _, err := os.Lstat(pubPath); err == nil {
		return nil, fmt.Errorf("%s already exists: not replacing it", pubPath)
	}
	if err := writeNew(keyPath, pem.EncodeToMemory(&pem.Block{Type: privatePEM, Bytes: privDER}), 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(pubPath, []byte(pubPEM), 0o644); err != nil {
		os.Remove(keyPath)
		return nil, err
	}
	return pub, nil
}

// PublicKeyPEM encodes a public key as PEM (PKIX), as audit keygen writes it.
func PublicKeyPEM(pub ed25519.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: publicPEM, Bytes: der})), nil
}

// writeNew creates path with data, failing if it exists.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: not replacing it", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// ReadPrivateKey reads an Ed25519 private key written by GenerateKey.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	if b.Type != privatePEM {
		return nil, fmt.Errorf("%s holds a %s, not a private key", path, b.Type)
	}
	return parsePrivate(path, b.Bytes)
}

// ReadPublicKey reads an Ed25519 public key: a public key file, or a private
// key file, whose public half it returns.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	switch b.Type {
	case privatePEM:
		priv, err := parsePrivate(path, b.Bytes)
		if err != nil {
			return nil, err
		}
		return priv.Public().(ed25519.PublicKey), nil
	case publicPEM:
		k, err := x509.ParsePKIXPublicKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%s holds a %T, not an Ed25519 public key", path, k)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("%s holds a %s, not a public or private key", path, b.Type)
}

func readPEM(path string) (*pem.Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, fmt.Errorf("%s is not a PEM key file", path)
	}
	return b, nil
}

func parsePrivate(path string, der []byte) (ed25519.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s holds a %T, not an Ed25519 private key", path, k)
	}
	return priv, nil
}

// maxCheckpointLine bounds one line of a checkpoint file; real lines are
// about 250 bytes.
const maxCheckpointLine = 4 << 10

// parseCheckpoint reads line n of file as a checkpoint signed by pub.
func parseCheckpoint(file string, n int, line []byte, pub ed25519.PublicKey) (Checkpoint, error) {
	var c Checkpoint
	if err := json.Unmarshal(line, &c); err != nil {
		return Checkpoint{}, &CheckpointError{File: file, Line: n, Problem: "the line is not a checkpoint: " + err.Error()}
	}
	if problem := c.checkSignature(pub); problem != "" {
		return Checkpoint{}, (&CheckpointError{File: file, Line: n, Problem: problem}).at(c)
	}
	return c, nil
}

// lastCheckpoint returns the last complete line of the checkpoint file at
// path as a checkpoint signed by pub; found is false when the file is missing or holds
// no complete line. endsClean is false when the file ends in a partial line
// (a write cut short), which the next append must not run on from.
func lastCheckpoint(path string, pub ed25519.PublicKey) (c Checkpoint, found, endsClean bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Checkpoint{}, false, true, nil
	}
	if err != nil {
		return Checkpoint{}, false, false, err
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return Checkpoint{}, false, false, err
	}
	start := max(size-2*maxCheckpointLine, 0)
	tail := make([]byte, size-start)
	if _, err := f.ReadAt(tail, start); err != nil {
		return Checkpoint{}, false, false, err
	}
	endsClean = len(tail) == 0 || tail[len(tail)-1] == '\n'
	if !endsClean {
		tail = tail[:bytes.LastIndexByte(tail, '\n')+1] // drop the partial line
	}
	tail = bytes.TrimRight(tail, "\n")
	if len(tail) == 0 {
		return Checkpoint{}, false, endsClean, nil
	}
	line := tail[bytes.LastIndexByte(tail, '\n')+1:]
	if start > 0 && len(line) == len(tail) {
		return Checkpoint{}, false, false, fmt.Errorf("%s: the last line is longer than %d bytes: not a checkpoint file", path, maxCheckpointLine)
	}
	c, err = parseCheckpoint(path, 0, line, pub)
	if err != nil {
		return Checkpoint{}, false, endsClean, err
	}
	return c, true, endsClean, nil
}

// appendCheckpoint adds c to the file at path as one line, in one write, and
// syncs it. Several processes may append to one file.
func appendCheckpoint(path string, c Checkpoint, endsClean bool) error {
	line, err := json.Marshal(c)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	if !endsClean {
		line = append([]byte{'\n'}, line...)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Checkpointer appends signed checkpoints of one database's audit log to one
// file. Before it signs a head it checks that the log still holds the file's
// last checkpoint and that the chain runs intact from there to the head (the
// whole chain when the file has none yet), so it never signs a log that was
// cut short or rewritten: it returns an error instead, every time, until an
// operator looks.
type Checkpointer struct {
	db   *store.DB
	key  ed25519.PrivateKey
	path string
}

// NewCheckpointer reads the private key at keyPath and checks that the
// checkpoint file at path, if it exists, ends with a checkpoint signed by it.
func NewCheckpointer(db *store.DB, keyPath, path string) (*Checkpointer, error) {
	key, err := ReadPrivateKey(keyPath)
	if err != nil {
		return nil, err
	}
	c := &Checkpointer{db: db, key: key, path: path}
	if _, _, _, err := lastCheckpoint(path, c.public()); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Checkpointer) public() ed25519.PublicKey { return c.key.Public().(ed25519.PublicKey) }

// Write appends a checkpoint of the current head, taken at the given time
// (the server's clock), and returns it.
func (c *Checkpointer) Write(ctx context.Context, at time.Time) (Checkpoint, error) {
	cp, _, err := c.write(ctx, at, true)
	return cp, err
}

// WriteIfMoved appends a checkpoint of the current head, as Write does, when
// the head differs from the file's last checkpoint (or the file has none);
// written says whether it did. It is the scheduler's job.
func (c *Checkpointer) WriteIfMoved(ctx context.Context, at time.Time) (cp Checkpoint, written bool, err error) {
	return c.write(ctx, at, false)
}

func (c *Checkpointer) write(ctx context.Context, at time.Time, always bool) (Checkpoint, bool, error) {
	last, found, endsClean, err := lastCheckpoint(c.path, c.public())
	if err != nil {
		return Checkpoint{}, false, fmt.Errorf("audit checkpoint: %w", err)
	}
	// The tenant chain's head, once tied to the other chains' heads, is what
	// the signature covers.
	if _, _, err := Tie(ctx, c.db, at); err != nil {
		return Checkpoint{}, false, fmt.Errorf("audit checkpoint: %w", err)
	}
	headSeq, headHash, err := readHead(ctx, c.db, TenantChain)
	if err != nil {
		return Checkpoint{}, false, fmt.Errorf("audit checkpoint: %w", err)
	}
	from, fromHash := int64(0), GenesisHash
	if found {
		if err := checkStillHolds(ctx, c.db, last, headSeq); err != nil {
			var ce *CheckpointError
			if !errors.As(err, &ce) {
				return Checkpoint{}, false, fmt.Errorf("audit checkpoint: %w", err)
			}
			ce.File, ce.Line = c.path, 0
			ce.Problem += "; not signing this log (see onewindow audit verify --checkpoints)"
			return Checkpoint{}, false, ce
		}
		from, fromHash = last.Seq, last.Hash
	}
	if _, err := walkChain(ctx, c.db, TenantChain, from, fromHash, headSeq, headHash, nil); err != nil {
		return Checkpoint{}, false, fmt.Errorf("audit checkpoint: not signing a broken chain: %w", err)
	}
	if found && !always && last.Seq == headSeq && last.Hash == headHash {
		return last, false, nil
	}
	cp := sign(c.key, headSeq, headHash, at)
	if err := appendCheckpoint(c.path, cp, endsClean); err != nil {
		return Checkpoint{}, false, fmt.Errorf("audit checkpoint: %w", err)
	}
	return cp, true, nil
}

// checkStillHolds checks that the log whose head is at headSeq still holds
// the record that checkpoint c signed. The error is a *CheckpointError
// without its file and line.
func checkStillHolds(ctx context.Context, db *store.DB, c Checkpoint, headSeq int64) error {
	if c.Seq > headSeq {
		return (&CheckpointError{Problem: truncated(c, headSeq)}).at(c)
	}
	hash := GenesisHash
	if c.Seq > 0 {
		err := db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE chain = ? AND chain_seq = ?`, TenantChain, c.Seq).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return (&CheckpointError{Problem: fmt.Sprintf("the record at seq %d is missing", c.Seq)}).at(c)
		}
		if err != nil {
			return fmt.Errorf("audit: read seq %d: %w", c.Seq, err)
		}
	}
	if hash != c.Hash {
		return (&CheckpointError{Problem: rewritten(c, hash)}).at(c)
	}
	return nil
}

func truncated(c Checkpoint, headSeq int64) string {
	return fmt.Sprintf("the log's head is at seq %d, before this checkpoint's seq %d: records after seq %d were removed and the head moved back (the log was truncated)",
		headSeq, c.Seq, headSeq)
}

func rewritten(c Checkpoint, got string) string {
	return fmt.Sprintf("the record at seq %d has hash %s, but the checkpoint signed %s: the log was rewritten at or before seq %d",
		c.Seq, short(got), short(c.Hash), c.Seq)
}

// CheckpointSummary describes a verification with checkpoints.
type CheckpointSummary struct {
	Records     int64      // records in all chains, all verified
	Chains      int        // chains, all verified
	Ties        int        // tie records binding them, all checked
	HeadSeq     int64      // the tenant chain's head: seq and hash (what checkpoints sign)
	HeadHash    string     //
	Checkpoints int        // checkpoints in the file, all verified
	Latest      Checkpoint // the checkpoint with the highest seq (the latest of those)
}

// VerifyCheckpoints verifies the chain as Verify does and checks it against
// every checkpoint in the file at path: each line must be signed by pub, and
// the log must still hold, at each checkpoint's seq, the record with the hash
// the checkpoint signed. A chain that does not verify returns a *BreakError;
// a line that is not a checkpoint signed by pub, a checkpoint beyond the
// log's head (the log was truncated), or one whose record is missing or
// hashes differently (the log was rewritten) returns a *CheckpointError
// naming the first such line (the checkpoint with the lowest seq for those
// found in the log). A file with no checkpoint is an error too.
func VerifyCheckpoints(ctx context.Context, db *store.DB, path string, pub ed25519.PublicKey) (CheckpointSummary, error) {
	type signed struct {
		line int
		cp   Checkpoint
	}
	var sum CheckpointSummary
	bySeq := map[int64]signed{}
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, maxCheckpointLine), maxCheckpointLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		c, err := parseCheckpoint(path, n, line, pub)
		if err != nil {
			return sum, err
		}
		if first, ok := bySeq[c.Seq]; ok {
			if first.cp.Hash != c.Hash {
				return sum, (&CheckpointError{File: path, Line: n, Problem: fmt.Sprintf(
					"it signs hash %s for seq %d, but line %d signed %s: the log was rewritten between them",
					short(c.Hash), c.Seq, first.line, short(first.cp.Hash))}).at(c)
			}
		} else {
			bySeq[c.Seq] = signed{n, c}
		}
		sum.Checkpoints++
		if c.Seq >= sum.Latest.Seq {
			sum.Latest = c
		}
	}
	if err := sc.Err(); err != nil {
		return sum, fmt.Errorf("%s: line %d: %w", path, n+1, err)
	}
	if sum.Checkpoints == 0 {
		return sum, fmt.Errorf("%s holds no checkpoint", path)
	}
	if c, ok := bySeq[0]; ok && c.cp.Hash != GenesisHash {
		return sum, (&CheckpointError{File: path, Line: c.line, Problem: rewritten(c.cp, GenesisHash)}).at(c.cp)
	}
	chains, err := verifyAll(ctx, db, func(r Record) error {
		c, ok := bySeq[r.ChainSeq]
		if !ok || c.cp.Hash == r.Hash {
			return nil
		}
		return (&CheckpointError{File: path, Line: c.line, Problem: rewritten(c.cp, r.Hash)}).at(c.cp)
	})
	tenant := chains.tenant()
	headSeq := tenant.Seq
	sum.Records, sum.HeadSeq, sum.HeadHash, sum.Chains, sum.Ties = chains.Records, tenant.Seq, tenant.Hash, len(chains.Heads), chains.Ties
	if err != nil {
		return sum, err
	}
	// The file was read before the head, which only moves on: a checkpoint
	// beyond it saw records that are gone. Name the lowest such.
	var first *signed
	for _, c := range bySeq {
		if c.cp.Seq > headSeq && (first == nil || c.cp.Seq < first.cp.Seq) {
			first = &c
		}
	}
	if first != nil {
		return sum, (&CheckpointError{File: path, Line: first.line, Problem: truncated(first.cp, headSeq)}).at(first.cp)
	}
	return sum, nil
}
