package notify

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// An applicant is told each step by the inbox and by SMS (the default for
// an account with a phone), with what the step needs: the promised date,
// every missing material, the reasons, where to collect.
func TestApplicantToldEachStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		to := user(f.applicant)
		f.event("case.notify_missing", to, map[string]any{"case": "HN-1", "item": "食品经营许可", "state": "supplement_required", "due": "2026-12-01",
			"missing": []map[string]string{{"type": "id", "name": "居民身份证"}, {"type": "lease", "name": "经营场所租赁合同"}}})
		f.event("case.accept", to, map[string]any{"case": "HN-1", "item": "食品经营许可", "state": "accepted", "promised_due": "2026-12-08"})
		f.event("case.refuse", to, map[string]any{"case": "HN-1", "item": "食品经营许可", "state": "refused", "reasons": []string{"选址不符合规划"}})
		f.event("case.start_review", to, map[string]any{"case": "HN-1", "state": "in_review"}) // nothing for the applicant
		f.flush()

		inbox, err := f.svc.Inbox(ctx, f.applicant, InboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if inbox.Total != 3 || inbox.Unread != 3 {
			t.Fatalf("inbox: %d messages, %d unread; want 3 and 3", inbox.Total, inbox.Unread)
		}
		bodies := inbox.Items[2].Body + "|" + inbox.Items[1].Body + "|" + inbox.Items[0].Body
		for _, want := range []string{"居民身份证", "经营场所租赁合同", "2026-12-01", "2026-12-08", "选址不符合规划"} {
			if !strings.Contains(bodies, want) {
				t.Errorf("the messages do not say %q: %s", want, bodies)
			}
		}
		sms := f.sms.sent()
		if len(sms) != 3 {
			t.Fatalf("%d SMS, want 3: %+v", len(sms), sms)
		}
		byCode := map[string]SMSRequest{}
		for _, s := range sms {
			byCode[s.TemplateCode] = s
		}
		if s := byCode["OW_CASE_SUPPLEMENT"]; s.SignName != "吉林政务" || s.PhoneNumber != "13904320005" ||
			!strings.Contains(s.TemplateParam["missing"], "经营场所租赁合同") {
			t.Errorf("一次性告知 SMS: %+v", s)
		}
		d := f.one(`channel = 'sms' AND event = 'case.accepted'`)
		if s := byCode["OW_CASE_ACCEPTED"]; d.Status != Sent || d.SentAt == nil || d.MessageID != s.OutID || s.TemplateParam["promised_due"] != "2026-12-08" {
			t.Errorf("SMS record: %+v (gateway got %+v)", d, s)
		}
		// Mark read: one, then the rest; another account's message is not found.
		if _, err := f.svc.MarkRead(ctx, f.other, inbox.Items[0].ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another account marked my message read: %v", err)
		}
		if n, err := f.svc.MarkRead(ctx, f.applicant, inbox.Items[0].ID); err != nil || n != 1 {
			t.Fatalf("mark read: %d, %v", n, err)
		}
		if u, _ := f.svc.Unread(ctx, f.applicant); u != 2 {
			t.Fatalf("unread after one read: %d", u)
		}
		f.svc.MarkRead(ctx, f.applicant, 0)
		if u, _ := f.svc.Unread(ctx, f.applicant); u != 0 {
			t.Fatalf("unread after all read: %d", u)
		}
		// The record: an applicant sees their own deliveries, masked; administrators see all.
		mine, _ := f.svc.Deliveries(ctx, f.applicant, DeliveryFilter{Channel: SMS})
		if mine.Total != 3 || mine.Items[0].Address != "139****0005" {
			t.Errorf("own SMS record: %d, first to %q", mine.Total, mine.Items[0].Address)
		}
		if theirs, _ := f.svc.Deliveries(ctx, f.other, DeliveryFilter{}); theirs.Total != 0 {
			t.Errorf("another applicant sees %d of my deliveries", theirs.Total)
		}
		if all, _ := f.svc.Deliveries(ctx, f.admin, DeliveryFilter{Status: Sent}); all.Total != 3 {
			t.Errorf("administrator sees %d sent, want 3", all.Total)
		}
		if _, err := f.svc.Deliveries(ctx, f.admin, DeliveryFilter{Status: "lost"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("unknown status filter: %v", err)
		}
	})
}

// Groups resolve to the accounts in them; a phone-only applicant gets SMS.
func TestRecipientsResolve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.event("case.escalation.warning", "department:HN-RSJ:reviewers", map[string]any{"case": "HN-2", "item": "退休审批", "due": "2026-11-25", "remaining_days": 1, "level": 1})
		f.event("case.escalation.overdue", "role:admin", map[string]any{"case": "HN-3", "item": "退休审批", "due": "2026-11-20", "level": 3})
		f.event("case.accept", "phone:13904320077", map[string]any{"case": "HN-4", "item": "退休审批", "state": "accepted", "promised_due": "2026-12-01"})
		f.flush()
		if d := f.one(`user_id = ? AND channel = 'inbox'`, f.reviewer.ID); d.Event != "staff.due_soon" || !strings.Contains(d.Body, "2026-11-25") {
			t.Errorf("reviewer's alert: %+v", d)
		}
		if d := f.one(`user_id = ? AND channel = 'inbox'`, f.admin.ID); d.Event != "staff.overdue" {
			t.Errorf("administrator's alert: %+v", d)
		}
		if d := f.one(`address = ?`, "13904320077"); d.Channel != SMS || d.UserID != 0 || d.Status != Sent {
			t.Errorf("phone-only applicant: %+v", d)
		}
		if n := len(f.deliveries(`channel = 'sms' AND user_id <> 0`)); n != 0 {
			t.Errorf("staff got %d SMS without asking", n)
		}
	})
}

// 好差评: the invitation the ratings scan writes three days after a case is
// issued reaches the applicant's inbox and phone with the signed link, by
// SMS as a template parameter, never as free text.
func TestRatingInvitationCarriesTheLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		link := "https://zwfw.example.cn/rate/abc.def"
		f.event("rating.invite", user(f.applicant), map[string]any{"case": "HN-9", "item": "食品经营许可", "link": link, "expires": "2026-12-24T02:00:00.000000Z"})
		f.event("rating.invite", "phone:13904320078", map[string]any{"case": "HN-10", "item": "食品经营许可", "link": link})
		f.flush()
		if d := f.one(`user_id = ? AND channel = 'inbox'`, f.applicant.ID); d.Event != "rating.invite" || !strings.Contains(d.Body, link) || !strings.Contains(d.Body, "HN-9") {
			t.Errorf("the invitation in the inbox: %+v", d)
		}
		var sms []SMSRequest
		for _, s := range f.sms.sent() {
			if s.TemplateCode == "OW_RATING_INVITE" {
				sms = append(sms, s)
			}
		}
		if len(sms) != 2 || sms[0].TemplateParam["link"] != link || sms[1].TemplateParam["link"] != link {
			t.Errorf("invitations by SMS: %+v", sms)
		}
	})
}

func TestPreferencesChooseChannels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.svc.SetPreferences(ctx, f.applicant, Preferences{Channels: map[Kind][]Channel{KindProgress: {}}}); !hasField(err, "channels.progress") {
			t.Fatalf("case progress left without a channel: %v", err)
		}
		if _, err := f.svc.SetPreferences(ctx, f.applicant, Preferences{Channels: map[Kind][]Channel{KindProgress: {Email}}}); !hasField(err, "email") {
			t.Fatalf("e-mail chosen without an address: %v", err)
		}
		if _, err := f.svc.SetPreferences(ctx, f.applicant, Preferences{Email: "not-an-address", Channels: map[Kind][]Channel{KindProgress: {SMS}}}); !hasField(err, "email") {
			t.Fatalf("bad address: %v", err)
		}
		// Unsubscribe from reminders (not essential), keep SMS for progress.
		p, err := f.svc.SetPreferences(ctx, f.applicant, Preferences{Lang: "en", Channels: map[Kind][]Channel{KindProgress: {SMS}, KindReminder: {}}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.Preferences(ctx, f.applicant); got.Lang != "en" || len(got.Channels[KindReminder]) != 0 || got.Phone != "139****0005" {
			t.Fatalf("saved %+v, read back %+v", p, got)
		}
		f.event("case.escalation.supplement_reminder", user(f.applicant), map[string]any{"case": "HN-5", "item": "x", "due": "2026-11-25"})
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-5", "item": "Retirement", "state": "approved"})
		f.flush()
		if n := len(f.deliveries(`channel = 'sms' AND event = 'case.supplement_reminder'`)); n != 0 {
			t.Error("an unsubscribed reminder went by SMS")
		}
		if d := f.one(`channel = 'inbox' AND event = 'case.supplement_reminder'`); d.Status != Delivered {
			t.Error("the inbox keeps every message")
		}
		if d := f.one(`channel = 'sms' AND event = 'case.approved'`); d.Lang != "en" || !strings.Contains(d.Body, "approved") {
			t.Errorf("English chosen: %+v", d)
		}
	})
}

func hasField(err error, field string) bool {
	e := apperr.As(err)
	if e == nil {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Quiet hours hold SMS until 08:00 China time, except sign-in codes.
func TestQuietHoursHoldSMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.clk.Set(time.Date(2026, 11, 24, 22, 15, 0, 0, clock.China))
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-6", "item": "x", "state": "approved"})
		if err := f.svc.SendSignInCode(context.Background(), "13904320005", "246810"); err != nil {
			t.Fatal(err)
		}
		f.flush()
		if got := f.sms.sent(); len(got) != 1 || got[0].TemplateCode != "OW_SIGNIN_CODE" || got[0].TemplateParam["code"] != "246810" {
			t.Fatalf("at 22:15 the gateway got %+v; want the sign-in code only", got)
		}
		held := f.one(`channel = 'sms' AND event = 'case.approved'`)
		if held.Status != Queued || !held.NextAt.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, clock.China)) || held.Attempts != 0 {
			t.Fatalf("held SMS: %+v", held)
		}
		if n := len(f.deliveries(`event = 'auth.signin_code' AND channel = 'webhook'`)); n != 0 {
			t.Fatal("a sign-in code went to a webhook")
		}
		f.clk.Set(time.Date(2026, 11, 25, 8, 0, 0, 0, clock.China))
		f.flush()
		if got := f.sms.sent(); len(got) != 2 || got[1].TemplateCode != "OW_CASE_APPROVED" {
			t.Fatalf("at 08:00: %+v", got)
		}
	})
}

// A number gets at most DailyCap SMS a China day: the rest wait for
// tomorrow morning; a sign-in code over the cap fails.
func TestDailyCap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.n.DailyCap = 2
		for i := range 3 {
			f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-" + string(rune('A'+i)), "item": "x", "state": "approved"})
		}
		f.flush()
		if got := len(f.sms.sent()); got != 2 {
			t.Fatalf("%d SMS sent under a cap of 2", got)
		}
		held := f.one(`channel = 'sms' AND status = 'queued'`)
		if !held.NextAt.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, clock.China)) || !strings.Contains(held.LastError, "cap") {
			t.Fatalf("capped SMS: %+v", held)
		}
		f.svc.SendSignInCode(context.Background(), "13904320005", "135790")
		f.flush()
		if d := f.one(`event = 'auth.signin_code'`); d.Status != Dead {
			t.Fatalf("sign-in code over the cap: %+v", d)
		}
		f.clk.Set(time.Date(2026, 11, 25, 8, 0, 0, 0, clock.China))
		f.flush()
		if got := len(f.sms.sent()); got != 3 {
			t.Fatalf("next morning: %d SMS in all, want 3", got)
		}
	})
}

// A failing gateway is retried with backoff until the last try, then the
// message is dead with the reason; an administrator can send it again.
func TestRetriesThenDeadLetter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.sms.setAnswer(func(SMSRequest) (int, string) { return http.StatusServiceUnavailable, "SYSTEM_BUSY" })
		before := metrics.Value("onewindow_notify_failures_total", "channel", "sms")
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-7", "item": "x", "state": "approved"})
		f.flush()
		d := f.one(`channel = 'sms'`)
		if d.Status != Queued || d.Attempts != 1 || !strings.Contains(d.LastError, "503") {
			t.Fatalf("after the first failure: %+v", d)
		}
		if want := f.clk.Now().Add(Backoff(1, d.MessageID)); d.NextAt.Sub(want).Abs() > time.Millisecond {
			t.Fatalf("next try at %v, want %v", d.NextAt, want)
		}
		for i := 2; i <= MaxAttempts; i++ {
			f.clk.Set(f.one(`channel = 'sms'`).NextAt)
			f.flush()
		}
		d = f.one(`channel = 'sms'`)
		if d.Status != Dead || d.Attempts != MaxAttempts || !strings.Contains(d.LastError, "SYSTEM_BUSY") {
			t.Fatalf("after %d tries: %+v", MaxAttempts, d)
		}
		if got := metrics.Value("onewindow_notify_failures_total", "channel", "sms") - before; got != MaxAttempts {
			t.Errorf("failures counted: %v, want %d", got, MaxAttempts)
		}
		if _, err := f.svc.Retry(ctx, f.applicant, d.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("an applicant retried: %v", err)
		}
		f.sms.setAnswer(nil)
		if _, err := f.svc.Retry(ctx, f.admin, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Retry(ctx, f.admin, d.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("retrying a queued message: %v", err)
		}
		f.flush()
		if d := f.one(`channel = 'sms'`); d.Status != Sent || len(f.sms.sent()) != 1 {
			t.Fatalf("after the administrator's retry: %+v", d)
		}
		// A refusal is final at once.
		f.sms.setAnswer(func(SMSRequest) (int, string) { return http.StatusOK, "MOBILE_NUMBER_ILLEGAL" })
		f.event("case.refuse", user(f.applicant), map[string]any{"case": "HN-8", "item": "x", "state": "refused"})
		f.flush()
		if d := f.one(`channel = 'sms' AND event = 'case.refused'`); d.Status != Dead || d.Attempts != 1 {
			t.Fatalf("refused number: %+v", d)
		}
	})
}

// stuckSender never answers: the server "dies" while it waits (its
// context ends before it can record anything).
type stuckSender struct{}

func (stuckSender) Send(ctx context.Context, _ *Delivery) error {
	<-ctx.Done()
	return ctx.Err()
}

// A server that dies after claiming a message leaves it to be taken again
// when its claim runs out, under the same message id.
func TestClaimRunsOutAfterCrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-9", "item": "x", "state": "approved"})
		gateway := f.n.SMS
		f.n.SMS = stuckSender{}
		ctx, die := context.WithTimeout(context.Background(), 300*time.Millisecond)
		f.n.Expand(ctx) // claims and starts sending, then "dies"
		die()
		d := f.one(`channel = 'sms'`)
		if d.Status != Sending || d.Attempts != 1 {
			t.Fatalf("after the crash: %+v", d)
		}
		f.n.SMS = gateway
		f.flush()
		if len(f.sms.sent()) != 0 {
			t.Fatal("a claimed message was taken before its claim ran out")
		}
		f.clk.Set(d.NextAt)
		f.flush()
		sent := f.sms.sent()
		d = f.one(`channel = 'sms'`)
		if len(sent) != 1 || d.Status != Sent || d.Attempts != 2 || sent[0].OutID != d.MessageID {
			t.Fatalf("after the claim ran out: %+v, gateway got %+v", d, sent)
		}
	})
}

// Two notifiers on one database share the work and send nothing twice.
func TestTwoNotifiersNeverSendTwice(t *testing.T) {
	run := func(t *testing.T, f *fixture, second *Notifier) {
		const events = 120
		for i := range events {
			f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-" + string(rune(0x4e00+i)), "item": "x", "state": "approved"})
		}
		f.n.DailyCap, second.DailyCap = 1000, 1000
		f.n.Batch, second.Batch = 7, 7
		var wg sync.WaitGroup
		for _, n := range []*Notifier{f.n, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := n.Flush(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		f.flush()
		seen := map[string]int{}
		for _, s := range f.sms.sent() {
			seen[s.OutID]++
		}
		if len(seen) != events {
			t.Fatalf("%d distinct messages sent, want %d", len(seen), events)
		}
		for id, k := range seen {
			if k > 1 {
				t.Fatalf("%s sent %d times", id, k)
			}
		}
		if n := len(f.deliveries(`channel = 'inbox'`)); n != events {
			t.Fatalf("%d inbox messages, want %d", n, events)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		f := newFixture(t, storetest.SQLite(t))
		second := New(f.db, f.clk.Clock())
		second.SMS, second.Log = f.n.SMS, f.n.Log
		run(t, f, second)
	})
	if storetest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) {
			db, dsn := storetest.Postgres(t)
			f := newFixture(t, db)
			other, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			second := New(other, f.clk.Clock())
			second.SMS, second.Log = f.n.SMS, f.n.Log
			run(t, f, second)
		})
	}
}

func TestTemplatesEditedByAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.svc.SetTemplate(ctx, f.applicant, "case.approved", "zh", "inbox", "s", "b"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("an applicant edited a template: %v", err)
		}
		if _, err := f.svc.SetTemplate(ctx, f.admin, "case.approved", "zh", "inbox", "准予：{item}", "核验码{verify_code}"); !hasField(err, "body") {
			t.Fatalf("a variable the event lacks was saved: %v", err)
		}
		if _, err := f.svc.SetTemplate(ctx, f.admin, "case.nothing", "fr", "fax", "s", "b"); !hasField(err, "event") || !hasField(err, "lang") || !hasField(err, "channel") {
			t.Fatalf("bad key: %v", err)
		}
		r, err := f.svc.PreviewTemplate(f.admin, "case.approved", "zh", "inbox", "好消息：{item}", "办件{number}已准予（{point_name}）")
		if err != nil || r.Subject != "好消息：个体工商户设立登记" || !strings.Contains(r.Body, "HNZWFW-20261124-00042") {
			t.Fatalf("preview: %+v, %v", r, err)
		}
		if _, err := f.svc.SetTemplate(ctx, f.admin, "case.approved", "zh", "inbox", "好消息：{item}", "办件{number}已准予"); err != nil {
			t.Fatal(err)
		}
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-10", "item": "退休审批", "state": "approved"})
		f.flush()
		if d := f.one(`channel = 'inbox'`); d.Subject != "好消息：退休审批" || d.Body != "办件HN-10已准予" {
			t.Fatalf("the edited template was not used: %+v", d)
		}
		if d := f.one(`channel = 'sms'`); !strings.Contains(d.Body, "审批通过") {
			t.Fatalf("the SMS template should be the shipped one: %+v", d)
		}
		list, _ := f.svc.Templates(ctx, f.admin)
		if len(list) != len(Events)*len(Languages)*len(TemplateChannels) {
			t.Fatalf("%d templates listed", len(list))
		}
		// Empty restores the shipped one.
		if tm, err := f.svc.SetTemplate(ctx, f.admin, "case.approved", "zh", "inbox", "", ""); err != nil || tm.Custom {
			t.Fatalf("restore: %+v, %v", tm, err)
		}
	})
}
