package catalog

import (
	"context"
	"encoding/json"

	"github.com/onewindow/onewindow/apperr"
)

// BundleDefinitions lists every version of every bundle, drafts and retired
// ones included, by code and newest version first: what an administrator
// edits, where Bundles is what applicants see.
func (s *Store) BundleDefinitions(ctx context.Context, code string) ([]Bundle, error) {
	q := `SELECT body FROM catalog_bundles ORDER BY code, version DESC`
	args := []any{}
	if code != "" {
		q = `SELECT body FROM catalog_bundles WHERE code = ? ORDER BY version DESC`
		args = append(args, code)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "catalog: bundle definitions")
	}
	defer rows.Close()
	var out []Bundle
	for rows.Next() {
		var body string
		var b Bundle
		if err := rows.Scan(&body); err != nil {
			return nil, apperr.Wrap(err, "catalog: bundle definitions")
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, apperr.Wrap(err, "catalog: decode bundle")
		}
		out = append(out, b)
	}
	return out, apperr.Wrap(rows.Err(), "catalog: bundle definitions")
}
