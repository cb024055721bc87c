package figures

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/onewindow/onewindow/network"
)

// pointsKeptFor is how long a copy of the service points answers the
// figures: a write of this process is seen at once (network.Changes); one of
// another process sharing the database, or one still in its transaction
// when the copy was read, within this bound.
const pointsKeptFor = time.Second

// pointsCopy is the service points with their services, and the departments
// each service covers: what every answer reads besides the counts (2,472
// points in the province, most of the cost of the province's answer when
// read anew each time). One copy is kept, replaced when out of date.
type pointsCopy struct {
	changes      uint64
	until        time.Time
	points       []network.Point // shared: never modified
	serviceDepts map[string][]string
}

// pointsCache holds the current copy.
type pointsCache struct{ current atomic.Pointer[pointsCopy] }

// get returns the current copy, reading the points anew when this process
// wrote points since it was read or when it is older than pointsKeptFor.
func (c *pointsCache) get(ctx context.Context, points *network.Store) (*pointsCopy, error) {
	now := time.Now() // wall clock: the age of a cached copy, not a business date
	changes := network.Changes()
	if p := c.current.Load(); p != nil && p.changes == changes && now.Before(p.until) {
		return p, nil
	}
	all, err := points.List(ctx)
	if err != nil {
		return nil, err
	}
	depts, err := points.ServiceDepartments(ctx)
	if err != nil {
		return nil, err
	}
	p := &pointsCopy{changes: changes, until: now.Add(pointsKeptFor), points: all, serviceDepts: depts}
	c.current.Store(p)
	return p, nil
}
