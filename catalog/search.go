package catalog

import (
	"context"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/pinyin"
)

// PinyinTerms is the default SearchTerms of a Store: the pinyin of the
// item's name in full and as initials (营业执照: yingyezhizhao, yyzz), so that
// a query typed in Latin letters finds the item.
func PinyinTerms(it *Item) []string { return pinyin.Terms(it.Name) }

// Search returns one page of the items matching f, and how many match in all.
// Without a query the page is in code order; with one, items whose name (or
// its pinyin) equals the query come first, then those whose name starts with
// it, then the rest. Match quality comes first, so an exact match is never
// pushed down by a popular weaker one; among equal matches the most used
// items (the most cases, all time) come first, then shorter names. The
// published catalogue is searched
// in memory; drafts and retired versions in the database, with the same
// conditions and ranking.
func (s *Store) Search(ctx context.Context, f Filter) ([]Item, int, error) {
	if err := f.check(); err != nil {
		return nil, 0, err
	}
	if f.status() != StatusPublished {
		return s.searchSQL(ctx, f)
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, 0, err
	}
	var uses map[string]int64
	if strings.TrimSpace(f.Query) != "" {
		if uses, err = s.uses(ctx); err != nil {
			return nil, 0, err
		}
	}
	return snap.search(f, f.limit(), uses)
}

// limit is the page size the filter asks for, within bounds.
func (f Filter) limit() int {
	if f.Limit <= 0 {
		return DefaultLimit
	}
	return min(f.Limit, MaxLimit)
}

// searchSQL is Search done by the database, for any status.
func (s *Store) searchSQL(ctx context.Context, f Filter) ([]Item, int, error) {
	where, args, err := f.where()
	if err != nil {
		return nil, 0, err
	}
	limit := f.limit()
	if strings.TrimSpace(f.Query) == "" {
		return s.browse(ctx, where, args, limit, f.Offset)
	}
	// The total comes with the page: free-text conditions use no index, and
	// one scan of the catalogue costs half of two. Counting and ranking read
	// narrow columns only; bodies are read for the page alone.
	keys, orderArgs := f.rankKeys()
	const order = "match_rank, uses DESC, name_length, item_code, version"
	total := 0
	rows, err := s.db.QueryContext(ctx, `
		SELECT v.item_code, v.version, v.status, v.body, v.created_at, v.published_at, page.total
		FROM (SELECT item_code, version, `+keys+`, COUNT(*) OVER () AS total
			FROM item_versions WHERE `+where+`
			ORDER BY `+order+` LIMIT ? OFFSET ?) page
		JOIN item_versions v ON v.item_code = page.item_code AND v.version = page.version
		ORDER BY page.match_rank, page.uses DESC, page.name_length, page.item_code, page.version`,
		slices.Concat(orderArgs, args, []any{limit, f.Offset})...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "catalog: search items")
	}
	items, err := scanItems(rows, &total)
	if err != nil {
		return nil, 0, err
	}
	if len(items) == 0 && f.Offset > 0 {
		// A page past the end has no row to carry the total.
		total, err = s.count(ctx, where, args)
	}
	return items, total, err
}

// browse returns a page of the catalogue in code order, which the index on
// (status, item_code, version) gives without sorting, and the total.
func (s *Store) browse(ctx context.Context, where string, args []any, limit, offset int) ([]Item, int, error) {
	total, err := s.count(ctx, where, args)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+itemSelect+` FROM item_versions WHERE `+where+`
		ORDER BY item_code, version LIMIT ? OFFSET ?`, slices.Concat(args, []any{limit, offset})...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "catalog: list items")
	}
	items, err := scanItems(rows)
	return items, total, err
}

func (s *Store) count(ctx context.Context, where string, args []any) (int, error) {
	var total int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM item_versions WHERE `+where, args...).Scan(&total)
	return total, apperr.Wrap(err, "catalog: count items")
}

// rankKeys returns how well an item matches the query, as select-list
// expressions match_rank and name_length, with their arguments. Best first:
// the name, or a whole term of the search text (its pinyin, its initials, an
// English word, a code), equal to the query; then the name or a term
// starting with it; then the rest. Within a rank the most used items go
// first (uses: their cases), then shorter names, being closer to what was
// typed. A query of several words is also tried
// with its words run together, as pinyin is often typed a syllable at a time
// (ying ye zhi zhao).
func (f Filter) rankKeys() (string, []any) {
	words := strings.Fields(strings.ToLower(f.Query))
	phrase := strings.Join(words, " ")
	queries := []string{phrase}
	if joined := strings.Join(words, ""); joined != phrase {
		queries = append(queries, joined)
	}
	// search_text is padded with spaces so that a term at either end is
	// delimited like the others.
	const padded = `(' ' || search_text || ' ')`
	var exact, prefix []string
	args := []any{escapeLike(phrase) + "%"}
	for _, q := range queries {
		prefix = append(prefix, padded+` LIKE ? ESCAPE '\'`)
		args = append(args, "% "+escapeLike(q)+"%")
	}
	args = append(args, phrase)
	for _, q := range queries {
		exact = append(exact, padded+` LIKE ? ESCAPE '\'`)
		args = append(args, "% "+escapeLike(q)+" %")
	}
	// Most matches rank 2, so the test for 1 and 0 together comes first.
	return `CASE WHEN NOT (LOWER(name) LIKE ? ESCAPE '\' OR ` + strings.Join(prefix, " OR ") + `) THEN 2
		WHEN LOWER(name) = ? OR ` + strings.Join(exact, " OR ") + ` THEN 0
		ELSE 1 END AS match_rank, LENGTH(name) AS name_length, ` + useKey, args
}
