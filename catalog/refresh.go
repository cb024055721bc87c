package catalog

import (
	"context"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// RefreshSearchText rewrites the search text of the stored versions whose
// text is not what SearchTerms gives today: versions stored before pinyin
// search existed, or before a change of the pinyin terms. Servers call it
// at start-up; on an up-to-date catalogue it reads every version once and
// writes nothing. It returns how many versions it rewrote.
func (s *Store) RefreshSearchText(ctx context.Context) (int, error) {
	changed := 0
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		changed = 0
		stored := map[versionKey]string{}
		rows, err := tx.QueryContext(ctx, `SELECT item_code, version, search_text FROM item_versions`)
		if err != nil {
			return apperr.Wrap(err, "catalog: read search text")
		}
		for rows.Next() {
			var k versionKey
			var text string
			if err := rows.Scan(&k.code, &k.version, &text); err != nil {
				rows.Close()
				return apperr.Wrap(err, "catalog: read search text")
			}
			stored[k] = text
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return apperr.Wrap(err, "catalog: read search text")
		}
		rows, err = tx.QueryContext(ctx, `SELECT `+itemSelect+` FROM item_versions ORDER BY item_code, version`)
		if err != nil {
			return apperr.Wrap(err, "catalog: refresh search text")
		}
		items, err := scanItems(rows)
		if err != nil {
			return err
		}
		for i := range items {
			want := s.searchText(&items[i])
			if stored[versionKey{items[i].Code, items[i].Version}] == want {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE item_versions SET search_text = ? WHERE item_code = ? AND version = ?`,
				want, items[i].Code, items[i].Version); err != nil {
				return apperr.Wrap(err, "catalog: refresh search text")
			}
			changed++
		}
		if changed == 0 {
			return nil
		}
		return bumpGeneration(ctx, tx)
	})
	if changed > 0 {
		s.index.invalidate()
	}
	return changed, err
}
