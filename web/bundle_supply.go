package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
)

// The 补正 step of a bundle application: after the desk's one-time notice
// the applicant uploads what it listed and says it is supplied (or brings
// it to the desk, who ticks it and confirms 材料已补齐); the desk then
// checks and accepts, as for one case.

// stillMissing lists the merged materials not presented yet that the
// applicant is asked for: the required ones and those that may follow.
func stillMissing(all []catalog.MergedMaterial, presented []string) []catalog.MergedMaterial {
	var out []catalog.MergedMaterial
	for _, m := range all {
		if m.Requirement != catalog.Optional && !slices.Contains(presented, m.Type) {
			out = append(out, m)
		}
	}
	return out
}

// bundleSupply takes the applicant's files for what the one-time notice
// listed, then returns the application to the desk (材料已补齐). Files
// accepted are kept when another is refused: the page comes back holding them.
func (w *Web) bundleSupply(rw http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	d, err := w.loadBundleCase(r, s)
	if err != nil {
		return err
	}
	if len(d.Supply) == 0 {
		return w.bundleProblem(rw, r, s, d.Case.ID, apperr.New(apperr.Conflict, "illegal_transition",
			apperr.M("一件事申请当前不需要补正", "the application is not waiting for materials")))
	}
	var types []string
	for _, m := range d.Supply {
		types = append(types, m.Type)
	}
	kept, bad, err := w.keepUploads(r, s, types)
	if err != nil {
		return err
	}
	if len(kept) == 0 && len(bad) == 0 {
		bad.Add("file_"+types[0], "required", apperr.M("请选择要上传的补正材料", "choose the files of the missing materials"))
	}
	if err := bad.Err(); err != nil {
		return w.bundleProblemKept(rw, r, s, d.Case.ID, err, kept)
	}
	version := d.Case.Version
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		version = v
	}
	for _, typ := range types {
		k, ok := kept[typ]
		if !ok {
			continue
		}
		b, err := w.Cases.AddBundleFile(ctx, *s.User, d.Case.ID, k.material(), &version)
		if err != nil {
			return w.bundleProblemKept(rw, r, s, d.Case.ID, err, kept)
		}
		version = b.Version
	}
	if _, err := w.Cases.ActOnBundle(ctx, *s.User, d.Case.ID, cases.BundleSupplement, cases.ActRequest{Version: &version}); err != nil {
		return w.bundleProblem(rw, r, s, d.Case.ID, err)
	}
	http.Redirect(rw, r, "/bundle-cases/"+strconv.FormatInt(d.Case.ID, 10)+"?done="+string(cases.BundleSupplement), http.StatusSeeOther)
	return nil
}

// bundleFile serves an uploaded file of a bundle application to those who
// may see the application.
func (w *Web) bundleFile(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.NotFoundf("case_not_found", apperr.M("办件不存在", "no such case"))
	}
	m, err := w.Cases.BundleFile(r.Context(), *s.User, id, r.PathValue("type"))
	if err != nil {
		return err
	}
	return storedFile{Hash: m.FileHash, ContentType: m.ContentType, Modified: m.AddedAt, Cache: "private, no-store"}.serve(w, rw, r)
}
