package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/enterprise"
)

// The pages of 驻企服务: an enterprise raises a request and follows it; the
// service team accepts it, proposes a solution and holds the day-3 joint
// meeting, with the 1/2/3-day deadlines in view; the administrator sees every
// open request by its next deadline.

// requestReaders are the roles with a part in enterprise requests; the
// service checks which requests each may see.
var requestReaders = access{auth.RoleApplicant, auth.RoleFrontDesk, auth.RoleReviewer, auth.RoleAdmin}

func (w *Web) enterpriseRoutes() {
	w.page("GET /requests", requestReaders, w.requestsPage)
	w.page("POST /requests", applicants, w.raiseRequest)
	w.page("GET /requests/{id}", requestReaders, w.requestPage)
	w.page("POST /requests/{id}/{action}", requestReaders, w.actRequest)
}

func (l Lang) RequestStatus(s enterprise.Status) string { return l.Msg(enterprise.StatusNames[s]) }
func (l Lang) RequestAction(a enterprise.Action) string {
	return l.Msg(enterprise.ActionNames[a])
}
func (l Lang) RequestEvent(a string) string {
	return l.Msg(enterprise.ActionNames[enterprise.Action(a)])
}
func (l Lang) RequestCategory(c enterprise.Category) string {
	return l.Msg(enterprise.CategoryNames[c])
}
func (l Lang) DeadlineStep(s enterprise.Step) string { return l.keyed(deadlineStepKeys, string(s)) }
func (l Lang) DeadlineStatus(s enterprise.DeadlineStatus) string {
	return l.keyed(deadlineKeys, string(s))
}

type requestsData struct {
	Requests    []enterprise.Request
	Total       int
	OverdueOnly bool
	CanRaise    bool
	Categories  []enterprise.Category
	Done        string
	Form        map[string]string
}

// NextDue is the first deadline of a request still to be met, for the
// overview's order and column.
func (d requestsData) NextDue(r enterprise.Request) string {
	switch {
	case r.Status.Final():
		return ""
	case r.AcceptedAt == nil:
		return r.AcceptDue
	case r.ProposedAt == nil:
		return r.ProposeDue
	}
	return r.MeetingDue
}

var requestCategories = []enterprise.Category{enterprise.CategoryLand, enterprise.CategoryFinancing, enterprise.CategoryLabour,
	enterprise.CategoryApproval, enterprise.CategoryUtilities, enterprise.CategoryPolicy, enterprise.CategoryOther}

func (w *Web) requestsData(r *http.Request, u auth.User) (requestsData, error) {
	d := requestsData{OverdueOnly: r.URL.Query().Get("overdue") == "1", Categories: requestCategories, Done: r.URL.Query().Get("done"),
		CanRaise: u.Role == auth.RoleApplicant && u.Kind == auth.KindEnterprise, Form: map[string]string{}}
	f := enterprise.Filter{Overdue: d.OverdueOnly, Limit: 200}
	if u.Role == auth.RoleAdmin && !d.OverdueOnly {
		// The platform's overview: open requests, the earliest deadline first.
		f.Statuses = []enterprise.Status{enterprise.Raised, enterprise.Accepted, enterprise.Proposed, enterprise.Meeting, enterprise.Reopened}
	}
	var err error
	d.Requests, d.Total, err = w.Enterprise.List(r.Context(), u, f)
	if u.Role == auth.RoleAdmin {
		sortByNextDue(d)
	}
	return d, err
}

// sortByNextDue orders the overview by the next deadline, earliest first.
func sortByNextDue(d requestsData) {
	rs := d.Requests
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && d.NextDue(rs[j]) < d.NextDue(rs[j-1]); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

func (w *Web) requestsPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.requestsData(r, *s.User)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "requests", "requests.title", d)
}

func (w *Web) raiseRequest(rw http.ResponseWriter, r *http.Request, s *session) error {
	req := enterprise.RaiseRequest{Category: r.PostFormValue("category"), Description: r.PostFormValue("description"), Phone: r.PostFormValue("phone")}
	got, err := w.Enterprise.Raise(r.Context(), *s.User, req)
	if err != nil {
		d, derr := w.requestsData(r, *s.User)
		if derr != nil {
			return derr
		}
		d.Form["category"], d.Form["description"], d.Form["phone"] = req.Category, req.Description, req.Phone
		return w.renderForm(rw, r, s, "requests", "requests.title", d, err)
	}
	http.Redirect(rw, r, fmt.Sprintf("/requests/%d?done=raise", got.ID), http.StatusSeeOther)
	return nil
}

type requestData struct {
	enterprise.Detail
	Done string
}

func (w *Web) requestDetail(r *http.Request, u auth.User) (requestData, error) {
	id, err := pathID(r, "request_not_found")
	if err != nil {
		return requestData{}, err
	}
	d, err := w.Enterprise.Get(r.Context(), u, id)
	return requestData{Detail: d, Done: r.URL.Query().Get("done")}, err
}

func (w *Web) requestPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.requestDetail(r, *s.User)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "request", "requests.detail_title", d)
}

func (w *Web) actRequest(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.requestDetail(r, *s.User)
	if err != nil {
		return err
	}
	action, err := enterprise.ParseAction(r.PathValue("action"))
	if err != nil {
		return err
	}
	req := enterprise.ActRequest{Solution: r.PostFormValue("solution"), Reason: r.PostFormValue("reason"), Note: r.PostFormValue("note"),
		MeetingOn: strings.TrimSpace(r.PostFormValue("meeting_on"))}
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		req.Version = &v
	}
	if _, err := w.Enterprise.Act(r.Context(), *s.User, d.ID, action, req); err != nil {
		return w.renderForm(rw, r, s, "request", "requests.detail_title", d, err)
	}
	http.Redirect(rw, r, fmt.Sprintf("/requests/%d?done=%s", d.ID, action), http.StatusSeeOther)
	return nil
}
