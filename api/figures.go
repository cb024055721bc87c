package api

import (
	"context"
	"net/http"

	"github.com/onewindow/onewindow/figures"
)

// registerFiguresRoutes serves the province's figures over time.
func (s *Server) registerFiguresRoutes() {
	s.handle("GET", "/api/v1/figures", true, serve(http.StatusOK, nil, s.getFigures))
}

// figuresService returns the figures service; a server built without one reads
// the same database through a service of its own.
func (s *Server) figuresService() *figures.Service {
	if s.Figures != nil {
		return s.Figures
	}
	return figures.NewService(s.DB, s.Catalog, s.Points, s.Clock)
}

// getFigures answers administrators, and hall managers about their own
// point. Other roles are refused (and audited) before the parameters are
// read, so a refusal does not depend on how the question was put.
func (s *Server) getFigures(ctx context.Context, c call[noBody]) (figures.Report, error) {
	if err := figures.Authorize(c.Actor, &figures.Query{}); err != nil {
		return figures.Report{}, err
	}
	svc := s.figuresService()
	q, err := figures.ParseQuery(c.R.URL.Query().Get, svc.Now())
	if err != nil {
		return figures.Report{}, err
	}
	return svc.Figures(ctx, c.Actor, q)
}
