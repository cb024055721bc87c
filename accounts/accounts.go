// Package accounts lets applicants keep their own accounts: a resident
// registers with a one-time code sent to their mobile number, resets a
// forgotten password the same way, and changes their password or number.
package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/store"
)

// Service runs registration, password reset and account changes.
type Service struct {
	db    *store.DB
	users *auth.Store
	codes *otp.Service
	now   clock.Clock
}

// NewService returns a Service; codes sends the one-time codes.
func NewService(db *store.DB, users *auth.Store, codes *otp.Service, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, users: users, codes: codes, now: clk}
}

// CodeRequest asks for a code to register or to reset a password.
type CodeRequest struct {
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

// Sent is the answer to a code request: the same whether or not the number
// or the phone has an account, so that nobody learns which do.
type Sent struct {
	SentTo    string `json:"sent_to"`    // the mobile number, masked
	ExpiresIn int    `json:"expires_in"` // seconds a code lives
}

// identityFields checks an identity number and a mobile number, returning
// them normalised.
func identityFields(f *apperr.Fields, idNumber, phone string) (string, string) {
	id, err := ident.IDCard(idNumber)
	if strings.TrimSpace(idNumber) == "" {
		f.Add("id_number", "required", apperr.M("请填写居民身份证号码", "the resident ID card number is required"))
	} else if err != nil {
		reason, msg := ident.Problem(err)
		f.Add("id_number", reason, msg)
	}
	mobile, err := ident.Mobile(phone)
	if strings.TrimSpace(phone) == "" {
		f.Add("phone", "required", apperr.M("请填写手机号码", "the mobile number is required"))
	} else if err != nil {
		reason, msg := ident.Problem(err)
		f.Add("phone", reason, msg)
	}
	return id, mobile
}

func codeText(purpose string) func(string) apperr.Msg {
	return func(code string) apperr.Msg {
		return apperr.M(
			fmt.Sprintf("【一窗通办】您的%s验证码为%s，5分钟内有效，请勿告诉他人。", purpose, code),
			fmt.Sprintf("[One Window] Your code is %s. It is valid for 5 minutes; do not share it.", code))
	}
}

var (
	noticeRegistered = apperr.M(
		"【一窗通办】该身份证号码或手机号码已注册账号，本次未发送验证码。如忘记密码，请使用“找回密码”。",
		"[One Window] This ID number or mobile number already has an account, so no code was sent. If you forgot the password, use “Forgot password”.")
)

func sent(phone string) Sent {
	return Sent{SentTo: ident.MaskPhone(phone), ExpiresIn: int(otp.TTL.Seconds())}
}

// StartRegistration sends a registration code to the phone, bound to the
// identity number. When the number or the phone already has an account, a
// notice saying so goes to the phone instead, and the answer is the same.
// Errors: Invalid with field errors; RateLimited "too_many_codes".
func (s *Service) StartRegistration(ctx context.Context, req CodeRequest, client string) (Sent, error) {
	var f apperr.Fields
	id, phone := identityFields(&f, req.IDNumber, req.Phone)
	if err := f.Err(); err != nil {
		return Sent{}, err
	}
	taken, err := s.taken(ctx, s.db, id, phone)
	if err != nil {
		return Sent{}, err
	}
	r := otp.Request{Purpose: otp.Register, Phone: phone, Subject: id, Client: client, Text: codeText("注册")}
	if taken {
		r.Notice = &noticeRegistered
	}
	if err := s.codes.Send(ctx, r); err != nil {
		return Sent{}, err
	}
	return sent(phone), nil
}

// taken reports whether a person account holds the identity number, or any
// applicant account the mobile number.
func (s *Service) taken(ctx context.Context, q store.Querier, id, phone string) (bool, error) {
	if _, err := s.users.PersonByIDNumber(ctx, q, id); err == nil {
		return true, nil
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return false, err
	}
	holders, err := s.users.UsersByPhone(ctx, q, phone)
	if err != nil {
		return false, err
	}
	for _, u := range holders {
		if u.Role == auth.RoleApplicant {
			return true, nil
		}
	}
	return false, nil
}

// RegisterRequest finishes a registration.
type RegisterRequest struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Code     string `json:"code"`
	Password string `json:"password"`
}

// RegisterPerson creates a resident's account once the code sent by
// StartRegistration is right: one account per identity number, and the
// cases a front desk opened for that number are theirs at once (cases match
// an applicant's account by identity number). The account, the spent code
// and the audit record are one transaction.
// Errors: Invalid with field errors (a wrong code on "code", also when the
// number turned out to have an account); RateLimited.
func (s *Service) RegisterPerson(ctx context.Context, req RegisterRequest, client string) (auth.User, error) {
	var f apperr.Fields
	id, phone := identityFields(&f, req.IDNumber, req.Phone)
	name := strings.TrimSpace(req.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.Add("name", "required", apperr.M("请填写姓名", "the name is required"))
	case n > 100:
		f.Add("name", "too_long", apperr.M("姓名不能超过100个字", "the name must be at most 100 characters"))
	}
	if err := checkCodeShape(req.Code); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	if err := auth.ValidatePasswordFor(req.Password, id, phone); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	if err := f.Err(); err != nil {
		return auth.User{}, err
	}
	u, hash, err := s.users.PrepareUser(auth.User{Username: newUsername(), Name: name, Role: auth.RoleApplicant,
		Kind: auth.KindPerson, IDNumber: id, Phone: phone, IdentityUnverified: true}, req.Password)
	if err != nil {
		return auth.User{}, err
	}
	err = s.codes.Use(ctx, otp.Check{Purpose: otp.Register, Phone: phone, Subject: id, Code: req.Code}, func(tx *store.Tx) error {
		if taken, err := s.taken(ctx, tx, id, phone); err != nil {
			return err
		} else if taken {
			// Registered in the meantime: as if the code were wrong.
			return apperr.Fields{apperr.Field("code", "code_wrong", apperr.M("验证码不正确，请核对或重新获取", "the code is wrong; check it or ask for a new one"))}.Err()
		}
		created, err := s.users.InsertUser(ctx, tx, u, hash)
		if err != nil {
			return err
		}
		u = created
		return s.audit(ctx, tx, u, "account.register", client, map[string]any{"kind": u.Kind})
	})
	if err != nil {
		return auth.User{}, err
	}
	return u, nil
}

// checkCodeShape refuses a code that cannot be one, before any try is counted.
func checkCodeShape(code string) error {
	code = strings.TrimSpace(code)
	if code == "" {
		return apperr.Fields{apperr.Field("code", "required", apperr.M("请填写短信验证码", "the SMS code is required"))}.Err()
	}
	if len(code) != otp.CodeLen || strings.Trim(code, "0123456789") != "" {
		return apperr.Fields{apperr.Field("code", "format", apperr.M("验证码为6位数字", "the code is 6 digits"))}.Err()
	}
	return nil
}

// newUsername makes the login name of a self-registered account; people
// sign in with their ID number, so the name only has to be unique.
func newUsername() string {
	b := make([]byte, 10)
	rand.Read(b)
	return "p" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:15]
}

func (s *Service) audit(ctx context.Context, tx *store.Tx, u auth.User, action, client string, detail map[string]any) error {
	d, _ := json.Marshal(detail)
	_, err := audit.Append(ctx, tx, audit.Record{At: s.now(), ActorID: u.ID, Actor: u.Username, Role: string(u.Role),
		Action: action, Object: "user:" + strconv.FormatInt(u.ID, 10), Outcome: audit.OK, Detail: string(d), IP: client})
	return err
}
