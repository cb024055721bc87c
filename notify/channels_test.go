package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// mailServer is a real SMTP server (go-smtp) on a loopback port, with TLS
// from a test certificate. refuse makes it answer RCPT TO with 550.
type mailServer struct {
	addr    string
	tlsConf *tls.Config // the client side: trusts the server's certificate
	mu      sync.Mutex
	got     []receivedMail
	refuse  bool
}

type receivedMail struct {
	from, to string
	data     []byte
	tls      bool
}

type mailSession struct {
	srv  *mailServer
	conn *smtp.Conn
	m    receivedMail
}

func (s *mailSession) Reset()        { s.m = receivedMail{} }
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.m.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	refuse := s.srv.refuse
	s.srv.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.m.to = to
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.m.data = b
	_, s.m.tls = s.conn.TLSConnectionState()
	s.srv.mu.Lock()
	s.srv.got = append(s.srv.got, s.m)
	s.srv.mu.Unlock()
	return nil
}

func startMailServer(t *testing.T, implicitTLS bool) *mailServer {
	t.Helper()
	// httptest's certificate covers 127.0.0.1; its client trusts it.
	certs := httptest.NewTLSServer(http.NotFoundHandler())
	serverTLS := &tls.Config{Certificates: certs.TLS.Certificates}
	clientTLS := certs.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	certs.Close()
	ms := &mailServer{tlsConf: clientTLS}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &mailSession{srv: ms, conn: c}, nil }))
	srv.Domain = "mail.test"
	srv.TLSConfig = serverTLS
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var ln net.Listener
	var err error
	if implicitTLS {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", serverTLS)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	ms.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ms
}

func (m *mailServer) received() []receivedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]receivedMail(nil), m.got...)
}

func smtpFor(t *testing.T, scheme string, m *mailServer) *SMTP {
	t.Helper()
	s, err := ParseSMTPURL(scheme + "://" + m.addr + "?from=noreply@zwfw.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	s.TLS = m.tlsConf
	return s
}

func TestParseSMTPURL(t *testing.T) {
	s, err := ParseSMTPURL("smtps://robot:p%40ss@mail.example.cn?from=noreply@example.cn")
	if err != nil || !s.Implicit || s.Addr != "mail.example.cn:465" || s.Password != "p@ss" || s.From != "noreply@example.cn" {
		t.Fatalf("%+v, %v", s, err)
	}
	if s, _ := ParseSMTPURL("smtp://mail.example.cn?from=a@b.cn"); s.Implicit || s.Plain || s.Addr != "mail.example.cn:587" {
		t.Fatalf("STARTTLS by default: %+v", s)
	}
	for _, bad := range []string{"http://mail.example.cn?from=a@b.cn", "smtp://mail.example.cn", "smtp://?from=a@b.cn", "smtp://h?from=not-an-address"} {
		if _, err := ParseSMTPURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// E-mail goes over STARTTLS or TLS to a real SMTP server; a 5xx answer is
// final, a server that is down is tried again.
func TestEmailOverSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		starttls := startMailServer(t, false)
		f.n.Email = smtpFor(t, "smtp", starttls)
		if _, err := f.svc.SetPreferences(ctx, f.applicant, Preferences{Email: "yu@example.cn", Channels: map[Kind][]Channel{KindProgress: {Email}}}); err != nil {
			t.Fatal(err)
		}
		f.event("case.prepare_result", user(f.applicant), map[string]any{"case": "HN-20", "item": "退休审批", "state": "ready_for_issue"})
		f.flush()
		got := starttls.received()
		if len(got) != 1 {
			t.Fatalf("%d mails received", len(got))
		}
		if !got[0].tls || got[0].to != "yu@example.cn" || got[0].from != "noreply@zwfw.example.cn" {
			t.Fatalf("envelope: %+v", got[0])
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(got[0].data)))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		d := f.one(`channel = 'email'`)
		if subject != "结果可领取：退休审批" || msg.Header.Get("Message-Id") != "<"+d.MessageID+"@onewindow>" || d.Status != Sent {
			t.Fatalf("subject %q, Message-Id %q, record %+v", subject, msg.Header.Get("Message-Id"), d)
		}
		if n := len(f.deliveries(`channel = 'sms'`)); n != 0 {
			t.Fatalf("e-mail chosen, yet %d SMS", n)
		}

		// Implicit TLS (smtps).
		tlsServer := startMailServer(t, true)
		f.n.Email = smtpFor(t, "smtps", tlsServer)
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-21", "item": "退休审批", "state": "approved"})
		f.flush()
		if got := tlsServer.received(); len(got) != 1 || !got[0].tls {
			t.Fatalf("smtps: %+v", got)
		}

		// A server that refuses the mailbox: dead at once, with its answer.
		tlsServer.mu.Lock()
		tlsServer.refuse = true
		tlsServer.mu.Unlock()
		f.event("case.refuse", user(f.applicant), map[string]any{"case": "HN-22", "item": "退休审批", "state": "refused"})
		f.flush()
		if d := f.one(`channel = 'email' AND event = 'case.refused'`); d.Status != Dead || !strings.Contains(d.LastError, "550") {
			t.Fatalf("refused mailbox: %+v", d)
		}

		// A server that is down: tried again later.
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		down := ln.Addr().String()
		ln.Close()
		f.n.Email = smtpFor(t, "smtp", &mailServer{addr: down, tlsConf: starttls.tlsConf})
		f.event("case.issue", user(f.applicant), map[string]any{"case": "HN-23", "item": "退休审批", "state": "issued", "method": "window"})
		f.flush()
		if d := f.one(`channel = 'email' AND event = 'case.issued'`); d.Status != Queued || d.Attempts != 1 || !strings.Contains(d.LastError, "connect") {
			t.Fatalf("server down: %+v", d)
		}
	})
}

// webhookReceiver is a department system over HTTPS that checks every signature.
type webhookReceiver struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	events []map[string]any
	ids    []string
	bad    int
	fail   bool
}

func newWebhookReceiver(t *testing.T, secret string) *webhookReceiver {
	w := &webhookReceiver{secret: secret}
	w.srv = httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get("X-Onewindow-Timestamp"), 10, 64)
		w.mu.Lock()
		defer w.mu.Unlock()
		// Checked as a receiver would, from the documented rule, not with Sign.
		mac := hmac.New(sha256.New, []byte(w.secret))
		mac.Write([]byte(r.Header.Get("X-Onewindow-Timestamp") + "." + string(body)))
		want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
		fresh := time.Since(time.Unix(ts, 0)).Abs() < 5*time.Minute
		if !fresh || !hmac.Equal([]byte(r.Header.Get("X-Onewindow-Signature")), []byte(want)) {
			w.bad++
			http.Error(rw, "bad signature", http.StatusUnauthorized)
			return
		}
		if w.fail {
			http.Error(rw, "busy", http.StatusBadGateway)
			return
		}
		var ev map[string]any
		json.Unmarshal(body, &ev)
		w.events = append(w.events, ev)
		w.ids = append(w.ids, r.Header.Get("X-Onewindow-Message-Id"))
		rw.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *webhookReceiver) got() ([]map[string]any, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]map[string]any(nil), w.events...), append([]string(nil), w.ids...)
}

// A department system receives its department's events, signed, once per
// event; it gets them again on a replay of a time range, under the same ids.
func TestWebhooksSignedFilteredReplayed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		recv := newWebhookReceiver(t, "department-secret-0001")
		f.n.Webhooks.(*WebhookSender).Client = recv.srv.Client()
		if _, err := f.svc.PutWebhook(ctx, f.admin, Subscriber{Name: "人社局", URL: "http://insecure.example", Secret: "department-secret-0001"}); !hasField(err, "url") {
			t.Fatalf("an http:// webhook was accepted: %v", err)
		}
		if _, err := f.svc.PutWebhook(ctx, f.applicant, Subscriber{Name: "x", URL: recv.srv.URL, Secret: "department-secret-0001"}); err == nil {
			t.Fatal("an applicant registered a webhook")
		}
		sub, err := f.svc.PutWebhook(ctx, f.admin, Subscriber{Name: "人社局审批系统", URL: recv.srv.URL + "/events", Secret: "department-secret-0001",
			EventTypes: []string{"case.*"}, Departments: []string{"HN-RSJ"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		// A bad secret on a second subscriber: the receiver refuses it (401), which is final.
		if _, err := f.svc.PutWebhook(ctx, f.admin, Subscriber{Name: "冒名系统", URL: recv.srv.URL + "/events", Secret: "some-other-secret-01", Active: true,
			EventTypes: []string{"case.approve"}}); err != nil {
			t.Fatal(err)
		}
		start := f.clk.Now()
		approve := map[string]any{"case": "HN-30", "item": "退休审批", "state": "approved", "department": "HN-RSJ"}
		f.event("case.approve", user(f.applicant), approve)
		f.event("case.approve", "phone:13904320077", approve) // the same event, told to two recipients
		f.event("case.refuse", user(f.applicant), map[string]any{"case": "HN-31", "item": "食品经营许可", "state": "refused", "department": "HN-SCJGJ"})
		f.event("enterprise_request.accept", user(f.other), map[string]any{"request": "QY-1", "enterprise": "x"})
		f.flush()
		events, ids := recv.got()
		if len(events) != 1 || events[0]["type"] != "case.approve" || events[0]["department"] != "HN-RSJ" {
			t.Fatalf("received %+v", events)
		}
		data, _ := events[0]["data"].(map[string]any)
		if data["case"] != "HN-30" {
			t.Fatalf("event data: %+v", events[0])
		}
		wrong := f.one(`channel = 'webhook' AND subscriber_id <> ?`, sub.ID)
		if wrong.Status != Dead || !strings.Contains(wrong.LastError, "401") || recv.bad != 1 {
			t.Fatalf("a wrongly signed delivery: %+v (bad signatures seen: %d)", wrong, recv.bad)
		}
		mine := f.one(`channel = 'webhook' AND subscriber_id = ?`, sub.ID)
		if mine.MessageID != ids[0] || mine.Status != Sent {
			t.Fatalf("record %+v, header id %s", mine, ids[0])
		}

		// The receiver is down for a while: retried until it answers.
		recv.mu.Lock()
		recv.fail = true
		recv.mu.Unlock()
		f.clk.Advance(time.Minute)
		f.event("case.issue", user(f.applicant), map[string]any{"case": "HN-30", "item": "退休审批", "state": "issued", "department": "HN-RSJ"})
		f.flush()
		if d := f.one(`channel = 'webhook' AND topic = 'case.issue'`); d.Status != Queued || !strings.Contains(d.LastError, "502") {
			t.Fatalf("receiver down: %+v", d)
		}
		recv.mu.Lock()
		recv.fail = false
		recv.mu.Unlock()
		f.clk.Set(f.one(`channel = 'webhook' AND topic = 'case.issue'`).NextAt)
		f.flush()
		if events, _ := recv.got(); len(events) != 2 {
			t.Fatalf("after the retry: %d events", len(events))
		}

		// Replay the first minute: the approval again, same id; the issue (later) not.
		if _, err := f.svc.Replay(ctx, f.admin, sub.ID, start, start); !hasField(err, "to") {
			t.Fatalf("empty range: %v", err)
		}
		n, err := f.svc.Replay(ctx, f.admin, sub.ID, start, start.Add(30*time.Second))
		if err != nil || n != 1 {
			t.Fatalf("replay: %d, %v", n, err)
		}
		f.flush()
		events, ids = recv.got()
		if len(events) != 3 || ids[2] != ids[0] || events[2]["id"] != events[0]["id"] {
			t.Fatalf("replayed: %d events, ids %v", len(events), ids)
		}
		list, _ := f.svc.Webhooks(ctx, f.admin)
		if len(list) != 2 || list[0].Secret != "" {
			t.Fatalf("list shows secrets or misses subscribers: %+v", list)
		}
		var refusal *Refusal
		if err := (&WebhookSender{Lookup: f.n.webhookTarget}).Send(ctx, &Delivery{SubscriberID: 999}); !errors.As(err, &refusal) {
			t.Fatalf("a removed subscriber: %v", err)
		}
	})
}
