package audit_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// record returns a plausible record; i varies its fields.
func record(i int) audit.Record {
	return audit.Record{
		ActorID: int64(i%3 + 1),
		Actor:   fmt.Sprintf("desk%d", i%3+1),
		Role:    "frontdesk",
		Action:  "case.accept",
		Object:  fmt.Sprintf("case:%d", i%5),
		Outcome: audit.OK,
		Detail:  fmt.Sprintf(`{"n":%d,"note":"受理"}`, i),
		IP:      "10.0.0.1",
	}
}

func appendN(t *testing.T, db *store.DB, n int) []audit.Record {
	t.Helper()
	var out []audit.Record
	for i := 0; i < n; i++ {
		r, err := audit.AppendNow(context.Background(), db, record(i))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		out = append(out, r)
	}
	return out
}

func wantIntact(t *testing.T, db *store.DB, want int64) {
	t.Helper()
	n, err := audit.Verify(context.Background(), db)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if n != want {
		t.Fatalf("Verify checked %d records, want %d", n, want)
	}
}

func TestEmptyLogVerifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if audit.GenesisHash != sha256Hex("onewindow-audit-genesis") {
			t.Fatalf("GenesisHash = %s, want SHA-256 of the genesis string", audit.GenesisHash)
		}
		wantIntact(t, db, 0)
	})
}

func TestAppendAndVerify(t *testing.T) {
	defer audit.SetVerifyBatch(7)() // cross many batch boundaries
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		at := time.Date(2024, 6, 3, 1, 2, 3, 456789123, time.FixedZone("CST", 8*3600))
		first := record(0)
		first.At = at
		r1, err := audit.AppendNow(context.Background(), db, first)
		if err != nil {
			t.Fatal(err)
		}
		// The documented hash: SHA-256(prev_hash "\n" fields), each field
		// written as <length>:<bytes>\n, time in UTC with microseconds.
		fields := []string{"1", "2024-06-02T17:02:03.456789Z", "1", "desk1", "frontdesk", "case.accept", "case:0", "ok",
			`{"n":0,"note":"受理"}`, "10.0.0.1"}
		var canon strings.Builder
		for _, f := range fields {
			canon.WriteString(strconv.Itoa(len(f)) + ":" + f + "\n")
		}
		if want := sha256Hex(audit.GenesisHash + "\n" + canon.String()); r1.Hash != want {
			t.Fatalf("first record hash %s, want %s", r1.Hash, want)
		}
		if r1.ChainSeq != 1 || r1.PrevHash != audit.GenesisHash || !r1.At.Equal(at.Truncate(time.Microsecond)) {
			t.Fatalf("first record %+v: want seq 1 after the genesis, time kept to the microsecond", r1)
		}
		rest := appendN(t, db, 99)
		for i, r := range rest {
			if r.ChainSeq != int64(i+2) {
				t.Fatalf("record %d has seq %d", i+2, r.ChainSeq)
			}
		}
		if rest[0].PrevHash != r1.Hash {
			t.Fatalf("second record's prev_hash %s, want the first record's hash %s", rest[0].PrevHash, r1.Hash)
		}
		wantIntact(t, db, 100)

		if n, head, err := audit.VerifyHead(context.Background(), db); err != nil || n != 100 || head != rest[98].Hash {
			t.Errorf("VerifyHead = %d, %s, %v; want 100 records and the last record's hash %s", n, head, err, rest[98].Hash)
		}
	})
}

func TestAppendInCallersTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		insertOutbox := func(tx *store.Tx, topic string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, 'r', '{}', 'now')`, topic)
			return err
		}
		boom := errors.New("the change failed after its audit record")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := insertOutbox(tx, "rolled-back"); err != nil {
				return err
			}
			if _, err := audit.Append(ctx, tx, record(0)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx: %v", err)
		}
		wantIntact(t, db, 0)

		var got audit.Record
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if err := insertOutbox(tx, "kept"); err != nil {
				return err
			}
			got, err = audit.Append(ctx, tx, record(1))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.ChainSeq != 1 {
			t.Errorf("seq %d after a rolled-back append, want 1", got.ChainSeq)
		}
		wantIntact(t, db, 1)
	})
}

func TestAppendRejectsBadRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cases := map[string]struct {
			change func(*audit.Record)
			field  string
		}{
			"no action":       {func(r *audit.Record) { r.Action = "" }, "action"},
			"unknown outcome": {func(r *audit.Record) { r.Outcome = "maybe" }, "outcome"},
			"detail not json": {func(r *audit.Record) { r.Detail = "{oops" }, "detail"},
		}
		for name, c := range cases {
			r := record(0)
			c.change(&r)
			_, err := audit.AppendNow(context.Background(), db, r)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Field != c.field {
				t.Errorf("%s: got %v, want Invalid on %s", name, err, c.field)
			}
		}
		empty := record(0)
		empty.Detail = ""
		r, err := audit.AppendNow(context.Background(), db, empty)
		if err != nil {
			t.Fatal(err)
		}
		if r.Detail != "{}" || r.At.IsZero() {
			t.Errorf("appended %+v: want detail {} and a time", r)
		}
		wantIntact(t, db, 1)
	})
}

func TestVerifyFindsTampering(t *testing.T) {
	defer audit.SetVerifyBatch(4)()
	cases := []struct {
		name    string
		sql     string
		wantSeq int64
		intact  int64 // records that verify before the break
	}{
		{"detail changed", `UPDATE audit_log SET detail = '{"n":7,"note":"改"}' WHERE chain_seq = 7`, 7, 6},
		{"actor changed", `UPDATE audit_log SET actor = 'admin' WHERE chain_seq = 12`, 12, 11},
		{"time changed", `UPDATE audit_log SET at = '2020-01-01T00:00:00.000000Z' WHERE chain_seq = 15`, 15, 14},
		{"outcome changed on the first", `UPDATE audit_log SET outcome = 'denied' WHERE chain_seq = 1`, 1, 0},
		{"hash replaced", `UPDATE audit_log SET hash = prev_hash WHERE chain_seq = 5`, 5, 4},
		{"prev_hash changed", `UPDATE audit_log SET prev_hash = hash WHERE chain_seq = 3`, 3, 2},
		{"record deleted", `DELETE FROM audit_log WHERE chain_seq = 9`, 9, 8},
		{"last record deleted", `DELETE FROM audit_log WHERE chain_seq = 20`, 20, 19},
		{"record added past the head", `INSERT INTO audit_log (chain_seq, at, action, outcome, prev_hash, hash)
			SELECT 21, at, action, outcome, hash, hash FROM audit_log WHERE chain_seq = 20`, 21, 20},
		{"head hash changed", `UPDATE audit_heads SET hash = '` + sha256Hex("forged") + `'`, 20, 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				appendN(t, db, 20)
				wantIntact(t, db, 20)
				if _, err := db.ExecContext(context.Background(), c.sql); err != nil {
					t.Fatalf("tamper: %v", err)
				}
				n, err := audit.Verify(context.Background(), db)
				var broken *audit.BreakError
				if !errors.As(err, &broken) {
					t.Fatalf("Verify = %d, %v; want a break at seq %d", n, err, c.wantSeq)
				}
				if broken.Seq != c.wantSeq {
					t.Fatalf("break reported at seq %d (%v), want %d", broken.Seq, err, c.wantSeq)
				}
				if n != c.intact {
					t.Errorf("Verify counted %d intact records, want %d", n, c.intact)
				}
				if want := fmt.Sprintf("seq %d", c.wantSeq); !strings.Contains(err.Error(), want) {
					t.Errorf("the break reads %q, want it to name %s", err, want)
				}
			})
		})
	}
}

func TestConcurrentAppends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seqs := appendConcurrently(t, []*store.DB{db}, 8, 25)
		wantContiguous(t, seqs, 200)
		wantIntact(t, db, 200)
	})
}

// TestTwoProcesses appends through two separate connection pools on one
// database, as two server processes would.
func TestTwoProcesses(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db := storetest.SQLite(t)
		other, err := store.Open(context.Background(), db.Location)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		seqs := appendConcurrently(t, []*store.DB{db, other}, 4, 20)
		wantContiguous(t, seqs, 160)
		wantIntact(t, db, 160)
	})
	if storetest.PostgresURL() == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		db, dsn := storetest.Postgres(t)
		other, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		seqs := appendConcurrently(t, []*store.DB{db, other}, 4, 20)
		wantContiguous(t, seqs, 160)
		wantIntact(t, db, 160)
	})
}

// appendConcurrently runs goroutines per pool, each appending n records, and
// returns the seqs they were given.
func appendConcurrently(t *testing.T, pools []*store.DB, goroutines, n int) []int64 {
	t.Helper()
	var mu sync.Mutex
	var seqs []int64
	var wg sync.WaitGroup
	errs := make(chan error, len(pools)*goroutines)
	for p, db := range pools {
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < n; i++ {
					r := record(i)
					r.Actor = fmt.Sprintf("pool%d-g%d", p, g)
					got, err := audit.AppendNow(context.Background(), db, r)
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					seqs = append(seqs, got.ChainSeq)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent append: %v", err)
	}
	return seqs
}

func wantContiguous(t *testing.T, seqs []int64, n int) {
	t.Helper()
	if len(seqs) != n {
		t.Fatalf("%d appends returned, want %d", len(seqs), n)
	}
	seen := make([]bool, n+1)
	for _, s := range seqs {
		if s < 1 || s > int64(n) || seen[s] {
			t.Fatalf("seq %d out of range or given twice", s)
		}
		seen[s] = true
	}
}

func TestList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		appendN(t, db, 20) // object case:(i%5), actor (i%3)+1
		seqsOf := func(rs []audit.Record) []int64 {
			var out []int64
			for _, r := range rs {
				out = append(out, r.Seq)
			}
			return out
		}
		cases := []struct {
			name string
			f    audit.Filter
			want []int64
		}{
			{"newest first", audit.Filter{Limit: 3}, []int64{20, 19, 18}},
			{"next page", audit.Filter{Limit: 3, Before: 18}, []int64{17, 16, 15}},
			{"by object", audit.Filter{Object: "case:2"}, []int64{18, 13, 8, 3}},
			{"by actor", audit.Filter{ActorID: 3, Limit: 2}, []int64{18, 15}},
			{"by object and actor", audit.Filter{Object: "case:2", ActorID: 3}, []int64{18, 3}},
			{"by action", audit.Filter{Action: "case.refuse"}, nil},
			{"last page", audit.Filter{Before: 3}, []int64{2, 1}},
		}
		for _, c := range cases {
			rs, err := audit.List(ctx, db, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := seqsOf(rs); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: seqs %v, want %v", c.name, got, c.want)
			}
		}
		rs, err := audit.List(ctx, db, audit.Filter{Limit: 1})
		if err != nil || len(rs) != 1 {
			t.Fatalf("List: %v, %v", rs, err)
		}
		if r := rs[0]; r.Actor != "desk2" || r.Detail != `{"n":19,"note":"受理"}` || r.Hash == "" || r.PrevHash == "" || r.At.IsZero() {
			t.Errorf("record read back as %+v", r)
		}
	})
}
