package web

import (
	"net/http"
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

func (w *Web) inbox(rw http.ResponseWriter, r *http.Request, s *session) error {
	offset, err := offsetOf(r)
	if err != nil {
		return err
	}
	p, err := w.notifyService().Inbox(r.Context(), *s.User, notify.InboxFilter{Limit: messagesPerPage, Offset: offset})
	if err != nil {
		return err
	}
	d := inboxData{Messages: p.Items, Total: p.Total, Unread: p.Unread}
	d.PrevURL, d.NextURL = pager("/inbox?", offset, len(p.Items), p.Total)
	return w.render(rw, r, s, http.StatusOK, "inbox", "inbox.title", d)
}

// markRead marks one message (id in the form) or all of them read.
func (w *Web) markRead(rw http.ResponseWriter, r *http.Request, s *session) error {
	var id int64
	if v := r.PostFormValue("id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil {
			return apperr.NotFoundf("message_not_found", apperr.M("没有这条消息", "no such message"))
		}
	}
	if _, err := w.notifyService().MarkRead(r.Context(), *s.User, id); err != nil {
		return err
	}
	http.Redirect(rw, r, "/inbox", http.StatusSeeOther)
	return nil
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

func (w *Web) notifyPrefsPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	p, err := w.notifyService().Preferences(r.Context(), *s.User)
	if err != nil {
		return err
	}
	v := &view{session: s, Title: s.L.T("notifyprefs.title"), Data: newPrefsData(p)}
	if r.URL.Query().Get("done") == "saved" {
		v.Flash = s.L.T("notifyprefs.saved")
	}
	return w.write(rw, r, s, http.StatusOK, "notify_prefs", v)
}

func (w *Web) saveNotifyPrefs(rw http.ResponseWriter, r *http.Request, s *session) error {
	p := notify.Preferences{Email: r.PostFormValue("email"), Lang: r.PostFormValue("lang"), Channels: map[notify.Kind][]notify.Channel{}}
	for _, k := range notify.Kinds {
		p.Channels[k] = []notify.Channel{}
		for _, ch := range r.PostForm["channels."+string(k)] {
			p.Channels[k] = append(p.Channels[k], notify.Channel(ch))
		}
	}
	if _, err := w.notifyService().SetPreferences(r.Context(), *s.User, p); err != nil {
		p.Phone = ident.MaskPhone(s.User.Phone)
		return w.renderForm(rw, r, s, "notify_prefs", "notifyprefs.title", newPrefsData(p), err)
	}
	http.Redirect(rw, r, "/notifications/preferences?done=saved", http.StatusSeeOther)
	return nil
}

type deliveriesData struct {
	Figures          []notify.ChannelFigures // the last 30 days
	Deliveries       []notify.Delivery
	Total            int
	Status           string
	Statuses         []notify.Status
	PrevURL, NextURL string
}

func (w *Web) adminDeliveries(rw http.ResponseWriter, r *http.Request, s *session) error {
	offset, err := offsetOf(r)
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	p, err := w.notifyService().Deliveries(r.Context(), *s.User, notify.DeliveryFilter{Status: notify.Status(status), Limit: messagesPerPage, Offset: offset})
	if err != nil {
		return err
	}
	today := clock.CivilDate(w.Clock.Now())
	start := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, clock.China)
	figs, err := w.notifyService().Figures(r.Context(), *s.User, start.AddDate(0, 0, -29), start.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	d := deliveriesData{Figures: figs, Deliveries: p.Items, Total: p.Total, Status: status,
		Statuses: []notify.Status{notify.Queued, notify.Sending, notify.Sent, notify.Delivered, notify.Dead}}
	d.PrevURL, d.NextURL = pager("/admin/notifications?status="+status+"&", offset, len(p.Items), p.Total)
	v := &view{session: s, Title: s.L.T("deliveries.title"), Data: d}
	if r.URL.Query().Get("done") == "retried" {
		v.Flash = s.L.T("deliveries.retried")
	}
	return w.write(rw, r, s, http.StatusOK, "admin_deliveries", v)
}

func (w *Web) retryDelivery(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("message_not_found", apperr.M("没有这条消息", "no such message"))
	}
	if _, err := w.notifyService().Retry(r.Context(), *s.User, id); err != nil {
		return err
	}
	http.Redirect(rw, r, "/admin/notifications?status=dead&done=retried", http.StatusSeeOther)
	return nil
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
func (w *Web) templateForm(r *http.Request, s *session) (templatesData, error) {
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
	list, err := w.notifyService().Templates(r.Context(), *s.User)
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

func (w *Web) adminTemplates(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.templateForm(r, s)
	if err != nil {
		return err
	}
	v := &view{session: s, Title: s.L.T("templates.title"), Data: d}
	if r.URL.Query().Get("done") == "saved" {
		v.Flash = s.L.T("templates.saved")
	}
	return w.write(rw, r, s, http.StatusOK, "admin_templates", v)
}

// saveTemplate previews (button preview) or saves the template in the form.
func (w *Web) saveTemplate(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.templateForm(r, s)
	if err != nil {
		return err
	}
	d.Subject, d.Body = r.PostFormValue("subject"), r.PostFormValue("body")
	if r.PostFormValue("preview") != "" {
		out, err := w.notifyService().PreviewTemplate(*s.User, d.Event.Key, d.Lang, d.Channel, d.Subject, d.Body)
		if err != nil {
			return w.renderForm(rw, r, s, "admin_templates", "templates.title", d, err)
		}
		d.Preview = &out
		return w.render(rw, r, s, http.StatusOK, "admin_templates", "templates.title", d)
	}
	if _, err := w.notifyService().SetTemplate(r.Context(), *s.User, d.Event.Key, d.Lang, d.Channel, d.Subject, d.Body); err != nil {
		return w.renderForm(rw, r, s, "admin_templates", "templates.title", d, err)
	}
	http.Redirect(rw, r, "/admin/notifications/templates?event="+d.Event.Key+"&lang="+d.Lang+"&channel="+d.Channel+"&done=saved", http.StatusSeeOther)
	return nil
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
