package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
)

// Bundles (一件事): the portal's list of bundles with their single set of
// materials and single form (the 一次性告知), the front desk's application
// for the person at the desk, and the bundle case page, where the issuer
// issues every result at once.

// bundleGuides returns every published bundle with its merged materials and form.
func (w *Web) bundleGuides(r *http.Request) ([]catalog.BundleGuide, error) {
	list, err := w.Catalog.Bundles(r.Context())
	if err != nil {
		return nil, err
	}
	var out []catalog.BundleGuide
	for _, b := range list {
		if b.Status != catalog.StatusPublished {
			continue
		}
		g, err := w.Catalog.Guide(r.Context(), b)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func (w *Web) bundles(rw http.ResponseWriter, r *http.Request, s *session) error {
	guides, err := w.bundleGuides(r)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "bundles", "bundles.title", guides)
}

// bundleApplyData is the desk's form for one bundle.
type bundleApplyData struct {
	Guide      catalog.BundleGuide
	VisitParam string
	Applicant  cases.Applicant
	Presented  []string
	Answers    map[string]string
}

func (w *Web) bundleApplyForm(r *http.Request, code string) (bundleApplyData, error) {
	b, err := w.Catalog.PublishedBundle(r.Context(), code)
	if err != nil {
		return bundleApplyData{}, err
	}
	g, err := w.Catalog.Guide(r.Context(), b)
	if err != nil {
		return bundleApplyData{}, err
	}
	return bundleApplyData{Guide: g, Applicant: cases.Applicant{Kind: "person"}, Answers: map[string]string{}}, nil
}

// deskBundlePage shows the desk's form for a bundle, with the applicant of
// the visit already filled in.
func (w *Web) deskBundlePage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.bundleApplyForm(r, r.URL.Query().Get("bundle"))
	if err != nil {
		return err
	}
	visit, ids := w.visitCases(r, s, parseVisit(r.URL.Query().Get("visit")))
	d.VisitParam = visitParam(ids)
	if len(visit) > 0 {
		d.Applicant = visit[0].Applicant
		d.Applicant.UserID = nil
	}
	return w.render(rw, r, s, http.StatusOK, "bundle_apply", "bundle_apply.title", d)
}

// deskBundleDecisions are the desk's choices on a bundle application.
var deskBundleDecisions = map[string]cases.Action{"accept": cases.BundleAccept, "notify": cases.BundleNotifyMissing}

// deskBundle opens a bundle case for the person at the desk and takes the
// desk's decision: accept (every member starts as its prerequisites allow)
// or the one-time notice of what is missing.
func (w *Web) deskBundle(rw http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	d, err := w.bundleApplyForm(r, r.PostFormValue("bundle"))
	if err != nil {
		return err
	}
	d.VisitParam = visitParam(parseVisit(r.PostFormValue("visit")))
	d.Applicant = cases.Applicant{Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name")),
		IDNumber: strings.TrimSpace(r.PostFormValue("id_number")), CreditCode: strings.TrimSpace(r.PostFormValue("credit_code")),
		Phone: strings.TrimSpace(r.PostFormValue("phone"))}
	if d.Applicant.Kind == "person" {
		d.Applicant.CreditCode = ""
	}
	d.Presented = r.PostForm["materials"]
	var f apperr.Fields
	for _, field := range d.Guide.Fields {
		v := strings.TrimSpace(r.PostFormValue("f_" + field.Key))
		if v != "" {
			d.Answers[field.Key] = v
		} else if field.Required {
			f.Add("f_"+field.Key, "required", apperr.M("请填写"+field.Label, field.LabelEN+" is required"))
		}
	}
	fail := func(err error) error {
		return w.renderForm(rw, r, s, "bundle_apply", "bundle_apply.title", d, err)
	}
	action, ok := deskBundleDecisions[r.PostFormValue("decision")]
	if !ok {
		f.Add("decision", "unknown", apperr.M("请选择受理或一次性告知", "choose accept or one-time notice"))
	}
	if err := f.Err(); err != nil {
		return fail(err)
	}
	form, err := json.Marshal(d.Answers)
	if err != nil {
		return apperr.Wrap(err, "web: bundle form")
	}
	a := d.Applicant
	b, err := w.Cases.CreateBundleCase(ctx, *s.User, cases.BundleCreateRequest{Bundle: d.Guide.Code, Applicant: &a,
		Materials: d.Presented, Form: form})
	if err != nil {
		return fail(err)
	}
	if _, err := w.Cases.ActOnBundle(ctx, *s.User, b.ID, action, cases.ActRequest{Version: &b.Version}); err != nil {
		// The application is open (received): its page says what is left.
		return w.bundleProblem(rw, r, s, b.ID, err)
	}
	http.Redirect(rw, r, "/bundle-cases/"+strconv.FormatInt(b.ID, 10)+"?done="+url.QueryEscape(string(action)), http.StatusSeeOther)
	return nil
}

// bundleCaseData is one bundle case as its page shows it.
type bundleCaseData struct {
	Case   cases.BundleCase
	Notice []cases.SupplementRequest
	// MayIssue: the viewer is an issuer and results can be issued now;
	// Partial: only those in Ready, while other members are still open (the
	// bundle allows it). JointOnly: some are ready, but this bundle issues
	// every result together, so the issuer waits for the rest.
	MayIssue  bool
	Partial   bool
	JointOnly bool
	Ready     []cases.MemberStatus
	Methods   []string
	// Method and Address are what the issue form starts with (what was sent,
	// when it came back with a problem).
	Method  string
	Address string
	// Check is the bundle's merged guide when the viewer is a front desk
	// and the application waits for its check (one sent online): the page
	// then offers the materials checklist and the decision.
	Check *catalog.BundleGuide
	// Supply lists what the one-time notice asked for when the viewer is
	// the applicant and the application waits for it: the page then offers
	// an upload for each. Kept are the files already accepted on a supply
	// form that came back with a problem.
	Supply []catalog.MergedMaterial
	Kept   map[string]*keptFile
}

func (w *Web) loadBundleCase(r *http.Request, s *session) (bundleCaseData, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return bundleCaseData{}, apperr.NotFoundf("case_not_found", apperr.M("办件不存在", "no such case"))
	}
	return w.bundleCaseByID(r, s, id)
}

func (w *Web) bundleCaseByID(r *http.Request, s *session, id int64) (bundleCaseData, error) {
	b, err := w.Cases.GetBundleCase(r.Context(), *s.User, id)
	if err != nil {
		return bundleCaseData{}, err
	}
	b = b.ShownTo(*s.User)
	n, err := w.Cases.BundleNotice(r.Context(), nil, &b)
	if err != nil {
		return bundleCaseData{}, err
	}
	d := bundleCaseData{Case: b, Notice: n, Methods: []string{cases.IssueAtWindow, cases.IssueByPost, cases.IssueElectronic},
		Method: cases.IssueAtWindow}
	deskCheck := s.User.Role == cases.RoleFrontDesk && slices.Contains([]cases.State{cases.Submitted, cases.Received, cases.SupplementNeeded}, b.State)
	applicantSupply := s.User.Role == cases.RoleApplicant && b.State == cases.SupplementNeeded
	if deskCheck || applicantSupply {
		def, err := w.Catalog.BundleVersion(r.Context(), b.BundleCode, b.BundleVersion)
		if err != nil {
			return d, err
		}
		g, err := w.Catalog.Guide(r.Context(), def)
		if err != nil {
			return d, err
		}
		if deskCheck {
			d.Check = &g
		} else {
			d.Supply = stillMissing(g.Materials, b.Materials)
		}
	}
	if s.User.Role != cases.RoleIssuer {
		return d, nil
	}
	for _, m := range b.Members {
		if m.State == cases.ReadyForIssue {
			d.Ready = append(d.Ready, m)
		}
	}
	switch {
	case b.State == cases.ReadyForIssue || b.State == cases.Accepted && len(b.HoldingUp) == 0:
		d.MayIssue = true
	case b.State == cases.Accepted && len(d.Ready) > 0:
		def, err := w.Catalog.BundleVersion(r.Context(), b.BundleCode, b.BundleVersion)
		if err != nil {
			return d, err
		}
		d.MayIssue, d.Partial, d.JointOnly = def.PartialIssue, def.PartialIssue, !def.PartialIssue
	}
	return d, nil
}

func (w *Web) bundleCasePage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.loadBundleCase(r, s)
	if err != nil {
		return err
	}
	v := &view{session: s, Title: s.L.T("bundle_case.title") + " " + d.Case.Number, Data: d, Scripts: []string{"case.js"}}
	if a := cases.Action(r.URL.Query().Get("done")); a != "" {
		if _, ok := bundleDoneKeys[a]; ok {
			v.Flash = s.L.T(bundleDoneKeys[a])
		}
		if a == cases.BundleSupplement && s.User.Role == cases.RoleApplicant {
			v.Flash = s.L.T("bundle_supply.sent")
		}
		if a == cases.BundleIssue && d.Case.State != cases.Issued {
			v.Flash = s.L.T("bundleissue.partial_done")
		}
	}
	return w.write(rw, r, s, http.StatusOK, "bundle_case", v)
}

// bundleDoneKeys are the messages shown after a bundle action.
var bundleDoneKeys = map[cases.Action]string{
	cases.Submit:              "bundle_online.sent",
	cases.BundleAccept:        "bundle_case.accepted",
	cases.BundleNotifyMissing: "bundle_case.notified",
	cases.BundleIssue:         "bundle_case.issued",
	cases.BundleSupplement:    "bundle_case.supplied",
}

// bundleProblem shows the bundle case page with the problem an action met.
func (w *Web) bundleProblem(rw http.ResponseWriter, r *http.Request, s *session, id int64, cause error) error {
	return w.bundleProblemKept(rw, r, s, id, cause, nil)
}

// bundleProblemKept is bundleProblem holding the files already accepted.
func (w *Web) bundleProblemKept(rw http.ResponseWriter, r *http.Request, s *session, id int64, cause error, kept map[string]*keptFile) error {
	code := apperr.CodeOf(cause)
	if code == apperr.NotFound || code == apperr.Forbidden || code == apperr.Internal || code == "" {
		return cause
	}
	d, err := w.bundleCaseByID(r, s, id)
	if err != nil {
		return err
	}
	if m := r.PostFormValue("issue_method"); m != "" {
		d.Method, d.Address = m, strings.TrimSpace(r.PostFormValue("address"))
	}
	d.Kept = kept
	p := problemOf(s.L, cause)
	return w.write(rw, r, s, p.Status, "bundle_case", &view{session: s, Title: s.L.T("bundle_case.title") + " " + d.Case.Number,
		Data: d, Problem: p, Scripts: []string{"case.js"}})
}

// issueBundle issues the results of a bundle case at the issuing window, by
// the delivery method chosen: every result together, or, where the bundle
// allows it, those that are ready while the others are still in progress.
// The service decides which; a bundle that issues together refuses with
// the items it waits for.
func (w *Web) issueBundle(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.loadBundleCase(r, s)
	if err != nil {
		return err
	}
	version := d.Case.Version
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		version = v
	}
	method := r.PostFormValue("issue_method")
	if method == "" {
		method = cases.IssueAtWindow // the window hands the results over unless told otherwise
		r.PostForm.Set("issue_method", method)
	}
	// The window records who collects, once for the bundle: every member
	// case gets the record in the issuing transaction.
	col, err := w.collectorOf(r)
	if err != nil {
		return w.bundleProblem(rw, r, s, d.Case.ID, err)
	}
	_, err = w.Cases.ActOnBundle(r.Context(), *s.User, d.Case.ID, cases.BundleIssue,
		cases.ActRequest{IssueMethod: method, Address: strings.TrimSpace(r.PostFormValue("address")), Version: &version, Collector: col})
	if err != nil {
		return w.bundleProblem(rw, r, s, d.Case.ID, err)
	}
	http.Redirect(rw, r, "/bundle-cases/"+strconv.FormatInt(d.Case.ID, 10)+"?done="+string(cases.BundleIssue), http.StatusSeeOther)
	return nil
}

// bundleCases lists the bundle cases the user may see, newest first.
func (w *Web) bundleCases(rw http.ResponseWriter, r *http.Request, s *session) error {
	offset, err := offsetOf(r)
	if err != nil {
		return err
	}
	list, total, err := w.Cases.ListBundleCases(r.Context(), *s.User, casesPerPage, offset)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "bundle_cases", "bundle_cases.title", struct {
		Cases []cases.BundleCase
		Total int
	}{list, total})
}
