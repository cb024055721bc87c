package web

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
)

// queueSpec describes a work list: which states it shows and how it is
// ordered. The service limits every list to the user's department or point.
type queueSpec struct {
	Title  string
	Path   string
	States []cases.State // the tabs; all of them when none is chosen
	ByDue  bool          // earliest promised date first (work queues)
	SLA    bool          // offer the SLA filter
	Search bool          // offer the case number, department and point filters (the administrators' list of every case)
}

type queueData struct {
	queueSpec
	State       cases.State
	SLAFilter   string
	SLAStatuses []string
	Cases       []caseRow
	Total       int
	PrevURL     string
	NextURL     string
	Depts       map[string]catalog.Department
	// The filters of a list with Search.
	Number     string
	Department string
	PointCode  string // the point the list is filtered to
	PointQ     string // what was typed for it: a code or words of its name
	// PointChoices are the points the words found when they found several,
	// offered to choose from; PointNone says they found none.
	PointChoices []network.Point
	PointNone    bool
	Departments  []catalog.Department
}

// PointURL is the address of the list filtered to one point.
func (d queueData) PointURL(code string) string {
	d.PointCode = code
	return d.TabURL(d.State)
}

// TabURL is the address of the list filtered to one state ("" for all).
func (d queueData) TabURL(state cases.State) string {
	v := url.Values{}
	if state != "" {
		v.Set("state", string(state))
	}
	if d.SLAFilter != "" {
		v.Set("sla", d.SLAFilter)
	}
	for k, x := range map[string]string{"number": d.Number, "department": d.Department, "point": d.PointCode} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if len(v) == 0 {
		return d.Path
	}
	return d.Path + "?" + v.Encode()
}

// queueOf is the handler of the list of cases spec describes.
func (w *Web) queueOf(spec queueSpec) handler {
	return func(ctx context.Context, c *call) (answer, error) {
		d, err := w.queueData(ctx, c, spec)
		if err != nil {
			return nil, err
		}
		return page{Name: "queue", Title: spec.Title, Data: d}, nil
	}
}

func (w *Web) queueData(ctx context.Context, c *call, spec queueSpec) (queueData, error) {
	q := c.R.URL.Query()
	d := queueData{queueSpec: spec, State: cases.State(q.Get("state")), SLAFilter: q.Get("sla")}
	offset, err := offsetOf(c.R)
	if err != nil {
		return d, err
	}
	f := cases.Filter{States: spec.States, Limit: casesPerPage, Offset: offset}
	if d.State != "" {
		if !slices.Contains(spec.States, d.State) {
			return d, apperr.Fields{apperr.Field("state", "unknown", apperr.M("没有这个状态", "no such state in this list"))}.Err()
		}
		f.States = []cases.State{d.State}
	}
	if spec.SLA {
		d.SLAStatuses = cases.SLAStatuses
		if d.SLAFilter != "" && !slices.Contains(cases.SLAStatuses, d.SLAFilter) {
			return d, apperr.Fields{apperr.Field("sla", "unknown", apperr.M("时限状态须为 on_time、warning、overdue 或 paused", "sla must be on_time, warning, overdue or paused"))}.Err()
		}
		f.SLA = d.SLAFilter
	} else {
		d.SLAFilter = ""
	}
	if spec.ByDue {
		f.Sort = "due"
	}
	if spec.Search {
		d.Number = strings.ToUpper(strings.TrimSpace(q.Get("number")))
		d.Department, d.PointQ = q.Get("department"), strings.TrimSpace(q.Get("point"))
		if d.PointQ != "" {
			if err := w.choosePoint(ctx, &d); err != nil {
				return d, err
			}
		}
		f.Number, f.Department, f.Point = d.Number, d.Department, d.PointCode
		if d.Departments, err = w.Catalog.Departments(ctx); err != nil {
			return d, err
		}
	}
	var list []cases.Case
	total := 0
	if d.PointQ == "" || d.PointCode != "" {
		// Words that name no one point list nothing until one is chosen.
		if list, total, err = w.Cases.List(ctx, c.User, f); err != nil {
			return d, err
		}
	}
	d.Cases, d.Total = w.rows(list), total
	base := d.TabURL(d.State)
	if len(base) == len(d.Path) {
		base += "?"
	} else {
		base += "&"
	}
	d.PrevURL, d.NextURL = pager(base, offset, len(list), total)
	d.Depts, err = w.Catalog.DepartmentsByCode(ctx)
	return d, err
}

// reviewQueue is a department's work: accepted cases first by due date,
// with their SLA badge, and the decided ones waiting for their result.
var reviewQueue = queueSpec{Title: "review.title", Path: "/review", ByDue: true, SLA: true,
	States: cases.ReviewQueueStates}

// issueQueue is the issuing window's work: decided cases to make a result
// for, results to hand out, and results handed out to close.
var issueQueue = queueSpec{Title: "issue.title", Path: "/issue", ByDue: true,
	States: cases.IssueQueueStates}

// choosePoint reads the point filter: a point's code, else words of its
// name (or address), of which the one point found is the filter; several
// found are offered to choose from, none is said.
func (w *Web) choosePoint(ctx context.Context, d *queueData) error {
	for _, code := range []string{d.PointQ, strings.ToUpper(d.PointQ)} {
		if pt, err := w.Points.Get(ctx, nil, code); err == nil {
			d.PointCode = pt.Code
			return nil
		}
	}
	found, _, err := w.Points.Search(ctx, network.Filter{Query: d.PointQ, Limit: pickerLimit})
	if err != nil {
		return err
	}
	switch len(found) {
	case 0:
		d.PointNone = true
	case 1:
		d.PointCode = found[0].Code
	default:
		d.PointChoices = found
	}
	return nil
}
