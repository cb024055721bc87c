package web

import (
	"context"
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
func (w *Web) bundleSupply(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleCaseByID(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	if len(d.Supply) == 0 {
		err := apperr.New(apperr.Conflict, "illegal_transition", apperr.M("一件事申请当前不需要补正", "the application is not waiting for materials"))
		return w.bundleAgain(c, err, nil), err
	}
	var types []string
	for _, m := range d.Supply {
		types = append(types, m.Type)
	}
	kept, bad, err := w.keepUploads(c, types)
	if err != nil {
		return nil, err
	}
	if len(kept) == 0 && len(bad) == 0 {
		bad.Add("file_"+types[0], "required", apperr.M("请选择要上传的补正材料", "choose the files of the missing materials"))
	}
	if err := bad.Err(); err != nil {
		return w.bundleAgain(c, err, kept), err
	}
	version := c.VersionOr(d.Case.Version)
	for _, typ := range types {
		k, ok := kept[typ]
		if !ok {
			continue
		}
		b, err := w.Cases.AddBundleFile(ctx, c.User, d.Case.ID, k.material(), &version)
		if err != nil {
			return w.bundleAgain(c, err, kept), err
		}
		version = b.Version
	}
	if _, err := w.Cases.ActOnBundle(ctx, c.User, d.Case.ID, cases.BundleSupplement, cases.ActRequest{Version: &version}); err != nil {
		return w.bundleAgain(c, err, nil), err
	}
	return seeOther("/bundle-cases/" + strconv.FormatInt(d.Case.ID, 10) + "?done=" + string(cases.BundleSupplement)), nil
}

// bundleFile serves an uploaded file of a bundle application to those who
// may see the application.
func (w *Web) bundleFile(ctx context.Context, c *call) (answer, error) {
	m, err := w.Cases.BundleFile(ctx, c.User, c.ID, c.Path("type"))
	if err != nil {
		return nil, err
	}
	return storedFile{Hash: m.FileHash, ContentType: m.ContentType, Modified: m.AddedAt, Cache: "private, no-store"}, nil
}
