package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// user add on a real SQLite file: every role's scope, the password from
// standard input, from a file or from the environment, and the refusals
// naming the flag at fault.
func TestUserAddCommand(t *testing.T) {
	const (
		validIDCard     = "11010519491231002X"
		wrongIDCheck    = "110105194912310021" // the example with its check character changed
		validCreditCode = "91350100M000100Y43"
	)
	dsn := filepath.Join(t.TempDir(), "users.db")
	ctx := context.Background()
	passwordFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(passwordFile, []byte("file-password-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		args       []string
		stdin      string
		env        string // ONEWINDOW_PASSWORD
		wantCode   int
		wantOut    []string // substrings of stdout
		wantErr    []string // substrings of stderr
		wantStored string   // username that must exist afterwards
	}{
		{name: "reviewer", args: []string{"--username", "rev1", "--name", "审批员", "--role", "reviewer", "--department", "D-HRSS", "--password", "s3cret-password"},
			wantCode: 0, wantOut: []string{"rev1", "department D-HRSS"}, wantStored: "rev1"},
		{name: "password from stdin", args: []string{"--username=desk1", "--name=窗口", "--role=frontdesk", "--point=P-001", "--password-stdin"},
			stdin: "s3cret-password\n", wantCode: 0, wantOut: []string{"desk1", "service point P-001"}, wantStored: "desk1"},
		{name: "enterprise", args: []string{"--username", "acme", "--name", "某某有限公司", "--role", "applicant", "--kind", "enterprise", "--credit-code", strings.ToLower(validCreditCode), "--phone", "13812345678", "--password", "s3cret-password"},
			wantCode: 0, wantOut: []string{"acme", "Applicant"}, wantStored: "acme"},
		{name: "username too short", args: []string{"--username", "yu", "--name", "于女士", "--role", "applicant", "--kind", "person", "--id-number", validIDCard, "--password", "s3cret-password"},
			wantCode: 2, wantErr: []string{"--username"}},
		{name: "missing scope", args: []string{"--username", "rev2", "--name", "审批员", "--role", "reviewer", "--password", "s3cret-password"},
			wantCode: 2, wantErr: []string{"--department", "a reviewer needs a department"}},
		{name: "bad id number", args: []string{"--username", "yu.nvshi", "--name", "于女士", "--role", "applicant", "--kind", "person", "--id-number", wrongIDCheck, "--password", "s3cret-password"},
			wantCode: 2, wantErr: []string{"--id-number", "check digit"}},
		{name: "no password", args: []string{"--username", "rev3", "--name", "审批员", "--role", "reviewer", "--department", "D1"},
			wantCode: 2, wantErr: []string{"password"}},
		{name: "both passwords", args: []string{"--username", "rev3", "--name", "n", "--role", "admin", "--password", "s3cret-password", "--password-stdin"},
			stdin: "x\n", wantCode: 2, wantErr: []string{"--password-stdin"}},
		{name: "unknown flag", args: []string{"--usrname", "x"}, wantCode: 2, wantErr: []string{"usrname"}},
		{name: "stray argument", args: []string{"--username", "rev4", "extra"}, wantCode: 2, wantErr: []string{"extra"}},
		{name: "duplicate", args: []string{"--username", "REV1", "--name", "n", "--role", "reviewer", "--department", "D1", "--password", "s3cret-password"},
			wantCode: 2, wantErr: []string{"already taken"}},
		{name: "password from a file", args: []string{"--username", "desk2", "--name", "窗口", "--role", "frontdesk", "--point", "P-001", "--password-file", passwordFile},
			wantCode: 0, wantOut: []string{"desk2"}, wantStored: "desk2"},
		{name: "password from the environment", env: "env-password-1", args: []string{"--username", "desk3", "--name", "窗口", "--role", "frontdesk", "--point", "P-001"},
			wantCode: 0, wantOut: []string{"desk3"}, wantStored: "desk3"},
		{name: "help", args: []string{"--help"}, wantCode: 0,
			wantOut: []string{"hall_manager", "大厅管理员", "须 --department", "needs --point", "-credit-code", "--password-stdin"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("ONEWINDOW_PASSWORD", c.env)
			var stdout, stderr bytes.Buffer
			code := run(ctx, append([]string{"user", "add", "--db", dsn}, c.args...), strings.NewReader(c.stdin), &stdout, &stderr)
			if code != c.wantCode {
				t.Fatalf("exit code %d, want %d; stdout %q, stderr %q", code, c.wantCode, stdout.String(), stderr.String())
			}
			for _, w := range c.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			for _, w := range c.wantErr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if c.wantStored != "" {
				if _, err := users(t, dsn).UserByUsername(ctx, c.wantStored); err != nil {
					t.Errorf("user %s not stored: %v", c.wantStored, err)
				}
			}
		})
	}
	// The passwords read from standard input, a file and the environment
	// are the ones stored.
	for user, password := range map[string]string{"desk1": "s3cret-password", "desk2": "file-password-1", "desk3": "env-password-1"} {
		if _, _, err := users(t, dsn).Login(ctx, user, password); err != nil {
			t.Errorf("login as %s: %v", user, err)
		}
	}
}

// users opens the user store of the database at dsn for one check.
func users(t *testing.T, dsn string) *auth.Store {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return auth.NewStore(db)
}
