package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of a running SQLite database to path with
// VACUUM INTO: it reads one snapshot while the servers go on writing (WAL
// readers never block writers), and the copy is compact and self-contained
// (no -wal file). The copy is written next to path under a temporary name
// and renamed into place once synced, so a crash never leaves half a backup
// under the final name. path must not exist. PostgreSQL is backed up with
// pg_dump (see docs/RELIABILITY.md), which takes the same kind of snapshot.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return errors.New("store: backup: use pg_dump for PostgreSQL (see docs/RELIABILITY.md)")
	}
	if path == "" {
		return errors.New("store: backup: no file named")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	// VACUUM INTO refuses an existing non-empty file; an empty one is fine,
	// but remove it so that the name is free in every SQLite version.
	os.Remove(tmpName)
	defer os.Remove(tmpName)
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return syncDir(dir)
}

// ErrNotEmpty is returned by Restore when the target database holds tables
// and force is not set.
var ErrNotEmpty = errors.New("store: restore: the target database is not empty (use --force to replace it)")

// Restore replaces the SQLite database at target with the backup in file.
// The backup is checked first (an SQLite file that passes integrity_check
// and carries the onewindow schema). A target that exists and holds any
// table is replaced only when force is set. Stop every server using target
// first: a running server would keep writing to the file it has open.
func Restore(ctx context.Context, file, target string, force bool) error {
	if IsPostgresDSN(target) {
		return errors.New("store: restore: use pg_restore for PostgreSQL (see docs/RELIABILITY.md)")
	}
	target = strings.TrimPrefix(target, "sqlite:")
	if target == "" {
		return errors.New("store: restore: empty SQLite path")
	}
	if err := checkBackup(ctx, file); err != nil {
		return err
	}
	if !force {
		n, err := tableCount(ctx, target)
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".restore-*")
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(file)
	if err != nil {
		tmp.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	// The old write-ahead log belongs to the old file: replayed over the
	// restored one it would corrupt it.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("store: restore: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return syncDir(dir)
}

// checkBackup opens file read-only and checks that it is an intact
// onewindow database.
func checkBackup(ctx context.Context, file string) error {
	st, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if !st.Mode().IsRegular() || st.Size() == 0 {
		return fmt.Errorf("store: restore: %s is not a backup file", file)
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("store: restore: %s is not an SQLite database: %w", file, err)
	}
	if result != "ok" {
		return fmt.Errorf("store: restore: %s is damaged: %s", file, result)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('goose_db_version', 'cases', 'audit_log')`).Scan(&n); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if n != 3 {
		return fmt.Errorf("store: restore: %s is not a onewindow database", file)
	}
	return nil
}

// tableCount returns the number of tables in the SQLite file at path; 0 when
// the file does not exist or is empty.
func tableCount(ctx context.Context, path string) (int, error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: restore: %w", err)
	}
	if st.Size() == 0 {
		return 0, nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, fmt.Errorf("store: restore: %w", err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: restore: %s: %w", path, err)
	}
	return n, nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
