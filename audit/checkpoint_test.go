package audit_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// newKey makes a key pair in a temporary folder and returns the paths of the
// private and the public key.
func newKey(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	key, pub := filepath.Join(dir, "audit.key"), filepath.Join(dir, "audit.key.pub")
	if _, err := audit.GenerateKey(key, pub); err != nil {
		t.Fatalf("GenerateKey: %v", err)
	}
	return key, pub
}

func publicKey(t *testing.T, path string) ed25519.PublicKey {
	t.Helper()
	pub, err := audit.ReadPublicKey(path)
	if err != nil {
		t.Fatalf("ReadPublicKey(%s): %v", path, err)
	}
	return pub
}

func newCheckpointer(t *testing.T, db *store.DB, key, file string) *audit.Checkpointer {
	t.Helper()
	c, err := audit.NewCheckpointer(db, key, file)
	if err != nil {
		t.Fatalf("NewCheckpointer: %v", err)
	}
	return c
}

// checkpointAt appends a checkpoint of the current head and checks it names it.
func checkpointAt(t *testing.T, c *audit.Checkpointer, wantSeq int64) audit.Checkpoint {
	t.Helper()
	cp, err := c.Write(context.Background(), time.Date(2026, 10, 1, 10, 0, int(wantSeq), 0, time.UTC))
	if err != nil {
		t.Fatalf("checkpoint at seq %d: %v", wantSeq, err)
	}
	if cp.Seq != wantSeq {
		t.Fatalf("checkpoint took seq %d, want %d", cp.Seq, wantSeq)
	}
	return cp
}

func lines(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// wantCheckpointError checks that err is a *CheckpointError on line line for
// seq seq whose message says what.
func wantCheckpointError(t *testing.T, err error, line int, seq int64, what string) {
	t.Helper()
	var ce *audit.CheckpointError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a checkpoint error on line %d", err, line)
	}
	if ce.Line != line || ce.Seq != seq || !strings.Contains(ce.Error(), what) {
		t.Fatalf("got %q (line %d, seq %d), want line %d, seq %d, saying %q", ce, ce.Line, ce.Seq, line, seq, what)
	}
}

// wantCheckpointsFail checks that the log passes plain Verify with intact
// records, and fails against the checkpoints on line line (seq seq), with
// a message naming the line.
func wantCheckpointsFail(t *testing.T, db *store.DB, file string, pub ed25519.PublicKey, intact int64, line int, seq int64, what string) {
	t.Helper()
	wantIntact(t, db, intact)
	_, err := audit.VerifyCheckpoints(context.Background(), db, file, pub)
	wantCheckpointError(t, err, line, seq, what)
	if want := "line " + strconv.Itoa(line) + " of " + file + " (seq " + strconv.FormatInt(seq, 10); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("the failure reads %v, want it to name %q", err, want)
	}
}

func TestCheckpointKeys(t *testing.T) {
	key, pub := newKey(t)
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v, %v; want mode 0600", fi, err)
	}
	priv, err := audit.ReadPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	fromPub, fromKey := publicKey(t, pub), publicKey(t, key)
	if !fromPub.Equal(fromKey) || !fromPub.Equal(priv.Public()) {
		t.Fatal("the public key file and the private key file give different public keys")
	}
	if _, err := audit.ReadPrivateKey(pub); err == nil {
		t.Error("ReadPrivateKey accepted a public key file")
	}
	before, _ := os.ReadFile(key)
	if _, err := audit.GenerateKey(key, filepath.Join(t.TempDir(), "other.pub")); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("GenerateKey over an existing key: %v, want a refusal", err)
	}
	if _, err := audit.GenerateKey(filepath.Join(t.TempDir(), "other.key"), pub); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("GenerateKey over an existing public key: %v, want a refusal", err)
	}
	if after, _ := os.ReadFile(key); !bytes.Equal(before, after) {
		t.Error("the refused GenerateKey changed the key file")
	}
	other, _ := newKey(t)
	if audit.KeyID(publicKey(t, other)) == audit.KeyID(fromPub) {
		t.Error("two new keys have one key id")
	}
}

// A log that only grew verifies against every checkpoint taken of it; the
// scheduler's WriteIfMoved writes only when the head moved.
func TestCheckpointsOfAGrowingLog(t *testing.T) {
	defer audit.SetVerifyBatch(4)()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		key, pubFile := newKey(t)
		file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		c := newCheckpointer(t, db, key, file)
		at := time.Date(2026, 10, 1, 2, 3, 4, 567890000, time.FixedZone("CST", 8*3600))
		ifMoved := func(wantSeq int64, wantWritten bool) {
			t.Helper()
			cp, written, err := c.WriteIfMoved(ctx, at)
			if err != nil {
				t.Fatalf("WriteIfMoved: %v", err)
			}
			if written != wantWritten || cp.Seq != wantSeq {
				t.Fatalf("WriteIfMoved = seq %d, written %v; want seq %d, written %v", cp.Seq, written, wantSeq, wantWritten)
			}
		}
		ifMoved(0, true) // a new file gets the empty log's head
		ifMoved(0, false)
		appendN(t, db, 5)
		ifMoved(5, true)
		ifMoved(5, false)
		appendN(t, db, 7)
		ifMoved(12, true)
		checkpointAt(t, c, 12) // on demand: written even though the head stayed
		appendN(t, db, 18)
		ifMoved(30, true)
		appendN(t, db, 3)

		got := lines(t, file)
		if len(got) != 5 {
			t.Fatalf("checkpoint file has %d lines, want 5:\n%s", len(got), strings.Join(got, "\n"))
		}
		var first audit.Checkpoint
		if err := json.Unmarshal([]byte(got[0]), &first); err != nil {
			t.Fatal(err)
		}
		pub := publicKey(t, pubFile)
		if first.Seq != 0 || first.Hash != audit.GenesisHash || first.At != "2026-09-30T18:03:04.567890Z" || first.Key != audit.KeyID(pub) {
			t.Errorf("first line %s: want seq 0, the genesis hash, the time in UTC and the key id", got[0])
		}
		sum, err := audit.VerifyCheckpoints(ctx, db, file, pub)
		if err != nil {
			t.Fatalf("VerifyCheckpoints: %v", err)
		}
		if sum.Records != 33 || sum.Checkpoints != 5 || sum.Latest.Seq != 30 || sum.HeadSeq != 33 {
			t.Errorf("summary %+v: want 33 records, 5 checkpoints, the latest at seq 30", sum)
		}
	})
}

// truncate removes the records after seq keep and moves the head back to
// the last one kept, as someone with write access to the database can.
func truncate(t *testing.T, db *store.DB, keep int64) {
	t.Helper()
	ctx := context.Background()
	hash := audit.GenesisHash
	if keep > 0 {
		if err := db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE chain_seq = ?`, keep).Scan(&hash); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM audit_log WHERE chain_seq > ?`, keep); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = ''`, keep, hash); err != nil {
		t.Fatal(err)
	}
}

func TestCheckpointsDetectTruncation(t *testing.T) {
	defer audit.SetVerifyBatch(4)()
	cases := []struct {
		name     string
		keep     int64 // records kept
		regrow   int   // records appended after the cut
		line     int   // the checkpoint named
		seq      int64
		what     string
		verifies int64 // records plain Verify passes
	}{
		{"head moved back", 15, 0, 2, 20, "the log was truncated", 15},
		{"emptied", 0, 0, 1, 10, "the log's head is at seq 0", 0},
		{"cut and grown past the checkpoints again", 15, 10, 2, 20, "the log was rewritten", 25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				key, pubFile := newKey(t)
				file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
				c := newCheckpointer(t, db, key, file)
				appendN(t, db, 10)
				checkpointAt(t, c, 10)
				appendN(t, db, 10)
				checkpointAt(t, c, 20)

				truncate(t, db, tc.keep)
				appendN(t, db, tc.regrow)
				wantCheckpointsFail(t, db, file, publicKey(t, pubFile), tc.verifies, tc.line, tc.seq, tc.what)

				// The scheduler's job refuses to sign the shortened log.
				_, _, err := c.WriteIfMoved(context.Background(), time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC))
				wantCheckpointError(t, err, 0, 20, "not signing")
				if n := len(lines(t, file)); n != 2 {
					t.Errorf("the checkpoint file has %d lines after the refusal, want 2", n)
				}
			})
		})
	}
}

// rewriteChain changes the actor of record seq and recomputes the hash of
// every record from it on, and the head, from the documented hash format:
// what someone with write access to the database can do without any key.
func rewriteChain(t *testing.T, db *store.DB, seq int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `UPDATE audit_log SET actor = 'admin' WHERE chain_seq = ?`, seq); err != nil {
		t.Fatal(err)
	}
	var prev string
	if err := db.QueryRowContext(ctx, `SELECT prev_hash FROM audit_log WHERE chain_seq = ?`, seq).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT chain_seq, at, actor_id, actor, role, action, object, outcome, detail, ip
		FROM audit_log WHERE chain_seq >= ? ORDER BY chain_seq`, seq)
	if err != nil {
		t.Fatal(err)
	}
	type rewrite struct {
		seq        int64
		prev, hash string
	}
	var rewrites []rewrite
	for rows.Next() {
		var s, actorID int64
		var at, actor, role, action, object, outcome, detail, ip string
		if err := rows.Scan(&s, &at, &actorID, &actor, &role, &action, &object, &outcome, &detail, &ip); err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == store.Postgres {
			// A timestamptz column: its stored form, as Verify hashes it.
			at = store.FormatTime(store.ParseTime(at))
		}
		var canon strings.Builder
		for _, f := range []string{strconv.FormatInt(s, 10), at, strconv.FormatInt(actorID, 10), actor, role, action, object, outcome, detail, ip} {
			canon.WriteString(strconv.Itoa(len(f)) + ":" + f + "\n")
		}
		hash := sha256Hex(prev + "\n" + canon.String())
		rewrites = append(rewrites, rewrite{s, prev, hash})
		prev = hash
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, r := range rewrites {
		if _, err := db.ExecContext(ctx, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE chain_seq = ?`, r.prev, r.hash, r.seq); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE audit_heads SET hash = ? WHERE chain = ''`, prev); err != nil {
		t.Fatal(err)
	}
}

func TestCheckpointsDetectRecomputation(t *testing.T) {
	defer audit.SetVerifyBatch(4)()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		key, pubFile := newKey(t)
		pub := publicKey(t, pubFile)
		file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		c := newCheckpointer(t, db, key, file)
		for _, seq := range []int64{5, 10, 20} {
			appendN(t, db, int(seq)-int(headSeq(t, db)))
			checkpointAt(t, c, seq)
		}
		rewriteChain(t, db, 7)
		// Record 7 is changed and every hash after it recomputed: the chain
		// verifies, the checkpoint at seq 5 still holds, the one at seq 10
		// (line 2) does not.
		wantCheckpointsFail(t, db, file, pub, 20, 2, 10, "the log was rewritten")

		_, err := c.Write(context.Background(), time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC))
		wantCheckpointError(t, err, 0, 20, "not signing")

		// A checkpoint of the rewritten log, signed by the real key (say the
		// job ran into a new file after the rewrite), contradicts the older
		// one of the same seq.
		fresh := filepath.Join(t.TempDir(), "fresh.jsonl")
		checkpointAt(t, newCheckpointer(t, db, key, fresh), 20)
		both := filepath.Join(t.TempDir(), "both.jsonl")
		os.WriteFile(both, []byte(strings.Join(append(lines(t, file), lines(t, fresh)...), "\n")+"\n"), 0o644)
		_, err = audit.VerifyCheckpoints(context.Background(), db, both, pub)
		wantCheckpointError(t, err, 4, 20, "rewritten between them")
	})
}

// headSeq is the head's seq.
func headSeq(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var seq int64
	if err := db.QueryRowContext(context.Background(), `SELECT seq FROM audit_heads WHERE chain = ''`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// A checkpoint file whose lines were edited, forged or signed by another key
// is rejected, naming the line, even when the log itself is intact.
func TestCheckpointFileForgeries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		key, pubFile := newKey(t)
		pub := publicKey(t, pubFile)
		otherKey, otherPub := newKey(t)
		dir := t.TempDir()
		file := filepath.Join(dir, "checkpoints.jsonl")
		c := newCheckpointer(t, db, key, file)
		appendN(t, db, 10)
		checkpointAt(t, c, 10)
		appendN(t, db, 5)
		checkpointAt(t, c, 15)
		otherFile := filepath.Join(dir, "other.jsonl")
		checkpointAt(t, newCheckpointer(t, db, otherKey, otherFile), 15)
		good, other := lines(t, file), lines(t, otherFile)[0]
		if _, err := audit.VerifyCheckpoints(context.Background(), db, file, pub); err != nil {
			t.Fatalf("the untouched file: %v", err)
		}

		edit := func(line string, change func(*audit.Checkpoint)) string {
			var cp audit.Checkpoint
			if err := json.Unmarshal([]byte(line), &cp); err != nil {
				t.Fatal(err)
			}
			change(&cp)
			b, _ := json.Marshal(cp)
			return string(b)
		}
		var hash9 string
		db.QueryRowContext(context.Background(), `SELECT hash FROM audit_log WHERE chain_seq = 9`).Scan(&hash9)
		cases := []struct {
			name string
			line string // replaces the second line
			what string
			seq  int64
		}{
			{"seq edited", edit(good[1], func(c *audit.Checkpoint) { c.Seq = 14 }), "signature does not verify", 14},
			{"hash edited", edit(good[1], func(c *audit.Checkpoint) { c.Seq, c.Hash = 9, hash9 }), "signature does not verify", 9},
			{"time edited", edit(good[1], func(c *audit.Checkpoint) { c.At = "2030-01-01T00:00:00.000000Z" }), "signature does not verify", 15},
			{"signature of another line", edit(good[1], func(c *audit.Checkpoint) {
				var first audit.Checkpoint
				json.Unmarshal([]byte(good[0]), &first)
				c.Sig = first.Sig
			}), "signature does not verify", 15},
			{"signature not base64", edit(good[1], func(c *audit.Checkpoint) { c.Sig = "!!" }), "signature does not verify", 15},
			{"zero signature", edit(good[1], func(c *audit.Checkpoint) { c.Sig = base64.StdEncoding.EncodeToString(make([]byte, 64)) }), "signature does not verify", 15},
			{"signed by another key", other, "signed by another key", 15},
			{"another key's line claiming this key", edit(other, func(c *audit.Checkpoint) { c.Key = audit.KeyID(pub) }), "signature does not verify", 15},
			{"not a checkpoint", `{"seq": 15, "hash"`, "not a checkpoint", 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				forged := filepath.Join(t.TempDir(), "forged.jsonl")
				os.WriteFile(forged, []byte(good[0]+"\n"+tc.line+"\n"), 0o644)
				_, err := audit.VerifyCheckpoints(context.Background(), db, forged, pub)
				wantCheckpointError(t, err, 2, tc.seq, tc.what)
				if err == nil || !strings.Contains(err.Error(), "checkpoint on line 2 of "+forged) {
					t.Errorf("the failure reads %v: want it to name line 2", err)
				}
				// The scheduler's job will not go on from a forged last line.
				if _, err := audit.NewCheckpointer(db, key, forged); err == nil {
					t.Error("NewCheckpointer accepted a file whose last line is forged")
				}
			})
		}

		// The right file checked with the wrong public key fails on line 1.
		_, err := audit.VerifyCheckpoints(context.Background(), db, file, publicKey(t, otherPub))
		wantCheckpointError(t, err, 1, 10, "signed by another key")
		// And a server given the wrong key for the file refuses to start.
		if _, err := audit.NewCheckpointer(db, otherKey, file); err == nil || !strings.Contains(err.Error(), "another key") {
			t.Errorf("NewCheckpointer with another key: %v, want a refusal", err)
		}
		// A file with no checkpoint proves nothing.
		empty := filepath.Join(dir, "empty.jsonl")
		os.WriteFile(empty, nil, 0o644)
		if _, err := audit.VerifyCheckpoints(context.Background(), db, empty, pub); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
			t.Errorf("an empty checkpoint file: %v, want an error", err)
		}
	})
}

// A write cut short (the process died mid-line) does not swallow the next
// checkpoint: it goes on a line of its own, and verification names the cut
// line.
func TestCheckpointAfterACutWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		key, pubFile := newKey(t)
		file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		c := newCheckpointer(t, db, key, file)
		appendN(t, db, 3)
		checkpointAt(t, c, 3)
		f, _ := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
		f.WriteString(`{"seq":4,"hash":"ab`)
		f.Close()
		appendN(t, db, 2)
		c = newCheckpointer(t, db, key, file)
		if _, written, err := c.WriteIfMoved(context.Background(), time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)); err != nil || !written {
			t.Fatalf("WriteIfMoved after a cut line: %v, written %v", err, written)
		}
		got := lines(t, file)
		if len(got) != 3 || !strings.HasPrefix(got[2], `{"seq":5,`) {
			t.Fatalf("file after a cut line:\n%s\nwant the new checkpoint on line 3", strings.Join(got, "\n"))
		}
		_, err := audit.VerifyCheckpoints(context.Background(), db, file, publicKey(t, pubFile))
		wantCheckpointError(t, err, 2, 0, "not a checkpoint")
	})
}
