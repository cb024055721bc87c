package accounts_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

type fixture struct {
	svc     *accounts.Service
	users   *auth.Store
	mailbox *otp.DevMailbox
	clock   *clock.Manual
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	clk := clock.NewManual(clocktest.Now(t))
	users := auth.NewStore(db)
	users.Now = clk.Now
	mailbox := otp.NewDevMailbox(db, clk.Clock())
	return &fixture{svc: accounts.NewService(db, users, otp.NewService(db, mailbox, clk.Clock()), clk.Clock()),
		users: users, mailbox: mailbox, clock: clk}
}

var sixDigits = regexp.MustCompile(`\d{6}`)

// lastCode reads the newest message to phone in the development mailbox and
// returns the code in it ("" when the message carries none).
func (f *fixture) lastCode(t *testing.T, phone string) (string, string) {
	t.Helper()
	msgs, err := f.mailbox.Messages(context.Background(), phone, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 {
		return "", ""
	}
	return sixDigits.FindString(msgs[0].TextZH), msgs[0].TextZH
}

func (f *fixture) messages(t *testing.T, phone string) int {
	msgs, err := f.mailbox.Messages(context.Background(), phone, 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}

var (
	personID = ident.GenerateIDCard("220106", time.Date(1968, 3, 12, 0, 0, 0, 0, time.UTC), 42)
	otherID  = ident.GenerateIDCard("220523", time.Date(1975, 8, 2, 0, 0, 0, 0, time.UTC), 17)
)

func TestRegisterAndSignInWithTheIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sent, err := f.svc.StartRegistration(ctx, accounts.CodeRequest{IDNumber: personID, Phone: "139 0431 0001"}, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if sent.SentTo != "139****0001" || sent.ExpiresIn != 300 {
			t.Fatalf("sent %+v", sent)
		}
		code, _ := f.lastCode(t, "13904310001")
		if code == "" {
			t.Fatal("no code in the mailbox")
		}
		req := accounts.RegisterRequest{Name: "于秀兰", IDNumber: personID, Phone: "13904310001", Code: code, Password: personID}
		if _, err := f.svc.RegisterPerson(ctx, req, "192.0.2.1"); apperr.As(err).Fields[0].Code != "guessable" {
			t.Fatalf("the ID number as password: %v", err)
		}
		req.Password = "13904310001"
		if _, err := f.svc.RegisterPerson(ctx, req, "192.0.2.1"); apperr.As(err).Fields[0].Code != "guessable" {
			t.Fatalf("the phone as password: %v", err)
		}
		req.Password = "a good long password"
		u, err := f.svc.RegisterPerson(ctx, req, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != auth.RoleApplicant || u.Kind != auth.KindPerson || u.IDNumber != personID || u.Phone != "13904310001" {
			t.Fatalf("account %+v", u)
		}
		// The code is spent.
		req.IDNumber, req.Phone = otherID, "13904310001"
		if _, err := f.svc.RegisterPerson(ctx, req, "192.0.2.1"); apperr.As(err).Fields[0].Code != "code_wrong" {
			t.Fatalf("a spent code: %v", err)
		}
		// Signing in with the ID number, in either case of its check character.
		if _, got, err := f.users.Login(ctx, personID, "a good long password"); err != nil || got.ID != u.ID {
			t.Fatalf("sign in with the ID number: %v", err)
		}
	})
}

// Asking again for a number that has an account answers the same, sends a
// notice in place of a code, and no code typed afterwards makes a second account.
func TestRegistrationDoesNotTellWhoHasAnAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.users.AddUser(ctx, auth.System, auth.User{Username: "yuxiulan", Name: "于秀兰", Role: auth.RoleApplicant, Kind: auth.KindPerson,
			IDNumber: personID, Phone: "13904310001"}, "password123"); err != nil {
			t.Fatal(err)
		}
		fresh, err := f.svc.StartRegistration(ctx, accounts.CodeRequest{IDNumber: otherID, Phone: "13904310009"}, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		taken, err := f.svc.StartRegistration(ctx, accounts.CodeRequest{IDNumber: personID, Phone: "13904310008"}, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if fresh.ExpiresIn != taken.ExpiresIn || len(fresh.SentTo) != len(taken.SentTo) {
			t.Fatalf("answers differ: %+v and %+v", fresh, taken)
		}
		code, text := f.lastCode(t, "13904310008")
		if code != "" || text == "" {
			t.Fatalf("a taken ID number got %q (code %q), want a notice without a code", text, code)
		}
		for _, guess := range []string{"000000", "123456"} {
			_, err := f.svc.RegisterPerson(ctx, accounts.RegisterRequest{Name: "冒名", IDNumber: personID, Phone: "13904310008", Code: guess,
				Password: "another password"}, "192.0.2.1")
			if apperr.As(err).Fields[0].Code != "code_wrong" {
				t.Fatalf("guess %s: %v", guess, err)
			}
		}
		// A phone of an applicant account gets the notice too.
		if _, err := f.svc.StartRegistration(ctx, accounts.CodeRequest{IDNumber: otherID, Phone: "13904310001"}, "192.0.2.2"); err != nil {
			t.Fatal(err)
		}
		if code, _ := f.lastCode(t, "13904310001"); code != "" {
			t.Fatal("a code was sent to a number that has an account")
		}
		// Field errors name every wrong field at once.
		_, err = f.svc.StartRegistration(ctx, accounts.CodeRequest{IDNumber: "220106196803120001", Phone: "1234"}, "192.0.2.1")
		if fs := apperr.As(err).Fields; len(fs) != 2 || fs[0].Field != "id_number" || fs[1].Field != "phone" {
			t.Fatalf("bad input: %v", err)
		}
	})
}

// A code lives five minutes, allows five tries, and numbers and clients may
// ask only so often.
func TestCodeRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		start := func(phone, client string) error {
			_, err := f.svc.StartRegistration(ctx, accounts.CodeRequest{IDNumber: personID, Phone: phone}, client)
			return err
		}
		register := func(phone, code string) error {
			_, err := f.svc.RegisterPerson(ctx, accounts.RegisterRequest{Name: "于秀兰", IDNumber: personID, Phone: phone, Code: code,
				Password: "a good long password"}, "192.0.2.1")
			return err
		}
		if err := start("13904310001", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if err := start("13904310001", "192.0.2.1"); apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("a second code within a minute: %v", err)
		}
		code, _ := f.lastCode(t, "13904310001")
		f.clock.Advance(otp.TTL + time.Second)
		if err := register("13904310001", code); apperr.As(err).Fields[0].Code != "code_expired" {
			t.Fatalf("after five minutes: %v", err)
		}

		if err := start("13904310001", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		code, _ = f.lastCode(t, "13904310001")
		wrong := "000000"
		if wrong == code {
			wrong = "111111"
		}
		for i := 0; i < otp.MaxTries; i++ {
			if err := register("13904310001", wrong); apperr.As(err).Fields[0].Code != "code_wrong" {
				t.Fatalf("wrong try %d: %v", i+1, err)
			}
		}
		if err := register("13904310001", code); apperr.As(err).Fields[0].Code != "code_tries_exhausted" {
			t.Fatalf("the right code after five wrong ones: %v", err)
		}

		// Five codes an hour per number.
		for i := 0; i < 3; i++ {
			f.clock.Advance(otp.ResendAfter)
			if err := start("13904310001", "192.0.2.1"); err != nil {
				t.Fatalf("code %d: %v", i+3, err)
			}
		}
		f.clock.Advance(otp.ResendAfter)
		if err := start("13904310001", "192.0.2.1"); apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("a sixth code in an hour: %v", err)
		}
		if n := f.messages(t, "13904310001"); n != otp.PerNumberPerHour {
			t.Fatalf("%d messages sent, want %d", n, otp.PerNumberPerHour)
		}
		// Per client: many numbers from one address run out too.
		var err error
		for i := 0; i < otp.PerClientPerHour+1 && err == nil; i++ {
			err = start("1390431"+string(rune('0'+i/10))+string(rune('0'+i%10))+"99", "198.51.100.7")
		}
		if apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("one client asking for %d numbers: %v", otp.PerClientPerHour+1, err)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		u, err := f.users.AddUser(ctx, auth.System, auth.User{Username: "yuxiulan", Name: "于秀兰", Role: auth.RoleApplicant, Kind: auth.KindPerson,
			IDNumber: personID, Phone: "13904310001"}, "old password")
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := f.users.Login(ctx, "yuxiulan", "old password")
		if err != nil {
			t.Fatal(err)
		}
		// A phone that is not the account's gets nothing, and the same answer.
		a, err := f.svc.StartReset(ctx, accounts.CodeRequest{IDNumber: personID, Phone: "13904310002"}, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if f.messages(t, "13904310002") != 0 {
			t.Fatal("a reset code went to a number that is not the account's")
		}
		b, err := f.svc.StartReset(ctx, accounts.CodeRequest{IDNumber: personID, Phone: "13904310001"}, "192.0.2.1")
		if err != nil || a.ExpiresIn != b.ExpiresIn {
			t.Fatalf("answers %+v %+v: %v", a, b, err)
		}
		code, _ := f.lastCode(t, "13904310001")
		if err := f.svc.ResetPassword(ctx, accounts.ResetRequest{IDNumber: personID, Phone: "13904310002", Code: code, Password: "new password"}, "192.0.2.1"); apperr.As(err).Fields[0].Code != "code_wrong" {
			t.Fatalf("the code with another phone: %v", err)
		}
		if err := f.svc.ResetPassword(ctx, accounts.ResetRequest{IDNumber: personID, Phone: "13904310001", Code: code, Password: "new password"}, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.users.Authenticate(ctx, token); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("the old session after a reset: %v", err)
		}
		if _, got, err := f.users.Login(ctx, "yuxiulan", "new password"); err != nil || got.ID != u.ID {
			t.Fatalf("sign in with the new password: %v", err)
		}
	})
}
