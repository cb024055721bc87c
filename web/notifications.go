package web

import (
	"context"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/notify"
)

// Notifications: every account's inbox (站内信) and preferences, and for
// administrators the delivery record and the templates. The rules live in
// package notify.
func (w *Web) notifyService() *notify.Service {
	if w.Notify == nil {
		w.Notify = notify.NewService(w.DB, w.Clock)
	}
	return w.Notify
}

const messagesPerPage = 20

type inboxData struct {
	Messages         []notify.Delivery
	Total, Unread    int
	PrevURL, NextURL string
}

func (w *Web) inbox(ctx context.Context, c *call) (inboxData, error) {
	offset, err := offsetOf(c.R)
	if err != nil {
		return inboxData{}, err
	}
	p, err := w.notifyService().Inbox(ctx, c.User, notify.InboxFilter{Limit: messagesPerPage, Offset: offset})
	if err != nil {
		return inboxData{}, err
	}
	d := inboxData{Messages: p.Items, Total: p.Total, Unread: p.Unread}
	d.PrevURL, d.NextURL = pager("/inbox?", offset, len(p.Items), p.Total)
	return d, nil
}

// errNoMessage is the answer about a message that is not there.
func errNoMessage() error {
	return apperr.NotFoundf("message_not_found", apperr.M("没有这条消息", "no such message"))
}

// markRead marks one message (id in the form) or all of them read.
func (w *Web) markRead(ctx context.Context, c *call) (answer, error) {
	var id int64
	if v := c.Form("id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, errNoMessage()
		}
	}
	_, err := w.notifyService().MarkRead(ctx, c.User, id)
	return seeOther("/inbox"), err
}

type prefsData struct {
	Prefs    notify.Preferences
	Kinds    []notify.Kind
	Channels []notify.Channel
}

// Chose reports whether kind has ch chosen.
func (d prefsData) Chose(kind notify.Kind, ch notify.Channel) bool {
	for _, c := range d.Prefs.Channels[kind] {
		if c == ch {
			return true
		}
	}
	return false
}

func newPrefsData(p notify.Preferences) prefsData {
	return prefsData{Prefs: p, Kinds: notify.Kinds, Channels: []notify.Channel{notify.SMS, notify.Email}}
}

func (w *Web) notifyPrefsPage(ctx context.Context, c *call) (answer, error) {
	p, err := w.notifyService().Preferences(ctx, c.User)
	if err != nil {
		return nil, err
	}
	return page{Name: "notify_prefs", Title: "notifyprefs.title", Data: newPrefsData(p),
		Flash: c.Flash(map[string]string{"saved": "notifyprefs.saved"})}, nil
}

func (w *Web) saveNotifyPrefs(ctx context.Context, c *call) (answer, error) {
	p := notify.Preferences{Email: c.Form("email"), Lang: c.Form("lang"), Channels: map[notify.Kind][]notify.Channel{}}
	for _, k := range notify.Kinds {
		p.Channels[k] = []notify.Channel{}
		for _, ch := range c.Values("channels." + string(k)) {
			p.Channels[k] = append(p.Channels[k], notify.Channel(ch))
		}
	}
	if _, err := w.notifyService().SetPreferences(ctx, c.User, p); err != nil {
		p.Phone = ident.MaskPhone(c.User.Phone)
		return page{Name: "notify_prefs", Title: "notifyprefs.title", Data: newPrefsData(p)}, err
	}
	return seeOther("/notifications/preferences?done=saved"), nil
}

type deliveriesData struct {
	Figures          []notify.ChannelFigures // the last 30 days
	Deliveries       []notify.Delivery
	Total            int
	Status           string
	Statuses         []notify.Status
	PrevURL, NextURL string
}

func (w *Web) adminDeliveries(ctx context.Context, c *call) (answer, error) {
	offset, err := offsetOf(c.R)
	if err != nil {
		return nil, err
	}
	status := c.Query("status")
	p, err := w.notifyService().Deliveries(ctx, c.User, notify.DeliveryFilter{Status: notify.Status(status), Limit: messagesPerPage, Offset: offset})
	if err != nil {
		return nil, err
	}
	today := clock.CivilDate(w.Clock.Now())
	start := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, clock.China)
	figs, err := w.notifyService().Figures(ctx, c.User, start.AddDate(0, 0, -29), start.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	d := deliveriesData{Figures: figs, Deliveries: p.Items, Total: p.Total, Status: status,
		Statuses: []notify.Status{notify.Queued, notify.Sending, notify.Sent, notify.Delivered, notify.Dead}}
	d.PrevURL, d.NextURL = pager("/admin/notifications?status="+status+"&", offset, len(p.Items), p.Total)
	return page{Name: "admin_deliveries", Title: "deliveries.title", Data: d, Flash: c.Flash(map[string]string{"retried": "deliveries.retried"})}, nil
}

// messageID is what an {id} naming no message is.
var messageID = withID("message_not_found", apperr.M("没有这条消息", "no such message"))

func (w *Web) retryDelivery(ctx context.Context, c *call) (answer, error) {
	_, err := w.notifyService().Retry(ctx, c.User, c.ID)
	return seeOther("/admin/notifications?status=dead&done=retried"), err
}

type templatesData struct {
	Events   []notify.EventDef
	Event    notify.EventDef
	Lang     string
	Channel  string
	Subject  string
	Body     string
	Custom   bool
	Preview  *notify.Rendered
	Channels []notify.Channel
}

// templateForm reads the chosen template (query or form) with its text.
func (w *Web) templateForm(ctx context.Context, c *call) (templatesData, error) {
	r := c.R
	q := r.URL.Query()
	event, lang, ch := r.FormValue("event"), r.FormValue("lang"), r.FormValue("channel")
	if event == "" {
		event = q.Get("event")
	}
	if event == "" {
		event = notify.Events[0].Key
	}
	if lang == "" {
		lang = "zh"
	}
	if ch == "" {
		ch = string(notify.Inbox)
	}
	ev, ok := notify.EventByKey(event)
	if !ok {
		return templatesData{}, apperr.Fields{apperr.Field("event", "unknown", apperr.M("未知的事件", "unknown event"))}.Err()
	}
	d := templatesData{Events: notify.Events, Event: ev, Lang: lang, Channel: ch, Channels: notify.TemplateChannels}
	list, err := w.notifyService().Templates(ctx, c.User)
	if err != nil {
		return d, err
	}
	for _, t := range list {
		if t.Event == event && t.Lang == lang && string(t.Channel) == ch {
			d.Subject, d.Body, d.Custom = t.Subject, t.Body, t.Custom
		}
	}
	return d, nil
}

func (w *Web) adminTemplates(ctx context.Context, c *call) (answer, error) {
	d, err := w.templateForm(ctx, c)
	if err != nil {
		return nil, err
	}
	return page{Name: "admin_templates", Title: "templates.title", Data: d, Flash: c.Flash(map[string]string{"saved": "templates.saved"})}, nil
}

// saveTemplate previews (button preview) or saves the template in the form.
func (w *Web) saveTemplate(ctx context.Context, c *call) (answer, error) {
	d, err := w.templateForm(ctx, c)
	if err != nil {
		return nil, err
	}
	d.Subject, d.Body = c.Form("subject"), c.Form("body")
	if c.Form("preview") != "" {
		out, err := w.notifyService().PreviewTemplate(c.User, d.Event.Key, d.Lang, d.Channel, d.Subject, d.Body)
		if err == nil {
			d.Preview = &out
		}
		return page{Name: "admin_templates", Title: "templates.title", Data: d}, err
	}
	if _, err := w.notifyService().SetTemplate(ctx, c.User, d.Event.Key, d.Lang, d.Channel, d.Subject, d.Body); err != nil {
		return page{Name: "admin_templates", Title: "templates.title", Data: d}, err
	}
	return seeOther("/admin/notifications/templates?event=" + d.Event.Key + "&lang=" + d.Lang + "&channel=" + d.Channel + "&done=saved"), nil
}

// NotifyStatus, NotifyChannel, NotifyKind and NotifyEvent name the
// notifier's words in the page's language.
func (l Lang) NotifyStatus(st notify.Status) string   { return l.Msg(notify.StatusNames[st]) }
func (l Lang) NotifyChannel(ch notify.Channel) string { return l.Msg(notify.ChannelNames[ch]) }
func (l Lang) NotifyKind(k notify.Kind) string        { return l.Msg(notify.KindNames[k]) }
func (l Lang) NotifyEvent(key string) string {
	if ev, ok := notify.EventByKey(key); ok {
		return l.Msg(ev.Label)
	}
	return key
}
