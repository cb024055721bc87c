package audit

// Chains. The log is one hash chain per distribution key, so that audited
// writes of different service points never lock the same row: a service
// point's code names the chain of its cases' and its hall's records, and
// TenantChain ('') holds everything else (the catalogue, users, sign-ins,
// the tenant-wide jobs). Each chain starts at its own genesis hash, numbers
// its records 1, 2, 3… and has one head row; each verifies on its own.
//
// Tie records bind the chains together: from time to time (the scheduler,
// and every signed checkpoint) a record of the tenant chain lists the head
// of every other chain. A chain cut short or rewritten before a head a tie
// record saw no longer holds that head, which Verify reports; and since the
// tenant chain's head is what checkpoints sign, a signature covers every
// chain up to its last tie.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// TenantChain names the chain of the records that belong to no service point.
const TenantChain = ""

// TieAction is the action of a tie record.
const TieAction = "audit.tie"

// tieObject is the object of every tie record.
const tieObject = "audit:chains"

// maxChainLen bounds a chain's name (a service point's code).
const maxChainLen = 64

// ChainGenesis is the prev_hash of a chain's first record: GenesisHash for
// the tenant chain (whose records predate the chains), and for a service
// point's chain the SHA-256 of "onewindow-audit-genesis", a newline and the
// chain's name, so that a record cannot be moved into another chain.
func ChainGenesis(chain string) string {
	if chain == TenantChain {
		return GenesisHash
	}
	return hashHex([]byte("onewindow-audit-genesis\n" + chain))
}

// Head is the last record of one chain: its place and hash (0 and the
// chain's genesis hash before its first record).
type Head struct {
	Chain string `json:"chain"`
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
}

// Heads returns the head of every chain, ordered by chain name (the tenant
// chain, named ”, first).
func Heads(ctx context.Context, q store.Querier) ([]Head, error) {
	rows, err := q.QueryContext(ctx, `SELECT chain, seq, hash FROM audit_heads ORDER BY chain`)
	if err != nil {
		return nil, fmt.Errorf("audit: heads: %w", err)
	}
	defer rows.Close()
	var out []Head
	for rows.Next() {
		var h Head
		if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash); err != nil {
			return nil, fmt.Errorf("audit: heads: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// lockHead reads the head of chain and locks it until tx ends (FOR UPDATE
// on PostgreSQL; a SQLite write transaction is already exclusive), making
// the head row at the chain's genesis on the chain's first record. Two
// transactions starting one chain at once both insert the row: the second
// waits for the first, skips its insert and locks the row the first made.
func lockHead(ctx context.Context, tx *store.Tx, chain string) (int64, string, error) {
	q := `SELECT seq, hash FROM audit_heads WHERE chain = ?`
	if tx.Dialect() == store.Postgres {
		q += ` FOR UPDATE`
	}
	for made := false; ; made = true {
		var seq int64
		var hash string
		err := tx.QueryRowContext(ctx, q, chain).Scan(&seq, &hash)
		if err == nil {
			return seq, hash, nil
		}
		if !errors.Is(err, sql.ErrNoRows) || made {
			return 0, "", apperr.Wrap(err, "audit: read head")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_heads (chain, seq, hash) VALUES (?, 0, ?) ON CONFLICT (chain) DO NOTHING`,
			chain, ChainGenesis(chain)); err != nil {
			return 0, "", apperr.Wrap(err, "audit: start chain")
		}
	}
}

// checkEveryChainHasHead reports a record whose chain has no head row: a
// chain whose head was removed, or records written without Append.
func checkEveryChainHasHead(ctx context.Context, db *store.DB) error {
	var chain string
	var seq int64
	err := db.QueryRowContext(ctx, `SELECT l.chain, l.chain_seq FROM audit_log l
		WHERE NOT EXISTS (SELECT 1 FROM audit_heads h WHERE h.chain = l.chain) ORDER BY l.chain, l.chain_seq LIMIT 1`).Scan(&chain, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("audit: verify: %w", err)
	}
	return &BreakError{Chain: chain, Seq: seq, Problem: "the chain has records but no head row: its head was removed"}
}

// tieRecord is a tie record of the tenant chain: where it is and the heads
// it saw.
type tieRecord struct {
	seq   int64 // its chain_seq in the tenant chain
	heads []Head
}

type tieDetail struct {
	Heads []Head `json:"heads"`
}

func parseTie(r Record) (tieRecord, error) {
	var d tieDetail
	if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
		return tieRecord{}, &BreakError{Chain: TenantChain, Seq: r.ChainSeq, Problem: "the tie record's detail is not a list of heads: " + err.Error()}
	}
	return tieRecord{seq: r.ChainSeq, heads: d.Heads}, nil
}

// checkTies checks that every chain still holds each head a tie record saw:
// the chain has a head at or beyond it, and its record there has the hash
// the tie record names. Each chain was verified up to heads already, so the
// hash read back is the chain's own.
func checkTies(ctx context.Context, db *store.DB, heads []Head, ties []tieRecord) error {
	now := map[string]int64{}
	for _, h := range heads {
		now[h.Chain] = h.Seq
	}
	checked := map[Head]bool{}
	for _, t := range ties {
		for _, seen := range t.heads {
			if checked[seen] {
				continue
			}
			checked[seen] = true
			headSeq, ok := now[seen.Chain]
			if !ok {
				return &BreakError{Chain: seen.Chain, Seq: seen.Seq, Problem: fmt.Sprintf(
					"the chain is gone, but the tie record at seq %d of the tenant chain saw its head at seq %d", t.seq, seen.Seq)}
			}
			if seen.Seq > headSeq {
				return &BreakError{Chain: seen.Chain, Seq: headSeq, Problem: fmt.Sprintf(
					"the head is at seq %d, before seq %d that the tie record at seq %d of the tenant chain saw: the chain was truncated",
					headSeq, seen.Seq, t.seq)}
			}
			hash := ChainGenesis(seen.Chain)
			if seen.Seq > 0 {
				err := db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE chain = ? AND chain_seq = ?`, seen.Chain, seen.Seq).Scan(&hash)
				if err != nil {
					return fmt.Errorf("audit: verify: read chain %q seq %d: %w", seen.Chain, seen.Seq, err)
				}
			}
			if hash != seen.Hash {
				return &BreakError{Chain: seen.Chain, Seq: seen.Seq, Problem: fmt.Sprintf(
					"the record has hash %s, but the tie record at seq %d of the tenant chain saw %s: the chain was rewritten",
					short(hash), t.seq, short(seen.Hash))}
			}
		}
	}
	return nil
}

// Tie appends a tie record to the tenant chain listing the head of every
// other chain, at the given time (the server's clock), unless there is no
// other chain or the last tie record already lists the same heads; written
// says whether it did. It first checks each chain from the head the last
// tie record saw (from its genesis when none did) to the head it is about to
// list, so that it never ties a chain that was cut short or rewritten. Only
// the tenant chain's head is locked, for the append: the point chains'
// writers never wait for it.
func Tie(ctx context.Context, db *store.DB, at time.Time) (rec Record, written bool, err error) {
	heads, err := Heads(ctx, db)
	if err != nil {
		return Record{}, false, err
	}
	others := slices.DeleteFunc(heads, func(h Head) bool { return h.Chain == TenantChain })
	if len(others) == 0 {
		return Record{}, false, nil
	}
	last, err := lastTie(ctx, db)
	if err != nil || slices.Equal(last, others) {
		return Record{}, false, err
	}
	tied := map[string]Head{}
	for _, h := range last {
		tied[h.Chain] = h
	}
	for _, h := range others {
		from, ok := tied[h.Chain]
		if !ok {
			from = Head{Chain: h.Chain, Seq: 0, Hash: ChainGenesis(h.Chain)}
		}
		if err := checkTies(ctx, db, []Head{h}, []tieRecord{{heads: []Head{from}}}); err != nil {
			return Record{}, false, fmt.Errorf("not tying a broken chain: %w", err)
		}
		if _, err := walkChain(ctx, db, h.Chain, from.Seq, from.Hash, h.Seq, h.Hash, nil); err != nil {
			return Record{}, false, fmt.Errorf("not tying a broken chain: %w", err)
		}
	}
	detail, err := json.Marshal(tieDetail{Heads: others})
	if err != nil {
		return Record{}, false, apperr.Wrap(err, "audit: tie detail")
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		written = false
		if _, _, err := lockHead(ctx, tx, TenantChain); err != nil {
			return err
		}
		// Another process may have tied the same heads meanwhile.
		if now, err := lastTie(ctx, tx); err != nil || slices.Equal(now, others) {
			return err
		}
		rec, err = Append(ctx, tx, Record{At: at, Actor: "system", Role: "admin", Action: TieAction, Object: tieObject,
			Outcome: OK, Detail: string(detail)})
		written = err == nil
		return err
	})
	if err != nil {
		return Record{}, false, err
	}
	return rec, written, nil
}

// lastTie returns the heads the last tie record listed (none before the first).
func lastTie(ctx context.Context, q store.Querier) ([]Head, error) {
	var detail string
	err := q.QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE object = ? AND chain = ? ORDER BY seq DESC LIMIT 1`,
		tieObject, TenantChain).Scan(&detail)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: last tie: %w", err)
	}
	var d tieDetail
	if err := json.Unmarshal([]byte(detail), &d); err != nil {
		return nil, fmt.Errorf("audit: last tie: %w", err)
	}
	return d.Heads, nil
}
