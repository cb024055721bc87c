package cases

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// BundleSiblings returns the ids of the other member cases of c's bundle
// (none when c is not a member), read in the caller's transaction: package
// licence passes a member's licence on to the members that need it.
func BundleSiblings(ctx context.Context, tx *store.Tx, c Case) ([]int64, error) {
	if c.BundleCaseID == nil {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM cases WHERE bundle_case_id = ? AND id <> ? ORDER BY id`, *c.BundleCaseID, c.ID)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: bundle siblings")
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, apperr.Wrap(err, "cases: bundle siblings")
		}
		ids = append(ids, id)
	}
	return ids, apperr.Wrap(rows.Err(), "cases: bundle siblings")
}

// ProvideByReference lets choose record, inside the caller's transaction,
// that a material of case id is provided by reference (the Material it
// returns names its type, its source and in FileName what provides it),
// while materials may still be added to the case (before its decision: a
// decided case keeps the materials it was decided on). choose sees the case
// and its item and must not change them; nothing is written when it
// declines or the case is past that point, and the material must be one
// the item asks for. The caller holds the consent and writes its own audit record;
// the case's event and audit record name actor. It reports what was
// recorded.
func (s *Service) ProvideByReference(ctx context.Context, tx *store.Tx, actor auth.User, id int64,
	choose func(c Case, it catalog.Item) (Material, bool)) (Material, bool, error) {
	c, err := s.load(ctx, tx, id, true)
	if err != nil {
		return Material{}, false, err
	}
	if !materialsOpen(c.State) {
		return Material{}, false, nil
	}
	if c.Materials, err = caseMaterials(ctx, tx, c.ID); err != nil {
		return Material{}, false, err
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return Material{}, false, err
	}
	m, ok := choose(c, it)
	if !ok || !slices.ContainsFunc(it.Materials, func(im catalog.Material) bool { return im.Type == m.Type }) {
		return Material{}, false, nil
	}
	now := s.storedNow()
	m.Name = materialOf(&it, m.Type).Name
	m.AddedBy, m.AddedAt = actor.ID, now
	if err := putMaterial(ctx, tx, c.ID, m); err != nil {
		return Material{}, false, err
	}
	c.UpdatedAt = now
	if err := updateCase(ctx, tx, &c); err != nil {
		return Material{}, false, err
	}
	data := map[string]any{"type": m.Type, "source": m.Source, "file_name": m.FileName}
	return m, true, s.record(ctx, tx, actor, &c, "add_material", c.State, c.State, "", data)
}

// materialsOpen tells whether materials may still be added in state st:
// until the decision (the rule of materialAllowed).
func materialsOpen(st State) bool {
	return !st.Final() && st != Approved && st != Refused && st != ReadyForIssue && st != Issued
}
