package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store"
)

// backup and restore on real SQLite files: flags before or after the file,
// refusals, and the restored database holding what the live one held. The
// database may also be named by ONEWINDOW_DB.
func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "live.db")
	if code, _, errOut := runCmd(t, "user", "add", "--db", src, "--username", "backup.check", "--name", "管理员", "--role", "admin", "--password", "password123"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut)
	}
	copyFile := filepath.Join(dir, "b", "copy.db")
	envCopy := filepath.Join(dir, "b", "env-copy.db")
	target := filepath.Join(dir, "restored.db")
	tests := []struct {
		name     string
		env      string // ONEWINDOW_DB
		args     []string
		wantCode int
		wantText string
	}{
		{"backup --help", "", []string{"backup", "--help"}, 0, "consistent copy"},
		{"backup without a file", "", []string{"backup", "--db", src}, 2, "name one file"},
		{"backup of PostgreSQL", "", []string{"backup", "--db", "postgres://127.0.0.1/x", "f"}, 2, "pg_dump"},
		{"backup of a missing database", "", []string{"backup", "--db", filepath.Join(dir, "nothing.db"), "f"}, 1, "no such file"},
		{"backup", "", []string{"backup", "--db", src, copyFile}, 0, "written to"},
		{"backup of the database ONEWINDOW_DB names", src, []string{"backup", envCopy}, 0, "backup of " + src},
		{"restore with flags after the file", "", []string{"restore", copyFile, "--db", target}, 0, "restored"},
		{"restore again without --force", "", []string{"restore", copyFile, "--db", target}, 2, "--force"},
		{"restore again with --force", "", []string{"restore", "--force", copyFile, "--db", target}, 0, "restored"},
		{"restore --help", "", []string{"restore", "--help"}, 0, "pg_restore"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("ONEWINDOW_DB", tc.env)
			code, out, errOut := runCmd(t, tc.args...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.wantText) {
				t.Fatalf("exit %d (want %d), output %q (want %q)", code, tc.wantCode, out+errOut, tc.wantText)
			}
		})
	}
	for _, path := range []string{target, envCopy} {
		db, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		err = db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM users WHERE username = 'backup.check'`).Scan(&n)
		db.Close()
		if err != nil || n != 1 {
			t.Errorf("%s: %d users backup.check (%v), want the one written before the backup", path, n, err)
		}
	}
}
