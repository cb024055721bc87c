package cases

// Issuing a bundle case: every member result in one delivery, with one
// collector at the window recorded on each member case.

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// issueMembers issues every member result together, in one delivery. A
// partial issue (some members still open) is allowed only when the bundle says so.
func (s *Service) issueMembers(ctx context.Context, tx *store.Tx, actor auth.User, b *BundleCase, def catalog.Bundle, req ActRequest, now time.Time) error {
	if err := s.fillMembers(ctx, tx, b); err != nil {
		return err
	}
	if len(b.HoldingUp) > 0 && !def.PartialIssue {
		var names []string
		for _, m := range b.Members {
			if slices.Contains(b.HoldingUp, m.Item) {
				names = append(names, m.ItemName)
			}
		}
		return apperr.New(apperr.Conflict, "bundle_not_ready", apperr.M("一件事的事项尚未全部办结，须统一出证："+strings.Join(names, "、"),
			"not every member is done and this bundle issues results together: "+strings.Join(names, ", "))).With("holding_up", b.HoldingUp)
	}
	issued := 0
	for _, m := range b.Members {
		if m.CaseID == nil || m.State != ReadyForIssue {
			continue
		}
		c, err := s.load(ctx, tx, *m.CaseID, true)
		if err != nil {
			return err
		}
		it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
		if err != nil {
			return err
		}
		r := req
		r.jointIssue = true
		if err := s.transition(ctx, tx, actor, &c, &it, Issue, r, now); err != nil {
			return err
		}
		issued++
	}
	if issued == 0 {
		return apperr.New(apperr.Conflict, "nothing_to_issue", apperr.M("没有可出证的结果", "no result is ready to issue"))
	}
	return nil
}
