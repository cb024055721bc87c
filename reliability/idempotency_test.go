package reliability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/bench"
)

// Creates sent with an Idempotency-Key to a server killed with SIGKILL in
// the middle of them, then retried with the same keys against the restarted
// server (the claims of those that died are not left to go stale: they are
// retried at once): every key ends with exactly one case, a key answered
// before the kill answers with the same case, and no case is made twice.
func TestRetriedCreatesAfterAKillMakeOneCaseEach(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		prepare(t, dsn)
		first := serve(t, dsn)
		d := newDesk(t, first.URL)
		body, _ := json.Marshal(map[string]any{"item": d.item, "materials": d.materials,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID, "phone": "13904350002"}})
		create := func(ctx context.Context, c *bench.Client, key string) (int64, error) {
			req, _ := http.NewRequestWithContext(ctx, "POST", c.Base+"/api/v1/cases", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+d.token)
			req.Header.Set("Idempotency-Key", key)
			res, err := c.HTTP.Do(req)
			if err != nil {
				return 0, err
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				return 0, fmt.Errorf("status %d", res.StatusCode)
			}
			var out caseRef
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
				return 0, err
			}
			return out.ID, nil
		}

		var mu sync.Mutex
		answered := map[string]int64{} // key → case, answered before the kill
		var unanswered []string
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for n := 0; ctx.Err() == nil; n++ {
					key := fmt.Sprintf("desk-%d-%05d", w, n)
					id, err := create(context.WithoutCancel(ctx), d.client, key)
					mu.Lock()
					if err == nil {
						answered[key] = id
					} else {
						unanswered = append(unanswered, key)
					}
					mu.Unlock()
					if err != nil {
						time.Sleep(5 * time.Millisecond)
					}
				}
			})
		}
		waitFor(t, 60*time.Second, "120 answered creates", func() bool { mu.Lock(); defer mu.Unlock(); return len(answered) >= 120 })
		first.Kill()
		stop()
		wg.Wait()
		t.Logf("before the kill: %d answered, %d unanswered", len(answered), len(unanswered))

		second := serve(t, dsn)
		c := bench.NewClient(second.URL, 8)
		defer c.Close()
		made := map[int64]string{}
		for _, key := range unanswered {
			id, err := create(context.Background(), c, key)
			if err != nil {
				t.Fatalf("retry of %s: %v", key, err)
			}
			if other, dup := made[id]; dup {
				t.Fatalf("keys %s and %s got the same case %d", other, key, id)
			}
			made[id] = key
		}
		n := 0
		for key, id := range answered {
			if n++; n > 30 {
				break
			}
			again, err := create(context.Background(), c, key)
			if err != nil || again != id {
				t.Fatalf("retry of %s (answered with case %d before the kill): case %d, %v", key, id, again, err)
			}
		}
		db := open(t, dsn)
		var cases int
		if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM cases`).Scan(&cases); err != nil {
			t.Fatal(err)
		}
		if want := len(answered) + len(unanswered); cases != want {
			t.Fatalf("%d cases for %d keys (%d answered before the kill, %d retried): a key made two cases or none",
				cases, want, len(answered), len(unanswered))
		}
		checkNumbering(t, db)
		verifyAudit(t, dsn)
	})
}
