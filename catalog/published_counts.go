package catalog

import "context"

// PublishedCounts counts the published items, those of them fully online
// (全程网办) and those each level may handle, as Counts does, from the
// published catalogue held in memory instead of SQL: the figures ask for
// them on every request. Drafts and the departments' shares are left empty.
func (s *Store) PublishedCounts(ctx context.Context) (CatalogCounts, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return CatalogCounts{}, err
	}
	c := CatalogCounts{ByLevel: map[int]int{}}
	for l := LevelNational; l <= LevelVillage; l++ {
		c.ByLevel[l] = 0
	}
	for _, e := range snap.entries {
		c.Published++
		if e.fullyOnline {
			c.FullyOnline++
		}
		for l := LevelNational; l <= LevelVillage; l++ {
			if e.levels&(1<<l) != 0 {
				c.ByLevel[l]++
			}
		}
	}
	return c, nil
}
