// Package audit keeps the append-only, hash-chained audit log: who did what
// to which object, with what outcome; Verify proves no record was changed.
// The log is one chain per service point and the tenant's chain for the
// rest, bound together by tie records (chains.go).
// Checkpoints, signed with a key the database does not hold and kept in a
// file outside it, show a log cut short or rewritten whole (checkpoint.go).
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// Outcomes of an audited action.
const (
	OK     = "ok"     // done
	Denied = "denied" // refused: no permission, bad credentials, rate limited
	Failed = "failed" // attempted and failed
)

// GenesisHash is the prev_hash of the first record of the tenant's chain
// (TenantChain): SHA-256 of "onewindow-audit-genesis" in lowercase hex. The
// first migration seeded the head with it; other chains start at ChainGenesis.
var GenesisHash = hashHex([]byte("onewindow-audit-genesis"))

// Record is one audit entry. Actor is the username (empty for anonymous
// requests, with ActorID 0); Object names what was acted on ("case:…",
// "user:12", "item:…"); Detail is a JSON document. Chain is the chain the
// record joins (a service point's code, or TenantChain). Seq, ChainSeq,
// PrevHash and Hash are set by Append: ChainSeq is the record's place in its
// chain (1, 2, 3…), which the hash covers; Seq orders the whole log.
type Record struct {
	Seq      int64     `json:"seq"`
	Chain    string    `json:"chain"`
	ChainSeq int64     `json:"chain_seq"`
	At       time.Time `json:"at"`
	ActorID  int64     `json:"actor_id"`
	Actor    string    `json:"actor"`
	Role     string    `json:"role"`
	Action   string    `json:"action"`
	Object   string    `json:"object"`
	Outcome  string    `json:"outcome"`
	Detail   string    `json:"detail"`
	IP       string    `json:"ip"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// storedFields is a record as its columns hold it: the exact strings the hash covers.
type storedFields struct {
	seq                                              int64
	at                                               string
	actorID                                          int64
	actor, role, action, object, outcome, detail, ip string
}

func (r Record) stored() storedFields {
	return storedFields{seq: r.ChainSeq, at: store.FormatTime(r.At), actorID: r.ActorID, actor: r.Actor, role: r.Role,
		action: r.Action, object: r.Object, outcome: r.Outcome, detail: r.Detail, ip: r.IP}
}

// canonical encodes the fields for hashing, unambiguously and in a form any
// language can reproduce: for each field in a fixed order, its length in
// bytes in decimal, a colon, the bytes, and a newline. Integers are decimal;
// the time is the stored text (UTC, microseconds). The first field is the
// record's place in its chain; the chain itself is bound by its genesis hash.
func (f storedFields) canonical() []byte {
	values := [...]string{strconv.FormatInt(f.seq, 10), f.at, strconv.FormatInt(f.actorID, 10),
		f.actor, f.role, f.action, f.object, f.outcome, f.detail, f.ip}
	var b []byte
	for _, v := range values {
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(b, ':')
		b = append(b, v...)
		b = append(b, '\n')
	}
	return b
}

// chainHash is SHA-256(prev_hash + "\n" + canonical fields), in lowercase hex.
func chainHash(prevHash string, f storedFields) string {
	h := sha256.New()
	h.Write([]byte(prevHash))
	h.Write([]byte{'\n'})
	h.Write(f.canonical())
	return hex.EncodeToString(h.Sum(nil))
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

const (
	maxActionLen = 100
	maxDetailLen = 64 << 10
)

func (r *Record) validate() error {
	var f apperr.Fields
	if r.Action == "" {
		f.Add("action", "required", apperr.M("审计记录缺少操作名称", "an audit record needs an action"))
	} else if len(r.Action) > maxActionLen {
		f.Add("action", "too_long", apperr.M("操作名称过长", "action is too long"))
	}
	switch r.Outcome {
	case OK, Denied, Failed:
	default:
		f.Add("outcome", "unknown", apperr.M("审计结果只能是 ok、denied 或 failed", "outcome must be ok, denied or failed"))
	}
	if len(r.Chain) > maxChainLen {
		f.Add("chain", "too_long", apperr.M("审计链名称过长", "chain is too long"))
	}
	if len(r.Detail) > maxDetailLen {
		f.Add("detail", "too_long", apperr.M("审计详情过长", "detail is too long"))
	} else if !json.Valid([]byte(r.Detail)) {
		f.Add("detail", "not_json", apperr.M("审计详情必须是JSON", "detail must be JSON"))
	}
	return f.Err()
}

// Append adds r to the log inside the caller's transaction, so that the
// record commits or rolls back with the change it describes. It locks the
// head of r's chain until tx ends: every audited transaction of that chain
// queues there (transactions of other chains do not), so call Append as the
// last write of the transaction to hold the lock briefly and to take locks
// in the same order everywhere. On PostgreSQL the head is locked with
// SELECT … FOR UPDATE, which keeps chain_seq contiguous with several server
// processes; on SQLite the write transaction is already exclusive. A chain's
// head row is made by its first record.
// An empty Detail is stored as {}; a zero At is the current time; an empty
// IP is the client address the request's context carries (WithClientIP).
func Append(ctx context.Context, tx *store.Tx, r Record) (Record, error) {
	if r.IP == "" {
		r.IP = ClientIP(ctx)
	}
	if r.Detail == "" {
		r.Detail = "{}"
	}
	if r.At.IsZero() {
		r.At = time.Now() // wall clock: every service stamps its records with the server's clock; this is for a record given none
	}
	// Keep exactly what the column will hold, so that the record returned
	// hashes the same as the one read back.
	r.At = store.ParseTime(store.FormatTime(r.At))
	if err := r.validate(); err != nil {
		return Record{}, err
	}
	headSeq, headHash, err := lockHead(ctx, tx, r.Chain)
	if err != nil {
		return Record{}, err
	}
	r.ChainSeq = headSeq + 1
	r.PrevHash = headHash
	f := r.stored()
	r.Hash = chainHash(r.PrevHash, f)
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO audit_log (chain, chain_seq, at, actor_id, actor, role, action, object, outcome, detail, ip, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		r.Chain, f.seq, f.at, f.actorID, f.actor, f.role, f.action, f.object, f.outcome, f.detail, f.ip, r.PrevHash, r.Hash).Scan(&r.Seq); err != nil {
		return Record{}, apperr.Wrap(err, "audit: append")
	}
	res, err := tx.ExecContext(ctx, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = ? AND seq = ?`, r.ChainSeq, r.Hash, r.Chain, headSeq)
	if err != nil {
		return Record{}, apperr.Wrap(err, "audit: move head")
	}
	if n, err := res.RowsAffected(); err != nil {
		return Record{}, apperr.Wrap(err, "audit: move head")
	} else if n != 1 {
		return Record{}, apperr.Wrap(fmt.Errorf("head of chain %q moved from seq %d during the append", r.Chain, headSeq), "audit: move head")
	}
	return r, nil
}

// AppendNow appends r in a transaction of its own, for events that change
// nothing else: logins, denials.
func AppendNow(ctx context.Context, db *store.DB, r Record) (Record, error) {
	var out Record
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = Append(ctx, tx, r)
		return err
	})
	if err != nil {
		return Record{}, err
	}
	return out, nil
}

// Filter selects records for List; empty fields select everything. Pages go
// backwards: pass the smallest Seq of one page as Before to get the next.
type Filter struct {
	Object  string
	ActorID int64
	Action  string
	Before  int64 // only records with seq < Before; 0 for the newest
	Limit   int   // default 50, at most 500
}

const (
	defaultListLimit = 50
	maxListLimit     = 500
)

const recordColumns = `seq, chain, chain_seq, at, actor_id, actor, role, action, object, outcome, detail, ip, prev_hash, hash`

// List returns the records matching f, newest first.
func List(ctx context.Context, db store.Querier, f Filter) ([]Record, error) {
	var where []string
	var args []any
	if f.Object != "" {
		where, args = append(where, "object = ?"), append(args, f.Object)
	}
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.Before > 0 {
		where, args = append(where, "seq < ?"), append(args, f.Before)
	}
	q := `SELECT ` + recordColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultListLimit
	}
	q += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, min(limit, maxListLimit))
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "audit: list")
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, _, err := scanRecord(rows, db.Dialect())
		if err != nil {
			return nil, apperr.Wrap(err, "audit: list")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "audit: list")
	}
	return out, nil
}

// scanRecord reads one row, returning the record and the stored text of its
// fields, which Verify hashes. On SQLite the time is the column's text as it
// is; on PostgreSQL the column is a timestamptz (migration 00031), whose
// value is written back in the stored form, UTC with microseconds, which is
// the text it was made from and hashed as.
func scanRecord(rows *sql.Rows, d store.Dialect) (Record, storedFields, error) {
	var r Record
	var f storedFields
	err := rows.Scan(&r.Seq, &r.Chain, &f.seq, &f.at, &f.actorID, &f.actor, &f.role, &f.action, &f.object, &f.outcome, &f.detail, &f.ip,
		&r.PrevHash, &r.Hash)
	if err != nil {
		return Record{}, storedFields{}, err
	}
	if d == store.Postgres {
		f.at = store.FormatTime(store.ParseTime(f.at))
	}
	r.ChainSeq, r.At, r.ActorID = f.seq, store.ParseTime(f.at), f.actorID
	r.Actor, r.Role, r.Action, r.Object, r.Outcome, r.Detail, r.IP = f.actor, f.role, f.action, f.object, f.outcome, f.detail, f.ip
	return r, f, nil
}

// BreakError says where a chain is broken and how.
type BreakError struct {
	Chain   string // the chain (TenantChain or a service point's code)
	Seq     int64  // the first record of the chain that does not verify (or the head's seq)
	Problem string // what is wrong, in English, for operators
}

func (e *BreakError) Error() string {
	if e.Chain == TenantChain {
		return fmt.Sprintf("audit log broken at seq %d: %s", e.Seq, e.Problem)
	}
	return fmt.Sprintf("audit chain %s broken at seq %d: %s", e.Chain, e.Seq, e.Problem)
}

// verifyBatch is how many records Verify reads per query; a variable so that
// tests can cross batch boundaries with few records.
var verifyBatch = 1000

// Verify walks every chain in chain_seq order, a batch at a time, and checks
// that each runs 1, 2, 3… without gaps from its genesis, that each record
// names the previous record's hash, that each hash matches its fields, and
// that the chain's head points at its last record; then that no record lies
// in a chain without a head and that the chains still hold what the tie
// records saw (VerifyChains). It returns the number of records that
// verified; when a chain is broken the error is a *BreakError naming it and
// its first bad record. Records appended while Verify runs are left for the
// next run: it checks up to the heads it read first.
func Verify(ctx context.Context, db *store.DB) (int64, error) {
	sum, err := VerifyChains(ctx, db)
	return sum.Records, err
}

// VerifyHead is Verify, also returning the hash of the tenant chain's head
// that the walk ended at (worth writing down somewhere else: a chain
// rewritten from the start would still verify, but its head would differ;
// checkpoints do this). The tenant chain's tie records cover the others.
func VerifyHead(ctx context.Context, db *store.DB) (int64, string, error) {
	sum, err := VerifyChains(ctx, db)
	return sum.Records, sum.tenant().Hash, err
}

// Summary describes a verification of every chain.
type Summary struct {
	Records int64  // records in all chains, all verified
	Heads   []Head // every chain's head, the tenant's first
	Ties    int    // tie records in the tenant chain, each checked against the chains
}

func (s Summary) tenant() Head {
	for _, h := range s.Heads {
		if h.Chain == TenantChain {
			return h
		}
	}
	return Head{}
}

// VerifyChains is Verify, returning what it checked.
func VerifyChains(ctx context.Context, db *store.DB) (Summary, error) {
	return verifyAll(ctx, db, nil)
}

// verifyAll is VerifyChains that also calls check, when not nil, with every
// record of the tenant chain that verified, in chain_seq order; an error
// from check stops the walk and is returned.
func verifyAll(ctx context.Context, db *store.DB, check func(r Record) error) (Summary, error) {
	var sum Summary
	heads, err := Heads(ctx, db)
	if err != nil {
		return sum, fmt.Errorf("audit: verify: %w", err)
	}
	sum.Heads = heads
	if len(heads) == 0 || heads[0].Chain != TenantChain {
		return sum, &BreakError{Seq: 0, Problem: "the head row is missing"}
	}
	var ties []tieRecord
	for _, h := range heads {
		var onRecord func(r Record) error
		if h.Chain == TenantChain {
			onRecord = func(r Record) error {
				if r.Action == TieAction && r.Object == tieObject {
					t, err := parseTie(r)
					if err != nil {
						return err
					}
					ties = append(ties, t)
				}
				if check != nil {
					return check(r)
				}
				return nil
			}
		}
		n, err := walkChain(ctx, db, h.Chain, 0, ChainGenesis(h.Chain), h.Seq, h.Hash, onRecord)
		sum.Records += n
		if err != nil {
			return sum, err
		}
	}
	if err := checkEveryChainHasHead(ctx, db); err != nil {
		return sum, err
	}
	sum.Ties = len(ties)
	return sum, checkTies(ctx, db, heads, ties)
}

// readHead reads the head of one chain: its seq and hash.
func readHead(ctx context.Context, db store.Querier, chain string) (int64, string, error) {
	var headSeq int64
	var headHash string
	if err := db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads WHERE chain = ?`, chain).Scan(&headSeq, &headHash); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, "", &BreakError{Chain: chain, Seq: 0, Problem: "the head row is missing"}
		}
		return 0, "", fmt.Errorf("audit: read head of chain %q: %w", chain, err)
	}
	return headSeq, headHash, nil
}

// walkChain checks the records of chain after fromSeq (whose hash is
// fromHash) up to the head at headSeq, that the head's hash is the last
// record's, and that no record lies beyond the head. It returns how many
// records verified.
func walkChain(ctx context.Context, db *store.DB, chain string, fromSeq int64, fromHash string, headSeq int64, headHash string,
	check func(r Record) error) (int64, error) {
	var n int64
	lastSeq, lastHash := fromSeq, fromHash
	for lastSeq < headSeq {
		count, err := verifyBatchAfter(ctx, db, chain, headSeq, &lastSeq, &lastHash, check)
		n += count
		if err != nil {
			return n, err
		}
		if count == 0 {
			break
		}
	}
	if lastSeq != headSeq {
		return n, &BreakError{Chain: chain, Seq: lastSeq + 1, Problem: fmt.Sprintf(
			"the log ends at seq %d but the head is at seq %d: records are missing", lastSeq, headSeq)}
	}
	if lastHash != headHash {
		return n, &BreakError{Chain: chain, Seq: headSeq, Problem: fmt.Sprintf(
			"the head's hash %s differs from the last record's hash %s", short(headHash), short(lastHash))}
	}
	if err := checkNothingBeyondHead(ctx, db, chain, headSeq); err != nil {
		return n, err
	}
	return n, nil
}

// verifyBatchAfter checks the next batch of records of chain after
// *lastSeq, up to headSeq, moving *lastSeq and *lastHash along and calling
// check (when not nil) for each record that verified. It returns how many
// verified.
func verifyBatchAfter(ctx context.Context, db *store.DB, chain string, headSeq int64, lastSeq *int64, lastHash *string,
	check func(r Record) error) (int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+recordColumns+` FROM audit_log
		WHERE chain = ? AND chain_seq > ? AND chain_seq <= ? ORDER BY chain_seq LIMIT ?`, chain, *lastSeq, headSeq, verifyBatch)
	if err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		r, f, err := scanRecord(rows, db.Dialect())
		if err != nil {
			return n, fmt.Errorf("audit: verify: %w", err)
		}
		if want := *lastSeq + 1; r.ChainSeq != want {
			return n, &BreakError{Chain: chain, Seq: want, Problem: fmt.Sprintf("record missing: the next record is seq %d", r.ChainSeq)}
		}
		if r.PrevHash != *lastHash {
			return n, &BreakError{Chain: chain, Seq: r.ChainSeq, Problem: fmt.Sprintf(
				"prev_hash %s does not match the previous record's hash %s", short(r.PrevHash), short(*lastHash))}
		}
		if got := chainHash(r.PrevHash, f); got != r.Hash {
			return n, &BreakError{Chain: chain, Seq: r.ChainSeq, Problem: fmt.Sprintf(
				"stored hash %s does not match its fields (computed %s): the record was altered", short(r.Hash), short(got))}
		}
		*lastSeq, *lastHash = r.ChainSeq, r.Hash
		n++
		if check != nil {
			if err := check(r); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("audit: verify: %w", err)
	}
	return n, nil
}

// checkNothingBeyondHead reports records of chain past its head. Appends in
// progress move the head in the same transaction as their insert, so a
// record past a freshly read head was added without going through Append.
func checkNothingBeyondHead(ctx context.Context, db *store.DB, chain string, headSeq int64) error {
	var beyond int64
	err := db.QueryRowContext(ctx, `SELECT chain_seq FROM audit_log WHERE chain = ? AND chain_seq > ? ORDER BY chain_seq LIMIT 1`,
		chain, headSeq).Scan(&beyond)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("audit: verify: %w", err)
	}
	nowHead, _, err := readHead(ctx, db, chain)
	if err != nil {
		return err
	}
	if beyond > nowHead {
		return &BreakError{Chain: chain, Seq: beyond, Problem: fmt.Sprintf("record beyond the head (seq %d) was not appended through the chain", nowHead)}
	}
	return nil
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	return hash
}

type clientIPKey struct{}

// WithClientIP returns ctx carrying the address of the client a request came
// from, which Append writes into records that name none: services audit
// their writes without knowing about HTTP, and the record still says where
// the request came from.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// ClientIP is the client address ctx carries, or "".
func ClientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}
