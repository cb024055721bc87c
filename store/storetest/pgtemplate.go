package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
)

// Migrating a fresh PostgreSQL schema runs every migration, which takes
// seconds; a test gets instead a database of its own created from a
// migrated template (CREATE DATABASE … TEMPLATE, a copy made by the server).
// The migrated template is shared by every test binary and run with the
// same migrations: it is named after their digest, built under a temporary
// name and renamed when complete. Templates holding more (the demo, see
// demo/demotest) belong to one test binary, which drops them at its end
// (Cleanup); their names carry their creation time, and those more than six
// hours old, left by a binary that ended early, are dropped when the next
// is made.

const (
	sharedPrefix  = "ow_migrated_"
	privatePrefix = "ow_tpl_"
)

var (
	sharedOnce sync.Map // base → *templateOnce
	private    sync.Map // base|key → *templateOnce
	creating   sync.Mutex
)

type templateOnce struct {
	once sync.Once
	name string
	err  error
}

// postgresFromTemplate creates a database from template on base for t,
// dropped when t ends, and opens it.
func postgresFromTemplate(t testing.TB, base, template string) (*store.DB, string) {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	name := "ow_t_" + randomHex()
	creating.Lock()
	_, err = admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + template)
	creating.Unlock()
	if err != nil {
		t.Fatalf("create a database from the template %s: %v", template, err)
	}
	t.Cleanup(func() { dropDatabase(base, name) })
	dsn := withDatabase(base, name)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	return db, dsn
}

// migratedTemplate returns the shared migrated template on base, making it
// when no binary has.
func migratedTemplate(base string) (string, error) {
	v, _ := sharedOnce.LoadOrStore(base, &templateOnce{})
	o := v.(*templateOnce)
	o.once.Do(func() { o.name, o.err = makeMigratedTemplate(base) })
	return o.name, o.err
}

func makeMigratedTemplate(base string) (string, error) {
	ctx := context.Background()
	name := sharedPrefix + store.MigrationsDigest()[:16]
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("postgres at %s is unreachable: %w", base, err)
	}
	defer conn.Close()
	// One binary builds it; the others wait and find it made.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext($1))`, name); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(hashtext($1))`, name)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_" + randomHex()
	if err := createEmpty(ctx, conn, building); err != nil {
		return "", err
	}
	if err := fill(base, building, func(context.Context, *store.DB) error { return nil }); err != nil {
		dropDatabase(base, building)
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		dropDatabase(base, building)
		return "", err
	}
	return name, nil
}

// PostgresTemplate returns a template of this test binary on the server
// named by ONEWINDOW_TEST_POSTGRES: the migrated schema with what fill
// writes, made once per key. Cleanup drops it.
func PostgresTemplate(key string, fill func(ctx context.Context, db *store.DB) error) (string, error) {
	base := PostgresURL()
	if base == "" {
		return "", fmt.Errorf("storetest: a PostgreSQL template without ONEWINDOW_TEST_POSTGRES")
	}
	v, _ := private.LoadOrStore(base+"|"+key, &templateOnce{})
	o := v.(*templateOnce)
	o.once.Do(func() { o.name, o.err = makePrivateTemplate(base, fill) })
	return o.name, o.err
}

// PostgresFrom opens a database of its own, made from a template of
// PostgresTemplate, dropped when t ends. It returns the DSN too.
func PostgresFrom(t testing.TB, template string) (*store.DB, string) {
	t.Helper()
	return postgresFromTemplate(t, PostgresURL(), template)
}

func makePrivateTemplate(base string, fillFn func(ctx context.Context, db *store.DB) error) (string, error) {
	from, err := migratedTemplate(base)
	if err != nil {
		return "", err
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	// A template's name carries its creation time so that those left by a
	// binary that ended early can be told apart.
	created := time.Now().Unix() // wall clock: the age of leftover templates

	dropStale(admin, base, created)
	name := fmt.Sprintf("%s%d_%s", privatePrefix, created, randomHex())
	creating.Lock()
	_, err = admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + from)
	creating.Unlock()
	if err != nil {
		return "", err
	}
	if err := fill(base, name, fillFn); err != nil {
		dropDatabase(base, name)
		return "", err
	}
	return name, nil
}

// Cleanup drops the templates this test binary made with PostgresTemplate.
// A package's TestMain calls it after the tests.
func Cleanup() {
	private.Range(func(k, v any) bool {
		if o := v.(*templateOnce); o.name != "" {
			dropDatabase(strings.SplitN(k.(string), "|", 2)[0], o.name)
		}
		return true
	})
}

// createEmpty creates a database with the encoding and collation of the
// one conn is connected to.
func createEmpty(ctx context.Context, conn *sql.Conn, name string) error {
	var collate, ctype string
	if err := conn.QueryRowContext(ctx, `SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()`).Scan(&collate, &ctype); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s ENCODING 'UTF8' LC_COLLATE '%s' LC_CTYPE '%s' TEMPLATE template0",
		name, strings.ReplaceAll(collate, "'", ""), strings.ReplaceAll(ctype, "'", "")))
	return err
}

// fill migrates the database name on base and runs fn on it, then closes
// every connection to it, as a template must have none.
func fill(base, name string, fn func(ctx context.Context, db *store.DB) error) error {
	ctx := context.Background()
	db, err := store.Open(ctx, withDatabase(base, name))
	if err != nil {
		return err
	}
	err = db.Migrate(ctx)
	if err == nil {
		err = fn(ctx, db)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// dropStale drops this kind of template made more than six hours before now.
func dropStale(admin *sql.DB, base string, now int64) {
	rows, err := admin.Query(`SELECT datname FROM pg_database WHERE datname LIKE 'ow\_tpl\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		at, err := strconv.ParseInt(strings.SplitN(strings.TrimPrefix(name, privatePrefix), "_", 2)[0], 10, 64)
		if err == nil && now-at > 6*3600 {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		dropDatabase(base, name)
	}
}

func dropDatabase(base, name string) {
	c, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer c.Close()
	c.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
}

// withDatabase is base with its database replaced by name and no search
// path: the copy's tables are in its public schema.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
