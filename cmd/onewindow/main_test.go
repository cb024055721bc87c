package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/store/storetest"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ow.db")
	bad := filepath.Join(dir, "bad.json")
	key, otherKey := filepath.Join(dir, "audit.key"), filepath.Join(dir, "other.key")
	checkpoints := filepath.Join(dir, "checkpoints.jsonl")
	os.WriteFile(bad, []byte(`{"departments":[{"code":"D1","name":"测试局"}],
"items":[{"code":"X-1","base_code":"1","name":"","type":"99","department":"D1","levels":[9],"legal_limit_days":5,"promised_limit_days":9,"materials":[]}]}`), 0o600)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // substring expected on standard output
		stderr   string // substring expected on standard error
		noStdout bool
	}{
		{"no command", nil, 2, "", "Usage", true},
		{"help", []string{"help"}, 0, "catalog import", "", false},
		{"version", []string{"version"}, 0, "onewindow dev\nmodule:", "", false},
		{"version names the revision", []string{"--version"}, 0, "\nrevision: ", "", false},
		{"unknown", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`, true},
		{"serve help", []string{"serve", "--help"}, 0, "", "--addr", true},
		{"demo help", []string{"demo", "--help"}, 0, "", "demo data", true},
		{"serve help names --now", []string{"serve", "--help"}, 0, "", "-now", true},
		{"serve bad --now", []string{"serve", "--db", db, "--now", "2026-13-01"}, 2, "", "--now", true},
		{"serve bad --webhook-allow-networks", []string{"serve", "--db", db, "--webhook-allow-networks", "10.0.0.0/8,intranet"}, 2, "", `--webhook-allow-networks: "intranet" is neither an address nor a CIDR range`, true},
		{"serve help names --log-format", []string{"serve", "--help"}, 0, "", "-log-format", true},
		{"serve bad --log-format", []string{"serve", "--db", db, "--log-format", "xml"}, 2, "", `unknown log format "xml"`, true},
		{"demo bad --log-format", []string{"demo", "--db", db, "--log-format", "yaml"}, 2, "", "--log-format", true},
		{"migrate", []string{"migrate", "--db", db}, 0, "schema up to date", "", false},
		{"migrate again", []string{"migrate", "--db", db}, 0, "schema up to date", "", false},
		{"workday add across 国庆", []string{"workday", "add", "2026-09-30", "3"}, 0, "2026-10-10", "", false},
		{"workday is holiday", []string{"workday", "is", "2026-10-02"}, 0, "holiday", "", false},
		{"workday bad date", []string{"workday", "add", "2026-13-01", "3"}, 2, "", "2026-13-01", true},
		{"user add help", []string{"user", "add", "--help"}, 0, "", "", false},
		{"user add bad role", []string{"user", "add", "--db", db, "--username", "abc", "--name", "张三", "--role", "king", "--password", "password123"}, 2, "", "role", true},
		{"user add", []string{"user", "add", "--db", db, "--username", "hn_front", "--name", "王丽", "--role", "frontdesk", "--point", "HNZWFW", "--password", "password123"}, 0, "hn_front", "", false},
		{"catalog import with errors", []string{"catalog", "import", "--db", db, bad}, 1, "", "promised_limit_days", true},
		{"catalog import nothing", []string{"catalog", "import", "--db", db}, 2, "", "at least one file", true},
		{"catalog export", []string{"catalog", "export", "--db", db}, 0, `"items"`, "", false},
		{"audit verify", []string{"audit", "verify", "--db", db}, 0, "intact", "", false},
		{"audit help", []string{"audit", "--help"}, 0, "audit keygen", "", false},
		{"audit unknown", []string{"audit", "sign"}, 2, "", `unknown command "sign"`, true},
		{"audit verify help", []string{"audit", "verify", "--help"}, 0, "", "-checkpoints", true},
		{"audit keygen help", []string{"audit", "keygen", "--help"}, 0, "", "0600", true},
		{"audit checkpoint help", []string{"audit", "checkpoint", "--help"}, 0, "", "--audit-checkpoints", true},
		{"audit keygen without --key", []string{"audit", "keygen"}, 2, "", "--key FILE", true},
		{"audit keygen", []string{"audit", "keygen", "--key", key}, 0, "PUBLIC KEY", "", false},
		{"audit keygen refuses to overwrite", []string{"audit", "keygen", "--key", key}, 1, "", "already exists", true},
		{"audit keygen another", []string{"audit", "keygen", "--key", otherKey}, 0, "key id", "", false},
		{"audit checkpoint without a file", []string{"audit", "checkpoint", "--db", db, "--key", key}, 2, "", "--checkpoints FILE", true},
		{"audit checkpoint", []string{"audit", "checkpoint", "--db", db, "--key", key, "--checkpoints", checkpoints}, 0, "checkpoint appended", "", false},
		{"audit checkpoint with another key", []string{"audit", "checkpoint", "--db", db, "--key", otherKey, "--checkpoints", checkpoints}, 1, "", "another key", true},
		{"audit verify with checkpoints", []string{"audit", "verify", "--db", db, "--checkpoints", checkpoints, "--public-key", key + ".pub"}, 0, "checkpoints hold: 1", "", false},
		{"audit verify with checkpoints and the key file", []string{"audit", "verify", "--db", db, "--checkpoints", checkpoints, "--key", key}, 0, "checkpoints hold: 1", "", false},
		{"audit verify with checkpoints needs a key", []string{"audit", "verify", "--db", db, "--checkpoints", checkpoints}, 2, "", "--public-key", true},
		{"audit verify with another public key", []string{"audit", "verify", "--db", db, "--checkpoints", checkpoints, "--public-key", otherKey + ".pub"}, 1, "", "line 1", true},
		{"audit verify with no checkpoint file", []string{"audit", "verify", "--db", db, "--checkpoints", filepath.Join(dir, "none.jsonl"), "--key", key}, 1, "", "none.jsonl", true},
		{"serve with --audit-key alone", []string{"serve", "--db", db, "--audit-key", key}, 2, "", "give both or neither", true},
		{"serve with a missing audit key", []string{"serve", "--db", db, "--audit-key", filepath.Join(dir, "none.key"), "--audit-checkpoints", checkpoints}, 1, "", "none.key", true},
		{"bad database", []string{"migrate", "--db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=1"}, 1, "", "connect", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout %q lacks %q", out, tc.stdout)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tc.stderr)
			}
			if tc.noStdout && out != "" {
				t.Errorf("unexpected stdout %q", out)
			}
		})
	}
}

// --now starts the server's clock at a China time and lets it run on.
func TestServerClock(t *testing.T) {
	china := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		arg  string
		want time.Time
	}{
		{"2026-10-01", time.Date(2026, 10, 1, 10, 0, 0, 0, china)},
		{"2026-12-31T23:30", time.Date(2026, 12, 31, 23, 30, 0, 0, china)},
	} {
		clk, err := serverClock(tc.arg)
		if err != nil {
			t.Fatalf("%s: %v", tc.arg, err)
		}
		if got := clk.Now(); got.Before(tc.want) || got.Sub(tc.want) > time.Minute {
			t.Errorf("--now %s reads %s, want %s and running on", tc.arg, got, tc.want)
		}
	}
	for _, bad := range []string{"tomorrow", "2026-10-01 10:00", "2026-02-30"} {
		if _, err := serverClock(bad); err == nil {
			t.Errorf("--now %q accepted", bad)
		}
	}
	if clk, err := serverClock(""); err != nil || clk == nil {
		t.Errorf("no --now: %v", err)
	}
}

// A log cut short after a checkpoint passes plain audit verify but not
// audit verify --checkpoints, and audit checkpoint will not sign it.
func TestAuditCheckpointsCatchTruncation(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ow.db")
	key, checkpoints := filepath.Join(dir, "audit.key"), filepath.Join(dir, "checkpoints.jsonl")
	ctx := context.Background()
	conn := storetest.OpenSQLite(t, db)
	for i := range 5 {
		if _, err := audit.AppendNow(ctx, conn, audit.Record{Action: "test.step", Outcome: audit.OK, Object: fmt.Sprint("step:", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"audit", "keygen", "--key", key},
		{"audit", "checkpoint", "--db", db, "--key", key, "--checkpoints", checkpoints},
	} {
		if code, out, errOut := runCmd(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	// Cut the last two records and move the head back to the third.
	if _, err := conn.ExecContext(ctx, `DELETE FROM audit_log WHERE chain = '' AND chain_seq > 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE audit_heads SET seq = 3, hash = (SELECT hash FROM audit_log WHERE chain = '' AND chain_seq = 3) WHERE chain = ''`); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd(t, "audit", "verify", "--db", db); code != 0 {
		t.Fatalf("plain audit verify: exit %d, want 0 (the chain itself is whole)\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCmd(t, "audit", "verify", "--db", db, "--checkpoints", checkpoints, "--public-key", key+".pub")
	if code != 1 || out != "" || !strings.Contains(errOut, "line 1") || !strings.Contains(errOut, "truncated") {
		t.Fatalf("audit verify --checkpoints: exit %d, stdout %q, stderr %q; want 1 naming line 1 and the truncation", code, out, errOut)
	}
	code, _, errOut = runCmd(t, "audit", "checkpoint", "--db", db, "--key", key, "--checkpoints", checkpoints)
	if code != 1 || !strings.Contains(errOut, "not signing") {
		t.Fatalf("audit checkpoint on the cut log: exit %d, stderr %q; want 1, signing nothing", code, errOut)
	}
}

// audit verify lists every chain and names the point whose chain is broken;
// a checkpoint ties the points' chains to the tenant chain it signs, so a
// point's chain cut short afterwards fails verification too.
func TestAuditVerifyChecksEveryChain(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ow.db")
	key, checkpoints := filepath.Join(dir, "audit.key"), filepath.Join(dir, "checkpoints.jsonl")
	ctx := context.Background()
	conn := storetest.OpenSQLite(t, db)
	for i, chain := range []string{"", "HNZWFW", "HNZWFW", "HNCJZ", "HNZWFW"} {
		if _, err := audit.AppendNow(ctx, conn, audit.Record{Chain: chain, Action: "test.step", Outcome: audit.OK, Object: fmt.Sprint("step:", i)}); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCmd(t, "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "audit log intact: 5 records") || !strings.Contains(out, "chains: 3") ||
		!strings.Contains(out, "point HNZWFW: 3 records") || !strings.Contains(out, "point HNCJZ: 1 records") {
		t.Fatalf("audit verify: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{
		{"audit", "keygen", "--key", key},
		{"audit", "checkpoint", "--db", db, "--key", key, "--checkpoints", checkpoints},
	} {
		if code, out, errOut := runCmd(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	code, out, errOut = runCmd(t, "audit", "verify", "--db", db, "--checkpoints", checkpoints, "--public-key", key+".pub")
	if code != 0 || !strings.Contains(out, "chains: 3, bound by 1 tie records") {
		t.Fatalf("audit verify --checkpoints after the tie: exit %d\n%s%s", code, out, errOut)
	}
	// Cut HNZWFW's last record and move its head back.
	if _, err := conn.ExecContext(ctx, `DELETE FROM audit_log WHERE chain = 'HNZWFW' AND chain_seq = 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE audit_heads SET seq = 2, hash = (SELECT hash FROM audit_log WHERE chain = 'HNZWFW' AND chain_seq = 2) WHERE chain = 'HNZWFW'`); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd(t, "audit", "verify", "--db", db)
	if code != 1 || out != "" || !strings.Contains(errOut, "chain HNZWFW") || !strings.Contains(errOut, "truncated") {
		t.Fatalf("audit verify of the cut point chain: exit %d, stdout %q, stderr %q; want 1 naming HNZWFW", code, out, errOut)
	}
}
