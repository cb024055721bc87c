package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/delegation"
)

// Enterprises registered by their legal representative and their agents
// (经办人); the rules live in package delegation.
func (s *Server) registerDelegationRoutes() {
	s.handle("GET", "/api/v1/me/enterprises", true, serve(http.StatusOK, nil, s.myEnterprises))
	s.handle("POST", "/api/v1/me/enterprises", true, serve(http.StatusCreated, nil, s.registerEnterprise))
	s.handle("POST", "/api/v1/me/enterprises/{code}/agents", true, serve(http.StatusCreated, nil, s.authoriseAgent))
	s.handle("DELETE", "/api/v1/me/enterprises/{code}/agents/{id}", true, s.withdrawAgent)
}

func (s *Server) myEnterprises(ctx context.Context, c call[noBody]) (page[delegation.Enterprise], error) {
	list, err := s.Delegation.Mine(ctx, c.Actor)
	return all(list), err
}

func (s *Server) registerEnterprise(ctx context.Context, c call[delegation.RegisterRequest]) (delegation.Enterprise, error) {
	return s.Delegation.Register(ctx, c.Actor, c.In, s.clientIP(c.R))
}

func (s *Server) authoriseAgent(ctx context.Context, c call[delegation.AuthoriseRequest]) (delegation.Agent, error) {
	return s.Delegation.Authorise(ctx, c.Actor, c.Path("code"), c.In, s.clientIP(c.R))
}

// withdrawAgent stays outside the adapter (serve): its documented refusal of
// an id that is not a number is 400 bad_id, not the adapter's field error.
func (s *Server) withdrawAgent(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.BadRequest, "bad_id", apperr.M("授权编号应为数字", "the authorisation's id is a number"))
	}
	if err := s.Delegation.Withdraw(r.Context(), u, r.PathValue("code"), id, s.clientIP(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
