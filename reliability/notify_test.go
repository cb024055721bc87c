package reliability_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/store"
)

// fakeGateway stands in for the SMS provider (which cannot run here): it
// accepts every message slowly, so that a kill lands mid-delivery, and
// counts each message id it receives.
type fakeGateway struct {
	mu  sync.Mutex
	ids map[string]int
	all int
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Either form of the interface: one message, or a batch of them.
	var req struct {
		OutID    string `json:"out_id"`
		Messages []struct {
			OutID string `json:"out_id"`
		} `json:"messages"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	ids := []string{req.OutID}
	if req.Messages != nil {
		ids = ids[:0]
		for _, m := range req.Messages {
			ids = append(ids, m.OutID)
		}
	}
	time.Sleep(time.Duration(len(ids)) * 15 * time.Millisecond)
	g.mu.Lock()
	results := make([]map[string]string, len(ids))
	for i, id := range ids {
		g.ids[id]++
		g.all++
		results[i] = map[string]string{"out_id": id, "code": "OK"}
	}
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"code": "OK", "message": "fake gateway", "results": results})
}

func (g *fakeGateway) counts() (distinct, all int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.ids), g.all
}

// kill -9 during delivery loses nothing: a server killed while it sends
// SMS leaves what it claimed to be taken again when the claim runs out;
// after a restart every message has reached the gateway, under its stable
// id, and only messages in flight at the kill may arrive twice.
func TestKillDuringDeliveryLosesNothing(t *testing.T) {
	t.Run("one SMS a request", func(t *testing.T) { killDuringDelivery(t) })
	t.Run("SMS in batches", func(t *testing.T) { killDuringDelivery(t, "--sms-gateway-batch", "20") })
}

func killDuringDelivery(t *testing.T, gatewayFlags ...string) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		prepare(t, dsn)
		db := open(t, dsn)
		// Start from an empty outbox (the demo's history is old news), then
		// queue the events to tell: one SMS each to people known by phone.
		if _, err := db.ExecContext(ctx, `UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL`); err != nil {
			t.Fatal(err)
		}
		const events = 400
		now := clocktest.Now(t)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := range events {
				payload := fmt.Sprintf(`{"case":"KILL-%04d","item":"退休审批","state":"approved"}`, i)
				if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES ('case.approve', ?, ?, ?)`,
					fmt.Sprintf("phone:139%08d", i), payload, store.FormatTime(now)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		gw := &fakeGateway{ids: map[string]int{}}
		srv := httptest.NewServer(gw)
		t.Cleanup(srv.Close)
		// Daytime on the tests' day: quiet hours would hold the SMS back.
		y, m, d := now.In(clock.China).Date()
		day := time.Date(y, m, d, 10, 0, 0, 0, clock.China).Format("2006-01-02T15:04")
		flags := []string{"--now", day, "--sms-gateway-url", srv.URL + "/sms", "--sms-sign-name", "吉林政务", "--notify-interval", "100ms", "--notify-lease", "3s"}
		flags = append(flags, gatewayFlags...)

		first := serve(t, dsn, flags...)
		deadline := time.Now().Add(time.Minute)
		for {
			if distinct, _ := gw.counts(); distinct >= events/4 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the first server sent too little in a minute: %s", first.Stderr())
			}
			time.Sleep(10 * time.Millisecond)
		}
		first.Kill() // SIGKILL in the middle of a round
		atKill, _ := gw.counts()
		if atKill >= events {
			t.Fatalf("everything was sent before the kill (%d): the test proves nothing", atKill)
		}
		var sending int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE status = 'sending'`).Scan(&sending)
		t.Logf("killed after %d of %d messages; %d claimed and unfinished", atKill, events, sending)

		serve(t, dsn, flags...)
		deadline = time.Now().Add(2 * time.Minute)
		for {
			var open int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE status <> 'sent'`).Scan(&open); err != nil {
				t.Fatal(err)
			}
			if distinct, _ := gw.counts(); distinct == events && open == 0 {
				break
			}
			if time.Now().After(deadline) {
				distinct, _ := gw.counts()
				t.Fatalf("after the restart: %d of %d messages reached the gateway, %d deliveries not sent", distinct, events, open)
			}
			time.Sleep(50 * time.Millisecond)
		}
		distinct, all := gw.counts()
		var rows, unexpanded int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE channel = 'sms'`).Scan(&rows)
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`).Scan(&unexpanded)
		if rows != events || unexpanded != 0 {
			t.Fatalf("%d SMS deliveries for %d events; %d outbox rows never expanded", rows, events, unexpanded)
		}
		// Repeats are the messages in flight when the server died: at most
		// one round's worth, and each carries its id so the gateway drops it.
		if all-distinct > events {
			t.Fatalf("%d repeats: more than one round in flight", all-distinct)
		}
		t.Logf("%d messages, %d received in all (%d repeats, each under its first id)", distinct, all, all-distinct)
	})
}
