package web

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
)

// A visit (一次办) is the cases opened for the person at the desk, carried
// from page to page as their ids (?visit=12,13): the next item starts with
// the applicant of the visit already filled in, and nothing about the person
// travels in addresses.
const maxVisit = 12

func parseVisit(v string) []int64 {
	var out []int64
	for _, part := range strings.Split(v, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err == nil && id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
		if len(out) == maxVisit {
			break
		}
	}
	return out
}

func visitParam(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// visitLasts is how long the cases one opened stay part of the visit at
// the desk: the person in front of the desk, not a day's queue.
const visitLasts = 4 * time.Hour

// visitCases loads the visit's cases: those this desk user opened in the
// last few hours. The next item is prefilled with the applicant's whole
// identity number, so a visit can never name a colleague's case, or an old
// one, to read a number that the case lists show masked.
func (w *Web) visitCases(ctx context.Context, u auth.User, ids []int64) ([]caseRow, []int64) {
	var list []cases.Case
	var kept []int64
	for _, id := range ids {
		c, err := w.Cases.Get(ctx, u, id)
		if err != nil {
			continue // another point's case, or gone: not part of this visit
		}
		if c.CreatedBy != u.ID || w.Clock.Now().Sub(c.CreatedAt) > visitLasts {
			continue // not this desk's visit
		}
		list = append(list, c)
		kept = append(kept, id)
	}
	return w.rows(list), kept
}

type deskData struct {
	Point        network.Point
	Visit        []caseRow
	VisitParam   string
	Applicant    *cases.Applicant
	Q            string
	Items        []catalog.Item
	Total        int
	Waiting      []caseRow
	WaitingTotal int
	// Counter is the hall's calling at this desk; nil where there is none.
	Counter *counterData
	// Bundles are the published 一件事 the desk may apply for.
	Bundles []catalog.Bundle
}

func (w *Web) desk(ctx context.Context, c *call) (answer, error) {
	pt, err := w.Points.Get(ctx, nil, c.User.PointCode)
	if err != nil {
		return nil, err
	}
	d := deskData{Point: pt, Q: strings.TrimSpace(c.Query("q"))}
	var ids []int64
	d.Visit, ids = w.visitCases(ctx, c.User, parseVisit(c.Query("visit")))
	d.VisitParam = visitParam(ids)
	for i := range d.Visit {
		d.Visit[i].Applicant = d.Visit[i].Applicant.Masked() // the visit's heading shows the identity number
	}
	if len(d.Visit) > 0 {
		a := d.Visit[0].Applicant
		d.Applicant = &a
	}
	if d.Counter, err = w.counter(ctx, c.User, d.Visit); err != nil {
		return nil, err
	}
	bundles, err := w.Catalog.Bundles(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range bundles {
		if b.Status == catalog.StatusPublished {
			d.Bundles = append(d.Bundles, b)
		}
	}
	if d.Q != "" {
		items, total, err := w.Catalog.Search(ctx, catalog.Filter{Query: d.Q, Level: pt.Level, Limit: 10})
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				return nil, err
			}
			return page{Name: "desk", Title: "desk.title", Data: d}, err
		}
		d.Items, d.Total = items, total
	}
	waiting, total, err := w.Cases.List(ctx, c.User, cases.Filter{States: []cases.State{cases.Submitted}, Sort: "due", Limit: 5})
	if err != nil {
		return nil, err
	}
	d.Waiting, d.WaitingTotal = w.rows(waiting), total
	p := page{Name: "desk", Title: "desk.title", Data: d}
	if a := cases.Action(c.Query("done")); a != "" && len(d.Visit) > 0 {
		if _, ok := cases.ActionNames[a]; ok {
			p.Flash = c.L.Tf("flash.desk", d.Visit[len(d.Visit)-1].Number, c.L.Action(a))
		}
	}
	return p, nil
}

// acceptData is the desk's form for one item: who applies, what they
// brought, and what the desk decides.
type acceptData struct {
	Item       catalog.Item
	Point      network.Point
	AtLevel    bool
	VisitParam string
	VisitSize  int
	Applicant  cases.Applicant
	Presented  []string
	Channel    cases.Channel
	Channels   []cases.Channel
	Reasons    string
	WaiverDays string
	Missing    []catalog.Material
}

func (w *Web) acceptForm(ctx context.Context, u auth.User, code string) (acceptData, error) {
	it, err := w.Catalog.Published(ctx, code)
	if err != nil {
		return acceptData{}, err
	}
	pt, err := w.Points.Get(ctx, nil, u.PointCode)
	if err != nil {
		return acceptData{}, err
	}
	return acceptData{Item: it, Point: pt, AtLevel: it.HandledAt(pt.Level), Channel: cases.ChannelWindow,
		Channels:  []cases.Channel{cases.ChannelWindow, cases.ChannelAssisted, cases.ChannelSelfService},
		Applicant: cases.Applicant{Kind: "person"}}, nil
}

func (w *Web) acceptPage(ctx context.Context, c *call) (acceptData, error) {
	d, err := w.acceptForm(ctx, c.User, c.Query("item"))
	if err != nil {
		return d, err
	}
	visit, ids := w.visitCases(ctx, c.User, parseVisit(c.Query("visit")))
	d.VisitParam, d.VisitSize = visitParam(ids), len(ids)
	if len(visit) > 0 {
		d.Applicant = visit[0].Applicant
		d.Applicant.UserID = nil
	}
	return d, nil
}

// Decisions the desk can take on the accept form; each is a case action
// taken right after the case is opened.
var deskDecisions = map[string]cases.Action{
	"accept":     cases.Accept,
	"notify":     cases.NotifyMissing,
	"not_accept": cases.NotAccept,
}

// accept opens a case for the person at the desk with the desk's decision
// on it, in one transaction (the service applies the materials rule).
func (w *Web) accept(ctx context.Context, c *call) (answer, error) {
	d, err := w.acceptForm(ctx, c.User, c.Form("item"))
	if err != nil {
		return nil, err
	}
	ids := parseVisit(c.Form("visit"))
	d.VisitParam, d.VisitSize = visitParam(ids), len(ids)
	d.Applicant = cases.Applicant{Kind: c.Form("kind"), Name: c.Trim("name"), IDNumber: c.Trim("id_number"),
		CreditCode: c.Trim("credit_code"), Phone: c.Trim("phone")}
	d.Presented = c.Values("materials")
	d.Channel = cases.Channel(c.Form("channel"))
	d.Reasons = c.Form("reasons")
	d.WaiverDays = c.Form("waiver_days")
	form := page{Name: "accept", Title: "accept.title", Data: d}

	action, ok := deskDecisions[c.Form("decision")]
	if !ok {
		return form, apperr.Fields{apperr.Field("decision", "unknown", apperr.M("请选择受理、一次性告知或不予受理", "choose accept, one-time notice or do not accept"))}.Err()
	}
	var f apperr.Fields
	waiver := 0
	if d.WaiverDays != "" {
		if waiver, err = strconv.Atoi(strings.TrimSpace(d.WaiverDays)); err != nil {
			f.Add("waiver_days", "number", apperr.M("须为整数", "must be a whole number"))
		}
	}
	if err := f.Err(); err != nil {
		return form, err
	}
	// 不予受理 ends the application: asked once more, with the reasons
	// written (without them the form says so first).
	if action == cases.NotAccept && !confirmed(c.R) && len(reasonsOf(d.Reasons)) > 0 {
		return ask{c.L.T("panel.ask_not_accept"), c.L.T("panel.ask_detail"), c.L.Action(action), "/desk/accept?item=" + url.QueryEscape(d.Item.Code)}, nil
	}
	a := d.Applicant
	if a.Kind == "person" {
		a.CreditCode = "" // the form keeps both boxes; a person has no credit code
	}
	// The case is opened with the desk's decision in one transaction: a
	// decision the rules refuse leaves no case behind, and the form keeps
	// what was typed.
	made, err := w.Cases.Create(ctx, c.User, cases.CreateRequest{Item: d.Item.Code, Channel: d.Channel, Applicant: &a, Materials: d.Presented,
		Then: &cases.FirstAction{Action: action, Request: cases.ActRequest{Reasons: reasonsOf(d.Reasons), WaiverDays: waiver}}})
	if err != nil {
		if ae := apperr.As(err); ae.Reason == "materials_missing" {
			d.Missing = cases.CheckMaterials(&d.Item, d.Presented).Missing
		}
		return page{Name: "accept", Title: "accept.title", Data: d}, err
	}
	ids = append(ids, made.ID)
	return seeOther("/desk?visit=" + url.QueryEscape(visitParam(ids)) + "&done=" + string(action)), nil
}

// deskCases lists the cases of the desk's point.
var deskCases = queueSpec{
	Title: "desk_cases.title", Path: "/desk/cases",
	States: []cases.State{cases.Submitted, cases.Received, cases.SupplementNeeded, cases.Accepted, cases.InReview,
		cases.ReadyForIssue, cases.Issued, cases.NotAccepted, cases.Closed},
}

// Notice is the document the desk prints for a case it has just handled:
// the receipt of an acceptance (容缺 or not), the one-time notice of what is
// missing, or the notice of non-acceptance; "" when there is none yet.
func (c caseRow) Notice() string {
	switch {
	case c.State == cases.NotAccepted:
		return cases.DocNotAccepted
	case len(c.Waived) > 0 && c.AcceptedAt != nil:
		return cases.DocWaiver
	case c.AcceptedAt != nil:
		return cases.DocAcceptance
	case c.State == cases.SupplementNeeded:
		return cases.DocMissing
	}
	return ""
}
