package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/notify"
	"github.com/onewindow/onewindow/store"
)

// departmentReceiver is a department system on this machine: it checks
// each event's signature with the secret it was given.
type departmentReceiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	got    []string // message ids
	forged int
}

func newDepartmentReceiver(t *testing.T) *departmentReceiver {
	d := &departmentReceiver{}
	d.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		d.mu.Lock()
		defer d.mu.Unlock()
		ts, _ := strconv.ParseInt(r.Header.Get("X-Onewindow-Timestamp"), 10, 64)
		if !notify.VerifySignature(d.secret, r.Header.Get("X-Onewindow-Signature"), ts, body, time.Unix(ts, 0), 5*time.Minute) {
			d.forged++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		d.got = append(d.got, r.Header.Get("X-Onewindow-Message-Id"))
	}))
	t.Cleanup(d.srv.Close)
	return d
}

func (d *departmentReceiver) received() (int, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.got), d.forged
}

// webhookNotifier lets the pages register receivers on loopback and
// returns a notifier that trusts the receiver's certificate.
func webhookNotifier(e *env, d *departmentReceiver) *notify.Notifier {
	loop := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	e.pages.Notify = notify.NewService(e.db, e.clock.Clock())
	e.pages.Notify.WebhookNetworks = loop
	n := notify.New(e.db, e.clock.Clock())
	n.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	n.AllowWebhookNetworks(loop)
	n.Webhooks.(*notify.WebhookSender).Client = d.srv.Client()
	return n
}

func (e *env) caseEvent(t *testing.T, topic, department string) {
	t.Helper()
	raw, _ := json.Marshal(map[string]any{"case": "HN-WH-1", "item": "x", "state": "approved", "department": department})
	err := e.db.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`,
			topic, "role:admin", string(raw), store.FormatTime(e.clock.Now()))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

var secretShown = regexp.MustCompile(`id="secret-value">([A-Z2-7]{32})<`)

// An administrator adds a subscription on the page: the secret is shown
// once and works; the filters hold; switching off stops the posting; a
// replay posts a range again; the recent deliveries show their status. In
// English too, and nobody else may.
func TestAdminWebhooksPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		y, m, d := e.clock.Now().In(clock.China).Date()
		e.clock.Set(time.Date(y, m, d, 10, 0, 0, 0, clock.China))
		recv := newDepartmentReceiver(t)
		n := webhookNotifier(e, recv)
		admin := e.as(t, "admin")
		admin.get("/admin/notifications").want(200).has(`href="/admin/webhooks"`)
		admin.get("/admin/webhooks").want(200).has("还没有订阅")
		e.as(t, "rs_shenpi").get("/admin/webhooks").want(http.StatusForbidden)

		admin.post("/admin/webhooks", url.Values{"name": {"人社局系统"}, "url": {"ftp://x"}, "event_types": {"case.*"}}).
			want(http.StatusUnprocessableEntity).has("部门系统须使用 HTTPS 接收推送", `value="case.*"`)
		form := url.Values{"name": {"HR bureau system"}, "url": {recv.srv.URL + "/events"}, "event_types": {"case.approve, case.ready"}, "departments": {"HN-RSJ"}}
		p := admin.post("/admin/webhooks", form).want(http.StatusCreated).has("只显示这一次")
		match := secretShown.FindStringSubmatch(p.body)
		if match == nil {
			t.Fatalf("no secret shown: %s", p.body)
		}
		recv.mu.Lock()
		recv.secret = match[1]
		recv.mu.Unlock()
		list := admin.get("/admin/webhooks").want(200).has("HR bureau system", "case.approve, case.ready", "HN-RSJ").lacks(match[1])
		id := regexp.MustCompile(`href="/admin/webhooks/(\d+)"`).FindStringSubmatch(list.body)[1]

		e.caseEvent(t, "case.approve", "HN-RSJ")
		e.caseEvent(t, "case.approve", "HN-YB")   // another department
		e.caseEvent(t, "case.withdraw", "HN-RSJ") // another type
		if err := n.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got, forged := recv.received(); got != 1 || forged != 0 {
			t.Fatalf("the receiver got %d events (%d with a bad signature); want 1 signed with the secret shown", got, forged)
		}
		page := admin.get("/admin/webhooks/"+id).want(200).has(`data-status="sent"`, "case.approve")

		// Switched off, nothing more is posted.
		admin.post("/admin/webhooks/"+id+"/active", url.Values{"active": {"0"}}).want(http.StatusSeeOther)
		admin.get("/admin/webhooks/" + id + "?done=off").want(200).has("已停用")
		e.clock.Advance(time.Minute)
		e.caseEvent(t, "case.approve", "HN-RSJ")
		n.Flush(ctx)
		if got, _ := recv.received(); got != 1 {
			t.Fatalf("a switched-off subscription got %d events", got)
		}
		admin.post("/admin/webhooks/"+id+"/active", url.Values{"active": {"1"}}).want(http.StatusSeeOther)

		// A replay of the last hour posts both approvals of HN-RSJ again.
		now := e.clock.Now().In(clock.China)
		admin.post("/admin/webhooks/"+id+"/replay", url.Values{"from": {"bad"}, "to": {now.Format("2006-01-02T15:04")}}).
			want(http.StatusUnprocessableEntity).has("请填写日期和时间")
		r := admin.post("/admin/webhooks/"+id+"/replay", url.Values{"from": {now.Add(-time.Hour).Format("2006-01-02T15:04")},
			"to": {now.Add(time.Minute).Format("2006-01-02T15:04")}}).want(http.StatusSeeOther)
		admin.get(r.location()).want(200).has("已安排重放 2 条事件")
		if err := n.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got, forged := recv.received(); got != 3 || forged != 0 {
			t.Fatalf("after the replay the receiver has %d events (%d forged), want 3", got, forged)
		}
		_ = page

		// English, without Chinese but the data.
		en := e.as(t, "admin")
		en.lang = "en"
		for _, path := range []string{"/admin/webhooks", "/admin/webhooks/" + id} {
			body := en.get(path).want(200).has("HR bureau system").body
			body = declaredChinese.ReplaceAllString(nonText.ReplaceAllString(body, ""), "")
			if run := chineseRun.FindString(body); run != "" {
				t.Errorf("%s in English shows %q", path, run)
			}
		}
		en.get("/admin/webhooks/"+id).has("Recent deliveries", "Replay", "Switch off")
	})
}
