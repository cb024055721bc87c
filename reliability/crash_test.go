package reliability_test

import (
	"context"
	"testing"
	"time"
)

// A server killed with SIGKILL in the middle of a full-speed intake loses
// nothing it acknowledged: after a restart every case whose creation got a
// 2xx is there with its materials, events, audit records and notifications;
// a case whose acceptance committed without its answer getting out is whole
// too; numbering goes on from where it stopped without a gap or a repeat;
// and the audit chain verifies.
func TestKilledServerKeepsEveryAcknowledgedCase(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		prepare(t, dsn)
		first := serve(t, dsn)
		d := newDesk(t, first.URL)
		l := newLedger()
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		wg := driveIntake(ctx, d, 8, l)
		waitFor(t, 60*time.Second, "150 acknowledged cases", func() bool { n, _ := l.counts(); return n >= 150 })
		first.Kill() // SIGKILL: no shutdown, no flush, requests in flight
		stop()
		wg.Wait()
		created, accepted := l.counts()
		t.Logf("acknowledged before the kill: %d created, %d accepted; %d requests failed", created, accepted, l.failures)

		second := serve(t, dsn)
		db := open(t, dsn)
		checkAcknowledged(t, db, l, len(d.materials))
		before := checkNumbering(t, db)

		// Numbering continues where it stopped, through the new process
		// with the token the old one issued.
		d.client = newDesk(t, second.URL).client
		for range 20 {
			c, err := d.create(context.Background())
			if err != nil {
				t.Fatalf("create after the restart: %v", err)
			}
			l.created[c.Number] = c
		}
		if after := checkNumbering(t, db); after != before+20 {
			t.Fatalf("%d cases after 20 more, want %d", after, before+20)
		}
		checkAcknowledged(t, db, l, len(d.materials))
		if dialectOf(dsn) == "sqlite" {
			var result string
			if err := db.QueryRowContext(context.Background(), `PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
				t.Fatalf("integrity_check after the kill: %q %v", result, err)
			}
		}
		verifyAudit(t, dsn)
	})
}

func dialectOf(dsn string) string {
	if len(dsn) > 8 && dsn[:8] == "postgres" {
		return "postgres"
	}
	return "sqlite"
}
