package cases

import (
	"context"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
)

// MemberCollection is who collected one member's result of a bundle case
// at the window.
type MemberCollection struct {
	CaseID     int64      `json:"case_id"`
	Item       string     `json:"item"`
	Collection Collection `json:"collection"`
}

// BundleCollections lists who collected the bundle's results at the
// window, one entry per member case that has the record, in the members'
// order, with the identity card numbers masked. Whoever may see the bundle
// case may see them, as each member case shows its own.
func (s *Service) BundleCollections(ctx context.Context, actor auth.User, id int64) ([]MemberCollection, error) {
	b, err := s.loadBundleCase(ctx, s.db, id, false)
	if err != nil {
		return nil, err
	}
	if err := s.checkBundleScope(actor, &b); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT c.id, c.item_code, `+collectionColumns+`
		FROM case_collections k JOIN cases c ON c.id = k.case_id
		WHERE c.bundle_case_id = ? ORDER BY c.id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: bundle collections")
	}
	defer rows.Close()
	var out []MemberCollection
	for rows.Next() {
		var m MemberCollection
		if m.Collection, err = scanCollection(rows, &m.CaseID, &m.Item); err != nil {
			return nil, apperr.Wrap(err, "cases: bundle collections")
		}
		out = append(out, m)
	}
	return out, apperr.Wrap(rows.Err(), "cases: bundle collections")
}
