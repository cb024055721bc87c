package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
		{"help names the temporal scenario", []string{"--help"}, 0, "--temporal-url"},
		{"temporal URL without a scheme", []string{"--temporal-url", "127.0.0.1:7243"}, 2, "--temporal-url must be an http:// or https:// URL"},
		{"temporal URL without a host", []string{"--temporal-url", "http://"}, 2, "--temporal-url must be"},
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

// --db-pool sizes the PostgreSQL pool of serve, demo and bench from the
// command line, ONEWINDOW_DB_POOL or the file; a size the store cannot keep
// its read reserve with, or that is not a number, is refused with the
// setting and its source named, before anything starts.
func TestDBPoolSetting(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "onewindow.toml")
	if err := os.WriteFile(cfg, []byte("[serve]\ndb-pool = 12\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"serve", "demo", "bench"} {
		code, out, errOut := runCmd(t, "config", "check", cmd, "--db-pool", "6")
		if code != 0 || !regexp.MustCompile(`(?m)^\s+db-pool\s+6\s+flag$`).MatchString(out) {
			t.Errorf("config check %s --db-pool 6: exit %d: %s%s", cmd, code, out, errOut)
		}
	}
	t.Setenv("ONEWINDOW_DB_POOL", "20")
	if code, out, errOut := runCmd(t, "config", "check", "--config", cfg, "serve"); code != 0 ||
		!regexp.MustCompile(`(?m)^\s+db-pool\s+20\s+env ONEWINDOW_DB_POOL$`).MatchString(out) {
		t.Errorf("from the environment: exit %d: %s%s", code, out, errOut)
	}
	t.Setenv("ONEWINDOW_DB_POOL", "")
	if code, out, errOut := runCmd(t, "config", "check", "--config", cfg, "serve"); code != 0 ||
		!regexp.MustCompile(`(?m)^\s+db-pool\s+12\s+`+regexp.QuoteMeta(cfg)+`:2$`).MatchString(out) {
		t.Errorf("from the file: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, "config", "check", "serve"); code != 0 ||
		!regexp.MustCompile(`(?m)^\s+db-pool\s+`+fmt.Sprint(store.DefaultPool())+`\s+default$`).MatchString(out) {
		t.Errorf("the default: exit %d: %s%s", code, out, errOut)
	}

	// Refusals: serve and bench stop with exit code 2 before opening the
	// database (the address is one nothing listens on).
	pg := "postgres://nobody@127.0.0.1:1/none?sslmode=disable"
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"serve", "--db", pg, "--db-pool", "1"}, "", `invalid value "1" for flag -db-pool: a pool of 1 connections: it takes 2 to 500`},
		{[]string{"demo", "--db", pg, "--db-pool", "many"}, "", `invalid value "many" for flag -db-pool: not a whole number`},
		{[]string{"bench", "--db", pg, "--db-pool", "501"}, "", `-db-pool: a pool of 501 connections`},
		{[]string{"serve", "--db", pg}, "0", `--db-pool (from env ONEWINDOW_DB_POOL): invalid value "0"`},
		{[]string{"bench", "--db", pg, "--scenarios", "none"}, "-3", `--db-pool (from env ONEWINDOW_DB_POOL): invalid value "-3"`},
	} {
		t.Setenv("ONEWINDOW_DB_POOL", tc.env)
		code, out, errOut := runCmd(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v (ONEWINDOW_DB_POOL=%q): exit %d, want 2 and %q: %s%s", tc.args, tc.env, code, tc.want, out, errOut)
		}
	}
	t.Setenv("ONEWINDOW_DB_POOL", "")
	if err := os.WriteFile(cfg, []byte("[serve]\ndb-pool = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd(t, "config", "check", "--config", cfg); code != 2 || !strings.Contains(errOut, `--db-pool (from `+cfg+`:2): invalid value "1"`) {
		t.Errorf("a bad size in the file: exit %d: %s", code, errOut)
	}
}
