package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/otp"
)

// Applicants' own accounts (registration and password reset by SMS code,
// sessions and tokens, the password) and 办件查询; the rules live in
// packages accounts, auth and cases.
func (s *Server) registerAccountRoutes() {
	s.handle("GET", "/api/v1/track", false, serve(http.StatusOK, nil, s.trackCase))
	s.handle("POST", "/api/v1/registrations/codes", false, serve(http.StatusAccepted, nil, s.registrationCode))
	s.handle("POST", "/api/v1/registrations", false, serve(http.StatusCreated, nil, s.registerPerson))
	s.handle("POST", "/api/v1/password-resets/codes", false, serve(http.StatusAccepted, nil, s.resetCode))
	s.handle("POST", "/api/v1/password-resets", false, serve(http.StatusNoContent, nil, s.resetPassword))
	s.handle("GET", "/api/v1/me/sessions", true, serve(http.StatusOK, nil, s.mySessions))
	s.handle("DELETE", "/api/v1/me/sessions/{id}", true, s.revokeMySession)
	s.handle("POST", "/api/v1/me/sign-out-everywhere", true, serve(http.StatusNoContent, nil, s.signOutEverywhere))
	s.handle("POST", "/api/v1/me/password", true, serve(http.StatusNoContent, nil, s.changeMyPassword))
	s.handle("POST", "/api/v1/me/phone/codes", true, serve(http.StatusAccepted, applicants, s.phoneChangeCode))
	s.handle("POST", "/api/v1/me/phone", true, serve(http.StatusNoContent, applicants, s.changeMyPhone))
	s.handle("GET", "/api/v1/dev-sms", true, serve(http.StatusOK, admins, s.devSMS))
}

// applicants is the first gate of the applicants' own routes.
var applicants = []auth.Role{auth.RoleApplicant}

// trackCase is 办件查询: a case's state, steps, due date and missing
// materials for anyone holding its number and query code.
func (s *Server) trackCase(ctx context.Context, c call[noBody]) (cases.Tracking, error) {
	return noStore[cases.Tracking](c.Header)(s.Cases.Track(ctx, c.Query("number"), c.Query("code"), s.clientIP(c.R)))
}

func (s *Server) registrationCode(ctx context.Context, c call[accounts.CodeRequest]) (accounts.Sent, error) {
	return s.Accounts.StartRegistration(ctx, c.In, s.clientIP(c.R))
}

func (s *Server) registerPerson(ctx context.Context, c call[accounts.RegisterRequest]) (auth.User, error) {
	return s.Accounts.RegisterPerson(ctx, c.In, s.clientIP(c.R))
}

func (s *Server) resetCode(ctx context.Context, c call[accounts.CodeRequest]) (accounts.Sent, error) {
	return s.Accounts.StartReset(ctx, c.In, s.clientIP(c.R))
}

func (s *Server) resetPassword(ctx context.Context, c call[accounts.ResetRequest]) (noBody, error) {
	return noBody{}, s.Accounts.ResetPassword(ctx, c.In, s.clientIP(c.R))
}

// bearer is the caller's own token.
func bearer(r *http.Request) string {
	return strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
}

func (s *Server) mySessions(ctx context.Context, c call[noBody]) (page[auth.Session], error) {
	list, err := s.Auth.Sessions(ctx, c.Actor.ID, bearer(c.R))
	return all(list), err
}

// revokeMySession stays hand-written: its {id} is a session's hex ID, which
// the adapter would refuse as not a positive integer (400, not 404).
func (s *Server) revokeMySession(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	if err := s.Auth.RevokeSession(r.Context(), u.ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) signOutEverywhere(ctx context.Context, c call[noBody]) (noBody, error) {
	return noBody{}, s.Auth.RevokeAll(ctx, c.Actor.ID)
}

// changePasswordRequest changes the caller's password.
type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	Password        string `json:"password"`
}

func (s *Server) changeMyPassword(ctx context.Context, c call[changePasswordRequest]) (noBody, error) {
	return noBody{}, s.Accounts.ChangePassword(ctx, c.Actor, c.In.CurrentPassword, c.In.Password, s.clientIP(c.R))
}

// phoneCodeRequest asks for a code to the applicant's new mobile number.
type phoneCodeRequest struct {
	Phone string `json:"phone"`
}

// phoneChangeCode sends a code to the applicant's new mobile number.
func (s *Server) phoneChangeCode(ctx context.Context, c call[phoneCodeRequest]) (accounts.Sent, error) {
	return s.Accounts.StartPhoneChange(ctx, c.Actor, c.In.Phone, s.clientIP(c.R))
}

// phoneChangeRequest is the new mobile number and the code sent to it.
type phoneChangeRequest struct {
	Phone string `json:"phone"`
	Code  string `json:"code"`
}

// changeMyPhone sets the applicant's new mobile number once its code is right.
func (s *Server) changeMyPhone(ctx context.Context, c call[phoneChangeRequest]) (noBody, error) {
	return noBody{}, s.Accounts.ChangePhone(ctx, c.Actor, c.In.Phone, c.In.Code, s.clientIP(c.R))
}

// devSMS lists the development SMS mailbox, for administrators.
func (s *Server) devSMS(ctx context.Context, c call[noBody]) ([]otp.Message, error) {
	limit, _ := strconv.Atoi(c.Query("limit"))
	return s.Mailbox.Messages(ctx, strings.TrimSpace(c.Query("phone")), limit)
}
