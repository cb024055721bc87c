package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// appendTo appends n records to chain and returns them.
func appendTo(t *testing.T, db *store.DB, chain string, n int) []audit.Record {
	t.Helper()
	var out []audit.Record
	for i := 0; i < n; i++ {
		r := record(i)
		r.Chain = chain
		got, err := audit.AppendNow(context.Background(), db, r)
		if err != nil {
			t.Fatalf("append to chain %q: %v", chain, err)
		}
		out = append(out, got)
	}
	return out
}

// threeChains fills the tenant chain (3 records) and the chains of two
// points, HNZWFW (4) and HNCJZ (2), interleaved.
func threeChains(t *testing.T, db *store.DB) map[string][]audit.Record {
	t.Helper()
	got := map[string][]audit.Record{}
	for i := 0; i < 4; i++ {
		for chain, n := range map[string]int{audit.TenantChain: 3, "HNZWFW": 4, "HNCJZ": 2} {
			if i < n {
				got[chain] = append(got[chain], appendTo(t, db, chain, 1)...)
			}
		}
	}
	return got
}

func wantBreak(t *testing.T, err error, chain string, seq int64, what string) {
	t.Helper()
	var broken *audit.BreakError
	if !errors.As(err, &broken) {
		t.Fatalf("got %v, want a break of chain %q at seq %d", err, chain, seq)
	}
	if broken.Chain != chain || broken.Seq != seq || !strings.Contains(err.Error(), what) {
		t.Fatalf("got a break of chain %q at seq %d: %q; want chain %q at seq %d saying %q", broken.Chain, broken.Seq, err, chain, seq, what)
	}
}

func TestChainsPerPoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		got := threeChains(t, db)
		seen := map[int64]bool{}
		for chain, recs := range got {
			for i, r := range recs {
				if r.Chain != chain || r.ChainSeq != int64(i+1) {
					t.Fatalf("record %d of chain %q is chain %q seq %d", i+1, chain, r.Chain, r.ChainSeq)
				}
				if seen[r.Seq] {
					t.Fatalf("log seq %d given twice", r.Seq)
				}
				seen[r.Seq] = true
			}
			if first := recs[0].PrevHash; first != audit.ChainGenesis(chain) {
				t.Fatalf("chain %q starts at %s, want its genesis", chain, first)
			}
		}
		if audit.ChainGenesis("HNZWFW") == audit.GenesisHash || audit.ChainGenesis("HNZWFW") == audit.ChainGenesis("HNCJZ") {
			t.Fatal("the points' chains share a genesis hash")
		}
		if audit.ChainGenesis("HNZWFW") != sha256Hex("onewindow-audit-genesis\nHNZWFW") {
			t.Fatal("a point chain's genesis is not the documented hash")
		}
		sum, err := audit.VerifyChains(ctx, db)
		if err != nil || sum.Records != 9 || len(sum.Heads) != 3 {
			t.Fatalf("VerifyChains = %+v, %v; want 9 records in 3 chains", sum, err)
		}
		want := []audit.Head{{Chain: "", Seq: 3, Hash: got[""][2].Hash}, {Chain: "HNCJZ", Seq: 2, Hash: got["HNCJZ"][1].Hash},
			{Chain: "HNZWFW", Seq: 4, Hash: got["HNZWFW"][3].Hash}}
		for i, h := range sum.Heads {
			if h != want[i] {
				t.Fatalf("head %d is %+v, want %+v", i, h, want[i])
			}
		}
		// The log reads back in the order it was written, whatever the chain.
		all, err := audit.List(ctx, db, audit.Filter{Limit: 20})
		if err != nil || len(all) != 9 {
			t.Fatalf("List = %d records, %v", len(all), err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Seq >= all[i-1].Seq {
				t.Fatalf("List is not newest first: seq %d after %d", all[i].Seq, all[i-1].Seq)
			}
		}
		if all[0].Chain != "HNZWFW" || all[0].ChainSeq != 4 {
			t.Fatalf("newest record %+v, want HNZWFW's fourth", all[0])
		}
	})
}

func TestChainTampering(t *testing.T) {
	cases := []struct {
		name  string
		sql   []string
		chain string
		seq   int64
		what  string
	}{
		{"a point's record changed", []string{`UPDATE audit_log SET actor = 'admin' WHERE chain = 'HNZWFW' AND chain_seq = 2`},
			"HNZWFW", 2, "chain HNZWFW broken at seq 2: stored hash"},
		{"a record moved to another point's chain", []string{
			`UPDATE audit_log SET chain = 'HNCJZ', chain_seq = 3 WHERE chain = 'HNZWFW' AND chain_seq = 4`,
			`UPDATE audit_heads SET seq = 3, hash = (SELECT hash FROM audit_log WHERE chain = 'HNCJZ' AND chain_seq = 3) WHERE chain = 'HNCJZ'`,
			`UPDATE audit_heads SET seq = 3, hash = (SELECT hash FROM audit_log WHERE chain = 'HNZWFW' AND chain_seq = 3) WHERE chain = 'HNZWFW'`,
		}, "HNCJZ", 3, "prev_hash"},
		{"a point's head removed", []string{`DELETE FROM audit_heads WHERE chain = 'HNCJZ'`}, "HNCJZ", 1, "no head row"},
		{"the tenant chain's head removed", []string{`DELETE FROM audit_heads WHERE chain = ''`}, "", 0, "head row is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				threeChains(t, db)
				for _, q := range c.sql {
					if _, err := db.ExecContext(context.Background(), q); err != nil {
						t.Fatalf("tamper: %v", err)
					}
				}
				_, err := audit.Verify(context.Background(), db)
				wantBreak(t, err, c.chain, c.seq, c.what)
			})
		})
	}
}

func TestTieRecordsBindTheChains(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
		appendTo(t, db, audit.TenantChain, 2)
		if _, written, err := audit.Tie(ctx, db, at); err != nil || written {
			t.Fatalf("Tie with the tenant chain alone = %v, %v; want nothing written", written, err)
		}
		a := appendTo(t, db, "HNZWFW", 3)
		b := appendTo(t, db, "HNCJZ", 1)
		rec, written, err := audit.Tie(ctx, db, at)
		if err != nil || !written {
			t.Fatalf("Tie = %v, %v; want a tie record", written, err)
		}
		if rec.Chain != audit.TenantChain || rec.ChainSeq != 3 || rec.Action != audit.TieAction ||
			!strings.Contains(rec.Detail, `{"chain":"HNZWFW","seq":3,"hash":"`+a[2].Hash+`"}`) ||
			!strings.Contains(rec.Detail, `{"chain":"HNCJZ","seq":1,"hash":"`+b[0].Hash+`"}`) {
			t.Fatalf("tie record %+v: want the tenant chain's third, listing both points' heads", rec)
		}
		if _, written, err := audit.Tie(ctx, db, at); err != nil || written {
			t.Fatalf("Tie with no head moved = %v, %v; want nothing written", written, err)
		}
		appendTo(t, db, "HNZWFW", 2)
		if _, written, err := audit.Tie(ctx, db, at.Add(time.Minute)); err != nil || !written {
			t.Fatalf("Tie after HNZWFW moved = %v, %v; want a tie record", written, err)
		}
		sum, err := audit.VerifyChains(ctx, db)
		if err != nil || sum.Ties != 2 || sum.Records != 2+5+1+2 {
			t.Fatalf("VerifyChains = %+v, %v; want 10 records and 2 tie records", sum, err)
		}

		// Cut HNZWFW's last record and move its head back: the chain alone
		// still verifies, but a tie record saw more of it.
		if _, err := db.ExecContext(ctx, `DELETE FROM audit_log WHERE chain = 'HNZWFW' AND chain_seq = 5`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `UPDATE audit_heads SET seq = 4, hash = (SELECT hash FROM audit_log
			WHERE chain = 'HNZWFW' AND chain_seq = 4) WHERE chain = 'HNZWFW'`); err != nil {
			t.Fatal(err)
		}
		_, err = audit.Verify(ctx, db)
		wantBreak(t, err, "HNZWFW", 4, "truncated")
		if _, _, err := audit.Tie(ctx, db, at.Add(2*time.Minute)); err == nil || !strings.Contains(err.Error(), "not tying a broken chain") {
			t.Fatalf("Tie over a truncated chain = %v, want a refusal", err)
		}
	})
}

// TestChainsDoNotShareAHead holds one point's head locked in an open
// transaction and appends to another point's chain meanwhile: the append
// commits at once, while a second append to the locked point waits.
func TestChainsDoNotShareAHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("SQLite has one writer: every write transaction excludes the others")
		}
		ctx := context.Background()
		appendTo(t, db, "HNZWFW", 1)
		appendTo(t, db, "HNCJZ", 1)
		locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := audit.Append(ctx, tx, audit.Record{Chain: "HNZWFW", Action: "case.accept", Outcome: audit.OK}); err != nil {
					return err
				}
				close(locked)
				<-release
				return nil
			})
		}()
		select {
		case <-locked:
		case err := <-done:
			t.Fatalf("the holding transaction: %v", err)
		}
		// The other point's writer does not wait for HNZWFW's head.
		other, cancel := context.WithTimeout(ctx, 20*time.Second)
		r, err := audit.AppendNow(other, db, audit.Record{Chain: "HNCJZ", Action: "case.accept", Outcome: audit.OK})
		cancel()
		if err != nil || r.ChainSeq != 2 {
			close(release)
			t.Fatalf("append to HNCJZ while HNZWFW's head is locked = %+v, %v; want it committed as HNCJZ's second", r, err)
		}
		// The same point's writer does.
		same, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		_, err = audit.AppendNow(same, db, audit.Record{Chain: "HNZWFW", Action: "case.accept", Outcome: audit.OK})
		cancel()
		if err == nil {
			close(release)
			t.Fatal("a second append to HNZWFW committed while its head was locked")
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("the holding transaction: %v", err)
		}
		sum, err := audit.VerifyChains(ctx, db)
		if err != nil || sum.Records != 4 {
			t.Fatalf("VerifyChains = %+v, %v; want 4 records", sum, err)
		}
	})
}
