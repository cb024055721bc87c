package web

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
)

// Bundles (一件事): the portal's list of bundles with their single set of
// materials and single form (the 一次性告知), the front desk's application
// for the person at the desk, and the bundle case page, where the issuer
// issues every result at once.

// bundleGuides returns every published bundle with its merged materials and form.
func (w *Web) bundleGuides(ctx context.Context, _ *call) ([]catalog.BundleGuide, error) {
	list, err := w.Catalog.Bundles(ctx)
	if err != nil {
		return nil, err
	}
	var out []catalog.BundleGuide
	for _, b := range list {
		if b.Status != catalog.StatusPublished {
			continue
		}
		g, err := w.Catalog.Guide(ctx, b)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// bundleApplyData is the desk's form for one bundle.
type bundleApplyData struct {
	Guide      catalog.BundleGuide
	VisitParam string
	Applicant  cases.Applicant
	Presented  []string
	Answers    map[string]string
}

func (w *Web) bundleApplyForm(ctx context.Context, code string) (bundleApplyData, error) {
	b, err := w.Catalog.PublishedBundle(ctx, code)
	if err != nil {
		return bundleApplyData{}, err
	}
	g, err := w.Catalog.Guide(ctx, b)
	if err != nil {
		return bundleApplyData{}, err
	}
	return bundleApplyData{Guide: g, Applicant: cases.Applicant{Kind: "person"}, Answers: map[string]string{}}, nil
}

// deskBundlePage shows the desk's form for a bundle, with the applicant of
// the visit already filled in.
func (w *Web) deskBundlePage(ctx context.Context, c *call) (bundleApplyData, error) {
	d, err := w.bundleApplyForm(ctx, c.Query("bundle"))
	if err != nil {
		return d, err
	}
	visit, ids := w.visitCases(ctx, c.User, parseVisit(c.Query("visit")))
	d.VisitParam = visitParam(ids)
	if len(visit) > 0 {
		d.Applicant = visit[0].Applicant
		d.Applicant.UserID = nil
	}
	return d, nil
}

// deskBundleDecisions are the desk's choices on a bundle application.
var deskBundleDecisions = map[string]cases.Action{"accept": cases.BundleAccept, "notify": cases.BundleNotifyMissing}

// deskBundle opens a bundle case for the person at the desk and takes the
// desk's decision: accept (every member starts as its prerequisites allow)
// or the one-time notice of what is missing.
func (w *Web) deskBundle(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleApplyForm(ctx, c.Form("bundle"))
	if err != nil {
		return nil, err
	}
	d.VisitParam = visitParam(parseVisit(c.Form("visit")))
	d.Applicant = cases.Applicant{Kind: c.Form("kind"), Name: c.Trim("name"), IDNumber: c.Trim("id_number"),
		CreditCode: c.Trim("credit_code"), Phone: c.Trim("phone")}
	if d.Applicant.Kind == "person" {
		d.Applicant.CreditCode = ""
	}
	d.Presented = c.Values("materials")
	var f apperr.Fields
	for _, field := range d.Guide.Fields {
		v := c.Trim("f_" + field.Key)
		if v != "" {
			d.Answers[field.Key] = v
		} else if field.Required {
			f.Add("f_"+field.Key, "required", apperr.M("请填写"+field.Label, field.LabelEN+" is required"))
		}
	}
	again := page{Name: "bundle_apply", Title: "bundle_apply.title", Data: d}
	action, ok := deskBundleDecisions[c.Form("decision")]
	if !ok {
		f.Add("decision", "unknown", apperr.M("请选择受理或一次性告知", "choose accept or one-time notice"))
	}
	if err := f.Err(); err != nil {
		return again, err
	}
	form, err := json.Marshal(d.Answers)
	if err != nil {
		return nil, apperr.Wrap(err, "web: bundle form")
	}
	a := d.Applicant
	b, err := w.Cases.CreateBundleCase(ctx, c.User, cases.BundleCreateRequest{Bundle: d.Guide.Code, Applicant: &a,
		Materials: d.Presented, Form: form})
	if err != nil {
		return again, err
	}
	if _, err := w.Cases.ActOnBundle(ctx, c.User, b.ID, action, cases.ActRequest{Version: &b.Version}); err != nil {
		// The application is open (received): its page says what is left.
		c.ID = b.ID
		return w.bundleAgain(c, err, nil), err
	}
	return seeOther("/bundle-cases/" + strconv.FormatInt(b.ID, 10) + "?done=" + url.QueryEscape(string(action))), nil
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
	// Reasons are the reasons for not accepting as typed, when the check
	// came back with a problem.
	Reasons string
	// Collectors are who collected the results handed out at the window,
	// once issued: one for each collector, with the results they took.
	Collectors []bundleCollector
}

// Docs are the notices the application can print now.
func (d bundleCaseData) Docs() []string { return cases.BundleDocumentKinds(d.Case.State) }

// bundleCollector is one collector (领取人) of a bundle's results, with the
// names of the member items whose results they collected.
type bundleCollector struct {
	cases.Collection
	Items []string
}

// collectorsOf groups the members' collection records by who collected
// (a partial issue may hand out the rest to someone else later).
func collectorsOf(b *cases.BundleCase, list []cases.MemberCollection) []bundleCollector {
	var out []bundleCollector
	for _, m := range list {
		name := m.Item
		for _, ms := range b.Members {
			if ms.Item == m.Item {
				name = ms.ItemName
			}
		}
		col := m.Collection
		i := slices.IndexFunc(out, func(o bundleCollector) bool {
			return o.Name == col.Name && o.IDNumber == col.IDNumber && o.Relation == col.Relation && o.Authorisation == col.Authorisation
		})
		if i < 0 {
			out = append(out, bundleCollector{Collection: col})
			i = len(out) - 1
		}
		out[i].Items = append(out[i].Items, name)
	}
	return out
}

// bundleID reads a bundle case's {id}.
var bundleID = withID("case_not_found", apperr.M("办件不存在", "no such case"))

func (w *Web) bundleCaseByID(ctx context.Context, u auth.User, id int64) (bundleCaseData, error) {
	b, err := w.Cases.GetBundleCase(ctx, u, id)
	if err != nil {
		return bundleCaseData{}, err
	}
	b = b.ShownTo(u)
	n, err := w.Cases.BundleNotice(ctx, nil, &b)
	if err != nil {
		return bundleCaseData{}, err
	}
	d := bundleCaseData{Case: b, Notice: n, Methods: []string{cases.IssueAtWindow, cases.IssueByPost, cases.IssueElectronic},
		Method: cases.IssueAtWindow}
	if b.IssuedAt != nil {
		list, err := w.Cases.BundleCollections(ctx, u, b.ID)
		if err != nil {
			return d, err
		}
		d.Collectors = collectorsOf(&b, list)
	}
	deskCheck := u.Role == cases.RoleFrontDesk && slices.Contains([]cases.State{cases.Submitted, cases.Received, cases.SupplementNeeded}, b.State)
	applicantSupply := u.Role == cases.RoleApplicant && b.State == cases.SupplementNeeded
	if deskCheck || applicantSupply {
		def, err := w.Catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
		if err != nil {
			return d, err
		}
		g, err := w.Catalog.Guide(ctx, def)
		if err != nil {
			return d, err
		}
		if deskCheck {
			d.Check = &g
		} else {
			d.Supply = stillMissing(g.Materials, b.Materials)
		}
	}
	if u.Role != cases.RoleIssuer {
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
		def, err := w.Catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
		if err != nil {
			return d, err
		}
		d.MayIssue, d.Partial, d.JointOnly = def.PartialIssue, def.PartialIssue, !def.PartialIssue
	}
	return d, nil
}

func (w *Web) bundleCasePage(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleCaseByID(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	p := bundleCasePageOf(c.L, d)
	if a := cases.Action(c.Query("done")); a != "" {
		if _, ok := bundleDoneKeys[a]; ok {
			p.Flash = c.L.T(bundleDoneKeys[a])
		}
		if a == cases.BundleSupplement && c.User.Role == cases.RoleApplicant {
			p.Flash = c.L.T("bundle_supply.sent")
		}
		if a == cases.BundleIssue && d.Case.State != cases.Issued {
			p.Flash = c.L.T("bundleissue.partial_done")
		}
	}
	return p, nil
}

func bundleCasePageOf(l Lang, d bundleCaseData) page {
	return page{Name: "bundle_case", TitleText: l.T("bundle_case.title") + " " + d.Case.Number, Data: d, Scripts: []string{"case.js"}}
}

// bundleDoneKeys are the messages shown after a bundle action.
var bundleDoneKeys = map[cases.Action]string{
	cases.Submit:              "bundle_online.sent",
	cases.BundleAccept:        "bundle_case.accepted",
	cases.BundleNotifyMissing: "bundle_case.notified",
	cases.BundleIssue:         "bundle_case.issued",
	cases.BundleSupplement:    "bundle_case.supplied",
	cases.BundleNotAccept:     "bundle_case.not_accepted",
}

// bundleAgain shows the bundle case again with the problem an action met,
// holding the files already accepted (kept); errors that hide the case
// (not found, out of scope) and failures get the error page.
func (w *Web) bundleAgain(c *call, cause error, kept map[string]*keptFile) answer {
	code := apperr.CodeOf(cause)
	if code == apperr.NotFound || code == apperr.Forbidden || code == apperr.Internal || code == "" {
		return nil
	}
	return reload(func() (answer, error) {
		d, err := w.bundleCaseByID(c.R.Context(), c.User, c.ID)
		if err != nil {
			return nil, err
		}
		if m := c.Form("issue_method"); m != "" {
			d.Method, d.Address = m, c.Trim("address")
		}
		d.Kept, d.Reasons = kept, c.Form("reasons")
		return bundleCasePageOf(c.L, d), nil
	})
}

// issueBundle issues the results of a bundle case at the issuing window, by
// the delivery method chosen: every result together, or, where the bundle
// allows it, those that are ready while the others are still in progress.
// The service decides which; a bundle that issues together refuses with
// the items it waits for.
func (w *Web) issueBundle(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleCaseByID(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	version := c.VersionOr(d.Case.Version)
	method := c.Form("issue_method")
	if method == "" {
		method = cases.IssueAtWindow // the window hands the results over unless told otherwise
		c.R.PostForm.Set("issue_method", method)
	}
	// The window records who collects, once for the bundle: every member
	// case gets the record in the issuing transaction.
	col, err := w.collectorOf(c.R)
	if err != nil {
		return w.bundleAgain(c, err, nil), err
	}
	_, err = w.Cases.ActOnBundle(ctx, c.User, d.Case.ID, cases.BundleIssue,
		cases.ActRequest{IssueMethod: method, Address: c.Trim("address"), Version: &version, Collector: col})
	if err != nil {
		return w.bundleAgain(c, err, nil), err
	}
	return seeOther("/bundle-cases/" + strconv.FormatInt(d.Case.ID, 10) + "?done=" + string(cases.BundleIssue)), nil
}

type bundleCasesData struct {
	Cases []cases.BundleCase
	Total int
}

// bundleCases lists the bundle cases the user may see, newest first.
func (w *Web) bundleCases(ctx context.Context, c *call) (bundleCasesData, error) {
	offset, err := offsetOf(c.R)
	if err != nil {
		return bundleCasesData{}, err
	}
	list, total, err := w.Cases.ListBundleCases(ctx, c.User, casesPerPage, offset)
	return bundleCasesData{list, total}, err
}
