package api

import (
	"context"
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
	s.handle("GET", "/api/v1/finance/products", true, serve(http.StatusOK, nil, s.listFinanceProducts))
	s.handle("POST", "/api/v1/finance/products", true, serve(http.StatusCreated, nil, s.publishFinanceProduct))
	s.handle("POST", "/api/v1/finance/needs", true, serve(http.StatusCreated, nil, s.postFinanceNeed))
	s.handle("GET", "/api/v1/finance/needs/{id}/matches", true, serve(http.StatusOK, nil, s.matchFinanceNeed))
	s.handle("POST", "/api/v1/finance/needs/{id}/applications", true, serve(http.StatusCreated, nil, s.sendFinanceNeed))
	s.handle("GET", "/api/v1/finance/applications", true, serve(http.StatusOK, nil, s.listFinanceApplications))
	s.handle("POST", "/api/v1/finance/applications/{id}/actions/{action}", true, serve(http.StatusOK, nil, s.financeApplicationAction))
	s.handle("POST", "/api/v1/finance/bridge-loans", true, serve(http.StatusCreated, nil, s.applyBridgeLoan))
	s.handle("GET", "/api/v1/finance/bridge-loans", true, serve(http.StatusOK, nil, s.listBridgeLoans))
	s.handle("POST", "/api/v1/finance/bridge-loans/{id}/actions/{action}", true, serve(http.StatusOK, nil, s.bridgeLoanAction))
	s.handle("GET", "/api/v1/finance/figures", true, serve(http.StatusOK, nil, s.financeFigures))
	s.handle("POST", "/api/v1/finance/documents", true, serve(http.StatusCreated,
		[]auth.Role{auth.RoleApplicant, auth.RoleReviewer, auth.RoleAdmin}, s.uploadFinanceDocument))
	s.handle("GET", "/api/v1/public-service-targets", false, serve(http.StatusOK, nil, s.listYearTargets))
	s.handle("POST", "/api/v1/public-service-targets", true, serve(http.StatusCreated, nil, s.createYearTarget))
	s.handle("POST", "/api/v1/public-service-targets/{id}/progress", true, serve(http.StatusOK, nil, s.reportTargetProgress))
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

func (s *Server) listFinanceProducts(ctx context.Context, c call[noBody]) ([]finance.Product, error) {
	return s.Finance.Products(ctx, c.Query("institution"))
}

func (s *Server) publishFinanceProduct(ctx context.Context, c call[finance.ProductInput]) (finance.Product, error) {
	return s.Finance.PublishProduct(ctx, c.Actor, c.In)
}

func (s *Server) postFinanceNeed(ctx context.Context, c call[finance.NeedInput]) (finance.Need, error) {
	n, err := s.Finance.PostNeed(ctx, c.Actor, c.In)
	if err == nil {
		c.Header.Set("Location", "/api/v1/finance/needs/"+strconv.FormatInt(n.ID, 10)+"/matches")
	}
	return n, err
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

func (s *Server) matchFinanceNeed(ctx context.Context, c call[noBody]) ([]matchView, error) {
	matches, err := s.Finance.Match(ctx, c.Actor, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]matchView, len(matches))
	for i, m := range matches {
		out[i] = matchView{Product: m.Product, Score: m.Score, Eligible: m.Eligible, Checks: make([]checkView, len(m.Checks))}
		for j, c := range m.Checks {
			out[i].Checks[j] = checkView{Criterion: c.Criterion, Met: c.Met, WhyZH: c.Why.ZH, WhyEN: c.Why.EN}
		}
	}
	return out, nil
}

type sendInput struct {
	ProductIDs []int64 `json:"product_ids"`
}

func (s *Server) sendFinanceNeed(ctx context.Context, c call[sendInput]) ([]finance.Application, error) {
	return s.Finance.Send(ctx, c.Actor, c.ID, c.In.ProductIDs)
}

func (s *Server) listFinanceApplications(ctx context.Context, c call[noBody]) ([]finance.Application, error) {
	overdue, err := queryBool(c.R, "overdue")
	if err != nil {
		return nil, err
	}
	return s.Finance.Applications(ctx, c.Actor, finance.ApplicationFilter{OverdueOnly: overdue})
}

func (s *Server) financeApplicationAction(ctx context.Context, c call[finance.ActInput]) (finance.Application, error) {
	return s.Finance.Act(ctx, c.Actor, c.ID, finance.Action(c.Path("action")), c.In)
}

func (s *Server) applyBridgeLoan(ctx context.Context, c call[finance.BridgeInput]) (finance.BridgeLoan, error) {
	return s.Finance.ApplyBridge(ctx, c.Actor, c.In)
}

func (s *Server) listBridgeLoans(ctx context.Context, c call[noBody]) ([]finance.BridgeLoan, error) {
	return s.Finance.BridgeLoans(ctx, c.Actor)
}

func (s *Server) bridgeLoanAction(ctx context.Context, c call[finance.BridgeActInput]) (finance.BridgeLoan, error) {
	return s.Finance.ActBridge(ctx, c.Actor, c.ID, c.Path("action"), c.In)
}

func (s *Server) financeFigures(ctx context.Context, c call[noBody]) (finance.Figures, error) {
	if c.Actor.Role != auth.RoleAdmin {
		return finance.Figures{}, apperr.RoleNotAllowed(apperr.M("只有系统管理员可以查看产融合作数据", "only administrators read the financing figures"))
	}
	return s.Finance.Figures(ctx)
}

func (s *Server) listYearTargets(ctx context.Context, c call[noBody]) ([]targets.Target, error) {
	year := workday.DateOf(s.Clock.Now()).Year()
	if v := c.Query("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			return nil, apperr.Fields{apperr.Field("year", "range", apperr.M("年度为2000到2100", "year is 2000 to 2100"))}.Err()
		}
		year = y
	}
	return s.Targets.Year(ctx, year, c.Query("department"))
}

func (s *Server) createYearTarget(ctx context.Context, c call[targets.TargetInput]) (targets.Target, error) {
	return s.Targets.Create(ctx, c.Actor, c.In)
}

func (s *Server) reportTargetProgress(ctx context.Context, c call[targets.ReportInput]) (targets.Target, error) {
	return s.Targets.ReportProgress(ctx, c.Actor, c.ID, c.In)
}

// keptFile is where an uploaded file is kept.
type keptFile struct {
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// uploadFinanceDocument keeps a file a bridge loan or a progress report
// refers to by its SHA-256: a bank's commitment to renew (enterprises), or
// evidence of progress (reviewers and administrators).
func (s *Server) uploadFinanceDocument(_ context.Context, c call[upload]) (keptFile, error) {
	u := c.Actor
	if !(u.Role == auth.RoleApplicant && u.Kind == auth.KindEnterprise) && u.Role != auth.RoleReviewer && u.Role != auth.RoleAdmin {
		return keptFile{}, apperr.RoleNotAllowed(apperr.M("您的角色不能上传此类文件", "your role may not upload these files"))
	}
	hash, err := filestore.Store{Dir: s.UploadDir}.Put(c.In.Data)
	return keptFile{SHA256: hash, ContentType: c.In.ContentType, Size: len(c.In.Data)}, err
}
