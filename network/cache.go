package network

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// PointCheckInterval is how often at most a process compares the points'
// generation in the database with the one its points in memory were read
// at. A point written through this process is seen at once; one written by
// another process sharing the database within this interval.
const PointCheckInterval = time.Second

// pointEpoch counts the committed point writes of this process; a cache
// read before the latest one is read again. One counter for every database
// of the process: points change seldom, and a write to one database merely
// makes the others read theirs once more.
var pointEpoch atomic.Uint64

// pointCache holds the service points of one database in memory, for Get:
// creating a case, printing a notice or showing a hall reads its point, and
// the points change a few times a year.
type pointCache struct {
	mu      sync.Mutex // held while comparing generations or reading
	current atomic.Pointer[pointSnapshot]
	// nextCheck is when (unix nanoseconds, wall clock) the database's
	// generation is next compared with the snapshot's.
	nextCheck atomic.Int64
}

// pointSnapshot is one reading of every point; it is never modified.
type pointSnapshot struct {
	epoch      uint64
	generation int64
	byCode     map[string]Point
	// list is every point in List's order, and serviceDepts the departments
	// each service covers: handed out shared, by Shared.
	list         []Point
	serviceDepts map[string][]string
}

// pointCaches holds the cache of every open database, so that the Stores of
// a process over one database share it. Keys are weak: a database no longer
// referenced takes its cache with it.
var pointCaches sync.Map // weak.Pointer[store.DB] → *pointCache

func pointCacheFor(db *store.DB) *pointCache {
	key := weak.Make(db)
	if x, ok := pointCaches.Load(key); ok {
		return x.(*pointCache)
	}
	x, loaded := pointCaches.LoadOrStore(key, &pointCache{})
	if !loaded && db != nil {
		runtime.AddCleanup(db, func(k weak.Pointer[store.DB]) { pointCaches.Delete(k) }, key)
	}
	return x.(*pointCache)
}

// snapshot returns the points, reading them on first use and after a write
// of this process, and again when the database's generation, compared at
// most once per PointCheckInterval, has moved on. While one caller compares
// or reads, the others go on with the snapshot they have: it is within the
// staleness bound.
func (c *pointCache) snapshot(ctx context.Context, db *store.DB) (*pointSnapshot, error) {
	now := time.Now().UnixNano() // wall clock: bounds how stale another process's edit may be seen
	if s := c.current.Load(); s != nil && s.epoch == pointEpoch.Load() {
		if now < c.nextCheck.Load() || !c.mu.TryLock() {
			return s, nil
		}
		defer c.mu.Unlock()
		if s2 := c.current.Load(); s2 != s || now < c.nextCheck.Load() {
			return s2, nil // another caller checked while this one waited
		}
		gen, err := readPointGeneration(ctx, db)
		if err != nil {
			return nil, err
		}
		if gen == s.generation {
			c.nextCheck.Store(now + int64(PointCheckInterval))
			return s, nil
		}
		return c.read(ctx, db, now)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.current.Load(); s != nil && s.epoch == pointEpoch.Load() {
		return s, nil // read by another caller meanwhile
	}
	return c.read(ctx, db, now)
}

// read reads the generation, then the points: a write committed between the
// two is then in the points but not in the generation, and the next
// comparison merely reads once more (read the other way round, the cache
// could miss it for good).
func (c *pointCache) read(ctx context.Context, db *store.DB, now int64) (*pointSnapshot, error) {
	epoch := pointEpoch.Load()
	gen, err := readPointGeneration(ctx, db)
	if err != nil {
		return nil, err
	}
	points, err := listPoints(ctx, db)
	if err != nil {
		return nil, err
	}
	depts, err := serviceDepartments(ctx, db)
	if err != nil {
		return nil, err
	}
	s := &pointSnapshot{epoch: epoch, generation: gen, byCode: make(map[string]Point, len(points)), list: points, serviceDepts: depts}
	for _, p := range points {
		s.byCode[p.Code] = p
	}
	c.current.Store(s)
	c.nextCheck.Store(now + int64(PointCheckInterval))
	return s, nil
}

// get returns a copy of the point, which the caller may change.
func (s *pointSnapshot) get(code string) (Point, bool) {
	p, ok := s.byCode[code]
	if !ok {
		return Point{}, false
	}
	p.Services = append([]string(nil), p.Services...)
	if p.Lat != nil {
		lat, lon := *p.Lat, *p.Lon
		p.Lat, p.Lon = &lat, &lon
	}
	return p, true
}

func readPointGeneration(ctx context.Context, q store.Querier) (int64, error) {
	var gen int64
	err := q.QueryRowContext(ctx, `SELECT generation FROM point_generation WHERE id = 1`).Scan(&gen)
	return gen, apperr.Wrap(err, "network: read point generation")
}

// pointsWritten tells the caches that q writes points: the other processes
// through the generation row, once q commits (the row also makes such
// writes commit one at a time), and this process's caches after the commit
// (at once when q is not a transaction).
func pointsWritten(ctx context.Context, q store.Querier) error {
	if _, err := q.ExecContext(ctx, `UPDATE point_generation SET generation = generation + 1 WHERE id = 1`); err != nil {
		return apperr.Wrap(err, "network: bump point generation")
	}
	if tx, ok := q.(*store.Tx); ok {
		tx.AfterCommit(func() { pointEpoch.Add(1) })
	} else {
		pointEpoch.Add(1)
	}
	return nil
}
