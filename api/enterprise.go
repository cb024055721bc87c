package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/ident"
)

// Enterprise requests (驻企服务): raised by enterprises, answered by service
// teams on the 1/2/3-working-day rule; the rules live in package enterprise.
func (s *Server) registerEnterpriseRoutes() {
	s.handle("POST", "/api/v1/enterprise-requests", true, s.raiseEnterpriseRequest)
	s.handle("GET", "/api/v1/enterprise-requests", true, s.listEnterpriseRequests)
	s.handle("GET", "/api/v1/enterprise-requests/{id}", true, serve(http.StatusOK, nil, s.getEnterpriseRequest))
	s.handle("POST", "/api/v1/enterprise-requests/{id}/actions/{action}", true, s.enterpriseRequestAction)
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

func (s *Server) raiseEnterpriseRequest(w http.ResponseWriter, r *http.Request) error {
	svc := s.Enterprise
	u, _ := actor(r)
	return s.idempotent(w, r, u, func(ctx context.Context, body []byte) (int, any, error) {
		var req enterprise.RaiseRequest
		if err := decodeBytes(body, &req); err != nil {
			return 0, nil, err
		}
		d, err := svc.Raise(ctx, u, req)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/api/v1/enterprise-requests/"+strconv.FormatInt(d.ID, 10))
		return http.StatusCreated, detailView(d), nil
	}, func(ctx context.Context, ref string) (int, any, error) {
		id, err := refID(ref, "enterprise_request")
		if err != nil {
			return 0, nil, err
		}
		d, err := svc.Get(ctx, u, id)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/api/v1/enterprise-requests/"+strconv.FormatInt(d.ID, 10))
		return http.StatusCreated, detailView(d), nil
	})
}

func (s *Server) listEnterpriseRequests(w http.ResponseWriter, r *http.Request) error {
	svc := s.Enterprise
	u, _ := actor(r)
	q := r.URL.Query()
	limit, err := queryInt(r, "limit", 20, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	statuses, err := enterprise.ParseStatuses("status", q["status"]...)
	if err != nil {
		return err
	}
	f := enterprise.Filter{Statuses: statuses, Team: strings.TrimSpace(q.Get("team")), Limit: limit, Offset: offset}
	switch q.Get("overdue") {
	case "", "false", "0":
	case "true", "1":
		f.Overdue = true
	default:
		return apperr.Fields{apperr.Field("overdue", "format", apperr.M("overdue 须为 true 或 false", "overdue must be true or false"))}.Err()
	}
	list, total, err := svc.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	views := make([]enterpriseRequestView, len(list))
	for i, req := range list {
		// Lists show contact numbers masked; the request's own page shows them whole.
		if req.Enterprise.Phone != "" {
			req.Enterprise.Phone = ident.MaskPhone(req.Enterprise.Phone)
		}
		views[i] = enterpriseRequestView{Request: req, enterpriseLabels: labelsOf(&req)}
	}
	writeJSON(w, http.StatusOK, page[enterpriseRequestView]{Items: views, Total: total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) getEnterpriseRequest(ctx context.Context, c call[noBody]) (enterpriseDetailView, error) {
	d, err := s.Enterprise.Get(ctx, c.Actor, c.ID)
	return detailView(d), err
}

func (s *Server) enterpriseRequestAction(w http.ResponseWriter, r *http.Request) error {
	svc := s.Enterprise
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	action, err := enterprise.ParseAction(r.PathValue("action"))
	if err != nil {
		return err
	}
	var req enterprise.ActRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	d, err := svc.Act(r.Context(), u, id, action, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, detailView(d))
	return nil
}

func (s *Server) listEnterpriseTeams(ctx context.Context, c call[noBody]) (page[enterprise.Team], error) {
	teams, err := s.Enterprise.Teams(ctx, c.Actor)
	return page[enterprise.Team]{Items: teams, Total: len(teams), Limit: len(teams)}, err
}

func (s *Server) putEnterpriseTeam(ctx context.Context, c call[enterprise.Team]) (enterprise.Team, error) {
	return s.Enterprise.PutTeam(ctx, c.Actor, c.In)
}
