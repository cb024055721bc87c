package catalog

import (
	"cmp"
	"context"
	"database/sql"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"weak"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// IndexCheckInterval is how often at most a process compares the catalogue
// generation in the database with the one its in-memory index was built
// from. It bounds how stale the published catalogue of one server can be
// after another server sharing the database publishes: a write made through
// any Store of the same process over the same *store.DB is seen at once, one
// made by another process within this interval plus the time a rebuild
// takes (tens of milliseconds for the demo catalogue).
const IndexCheckInterval = time.Second

// maxRetiredKept bounds the retired versions kept in memory: a catalogue of
// some 1,700 items with a few versions each stays well under it.
const maxRetiredKept = 10_000

// publishedIndex is the published catalogue of one database held in memory:
// what Search, Published, Version and ItemsByCodes of every Store over that
// database answer from. It is built on first use from the published rows and
// rebuilt when this process changes what is published or the database's
// generation shows that another process did.
type publishedIndex struct {
	mu      sync.Mutex // held while comparing generations or building
	current atomic.Pointer[snapshot]
	// epoch counts this process's writes to the published catalogue; a
	// snapshot built before the latest one is not used again.
	epoch atomic.Uint64
	// nextCheck is when (unix nanoseconds, by the reading Store's clock) the
	// database's generation is next compared with the snapshot's.
	nextCheck atomic.Int64

	retiredMu sync.RWMutex
	retired   map[versionKey]Item // a retired version never changes again

	// uses holds the number of cases of each item (use.go), read again
	// after usesNext (unix nanoseconds, as nextCheck).
	usesMu   sync.Mutex
	uses     atomic.Pointer[map[string]int64]
	usesNext atomic.Int64
}

type versionKey struct {
	code    string
	version int
}

// snapshot is one build of the published catalogue; it is never modified.
type snapshot struct {
	epoch      uint64
	generation int64
	entries    []*entry // one per published item, in code order
	byCode     map[string]int
	// pairs lists, for every two consecutive bytes of any search text, the
	// entries whose search text holds them, in code order: a query word can
	// only be in the texts that hold each of its pairs.
	pairs map[uint16][]int32
}

// entry is a published version with what Search filters and ranks on, read
// from the columns SQL search reads. The item itself is decoded from its row
// when first asked for: most entries of a build are never shown.
type entry struct {
	code        string
	version     int
	department  string
	searchText  string // the stored search_text: lower case, terms separated by spaces
	padded      string // " " + searchText + " ", so that every term is delimited
	lowerName   string
	nameLength  int    // in characters, as SQL's LENGTH counts them
	lifeEvents  string // ",a,b,": the life_events column
	levels      uint8  // bit n set when level n may handle the item
	fullyOnline bool

	row    storedRow
	decode sync.Once
	item   Item
	err    error
}

// storedRow is what an item is decoded from: the columns of itemSelect.
type storedRow struct {
	status, body, created string
	published             sql.NullString
}

// copyItem returns a copy of the entry's item, decoding it on first use.
func (e *entry) copyItem() (Item, error) {
	e.decode.Do(func() {
		r := e.row
		e.item, e.err = decodeItem(e.code, e.version, r.status, r.body, r.created, r.published)
		e.row.body = ""
	})
	return cloneItem(e.item), e.err
}

// indexes holds the index of every open database, so that all the Stores of
// a process over one database (the server's, a service's own, the demo
// loader's) share it and see each other's writes at once. Keys are weak:
// a database that is no longer referenced takes its index with it.
var indexes sync.Map // weak.Pointer[store.DB] → *publishedIndex

func indexFor(db *store.DB) *publishedIndex {
	key := weak.Make(db)
	if x, ok := indexes.Load(key); ok {
		return x.(*publishedIndex)
	}
	x, loaded := indexes.LoadOrStore(key, &publishedIndex{retired: map[versionKey]Item{}})
	if !loaded && db != nil {
		runtime.AddCleanup(db, func(k weak.Pointer[store.DB]) { indexes.Delete(k) }, key)
	}
	return x.(*publishedIndex)
}

// invalidate makes every later read of this process build the index anew;
// writers call it after their transaction has ended.
func (x *publishedIndex) invalidate() { x.epoch.Add(1) }

// snapshot returns the published catalogue, building it on first use and
// after a write of this process, and rebuilding it when the database's
// generation, compared at most once per every, has moved on. While one
// caller compares or rebuilds, the others go on with the snapshot they have:
// it is within the staleness bound.
func (x *publishedIndex) snapshot(ctx context.Context, db *store.DB, now time.Time, every time.Duration) (*snapshot, error) {
	if s := x.current.Load(); s != nil && s.epoch == x.epoch.Load() {
		if now.UnixNano() < x.nextCheck.Load() || !x.mu.TryLock() {
			return s, nil
		}
		defer x.mu.Unlock()
		if s2 := x.current.Load(); s2 != s || now.UnixNano() < x.nextCheck.Load() {
			return s2, nil // another caller checked while this one waited for the lock
		}
		gen, err := readGeneration(ctx, db)
		if err != nil {
			return nil, err
		}
		if gen == s.generation {
			x.nextCheck.Store(now.Add(every).UnixNano())
			return s, nil
		}
		return x.build(ctx, db, now, every)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if s := x.current.Load(); s != nil && s.epoch == x.epoch.Load() {
		return s, nil // built by another caller meanwhile
	}
	return x.build(ctx, db, now, every)
}

// build reads the generation, then the published rows: a publish committed
// between the two reads is then in the rows but not in the generation, and
// the next comparison merely rebuilds once more (read the other way round,
// the snapshot could miss it for good).
func (x *publishedIndex) build(ctx context.Context, db *store.DB, now time.Time, every time.Duration) (*snapshot, error) {
	epoch := x.epoch.Load()
	gen, err := readGeneration(ctx, db)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `
		SELECT item_code, version, status, body, created_at, published_at,
			name, department_code, levels, life_events, fully_online, search_text
		FROM item_versions WHERE status = 'published'`)
	if err != nil {
		return nil, apperr.Wrap(err, "catalog: read published items")
	}
	defer rows.Close()
	s := &snapshot{epoch: epoch, generation: gen}
	for rows.Next() {
		e := &entry{}
		var name, levels string
		var online int
		if err := rows.Scan(&e.code, &e.version, &e.row.status, &e.row.body, &e.row.created, &e.row.published,
			&name, &e.department, &levels, &e.lifeEvents, &online, &e.searchText); err != nil {
			return nil, apperr.Wrap(err, "catalog: read published items")
		}
		e.padded = " " + e.searchText + " "
		e.lowerName = strings.ToLower(name)
		e.nameLength = utf8.RuneCountInString(name)
		for l := LevelNational; l <= LevelVillage; l++ {
			if strings.Contains(levels, ","+strconv.Itoa(l)+",") {
				e.levels |= 1 << l
			}
		}
		e.fullyOnline = online != 0
		s.entries = append(s.entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "catalog: read published items")
	}
	// Code order by bytes, as SQLite sorts text, whatever the database's collation.
	slices.SortFunc(s.entries, func(a, b *entry) int {
		return cmp.Or(strings.Compare(a.code, b.code), cmp.Compare(a.version, b.version))
	})
	s.byCode = make(map[string]int, len(s.entries))
	s.pairs = map[uint16][]int32{}
	for i, e := range s.entries {
		s.byCode[e.code] = i
		for j := 0; j+1 < len(e.searchText); j++ {
			p := pairOf(e.searchText[j:])
			// Entries are visited in order: a list already ending in i has it.
			if list := s.pairs[p]; len(list) == 0 || list[len(list)-1] != int32(i) {
				s.pairs[p] = append(list, int32(i))
			}
		}
	}
	x.current.Store(s)
	x.nextCheck.Store(now.Add(every).UnixNano())
	return s, nil
}

func readGeneration(ctx context.Context, q store.Querier) (int64, error) {
	var gen int64
	err := q.QueryRowContext(ctx, `SELECT generation FROM catalog_generation WHERE id = 1`).Scan(&gen)
	return gen, apperr.Wrap(err, "catalog: read generation")
}

// bumpGeneration tells the other processes, once tx commits, that the
// published catalogue has changed. It also locks the generation row, so
// that such writes commit one at a time.
func bumpGeneration(ctx context.Context, tx *store.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalog_generation SET generation = generation + 1 WHERE id = 1`)
	return apperr.Wrap(err, "catalog: bump generation")
}

// published returns a copy of the item's published version, if it has one.
func (s *snapshot) published(code string) (Item, bool, error) {
	i, ok := s.byCode[code]
	if !ok {
		return Item{}, false, nil
	}
	it, err := s.entries[i].copyItem()
	return it, err == nil, err
}

// publishedVersion returns the item's published version number, 0 for none.
func (s *snapshot) publishedVersion(code string) int {
	if i, ok := s.byCode[code]; ok {
		return s.entries[i].version
	}
	return 0
}

func (x *publishedIndex) retiredVersion(code string, version int) (Item, bool) {
	x.retiredMu.RLock()
	it, ok := x.retired[versionKey{code, version}]
	x.retiredMu.RUnlock()
	if !ok {
		return Item{}, false
	}
	return cloneItem(it), true
}

func (x *publishedIndex) keepRetired(it Item) {
	x.retiredMu.Lock()
	defer x.retiredMu.Unlock()
	if len(x.retired) < maxRetiredKept {
		x.retired[versionKey{it.Code, it.Version}] = cloneItem(it)
	}
}

// search answers a validated filter over the published catalogue exactly as
// the SQL of searchSQL does: the same conditions, the same ranking (uses
// are the cases of each item), the same total, the same page.
func (s *snapshot) search(f Filter, limit int, uses map[string]int64) ([]Item, int, error) {
	words := strings.Fields(strings.ToLower(f.Query))
	lifeEvent := "," + f.LifeEvent + ","
	matches := func(e *entry) bool {
		return (f.Department == "" || e.department == f.Department) &&
			(f.Level == 0 || e.levels&(1<<f.Level) != 0) &&
			(f.LifeEvent == "" || strings.Contains(e.lifeEvents, lifeEvent)) &&
			(f.FullyOnline == nil || e.fullyOnline == *f.FullyOnline) &&
			containsAll(e.searchText, words)
	}
	var page []Item
	var err error
	keep := func(e *entry) {
		it, decodeErr := e.copyItem()
		page = append(page, it)
		err = cmp.Or(err, decodeErr)
	}
	if len(words) == 0 {
		// Code order, which the entries are in: count, and copy the page only.
		total := 0
		for _, e := range s.entries {
			if matches(e) {
				if total >= f.Offset && total-f.Offset < limit {
					keep(e)
				}
				total++
			}
		}
		return page, total, err
	}
	var found []ranked
	r := newRanker(words)
	for _, i := range s.candidates(words) {
		if e := s.entries[i]; matches(e) {
			found = append(found, ranked{entry: e, rank: r.rank(e), uses: uses[e.code]})
		}
	}
	slices.SortFunc(found, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(b.uses, a.uses), cmp.Compare(a.entry.nameLength, b.entry.nameLength),
			strings.Compare(a.entry.code, b.entry.code), cmp.Compare(a.entry.version, b.entry.version))
	})
	start := min(f.Offset, len(found))
	for _, m := range found[start : start+min(limit, len(found)-start)] {
		keep(m.entry)
	}
	return page, len(found), err
}

type ranked struct {
	entry *entry
	rank  int
	uses  int64 // the item's cases
}

// candidates returns the entries that may hold every word: those holding
// the rarest byte pair of any word. Words of one byte say nothing, and
// without a longer one every entry is a candidate.
func (s *snapshot) candidates(words []string) []int32 {
	var best []int32
	found := false
	for _, w := range words {
		for j := 0; j+1 < len(w); j++ {
			list := s.pairs[pairOf(w[j:])]
			if !found || len(list) < len(best) {
				best, found = list, true
			}
		}
	}
	if found {
		return best
	}
	all := make([]int32, len(s.entries))
	for i := range all {
		all[i] = int32(i)
	}
	return all
}

func pairOf(b string) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func containsAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// ranker holds a query's forms for the ranking rankKeys describes: the words
// joined by a space (the phrase) and, when there are several, run together.
type ranker struct {
	phrase  string
	queries []string
}

func newRanker(words []string) ranker {
	r := ranker{phrase: strings.Join(words, " ")}
	r.queries = []string{r.phrase}
	if joined := strings.Join(words, ""); joined != r.phrase {
		r.queries = append(r.queries, joined)
	}
	return r
}

// rank is 0 when the name, or a whole term of the search text, equals the
// query; 1 when the name or a term starts with it; 2 otherwise.
func (r ranker) rank(e *entry) int {
	prefix := strings.HasPrefix(e.lowerName, r.phrase)
	for _, q := range r.queries {
		prefix = prefix || strings.Contains(e.padded, " "+q)
	}
	if !prefix {
		return 2
	}
	if e.lowerName == r.phrase {
		return 0
	}
	for _, q := range r.queries {
		if strings.Contains(e.padded, " "+q+" ") {
			return 0
		}
	}
	return 1
}

// cloneItem copies an item deeply, so that a caller changing what it got
// leaves the index alone.
func cloneItem(it Item) Item {
	it.Levels = slices.Clone(it.Levels)
	it.OnlineDepth = slices.Clone(it.OnlineDepth)
	it.Fees = slices.Clone(it.Fees)
	it.LifeEvents = slices.Clone(it.LifeEvents)
	it.Materials = slices.Clone(it.Materials)
	it.Fields = slices.Clone(it.Fields)
	it.Aliases = slices.Clone(it.Aliases)
	it.Steps = slices.Clone(it.Steps)
	it.FAQ = slices.Clone(it.FAQ)
	it.Documents = slices.Clone(it.Documents)
	for i := range it.Fields {
		it.Fields[i].Options = slices.Clone(it.Fields[i].Options)
	}
	if it.PublishedAt != nil {
		t := *it.PublishedAt
		it.PublishedAt = &t
	}
	return it
}
