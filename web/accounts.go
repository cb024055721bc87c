package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/otp"
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

func (w *Web) registerPage(ctx context.Context, c *call) (answer, error) {
	if c.S.User != nil {
		return seeOther(homeOf(c.User.Role)), nil
	}
	return page{Name: "register", Title: "register.title", Data: registerData{Step: 1}}, nil
}

// codeSent is the second step of registering or resetting a password (the
// page name), once the code is sent; a refusal shows the first again.
func (w *Web) codeSent(ctx context.Context, c *call, name string, start func(context.Context, accounts.CodeRequest, string) (accounts.Sent, error)) (answer, error) {
	d := registerData{Step: 1, IDNumber: c.Trim("id_number"), Phone: c.Trim("phone")}
	form := page{Name: name, Title: name + ".title", Data: d}
	sent, err := start(ctx, accounts.CodeRequest{IDNumber: d.IDNumber, Phone: d.Phone}, w.clientIP(c.R))
	if err != nil {
		return form, retryAfter(c.rw, err)
	}
	d.Step, d.SentTo = 2, sent.SentTo
	form.Data = d
	return form, nil
}

// registerCode sends the code and shows the second step.
func (w *Web) registerCode(ctx context.Context, c *call) (answer, error) {
	return w.codeSent(ctx, c, "register", w.Accounts.StartRegistration)
}

// register creates the account, signs it in and opens the applicant's cases,
// where those a front desk opened for the ID number already are.
func (w *Web) register(ctx context.Context, c *call) (answer, error) {
	d := registerData{Step: 2, IDNumber: c.Trim("id_number"), Phone: c.Trim("phone"), Name: c.Trim("name")}
	form := page{Name: "register", Title: "register.title", Data: d}
	if err := confirmPassword(c.R); err != nil {
		return form, err
	}
	u, err := w.Accounts.RegisterPerson(ctx, accounts.RegisterRequest{Name: d.Name, IDNumber: d.IDNumber, Phone: d.Phone,
		Code: c.Form("code"), Password: c.Form("password")}, w.clientIP(c.R))
	if err != nil {
		return form, retryAfter(c.rw, err)
	}
	token, err := w.Auth.IssueWith(ctx, u.ID, 0, w.sessionInfo(c.R))
	if err != nil {
		return nil, err
	}
	w.setSession(c.rw, c.R, token)
	return seeOther("/my?done=registered"), nil
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

func (w *Web) forgotPage(context.Context, *call) (registerData, error) {
	return registerData{Step: 1}, nil
}

func (w *Web) forgotCode(ctx context.Context, c *call) (answer, error) {
	return w.codeSent(ctx, c, "forgot", w.Accounts.StartReset)
}

func (w *Web) forgot(ctx context.Context, c *call) (answer, error) {
	d := registerData{Step: 2, IDNumber: c.Trim("id_number"), Phone: c.Trim("phone")}
	form := page{Name: "forgot", Title: "forgot.title", Data: d}
	if err := confirmPassword(c.R); err != nil {
		return form, err
	}
	err := w.Accounts.ResetPassword(ctx, accounts.ResetRequest{IDNumber: d.IDNumber, Phone: d.Phone,
		Code: c.Form("code"), Password: c.Form("password")}, w.clientIP(c.R))
	if err != nil {
		return form, retryAfter(c.rw, err)
	}
	return seeOther("/login?done=reset"), nil
}

// accountData is the account page: who the user is, their sessions and
// tokens, and the forms to change the password and the mobile number.
type accountData struct {
	Sessions []auth.Session
	NewPhone string
	SentTo   string
}

// accountPage is the account page showing d with the user's sessions; a
// failed change shows it with its problem.
func (w *Web) accountPage(ctx context.Context, c *call, d accountData) reload {
	return func() (answer, error) {
		sessions, err := w.Auth.Sessions(ctx, c.User.ID, c.S.seed)
		if err != nil {
			return nil, err
		}
		d.Sessions = sessions
		return page{Name: "account", Title: "account.title", Data: d,
			Flash: c.Flash(map[string]string{"password": "account.password_changed", "phone": "account.phone_changed", "revoked": "account.revoked"})}, nil
	}
}

func (w *Web) account(ctx context.Context, c *call) (answer, error) {
	return w.accountPage(ctx, c, accountData{}), nil
}

func (w *Web) changePassword(ctx context.Context, c *call) (answer, error) {
	if err := confirmPassword(c.R); err != nil {
		return w.accountPage(ctx, c, accountData{}), err
	}
	if err := w.Accounts.ChangePassword(ctx, c.User, c.Form("current_password"), c.Form("password"), w.clientIP(c.R)); err != nil {
		return w.accountPage(ctx, c, accountData{}), err
	}
	// Every session ended with the old password, this one too: start a new one.
	token, err := w.Auth.IssueWith(ctx, c.User.ID, 0, w.sessionInfo(c.R))
	if err != nil {
		return nil, err
	}
	w.setSession(c.rw, c.R, token)
	return seeOther("/account?done=password"), nil
}

func (w *Web) phoneCode(ctx context.Context, c *call) (answer, error) {
	d := accountData{NewPhone: c.Trim("phone")}
	sent, err := w.Accounts.StartPhoneChange(ctx, c.User, d.NewPhone, w.clientIP(c.R))
	if err != nil {
		return w.accountPage(ctx, c, d), retryAfter(c.rw, err)
	}
	d.SentTo = sent.SentTo
	return w.accountPage(ctx, c, d), nil
}

func (w *Web) changePhone(ctx context.Context, c *call) (answer, error) {
	d := accountData{NewPhone: c.Trim("phone"), SentTo: "…"}
	if err := w.Accounts.ChangePhone(ctx, c.User, d.NewPhone, c.Form("code"), w.clientIP(c.R)); err != nil {
		return w.accountPage(ctx, c, d), err
	}
	return seeOther("/account?done=phone"), nil
}

func (w *Web) revokeSession(ctx context.Context, c *call) (answer, error) {
	err := w.Auth.RevokeSession(ctx, c.User.ID, c.Path("id"))
	return seeOther("/account?done=revoked"), err
}

// signOutEverywhere ends every session and token of the user, this one too.
func (w *Web) signOutEverywhere(ctx context.Context, c *call) (answer, error) {
	if err := w.Auth.RevokeAll(ctx, c.User.ID); err != nil {
		return nil, err
	}
	w.endSession(c.rw, c.R)
	return seeOther("/login?done=signed_out"), nil
}

// devMailbox shows administrators the development SMS mailbox: every code
// and notice that would have gone out by SMS.
func (w *Web) devMailbox(ctx context.Context, c *call) ([]otp.Message, error) {
	return w.Mailbox.Messages(ctx, strings.TrimSpace(c.Query("phone")), 200)
}
