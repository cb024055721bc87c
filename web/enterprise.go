package web

import (
	"context"
	"fmt"

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
	requestID := recordID("request_not_found")
	show(w, "GET /requests", requestReaders, "requests", "requests.title", w.requestsData)
	w.handle("POST /requests", applicants, w.raiseRequest)
	show(w, "GET /requests/{id}", requestReaders, "request", "requests.detail_title", w.requestDetail, requestID)
	w.handle("POST /requests/{id}/{action}", requestReaders, w.actRequest, requestID)
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

func (w *Web) requestsData(ctx context.Context, c *call) (requestsData, error) {
	u := c.User
	d := requestsData{OverdueOnly: c.Query("overdue") == "1", Categories: requestCategories, Done: c.Query("done"),
		CanRaise: u.Role == auth.RoleApplicant && u.Kind == auth.KindEnterprise, Form: map[string]string{}}
	f := enterprise.Filter{Overdue: d.OverdueOnly, Limit: 200}
	if u.Role == auth.RoleAdmin && !d.OverdueOnly {
		// The platform's overview: open requests, the earliest deadline first.
		f.Statuses = []enterprise.Status{enterprise.Raised, enterprise.Accepted, enterprise.Proposed, enterprise.Meeting, enterprise.Reopened}
	}
	var err error
	d.Requests, d.Total, err = w.Enterprise.List(ctx, u, f)
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

func (w *Web) raiseRequest(ctx context.Context, c *call) (answer, error) {
	req := enterprise.RaiseRequest{Category: c.Form("category"), Description: c.Form("description"), Phone: c.Form("phone")}
	got, err := w.Enterprise.Raise(ctx, c.User, req)
	if err != nil {
		return reload(func() (answer, error) {
			d, err := w.requestsData(ctx, c)
			d.Form["category"], d.Form["description"], d.Form["phone"] = req.Category, req.Description, req.Phone
			return page{Name: "requests", Title: "requests.title", Data: d}, err
		}), err
	}
	return seeOther(fmt.Sprintf("/requests/%d?done=raise", got.ID)), nil
}

type requestData struct {
	enterprise.Detail
	Done string
}

func (w *Web) requestDetail(ctx context.Context, c *call) (requestData, error) {
	d, err := w.Enterprise.Get(ctx, c.User, c.ID)
	return requestData{Detail: d, Done: c.Query("done")}, err
}

func (w *Web) actRequest(ctx context.Context, c *call) (answer, error) {
	d, err := w.requestDetail(ctx, c)
	if err != nil {
		return nil, err
	}
	action, err := enterprise.ParseAction(c.Path("action"))
	if err != nil {
		return nil, err
	}
	req := enterprise.ActRequest{Solution: c.Form("solution"), Reason: c.Form("reason"), Note: c.Form("note"), MeetingOn: c.Trim("meeting_on"),
		Version: c.Version()}
	if _, err := w.Enterprise.Act(ctx, c.User, d.ID, action, req); err != nil {
		return page{Name: "request", Title: "requests.detail_title", Data: d}, err
	}
	return seeOther(fmt.Sprintf("/requests/%d?done=%s", d.ID, action)), nil
}
