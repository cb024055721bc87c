package web

import (
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

func (w *Web) webhooksData(r *http.Request, s *session) (webhooksData, error) {
	subs, err := w.notifyService().Webhooks(r.Context(), *s.User)
	if err != nil {
		return webhooksData{}, err
	}
	depts, err := w.Catalog.Departments(r.Context())
	return webhooksData{Subscribers: subs, Departments: depts}, err
}

func (w *Web) adminWebhooks(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.webhooksData(r, s)
	if err != nil {
		return err
	}
	return w.write(rw, r, s, http.StatusOK, "admin_webhooks", &view{session: s, Title: s.L.T("webhooks.title"), Data: d})
}

// splitTypes reads the event types typed into one field, separated by
// commas or spaces.
func splitTypes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func (w *Web) addWebhook(rw http.ResponseWriter, r *http.Request, s *session) error {
	sub := notify.Subscriber{Name: r.PostFormValue("name"), URL: r.PostFormValue("url"), EventTypes: splitTypes(r.PostFormValue("event_types")),
		Departments: r.PostForm["departments"], Active: true, Secret: notify.NewWebhookSecret()}
	created, err := w.notifyService().PutWebhook(r.Context(), *s.User, sub)
	d, derr := w.webhooksData(r, s)
	if derr != nil {
		return derr
	}
	if err != nil {
		sub.Secret = ""
		d.New, d.EventTypes = sub, r.PostFormValue("event_types")
		return w.renderForm(rw, r, s, "admin_webhooks", "webhooks.title", d, err)
	}
	d.Created, d.Secret = &created, sub.Secret
	v := &view{session: s, Title: s.L.T("webhooks.title"), Data: d, Flash: s.L.Tf("webhooks.created", created.Name)}
	return w.write(rw, r, s, http.StatusCreated, "admin_webhooks", v)
}

type webhookData struct {
	Sub        notify.Subscriber
	Deliveries []notify.Delivery
	Total      int
	From, To   string // the replay form, China time
}

func webhookID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, apperr.New(apperr.NotFound, "webhook_not_found", apperr.M("没有这个推送订阅", "no such webhook"))
	}
	return id, nil
}

func (w *Web) webhookData(r *http.Request, s *session, id int64) (webhookData, error) {
	sub, err := w.notifyService().Webhook(r.Context(), *s.User, id)
	if err != nil {
		return webhookData{}, err
	}
	p, err := w.notifyService().Deliveries(r.Context(), *s.User, notify.DeliveryFilter{Subscriber: id, Limit: 20})
	if err != nil {
		return webhookData{}, err
	}
	// The last day, up to the end of this minute (the form has minutes).
	end := w.Clock.Now().In(clock.China).Truncate(time.Minute).Add(time.Minute)
	return webhookData{Sub: sub, Deliveries: p.Items, Total: p.Total,
		From: end.Add(-24 * time.Hour).Format("2006-01-02T15:04"), To: end.Format("2006-01-02T15:04")}, nil
}

func (w *Web) adminWebhook(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := webhookID(r)
	if err != nil {
		return err
	}
	d, err := w.webhookData(r, s, id)
	if err != nil {
		return err
	}
	v := &view{session: s, Title: d.Sub.Name, Data: d}
	switch r.URL.Query().Get("done") {
	case "on":
		v.Flash = s.L.T("webhooks.switched_on")
	case "off":
		v.Flash = s.L.T("webhooks.switched_off")
	case "replayed":
		v.Flash = s.L.Tf("webhooks.replayed", r.URL.Query().Get("n"))
	}
	return w.write(rw, r, s, http.StatusOK, "admin_webhook", v)
}

func (w *Web) setWebhookActive(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := webhookID(r)
	if err != nil {
		return err
	}
	active := r.PostFormValue("active") == "1"
	if _, err := w.notifyService().SetWebhookActive(r.Context(), *s.User, id, active); err != nil {
		return err
	}
	done := "off"
	if active {
		done = "on"
	}
	http.Redirect(rw, r, "/admin/webhooks/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

func (w *Web) replayWebhook(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := webhookID(r)
	if err != nil {
		return err
	}
	var f apperr.Fields
	parse := func(field string) time.Time {
		t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(r.PostFormValue(field)), clock.China)
		if err != nil {
			f.Add(field, "format", apperr.M("请填写日期和时间", "give a date and time"))
		}
		return t
	}
	from, to := parse("from"), parse("to")
	var n int
	if len(f) == 0 {
		n, err = w.notifyService().Replay(r.Context(), *s.User, id, from, to)
	} else {
		err = f.Err()
	}
	if err != nil {
		d, derr := w.webhookData(r, s, id)
		if derr != nil {
			return derr
		}
		d.From, d.To = r.PostFormValue("from"), r.PostFormValue("to")
		return w.renderForm(rw, r, s, "admin_webhook", "webhooks.title", d, err)
	}
	http.Redirect(rw, r, "/admin/webhooks/"+strconv.FormatInt(id, 10)+"?done=replayed&n="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}
