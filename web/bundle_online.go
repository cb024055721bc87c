package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
)

// Applying online for a bundle (一件事网上办): the applicant fills the one
// merged form and chooses where it is handled; the point's front desk then
// checks the materials once, on the bundle case's page, and accepts it or
// issues the one-time notice.

type bundleOnlineData struct {
	Guide   catalog.BundleGuide
	Points  []network.Point
	Point   string
	Answers map[string]string
	// NotOpen names the member items the applicant may not apply for
	// (items for enterprises, to a person): the page then has no form.
	NotOpen []string
	// Kept are the files already uploaded on a form that was refused, by
	// material type: sent again with the form, they need not be chosen again.
	Kept map[string]*keptFile
}

// mergedTypes lists the material types of a bundle's one set of materials.
func mergedTypes(g *catalog.BundleGuide) []string {
	var out []string
	for _, m := range g.Materials {
		out = append(out, m.Type)
	}
	return out
}

func (w *Web) bundleOnlineForm(r *http.Request, s *session, code string) (bundleOnlineData, error) {
	b, err := w.Catalog.PublishedBundle(r.Context(), code)
	if err != nil {
		return bundleOnlineData{}, err
	}
	g, err := w.Catalog.Guide(r.Context(), b)
	if err != nil {
		return bundleOnlineData{}, err
	}
	// The account already says who applies: those answers start filled in.
	d := bundleOnlineData{Guide: g, Answers: map[string]string{}}
	for _, f := range g.Fields {
		switch f.Key {
		case "applicant_name":
			d.Answers[f.Key] = s.User.Name
		case "applicant_id_number":
			d.Answers[f.Key] = s.User.IDNumber
		case "applicant_phone", "phone":
			d.Answers[f.Key] = s.User.Phone
		}
	}
	for i := range g.Items {
		if !g.Items[i].OpenTo(s.User.Kind) {
			d.NotOpen = append(d.NotOpen, s.L.Name(g.Items[i].Name, g.Items[i].NameEN))
		}
	}
	all, err := w.Points.List(r.Context())
	if err != nil {
		return d, err
	}
	for _, p := range all {
		if !slices.ContainsFunc(g.Items, func(it catalog.Item) bool { return !it.HandledAt(p.Level) }) {
			d.Points = append(d.Points, p)
		}
	}
	return d, nil
}

func (w *Web) bundleOnlinePage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.bundleOnlineForm(r, s, r.PathValue("code"))
	if err != nil {
		return err
	}
	return w.write(rw, r, s, http.StatusOK, "bundle_online", &view{session: s,
		Title: s.L.T("bundle_online.title") + " " + s.L.Name(d.Guide.Name, d.Guide.NameEN), Data: d})
}

// bundleOnline sends the applicant's bundle application with the files
// chosen for its materials. Every file that was accepted is kept when
// something else on the form is refused: the form comes back holding it.
func (w *Web) bundleOnline(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.bundleOnlineForm(r, s, r.PathValue("code"))
	if err != nil {
		return err
	}
	fail := func(err error) error {
		return w.renderForm(rw, r, s, "bundle_online", "bundle_online.title", d, err)
	}
	if len(d.NotOpen) > 0 {
		return fail(errNotOpenTo())
	}
	d.Point, d.Answers = r.PostFormValue("point"), map[string]string{}
	kept, f, err := w.keepUploads(r, s, mergedTypes(&d.Guide))
	if err != nil {
		return err
	}
	d.Kept = kept
	for _, field := range d.Guide.Fields {
		v := strings.TrimSpace(r.PostFormValue("f_" + field.Key))
		if v != "" {
			d.Answers[field.Key] = v
		} else if field.Required {
			f.Add("f_"+field.Key, "required", apperr.M("请填写"+field.Label, field.LabelEN+" is required"))
		}
	}
	if err := f.Err(); err != nil {
		return fail(err)
	}
	form, err := json.Marshal(d.Answers)
	if err != nil {
		return apperr.Wrap(err, "web: bundle form")
	}
	var files []cases.Material
	for _, typ := range mergedTypes(&d.Guide) {
		if k, ok := d.Kept[typ]; ok {
			files = append(files, k.material())
		}
	}
	b, err := w.Cases.CreateBundleCase(r.Context(), *s.User, cases.BundleCreateRequest{Bundle: d.Guide.Code, Point: d.Point, Form: form, Files: files})
	if err != nil {
		return fail(err)
	}
	http.Redirect(rw, r, "/bundle-cases/"+strconv.FormatInt(b.ID, 10)+"?done=submit", http.StatusSeeOther)
	return nil
}

// bundleCheckDecisions are the desk's choices on a bundle application
// waiting for its check: accept or the one-time notice; after the notice,
// 材料已补齐 when the applicant has brought or sent what it listed.
var bundleCheckDecisions = map[string]cases.Action{"accept": cases.BundleAccept, "notify": cases.BundleNotifyMissing,
	"supplement": cases.BundleSupplement}

// bundleCheck is the front desk's check of a bundle application sent
// online or waiting for its 补正: the materials the applicant brought or
// sent, then accept, the one-time notice, or 材料已补齐.
func (w *Web) bundleCheck(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.loadBundleCase(r, s)
	if err != nil {
		return err
	}
	action, ok := bundleCheckDecisions[r.PostFormValue("decision")]
	if !ok {
		return w.bundleProblem(rw, r, s, d.Case.ID, apperr.Fields{apperr.Field("decision", "unknown",
			apperr.M("请选择受理、一次性告知或材料已补齐", "choose accept, one-time notice or materials now complete"))}.Err())
	}
	version := d.Case.Version
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		version = v
	}
	if _, err := w.Cases.ActOnBundle(r.Context(), *s.User, d.Case.ID, action,
		cases.ActRequest{Materials: r.PostForm["materials"], Version: &version}); err != nil {
		return w.bundleProblem(rw, r, s, d.Case.ID, err)
	}
	http.Redirect(rw, r, "/bundle-cases/"+strconv.FormatInt(d.Case.ID, 10)+"?done="+string(action), http.StatusSeeOther)
	return nil
}
