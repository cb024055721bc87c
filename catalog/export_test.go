package catalog

import (
	"context"
	"time"
)

// SearchSQL is Search answered by the database alone, which the in-memory
// index must agree with.
func SearchSQL(ctx context.Context, s *Store, f Filter) ([]Item, int, error) {
	return s.searchSQL(ctx, f)
}

// SetClock makes the store read the time, and so decide when to compare the
// catalogue generation, from now.
func SetClock(s *Store, now func() time.Time) { s.tick = now }

// Rebuild builds the store's index anew, as after a write of this process.
func Rebuild(ctx context.Context, s *Store) error {
	s.index.invalidate()
	_, err := s.snapshot(ctx)
	return err
}
