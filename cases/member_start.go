package cases

import (
	"context"

	"github.com/onewindow/onewindow/store"
)

// memberStarting runs the OnMemberStart hook for member case c, just
// created and not yet accepted: a member waiting on a prerequisite may start
// after a sibling's licence was issued, and the hook gives it that licence
// by reference before the acceptance checks its materials. The hook writes
// to the case, so c is read again.
func (s *Service) memberStarting(ctx context.Context, tx *store.Tx, c *Case) error {
	if s.OnMemberStart == nil {
		return nil
	}
	if err := s.OnMemberStart(ctx, tx, *c); err != nil {
		return err
	}
	fresh, err := s.load(ctx, tx, c.ID, false)
	if err != nil {
		return err
	}
	*c = fresh
	return nil
}
