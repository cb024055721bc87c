package api

import (
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/delegation"
)

// Enterprises registered by their legal representative and their agents
// (经办人); the rules live in package delegation.
func (s *Server) registerDelegationRoutes() {
	s.handle("GET", "/api/v1/me/enterprises", true, s.myEnterprises)
	s.handle("POST", "/api/v1/me/enterprises", true, s.registerEnterprise)
	s.handle("POST", "/api/v1/me/enterprises/{code}/agents", true, s.authoriseAgent)
	s.handle("DELETE", "/api/v1/me/enterprises/{code}/agents/{id}", true, s.withdrawAgent)
}

func (s *Server) myEnterprises(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	list, err := s.Delegation.Mine(r.Context(), u)
	if err != nil {
		return err
	}
	if list == nil {
		list = []delegation.Enterprise{}
	}
	writeJSON(w, http.StatusOK, page[delegation.Enterprise]{Items: list, Total: len(list), Limit: len(list)})
	return nil
}

func (s *Server) registerEnterprise(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var req delegation.RegisterRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	e, err := s.Delegation.Register(r.Context(), u, req, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) authoriseAgent(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var req delegation.AuthoriseRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.Delegation.Authorise(r.Context(), u, r.PathValue("code"), req, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

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
