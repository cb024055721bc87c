package cases

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/filestore"
	"github.com/onewindow/onewindow/store"
)

// The files of a bundle case: what the applicant uploads with an online
// 一件事 application, or later to supply what the one-time notice asked
// for. One file per merged material type; the file counts as that material
// presented, and each member case whose item asks for the material gets
// the file among its own materials when it starts.

// bundleFilesOpen are the states in which files may still be added: before
// the desk accepts the application.
var bundleFilesOpen = []State{Submitted, Received, SupplementNeeded}

// checkBundleFile is the rule for one file on a bundle case: a merged
// material the bundle asks for, with a stored file.
func checkBundleFile(merged []catalog.MergedMaterial, m Material) apperr.Fields {
	if !slices.ContainsFunc(merged, func(mm catalog.MergedMaterial) bool { return mm.Type == m.Type }) {
		return apperr.Fields{apperr.Field("file_"+m.Type, "unknown_type", apperr.M("本一件事不需要材料："+m.Type, "this bundle does not ask for material: "+m.Type))}
	}
	if !filestore.ValidHash(m.FileHash) || m.ContentType == "" || m.Size <= 0 {
		return apperr.Fields{apperr.Field("file_"+m.Type, "required", apperr.M("请选择要上传的文件", "choose a file to upload"))}
	}
	return nil
}

// mergedName is the name of a merged material type.
func mergedName(merged []catalog.MergedMaterial, typ string) string {
	for _, m := range merged {
		if m.Type == typ {
			return m.Name
		}
	}
	return typ
}

// putBundleFile records one file of bundle case b (replacing the earlier
// file of its type) and counts its material as presented.
func putBundleFile(ctx context.Context, tx *store.Tx, actor auth.User, b *BundleCase, merged []catalog.MergedMaterial, m Material) error {
	m.Name, m.Source, m.AddedBy, m.AddedAt = mergedName(merged, m.Type), SourceUpload, actor.ID, b.UpdatedAt
	_, err := tx.ExecContext(ctx, `
		INSERT INTO bundle_case_files (bundle_case_id, type, name, file_name, file_hash, content_type, size, added_by, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (bundle_case_id, type) DO UPDATE SET name = excluded.name, file_name = excluded.file_name, file_hash = excluded.file_hash,
			content_type = excluded.content_type, size = excluded.size, added_by = excluded.added_by, added_at = excluded.added_at`,
		b.ID, m.Type, m.Name, m.FileName, m.FileHash, m.ContentType, m.Size, actor.ID, store.FormatTime(m.AddedAt))
	if err != nil {
		return apperr.Wrap(err, "cases: put bundle file")
	}
	if !slices.Contains(b.Materials, m.Type) {
		b.Materials = append(b.Materials, m.Type)
	}
	return nil
}

// bundleFiles returns the files of bundle case id, by material type.
func bundleFiles(ctx context.Context, q store.Querier, id int64) ([]Material, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, file_name, file_hash, content_type, size, added_by, added_at
		FROM bundle_case_files WHERE bundle_case_id = ? ORDER BY type`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: bundle files")
	}
	defer rows.Close()
	out := []Material{}
	for rows.Next() {
		m := Material{Source: SourceUpload}
		var at string
		if err := rows.Scan(&m.Type, &m.Name, &m.FileName, &m.FileHash, &m.ContentType, &m.Size, &m.AddedBy, &at); err != nil {
			return nil, apperr.Wrap(err, "cases: bundle files")
		}
		m.AddedAt = store.ParseTime(at)
		out = append(out, m)
	}
	return out, apperr.Wrap(rows.Err(), "cases: bundle files")
}

// memberMaterial is the material of type t a starting member case gets from
// its bundle: the uploaded file when there is one, else the paper presented.
func memberMaterial(files []Material, it *catalog.Item, t string, actor auth.User, now time.Time) Material {
	m := Material{Type: t, Name: materialOf(it, t).Name, Source: SourcePresented, AddedBy: actor.ID, AddedAt: now}
	if i := slices.IndexFunc(files, func(f Material) bool { return f.Type == t }); i >= 0 {
		f := files[i]
		m.Source, m.FileName, m.FileHash, m.ContentType, m.Size, m.AddedBy, m.AddedAt = SourceUpload, f.FileName, f.FileHash, f.ContentType, f.Size, f.AddedBy, f.AddedAt
	}
	return m
}

// AddBundleFile records a file for one merged material of a bundle case
// that the desk has not accepted yet: the applicant's upload (online) or
// the desk's scan. The file itself is stored by the caller (by content
// hash) before this. One transaction, audited.
func (s *Service) AddBundleFile(ctx context.Context, actor auth.User, id int64, m Material, version *int) (BundleCase, error) {
	now := s.storedNow()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		b, guide, err := s.lockBundleForFiles(ctx, tx, actor, id, version)
		if err != nil {
			return err
		}
		if err := checkBundleFile(guide.Materials, m).Err(); err != nil {
			return err
		}
		b.UpdatedAt = now
		if err := putBundleFile(ctx, tx, actor, &b, guide.Materials, m); err != nil {
			return err
		}
		if err := s.saveBundleCase(ctx, tx, &b); err != nil {
			return err
		}
		store.NoteEffect(ctx, "bundle_case:"+strconv.FormatInt(b.ID, 10))
		detail, _ := json.Marshal(map[string]any{"type": m.Type, "file_hash": m.FileHash, "size": m.Size})
		return s.bundleAuditDetail(ctx, tx, actor, &b, "add_file", now, detail)
	})
	if err != nil {
		return BundleCase{}, err
	}
	return s.GetBundleCase(ctx, actor, id)
}

// CanAddBundleFile tells, without writing anything, whether actor may add
// a file of type typ to bundle case id: the API asks before storing an upload.
func (s *Service) CanAddBundleFile(ctx context.Context, actor auth.User, id int64, typ string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		_, guide, err := s.lockBundleForFiles(ctx, tx, actor, id, nil)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(guide.Materials, func(mm catalog.MergedMaterial) bool { return mm.Type == typ }) {
			return apperr.Fields{apperr.Field("type", "unknown_type", apperr.M("本一件事不需要材料："+typ, "this bundle does not ask for material: "+typ))}.Err()
		}
		return nil
	})
}

// lockBundleForFiles loads bundle case id for adding a file: the applicant
// or the point's front desk, before acceptance.
func (s *Service) lockBundleForFiles(ctx context.Context, tx *store.Tx, actor auth.User, id int64, version *int) (BundleCase, catalog.BundleGuide, error) {
	b, err := s.loadBundleCase(ctx, tx, id, true)
	if err != nil {
		return b, catalog.BundleGuide{}, err
	}
	if err := s.checkBundleScope(actor, &b); err != nil {
		return b, catalog.BundleGuide{}, err
	}
	if actor.Role != RoleApplicant && actor.Role != RoleFrontDesk {
		return b, catalog.BundleGuide{}, apperr.RoleNotAllowed(apperr.M("您的角色不能提交材料", "your role may not add materials"))
	}
	if version != nil && *version != b.Version {
		return b, catalog.BundleGuide{}, apperr.New(apperr.Conflict, "case_version_conflict", apperr.M("申请已被他人更新，请刷新后重试", "the application was changed by someone else; reload and try again")).
			With("state", b.State).With("version", b.Version)
	}
	if !slices.Contains(bundleFilesOpen, b.State) {
		return b, catalog.BundleGuide{}, apperr.New(apperr.Conflict, "illegal_transition", apperr.M("一件事申请当前状态（"+StateNames[b.State].ZH+"）不能再提交材料",
			"the application is "+StateNames[b.State].EN+": materials can no longer be added")).With("state", b.State)
	}
	def, err := s.catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
	if err != nil {
		return b, catalog.BundleGuide{}, err
	}
	guide, err := s.catalog.Guide(ctx, def)
	return b, guide, err
}

// BundleFile returns one uploaded file of a bundle case actor may see.
func (s *Service) BundleFile(ctx context.Context, actor auth.User, id int64, typ string) (Material, error) {
	b, err := s.GetBundleCase(ctx, actor, id)
	if err != nil {
		return Material{}, err
	}
	for _, f := range b.Files {
		if f.Type == typ {
			return f, nil
		}
	}
	return Material{}, apperr.NotFoundf("file_not_found", apperr.M("该材料没有上传文件", "no file was uploaded for this material"))
}
