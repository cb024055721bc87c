// Package regiontest loads divisions for tests as the demo does: into the
// table in one transaction, with no actor (the services' loads are checked
// and audited: coverage.Service.LoadRegions).
package regiontest

import (
	"context"

	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// Load inserts or updates regions.
func Load(ctx context.Context, db *store.DB, regions []region.Region) error {
	return db.InTx(ctx, func(tx *store.Tx) error { return region.Upsert(ctx, tx, regions) })
}

// SetLocations stores locations and returns how many regions changed.
func SetLocations(ctx context.Context, db *store.DB, locs []region.Location) (int, error) {
	var n int
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		n, err = region.SetLocations(ctx, tx, locs)
		return err
	})
	return n, err
}
