package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// enterpriseRequests makes a database file holding two requests of March
// 2025: one left raised past its acceptance deadline, one accepted at once.
func enterpriseRequests(t *testing.T) (dsn string, late, fresh enterprise.Detail) {
	t.Helper()
	ctx := context.Background()
	dsn = filepath.Join(t.TempDir(), "enterprise.db")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	china := time.FixedZone("CST", 8*3600)
	now := time.Date(2025, 3, 10, 9, 30, 0, 0, china)
	svc := enterprise.NewService(db, cal, func() time.Time { return now })
	if err := catalog.NewStore(db).PutDepartment(ctx, auth.System, catalog.Department{Code: "QY-GXJ", Name: "科技和工业信息化局"}); err != nil {
		t.Fatal(err)
	}
	users := auth.NewStore(db)
	add := func(u auth.User) auth.User {
		t.Helper()
		u, err := users.AddUser(ctx, auth.System, u, "correct-horse-battery-9")
		if err != nil {
			t.Fatalf("add user %s: %v", u.Username, err)
		}
		return u
	}
	credit := ident.GenerateCreditCode("91220200MA0Y1234P")
	admin := add(auth.User{Username: "admin", Name: "管理员", Role: auth.RoleAdmin})
	add(auth.User{Username: "lead", Name: "专班负责人", Role: auth.RoleReviewer, DepartmentCode: "QY-GXJ"})
	member := add(auth.User{Username: "member", Name: "驻企专员", Role: auth.RoleFrontDesk, PointCode: "JK-FW"})
	ent := add(auth.User{Username: "jlhx", Name: "吉林化纤示范有限公司", Role: auth.RoleApplicant, Kind: auth.KindEnterprise, CreditCode: credit})
	if _, err := svc.PutTeam(ctx, admin, enterprise.Team{Code: "JLHX", Name: "服务化纤集团办公室", DepartmentCode: "QY-GXJ",
		Members: []enterprise.Member{{Username: "lead", Lead: true}, {Username: "member"}}, Enterprises: []string{credit}}); err != nil {
		t.Fatalf("put team: %v", err)
	}
	raise := func(category, text string) enterprise.Detail {
		t.Helper()
		d, err := svc.Raise(ctx, ent, enterprise.RaiseRequest{Category: category, Description: text})
		if err != nil {
			t.Fatalf("raise: %v", err)
		}
		return d
	}
	late, fresh = raise("land", "用地"), raise("labour", "用工")
	if _, err := svc.Act(ctx, member, fresh.ID, enterprise.Accept, enterprise.ActRequest{}); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if _, err := svc.Scan(ctx, time.Date(2025, 3, 12, 0, 1, 0, 0, china)); err != nil {
		t.Fatal(err)
	}
	return dsn, late, fresh
}

func TestEnterpriseListCommand(t *testing.T) {
	dsn, late, fresh := enterpriseRequests(t)
	notADir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notADir, nil, 0o600)
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
		// --overdue uses the wall clock: both requests of March 2025 are long past due.
		{"overdue", []string{"list", "--overdue"}, 0, []string{late.Number, fresh.Number}, nil},
		{"unknown status", []string{"list", "--status", "open"}, 2, nil, nil},
		{"unknown flag", []string{"list", "--late"}, 2, nil, nil},
		{"stray argument", []string{"list", "now"}, 2, nil, nil},
		{"no subcommand", nil, 2, nil, nil},
		{"help", []string{"--help"}, 0, []string{"enterprise list"}, nil},
		{"list help", []string{"list", "--help"}, 0, nil, nil},
		{"database fails", []string{"list", "--db", filepath.Join(notADir, "x.db")}, 1, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"enterprise"}, tt.args...)
			if len(tt.args) > 0 && tt.args[0] == "list" && !strings.Contains(strings.Join(tt.args, " "), "--db") {
				args = append(args[:2:2], append([]string{"--db", dsn}, tt.args[1:]...)...)
			}
			code, out, errOut := runCmd(t, args...)
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
}

// A moved command reads its flags from the environment and the
// configuration file: enterprise list finds its database through
// ONEWINDOW_DB, and its --status in its own table of the file named by
// ONEWINDOW_CONFIG; the command line still wins.
func TestEnterpriseListConfiguration(t *testing.T) {
	dsn, late, fresh := enterpriseRequests(t)
	cfg := filepath.Join(t.TempDir(), "onewindow.toml")
	if err := os.WriteFile(cfg, []byte("[enterprise.list]\nstatus = \"accepted\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ONEWINDOW_DB", dsn)
	t.Setenv("ONEWINDOW_CONFIG", cfg)
	code, out, errOut := runCmd(t, "enterprise", "list")
	if code != 0 || !strings.Contains(out, fresh.Number) || strings.Contains(out, late.Number) {
		t.Fatalf("enterprise list with the environment and the file: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "enterprise", "list", "--status", "raised")
	if code != 0 || !strings.Contains(out, late.Number) || strings.Contains(out, fresh.Number) {
		t.Errorf("--status on the command line: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCmd(t, "config", "check", "enterprise", "list")
	if code != 0 || !strings.Contains(out, cfg+":2") || !strings.Contains(out, "env ONEWINDOW_DB") {
		t.Errorf("config check enterprise list: exit %d\n%s", code, out)
	}
}
