package api_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Two servers, each with its own connection pool, share one database, as two
// `serve` processes behind a load balancer do: case numbers stay unique and
// gapless, and the audit chain stays whole.
func TestTwoServersShareOneDatabase(t *testing.T) {
	open := func(t *testing.T, dsn string) *store.DB {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	run := func(t *testing.T, dsn string) {
		a := newEnv(t, open(t, dsn))
		b := newEnv(t, open(t, dsn)) // finds the demo data already there
		const perServer = 60
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[string]bool{}
		for _, e := range []*env{a, b} {
			e.token("hn_qiantai")
			for i := range perServer {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": demo.CodeMedicalOutOfArea,
						"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID("zhouming")}})
					if r.status != 201 {
						t.Errorf("create %d: %d %s", i, r.status, r.body)
						return
					}
					var c caseOut
					r.decode(&c)
					mu.Lock()
					if seen[c.Number] {
						t.Errorf("number %s given twice", c.Number)
					}
					seen[c.Number] = true
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		if len(seen) != 2*perServer {
			t.Fatalf("%d distinct numbers, want %d", len(seen), 2*perServer)
		}
		var first string
		for n := range seen {
			first = n
			break
		}
		prefix := first[:len(first)-5]
		for i := 1; i <= 2*perServer; i++ {
			if !seen[fmt.Sprintf("%s%05d", prefix, i)] {
				t.Fatalf("number %s%05d is missing: the sequence has a gap", prefix, i)
			}
		}
		var v struct {
			Intact bool `json:"intact"`
		}
		a.call("GET", "/api/v1/audit/verify", "admin", nil).want(200).decode(&v)
		if !v.Intact {
			t.Fatal("the audit chain broke under two servers")
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "shared.db")) })
	if storetest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { run(t, storetest.NewSchema(t, storetest.PostgresURL())) })
	}
	if storetest.CitusURL() != "" {
		t.Run("citus", func(t *testing.T) { run(t, storetest.NewCitusSchema(t)) })
	}
}
