package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
)

// An administrator subscribes a department system in the browser: the
// secret shown once is the one events are signed with; the subscription's
// page shows the delivery sent, switches it off, and replays the morning.
func TestBrowserWebhookSubscription(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	ctx := context.Background()
	y, m, d := e.clock.Now().In(clock.China).Date()
	e.clock.Set(time.Date(y, m, d, 10, 0, 0, 0, clock.China))
	recv := newDepartmentReceiver(t)
	n := webhookNotifier(e, recv)

	admin := open(t, e, "admin")
	admin.goTo("/admin/notifications", `#webhooks-link`)
	admin.run(
		chromedp.Click(css(`#webhooks-link`)),
		chromedp.WaitVisible(css(`#add-webhook`)),
		chromedp.SendKeys(css(`#wh-name`), "人社局业务系统"),
		chromedp.SendKeys(css(`#wh-url`), recv.srv.URL+"/events"),
		chromedp.SendKeys(css(`#wh-types`), "case.*"),
		chromedp.Click(css(`#add-webhook input[value="`+demo.DeptHumanResources+`"]`)),
		chromedp.Click(css(`#add-webhook button[type=submit]`)),
		chromedp.WaitVisible(css(`#secret-value`)),
	)
	secret := admin.text(`#secret-value`)
	if len(secret) != 32 {
		t.Fatalf("secret shown: %q", secret)
	}
	admin.contains(`#webhooks`, "人社局业务系统", "case.*", demo.DeptHumanResources)
	admin.shot("webhooks-01-secret-once")
	recv.mu.Lock()
	recv.secret = secret
	recv.mu.Unlock()

	e.caseEvent(t, "case.approve", demo.DeptHumanResources)
	e.caseEvent(t, "case.approve", demo.DeptMedicalInsurance) // filtered out
	if err := n.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, forged := recv.received(); got != 1 || forged != 0 {
		t.Fatalf("the department system got %d events, %d badly signed; want 1, 0", got, forged)
	}
	admin.run(
		chromedp.Click(css(`#webhook-secret a`)),
		chromedp.WaitVisible(css(`#webhook-deliveries tr[data-status="sent"]`)),
	)
	admin.shot("webhooks-02-deliveries")
	admin.run(chromedp.Click(css(`#webhook-switch button`)))
	admin.waitFor(`location.search.indexOf("done=off") >= 0 && document.querySelector('#webhook-switch input[value="1"]') !== null`)
	admin.contains(`#webhook-state`, "已停用")
	admin.run(chromedp.Click(css(`#webhook-switch button`)))
	admin.waitFor(`location.search.indexOf("done=on") >= 0 && document.querySelector('#webhook-switch input[value="0"]') !== null`)
	admin.run(chromedp.Click(css(`#webhook-replay button`))) // the last 24 hours, as the form proposes
	admin.waitFor(`location.search.indexOf("done=replayed") >= 0 && document.querySelector(".flash") !== null`)
	admin.contains(`.flash`, "1 条")
	if err := n.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, forged := recv.received(); got != 2 || forged != 0 {
		t.Fatalf("after the replay the department system has %d events (%d forged), want 2", got, forged)
	}
	admin.shot("webhooks-03-replayed")
}
