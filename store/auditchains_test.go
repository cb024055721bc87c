package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// TestAuditChainsMigrationKeepsTheLog writes records as the single chain
// did before migration 30 and checks that, migrated, they verify unchanged as
// the tenant chain's first records, that the tenant chain goes on from its
// head and that a point's chain starts at its own genesis.
func TestAuditChainsMigrationKeepsTheLog(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.MigrateTo(ctx, 29); err != nil {
			t.Fatalf("migrate to 29: %v", err)
		}
		// The documented hash: SHA-256(prev_hash "\n" fields), each field
		// written as <length>:<bytes>\n.
		prev := audit.GenesisHash
		for seq := 1; seq <= 3; seq++ {
			at := "2026-12-0" + strconv.Itoa(seq) + "T01:02:03.000000Z"
			fields := []string{strconv.Itoa(seq), at, "1", "desk1", "frontdesk", "case.accept", "case:HNZWFW-1", "ok", "{}", "10.0.0.1"}
			canon := ""
			for _, f := range fields {
				canon += strconv.Itoa(len(f)) + ":" + f + "\n"
			}
			sum := sha256.Sum256([]byte(prev + "\n" + canon))
			hash := hex.EncodeToString(sum[:])
			if _, err := db.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor, role, action, object, outcome, detail, ip, prev_hash, hash)
				VALUES (?, ?, 1, 'desk1', 'frontdesk', 'case.accept', 'case:HNZWFW-1', 'ok', '{}', '10.0.0.1', ?, ?)`, seq, at, prev, hash); err != nil {
				t.Fatal(err)
			}
			prev = hash
		}
		if _, err := db.ExecContext(ctx, `UPDATE audit_head SET seq = 3, hash = ? WHERE id = 1`, prev); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		if n, head, err := audit.VerifyHead(ctx, db); err != nil || n != 3 || head != prev {
			t.Fatalf("VerifyHead after the migration = %d, %s, %v; want the 3 records and the old head %s", n, head, err, prev)
		}
		next, err := audit.AppendNow(ctx, db, audit.Record{Action: "user.add", Outcome: audit.OK})
		if err != nil || next.Chain != audit.TenantChain || next.ChainSeq != 4 || next.Seq != 4 || next.PrevHash != prev {
			t.Fatalf("the next tenant record %+v, %v: want seq 4 after the old head", next, err)
		}
		point, err := audit.AppendNow(ctx, db, audit.Record{Chain: "HNZWFW", Action: "case.accept", Outcome: audit.OK})
		if err != nil || point.ChainSeq != 1 || point.Seq != 5 || point.PrevHash != audit.ChainGenesis("HNZWFW") {
			t.Fatalf("the point's first record %+v, %v: want seq 1 of its chain, 5 of the log", point, err)
		}
		if n, err := audit.Verify(ctx, db); err != nil || n != 5 {
			t.Fatalf("Verify = %d, %v; want 5 records", n, err)
		}
		if db.Dialect() == store.SQLite {
			// The copied table keeps every index of the old one.
			var n int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'
				AND name IN ('audit_log_object', 'audit_log_actor', 'audit_log_action')`).Scan(&n); err != nil || n != 3 {
				t.Fatalf("audit_log's indexes: %d, %v; want 3", n, err)
			}
			return
		}
		// On PostgreSQL the time is a timestamptz (migration 31) holding the
		// instant the text named, whatever the session's time zone, and the
		// store reads it back as that text (pgtime.go).
		var typ, zone, first string
		if err := db.QueryRowContext(ctx, `SELECT current_setting('TimeZone')`).Scan(&zone); err != nil ||
			strings.Contains(dsn, "timezone=") && zone != "Asia/Shanghai" {
			t.Fatalf("the session's time zone is %q (%v), want the one the DSN names", zone, err)
		}
		if err := db.QueryRowContext(ctx, `SELECT data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = 'audit_log' AND column_name = 'at'`).Scan(&typ); err != nil ||
			typ != "timestamp with time zone" {
			t.Fatalf("audit_log.at is %q (%v), want timestamp with time zone", typ, err)
		}
		if err := db.QueryRowContext(ctx, `SELECT at FROM audit_log WHERE chain = '' AND chain_seq = 1`).Scan(&first); err != nil ||
			first != "2026-12-01T01:02:03.000000Z" {
			t.Fatalf("the first record's time reads %q (%v), want 2026-12-01T01:02:03.000000Z", first, err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "old.db")) })
	if base := storetest.PostgresURL(); base != "" {
		// In China's time zone, as a server there may run: the stored text
		// names UTC, which the migration keeps.
		t.Run("postgres", func(t *testing.T) { run(t, storetest.NewSchema(t, base)+"&timezone=Asia%2FShanghai") })
	}
	if storetest.CitusURL() != "" {
		t.Run("citus", func(t *testing.T) { run(t, storetest.NewCitusSchema(t)) })
	}
}
