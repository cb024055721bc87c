package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/ident"
)

// Enterprise requests (驻企服务): raised by enterprises, answered by service
// teams on the 1/2/3-working-day rule; the rules live in package enterprise.
func (s *Server) registerEnterpriseRoutes() {
	s.handle("POST", "/api/v1/enterprise-requests", true, serveOnce(s, "enterprise_request", s.raiseEnterpriseRequest, s.reloadEnterpriseRequest))
	s.handle("GET", "/api/v1/enterprise-requests", true, serve(http.StatusOK, nil, s.listEnterpriseRequests))
	s.handle("GET", "/api/v1/enterprise-requests/{id}", true, serve(http.StatusOK, nil, s.getEnterpriseRequest))
	s.handle("POST", "/api/v1/enterprise-requests/{id}/actions/{action}", true, serve(http.StatusOK, nil, s.enterpriseRequestAction))
	s.handle("GET", "/api/v1/enterprise-teams", true, serve(http.StatusOK, nil, s.listEnterpriseTeams))
	s.handle("POST", "/api/v1/enterprise-teams", true, serve(http.StatusOK, nil, s.putEnterpriseTeam))
}

// enterpriseLabels are the request's status and category in both languages.
type enterpriseLabels struct {
	StatusZH   string `json:"status_zh"`
	StatusEN   string `json:"status_en"`
	CategoryZH string `json:"category_zh"`
	CategoryEN string `json:"category_en"`
}

func labelsOf(r *enterprise.Request) enterpriseLabels {
	st, cat := enterprise.StatusNames[r.Status], enterprise.CategoryNames[r.Category]
	return enterpriseLabels{StatusZH: st.ZH, StatusEN: st.EN, CategoryZH: cat.ZH, CategoryEN: cat.EN}
}

type enterpriseRequestView struct {
	enterprise.Request
	enterpriseLabels
}

type enterpriseDetailView struct {
	enterprise.Detail
	enterpriseLabels
}

func detailView(d enterprise.Detail) enterpriseDetailView {
	return enterpriseDetailView{Detail: d, enterpriseLabels: labelsOf(&d.Request)}
}

// enterpriseRequestURL is where a request is read.
func enterpriseRequestURL(h http.Header, id int64) {
	h.Set("Location", "/api/v1/enterprise-requests/"+strconv.FormatInt(id, 10))
}

func (s *Server) raiseEnterpriseRequest(ctx context.Context, c call[enterprise.RaiseRequest]) (enterpriseDetailView, error) {
	d, err := s.Enterprise.Raise(ctx, c.Actor, c.In)
	if err != nil {
		return enterpriseDetailView{}, err
	}
	enterpriseRequestURL(c.Header, d.ID)
	return detailView(d), nil
}

// reloadEnterpriseRequest answers a retried request with the one the first raised.
func (s *Server) reloadEnterpriseRequest(ctx context.Context, c call[noBody]) (enterpriseDetailView, error) {
	d, err := s.Enterprise.Get(ctx, c.Actor, c.ID)
	if err != nil {
		return enterpriseDetailView{}, err
	}
	enterpriseRequestURL(c.Header, d.ID)
	return detailView(d), nil
}

func (s *Server) listEnterpriseRequests(ctx context.Context, c call[noBody]) (page[enterpriseRequestView], error) {
	q := c.R.URL.Query()
	limit, offset, err := paging(c.R, 20, 200)
	if err != nil {
		return page[enterpriseRequestView]{}, err
	}
	statuses, err := enterprise.ParseStatuses("status", q["status"]...)
	if err != nil {
		return page[enterpriseRequestView]{}, err
	}
	f := enterprise.Filter{Statuses: statuses, Team: strings.TrimSpace(q.Get("team")), Limit: limit, Offset: offset}
	if f.Overdue, err = queryBool(c.R, "overdue"); err != nil {
		return page[enterpriseRequestView]{}, err
	}
	list, total, err := s.Enterprise.List(ctx, c.Actor, f)
	views := make([]enterpriseRequestView, len(list))
	for i, req := range list {
		// Lists show contact numbers masked; the request's own page shows them whole.
		if req.Enterprise.Phone != "" {
			req.Enterprise.Phone = ident.MaskPhone(req.Enterprise.Phone)
		}
		views[i] = enterpriseRequestView{Request: req, enterpriseLabels: labelsOf(&req)}
	}
	return page[enterpriseRequestView]{Items: views, Total: total, Limit: limit, Offset: offset}, err
}

func (s *Server) getEnterpriseRequest(ctx context.Context, c call[noBody]) (enterpriseDetailView, error) {
	d, err := s.Enterprise.Get(ctx, c.Actor, c.ID)
	return detailView(d), err
}

func (s *Server) enterpriseRequestAction(ctx context.Context, c call[maybe[enterprise.ActRequest]]) (enterpriseDetailView, error) {
	action, err := enterprise.ParseAction(c.Path("action"))
	if err != nil {
		return enterpriseDetailView{}, err
	}
	d, err := s.Enterprise.Act(ctx, c.Actor, c.ID, action, c.In.Body)
	return detailView(d), err
}

func (s *Server) listEnterpriseTeams(ctx context.Context, c call[noBody]) (page[enterprise.Team], error) {
	teams, err := s.Enterprise.Teams(ctx, c.Actor)
	return all(teams), err
}

func (s *Server) putEnterpriseTeam(ctx context.Context, c call[enterprise.Team]) (enterprise.Team, error) {
	return s.Enterprise.PutTeam(ctx, c.Actor, c.In)
}
