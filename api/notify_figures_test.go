package api_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/notify"
)

// The province's figures carry the messages per channel from the
// notifier's kept counts; a point's figures do not (messages belong to no point).
func TestFiguresCountNotifications(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		n := notify.New(e.db, e.clock.Clock())
		n.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		it := e.item(demo.CodeSocialInsuranceSubsidy)
		draft := e.caseOf(e.call("POST", "/api/v1/cases", "yuxiulan", map[string]any{"item": it.Code, "point": demo.QingzhouCentre}).want(201))
		e.act("yuxiulan", draft.ID, "submit", nil)
		e.act("qz_quanke", draft.ID, "notify_missing", nil)
		type channel struct {
			Channel  string `json:"channel"`
			Messages int64  `json:"messages"`
		}
		var before, after struct {
			Notifications struct {
				Counted bool      `json:"counted"`
				Totals  []channel `json:"totals"`
			} `json:"notifications"`
		}
		inbox := func(cs []channel) int64 {
			for _, c := range cs {
				if c.Channel == "inbox" {
					return c.Messages
				}
			}
			t.Fatalf("no inbox row in %+v", cs)
			return 0
		}
		e.call("GET", "/api/v1/figures", "admin", nil).want(200).decode(&before)
		if err := n.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.call("GET", "/api/v1/figures", "admin", nil).want(200).decode(&after)
		if !after.Notifications.Counted || inbox(after.Notifications.Totals) <= inbox(before.Notifications.Totals) {
			t.Fatalf("inbox messages %d before the notifier ran, %d after; want more", inbox(before.Notifications.Totals), inbox(after.Notifications.Totals))
		}
		var point struct {
			Notifications struct {
				Counted bool      `json:"counted"`
				Totals  []channel `json:"totals"`
			} `json:"notifications"`
		}
		e.call("GET", "/api/v1/figures?point="+demo.QingzhouCentre, "admin", nil).want(200).decode(&point)
		if point.Notifications.Counted || len(point.Notifications.Totals) != 0 {
			t.Fatalf("a point's figures count messages: %+v", point.Notifications)
		}
	})
}
