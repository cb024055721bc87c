package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store/storetest"
)

// migrate says where the tables went: nothing more on SQLite and plain
// PostgreSQL; on a Citus coordinator, that the schema is distributed, and
// the same when run again.
func TestMigrateReportsThePlacement(t *testing.T) {
	check := func(t *testing.T, dsn string, want string) {
		for _, round := range []string{"first", "again"} {
			code, out, errOut := runCmd(t, "migrate", "--db", dsn)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", round, code, errOut)
			}
			if !strings.Contains(out, "schema up to date") {
				t.Fatalf("%s: output %q", round, out)
			}
			if got := strings.Contains(out, "citus:"); got != (want != "") || want != "" && !strings.Contains(out, want) {
				t.Fatalf("%s: output %q, want a citus line %q", round, out, want)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { check(t, filepath.Join(t.TempDir(), "m.db"), "") })
	if storetest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { check(t, storetest.NewSchema(t, storetest.PostgresURL()), "") })
	}
	if storetest.CitusURL() != "" {
		t.Run("citus", func(t *testing.T) { check(t, storetest.NewCitusSchema(t), "is distributed") })
	}
}
