package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

// Store keeps departments and versioned items in the SQL database. The
// published catalogue is also held in memory, shared by every Store over the
// same *store.DB (see IndexCheckInterval for how it follows other processes).
type Store struct {
	db *store.DB
	// SearchTerms, when set, adds terms to the text that free-text search
	// matches; NewStore sets PinyinTerms. Run Reindex after changing it so
	// that stored versions get the terms too.
	SearchTerms func(it *Item) []string
	// Now is the server's clock (package clock), which stamps versions and
	// departments; nil is the wall clock.
	Now clock.Clock
	// ResultLicences, when set (at wiring time, by package licence), maps
	// each item code whose result this server issues as an electronic
	// licence to that licence's type code: a bundle's guide then marks the
	// materials one member's result provides to another (bundle_provided.go).
	ResultLicences func(ctx context.Context) (map[string]string, error)
	// tick paces the in-memory index's checks for other processes' writes:
	// a duration, so the wall clock (tests move it).
	tick       func() time.Time
	index      *publishedIndex
	checkEvery time.Duration
}

// NewStore returns a Store over db.
func NewStore(db *store.DB) *Store {
	return &Store{db: db, SearchTerms: PinyinTerms, tick: clock.Wall(), index: indexFor(db), checkEvery: IndexCheckInterval}
}

// snapshot returns the published catalogue held in memory.
func (s *Store) snapshot(ctx context.Context) (*snapshot, error) {
	return s.index.snapshot(ctx, s.db, s.tick(), s.checkEvery)
}

// stamp returns the current time at the precision timestamps are stored with,
// so that a returned item equals the same item read back.
func (s *Store) stamp() time.Time { return s.Now.Now().UTC().Truncate(time.Microsecond) }

// PutDepartment inserts the department or updates the one with its code,
// for a province-wide administrator, with its audit record.
func (s *Store) PutDepartment(ctx context.Context, actor auth.User, d Department) error {
	if err := auth.RequireAdmin(actor); err != nil {
		return err
	}
	d.Normalize()
	if err := d.Validate(); err != nil {
		return err
	}
	now := s.stamp()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `
		INSERT INTO departments (code, name, name_en, credit_code, kind, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
			credit_code = excluded.credit_code, kind = excluded.kind`,
			d.Code, d.Name, d.NameEN, d.CreditCode, d.Kind, store.FormatTime(now)); err != nil {
			return apperr.Wrap(err, "catalog: save department")
		}
		return auth.Record(ctx, tx, now, actor, "department.put", "department:"+d.Code, nil)
	})
}

// Department returns one department, or NotFound.
func (s *Store) Department(ctx context.Context, code string) (Department, error) {
	var d Department
	err := s.db.QueryRowContext(ctx, `
		SELECT code, name, name_en, credit_code, kind FROM departments WHERE code = ?`, code).
		Scan(&d.Code, &d.Name, &d.NameEN, &d.CreditCode, &d.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return Department{}, apperr.NotFoundf("department_not_found", apperr.M("部门不存在", "no such department"))
	}
	return d, apperr.Wrap(err, "catalog: read department")
}

// Departments returns every department in code order.
func (s *Store) Departments(ctx context.Context) ([]Department, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT code, name, name_en, credit_code, kind FROM departments ORDER BY code`)
	if err != nil {
		return nil, apperr.Wrap(err, "catalog: list departments")
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		var d Department
		if err := rows.Scan(&d.Code, &d.Name, &d.NameEN, &d.CreditCode, &d.Kind); err != nil {
			return nil, apperr.Wrap(err, "catalog: list departments")
		}
		out = append(out, d)
	}
	return out, apperr.Wrap(rows.Err(), "catalog: list departments")
}

// DepartmentsByCode returns every department keyed by code.
func (s *Store) DepartmentsByCode(ctx context.Context) (map[string]Department, error) {
	list, err := s.Departments(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Department, len(list))
	for _, d := range list {
		out[d.Code] = d
	}
	return out, nil
}

// SaveDraft validates the item and stores it as a draft: version 1 of a new
// code, the version after the highest one of a known code, or, when the item
// already has an open draft, a replacement of that draft under the same
// version number. The department must exist. Only a province-wide
// administrator saves drafts; the audit record is written with the draft.
func (s *Store) SaveDraft(ctx context.Context, actor auth.User, it Item) (Item, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Item{}, err
	}
	return s.saveDraft(ctx, actor, it, "item.draft")
}

// saveDraft stores it (see SaveDraft) and audits it as action.
func (s *Store) saveDraft(ctx context.Context, actor auth.User, it Item, action string) (Item, error) {
	it = cloneItems([]Item{it})[0] // Normalize sorts in place; leave the caller's slices alone
	it.Normalize()
	if err := it.Validate(); err != nil {
		return Item{}, err
	}
	now := s.stamp()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM departments WHERE code = ?`, it.DepartmentCode).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			var f apperr.Fields
			f.Add("department", "unknown_department", apperr.M("部门不存在，请先添加部门", "no such department; add it first"))
			return f.Err()
		}
		if err != nil {
			return apperr.Wrap(err, "catalog: check department")
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO items (code, base_code, department_code, latest_version, created_at)
			VALUES (?, ?, ?, 0, ?) ON CONFLICT (code) DO NOTHING`,
			it.Code, it.BaseCode, it.DepartmentCode, store.FormatTime(now)); err != nil {
			return apperr.Wrap(err, "catalog: create item")
		}
		head, err := lockItem(ctx, tx, it.Code)
		if err != nil {
			return err
		}
		it.Status = StatusDraft
		it.PublishedAt = nil
		it.CreatedAt = now
		if head.draft != 0 {
			it.Version = head.draft
			var created string
			if err := tx.QueryRowContext(ctx, `
				SELECT created_at FROM item_versions WHERE item_code = ? AND version = ?`,
				it.Code, head.draft).Scan(&created); err != nil {
				return apperr.Wrap(err, "catalog: read draft")
			}
			it.CreatedAt = store.ParseTime(created)
			// A draft is replaced whole: nothing pins it yet.
			if _, err := tx.ExecContext(ctx, `
				DELETE FROM item_versions WHERE item_code = ? AND version = ? AND status = 'draft'`,
				it.Code, head.draft); err != nil {
				return apperr.Wrap(err, "catalog: replace draft")
			}
		} else {
			it.Version = head.latest + 1
		}
		row, err := s.versionRow(&it)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO item_versions (`+versionColumns+`) VALUES `+placeholders(1, len(row)), row...); err != nil {
			return apperr.Wrap(err, "catalog: save draft")
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE items SET base_code = ?, department_code = ?, draft_version = ?, latest_version = ?
			WHERE code = ?`,
			it.BaseCode, it.DepartmentCode, it.Version, max(head.latest, it.Version), it.Code)
		if err != nil {
			return apperr.Wrap(err, "catalog: update item")
		}
		return auth.Record(ctx, tx, now, actor, action, "item:"+it.Code, map[string]int{"version": it.Version})
	})
	if err != nil {
		return Item{}, err
	}
	return it, nil
}

// Publish makes a draft the item's published version; the version published
// before it becomes retired and stays readable for the cases that pinned it.
// Publishing anything but a draft is a Conflict. Only a province-wide
// administrator publishes; the audit record is written with the change.
func (s *Store) Publish(ctx context.Context, actor auth.User, code string, version int) (Item, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Item{}, err
	}
	var out Item
	// Even a failed commit may have reached the database: rebuild either way.
	defer s.index.invalidate()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := lockItem(ctx, tx, code); err != nil {
			return err
		}
		it, err := readVersion(ctx, tx, code, version)
		if err != nil {
			return err
		}
		if it.Status != StatusDraft {
			return apperr.New(apperr.Conflict, "item_version_not_draft",
				apperr.M("只有草稿可以发布，该版本"+statusZH(it.Status), "only a draft can be published; this version is "+it.Status)).
				With("status", it.Status)
		}
		now := s.stamp()
		if _, err := tx.ExecContext(ctx, `
			UPDATE item_versions SET status = 'retired' WHERE item_code = ? AND status = 'published'`, code); err != nil {
			return apperr.Wrap(err, "catalog: retire version")
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE item_versions SET status = 'published', published_at = ? WHERE item_code = ? AND version = ?`,
			store.FormatTime(now), code, version); err != nil {
			return apperr.Wrap(err, "catalog: publish version")
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE items SET published_version = ?, draft_version = NULL WHERE code = ?`, version, code); err != nil {
			return apperr.Wrap(err, "catalog: publish item")
		}
		if err := bumpGeneration(ctx, tx); err != nil {
			return err
		}
		it.Status = StatusPublished
		it.PublishedAt = &now
		out = it
		return auth.Record(ctx, tx, now, actor, "item.publish", "item:"+code, map[string]int{"version": version})
	})
	return out, err
}

func statusZH(status string) string {
	switch status {
	case StatusPublished:
		return "已发布"
	case StatusRetired:
		return "已停用"
	}
	return "状态为 " + status
}

// Published returns the item's current published version, or NotFound.
func (s *Store) Published(ctx context.Context, code string) (Item, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return Item{}, err
	}
	it, ok, err := snap.published(code)
	if err != nil {
		return Item{}, err
	}
	if !ok {
		return Item{}, apperr.NotFoundf("item_not_found", apperr.M("事项不存在或尚未发布", "no such item, or it is not published"))
	}
	return it, nil
}

// Version returns one version of an item in any status, or NotFound. The
// published and retired versions come from memory (a retired version never
// changes again), drafts from the database.
func (s *Store) Version(ctx context.Context, code string, version int) (Item, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return Item{}, err
	}
	if v := snap.publishedVersion(code); v != 0 && v == version {
		it, _, err := snap.published(code)
		return it, err
	}
	if it, ok := s.index.retiredVersion(code, version); ok {
		return it, nil
	}
	it, err := readVersion(ctx, s.db, code, version)
	if err == nil && it.Status == StatusRetired {
		s.index.keepRetired(it)
	}
	return it, err
}

// Versions returns every version of an item, newest first, or NotFound.
func (s *Store) Versions(ctx context.Context, code string) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+itemSelect+` FROM item_versions WHERE item_code = ? ORDER BY version DESC`, code)
	if err != nil {
		return nil, apperr.Wrap(err, "catalog: list versions")
	}
	items, err := scanItems(rows)
	if err == nil && len(items) == 0 {
		err = apperr.NotFoundf("item_not_found", apperr.M("事项不存在", "no such item"))
	}
	return items, err
}

// ItemsByCodes returns the published versions of the given codes, keyed by
// code; codes without a published version are absent.
func (s *Store) ItemsByCodes(ctx context.Context, codes []string) (map[string]Item, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Item, len(codes))
	for _, c := range codes {
		it, ok, err := snap.published(c)
		if err != nil {
			return nil, err
		}
		if ok {
			out[c] = it
		}
	}
	return out, nil
}

// Filter selects items for Search. Zero fields do not filter.
type Filter struct {
	Query       string // words that must all appear in the name, its pinyin or initials, English name or code
	Department  string
	Level       int    // 1..6: items that places of this level may handle
	LifeEvent   string // a life-event tag, exactly
	FullyOnline *bool  // 全程网办 or not
	Status      string // published (default), draft or retired
	Limit       int    // default DefaultLimit, at most MaxLimit
	Offset      int
}

// Page sizes of Search.
const (
	DefaultLimit  = 20
	MaxLimit      = 200
	maxQueryTerms = 8
)

// check reports every field of the filter that is out of range.
func (f Filter) check() error {
	var bad apperr.Fields
	status := f.status()
	if status != StatusPublished && status != StatusDraft && status != StatusRetired {
		bad.Add("status", "unknown_value", apperr.M("状态应为 published、draft 或 retired", "status must be published, draft or retired"))
	}
	if f.Level != 0 && (f.Level < LevelNational || f.Level > LevelVillage) {
		bad.Add("level", "out_of_range", apperr.M("层级应在 1 到 6 之间", "level must be between 1 and 6"))
	}
	if f.Offset < 0 {
		bad.Add("offset", "out_of_range", apperr.M("偏移量不能为负数", "offset may not be negative"))
	}
	terms := strings.Fields(strings.ToLower(f.Query))
	if len(terms) > maxQueryTerms {
		bad.Add("query", "too_many_terms", apperr.M(fmt.Sprintf("检索词不能超过 %d 个", maxQueryTerms),
			fmt.Sprintf("at most %d search words", maxQueryTerms)))
	}
	return bad.Err()
}

// status is the status searched, published unless the filter says otherwise.
func (f Filter) status() string {
	if f.Status == "" {
		return StatusPublished
	}
	return f.Status
}

// where turns the filter into SQL conditions and their arguments.
func (f Filter) where() (string, []any, error) {
	if err := f.check(); err != nil {
		return "", nil, err
	}
	terms := strings.Fields(strings.ToLower(f.Query))
	conds := []string{"status = ?"}
	args := []any{f.status()}
	if f.Department != "" {
		conds = append(conds, "department_code = ?")
		args = append(args, f.Department)
	}
	if f.Level != 0 {
		conds = append(conds, "levels LIKE ?")
		args = append(args, "%,"+strconv.Itoa(f.Level)+",%")
	}
	if f.LifeEvent != "" {
		conds = append(conds, `life_events LIKE ? ESCAPE '\'`)
		args = append(args, "%,"+escapeLike(f.LifeEvent)+",%")
	}
	if f.FullyOnline != nil {
		conds = append(conds, "fully_online = ?")
		args = append(args, store.BoolInt(*f.FullyOnline))
	}
	for _, t := range terms {
		conds = append(conds, `search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(t)+"%")
	}
	return strings.Join(conds, " AND "), args, nil
}

// escapeLike makes the user's text match itself only: % and _ are LIKE
// wildcards, \ is the escape character declared with ESCAPE.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CatalogCounts are the catalogue's numbers for dashboards.
type CatalogCounts struct {
	Published    int               `json:"published"`    // items with a published version
	FullyOnline  int               `json:"fully_online"` // of which 全程网办
	Drafts       int               `json:"drafts"`       // open drafts
	ByLevel      map[int]int       `json:"by_level"`     // published items each level may handle
	ByDepartment []DepartmentCount `json:"by_department"`
}

// DepartmentCount is one department's share of the published catalogue.
type DepartmentCount struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Published   int    `json:"published"`
	FullyOnline int    `json:"fully_online"`
}

// Counts returns the catalogue's numbers; every department is listed, also
// those without published items.
func (s *Store) Counts(ctx context.Context) (CatalogCounts, error) {
	c := CatalogCounts{ByLevel: map[int]int{}}
	var byLevel [6]int
	err := s.db.QueryRowContext(ctx, `
		SELECT COUNT(*),
			COALESCE(SUM(fully_online), 0),
			COALESCE(SUM(CASE WHEN levels LIKE '%,1,%' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN levels LIKE '%,2,%' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN levels LIKE '%,3,%' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN levels LIKE '%,4,%' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN levels LIKE '%,5,%' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN levels LIKE '%,6,%' THEN 1 ELSE 0 END), 0)
		FROM item_versions WHERE status = 'published'`).
		Scan(&c.Published, &c.FullyOnline, &byLevel[0], &byLevel[1], &byLevel[2], &byLevel[3], &byLevel[4], &byLevel[5])
	if err != nil {
		return c, apperr.Wrap(err, "catalog: count items")
	}
	for i, n := range byLevel {
		c.ByLevel[i+1] = n
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM item_versions WHERE status = 'draft'`).Scan(&c.Drafts); err != nil {
		return c, apperr.Wrap(err, "catalog: count drafts")
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT d.code, d.name, COUNT(v.item_code), COALESCE(SUM(v.fully_online), 0)
		FROM departments d
		LEFT JOIN item_versions v ON v.department_code = d.code AND v.status = 'published'
		GROUP BY d.code, d.name
		ORDER BY d.code`)
	if err != nil {
		return c, apperr.Wrap(err, "catalog: count by department")
	}
	defer rows.Close()
	for rows.Next() {
		var dc DepartmentCount
		if err := rows.Scan(&dc.Code, &dc.Name, &dc.Published, &dc.FullyOnline); err != nil {
			return c, apperr.Wrap(err, "catalog: count by department")
		}
		c.ByDepartment = append(c.ByDepartment, dc)
	}
	return c, apperr.Wrap(rows.Err(), "catalog: count by department")
}

// Reindex rebuilds the search text of every stored version, after
// SearchTerms has changed. It returns how many versions it rewrote.
func (s *Store) Reindex(ctx context.Context) (int, error) {
	n := 0
	defer s.index.invalidate()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+itemSelect+` FROM item_versions ORDER BY item_code, version`)
		if err != nil {
			return apperr.Wrap(err, "catalog: reindex")
		}
		items, err := scanItems(rows)
		if err != nil {
			return err
		}
		for i := range items {
			if _, err := tx.ExecContext(ctx, `
				UPDATE item_versions SET search_text = ? WHERE item_code = ? AND version = ?`,
				s.searchText(&items[i]), items[i].Code, items[i].Version); err != nil {
				return apperr.Wrap(err, "catalog: reindex")
			}
		}
		n = len(items)
		return bumpGeneration(ctx, tx)
	})
	return n, err
}

// itemHead is an item's row in items: its current version numbers (0 = none).
type itemHead struct {
	published, draft, latest int
}

// lockItem reads the item's head and, on PostgreSQL, locks its row until the
// transaction ends, so that concurrent writers of one item take turns.
// (SQLite write transactions are exclusive already.)
func lockItem(ctx context.Context, q store.Querier, code string) (itemHead, error) {
	var h itemHead
	var pub, draft sql.NullInt64
	err := q.QueryRowContext(ctx, `
		SELECT published_version, draft_version, latest_version FROM items WHERE code = ?`+forUpdate(q), code).
		Scan(&pub, &draft, &h.latest)
	if errors.Is(err, sql.ErrNoRows) {
		return h, apperr.NotFoundf("item_not_found", apperr.M("事项不存在", "no such item"))
	}
	if err != nil {
		return h, apperr.Wrap(err, "catalog: lock item")
	}
	h.published, h.draft = int(pub.Int64), int(draft.Int64)
	return h, nil
}

func forUpdate(q store.Querier) string {
	if q.Dialect() == store.Postgres {
		return " FOR UPDATE"
	}
	return ""
}

func readVersion(ctx context.Context, q store.Querier, code string, version int) (Item, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT `+itemSelect+` FROM item_versions WHERE item_code = ? AND version = ?`, code, version)
	if err != nil {
		return Item{}, apperr.Wrap(err, "catalog: read version")
	}
	items, err := scanItems(rows)
	if err != nil {
		return Item{}, err
	}
	if len(items) == 0 {
		return Item{}, apperr.NotFoundf("item_version_not_found", apperr.M("事项版本不存在", "no such item version"))
	}
	return items[0], nil
}

// versionColumns are the columns of item_versions in the order versionRow
// returns their values.
const versionColumns = `item_code, version, status, name, name_en, type, department_code, levels, life_events,
	legal_limit_days, promised_limit_days, visits, fully_online, serves_persons, serves_enterprises,
	search_text, body, created_at, published_at`

const versionColumnCount = 19

// itemSelect is what scanItems reads.
const itemSelect = `item_code, version, status, body, created_at, published_at`

// versionRow returns the values of an item_versions row for it.
func (s *Store) versionRow(it *Item) ([]any, error) {
	body, err := contentJSON(it)
	if err != nil {
		return nil, err
	}
	return s.versionRowWithBody(it, body), nil
}

func (s *Store) versionRowWithBody(it *Item, body string) []any {
	var published any
	if it.PublishedAt != nil {
		published = store.FormatTime(*it.PublishedAt)
	}
	return []any{it.Code, it.Version, it.Status, it.Name, it.NameEN, it.Type, it.DepartmentCode,
		listColumn(intStrings(it.Levels)), listColumn(it.LifeEvents),
		it.LegalLimitDays, it.PromisedLimitDays, it.Visits, store.BoolInt(it.FullyOnline()),
		store.BoolInt(it.ServesPersons), store.BoolInt(it.ServesEnterprises),
		s.searchText(it), body, store.FormatTime(it.CreatedAt), published}
}

// itemContent is an item without what its version row carries (version,
// status, timestamps): the body column and the exported files hold this. The
// outer fields hide the embedded ones and, left nil, are omitted.
type itemContent struct {
	Item
	Version     *int       `json:"version,omitempty"`
	Status      *string    `json:"status,omitempty"`
	CreatedAt   *time.Time `json:"created_at,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
}

func contentJSON(it *Item) (string, error) {
	b, err := json.Marshal(itemContent{Item: *it})
	if err != nil {
		return "", apperr.Wrap(err, "catalog: encode item")
	}
	return string(b), nil
}

// searchText is the lower-case text free-text search looks in. Terms are
// separated by spaces; a query word never contains one, so it cannot match
// across two terms.
func (s *Store) searchText(it *Item) string {
	parts := []string{it.Name, it.NameEN, it.Code, it.BaseCode}
	parts = append(parts, aliasTerms(it)...)
	if s.SearchTerms != nil {
		parts = append(parts, s.SearchTerms(it)...)
	}
	return strings.ToLower(strings.Join(parts, " "))
}

// scanItems reads rows of itemSelect; columns selected after those are
// scanned into extra.
func scanItems(rows *sql.Rows, extra ...any) ([]Item, error) {
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows, extra...)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, apperr.Wrap(rows.Err(), "catalog: read items")
}

// scanItem reads one row of itemSelect; columns selected after those are
// scanned into extra.
func scanItem(rows *sql.Rows, extra ...any) (Item, error) {
	var code, status, body, created string
	var version int
	var published sql.NullString
	if err := rows.Scan(append([]any{&code, &version, &status, &body, &created, &published}, extra...)...); err != nil {
		return Item{}, apperr.Wrap(err, "catalog: read item")
	}
	return decodeItem(code, version, status, body, created, published)
}

// decodeItem makes an item of the columns of itemSelect.
func decodeItem(code string, version int, status, body, created string, published sql.NullString) (Item, error) {
	var it Item
	if err := json.Unmarshal([]byte(body), &it); err != nil {
		return Item{}, apperr.Wrap(fmt.Errorf("item %s version %d: %w", code, version, err), "catalog: decode item")
	}
	it.Code, it.Version, it.Status = code, version, status
	it.CreatedAt = store.ParseTime(created)
	if published.Valid {
		t := store.ParseTime(published.String)
		it.PublishedAt = &t
	}
	return it, nil
}

// listColumn writes a list as ",a,b," so that LIKE '%,a,%' finds one value.
func listColumn(values []string) string {
	if len(values) == 0 {
		return ","
	}
	return "," + strings.Join(values, ",") + ","
}

func intStrings(values []int) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strconv.Itoa(v)
	}
	return out
}

// questionMarks returns "?, ?, …" with n marks.
func questionMarks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// placeholders returns rows groups "(?, …), (?, …)" of cols marks each.
func placeholders(rows, cols int) string {
	group := "(" + questionMarks(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(group+", ", rows), ", ")
}
