package auth

import (
	"sync"
	"time"
)

// UserCacheTTL is how long Authenticate trusts what it read of a token and
// its user without asking the database again. Every request carries a
// token, and this saves a query on nearly all of them.
//
// Revocation in this process (Logout, SetDisabled, SetPassword on the same
// Store) takes effect at once. Another process sharing the database (a
// second server, the command line) learns of it within UserCacheTTL: that is
// the longest a revoked token, a disabled account or a changed scope keeps
// working there.
const UserCacheTTL = 5 * time.Second

// maxCachedTokens bounds the cache: a server sees a few thousand live
// sessions at most; beyond that the oldest entries make room.
const maxCachedTokens = 10_000

type cachedUser struct {
	user  User
	until time.Time // the earlier of the cache's TTL and the token's expiry
}

// tokenCache maps token hashes to the users they stood for when last read.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]cachedUser
	// generation changes at every revocation, so that a read that started
	// before it cannot put back what the revocation took out.
	generation uint64
}

func (c *tokenCache) get(hash string, now time.Time) (User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok {
		return User{}, false
	}
	if !now.Before(e.until) {
		delete(c.entries, hash)
		return User{}, false
	}
	return e.user, true
}

// begin returns the generation a read from the database starts under.
func (c *tokenCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation
}

// put keeps u for hash until until, unless a revocation happened since
// generation was read.
func (c *tokenCache) put(hash string, u User, until time.Time, generation uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if generation != c.generation {
		return
	}
	if c.entries == nil {
		c.entries = make(map[string]cachedUser)
	}
	if len(c.entries) >= maxCachedTokens {
		c.shrinkLocked(now)
	}
	c.entries[hash] = cachedUser{user: u, until: until}
}

// shrinkLocked drops expired entries, and if that frees nothing, the one
// expiring first: a full cache costs a query, never a wrong answer.
func (c *tokenCache) shrinkLocked(now time.Time) {
	var first string
	var firstUntil time.Time
	for h, e := range c.entries {
		if !now.Before(e.until) {
			delete(c.entries, h)
			continue
		}
		if first == "" || e.until.Before(firstUntil) {
			first, firstUntil = h, e.until
		}
	}
	if len(c.entries) >= maxCachedTokens {
		delete(c.entries, first)
	}
}

// forgetToken and forgetUser are called after a revocation has committed.
func (c *tokenCache) forgetToken(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	delete(c.entries, hash)
}

func (c *tokenCache) forgetUser(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	for h, e := range c.entries {
		if e.user.ID == id {
			delete(c.entries, h)
		}
	}
}
