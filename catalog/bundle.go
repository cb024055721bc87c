package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// A bundle (一件事) is several items applied for once: one form, one set of
// materials, one application, one result. Its members are pinned item
// versions; a member may wait for others to be approved first.
type Bundle struct {
	Code              string         `json:"code"`
	Version           int            `json:"version"`
	Status            string         `json:"status"`
	Name              string         `json:"name"` // 新生儿出生一件事
	NameEN            string         `json:"name_en,omitempty"`
	LeadDepartment    string         `json:"lead_department"` // 牵头部门: owns the bundle's time limit
	PromisedLimitDays int            `json:"promised_limit_days"`
	OnRefusal         string         `json:"on_refusal"`    // stop: a refusal stops the other members; continue: the rest go on
	PartialIssue      bool           `json:"partial_issue"` // results may be issued before every member is done
	Members           []BundleMember `json:"members"`
	LifeEvents        []string       `json:"life_events,omitempty"`
	CreatedAt         time.Time      `json:"created_at"`
	PublishedAt       *time.Time     `json:"published_at,omitempty"`
}

// BundleMember is one item of a bundle.
type BundleMember struct {
	Item      string   `json:"item"`                 // item code
	Version   int      `json:"version"`              // pinned; 0 when saving means "the published version now"
	DependsOn []string `json:"depends_on,omitempty"` // item codes that must be approved first
}

// Refusal policies.
const (
	OnRefusalStop     = "stop"
	OnRefusalContinue = "continue"
)

// Validate checks a bundle's own fields and that its dependencies form a
// DAG; whether the member items exist is checked by the store.
func (b *Bundle) Validate() error {
	var f apperr.Fields
	checkCode(&f, "code", codeBundle, b.Code)
	checkName(&f, "name", b.Name, true)
	checkName(&f, "name_en", b.NameEN, false)
	checkCode(&f, "lead_department", codeLeadDepartment, b.LeadDepartment)
	if b.PromisedLimitDays < 0 || b.PromisedLimitDays > 365 {
		f.Add("promised_limit_days", "out_of_range", apperr.M("承诺时限应在 0 到 365 个工作日之间", "promised_limit_days must be between 0 and 365"))
	}
	if b.OnRefusal != OnRefusalStop && b.OnRefusal != OnRefusalContinue {
		f.Add("on_refusal", "unknown_value", apperr.M("须为 stop（一项不予办理则全部终止）或 continue（其余继续办理）", "on_refusal must be stop or continue"))
	}
	if len(b.Members) < 2 || len(b.Members) > 30 {
		f.Add("members", "out_of_range", apperr.M("一件事须包含2到30个事项", "a bundle has 2 to 30 member items"))
	}
	codes := map[string]bool{}
	for i, m := range b.Members {
		at := fmt.Sprintf("members[%d]", i)
		if m.Item == "" {
			f.Add(at+".item", "required", apperr.M("请选择事项", "item is required"))
		} else if codes[m.Item] {
			f.Add(at+".item", "duplicate", apperr.M("事项重复", "the item is listed twice"))
		}
		codes[m.Item] = true
		if m.Version < 0 {
			f.Add(at+".version", "out_of_range", apperr.M("版本号无效", "invalid version"))
		}
	}
	for i, m := range b.Members {
		for j, d := range m.DependsOn {
			at := fmt.Sprintf("members[%d].depends_on[%d]", i, j)
			switch {
			case d == m.Item:
				f.Add(at, "self_dependency", apperr.M("事项不能依赖自身", "an item cannot depend on itself"))
			case !codes[d]:
				f.Add(at, "unknown_member", apperr.M("依赖的事项 "+d+" 不在本一件事中", "depends on "+d+", which is not a member"))
			}
		}
	}
	if len(f) == 0 {
		if cycle := Cycle(b.Members); cycle != nil {
			f.Add("members", "cycle", apperr.M("事项之间的先后关系形成了循环："+strings.Join(cycle, " → "),
				"the dependencies form a cycle: "+strings.Join(cycle, " → ")))
		}
	}
	return f.Err()
}

// Cycle returns one dependency cycle among members, as item codes with the
// first repeated at the end, or nil when they form a DAG.
func Cycle(members []BundleMember) []string {
	deps := map[string][]string{}
	for _, m := range members {
		deps[m.Item] = m.DependsOn
	}
	const (
		unseen = iota
		onPath
		done
	)
	mark := map[string]int{}
	var path []string
	var visit func(string) []string
	visit = func(n string) []string {
		mark[n] = onPath
		path = append(path, n)
		for _, d := range deps[n] {
			switch mark[d] {
			case onPath:
				i := slices.Index(path, d)
				return append(slices.Clone(path[i:]), d)
			case unseen:
				if c := visit(d); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		mark[n] = done
		return nil
	}
	for _, m := range members {
		if mark[m.Item] == unseen {
			if c := visit(m.Item); c != nil {
				return c
			}
		}
	}
	return nil
}

// Ready returns the members whose dependencies are all in approved and that
// are not in started, in the bundle's order.
func Ready(members []BundleMember, approved, started []string) []BundleMember {
	var out []BundleMember
	for _, m := range members {
		if slices.Contains(started, m.Item) {
			continue
		}
		ok := true
		for _, d := range m.DependsOn {
			if !slices.Contains(approved, d) {
				ok = false
			}
		}
		if ok {
			out = append(out, m)
		}
	}
	return out
}

// MergedMaterial is one material of a bundle's single set: one 居民身份证
// serves every member that asks for it.
type MergedMaterial struct {
	Material
	Items []string `json:"items"` // the member items that ask for it
	// ProvidedBy names the members whose result, an electronic licence
	// passed on inside the bundle, provides this material to every member
	// that asks for it: the application does not ask for it.
	ProvidedBy []string `json:"provided_by,omitempty"`
}

var requirementRank = map[string]int{Required: 3, Waivable: 2, Optional: 1}

// MergeMaterials merges the members' materials by material type, keeping
// the strictest requirement and the largest counts.
func MergeMaterials(items []Item) []MergedMaterial {
	var out []MergedMaterial
	index := map[string]int{}
	for _, it := range items {
		for _, m := range it.Materials {
			i, ok := index[m.Type]
			if !ok {
				index[m.Type] = len(out)
				out = append(out, MergedMaterial{Material: m, Items: []string{it.Code}})
				continue
			}
			mm := &out[i]
			if requirementRank[m.Requirement] > requirementRank[mm.Requirement] {
				mm.Requirement = m.Requirement
			}
			mm.Originals, mm.Copies = max(mm.Originals, m.Originals), max(mm.Copies, m.Copies)
			if !slices.Contains(mm.Items, it.Code) {
				mm.Items = append(mm.Items, it.Code)
			}
		}
	}
	return out
}

// MergedField is one question of a bundle's single form.
type MergedField struct {
	FormField
	Items []string `json:"items"`
}

// MergeFields merges the members' form fields by key: a question asked by
// several members is asked once, required if any member requires it.
func MergeFields(items []Item) []MergedField {
	var out []MergedField
	index := map[string]int{}
	for _, it := range items {
		for _, ff := range it.Fields {
			i, ok := index[ff.Key]
			if !ok {
				index[ff.Key] = len(out)
				out = append(out, MergedField{FormField: ff, Items: []string{it.Code}})
				continue
			}
			out[i].Required = out[i].Required || ff.Required
			out[i].Items = append(out[i].Items, it.Code)
		}
	}
	return out
}

// SaveBundleDraft validates b, pins each member to the item's published
// version (when none is given) and stores it as the bundle's draft.
func (s *Store) SaveBundleDraft(ctx context.Context, actor auth.User, b Bundle) (Bundle, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Bundle{}, err
	}
	if err := b.Validate(); err != nil {
		return Bundle{}, err
	}
	var f apperr.Fields
	if _, err := s.Department(ctx, b.LeadDepartment); err != nil {
		if apperr.CodeOf(err) != apperr.NotFound {
			return Bundle{}, err
		}
		f.Add("lead_department", "not_found", apperr.M("牵头部门不存在", "no such department"))
	}
	for i := range b.Members {
		m := &b.Members[i]
		at := fmt.Sprintf("members[%d]", i)
		var it Item
		var err error
		if m.Version == 0 {
			it, err = s.Published(ctx, m.Item)
		} else {
			it, err = s.Version(ctx, m.Item, m.Version)
		}
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			f.Add(at+".item", "not_found", apperr.M("事项 "+m.Item+" 不存在或未发布", "item "+m.Item+" does not exist or is not published"))
		case err != nil:
			return Bundle{}, err
		case it.Status == StatusDraft:
			f.Add(at+".version", "unpublished", apperr.M("只能引用已发布的事项版本", "only published item versions can be members"))
		default:
			m.Version = it.Version
		}
	}
	if err := f.Err(); err != nil {
		return Bundle{}, err
	}
	now := s.stamp()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := saveBundle(ctx, tx, &b, now); err != nil {
			return err
		}
		return auth.Record(ctx, tx, now, actor, "bundle.draft", "bundle:"+b.Code, map[string]int{"version": b.Version})
	})
	if err != nil {
		return Bundle{}, err
	}
	return b, nil
}

// saveBundle writes b as the bundle's draft: over the open draft, or as the
// version after the last.
func saveBundle(ctx context.Context, tx *store.Tx, b *Bundle, now time.Time) error {
	var draft sql.NullInt64
	var latest sql.NullInt64
	q := `SELECT MAX(CASE WHEN status = 'draft' THEN version END), MAX(version) FROM catalog_bundles WHERE code = ?`
	if err := tx.QueryRowContext(ctx, q, b.Code).Scan(&draft, &latest); err != nil {
		return apperr.Wrap(err, "catalog: bundle versions")
	}
	b.Status, b.CreatedAt, b.PublishedAt = StatusDraft, now, nil
	body, _ := json.Marshal(b)
	if draft.Valid {
		b.Version = int(draft.Int64)
		body, _ = json.Marshal(b)
		_, err := tx.ExecContext(ctx, `UPDATE catalog_bundles SET name = ?, lead_department = ?, body = ?, created_at = ? WHERE code = ? AND version = ?`,
			b.Name, b.LeadDepartment, string(body), store.FormatTime(now), b.Code, b.Version)
		return apperr.Wrap(err, "catalog: save bundle")
	}
	b.Version = int(latest.Int64) + 1
	body, _ = json.Marshal(b)
	_, err := tx.ExecContext(ctx, `INSERT INTO catalog_bundles (code, version, status, name, lead_department, body, created_at, published_at)
			VALUES (?, ?, 'draft', ?, ?, ?, ?, ?)`, b.Code, b.Version, b.Name, b.LeadDepartment, string(body), store.FormatTime(now), store.Stamp(""))
	if store.IsUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "bundle_version_conflict", apperr.M("该一件事正被他人同时修改，请重试", "someone else saved this bundle at the same moment; try again"))
	}
	return apperr.Wrap(err, "catalog: save bundle")
}

// PublishBundle publishes a draft; the previous published version is retired.
// Only a province-wide administrator publishes; the change is audited with it.
func (s *Store) PublishBundle(ctx context.Context, actor auth.User, code string, version int) (Bundle, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Bundle{}, err
	}
	now := s.stamp()
	var out Bundle
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		b, err := readBundle(ctx, tx, code, version)
		if err != nil {
			return err
		}
		if b.Status != StatusDraft {
			return apperr.New(apperr.Conflict, "not_a_draft", apperr.M("只有草稿可以发布", "only a draft can be published")).With("status", b.Status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_bundles SET status = 'retired' WHERE code = ? AND status = 'published'`, code); err != nil {
			return apperr.Wrap(err, "catalog: retire bundle")
		}
		b.Status, b.PublishedAt = StatusPublished, &now
		body, _ := json.Marshal(b)
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_bundles SET status = 'published', body = ?, published_at = ? WHERE code = ? AND version = ?`,
			string(body), store.FormatTime(now), code, version); err != nil {
			return apperr.Wrap(err, "catalog: publish bundle")
		}
		out = b
		return auth.Record(ctx, tx, now, actor, "bundle.publish", "bundle:"+code, map[string]int{"version": version})
	})
	return out, err
}

func readBundle(ctx context.Context, q store.Querier, code string, version int) (Bundle, error) {
	var body string
	err := q.QueryRowContext(ctx, `SELECT body FROM catalog_bundles WHERE code = ? AND version = ?`, code, version).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return Bundle{}, apperr.NotFoundf("bundle_not_found", apperr.M("一件事不存在", "no such bundle"))
	}
	if err != nil {
		return Bundle{}, apperr.Wrap(err, "catalog: read bundle")
	}
	var b Bundle
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return Bundle{}, apperr.Wrap(err, "catalog: decode bundle")
	}
	return b, nil
}

// BundleVersion returns one version of a bundle.
func (s *Store) BundleVersion(ctx context.Context, code string, version int) (Bundle, error) {
	return readBundle(ctx, s.db, code, version)
}

// PublishedBundle returns the published version of a bundle.
func (s *Store) PublishedBundle(ctx context.Context, code string) (Bundle, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM catalog_bundles WHERE code = ? AND status = 'published'`, code).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return Bundle{}, apperr.NotFoundf("bundle_not_found", apperr.M("一件事不存在或未发布", "no published bundle with this code"))
	}
	if err != nil {
		return Bundle{}, apperr.Wrap(err, "catalog: published bundle")
	}
	return readBundle(ctx, s.db, code, v)
}

// Bundles lists the published bundles.
func (s *Store) Bundles(ctx context.Context) ([]Bundle, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM catalog_bundles WHERE status = 'published' ORDER BY code`)
	if err != nil {
		return nil, apperr.Wrap(err, "catalog: bundles")
	}
	defer rows.Close()
	out := []Bundle{}
	for rows.Next() {
		var body string
		var b Bundle
		if err := rows.Scan(&body); err != nil {
			return nil, apperr.Wrap(err, "catalog: bundles")
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, apperr.Wrap(err, "catalog: decode bundle")
		}
		out = append(out, b)
	}
	return out, apperr.Wrap(rows.Err(), "catalog: bundles")
}

// BundleGuide is what an applicant must bring or upload, and answer, for a
// bundle: it is also the bundle's 一次性告知.
type BundleGuide struct {
	Bundle
	Items     []Item           `json:"items"`
	Materials []MergedMaterial `json:"materials"`
	Fields    []MergedField    `json:"fields"`
}

// Guide returns a bundle with its members' pinned items and the merged
// materials and form.
func (s *Store) Guide(ctx context.Context, b Bundle) (BundleGuide, error) {
	g := BundleGuide{Bundle: b}
	for _, m := range b.Members {
		it, err := s.Version(ctx, m.Item, m.Version)
		if err != nil {
			return BundleGuide{}, err
		}
		g.Items = append(g.Items, it)
	}
	g.Materials, g.Fields = MergeMaterials(g.Items), MergeFields(g.Items)
	if s.ResultLicences != nil {
		results, err := s.ResultLicences(ctx)
		if err != nil {
			return BundleGuide{}, err
		}
		MarkProvided(&g, results)
	}
	if g.Fields == nil {
		g.Fields = []MergedField{}
	}
	return g, nil
}
