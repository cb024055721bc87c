package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store"
)

func TestBenchRefusesBadFlags(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "existing.db")
	db, err := store.Open(context.Background(), existing)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantText string
	}{
		{"help", []string{"--help"}, 0, "app / raw"},
		{"unknown scenario", []string{"--scenarios", "intake,nap"}, 2, `unknown scenario "nap"`},
		{"zero requests", []string{"--requests", "0"}, 2, "--requests must be at least 1"},
		{"too many cases", []string{"--cases", "-1"}, 2, "--cases must be between"},
		{"too short a history", []string{"--history-days", "7"}, 2, "--history-days must be between"},
		{"too long", []string{"--duration", "2h"}, 2, "--duration"},
		{"stray argument", []string{"now"}, 2, "unexpected argument"},
		{"unknown flag", []string{"--turbo"}, 2, "turbo"},
		{"existing SQLite file", []string{"--db", existing, "--scenarios", "none", "-q"}, 1, "exists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, append([]string{"bench"}, tc.args...)...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.wantText) {
				t.Fatalf("exit %d (want %d): %s%s", code, tc.wantCode, out, errOut)
			}
		})
	}
}

// The bench's flags come from ONEWINDOW_* variables and the configuration
// file like every command's, except its database: ONEWINDOW_DB and a
// top-level db name the server's database, which the bench never takes;
// its own [bench] table may name one.
func TestBenchTakesItsDatabaseOnlyFromItsOwnTable(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "onewindow.toml")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("ONEWINDOW_DB", filepath.Join(dir, "server.db"))
	t.Setenv("ONEWINDOW_REQUESTS", "7")
	write("db = \"" + filepath.ToSlash(filepath.Join(dir, "top.db")) + "\"\n[bench]\nruns = 2\n")
	code, out, errOut := runCmd(t, "config", "check", "--config", cfg, "bench")
	if code != 0 {
		t.Fatalf("config check bench: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"requests", "env ONEWINDOW_REQUESTS", cfg + ":3"} {
		if !strings.Contains(out, want) {
			t.Errorf("config check bench lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "server.db") || strings.Contains(out, "top.db") {
		t.Errorf("the bench took the server's database:\n%s", out)
	}
	write("[bench]\ndb = \"" + filepath.ToSlash(filepath.Join(dir, "bench-own.db")) + "\"\n")
	if code, out, errOut := runCmd(t, "config", "check", "--config", cfg, "bench"); code != 0 || !strings.Contains(out, "bench-own.db") {
		t.Errorf("[bench] db: exit %d:\n%s%s", code, out, errOut)
	}
}
