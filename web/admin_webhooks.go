package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/notify"
)

// Department systems' webhook subscriptions, for administrators: the list,
// a new subscription (its secret made here and shown once), switching one
// off or on, its recent deliveries and a replay of a time range.

type webhooksData struct {
	Subscribers []notify.Subscriber
	Departments []catalog.Department
	New         notify.Subscriber
	EventTypes  string // as typed
	Created     *notify.Subscriber
	Secret      string // the new subscription's secret, shown this once
}

func (w *Web) webhooksData(ctx context.Context, c *call) (webhooksData, error) {
	subs, err := w.notifyService().Webhooks(ctx, c.User)
	if err != nil {
		return webhooksData{}, err
	}
	depts, err := w.Catalog.Departments(ctx)
	return webhooksData{Subscribers: subs, Departments: depts}, err
}

// splitTypes reads the event types typed into one field, separated by
// commas or spaces.
func splitTypes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func (w *Web) addWebhook(ctx context.Context, c *call) (answer, error) {
	sub := notify.Subscriber{Name: c.Form("name"), URL: c.Form("url"), EventTypes: splitTypes(c.Form("event_types")),
		Departments: c.Values("departments"), Active: true, Secret: notify.NewWebhookSecret()}
	created, err := w.notifyService().PutWebhook(ctx, c.User, sub)
	d, derr := w.webhooksData(ctx, c)
	if derr != nil {
		return nil, derr
	}
	if err != nil {
		sub.Secret = ""
		d.New, d.EventTypes = sub, c.Form("event_types")
		return page{Name: "admin_webhooks", Title: "webhooks.title", Data: d}, err
	}
	d.Created, d.Secret = &created, sub.Secret
	return page{Name: "admin_webhooks", Title: "webhooks.title", Data: d, Flash: c.L.Tf("webhooks.created", created.Name),
		Status: http.StatusCreated}, nil
}

type webhookData struct {
	Sub        notify.Subscriber
	Deliveries []notify.Delivery
	Total      int
	From, To   string // the replay form, China time
}

// webhookID is what an {id} naming no subscription is.
var webhookID = withID("webhook_not_found", apperr.M("没有这个推送订阅", "no such webhook"))

func (w *Web) webhookData(ctx context.Context, c *call) (webhookData, error) {
	sub, err := w.notifyService().Webhook(ctx, c.User, c.ID)
	if err != nil {
		return webhookData{}, err
	}
	p, err := w.notifyService().Deliveries(ctx, c.User, notify.DeliveryFilter{Subscriber: c.ID, Limit: 20})
	if err != nil {
		return webhookData{}, err
	}
	// The last day, up to the end of this minute (the form has minutes).
	end := w.Clock.Now().In(clock.China).Truncate(time.Minute).Add(time.Minute)
	return webhookData{Sub: sub, Deliveries: p.Items, Total: p.Total,
		From: end.Add(-24 * time.Hour).Format("2006-01-02T15:04"), To: end.Format("2006-01-02T15:04")}, nil
}

func (w *Web) adminWebhook(ctx context.Context, c *call) (answer, error) {
	d, err := w.webhookData(ctx, c)
	if err != nil {
		return nil, err
	}
	p := page{Name: "admin_webhook", TitleText: d.Sub.Name, Data: d,
		Flash: c.Flash(map[string]string{"on": "webhooks.switched_on", "off": "webhooks.switched_off"})}
	if c.Query("done") == "replayed" {
		p.Flash = c.L.Tf("webhooks.replayed", c.Query("n"))
	}
	return p, nil
}

func (w *Web) setWebhookActive(ctx context.Context, c *call) (answer, error) {
	active := c.Form("active") == "1"
	done := "off"
	if active {
		done = "on"
	}
	_, err := w.notifyService().SetWebhookActive(ctx, c.User, c.ID, active)
	return seeOther("/admin/webhooks/" + strconv.FormatInt(c.ID, 10) + "?done=" + done), err
}

func (w *Web) replayWebhook(ctx context.Context, c *call) (answer, error) {
	var f apperr.Fields
	parse := func(field string) time.Time {
		t, err := time.ParseInLocation("2006-01-02T15:04", c.Trim(field), clock.China)
		if err != nil {
			f.Add(field, "format", apperr.M("请填写日期和时间", "give a date and time"))
		}
		return t
	}
	from, to := parse("from"), parse("to")
	err := f.Err()
	var n int
	if err == nil {
		n, err = w.notifyService().Replay(ctx, c.User, c.ID, from, to)
	}
	if err != nil {
		return reload(func() (answer, error) {
			d, err := w.webhookData(ctx, c)
			d.From, d.To = c.Form("from"), c.Form("to")
			return page{Name: "admin_webhook", Title: "webhooks.title", Data: d}, err
		}), err
	}
	return seeOther("/admin/webhooks/" + strconv.FormatInt(c.ID, 10) + "?done=replayed&n=" + strconv.Itoa(n)), nil
}
