package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func codeText(code string) apperr.Msg { return apperr.M("验证码"+code, "code "+code) }

// A registration code asked for at night goes out at once through the
// gateway as a template parameter; the outbox and the delivery record keep
// it masked; otp's own limits still refuse a second code within the minute,
// and the code sent is the one otp accepts.
func TestRegistrationCodeThroughTheNotifier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.clk.Set(time.Date(2026, 11, 24, 23, 30, 0, 0, clock.China)) // quiet hours
		woken := 0
		sender := NewCodeSender(db, f.clk.Clock())
		sender.Wake = func() { woken++ }
		codes := otp.NewService(db, sender, f.clk.Clock())
		req := otp.Request{Purpose: otp.Register, Phone: "13904320077", Subject: "220523196803010012", Client: "10.0.0.1", Text: codeText}
		if err := codes.Send(ctx, req); err != nil {
			t.Fatal(err)
		}
		if woken != 1 {
			t.Fatalf("the notifier was woken %d times, want 1", woken)
		}
		f.flush()
		got := f.sms.sent()
		if len(got) != 1 || got[0].TemplateCode != "OW_SIGNIN_CODE" || got[0].PhoneNumber != "13904320077" || got[0].TemplateParam["purpose"] != "注册" {
			t.Fatalf("the gateway got %+v", got)
		}
		code := got[0].TemplateParam["code"]
		if len(code) != otp.CodeLen || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("template parameter code = %q", code)
		}
		d := f.one(`event = 'auth.signin_code'`)
		if d.Status != Sent || strings.Contains(d.Body, code) || d.Params["code"] != codeMask || !strings.Contains(d.Body, codeMask) {
			t.Fatalf("the record keeps %+v (code %s)", d, code)
		}
		var raw string
		if err := db.QueryRowContext(ctx, `SELECT body || params FROM notify_deliveries WHERE id = ?`, d.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var payload string
		if err := db.QueryRowContext(ctx, `SELECT payload FROM outbox WHERE topic = 'auth.signin_code'`).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, code) || strings.Contains(payload, code) {
			t.Fatalf("the code is stored in clear: delivery %q, outbox %q", raw, payload)
		}
		// otp's limit: one code a minute per number, before the notifier sees it.
		if err := codes.Send(ctx, req); apperr.As(err).Reason != "too_many_codes" {
			t.Fatalf("a second code at once: %v", err)
		}
		f.flush()
		if n := len(f.sms.sent()); n != 1 {
			t.Fatalf("%d SMS after a refused request, want 1", n)
		}
		// The code sent is the one that works.
		ok := false
		err := codes.Use(ctx, otp.Check{Purpose: otp.Register, Phone: req.Phone, Subject: req.Subject, Code: code}, func(*store.Tx) error { ok = true; return nil })
		if err != nil || !ok {
			t.Fatalf("the code sent does not work: %v", err)
		}
		// An administrator cannot send a code again.
		if _, err := f.svc.Retry(ctx, f.admin, d.ID); apperr.As(err).Reason != "code_not_resent" {
			t.Fatalf("retrying a code: %v", err)
		}
	})
}

// A code that could not go out within its lifetime is given up, masked,
// not sent late; a notice in place of a code says no code was sent.
func TestCodesExpireAndNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.sms.setAnswer(func(SMSRequest) (int, string) { return 503, "SYSTEM_ERROR" })
		if err := f.svc.SendSignInCode(ctx, "13904320005", "864200"); err != nil {
			t.Fatal(err)
		}
		f.flush()
		f.sms.setAnswer(nil)
		f.clk.Advance(CodeLifetime + time.Minute)
		f.flush()
		if n := len(f.sms.sent()); n != 0 {
			t.Fatalf("a code went out %d times after it expired", n)
		}
		d := f.one(`event = 'auth.signin_code'`)
		if d.Status != Dead || !strings.Contains(d.LastError, "expired") || strings.Contains(d.Body, "864200") {
			t.Fatalf("expired code: %+v", d)
		}
		sender := NewCodeSender(db, f.clk.Clock())
		if err := sender.Send(ctx, "13904320005", otp.Outgoing{Purpose: otp.ChangePhone}); err != nil {
			t.Fatal(err)
		}
		f.flush()
		got := f.sms.sent()
		if len(got) != 1 || got[0].TemplateCode != "OW_CODE_NOTICE" || got[0].TemplateParam["code"] != "" {
			t.Fatalf("notice: %+v", got)
		}
	})
}

// Without a gateway the development mailbox is the SMS channel's fake
// gateway: the code reaches it; the record keeps it masked.
func TestDevMailboxIsTheFakeGateway(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		box := otp.NewDevMailbox(db, f.clk.Clock())
		f.n.SMS = DevMailboxSMS{Mailbox: box}
		codes := otp.NewService(db, NewCodeSender(db, f.clk.Clock()), f.clk.Clock())
		if err := codes.Send(ctx, otp.Request{Purpose: otp.Reset, Phone: "13904320005", Subject: "7", Client: "c", Text: codeText}); err != nil {
			t.Fatal(err)
		}
		f.flush()
		msgs, err := box.Messages(ctx, "13904320005", 10)
		if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].TextZH, "找回密码验证码为") {
			t.Fatalf("mailbox: %+v %v", msgs, err)
		}
		code := strings.TrimPrefix(msgs[0].TextZH, "您的找回密码验证码为")[:otp.CodeLen]
		if d := f.one(`event = 'auth.signin_code'`); d.Status != Sent || strings.Contains(d.Body, code) {
			t.Fatalf("record: %+v", d)
		}
		if err := codes.Use(ctx, otp.Check{Purpose: otp.Reset, Phone: "13904320005", Subject: "7", Code: code}, func(*store.Tx) error { return nil }); err != nil {
			t.Fatalf("code from the mailbox: %v", err)
		}
	})
}

// A breach is told to the department's head; while it has none, to the
// administrators; never to nobody.
func TestBreachGoesToTheHeadOrTheAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		breach := map[string]any{"case": "HN-9", "item": "x", "due": "2026-11-23", "level": 2, "breach": true, "department": "HN-RSJ"}
		f.event("case.escalation.overdue", "department:HN-RSJ:head", breach)
		f.flush()
		if d := f.one(`event = 'staff.sla_breach'`); d.UserID != f.admin.ID {
			t.Fatalf("with no head the breach went to user %d, want the administrator %d", d.UserID, f.admin.ID)
		}
		if _, err := f.users.SetDepartmentHead(ctx, auth.System, f.reviewer.ID, true); err != nil {
			t.Fatal(err)
		}
		f.event("case.escalation.overdue", "department:HN-RSJ:head", breach)
		f.event("case.escalation.overdue", "department:HN-RSJ:reviewers", breach)
		f.flush()
		ds := f.deliveries(`event = 'staff.sla_breach' AND user_id = ?`, f.reviewer.ID)
		if len(ds) != 1 || len(f.deliveries(`event = 'staff.sla_breach'`)) != 2 {
			t.Fatalf("the head got %d breach notices, %d in all; want 1 and 2", len(ds), len(f.deliveries(`event = 'staff.sla_breach'`)))
		}
	})
}
