package api_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/notify"
)

// departmentSystem is a department's own system: an HTTPS receiver that
// checks each event's signature as the documentation says.
type departmentSystem struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	events []map[string]any
	forged int
}

func newDepartmentSystem(t *testing.T, secret string) *departmentSystem {
	d := &departmentSystem{secret: secret}
	d.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte(d.secret))
		mac.Write([]byte(r.Header.Get("X-Onewindow-Timestamp") + "." + string(body)))
		d.mu.Lock()
		defer d.mu.Unlock()
		if r.Header.Get("X-Onewindow-Signature") != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
			d.forged++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev map[string]any
		json.Unmarshal(body, &ev)
		d.events = append(d.events, ev)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(d.srv.Close)
	return d
}

type inboxOut struct {
	Items []struct {
		ID      int64  `json:"id"`
		Event   string `json:"event"`
		Subject string `json:"subject"`
		Body    string `json:"body"`
		Status  string `json:"status"`
		ReadAt  string `json:"read_at"`
	} `json:"items"`
	Total  int `json:"total"`
	Unread int `json:"unread"`
}

// 于秀兰 applies online and is told each step in her inbox; the
// department's system receives the case's events, signed.
func TestApplicantAndDepartmentAreTold(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// Daytime on the tests' day, so that nothing waits for quiet hours.
		y, m, d := e.clock.Now().In(clock.China).Date()
		e.clock.Set(time.Date(y, m, d, 10, 0, 0, 0, clock.China))
		rsjSystem := newDepartmentSystem(t, "rsj-signing-secret-01")
		n := notify.New(e.db, e.clock.Clock())
		n.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		n.Webhooks.(*notify.WebhookSender).Client = rsjSystem.srv.Client()

		it := e.item(demo.CodeSocialInsuranceSubsidy)
		sub := map[string]any{"name": "人社局业务系统", "url": rsjSystem.srv.URL + "/onewindow", "secret": "rsj-signing-secret-01",
			"event_types": []string{"case.*"}, "departments": []string{it.DepartmentCode}}
		e.call("POST", "/api/v1/webhooks", "yuxiulan", sub).problem(403, "admin_only")
		e.call("POST", "/api/v1/webhooks", "admin", map[string]any{"name": "x", "url": "ftp://x", "secret": "short"}).problem(422, "validation_failed")
		// The receiver listens on loopback, which a server never posts to
		// unless its operator lists the network.
		e.call("POST", "/api/v1/webhooks", "admin", sub).problem(422, "validation_failed")
		e.srv.Notify = notify.NewService(e.db, e.clock.Clock())
		e.srv.Notify.WebhookNetworks = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		var created struct{ ID int64 }
		e.call("POST", "/api/v1/webhooks", "admin", sub, "Idempotency-Key", "rsj-1").want(201).decode(&created)
		var again struct{ ID int64 }
		e.call("POST", "/api/v1/webhooks", "admin", sub, "Idempotency-Key", "rsj-1").want(201).decode(&again)
		var subs struct{ Total int }
		e.call("GET", "/api/v1/webhooks", "admin", nil).want(200).decode(&subs)
		if again.ID != created.ID || subs.Total != 1 {
			t.Fatalf("a retried creation made another subscriber: %d, %d, %d in all", created.ID, again.ID, subs.Total)
		}

		draft := e.caseOf(e.call("POST", "/api/v1/cases", "yuxiulan", map[string]any{"item": it.Code, "point": demo.QingzhouCentre}).want(201))
		e.act("yuxiulan", draft.ID, "submit", nil)
		e.act("qz_quanke", draft.ID, "notify_missing", nil)
		for _, typ := range requiredTypes(it, true) {
			e.call("POST", fmt.Sprintf("/api/v1/cases/%d/materials", draft.ID), "yuxiulan", map[string]any{"type": typ}).want(200)
		}
		e.act("yuxiulan", draft.ID, "supplement", nil)
		acc := e.act("qz_quanke", draft.ID, "accept", nil)
		e.act("rs_shenpi", draft.ID, "start_review", nil)
		e.act("rs_shenpi", draft.ID, "approve", nil)
		e.act("rs_shenpi", draft.ID, "prepare_result", nil)
		if err := n.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}

		var inbox inboxOut
		e.call("GET", "/api/v1/inbox", "yuxiulan", nil).want(200).decode(&inbox)
		said := map[string]string{}
		for _, m := range inbox.Items {
			said[m.Event] += m.Subject + " " + m.Body
		}
		if !strings.Contains(said["case.accepted"], acc.PromisedDue) {
			t.Errorf("the acceptance does not give the promised date %s: %q", acc.PromisedDue, said["case.accepted"])
		}
		// Nothing was uploaded before the notice: it lists every material asked for.
		for _, m := range it.Materials {
			if slices.Contains(requiredTypes(it, true), m.Type) && !strings.Contains(said["case.supplement"], m.Name) {
				t.Errorf("the 一次性告知 does not list %s: %q", m.Name, said["case.supplement"])
			}
		}
		if testing.Verbose() {
			t.Logf("told: %v", said)
		}
		if !strings.Contains(said["case.ready"], "青州") || said["case.approved"] == "" {
			t.Errorf("approval %q / collection %q", said["case.approved"], said["case.ready"])
		}
		if inbox.Unread != inbox.Total || inbox.Total < 4 {
			t.Fatalf("inbox: %d messages, %d unread", inbox.Total, inbox.Unread)
		}
		e.call("POST", fmt.Sprintf("/api/v1/inbox/%d/read", inbox.Items[0].ID), "zhouming", nil).problem(404, "message_not_found")
		var marked struct{ Marked, Unread int }
		e.call("POST", fmt.Sprintf("/api/v1/inbox/%d/read", inbox.Items[0].ID), "yuxiulan", nil).want(200).decode(&marked)
		if marked.Marked != 1 || marked.Unread != inbox.Unread-1 {
			t.Fatalf("marked %+v", marked)
		}
		e.call("GET", "/api/v1/inbox?unread=maybe", "yuxiulan", nil).problem(422, "validation_failed")

		// The department's system got the case's events once each, signed.
		rsjSystem.mu.Lock()
		events, forged := rsjSystem.events, rsjSystem.forged
		rsjSystem.mu.Unlock()
		types := map[string]int{}
		for _, ev := range events {
			types[ev["type"].(string)]++
			if data, _ := ev["data"].(map[string]any); data["case"] != draft.Number {
				t.Errorf("an event of another case: %v", ev)
			}
		}
		for _, want := range []string{"case.create", "case.accept", "case.approve", "case.prepare_result"} {
			if types[want] != 1 {
				t.Errorf("the department system got %s %d times (all: %v)", want, types[want], types)
			}
		}
		if forged != 0 {
			t.Errorf("%d requests failed the signature check", forged)
		}

		// The record: hers only; administrators see all and filter.
		var mine struct {
			Items []struct {
				UserID  int64  `json:"user_id"`
				Channel string `json:"channel"`
			} `json:"items"`
			Total int `json:"total"`
		}
		e.call("GET", "/api/v1/notifications/deliveries?limit=200", "yuxiulan", nil).want(200).decode(&mine)
		for _, d := range mine.Items {
			if d.Channel == "webhook" {
				t.Fatal("an applicant sees deliveries to department systems")
			}
		}
		var all struct{ Total int }
		e.call("GET", "/api/v1/notifications/deliveries?channel=webhook", "admin", nil).want(200).decode(&all)
		if all.Total != len(events) {
			t.Errorf("administrator sees %d webhook deliveries, the system got %d", all.Total, len(events))
		}
		e.call("GET", "/api/v1/notifications/deliveries?status=lost", "admin", nil).problem(422, "validation_failed")
		e.call("POST", "/api/v1/notifications/deliveries/1/retry", "yuxiulan", nil).problem(403, "admin_only")

		// The figures: this day's messages per channel.
		var figs struct {
			Channels []struct {
				Channel         string `json:"channel"`
				Sent, Delivered int
			} `json:"channels"`
		}
		day := e.clock.Now().In(clock.China).Format("2006-01-02")
		e.call("GET", "/api/v1/notifications/figures?from="+day+"&to="+day, "admin", nil).want(200).decode(&figs)
		for _, c := range figs.Channels {
			if c.Channel == "inbox" && c.Delivered < inbox.Total || c.Channel == "webhook" && c.Sent != len(events) {
				t.Errorf("figures %+v: inbox %d, webhook %d", c, inbox.Total, len(events))
			}
		}
		e.call("GET", "/api/v1/notifications/figures", "yuxiulan", nil).problem(403, "admin_only")
		e.call("GET", "/api/v1/notifications/figures?from=2026-13-01", "admin", nil).problem(422, "validation_failed")

		// Preferences and templates.
		e.call("PUT", "/api/v1/notifications/preferences", "yuxiulan", map[string]any{"channels": map[string]any{"progress": []string{"email"}}}).problem(422, "validation_failed")
		e.call("PUT", "/api/v1/notifications/preferences", "yuxiulan", map[string]any{"email": "yu@example.cn", "channels": map[string]any{"progress": []string{"email", "sms"}}}).want(200)
		e.call("PUT", "/api/v1/notifications/templates/case.approved/zh/sms", "admin", map[string]any{"body": "{nonsense}"}).problem(422, "validation_failed")
		var preview struct{ Body string }
		e.call("POST", "/api/v1/notifications/templates/case.approved/zh/sms/preview", "admin", map[string]any{"body": "{number}已通过"}).want(200).decode(&preview)
		if !strings.HasSuffix(preview.Body, "已通过") || strings.Contains(preview.Body, "{") {
			t.Errorf("preview %q", preview.Body)
		}
	})
}

// 何经奇 is told of his booking, reminded the working day before (once,
// however often the scan runs), and told when he cancels.
func TestAppointmentNotices(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		clk := useHallClock(e)
		clk.set(2026, 10, 12, 9, 0) // Monday; the booking is for Wednesday 2026-10-14
		dh := demo.DonghuiCentre
		var slots struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		e.call("POST", hallPath(dh, "/slots"), "admin", map[string]any{"slots": []map[string]any{
			{"category": "A", "day": "2026-10-14", "starts": "10:00", "ends": "10:30", "capacity": 2}}}).want(200).decode(&slots)
		var appt struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		}
		e.call("POST", hallPath(dh, "/appointments"), "hejingqi", map[string]any{"slot_id": slots.Items[0].ID}).want(201).decode(&appt)
		n := notify.New(e.db, e.clock.Clock())
		n.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		flush := func() {
			t.Helper()
			if err := n.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		flush()
		inbox := func() map[string]string {
			t.Helper()
			var out inboxOut
			e.call("GET", "/api/v1/inbox", "hejingqi", nil).want(200).decode(&out)
			said := map[string]string{}
			for _, m := range out.Items {
				said[m.Event] += m.Body
			}
			return said
		}
		if got := inbox()["appointment.confirmed"]; !strings.Contains(got, appt.Code) || !strings.Contains(got, "2026-10-14 10:00–10:30") || !strings.Contains(got, "东惠") {
			t.Fatalf("confirmation: %q", got)
		}
		next := func(d time.Time) (time.Time, bool) { return e.srv.Calendar.Add(d, 1) }
		// Monday: Wednesday is not the next working day yet.
		if k, err := n.RemindAppointments(context.Background(), time.Date(2026, 10, 12, 18, 0, 0, 0, clock.China), next); err != nil || k != 0 {
			t.Fatalf("reminded on Monday: %d, %v", k, err)
		}
		for range 2 {
			if k, err := n.RemindAppointments(context.Background(), time.Date(2026, 10, 13, 18, 0, 0, 0, clock.China), next); err != nil || k > 1 {
				t.Fatalf("reminders on Tuesday: %d, %v", k, err)
			}
		}
		flush()
		if got := inbox()["appointment.reminder"]; strings.Count(got, appt.Code) != 1 {
			t.Fatalf("reminder, once: %q", got)
		}
		e.call("POST", hallPath(dh, "/appointments/%d/cancel", appt.ID), "hejingqi", nil).want(200)
		flush()
		if got := inbox()["appointment.cancelled"]; !strings.Contains(got, appt.Code) {
			t.Fatalf("cancellation: %q", got)
		}
	})
}
