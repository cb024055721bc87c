package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
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
	Number      string
	Department  string
	PointCode   string
	Departments []catalog.Department
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

func (w *Web) queue(rw http.ResponseWriter, r *http.Request, s *session, spec queueSpec) error {
	q := r.URL.Query()
	d := queueData{queueSpec: spec, State: cases.State(q.Get("state")), SLAFilter: q.Get("sla")}
	offset, err := offsetOf(r)
	if err != nil {
		return err
	}
	f := cases.Filter{States: spec.States, Limit: casesPerPage, Offset: offset}
	if d.State != "" {
		if !slices.Contains(spec.States, d.State) {
			return apperr.Fields{apperr.Field("state", "unknown", apperr.M("没有这个状态", "no such state in this list"))}.Err()
		}
		f.States = []cases.State{d.State}
	}
	if spec.SLA {
		d.SLAStatuses = cases.SLAStatuses
		if d.SLAFilter != "" && !slices.Contains(cases.SLAStatuses, d.SLAFilter) {
			return apperr.Fields{apperr.Field("sla", "unknown", apperr.M("时限状态须为 on_time、warning、overdue 或 paused", "sla must be on_time, warning, overdue or paused"))}.Err()
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
		d.Department, d.PointCode = q.Get("department"), strings.TrimSpace(q.Get("point"))
		f.Number, f.Department, f.Point = d.Number, d.Department, d.PointCode
		if d.Departments, err = w.Catalog.Departments(r.Context()); err != nil {
			return err
		}
	}
	list, total, err := w.Cases.List(r.Context(), *s.User, f)
	if err != nil {
		return err
	}
	d.Cases, d.Total = w.rows(list), total
	base := d.TabURL(d.State)
	if len(base) == len(d.Path) {
		base += "?"
	} else {
		base += "&"
	}
	d.PrevURL, d.NextURL = pager(base, offset, len(list), total)
	if d.Depts, err = w.Catalog.DepartmentsByCode(r.Context()); err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "queue", spec.Title, d)
}

// reviewQueue is a department's work: accepted cases first by due date,
// with their SLA badge, and the decided ones waiting for their result.
func (w *Web) reviewQueue(rw http.ResponseWriter, r *http.Request, s *session) error {
	return w.queue(rw, r, s, queueSpec{Title: "review.title", Path: "/review", ByDue: true, SLA: true,
		States: []cases.State{cases.Accepted, cases.InReview, cases.SupplementNeeded, cases.Approved, cases.Refused}})
}

// issueQueue is the issuing window's work: decided cases to make a result
// for, results to hand out, and results handed out to close.
func (w *Web) issueQueue(rw http.ResponseWriter, r *http.Request, s *session) error {
	return w.queue(rw, r, s, queueSpec{Title: "issue.title", Path: "/issue", ByDue: true,
		States: []cases.State{cases.ReadyForIssue, cases.Approved, cases.Refused, cases.Issued}})
}
