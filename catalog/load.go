package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// ImportReport says what an import or a bulk load changed.
type ImportReport struct {
	Departments    int `json:"departments"`     // departments inserted or updated
	ItemsCreated   int `json:"items_created"`   // item codes new to the catalogue
	ItemsUpdated   int `json:"items_updated"`   // known items given a new version, or their open draft replaced
	ItemsUnchanged int `json:"items_unchanged"` // identical to the item's current version: nothing written
	Published      int `json:"published"`       // versions this import published
}

// maxBatchParams bounds the arguments of one multi-row INSERT, well under
// SQLite's and PostgreSQL's limits (32,766 and 65,535).
const maxBatchParams = 4000

// Load stores departments and items in one transaction: departments are
// inserted or updated; each item becomes a new version (or replaces its open
// draft) exactly as SaveDraft would, and is published when publish is true.
// An item identical to its current version is left alone. Every record is
// validated first and every problem reported ("items[3].name"); on any error
// nothing is written. Rows go in as multi-row INSERTs, so that the demo's
// catalogue of some 1,700 items loads in well under a second. Only a
// province-wide administrator (or auth.System) loads; the audit record, with
// what was done, is written in the load's transaction.
func (s *Store) Load(ctx context.Context, actor auth.User, depts []Department, items []Item, publish bool) error {
	_, err := s.loadAs(ctx, actor, "catalog.load", depts, items, publish, nil)
	return err
}

// loadAs is load by an administrator, audited as action with the report.
func (s *Store) loadAs(ctx context.Context, actor auth.User, action string, depts []Department, items []Item, publish bool,
	o *origins) (ImportReport, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return ImportReport{}, err
	}
	return s.load(ctx, depts, items, publish, o, func(tx *store.Tx, rep ImportReport) error {
		return auth.Record(ctx, tx, s.stamp(), actor, action, "catalog", struct {
			ImportReport
			Publish bool `json:"publish"`
		}{rep, publish})
	})
}

// load stores the records; last, when set, runs as the transaction's last
// write with what was done (an audit record goes there).
func (s *Store) load(ctx context.Context, depts []Department, items []Item, publish bool, o *origins,
	last func(tx *store.Tx, rep ImportReport) error) (ImportReport, error) {
	depts = slices.Clone(depts)
	items = cloneItems(items)
	if err := validateAll(depts, items, o); err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	if publish {
		defer s.index.invalidate()
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rep = ImportReport{Departments: len(depts)}
		now := s.stamp()
		created := store.FormatTime(now)
		deptRows := make([][]any, len(depts))
		for i, d := range depts {
			deptRows[i] = []any{d.Code, d.Name, d.NameEN, d.CreditCode, d.Kind, created}
		}
		if err := insertBatches(ctx, tx, `INSERT INTO departments (code, name, name_en, credit_code, kind, created_at) VALUES `,
			6, deptRows, ` ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
				credit_code = excluded.credit_code, kind = excluded.kind`); err != nil {
			return apperr.Wrap(err, "catalog: load departments")
		}
		if err := checkDepartments(ctx, tx, items, o); err != nil {
			return err
		}
		current, err := currentVersions(ctx, tx, items)
		if err != nil {
			return err
		}

		var newItems, versions [][]any
		var replaceDrafts, retire []string
		type headUpdate struct {
			it                       *Item
			published, draft, latest int
		}
		var heads []headUpdate
		for i := range items {
			it := &items[i]
			body, err := contentJSON(it)
			if err != nil {
				return err
			}
			cur, exists := current[it.Code]
			switch {
			case !exists:
				it.Version, it.CreatedAt = 1, now
				rep.ItemsCreated++
			case cur.head.draft != 0:
				if cur.body == body && !publish {
					rep.ItemsUnchanged++
					continue
				}
				it.Version, it.CreatedAt = cur.head.draft, cur.created
				replaceDrafts = append(replaceDrafts, it.Code)
				rep.ItemsUpdated++
			default:
				if cur.body == body {
					rep.ItemsUnchanged++
					continue
				}
				it.Version, it.CreatedAt = cur.head.latest+1, now
				rep.ItemsUpdated++
			}
			h := cur.head
			h.latest = max(h.latest, it.Version)
			if publish {
				it.Status, it.PublishedAt = StatusPublished, &now
				if h.published != 0 {
					retire = append(retire, it.Code)
				}
				h.published, h.draft = it.Version, 0
				rep.Published++
			} else {
				it.Status, it.PublishedAt = StatusDraft, nil
				h.draft = it.Version
			}
			versions = append(versions, s.versionRowWithBody(it, body))
			if exists {
				heads = append(heads, headUpdate{it, h.published, h.draft, h.latest})
			} else {
				newItems = append(newItems, []any{it.Code, it.BaseCode, it.DepartmentCode,
					nullVersion(h.published), nullVersion(h.draft), h.latest, created})
			}
		}

		if err := insertBatches(ctx, tx, `INSERT INTO items (code, base_code, department_code, published_version,
			draft_version, latest_version, created_at) VALUES `, 7, newItems, ""); err != nil {
			return apperr.Wrap(err, "catalog: load items")
		}
		for batch := range slices.Chunk(replaceDrafts, 500) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM item_versions WHERE status = 'draft' AND item_code IN (`+
				questionMarks(len(batch))+`)`, anys(batch)...); err != nil {
				return apperr.Wrap(err, "catalog: replace drafts")
			}
		}
		for batch := range slices.Chunk(retire, 500) {
			if _, err := tx.ExecContext(ctx, `UPDATE item_versions SET status = 'retired' WHERE status = 'published' AND item_code IN (`+
				questionMarks(len(batch))+`)`, anys(batch)...); err != nil {
				return apperr.Wrap(err, "catalog: retire versions")
			}
		}
		if err := insertBatches(ctx, tx, `INSERT INTO item_versions (`+versionColumns+`) VALUES `,
			versionColumnCount, versions, ""); err != nil {
			return apperr.Wrap(err, "catalog: load versions")
		}
		for _, h := range heads {
			if _, err := tx.ExecContext(ctx, `
				UPDATE items SET base_code = ?, department_code = ?, published_version = ?, draft_version = ?, latest_version = ?
				WHERE code = ?`,
				h.it.BaseCode, h.it.DepartmentCode, nullVersion(h.published), nullVersion(h.draft), h.latest, h.it.Code); err != nil {
				return apperr.Wrap(err, "catalog: update items")
			}
		}
		if rep.Published > 0 {
			if err := bumpGeneration(ctx, tx); err != nil {
				return err
			}
		}
		if last != nil {
			return last(tx, rep)
		}
		return nil
	})
	if store.IsUniqueViolation(err) {
		// Another load created one of these items between our read and write.
		return ImportReport{}, apperr.New(apperr.Conflict, "catalog_changed", apperr.M(
			"事项目录正被同时修改，请重试", "the catalogue was changed at the same time; please try again"))
	}
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// validateAll normalizes and validates every record, checks that no code
// appears twice, and reports every problem under the record's origin.
func validateAll(depts []Department, items []Item, o *origins) error {
	var bad apperr.Fields
	deptSeen := map[string]bool{}
	for i := range depts {
		d := &depts[i]
		d.Normalize()
		addFields(&bad, d.Validate(), func(f string) string { return o.departmentField(i, f) })
		if d.Code != "" && deptSeen[d.Code] {
			bad.Add(o.departmentField(i, "code"), "duplicate", apperr.M("部门编码重复", "this department code appears twice"))
		}
		deptSeen[d.Code] = true
	}
	itemSeen := map[string]bool{}
	for i := range items {
		it := &items[i]
		it.Normalize()
		addFields(&bad, it.Validate(), func(f string) string { return o.itemField(i, f) })
		if it.Code != "" && itemSeen[it.Code] {
			bad.Add(o.itemField(i, "code"), "duplicate", apperr.M("事项编码重复", "this item code appears twice"))
		}
		itemSeen[it.Code] = true
	}
	sortFields(bad)
	return bad.Err()
}

// addFields copies the field errors of err into bad, renaming each field.
func addFields(bad *apperr.Fields, err error, rename func(string) string) {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		if err != nil {
			bad.Add(rename(""), "invalid", apperr.M("内容有误", "not valid"))
		}
		return
	}
	for _, fe := range ae.Fields {
		fe.Field = rename(fe.Field)
		*bad = append(*bad, fe)
	}
}

// checkDepartments reports every item whose department is not in the
// database (the departments being loaded are in it already).
func checkDepartments(ctx context.Context, tx *store.Tx, items []Item, o *origins) error {
	var codes []string
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.DepartmentCode] {
			seen[it.DepartmentCode] = true
			codes = append(codes, it.DepartmentCode)
		}
	}
	known := map[string]bool{}
	for batch := range slices.Chunk(codes, 500) {
		rows, err := tx.QueryContext(ctx, `SELECT code FROM departments WHERE code IN (`+questionMarks(len(batch))+`)`, anys(batch)...)
		if err != nil {
			return apperr.Wrap(err, "catalog: check departments")
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return apperr.Wrap(err, "catalog: check departments")
			}
			known[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return apperr.Wrap(err, "catalog: check departments")
		}
	}
	var bad apperr.Fields
	for i, it := range items {
		if !known[it.DepartmentCode] {
			bad.Add(o.itemField(i, "department"), "unknown_department", apperr.M(
				fmt.Sprintf("部门 %s 不存在：请在部门文件中提供或先行添加", it.DepartmentCode),
				fmt.Sprintf("department %s does not exist: include it in the departments file or add it first", it.DepartmentCode)))
		}
	}
	sortFields(bad)
	return bad.Err()
}

// currentVersion is what a load compares an incoming item with: the item's
// open draft if it has one, its published version otherwise.
type currentVersion struct {
	head    itemHead
	body    string
	created time.Time
}

// currentVersions locks the items being loaded that exist already and reads
// their current versions.
func currentVersions(ctx context.Context, tx *store.Tx, items []Item) (map[string]currentVersion, error) {
	codes := make([]string, len(items))
	for i, it := range items {
		codes[i] = it.Code
	}
	out := map[string]currentVersion{}
	for batch := range slices.Chunk(codes, 500) {
		rows, err := tx.QueryContext(ctx, `
			SELECT code, published_version, draft_version, latest_version FROM items
			WHERE code IN (`+questionMarks(len(batch))+`)`+forUpdate(tx), anys(batch)...)
		if err != nil {
			return nil, apperr.Wrap(err, "catalog: lock items")
		}
		for rows.Next() {
			var code string
			var pub, draft sql.NullInt64
			var cv currentVersion
			if err := rows.Scan(&code, &pub, &draft, &cv.head.latest); err != nil {
				rows.Close()
				return nil, apperr.Wrap(err, "catalog: lock items")
			}
			cv.head.published, cv.head.draft = int(pub.Int64), int(draft.Int64)
			out[code] = cv
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, apperr.Wrap(err, "catalog: lock items")
		}
		rows, err = tx.QueryContext(ctx, `
			SELECT v.item_code, v.body, v.created_at FROM item_versions v
			JOIN items i ON i.code = v.item_code AND v.version = COALESCE(i.draft_version, i.published_version)
			WHERE i.code IN (`+questionMarks(len(batch))+`)`, anys(batch)...)
		if err != nil {
			return nil, apperr.Wrap(err, "catalog: read current versions")
		}
		for rows.Next() {
			var code, body, created string
			if err := rows.Scan(&code, &body, &created); err != nil {
				rows.Close()
				return nil, apperr.Wrap(err, "catalog: read current versions")
			}
			cv := out[code]
			cv.body, cv.created = body, store.ParseTime(created)
			out[code] = cv
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, apperr.Wrap(err, "catalog: read current versions")
		}
	}
	return out, nil
}

// insertBatches runs prefix + "(?, …), (?, …)" + suffix over rows, as many
// rows per statement as maxBatchParams allows.
func insertBatches(ctx context.Context, tx *store.Tx, prefix string, cols int, rows [][]any, suffix string) error {
	for batch := range slices.Chunk(rows, max(1, maxBatchParams/cols)) {
		args := make([]any, 0, len(batch)*cols)
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, prefix+placeholders(len(batch), cols)+suffix, args...); err != nil {
			return err
		}
	}
	return nil
}

func nullVersion(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// cloneItems copies items deeply enough that normalizing the copy leaves the
// caller's slices alone.
func cloneItems(items []Item) []Item {
	out := slices.Clone(items)
	for i := range out {
		it := &out[i]
		it.Levels = slices.Clone(it.Levels)
		it.OnlineDepth = slices.Clone(it.OnlineDepth)
		it.Fees = slices.Clone(it.Fees)
		it.LifeEvents = slices.Clone(it.LifeEvents)
		it.Materials = slices.Clone(it.Materials)
	}
	return out
}

// origins remember where each record of a parsed table (a CSV file or a
// worksheet) came from, so that problems found later (by an import) still
// name the place. A nil *origins names records by their JSON path instead
// ("items[3].name").
type origins struct {
	items, materials, departments *table // materials and departments may be nil
	departmentLines               []int
	itemLines                     []int
	materialLines                 [][]int // per item, the line of each material in the materials table
}

func (o *origins) departmentField(i int, field string) string {
	if o != nil && i < len(o.departmentLines) {
		return o.departments.at(o.departmentLines[i], columnOf(field))
	}
	return fmt.Sprintf("departments[%d].%s", i, field)
}

func (o *origins) itemField(i int, field string) string {
	if o == nil || i >= len(o.itemLines) {
		return fmt.Sprintf("items[%d].%s", i, field)
	}
	var k int
	var rest string
	if n, _ := fmt.Sscanf(field, "materials[%d]", &k); n == 1 && k >= 0 && k < len(o.materialLines[i]) {
		if j := strings.Index(field, "]."); j >= 0 {
			rest = field[j+2:]
		}
		return o.materials.at(o.materialLines[i][k], rest)
	}
	return o.items.at(o.itemLines[i], columnOf(field))
}

// columnOf maps a JSON field path to its CSV column: "fees[1].amount_fen" is
// in the column "fees".
func columnOf(field string) string {
	if i := strings.IndexAny(field, "[."); i >= 0 {
		return field[:i]
	}
	return field
}
