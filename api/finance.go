package api

import (
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/filestore"
	"github.com/onewindow/onewindow/finance"
	"github.com/onewindow/onewindow/targets"
	"github.com/onewindow/onewindow/workday"
)

// 产融合作, the 应急周转金 and 民生实事: the rules live in packages finance
// and targets; these handlers translate HTTP.
func (s *Server) registerFinanceRoutes() {
	s.handle("GET", "/api/v1/finance/products", true, s.listFinanceProducts)
	s.handle("POST", "/api/v1/finance/products", true, s.publishFinanceProduct)
	s.handle("POST", "/api/v1/finance/needs", true, s.postFinanceNeed)
	s.handle("GET", "/api/v1/finance/needs/{id}/matches", true, s.matchFinanceNeed)
	s.handle("POST", "/api/v1/finance/needs/{id}/applications", true, s.sendFinanceNeed)
	s.handle("GET", "/api/v1/finance/applications", true, s.listFinanceApplications)
	s.handle("POST", "/api/v1/finance/applications/{id}/actions/{action}", true, s.financeApplicationAction)
	s.handle("POST", "/api/v1/finance/bridge-loans", true, s.applyBridgeLoan)
	s.handle("GET", "/api/v1/finance/bridge-loans", true, s.listBridgeLoans)
	s.handle("POST", "/api/v1/finance/bridge-loans/{id}/actions/{action}", true, s.bridgeLoanAction)
	s.handle("GET", "/api/v1/finance/figures", true, s.financeFigures)
	s.handle("POST", "/api/v1/finance/documents", true, s.uploadFinanceDocument)
	s.handle("GET", "/api/v1/public-service-targets", false, s.listYearTargets)
	s.handle("POST", "/api/v1/public-service-targets", true, s.createYearTarget)
	s.handle("POST", "/api/v1/public-service-targets/{id}/progress", true, s.reportTargetProgress)
}

// buildFinance makes the services of this file over the server's database
// when they were not given.
func (s *Server) buildFinance() {
	var cal workday.Calendar = workday.MondayFriday{}
	if s.Calendar != nil {
		cal = s.Calendar
	}
	if s.Finance == nil {
		s.Finance = finance.NewService(s.DB, cal, s.Clock)
	}
	if s.Targets == nil {
		s.Targets = targets.NewService(s.DB, s.Clock)
	}
}

func (s *Server) listFinanceProducts(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Finance.Products(r.Context(), r.URL.Query().Get("institution"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (s *Server) publishFinanceProduct(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in finance.ProductInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.Finance.PublishProduct(r.Context(), u, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) postFinanceNeed(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in finance.NeedInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	n, err := s.Finance.PostNeed(r.Context(), u, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/finance/needs/"+strconv.FormatInt(n.ID, 10)+"/matches")
	writeJSON(w, http.StatusCreated, n)
	return nil
}

// checkView is one matching criterion with its explanation in both languages.
type checkView struct {
	Criterion finance.Criterion `json:"criterion"`
	Met       bool              `json:"met"`
	WhyZH     string            `json:"why_zh"`
	WhyEN     string            `json:"why_en"`
}

type matchView struct {
	Product  finance.Product `json:"product"`
	Score    int             `json:"score"`
	Eligible bool            `json:"eligible"`
	Checks   []checkView     `json:"checks"`
}

func (s *Server) matchFinanceNeed(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	matches, err := s.Finance.Match(r.Context(), u, id)
	if err != nil {
		return err
	}
	out := make([]matchView, len(matches))
	for i, m := range matches {
		out[i] = matchView{Product: m.Product, Score: m.Score, Eligible: m.Eligible, Checks: make([]checkView, len(m.Checks))}
		for j, c := range m.Checks {
			out[i].Checks[j] = checkView{Criterion: c.Criterion, Met: c.Met, WhyZH: c.Why.ZH, WhyEN: c.Why.EN}
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) sendFinanceNeed(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		ProductIDs []int64 `json:"product_ids"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	apps, err := s.Finance.Send(r.Context(), u, id, in.ProductIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apps)
	return nil
}

func (s *Server) listFinanceApplications(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	overdue, err := queryBool(r, "overdue")
	if err != nil {
		return err
	}
	list, err := s.Finance.Applications(r.Context(), u, finance.ApplicationFilter{OverdueOnly: overdue})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (s *Server) financeApplicationAction(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in finance.ActInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.Finance.Act(r.Context(), u, id, finance.Action(r.PathValue("action")), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) applyBridgeLoan(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in finance.BridgeInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.Finance.ApplyBridge(r.Context(), u, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

func (s *Server) listBridgeLoans(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	list, err := s.Finance.BridgeLoans(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (s *Server) bridgeLoanAction(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in finance.BridgeActInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.Finance.ActBridge(r.Context(), u, id, r.PathValue("action"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) financeFigures(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	if u.Role != auth.RoleAdmin {
		return apperr.RoleNotAllowed(apperr.M("只有系统管理员可以查看产融合作数据", "only administrators read the financing figures"))
	}
	f, err := s.Finance.Figures(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (s *Server) listYearTargets(w http.ResponseWriter, r *http.Request) error {
	year := workday.DateOf(s.Clock.Now()).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			return apperr.Fields{apperr.Field("year", "range", apperr.M("年度为2000到2100", "year is 2000 to 2100"))}.Err()
		}
		year = y
	}
	list, err := s.Targets.Year(r.Context(), year, r.URL.Query().Get("department"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (s *Server) createYearTarget(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in targets.TargetInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Targets.Create(r.Context(), u, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func (s *Server) reportTargetProgress(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in targets.ReportInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Targets.ReportProgress(r.Context(), u, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// uploadFinanceDocument keeps a file a bridge loan or a progress report
// refers to by its SHA-256: a bank's commitment to renew (enterprises), or
// evidence of progress (reviewers and administrators).
func (s *Server) uploadFinanceDocument(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	if !(u.Role == auth.RoleApplicant && u.Kind == auth.KindEnterprise) && u.Role != auth.RoleReviewer && u.Role != auth.RoleAdmin {
		return apperr.RoleNotAllowed(apperr.M("您的角色不能上传此类文件", "your role may not upload these files"))
	}
	data, ct, err := s.readUpload(w, r)
	if err != nil {
		return err
	}
	hash, err := filestore.Store{Dir: s.UploadDir}.Put(data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"sha256": hash, "content_type": ct, "size": len(data)})
	return nil
}
