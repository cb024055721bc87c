package notify

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The kept counts agree with the delivery record: messages per channel,
// sent, delivered, dead, failed tries, and the delay from event to sending.
func TestKeptCountsMatchTheRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		day := f.clk.Now()
		f.event("case.approve", user(f.applicant), map[string]any{"case": "HN-1", "item": "x", "state": "approved"})
		f.clk.Advance(90 * time.Second)
		f.flush() // inbox delivered, SMS sent 90 s after the event
		f.sms.setAnswer(func(SMSRequest) (int, string) { return 503, "SYSTEM_ERROR" })
		f.event("case.approve", user(f.other), map[string]any{"case": "HN-2", "item": "x", "state": "approved"})
		f.flush() // one failed try
		f.sms.setAnswer(func(SMSRequest) (int, string) { return 200, "MOBILE_NUMBER_ILLEGAL" })
		f.clk.Advance(time.Minute)
		f.flush() // the retry is refused for good
		figs, err := f.svc.Figures(ctx, f.admin, day.Add(-time.Hour), day.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		by := map[Channel]ChannelFigures{}
		for _, c := range figs {
			by[c.Channel] = c
		}
		inbox, sms := by[Inbox], by[SMS]
		if inbox.Messages != 2 || inbox.Delivered != 2 {
			t.Errorf("inbox: %+v; want 2 messages delivered", inbox)
		}
		if sms.Messages != 2 || sms.Sent != 1 || sms.Dead != 1 || sms.Failures != 2 || sms.Queued != 0 {
			t.Errorf("sms: %+v; want 2 messages, 1 sent, 1 dead, 2 failed tries, none waiting", sms)
		}
		if sms.MeanDelaySeconds == nil || *sms.MeanDelaySeconds != 90 {
			t.Errorf("sms mean delay %v, want 90 s", sms.MeanDelaySeconds)
		}
		var recount int64
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE channel = 'sms'`).Scan(&recount); err != nil || recount != sms.Messages {
			t.Errorf("the record holds %d SMS, the counts %d (%v)", recount, sms.Messages, err)
		}
		if _, err := f.svc.Figures(ctx, f.applicant, day, day.Add(time.Hour)); err == nil {
			t.Error("an applicant read the figures")
		}
		// Another day's range counts none of it.
		later, err := f.svc.Figures(ctx, f.admin, day.Add(48*time.Hour), day.Add(72*time.Hour))
		if err != nil || later[2].Messages != 0 {
			t.Errorf("two days later: %+v %v", later, err)
		}
	})
}
