package enterprise

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestCLIList(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	late := f.raise(f.ent, "land", "用地")
	fresh := f.raise(f.ent, "labour", "用工")
	f.act(f.member, fresh.ID, Accept, ActRequest{})
	f.scan(time.Date(2025, 3, 12, 0, 1, 0, 0, cst))

	open := func(dsn string) (*store.DB, error) {
		if dsn != "the-db" {
			return nil, errors.New("unexpected database " + dsn)
		}
		// A second handle, so that RunCLI may close it.
		return store.Open(context.Background(), db.Location)
	}
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := RunCLI(context.Background(), args, "the-db", open, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	tests := []struct {
		name      string
		args      []string
		code      int
		has, hasn []string
	}{
		{"all", []string{"list"}, 0, []string{late.Number, fresh.Number, "NUMBER", "LEVEL", "用地", "2025-03-11!", "2 request(s)"}, nil},
		{"by status", []string{"list", "--status", "accepted"}, 0, []string{fresh.Number, "1 request(s)"}, []string{late.Number}},
		{"several statuses", []string{"list", "--status=raised,accepted"}, 0, []string{fresh.Number, late.Number}, nil},
		{"none match", []string{"list", "--status", "resolved"}, 0, []string{"no enterprise requests"}, []string{late.Number}},
		{"unknown status", []string{"list", "--status", "open"}, 2, nil, nil},
		{"unknown flag", []string{"list", "--late"}, 2, nil, nil},
		{"stray argument", []string{"list", "now"}, 2, nil, nil},
		{"no subcommand", nil, 2, nil, nil},
		{"help", []string{"--help"}, 0, []string{"enterprise list"}, nil},
		{"list help", []string{"list", "--help"}, 0, nil, nil},
		{"database fails", []string{"list", "--db", "elsewhere"}, 1, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tt.code, out, errOut)
			}
			for _, s := range tt.has {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.hasn {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
			if tt.code == 2 && errOut == "" {
				t.Errorf("bad usage without a message")
			}
		})
	}
	// --overdue uses the wall clock: both requests of March 2025 are long past due.
	if code, out, _ := run("list", "--overdue"); code != 0 || !strings.Contains(out, late.Number) || !strings.Contains(out, fresh.Number) {
		t.Errorf("--overdue: exit %d\n%s", code, out)
	}
}

func TestDisplayWidthAlignsChinese(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{{"abc", 3}, {"用地", 4}, {"吉林化纤 A", 10}, {"", 0}}
	for _, tt := range tests {
		if got := displayWidth(tt.in); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
