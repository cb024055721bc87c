package cases

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// Inside a 一件事, a material one member's result provides to another (an
// electronic licence passed on by package licence: the guide's
// MergedMaterial.ProvidedBy) is not asked of the applicant. The member that
// needs it starts with it to follow (容缺), unless the applicant brought it
// or the licence exists already, and cannot be approved before it arrives;
// the member yielding it may be issued on its own, before the others, so
// that nobody waits for ever on a bundle whose results go out together.

// memberStarting prepares member case c of bundle b, just created and not
// yet accepted, and returns the item as its acceptance checks it. The
// OnMemberStart hook runs first: a member waiting on a prerequisite may
// start after a sibling's licence was issued, and the hook gives it that
// licence by reference (it writes to the case, so c is read again). A
// material another member's result provides and that the case still lacks
// is then taken to follow.
func (s *Service) memberStarting(ctx context.Context, tx *store.Tx, b *BundleCase, c *Case, it catalog.Item) (catalog.Item, error) {
	if s.OnMemberStart != nil {
		if err := s.OnMemberStart(ctx, tx, *c); err != nil {
			return it, err
		}
		fresh, err := s.load(ctx, tx, c.ID, false)
		if err != nil {
			return it, err
		}
		*c = fresh
	}
	guide, err := s.bundleGuide(ctx, b.BundleCode, b.BundleVersion)
	if err != nil {
		return it, err
	}
	mats, err := caseMaterials(ctx, tx, c.ID)
	if err != nil {
		return it, err
	}
	have := materialTypesOf(mats)
	it.Materials = slices.Clone(it.Materials)
	for i, m := range it.Materials {
		if m.Requirement == catalog.Required && !slices.Contains(have, m.Type) && providedToMember(guide, m.Type, it.Code) {
			it.Materials[i].Requirement = catalog.Waivable
		}
	}
	return it, nil
}

// issuesAlone reports that member case c yields a result another member of
// its bundle waits for: it is issued as soon as it is ready, even when the
// bundle issues its results together.
func (s *Service) issuesAlone(ctx context.Context, q store.Querier, c *Case) (bool, error) {
	b, err := s.loadBundleCase(ctx, q, *c.BundleCaseID, false)
	if err != nil {
		return false, err
	}
	guide, err := s.bundleGuide(ctx, b.BundleCode, b.BundleVersion)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(guide.Materials, func(m catalog.MergedMaterial) bool { return slices.Contains(m.ProvidedBy, c.ItemCode) }), nil
}

func (s *Service) bundleGuide(ctx context.Context, code string, version int) (catalog.BundleGuide, error) {
	def, err := s.catalog.BundleVersion(ctx, code, version)
	if err != nil {
		return catalog.BundleGuide{}, err
	}
	return s.catalog.Guide(ctx, def)
}

// providedToMember reports that another member's result provides material
// type t to member item.
func providedToMember(g catalog.BundleGuide, t, item string) bool {
	return slices.ContainsFunc(g.Materials, func(m catalog.MergedMaterial) bool {
		return m.Type == t && len(m.ProvidedBy) > 0 && slices.Contains(m.Items, item)
	})
}
