package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
)

// registerData is the registration form, in two steps: the identity number
// and phone ask for a code; the code, name and password finish.
type registerData struct {
	Step     int // 1: ask for a code; 2: finish
	IDNumber string
	Phone    string
	Name     string
	SentTo   string
}

func (w *Web) registerPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	if s.User != nil {
		http.Redirect(rw, r, homeOf(s.User.Role), http.StatusSeeOther)
		return nil
	}
	return w.render(rw, r, s, http.StatusOK, "register", "register.title", registerData{Step: 1})
}

// registerCode sends the code and shows the second step.
func (w *Web) registerCode(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := registerData{Step: 1, IDNumber: strings.TrimSpace(r.PostFormValue("id_number")), Phone: strings.TrimSpace(r.PostFormValue("phone"))}
	sent, err := w.Accounts.StartRegistration(r.Context(), accounts.CodeRequest{IDNumber: d.IDNumber, Phone: d.Phone}, w.clientIP(r))
	if err != nil {
		return w.renderForm(rw, r, s, "register", "register.title", d, retryAfter(rw, err))
	}
	d.Step, d.SentTo = 2, sent.SentTo
	return w.render(rw, r, s, http.StatusOK, "register", "register.title", d)
}

// register creates the account, signs it in and opens the applicant's cases,
// where those a front desk opened for the ID number already are.
func (w *Web) register(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := registerData{Step: 2, IDNumber: strings.TrimSpace(r.PostFormValue("id_number")), Phone: strings.TrimSpace(r.PostFormValue("phone")),
		Name: strings.TrimSpace(r.PostFormValue("name"))}
	if err := confirmPassword(r); err != nil {
		return w.renderForm(rw, r, s, "register", "register.title", d, err)
	}
	u, err := w.Accounts.RegisterPerson(r.Context(), accounts.RegisterRequest{Name: d.Name, IDNumber: d.IDNumber, Phone: d.Phone,
		Code: r.PostFormValue("code"), Password: r.PostFormValue("password")}, w.clientIP(r))
	if err != nil {
		return w.renderForm(rw, r, s, "register", "register.title", d, retryAfter(rw, err))
	}
	token, err := w.Auth.IssueWith(r.Context(), u.ID, 0, w.sessionInfo(r))
	if err != nil {
		return err
	}
	w.setSession(rw, r, token)
	http.Redirect(rw, r, "/my?done=registered", http.StatusSeeOther)
	return nil
}

// confirmPassword checks that the password was typed the same twice.
func confirmPassword(r *http.Request) error {
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		return apperr.Fields{apperr.Field("password2", "mismatch", apperr.M("两次输入的密码不一致", "the two passwords differ"))}.Err()
	}
	return nil
}

// retryAfter sets Retry-After from a rate-limited error, and returns it.
func retryAfter(rw http.ResponseWriter, err error) error {
	if ra, ok := apperr.As(err).Extra["retry_after"]; ok {
		rw.Header().Set("Retry-After", fmt.Sprint(ra))
	}
	return err
}

func (w *Web) forgotPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	return w.render(rw, r, s, http.StatusOK, "forgot", "forgot.title", registerData{Step: 1})
}

func (w *Web) forgotCode(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := registerData{Step: 1, IDNumber: strings.TrimSpace(r.PostFormValue("id_number")), Phone: strings.TrimSpace(r.PostFormValue("phone"))}
	sent, err := w.Accounts.StartReset(r.Context(), accounts.CodeRequest{IDNumber: d.IDNumber, Phone: d.Phone}, w.clientIP(r))
	if err != nil {
		return w.renderForm(rw, r, s, "forgot", "forgot.title", d, retryAfter(rw, err))
	}
	d.Step, d.SentTo = 2, sent.SentTo
	return w.render(rw, r, s, http.StatusOK, "forgot", "forgot.title", d)
}

func (w *Web) forgot(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := registerData{Step: 2, IDNumber: strings.TrimSpace(r.PostFormValue("id_number")), Phone: strings.TrimSpace(r.PostFormValue("phone"))}
	if err := confirmPassword(r); err != nil {
		return w.renderForm(rw, r, s, "forgot", "forgot.title", d, err)
	}
	err := w.Accounts.ResetPassword(r.Context(), accounts.ResetRequest{IDNumber: d.IDNumber, Phone: d.Phone,
		Code: r.PostFormValue("code"), Password: r.PostFormValue("password")}, w.clientIP(r))
	if err != nil {
		return w.renderForm(rw, r, s, "forgot", "forgot.title", d, retryAfter(rw, err))
	}
	http.Redirect(rw, r, "/login?done=reset", http.StatusSeeOther)
	return nil
}

// accountData is the account page: who the user is, their sessions and
// tokens, and the forms to change the password and the mobile number.
type accountData struct {
	Sessions []auth.Session
	NewPhone string
	SentTo   string
}

func (w *Web) accountPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	return w.showAccount(rw, r, s, http.StatusOK, accountData{}, nil)
}

func (w *Web) showAccount(rw http.ResponseWriter, r *http.Request, s *session, status int, d accountData, problem error) error {
	sessions, err := w.Auth.Sessions(r.Context(), s.User.ID, s.seed)
	if err != nil {
		return err
	}
	d.Sessions = sessions
	v := &view{session: s, Title: s.L.T("account.title"), Data: d}
	switch r.URL.Query().Get("done") {
	case "password":
		v.Flash = s.L.T("account.password_changed")
	case "phone":
		v.Flash = s.L.T("account.phone_changed")
	case "revoked":
		v.Flash = s.L.T("account.revoked")
	}
	if problem != nil {
		v.Problem = problemOf(s.L, problem)
		if v.Problem.Status >= 500 {
			return problem
		}
		status = v.Problem.Status
	}
	return w.write(rw, r, s, status, "account", v)
}

func (w *Web) changePassword(rw http.ResponseWriter, r *http.Request, s *session) error {
	if err := confirmPassword(r); err != nil {
		return w.showAccount(rw, r, s, 0, accountData{}, err)
	}
	if err := w.Accounts.ChangePassword(r.Context(), *s.User, r.PostFormValue("current_password"), r.PostFormValue("password"), w.clientIP(r)); err != nil {
		return w.showAccount(rw, r, s, 0, accountData{}, err)
	}
	// Every session ended with the old password, this one too: start a new one.
	token, err := w.Auth.IssueWith(r.Context(), s.User.ID, 0, w.sessionInfo(r))
	if err != nil {
		return err
	}
	w.setSession(rw, r, token)
	http.Redirect(rw, r, "/account?done=password", http.StatusSeeOther)
	return nil
}

func (w *Web) phoneCode(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := accountData{NewPhone: strings.TrimSpace(r.PostFormValue("phone"))}
	sent, err := w.Accounts.StartPhoneChange(r.Context(), *s.User, d.NewPhone, w.clientIP(r))
	if err != nil {
		return w.showAccount(rw, r, s, 0, d, retryAfter(rw, err))
	}
	d.SentTo = sent.SentTo
	return w.showAccount(rw, r, s, http.StatusOK, d, nil)
}

func (w *Web) changePhone(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := accountData{NewPhone: strings.TrimSpace(r.PostFormValue("phone")), SentTo: "…"}
	if err := w.Accounts.ChangePhone(r.Context(), *s.User, d.NewPhone, r.PostFormValue("code"), w.clientIP(r)); err != nil {
		return w.showAccount(rw, r, s, 0, d, err)
	}
	http.Redirect(rw, r, "/account?done=phone", http.StatusSeeOther)
	return nil
}

func (w *Web) revokeSession(rw http.ResponseWriter, r *http.Request, s *session) error {
	if err := w.Auth.RevokeSession(r.Context(), s.User.ID, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(rw, r, "/account?done=revoked", http.StatusSeeOther)
	return nil
}

// signOutEverywhere ends every session and token of the user, this one too.
func (w *Web) signOutEverywhere(rw http.ResponseWriter, r *http.Request, s *session) error {
	if err := w.Auth.RevokeAll(r.Context(), s.User.ID); err != nil {
		return err
	}
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: w.https(r), MaxAge: -1})
	http.Redirect(rw, r, "/login?done=signed_out", http.StatusSeeOther)
	return nil
}

// devMailbox shows administrators the development SMS mailbox: every code
// and notice that would have gone out by SMS.
func (w *Web) devMailbox(rw http.ResponseWriter, r *http.Request, s *session) error {
	msgs, err := w.Mailbox.Messages(r.Context(), strings.TrimSpace(r.URL.Query().Get("phone")), 200)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "admin_sms", "sms.title", msgs)
}
