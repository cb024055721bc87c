package auth

import (
	"fmt"
	"testing"
	"time"
)

// A read that started before a revocation must not put the revoked user
// back into the cache when it finishes after it.
func TestTokenCacheIgnoresReadsOlderThanARevocation(t *testing.T) {
	var c tokenCache
	now := time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)
	u := User{ID: 7, Username: "rev1"}

	started := c.begin()
	c.forgetToken("h1") // the revocation commits while the read is under way
	c.put("h1", u, now.Add(UserCacheTTL), started, now)
	if _, ok := c.get("h1", now); ok {
		t.Fatal("a read older than the revocation was cached")
	}

	c.put("h1", u, now.Add(UserCacheTTL), c.begin(), now)
	if got, ok := c.get("h1", now); !ok || got.ID != u.ID {
		t.Fatalf("get = %+v, %v; want the user just put", got, ok)
	}
	c.forgetUser(u.ID)
	if _, ok := c.get("h1", now); ok {
		t.Fatal("forgetUser left the user's token in the cache")
	}
}

func TestTokenCacheIsBounded(t *testing.T) {
	var c tokenCache
	now := time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)
	for i := range maxCachedTokens + 10 {
		// Later entries live longer, so the ones made to leave are the first.
		c.put(fmt.Sprint(i), User{ID: int64(i)}, now.Add(time.Duration(i)*time.Millisecond+time.Second), c.begin(), now)
	}
	if n := len(c.entries); n > maxCachedTokens {
		t.Fatalf("%d entries, want at most %d", n, maxCachedTokens)
	}
	last := fmt.Sprint(maxCachedTokens + 9)
	if _, ok := c.get(last, now); !ok {
		t.Error("the newest entry was dropped")
	}
	if _, ok := c.get("0", now); ok {
		t.Error("the entry expiring first was kept while the cache was full")
	}
	// Expired entries are dropped before live ones.
	later := now.Add(time.Hour)
	c.put("fresh", User{ID: 1}, later.Add(time.Second), c.begin(), later)
	if len(c.entries) != 1 {
		t.Errorf("%d entries after a put with every other entry expired, want 1", len(c.entries))
	}
}
