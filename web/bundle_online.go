package web

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

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

func (w *Web) bundleOnlineForm(ctx context.Context, c *call) (bundleOnlineData, error) {
	b, err := w.Catalog.PublishedBundle(ctx, c.Path("code"))
	if err != nil {
		return bundleOnlineData{}, err
	}
	g, err := w.Catalog.Guide(ctx, b)
	if err != nil {
		return bundleOnlineData{}, err
	}
	// The account already says who applies: those answers start filled in.
	u := c.User
	d := bundleOnlineData{Guide: g, Answers: map[string]string{}}
	for _, f := range g.Fields {
		switch f.Key {
		case "applicant_name":
			d.Answers[f.Key] = u.Name
		case "applicant_id_number":
			d.Answers[f.Key] = u.IDNumber
		case "applicant_phone", "phone":
			d.Answers[f.Key] = u.Phone
		}
	}
	for i := range g.Items {
		if !g.Items[i].OpenTo(u.Kind) {
			d.NotOpen = append(d.NotOpen, c.L.Name(g.Items[i].Name, g.Items[i].NameEN))
		}
	}
	all, err := w.Points.List(ctx)
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

func (w *Web) bundleOnlinePage(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleOnlineForm(ctx, c)
	if err != nil {
		return nil, err
	}
	return page{Name: "bundle_online", TitleText: c.L.T("bundle_online.title") + " " + c.L.Name(d.Guide.Name, d.Guide.NameEN), Data: d}, nil
}

// bundleOnline sends the applicant's bundle application with the files
// chosen for its materials. Every file that was accepted is kept when
// something else on the form is refused: the form comes back holding it.
func (w *Web) bundleOnline(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleOnlineForm(ctx, c)
	if err != nil {
		return nil, err
	}
	again := func() answer { return page{Name: "bundle_online", Title: "bundle_online.title", Data: d} }
	if len(d.NotOpen) > 0 {
		return again(), errNotOpenTo()
	}
	d.Point, d.Answers = c.Form("point"), map[string]string{}
	kept, f, err := w.keepUploads(c, mergedTypes(&d.Guide))
	if err != nil {
		return nil, err
	}
	d.Kept = kept
	for _, field := range d.Guide.Fields {
		v := c.Trim("f_" + field.Key)
		if v != "" {
			d.Answers[field.Key] = v
		} else if field.Required {
			f.Add("f_"+field.Key, "required", apperr.M("请填写"+field.Label, field.LabelEN+" is required"))
		}
	}
	if err := f.Err(); err != nil {
		return again(), err
	}
	form, err := json.Marshal(d.Answers)
	if err != nil {
		return nil, apperr.Wrap(err, "web: bundle form")
	}
	var files []cases.Material
	for _, typ := range mergedTypes(&d.Guide) {
		if k, ok := d.Kept[typ]; ok {
			files = append(files, k.material())
		}
	}
	b, err := w.Cases.CreateBundleCase(ctx, c.User, cases.BundleCreateRequest{Bundle: d.Guide.Code, Point: d.Point, Form: form, Files: files})
	if err != nil {
		return again(), err
	}
	return seeOther("/bundle-cases/" + strconv.FormatInt(b.ID, 10) + "?done=submit"), nil
}

// bundleCheckDecisions are the desk's choices on a bundle application
// waiting for its check: accept or the one-time notice; after the notice,
// 材料已补齐 when the applicant has brought or sent what it listed; and, at
// any of these steps, 不予受理 with its reasons.
var bundleCheckDecisions = map[string]cases.Action{"accept": cases.BundleAccept, "notify": cases.BundleNotifyMissing,
	"supplement": cases.BundleSupplement, "not_accept": cases.BundleNotAccept}

// bundleCheck is the front desk's check of a bundle application sent
// online or waiting for its 补正: the materials the applicant brought or
// sent, then accept, the one-time notice, or 材料已补齐; or 不予受理, which
// needs its reasons and is asked again before it is done, as it ends the
// whole application.
func (w *Web) bundleCheck(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleCaseByID(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	action, ok := bundleCheckDecisions[c.Form("decision")]
	if !ok {
		err := apperr.Fields{apperr.Field("decision", "unknown",
			apperr.M("请选择受理、一次性告知、材料已补齐或不予受理", "choose accept, one-time notice, materials now complete or do not accept"))}.Err()
		return w.bundleAgain(c, err, nil), err
	}
	version := c.VersionOr(d.Case.Version)
	req := cases.ActRequest{Materials: c.Values("materials"), Version: &version}
	if action == cases.BundleNotAccept {
		// Nothing is received with a refusal; the reasons box is its own.
		req.Materials, req.Reasons = nil, reasonsOf(c.Form("reasons"))
		if len(req.Reasons) == 0 {
			err := apperr.Fields{apperr.Field("reasons", "required", apperr.M("请写明不予受理的理由", "give the reasons for not accepting"))}.Err()
			return w.bundleAgain(c, err, nil), err
		}
		if !confirmed(c.R) {
			return ask{c.L.T("bundle_case.ask_not_accept"), c.L.T("bundle_case.ask_detail"), c.L.T("panel.not_accept"),
				"/bundle-cases/" + strconv.FormatInt(d.Case.ID, 10)}, nil
		}
	}
	if _, err := w.Cases.ActOnBundle(ctx, c.User, d.Case.ID, action, req); err != nil {
		return w.bundleAgain(c, err, nil), err
	}
	return seeOther("/bundle-cases/" + strconv.FormatInt(d.Case.ID, 10) + "?done=" + string(action)), nil
}
