package notify

import (
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// batchGateway points the fixture's notifier at the fake gateway in the
// batch form, size messages a request.
func (f *fixture) batchGateway(size int) *SMSGateway {
	g := &SMSGateway{URL: f.sms.srv.URL + "/sms/send", SignName: "吉林政务", Key: "gateway-key", Batch: size}
	f.n.SMS = g
	f.n.DailyCap = 1000
	return g
}

// approvals writes one approval for the applicant per case number.
func (f *fixture) approvals(cases ...string) {
	f.t.Helper()
	for _, c := range cases {
		f.event("case.approve", user(f.applicant), map[string]any{"case": c, "item": "个体工商户设立登记", "state": "approved"})
	}
}

// In the batch form a busy round's SMS go in a few requests, each message
// with its own out_id, and each is recorded sent.
func TestSMSBatchForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.batchGateway(4)
		f.approvals("HN-1", "HN-2", "HN-3", "HN-4", "HN-5", "HN-6", "HN-7", "HN-8", "HN-9", "HN-10")
		f.flush()

		singles, batches := f.sms.requests()
		if singles != 0 || batches != 3 {
			t.Fatalf("%d single requests and %d batches for 10 SMS in batches of 4, want 0 and 3", singles, batches)
		}
		got := f.sms.sent()
		if len(got) != 10 {
			t.Fatalf("the gateway accepted %d SMS, want 10", len(got))
		}
		byOutID := map[string]SMSRequest{}
		for _, m := range got {
			byOutID[m.OutID] = m
		}
		ds := f.deliveries(`channel = 'sms'`)
		if len(ds) != 10 {
			t.Fatalf("%d SMS deliveries, want 10", len(ds))
		}
		for _, d := range ds {
			m, ok := byOutID[d.MessageID]
			if !ok {
				t.Fatalf("delivery %s never reached the gateway", d.MessageID)
			}
			if d.Status != Sent || d.SentAt == nil || d.Attempts != 1 {
				t.Errorf("delivery %s: %+v", d.MessageID, d)
			}
			if m.SignName != "吉林政务" || m.PhoneNumber != "13904320005" || m.TemplateCode != "OW_CASE_APPROVED" ||
				m.TemplateParam["number"] == "" || !strings.Contains(d.Body, m.TemplateParam["number"]) {
				t.Errorf("message %s as the gateway got it: %+v (record %q)", d.MessageID, m, d.Body)
			}
		}
	})
}

// In one batch the gateway accepts one message, refuses one for good,
// turns one away for now and does not answer for the last: each gets its
// own outcome, and the next round sends the two that wait under their ids.
func TestSMSBatchWithOneRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.batchGateway(10)
		f.sms.setAnswer(func(m SMSRequest) (int, string) {
			switch m.TemplateParam["number"] {
			case "HN-B":
				return http.StatusOK, "MOBILE_NUMBER_ILLEGAL"
			case "HN-C":
				return http.StatusOK, "BUSINESS_LIMIT_CONTROL"
			case "HN-D":
				return http.StatusOK, noAnswer
			}
			return http.StatusOK, "OK"
		})
		f.approvals("HN-A", "HN-B", "HN-C", "HN-D")
		f.flush()

		if _, batches := f.sms.requests(); batches != 1 {
			t.Fatalf("%d batches for 4 SMS, want 1", batches)
		}
		byCase := func() map[string]Delivery {
			out := map[string]Delivery{}
			for _, d := range f.deliveries(`channel = 'sms'`) {
				out[d.Params["number"]] = d
			}
			return out
		}
		ds := byCase()
		if d := ds["HN-A"]; d.Status != Sent || d.SentAt == nil {
			t.Errorf("the accepted message: %+v", d)
		}
		if d := ds["HN-B"]; d.Status != Dead || d.Attempts != 1 || !strings.Contains(d.LastError, "MOBILE_NUMBER_ILLEGAL") {
			t.Errorf("the refused message: %+v", d)
		}
		for c, reason := range map[string]string{"HN-C": "BUSINESS_LIMIT_CONTROL", "HN-D": "no result"} {
			d := ds[c]
			want := f.clk.Now().Add(Backoff(1, d.MessageID))
			if d.Status != Queued || d.Attempts != 1 || !strings.Contains(d.LastError, reason) || d.NextAt.Sub(want).Abs() > time.Millisecond {
				t.Errorf("%s, to be tried again at %v: %+v", c, want, d)
			}
		}

		f.sms.setAnswer(nil)
		f.clk.Set(maxTime(ds["HN-C"].NextAt, ds["HN-D"].NextAt))
		f.flush()
		ds = byCase()
		for _, c := range []string{"HN-C", "HN-D"} {
			if d := ds[c]; d.Status != Sent || d.Attempts != 2 {
				t.Errorf("%s on its second try: %+v", c, d)
			}
		}
		if d := ds["HN-B"]; d.Status != Dead {
			t.Errorf("the refused message was tried again: %+v", d)
		}
		var ids []string
		for _, m := range f.sms.sent() {
			ids = append(ids, m.OutID)
		}
		sort.Strings(ids)
		want := []string{ds["HN-A"].MessageID, ds["HN-C"].MessageID, ds["HN-D"].MessageID}
		sort.Strings(want)
		if strings.Join(ids, " ") != strings.Join(want, " ") {
			t.Errorf("the gateway accepted %v, want %v", ids, want)
		}
	})
}

// A gateway that is down (nothing listening), then one that answers a
// whole batch with 503: every message of the batch waits for its own next
// try; when the gateway is back, each goes once, under its first id.
func TestSMSBatchGatewayDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		g := f.batchGateway(10)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		g.URL = "http://" + ln.Addr().String() + "/sms/send"
		ln.Close()
		// More than one statement's worth of failed records.
		const messages = failedChunk + 5
		for i := range messages {
			f.approvals(fmt.Sprintf("HN-%d", i))
		}
		f.flush()

		ds := f.deliveries(`channel = 'sms'`)
		if len(ds) != messages {
			t.Fatalf("%d SMS deliveries, want %d", len(ds), messages)
		}
		ids := map[string]bool{}
		for _, d := range ds {
			ids[d.MessageID] = true
			want := f.clk.Now().Add(Backoff(1, d.MessageID))
			if d.Status != Queued || d.Attempts != 1 || !strings.Contains(d.LastError, "sms gateway") || d.NextAt.Sub(want).Abs() > time.Millisecond {
				t.Fatalf("with the gateway down, to be tried at %v: %+v", want, d)
			}
		}

		g.URL = f.sms.srv.URL + "/sms/send"
		f.sms.setBatchStatus(http.StatusServiceUnavailable)
		f.clk.Set(latest(ds))
		f.flush()
		ds = f.deliveries(`channel = 'sms'`)
		for _, d := range ds {
			if d.Status != Queued || d.Attempts != 2 || !strings.Contains(d.LastError, "503") {
				t.Fatalf("with the gateway busy: %+v", d)
			}
		}
		if len(f.sms.sent()) != 0 {
			t.Fatal("a busy gateway's batch was counted as accepted")
		}

		f.sms.setBatchStatus(0)
		f.clk.Set(latest(ds))
		f.flush()
		seen := map[string]int{}
		for _, m := range f.sms.sent() {
			seen[m.OutID]++
		}
		for id := range ids {
			if seen[id] != 1 {
				t.Fatalf("%s accepted %d times, want once", id, seen[id])
			}
		}
		for _, d := range f.deliveries(`channel = 'sms'`) {
			if d.Status != Sent || d.Attempts != 3 {
				t.Fatalf("when the gateway is back: %+v", d)
			}
		}
	})
}

// A gateway configured for batches gets the batch form even for a lone
// message; one without gets the single form.
func TestSMSFormFollowsTheSetting(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	f.approvals("HN-1")
	f.flush()
	if singles, batches := f.sms.requests(); singles != 1 || batches != 0 {
		t.Fatalf("single form: %d single requests and %d batches, want 1 and 0", singles, batches)
	}
	f.batchGateway(100)
	f.approvals("HN-2")
	f.flush()
	if singles, batches := f.sms.requests(); singles != 1 || batches != 1 {
		t.Fatalf("batch form: %d single requests and %d batches in all, want 1 and 1", singles, batches)
	}
	if got := len(f.sms.sent()); got != 2 {
		t.Fatalf("the gateway accepted %d SMS, want 2", got)
	}
}

func latest(ds []Delivery) time.Time {
	var t time.Time
	for _, d := range ds {
		t = maxTime(t, d.NextAt)
	}
	return t
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

var _ BatchSender = (*SMSGateway)(nil)
