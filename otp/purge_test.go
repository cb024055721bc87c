package otp_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Expired codes are purged once the per-number limit no longer counts them,
// and not before: a purge never lifts a limit early.
func TestPurgeExpiredCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewManual(clocktest.Now(t))
		svc := otp.NewService(db, otp.NewDevMailbox(db, clk.Clock()), clk.Clock())
		send := func(phone string) error {
			return svc.Send(ctx, otp.Request{Purpose: otp.Register, Phone: phone, Subject: "s", Client: "c-" + phone,
				Text: func(code string) apperr.Msg { return apperr.M("码"+code, "code "+code) }})
		}
		count := func() int {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM otp_codes`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i := 0; i < otp.PerNumberPerHour; i++ {
			if err := send("13900000001"); err != nil {
				t.Fatalf("code %d: %v", i, err)
			}
			clk.Advance(otp.ResendAfter)
		}
		clk.Advance(30 * time.Minute) // every code expired; the hour's limit still holds
		if n, err := otp.Purge(ctx, db, clk.Now()); err != nil || n != 0 {
			t.Fatalf("purged %d (%v) while the limit still counts them", n, err)
		}
		if err := send("13900000001"); apperr.As(err).Reason != "too_many_codes" {
			t.Fatalf("a sixth code within the hour: %v", err)
		}
		if err := send("13900000002"); err != nil { // another number's, fresh
			t.Fatal(err)
		}
		clk.Advance(40 * time.Minute)
		n, err := otp.Purge(ctx, db, clk.Now())
		if err != nil || n != int64(otp.PerNumberPerHour) || count() != 1 {
			t.Fatalf("purged %d (%v), %d left; want the first number's %d gone and the fresh one kept", n, err, count(), otp.PerNumberPerHour)
		}
	})
}
