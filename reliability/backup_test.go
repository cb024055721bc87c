package reliability_test

import (
	"context"
	"database/sql"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store/storetest"
)

// A backup taken while the server is under load restores into a database
// that holds every case acknowledged before the backup began, intact, with
// gapless numbers and a verifiable audit chain. SQLite is backed up with
// `onewindow backup` (VACUUM INTO) and brought back with `onewindow
// restore`; PostgreSQL with pg_dump and pg_restore, as docs/RELIABILITY.md
// describes.
func TestBackupUnderLoadRestoresEveryAcknowledgedCase(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		prepare(t, dsn)
		p := serve(t, dsn)
		d := newDesk(t, p.URL)
		l := newLedger()
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		wg := driveIntake(ctx, d, 4, l)
		waitFor(t, 60*time.Second, "40 acknowledged cases", func() bool { n, _ := l.counts(); return n >= 40 })
		before := l.snapshot()

		var restored string
		if dialectOf(dsn) == "sqlite" {
			file := filepath.Join(t.TempDir(), "backup.db")
			if code, out := command(t, "backup", "--db", dsn, file); code != 0 {
				t.Fatalf("backup: exit %d: %s", code, out)
			}
			afterBackup, _ := l.counts()
			stop()
			wg.Wait()
			t.Logf("%d cases acknowledged before the backup began, %d by its end", len(before.created), afterBackup)
			restored = filepath.Join(t.TempDir(), "restored.db")
			if code, out := command(t, "restore", file, "--db", restored); code != 0 {
				t.Fatalf("restore: exit %d: %s", code, out)
			}
			if code, out := command(t, "restore", file, "--db", restored); code != 2 || !strings.Contains(out, "--force") {
				t.Fatalf("restore over the restored database without --force: exit %d: %s", code, out)
			}
		} else {
			restored = pgDumpAndRestore(t, dsn)
			stop()
			wg.Wait()
		}
		db := open(t, restored)
		checkAcknowledged(t, db, before, len(d.materials))
		checkNumbering(t, db)
		verifyAudit(t, restored)
	})
}

// pgDumpAndRestore dumps the schema of dsn with pg_dump while it is in
// use, restores it into a new database with pg_restore, and returns the
// DSN of the copy (the database is dropped when the test ends).
func pgDumpAndRestore(t *testing.T, dsn string) string {
	t.Helper()
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to test PostgreSQL backups (install the PostgreSQL client): %v", tool, err)
		}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path") // libpq takes no search_path in a URL
	u.RawQuery = q.Encode()
	source := u.String()
	file := filepath.Join(t.TempDir(), "backup.dump")
	if out, err := exec.Command("pg_dump", "--format=custom", "--schema="+schema, "--file="+file, "--dbname="+source).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v: %s", err, out)
	}

	target := "restore_" + strings.TrimPrefix(schema, "t_")
	admin, err := sql.Open("pgx", storetest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + target + ` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if c, err := sql.Open("pgx", storetest.PostgresURL()); err == nil {
			c.Exec(`DROP DATABASE IF EXISTS ` + target + ` WITH (FORCE)`)
			c.Close()
		}
	})
	tu := *u
	tu.Path = "/" + target
	if out, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+tu.String(), file).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v: %s", err, out)
	}
	tq := tu.Query()
	tq.Set("search_path", schema)
	tu.RawQuery = tq.Encode()
	return tu.String()
}
