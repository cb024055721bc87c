package catalog

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/apperr"
)

// UseRefreshInterval is how often at most a process reads again how much
// each item is used, which search ranks equally good matches by. The counts
// (item_use, all time) are kept by triggers on cases in the transaction that
// creates a case; reading them is one pass over a row or a few per item, so
// search itself never counts cases. Popularity moves slowly: a minute late
// changes no one's search.
const UseRefreshInterval = time.Minute

// useCounts returns the number of cases of each item, read from the kept
// counts at most once per every. While one caller reads them, the others go
// on with the counts they have.
func (x *publishedIndex) useCounts(ctx context.Context, s *Store, now time.Time, every time.Duration) (map[string]int64, error) {
	cur := x.uses.Load()
	if cur != nil {
		if now.UnixNano() < x.usesNext.Load() || !x.usesMu.TryLock() {
			return *cur, nil
		}
	} else {
		x.usesMu.Lock()
	}
	defer x.usesMu.Unlock()
	if latest := x.uses.Load(); latest != nil && latest != cur {
		return *latest, nil // read by another caller while this one waited
	}
	rows, err := s.db.QueryContext(ctx, `SELECT item_code, SUM(cases) FROM item_use GROUP BY item_code`)
	if err != nil {
		return nil, apperr.Wrap(err, "catalog: read item use")
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			return nil, apperr.Wrap(err, "catalog: read item use")
		}
		if n > 0 {
			counts[code] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "catalog: read item use")
	}
	x.uses.Store(&counts)
	x.usesNext.Store(now.Add(every).UnixNano())
	return counts, nil
}

// uses returns the number of cases of each item, as search ranks by.
func (s *Store) uses(ctx context.Context) (map[string]int64, error) {
	return s.index.useCounts(ctx, s, s.tick(), UseRefreshInterval)
}

// useKey is the select-list expression searchSQL ranks equal matches by:
// the item's cases, from the same kept counts.
const useKey = `(SELECT COALESCE(SUM(u.cases), 0) FROM item_use u WHERE u.item_code = item_versions.item_code) AS uses`
