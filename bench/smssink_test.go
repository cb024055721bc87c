package bench

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/notify"
)

// The bench's sink speaks the gateway interface the notifier speaks, in
// both forms: every message is accepted by its out_id, and counted.
func TestSMSSinkAnswersBothForms(t *testing.T) {
	sink, err := startSMSSink()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	ctx := context.Background()
	d := func(id string) *notify.Delivery {
		return &notify.Delivery{MessageID: id, Event: "case.accepted", Address: "13904320005", Params: map[string]string{"number": id}}
	}
	single := &notify.SMSGateway{URL: sink.URL, SignName: "基准测试"}
	if err := single.Send(ctx, d("ow-1-sms-p")); err != nil {
		t.Fatalf("single form: %v", err)
	}
	batch := &notify.SMSGateway{URL: sink.URL, SignName: "基准测试", Batch: 3}
	for i, err := range batch.SendBatch(ctx, []*notify.Delivery{d("ow-2-sms-p"), d("ow-3-sms-p"), d("ow-4-sms-p")}) {
		if err != nil {
			t.Errorf("batch form, message %d: %v", i, err)
		}
	}
	if got, reqs := sink.received.Load(), sink.requests.Load(); got != 4 || reqs != 2 {
		t.Fatalf("the sink counted %d messages in %d requests, want 4 in 2", got, reqs)
	}
}
