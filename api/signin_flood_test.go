package api_test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"

	"github.com/onewindow/onewindow/clientaddr"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/metrics"
)

// A flood of simultaneous wrong passwords for one account is counted before
// any is hashed: only the few free attempts are checked, the rest are
// refused at once with 429 and Retry-After. The account's owner still signs
// in from elsewhere, and so do other people behind the same address; behind
// a trusted proxy each client is told apart by its forwarded address.
func TestSignInFloodIsRefusedBeforeHashing(t *testing.T) {
	e := sqliteEnv(t)
	e.srv.Proxies = clientaddr.MustParse("127.0.0.0/8, ::1")
	// The limiter's waits are counted on the tests' clock, which stands
	// still: on a busy machine the two sign-ins below may take longer than
	// the attacker's one-second wait, which is not what this test is about.
	e.srv.Limiter.Now = e.clock.Now
	login := func(username, password, client string) *http.Response {
		t.Helper()
		body := []byte(`{"username":"` + username + `","password":"` + password + `"}`)
		req, _ := http.NewRequest("POST", e.base+"/api/v1/auth/login", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		res, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	checked := metrics.Value("onewindow_password_checks_total")
	const flood, attacker = 200, "203.0.113.66"
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range flood {
		wg.Go(func() {
			res := login("admin", "wrong-password", attacker)
			mu.Lock()
			statuses[res.StatusCode]++
			if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") == "" {
				t.Error("a refused attempt without Retry-After")
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	hashed := metrics.Value("onewindow_password_checks_total") - checked
	if statuses[http.StatusUnauthorized] > 3 || statuses[http.StatusTooManyRequests] < flood-3 || hashed > 3 {
		t.Errorf("%d simultaneous wrong passwords: statuses %v, %v passwords hashed; want at most 3 checked, the rest 429", flood, statuses, hashed)
	}
	if res := login("admin", demo.Password, "198.51.100.20"); res.StatusCode != http.StatusOK {
		t.Errorf("the owner from another address: %d, want 200", res.StatusCode)
	}
	if res := login("qz_quanke", demo.Password, attacker); res.StatusCode != http.StatusOK {
		t.Errorf("another account behind the attacker's address: %d, want 200", res.StatusCode)
	}
	if res := login("admin", demo.Password, attacker); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the attacker's address on the flooded account: %d, want 429", res.StatusCode)
	}
}
