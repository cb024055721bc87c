package auth

import (
	"sync"
	"time"
)

// SeenTTL is how long a token that authenticated counts as a signed-in
// caller's for RecentlySignedIn.
const SeenTTL = 30 * time.Minute

// maxSeenTokens bounds what RecentlySignedIn remembers.
const maxSeenTokens = 20_000

// seenTokens remembers the hashes of tokens that authenticated lately. It
// answers one question without the database: does this request come from
// someone who signed in? The server uses it to keep places for staff when
// anonymous requests crowd in; it never grants anything.
type seenTokens struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (s *seenTokens) note(hash string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		s.last = map[string]time.Time{}
	}
	if _, ok := s.last[hash]; !ok && len(s.last) >= maxSeenTokens {
		for h, t := range s.last {
			if now.Sub(t) > SeenTTL || len(s.last) >= maxSeenTokens {
				delete(s.last, h)
			}
			if len(s.last) < maxSeenTokens*9/10 {
				break
			}
		}
	}
	s.last[hash] = now
}

func (s *seenTokens) recent(hash string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.last[hash]
	return ok && now.Sub(t) <= SeenTTL
}

// RecentlySignedIn reports, without asking the database, whether token
// authenticated in this process within SeenTTL. It is a hint for sharing
// capacity, not a check: Authenticate still decides every request.
func (s *Store) RecentlySignedIn(token string) bool {
	if len(token) != tokenLen {
		return false
	}
	return s.seen.recent(hashToken(token), s.now())
}
