package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

// fakeSMSGateway stands in for the SMS provider, which cannot run here: it
// speaks the gateway's documented HTTP interface, in both its forms (one
// message a request, or a batch), and records what it accepted.
type fakeSMSGateway struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []SMSRequest
	// answer decides the reply to each message; nil answers OK. In a batch
	// its status is not used, and the code noAnswer leaves the message out
	// of the batch's answer.
	answer func(r SMSRequest) (status int, code string)
	// batchStatus, when set, answers a whole batch with this HTTP status.
	batchStatus int
	// singles and batches count the requests of each form.
	singles, batches int
}

// noAnswer leaves a message out of the fake gateway's answer to a batch.
const noAnswer = "(no answer)"

func newFakeSMSGateway(t *testing.T) *fakeSMSGateway {
	g := &fakeSMSGateway{}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer gateway-key" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		var raw map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if list, ok := raw["messages"]; ok {
			g.answerBatch(w, list)
			return
		}
		var req SMSRequest
		body, _ := json.Marshal(raw)
		json.Unmarshal(body, &req)
		status, code := http.StatusOK, "OK"
		g.mu.Lock()
		g.singles++
		if g.answer != nil {
			status, code = g.answer(req)
		}
		if code == "OK" {
			g.got = append(g.got, req)
		}
		g.mu.Unlock()
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(SMSResponse{Code: code, Message: "fake gateway", BizID: "biz-" + req.OutID})
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeSMSGateway) answerBatch(w http.ResponseWriter, list json.RawMessage) {
	var msgs []SMSRequest
	if err := json.Unmarshal(list, &msgs); err != nil || len(msgs) == 0 {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(SMSBatchResponse{Code: "PARAMS_ILLEGAL", Message: "fake gateway: no messages"})
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.batches++
	if g.batchStatus != 0 {
		w.WriteHeader(g.batchStatus)
		json.NewEncoder(w).Encode(SMSBatchResponse{Code: "SYSTEM_BUSY", Message: "fake gateway"})
		return
	}
	out := SMSBatchResponse{Code: "OK", Message: "fake gateway"}
	for _, m := range msgs {
		code := "OK"
		if g.answer != nil {
			_, code = g.answer(m)
		}
		if code == noAnswer {
			continue
		}
		if code == "OK" {
			g.got = append(g.got, m)
		}
		out.Results = append(out.Results, SMSResult{OutID: m.OutID, Code: code, Message: "fake gateway", BizID: "biz-" + m.OutID})
	}
	json.NewEncoder(w).Encode(out)
}

func (g *fakeSMSGateway) requests() (singles, batches int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.singles, g.batches
}

func (g *fakeSMSGateway) setBatchStatus(status int) {
	g.mu.Lock()
	g.batchStatus = status
	g.mu.Unlock()
}

func (g *fakeSMSGateway) sent() []SMSRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]SMSRequest(nil), g.got...)
}

func (g *fakeSMSGateway) setAnswer(f func(SMSRequest) (int, string)) {
	g.mu.Lock()
	g.answer = f
	g.mu.Unlock()
}

// fixture: a database, a movable clock pinned to a working Tuesday morning
// (the story needs daytime for SMS), accounts, the fake gateway.
type fixture struct {
	t     *testing.T
	db    *store.DB
	clk   *clock.Manual
	n     *Notifier
	svc   *Service
	sms   *fakeSMSGateway
	users *auth.Store

	applicant, other, reviewer, admin auth.User
}

var storyMorning = time.Date(2026, 11, 24, 10, 0, 0, 0, clock.China)

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, clk: clock.NewManual(storyMorning), sms: newFakeSMSGateway(t), users: auth.NewStore(db)}
	f.n = New(db, f.clk.Clock())
	f.n.SMS = &SMSGateway{URL: f.sms.srv.URL + "/sms/send", SignName: "吉林政务", Key: "gateway-key"}
	f.n.Log = discardLog()
	f.svc = NewService(db, f.clk.Clock())
	// The tests' receivers listen on this machine's loopback address.
	f.svc.WebhookNetworks = loopback
	add := func(u auth.User) auth.User {
		t.Helper()
		u, err := f.users.AddUser(context.Background(), auth.System, u, "correct-horse-battery-9")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.applicant = add(auth.User{Username: "yu_nvshi", Name: "于女士", Role: auth.RoleApplicant, Kind: auth.KindPerson, Phone: "13904320005",
		IDNumber: ident.GenerateIDCard("220523", time.Date(1968, 3, 1, 0, 0, 0, 0, time.UTC), 12)})
	f.other = add(auth.User{Username: "zhou_xiansheng", Name: "周先生", Role: auth.RoleApplicant, Kind: auth.KindPerson, Phone: "13904320006",
		IDNumber: ident.GenerateIDCard("220523", time.Date(1975, 6, 1, 0, 0, 0, 0, time.UTC), 31)})
	f.reviewer = add(auth.User{Username: "rev", Name: "审批员", Role: auth.RoleReviewer, DepartmentCode: "HN-RSJ"})
	f.admin = add(auth.User{Username: "admin", Name: "管理员", Role: auth.RoleAdmin})
	return f
}

// event writes an outbox row as the services do.
func (f *fixture) event(topic, recipient string, payload map[string]any) {
	f.t.Helper()
	raw, _ := json.Marshal(payload)
	err := f.db.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`,
			topic, recipient, string(raw), store.FormatTime(f.clk.Now()))
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) flush() {
	f.t.Helper()
	if err := f.n.Flush(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) deliveries(where string, args ...any) []Delivery {
	f.t.Helper()
	items, err := f.svc.query(context.Background(), `SELECT `+deliveryColumns+` FROM notify_deliveries WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		f.t.Fatal(err)
	}
	return items
}

func (f *fixture) one(where string, args ...any) Delivery {
	f.t.Helper()
	ds := f.deliveries(where, args...)
	if len(ds) != 1 {
		f.t.Fatalf("%d deliveries where %s %v, want 1: %+v", len(ds), where, args, ds)
	}
	return ds[0]
}

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func user(u auth.User) string { return fmt.Sprintf("user:%d", u.ID) }

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
