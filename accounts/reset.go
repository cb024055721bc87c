package accounts

import (
	"context"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/store"
)

// StartReset sends a password reset code to the phone when a person account
// holds both the identity number and the phone; otherwise nothing is sent,
// and the answer is the same. Errors: Invalid; RateLimited "too_many_codes".
func (s *Service) StartReset(ctx context.Context, req CodeRequest, client string) (Sent, error) {
	var f apperr.Fields
	id, phone := identityFields(&f, req.IDNumber, req.Phone)
	if err := f.Err(); err != nil {
		return Sent{}, err
	}
	u, err := s.users.PersonByIDNumber(ctx, s.db, id)
	r := otp.Request{Purpose: otp.Reset, Phone: phone, Client: client, Text: codeText("找回密码")}
	switch {
	case err == nil && u.Phone == phone && !u.Disabled:
		r.Subject = strconv.FormatInt(u.ID, 10)
	case err == nil || apperr.CodeOf(err) == apperr.NotFound:
		// No such account: a silent notice row keeps the limits and the
		// answer the same, and nothing reaches the phone.
		r.Silent, r.Subject = true, "-"
	default:
		return Sent{}, err
	}
	if err := s.codes.Send(ctx, r); err != nil {
		return Sent{}, err
	}
	return sent(phone), nil
}

// ResetRequest sets a new password with a reset code.
type ResetRequest struct {
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Code     string `json:"code"`
	Password string `json:"password"`
}

// ResetPassword sets a new password once the reset code is right, and signs
// the account out everywhere. Errors: Invalid with field errors (a wrong
// code on "code", also when no account matched).
func (s *Service) ResetPassword(ctx context.Context, req ResetRequest, client string) error {
	var f apperr.Fields
	id, phone := identityFields(&f, req.IDNumber, req.Phone)
	if err := checkCodeShape(req.Code); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	if err := auth.ValidatePasswordFor(req.Password, id, phone); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	if err := f.Err(); err != nil {
		return err
	}
	u, err := s.users.PersonByIDNumber(ctx, s.db, id)
	subject := "-"
	if err == nil {
		subject = strconv.FormatInt(u.ID, 10)
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		return apperr.Wrap(err, "accounts: reset")
	}
	err = s.codes.Use(ctx, otp.Check{Purpose: otp.Reset, Phone: phone, Subject: subject, Code: req.Code}, func(tx *store.Tx) error {
		if err := s.users.SetPasswordTx(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "account.password_reset", client, map[string]any{"via": "sms"})
	})
	if err != nil {
		return err
	}
	s.users.Forget(u.ID)
	return nil
}

// ChangePassword replaces the actor's password after checking the current
// one, and signs out every other session and token.
// Errors: Invalid on "current_password" or "password".
func (s *Service) ChangePassword(ctx context.Context, actor auth.User, current, password, client string) error {
	if err := auth.ValidatePasswordFor(password, actor.IDNumber, actor.Phone); err != nil {
		return err
	}
	if err := s.users.CheckPassword(ctx, actor.ID, current); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return apperr.Wrap(err, "accounts: change password")
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.users.SetPasswordTx(ctx, tx, actor.ID, hash); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "account.password_change", client, map[string]any{})
	})
	s.users.Forget(actor.ID)
	return err
}

// StartPhoneChange sends a code to the new mobile number. A number another
// applicant holds gets a notice instead, with the same answer.
func (s *Service) StartPhoneChange(ctx context.Context, actor auth.User, phone, client string) (Sent, error) {
	mobile, err := ident.Mobile(phone)
	if err != nil {
		reason, msg := ident.Problem(err)
		return Sent{}, apperr.Fields{apperr.Field("phone", reason, msg)}.Err()
	}
	if mobile == actor.Phone {
		return Sent{}, apperr.Fields{apperr.Field("phone", "unchanged", apperr.M("新号码与当前号码相同", "this is the current number"))}.Err()
	}
	taken, err := s.phoneTaken(ctx, s.db, mobile, actor.ID)
	if err != nil {
		return Sent{}, err
	}
	r := otp.Request{Purpose: otp.ChangePhone, Phone: mobile, Subject: strconv.FormatInt(actor.ID, 10), Client: client, Text: codeText("更换手机号码")}
	if taken {
		r.Notice = &noticeRegistered
	}
	if err := s.codes.Send(ctx, r); err != nil {
		return Sent{}, err
	}
	return sent(mobile), nil
}

// ChangePhone sets the new mobile number once its code is right.
func (s *Service) ChangePhone(ctx context.Context, actor auth.User, phone, code, client string) error {
	mobile, err := ident.Mobile(phone)
	var f apperr.Fields
	if err != nil {
		reason, msg := ident.Problem(err)
		f.Add("phone", reason, msg)
	}
	if err := checkCodeShape(code); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	if err := f.Err(); err != nil {
		return err
	}
	err = s.codes.Use(ctx, otp.Check{Purpose: otp.ChangePhone, Phone: mobile, Subject: strconv.FormatInt(actor.ID, 10), Code: code}, func(tx *store.Tx) error {
		if err := s.users.SetPhoneTx(ctx, tx, actor.ID, mobile); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "account.phone_change", client, map[string]any{"phone": ident.MaskPhone(mobile)})
	})
	s.users.Forget(actor.ID)
	return err
}

func (s *Service) phoneTaken(ctx context.Context, q store.Querier, phone string, except int64) (bool, error) {
	holders, err := s.users.UsersByPhone(ctx, q, phone)
	if err != nil {
		return false, err
	}
	for _, u := range holders {
		if u.Role == auth.RoleApplicant && u.ID != except {
			return true, nil
		}
	}
	return false, nil
}
