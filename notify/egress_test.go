package notify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestReceiverAllowed(t *testing.T) {
	intranet := []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}
	for _, c := range []struct {
		addr    string
		allowed []netip.Prefix
		want    bool
	}{
		{"59.72.10.8", nil, true},            // a public address
		{"2400:da00::6666", nil, true},       // a public IPv6 address
		{"127.0.0.1", nil, false},            // this server
		{"::1", nil, false},                  // this server, IPv6
		{"::ffff:127.0.0.1", nil, false},     // loopback written as IPv4-mapped IPv6
		{"169.254.169.254", nil, false},      // the cloud's metadata address
		{"fe80::1", nil, false},              // link-local IPv6
		{"10.20.3.4", nil, false},            // the intranet, not listed
		{"10.20.3.4", intranet, true},        // the intranet, listed
		{"10.21.3.4", intranet, false},       // next to the listed network
		{"172.16.0.9", nil, false},           // private
		{"192.168.1.1", nil, false},          // private
		{"fd12:3456::1", nil, false},         // unique local IPv6
		{"100.64.1.1", nil, false},           // carrier NAT
		{"0.0.0.0", nil, false},              // unspecified
		{"224.0.0.1", nil, false},            // multicast
		{"255.255.255.255", nil, false},      // broadcast
		{"198.51.100.7", nil, false},         // documentation
		{"127.0.0.1", loopbackOnly(), true},  // loopback, listed (tests, a local relay)
		{"::ffff:10.20.0.1", intranet, true}, // IPv4-mapped form of a listed address
	} {
		if got := ReceiverAllowed(netip.MustParseAddr(c.addr), c.allowed); got != c.want {
			t.Errorf("ReceiverAllowed(%s, %v) = %v, want %v", c.addr, c.allowed, got, c.want)
		}
	}
}

func loopbackOnly() []netip.Prefix { return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} }

func TestParseNetworks(t *testing.T) {
	got, err := ParseNetworks(" 10.20.0.0/16, 192.168.5.7 ,fd00::/8,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.20.0.0/16", "192.168.5.7/32", "fd00::/8"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("network %d = %s, want %s", i, got[i], want[i])
		}
	}
	if _, err := ParseNetworks("10.0.0.0/8, intranet"); err == nil || !strings.Contains(err.Error(), "intranet") {
		t.Errorf("a word in the list: %v, want an error naming it", err)
	}
	if none, err := ParseNetworks(""); err != nil || len(none) != 0 {
		t.Errorf("an empty list: %v, %v", none, err)
	}
}

// A webhook cannot be pointed at the server itself or the cloud's metadata
// address: saving refuses address literals and localhost, and the notifier
// refuses at the dial whatever a name resolves to, so nothing is sent until
// the operator lists the network.
func TestWebhooksNeverReachInternalAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		var hits atomic.Int32
		internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.WriteHeader(http.StatusOK)
		}))
		t.Cleanup(internal.Close)
		port := internal.URL[strings.LastIndex(internal.URL, ":")+1:]

		strict := NewService(db, f.clk.Clock())
		strict.AllowHTTPWebhooks = true
		for _, u := range []string{internal.URL + "/events", "http://169.254.169.254/latest/meta-data/", "http://localhost:" + port + "/",
			"http://[::1]:" + port + "/", "http://10.20.3.4/events"} {
			_, err := strict.PutWebhook(ctx, f.admin, Subscriber{Name: "内部地址", URL: u, Secret: "department-secret-0001", Active: true})
			if e := apperr.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "url" || e.Fields[0].Code != "internal_address" {
				t.Errorf("saving %s: %v, want a refusal of the url as internal", u, err)
			}
		}
		strict.WebhookNetworks = []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}
		if _, err := strict.PutWebhook(ctx, f.admin, Subscriber{Name: "电子政务外网系统", URL: "http://10.20.3.4/events", Secret: "department-secret-0001"}); err != nil {
			t.Errorf("a receiver on a listed network: %v", err)
		}

		// Saved where loopback was allowed, sent by a notifier that allows
		// nothing internal: refused at the dial, finally, and never received.
		lenient := NewService(db, f.clk.Clock())
		lenient.AllowHTTPWebhooks, lenient.WebhookNetworks = true, loopback
		sub, err := lenient.PutWebhook(ctx, f.admin, Subscriber{Name: "本机", URL: internal.URL + "/events", Secret: "department-secret-0001",
			EventTypes: []string{"case.approve"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-40", "department": "HN-RSJ"})
		f.flush()
		d := f.one(`channel = 'webhook' AND subscriber_id = ?`, sub.ID)
		if d.Status != Dead || !strings.Contains(d.LastError, "internal") || hits.Load() != 0 {
			t.Fatalf("a delivery to loopback: %+v, the receiver was reached %d times", d, hits.Load())
		}

		// Once the operator lists loopback, the next event gets through.
		f.n.AllowWebhookNetworks(loopback)
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-41", "department": "HN-RSJ"})
		f.flush()
		if hits.Load() != 1 {
			t.Fatalf("with loopback listed the receiver was reached %d times, want 1", hits.Load())
		}
	})
}
