package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
)

// actionSpec says which inputs an action's form has.
type actionSpec struct {
	Reasons   bool // one reason per line; the service requires them where the law does
	Note      bool
	Materials bool // materials presented at the desk with this step
	Waiver    bool // working days to supply 容缺 materials
	Method    bool // how the result is issued
	Procedure bool // which special procedure starts
	Days      bool // extension in working days
	Primary   bool // the expected next step, shown first and prominent
	Danger    bool // ends or refuses the application
	Confirm   bool // final: the form asks its user to confirm first
}

var actionSpecs = map[cases.Action]actionSpec{
	cases.Submit:            {Primary: true},
	cases.Receive:           {Materials: true},
	cases.ReturnPreReview:   {Reasons: true},
	cases.NotifyMissing:     {Materials: true},
	cases.Supplement:        {Materials: true},
	cases.Accept:            {Materials: true, Waiver: true, Primary: true},
	cases.NotAccept:         {Reasons: true, Danger: true, Confirm: true},
	cases.StartReview:       {Primary: true},
	cases.RequestSupplement: {Reasons: true},
	cases.Approve:           {Note: true, Primary: true, Confirm: true},
	cases.Refuse:            {Reasons: true, Danger: true, Confirm: true},
	cases.PrepareResult:     {Primary: true},
	cases.Issue:             {Method: true, Primary: true},
	cases.Close:             {},
	cases.Withdraw:          {Note: true, Danger: true, Confirm: true},
	cases.Terminate:         {Reasons: true, Danger: true, Confirm: true},
	cases.StartSpecial:      {Procedure: true},
	cases.EndSpecial:        {},
	cases.Extend:            {Days: true, Reasons: true},
}

// actionForm is one action a user may take now, with its inputs.
type actionForm struct {
	Action cases.Action
	actionSpec
}

// materialRow is one material of the item with what was provided for it.
type materialRow struct {
	catalog.Material
	Provided *cases.Material
}

type caseData struct {
	Case       cases.Case
	SLA        cases.SLA
	Events     []cases.Event
	ActedFor   []cases.Event // the steps someone did for the applicant (帮代办)
	Item       catalog.Item
	Materials  []materialRow
	Check      cases.MaterialCheck
	ShowNotice bool // the applicant is told at once everything still missing
	Docs       []string
	Actions    []actionForm
	Dept       catalog.Department
	Point      network.Point
	CanUpload  bool
	Procedures []string
	Methods    []string
	Back       string
	BackKey    string
	// Extension is the part about more working days (延期), for the staff
	// who ask for and decide them; nil for everyone else.
	Extension *extensionData
	// Case.Applicant is as the user may see it at once: whole for the
	// applicant, masked for staff, who may ask for the whole numbers
	// (CanReveal); Revealed once they did, on the answer to that request.
	CanReveal bool
	Revealed  bool
	// Panel is the front desk's one form to decide an application.
	Panel *deskPanel
	// Collection is who collected the result at the window.
	Collection *cases.Collection
}

// extensionData is what the case page shows and offers about extensions:
// the request waiting for a decision, and the forms the user may use now.
type extensionData struct {
	Pending    *cases.ExtensionAsk
	CanRequest bool // a reviewer may ask
	CanExtend  bool // an administrator may give an extension (approving the request, if any)
	CanRefuse  bool // an administrator may refuse the request
	Waiting    bool // the reviewer's request waits for an administrator
	// Failed names the form whose submission came back with a problem, and
	// Days and Reasons are what was typed into it.
	Failed  string
	Days    string
	Reasons string
}

// Value is what a field of one of the forms starts with: what was typed
// into it when it came back with a problem; for an approval, what the
// reviewer asked for.
func (x *extensionData) Value(form, field string) string {
	switch {
	case x.Failed == form && field == "days":
		return x.Days
	case x.Failed == form:
		return x.Reasons
	case form == "approve" && x.Pending != nil && field == "days":
		return strconv.Itoa(x.Pending.Days)
	case form == "approve" && x.Pending != nil:
		return strings.Join(x.Pending.Reasons, "\n")
	}
	return ""
}

// Err is the problem with a field of form, shown only next to the form
// that was sent.
func (x *extensionData) Err(p *problem, form, field string) string {
	if x.Failed != form {
		return ""
	}
	return p.Field(field)
}

// backTo is the list a role comes to a case from.
func backTo(role auth.Role) (path, key string) {
	switch role {
	case auth.RoleApplicant:
		return "/my", "nav.my"
	case auth.RoleFrontDesk:
		return "/desk/cases", "nav.desk_cases"
	case auth.RoleReviewer:
		return "/review", "nav.review"
	case auth.RoleIssuer:
		return "/issue", "nav.issue"
	case auth.RoleHallManager:
		return "/hall", "nav.hall"
	case auth.RoleFinanceOfficer:
		return "/bank", "bank.nav"
	}
	return "/admin", "nav.admin"
}

// loadCase gathers what the case page shows.
func (w *Web) loadCase(r *http.Request, u auth.User, id int64) (caseData, error) {
	ctx := r.Context()
	c, err := w.Cases.Get(ctx, u, id)
	if err != nil {
		return caseData{}, err
	}
	shown := c.ShownTo(u)
	canReveal := shown.Applicant != c.Applicant
	c = shown
	d := caseData{Case: c, SLA: w.Cases.SLA(&c), Dept: catalog.Department{Code: c.DepartmentCode, Name: c.DepartmentCode},
		Point: network.Point{Code: c.PointCode, Name: c.PointCode}, CanReveal: canReveal}
	if d.Events, err = w.Cases.Events(ctx, u, id); err == nil {
		for _, e := range d.Events {
			if e.OnBehalf != "" {
				d.ActedFor = append(d.ActedFor, e)
			}
		}
	}
	if err != nil {
		return d, err
	}
	if d.Item, err = w.Catalog.Version(ctx, c.ItemCode, c.ItemVersion); err != nil {
		return d, err
	}
	if d.Docs, err = w.Cases.Documents(ctx, u, id); err != nil {
		return d, err
	}
	if dep, err := w.Catalog.Department(ctx, c.DepartmentCode); err == nil {
		d.Dept = dep
	}
	if pt, err := w.Points.Get(ctx, nil, c.PointCode); err == nil {
		d.Point = pt
	}
	var types []string
	for _, m := range c.Materials {
		types = append(types, m.Type)
	}
	d.Check = cases.CheckMaterials(&d.Item, types)
	for _, m := range d.Item.Materials {
		row := materialRow{Material: m}
		for i := range c.Materials {
			if c.Materials[i].Type == m.Type {
				row.Provided = &c.Materials[i]
			}
		}
		d.Materials = append(d.Materials, row)
	}
	open := []cases.State{cases.Draft, cases.Submitted, cases.PreReviewReturned, cases.Received, cases.SupplementNeeded}
	d.ShowNotice = slices.Contains(open, c.State) && !d.Check.Complete()
	d.CanUpload = (u.Role == auth.RoleApplicant || u.Role == auth.RoleFrontDesk) &&
		slices.Contains(append(open, cases.Accepted, cases.InReview), c.State)
	for _, a := range cases.Allowed(c.State, u.Role) {
		spec := actionSpecs[a]
		if u.Role != auth.RoleFrontDesk {
			spec.Materials = false
		}
		if a == cases.EndSpecial && c.SpecialProcedure == "" || a == cases.StartSpecial && c.PausedSince != "" {
			continue // the service would refuse: do not offer it
		}
		if a == cases.Extend {
			continue // offered with the request it answers, below
		}
		d.Actions = append(d.Actions, actionForm{Action: a, actionSpec: spec})
	}
	// The expected next steps first, the ones that end a case last.
	slices.SortStableFunc(d.Actions, func(a, b actionForm) int { return rank(a) - rank(b) })
	for p := range cases.SpecialProcedures {
		d.Procedures = append(d.Procedures, p)
	}
	slices.Sort(d.Procedures)
	d.Methods = []string{cases.IssueAtWindow, cases.IssueByPost, cases.IssueElectronic}
	d.Back, d.BackKey = backTo(u.Role)
	d.Extension = extensionFor(u.Role, &c, d.Events)
	d.Panel = panelFor(u.Role, &d)
	if c.IssueMethod == cases.IssueAtWindow {
		if d.Collection, err = w.Cases.Collection(ctx, u, id); err != nil {
			return d, err
		}
	}
	return d, nil
}

// extensionFor says what the case page shows role about extensions: the
// part is for the reviewers who ask and the administrators who decide; nil
// when there is nothing for role (the history lists the steps for everyone).
func extensionFor(role auth.Role, c *cases.Case, events []cases.Event) *extensionData {
	if role != auth.RoleReviewer && role != auth.RoleAdmin {
		return nil
	}
	pending := cases.PendingExtension(events)
	timed := c.PromisedDue != "" // the case has a limit to extend
	x := &extensionData{Pending: pending}
	x.CanRequest = timed && cases.CheckExtensionStep(c.State, cases.RequestExtension, role, pending != nil) == nil
	x.CanRefuse = cases.CheckExtensionStep(c.State, cases.RefuseExtension, role, pending != nil) == nil
	x.Waiting = pending != nil && role == auth.RoleReviewer
	if _, err := cases.Next(c.State, cases.Extend, role); err == nil && timed {
		x.CanExtend = true
	}
	if x.Pending == nil && !x.CanRequest && !x.CanExtend {
		return nil
	}
	return x
}

func rank(a actionForm) int {
	switch {
	case a.Primary:
		return 0
	case a.Danger:
		return 2
	}
	return 1
}

// casePageOf is the case page showing d.
func casePageOf(l Lang, d caseData) page {
	return page{Name: "case", TitleText: l.T("case.title") + " " + d.Case.Number, Data: d, OwnMessages: true, Scripts: []string{"case.js"}}
}

func (w *Web) casePage(ctx context.Context, c *call) (answer, error) {
	d, err := w.loadCase(c.R, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	p := casePageOf(c.L, d)
	if a := cases.Action(c.Query("done")); a != "" {
		if _, ok := cases.ActionNames[a]; ok {
			p.Flash = c.L.Tf("flash.acted", c.L.Action(a))
		}
		if a == cases.Extend {
			p.Flash = c.L.Tf("extension.approved", d.Case.PromisedDue, d.Case.LegalDue)
		}
	}
	return p, nil
}

// revealIdentity shows the case page with the applicant's identity card and
// mobile numbers whole, to those who may see the case; the service writes
// the reveal to the audit log first. It answers the POST with the page
// itself, so the numbers are in no address and no history entry.
func (w *Web) revealIdentity(ctx context.Context, c *call) (answer, error) {
	a, err := w.Cases.RevealIdentity(ctx, c.User, c.ID, w.clientIP(c.R))
	if err != nil {
		return nil, err
	}
	d, err := w.loadCase(c.R, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	d.Case.Applicant, d.CanReveal, d.Revealed = a.Applicant, false, true
	return casePageOf(c.L, d), nil
}

// reasonsOf splits the reasons box into one reason per line.
func reasonsOf(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// atoiField reads a whole number from the form (0 when empty); one that
// does not read is a problem of its field.
func atoiField(f *apperr.Fields, r *http.Request, name string) int { return formInt(f, r, name, name) }

// act applies one action from the case page's forms.
func (w *Web) act(ctx context.Context, c *call) (answer, error) {
	r, id := c.R, c.ID
	action := cases.Action(c.Form("action"))
	choice, panel := decisionAction(c.Form("decision"))
	if panel {
		action = choice.Action
	}
	var f apperr.Fields
	req := cases.ActRequest{Reasons: reasonsOf(c.Form("reasons")), Note: c.Trim("note"), Materials: c.Values("materials"),
		IssueMethod: c.Form("issue_method"), Address: c.Trim("address"), Procedure: c.Form("procedure")}
	req.WaiverDays = atoiField(&f, r, "waiver_days")
	req.Days = atoiField(&f, r, "days")
	if panel {
		if !choice.Reasons {
			req.Reasons = nil // the box belongs to other choices
		} else {
			req.Materials = nil // nothing is received with a refusal
		}
		if !choice.Waiver {
			req.WaiverDays = 0
		}
		if choice.Final && !confirmed(r) {
			return ask{c.L.T("panel.ask_not_accept"), c.L.T("panel.ask_detail"), c.L.Action(action), fmt.Sprintf("/cases/%d", id)}, nil
		}
	}
	if action == cases.Issue {
		col, err := w.collectorOf(r)
		if err != nil {
			return w.caseAgain(c, err, nil), err
		}
		req.Collector = col
	}
	if !panel && actionSpecs[action].Confirm && !confirmed(r) {
		f.Add(confirmField, "required", apperr.M("请勾选确认后再提交", "tick the box to confirm first"))
	}
	req.Version = versionField(&f, r)
	err := f.Err()
	if err == nil {
		_, err = w.Cases.Act(ctx, c.User, id, action, req)
	}
	if err != nil {
		return w.caseAgain(c, err, nil), err
	}
	return seeOther(fmt.Sprintf("/cases/%d?done=%s", id, action)), nil
}

// versionField reads the record version a form carries (nil when it has
// none); one that does not read is a problem of its field.
func versionField(f *apperr.Fields, r *http.Request) *int {
	v := r.PostFormValue("version")
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.Add("version", "number", apperr.M("须为整数", "must be a whole number"))
	}
	return &n
}

// caseAgain shows the case again with what went wrong, after edit (nil:
// none) marks the form that was sent; errors that hide the case (not
// found, out of scope) get the error page.
func (w *Web) caseAgain(c *call, cause error, edit func(*caseData)) answer {
	code := apperr.CodeOf(cause)
	if code == apperr.NotFound || code == apperr.Forbidden || code == apperr.Internal || code == "" {
		return nil
	}
	return reload(func() (answer, error) {
		d, err := w.loadCase(c.R, c.User, c.ID)
		if err != nil {
			return nil, err
		}
		if edit != nil {
			edit(&d)
		}
		return casePageOf(c.L, d), nil
	})
}

// addMaterial takes one uploaded file for a material of the case.
func (w *Web) addMaterial(ctx context.Context, c *call) (answer, error) {
	m, err := w.readUpload(c.R, "file")
	if err == nil && m == nil {
		err = apperr.Fields{apperr.Field("file", "required", apperr.M("请选择要上传的文件", "choose a file to upload"))}.Err()
	}
	if err == nil {
		// The case must be visible before anything is written to disk.
		_, err = w.Cases.Get(ctx, c.User, c.ID)
	}
	if err == nil {
		err = w.storeFile(m)
	}
	if err == nil {
		m.Type = c.Form("type")
		_, err = w.Cases.AddMaterial(ctx, c.User, c.ID, m.Material)
	}
	if err != nil {
		return w.caseAgain(c, err, nil), err
	}
	return seeOther(fmt.Sprintf("/cases/%d?done=add_material", c.ID)), nil
}

// caseFile serves an uploaded material to those who may see the case.
func (w *Web) caseFile(ctx context.Context, c *call) (answer, error) {
	kase, err := w.Cases.Get(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	typ := c.Path("type")
	for _, m := range kase.Materials {
		if m.Type != typ || m.FileHash == "" || len(m.FileHash) != 64 {
			continue
		}
		return storedFile{Hash: m.FileHash, ContentType: m.ContentType, Modified: m.AddedAt, Cache: "private, no-store"}, nil
	}
	return nil, apperr.NotFoundf("file_not_found", apperr.M("该材料没有上传文件", "no file was uploaded for this material"))
}

// extensionDecisions are the forms of the extension part of the case page.
var extensionDecisions = map[string]cases.Action{
	"request": cases.RequestExtension, "approve": cases.Extend, "refuse": cases.RefuseExtension,
}

// extension takes a reviewer's request for more working days, or an
// administrator's decision on it: approval is the Extend action, which
// moves the due dates; a refusal leaves them.
func (w *Web) extension(ctx context.Context, c *call) (answer, error) {
	decision := c.Form("decision")
	var f apperr.Fields
	req := cases.ActRequest{Reasons: reasonsOf(c.Form("reasons")), Days: atoiField(&f, c.R, "days"), Version: versionField(&f, c.R)}
	action, ok := extensionDecisions[decision]
	if !ok {
		f.Add("decision", "unknown", apperr.M("请选择申请延期、批准或不予延期", "choose to request, approve or refuse an extension"))
	}
	err := f.Err()
	if err == nil {
		switch action {
		case cases.RequestExtension:
			_, err = w.Cases.RequestExtension(ctx, c.User, c.ID, req)
		case cases.RefuseExtension:
			_, err = w.Cases.RefuseExtension(ctx, c.User, c.ID, req)
		default:
			_, err = w.Cases.Act(ctx, c.User, c.ID, cases.Extend, req)
		}
	}
	if err != nil {
		// The problem goes next to the form that was sent, with what was
		// typed into it.
		return w.caseAgain(c, err, func(d *caseData) {
			if d.Extension != nil {
				d.Extension.Failed, d.Extension.Days, d.Extension.Reasons = decision, c.Trim("days"), c.Form("reasons")
			}
		}), err
	}
	return seeOther(fmt.Sprintf("/cases/%d?done=%s", c.ID, action)), nil
}
