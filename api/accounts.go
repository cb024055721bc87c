package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/auth"
)

// Applicants' own accounts (registration and password reset by SMS code,
// sessions and tokens, the password) and 办件查询; the rules live in
// packages accounts, auth and cases.
func (s *Server) registerAccountRoutes() {
	s.handle("GET", "/api/v1/track", false, s.trackCase)
	s.handle("POST", "/api/v1/registrations/codes", false, s.registrationCode)
	s.handle("POST", "/api/v1/registrations", false, s.registerPerson)
	s.handle("POST", "/api/v1/password-resets/codes", false, s.resetCode)
	s.handle("POST", "/api/v1/password-resets", false, s.resetPassword)
	s.handle("GET", "/api/v1/me/sessions", true, s.mySessions)
	s.handle("DELETE", "/api/v1/me/sessions/{id}", true, s.revokeMySession)
	s.handle("POST", "/api/v1/me/sign-out-everywhere", true, s.signOutEverywhere)
	s.handle("POST", "/api/v1/me/password", true, s.changeMyPassword)
	s.handle("POST", "/api/v1/me/phone/codes", true, s.phoneChangeCode)
	s.handle("POST", "/api/v1/me/phone", true, s.changeMyPhone)
	s.handle("GET", "/api/v1/dev-sms", true, s.devSMS)
}

// trackCase is 办件查询: a case's state, steps, due date and missing
// materials for anyone holding its number and query code.
func (s *Server) trackCase(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	t, err := s.Cases.Track(r.Context(), q.Get("number"), q.Get("code"), s.clientIP(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) registrationCode(w http.ResponseWriter, r *http.Request) error {
	var req accounts.CodeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sent, err := s.Accounts.StartRegistration(r.Context(), req, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, sent)
	return nil
}

func (s *Server) registerPerson(w http.ResponseWriter, r *http.Request) error {
	var req accounts.RegisterRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.Accounts.RegisterPerson(r.Context(), req, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) resetCode(w http.ResponseWriter, r *http.Request) error {
	var req accounts.CodeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sent, err := s.Accounts.StartReset(r.Context(), req, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, sent)
	return nil
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	var req accounts.ResetRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Accounts.ResetPassword(r.Context(), req, s.clientIP(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// bearer is the caller's own token.
func bearer(r *http.Request) string {
	return strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
}

func (s *Server) mySessions(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	list, err := s.Auth.Sessions(r.Context(), u.ID, bearer(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[auth.Session]{Items: list, Total: len(list), Limit: len(list)})
	return nil
}

func (s *Server) revokeMySession(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	if err := s.Auth.RevokeSession(r.Context(), u.ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	if err := s.Auth.RevokeAll(r.Context(), u.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changePasswordRequest changes the caller's password.
type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	Password        string `json:"password"`
}

func (s *Server) changeMyPassword(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var req changePasswordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Accounts.ChangePassword(r.Context(), u, req.CurrentPassword, req.Password, s.clientIP(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// phoneChangeCode sends a code to the applicant's new mobile number.
func (s *Server) phoneChangeCode(w http.ResponseWriter, r *http.Request) error {
	u, err := requireRole(r, auth.RoleApplicant)
	if err != nil {
		return err
	}
	var req struct {
		Phone string `json:"phone"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sent, err := s.Accounts.StartPhoneChange(r.Context(), u, req.Phone, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, sent)
	return nil
}

// changeMyPhone sets the applicant's new mobile number once its code is right.
func (s *Server) changeMyPhone(w http.ResponseWriter, r *http.Request) error {
	u, err := requireRole(r, auth.RoleApplicant)
	if err != nil {
		return err
	}
	var req struct {
		Phone string `json:"phone"`
		Code  string `json:"code"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Accounts.ChangePhone(r.Context(), u, req.Phone, req.Code, s.clientIP(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// devSMS lists the development SMS mailbox, for administrators.
func (s *Server) devSMS(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	msgs, err := s.Mailbox.Messages(r.Context(), strings.TrimSpace(r.URL.Query().Get("phone")), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, msgs)
	return nil
}
