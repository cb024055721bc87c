package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/notify"
)

// The header counts unread messages; the inbox lists them and marks them read.
func TestInboxPageAndHeaderCount(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		yu := user(t, e, "yuxiulan")
		c, err := e.svc.Create(ctx, yu, cases.CreateRequest{Item: demo.CodeSocialInsuranceSubsidy, Point: demo.QingzhouCentre})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Act(ctx, yu, c.ID, cases.Submit, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Act(ctx, user(t, e, "qz_quanke"), c.ID, cases.NotifyMissing, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		n := notify.New(e.db, e.clock.Clock())
		n.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		if err := n.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		b := e.as(t, "yuxiulan")
		b.get("/my").want(200).has(`id="inbox-link"`, `<span class="count"`, ">1</span>")
		inbox := b.get("/inbox").want(200).has("一次性告知", c.Number, "居民身份证", `class="card unread"`)
		id := regexp.MustCompile(`id="message-(\d+)"`).FindStringSubmatch(inbox.body)
		if id == nil {
			t.Fatalf("no message on the page: %.500s", inbox.body)
		}
		// Another account cannot mark it read.
		zhou := e.as(t, "zhouming")
		zhou.get("/inbox").want(200)
		zhou.post("/inbox/read", url.Values{"id": {id[1]}}).want(404)
		b.post("/inbox/read", url.Values{"id": {id[1]}}).want(303)
		b.get("/inbox").want(200).lacks(`class="card unread"`, `<span class="count"`)

		// Preferences: e-mail without an address is refused, naming the field.
		b.get("/notifications/preferences").want(200).has(`name="channels.progress"`, "139")
		b.post("/notifications/preferences", url.Values{"channels.progress": {"email"}}).want(422).has(`id="email"`, "field-error")
		b.post("/notifications/preferences", url.Values{"email": {"yu@example.cn"}, "channels.progress": {"email", "sms"}}).want(303)
		b.get("/notifications/preferences?done=saved").want(200).has("yu@example.cn", "flash")

		// Administrators: the record and the templates, with a preview.
		a := e.as(t, "admin")
		a.get("/admin").want(200)
		a.get("/admin/notifications?status=delivered").want(200).has("一次性告知", `id="notify-figures"`)
		b.get("/admin/notifications").want(403)
		a.get("/admin/notifications/templates?event=case.approved&lang=zh&channel=sms").want(200).has("审批通过")
		a.post("/admin/notifications/templates", url.Values{"event": {"case.approved"}, "lang": {"zh"}, "channel": {"sms"}, "body": {"{number}通过{oops}"}, "preview": {"1"}}).
			want(422).has("oops")
		a.post("/admin/notifications/templates", url.Values{"event": {"case.approved"}, "lang": {"zh"}, "channel": {"sms"}, "body": {"{number}已获准"}, "preview": {"1"}}).
			want(200).has("HNZWFW-20261124-00042已获准")
		a.post("/admin/notifications/templates", url.Values{"event": {"case.approved"}, "lang": {"zh"}, "channel": {"sms"}, "body": {"{number}已获准"}}).want(303)
		a.get("/admin/notifications/templates?event=case.approved&lang=zh&channel=sms&done=saved").want(200).has("{number}已获准", "flash")
	})
}
