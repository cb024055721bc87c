package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/notify"
)

// Notifications: each account's inbox (站内信) and delivery record, its
// preferences; templates and department webhooks for administrators. The
// rules live in package notify.
func (s *Server) registerNotificationRoutes() {
	s.handle("GET", "/api/v1/inbox", true, s.listInbox)
	s.handle("POST", "/api/v1/inbox/read", true, s.markInboxRead)
	s.handle("POST", "/api/v1/inbox/{id}/read", true, s.markInboxRead)
	s.handle("GET", "/api/v1/notifications/deliveries", true, s.listDeliveries)
	s.handle("POST", "/api/v1/notifications/deliveries/{id}/retry", true, s.retryDelivery)
	s.handle("GET", "/api/v1/notifications/preferences", true, s.getNotifyPreferences)
	s.handle("PUT", "/api/v1/notifications/preferences", true, s.putNotifyPreferences)
	s.handle("GET", "/api/v1/notifications/templates", true, s.listTemplates)
	s.handle("PUT", "/api/v1/notifications/templates/{event}/{lang}/{channel}", true, s.putTemplate)
	s.handle("POST", "/api/v1/notifications/templates/{event}/{lang}/{channel}/preview", true, s.previewTemplate)
	s.handle("GET", "/api/v1/notifications/figures", true, s.notifyFigures)
	s.handle("GET", "/api/v1/webhooks", true, s.listWebhooks)
	s.handle("POST", "/api/v1/webhooks", true, s.createWebhook)
	s.handle("PUT", "/api/v1/webhooks/{id}", true, s.putWebhook)
	s.handle("POST", "/api/v1/webhooks/{id}/replay", true, s.replayWebhook)
	s.handle("PUT", "/api/v1/users/{id}/department-head", true, serve(http.StatusOK, admins, s.setDepartmentHead))
}

// notifyService is the server's, or one over its database.
func (s *Server) notifyService() *notify.Service {
	if s.Notify == nil {
		s.Notify = notify.NewService(s.DB, s.Clock)
	}
	return s.Notify
}

// deliveryView is a delivery with its status and channel named in both languages.
type deliveryView struct {
	notify.Delivery
	StatusZH  string `json:"status_zh"`
	StatusEN  string `json:"status_en"`
	ChannelZH string `json:"channel_zh"`
	ChannelEN string `json:"channel_en"`
}

func deliveryViews(ds []notify.Delivery) []deliveryView {
	out := make([]deliveryView, len(ds))
	for i, d := range ds {
		st, ch := notify.StatusNames[d.Status], notify.ChannelNames[d.Channel]
		out[i] = deliveryView{Delivery: d, StatusZH: st.ZH, StatusEN: st.EN, ChannelZH: ch.ZH, ChannelEN: ch.EN}
	}
	return out
}

type inboxPage struct {
	page[deliveryView]
	Unread int `json:"unread"`
}

func (s *Server) listInbox(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	limit, err := queryInt(r, "limit", 20, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	unreadOnly, err := queryBool(r, "unread")
	if err != nil {
		return err
	}
	p, err := s.notifyService().Inbox(r.Context(), u, notify.InboxFilter{UnreadOnly: unreadOnly, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, inboxPage{page: page[deliveryView]{Items: deliveryViews(p.Items), Total: p.Total, Limit: limit, Offset: offset}, Unread: p.Unread})
	return nil
}

func queryBool(r *http.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, apperr.Fields{apperr.Field(name, "format", apperr.M(name+" 须为 true 或 false", name+" must be true or false"))}.Err()
}

func (s *Server) markInboxRead(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r, "id"); err != nil {
			return err
		}
	}
	svc := s.notifyService()
	n, err := svc.MarkRead(r.Context(), u, id)
	if err != nil {
		return err
	}
	unread, err := svc.Unread(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"marked": n, "unread": unread})
	return nil
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	limit, err := queryInt(r, "limit", 20, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := s.notifyService().Deliveries(r.Context(), u, notify.DeliveryFilter{Status: notify.Status(q.Get("status")),
		Channel: notify.Channel(q.Get("channel")), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[deliveryView]{Items: deliveryViews(p.Items), Total: p.Total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) retryDelivery(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.notifyService().Retry(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deliveryViews([]notify.Delivery{d})[0])
	return nil
}

func (s *Server) getNotifyPreferences(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	p, err := s.notifyService().Preferences(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// preferencesRequest is what a client may set (the phone is the account's).
type preferencesRequest struct {
	Email    string                           `json:"email"`
	Lang     string                           `json:"lang"`
	Channels map[notify.Kind][]notify.Channel `json:"channels"`
}

func (s *Server) putNotifyPreferences(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var req preferencesRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	p, err := s.notifyService().SetPreferences(r.Context(), u, notify.Preferences{Email: req.Email, Lang: req.Lang, Channels: req.Channels})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// templateEvent describes an event in the template list.
type templateEvent struct {
	Key       string   `json:"key"`
	Kind      string   `json:"kind"`
	LabelZH   string   `json:"label_zh"`
	LabelEN   string   `json:"label_en"`
	Variables []string `json:"variables"`
	SMSCode   string   `json:"sms_code"`
}

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	list, err := s.notifyService().Templates(r.Context(), u)
	if err != nil {
		return err
	}
	events := make([]templateEvent, len(notify.Events))
	for i, e := range notify.Events {
		events[i] = templateEvent{Key: e.Key, Kind: string(e.Kind), LabelZH: e.Label.ZH, LabelEN: e.Label.EN, Variables: e.Variables(), SMSCode: e.SMSCode}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": events, "items": list})
	return nil
}

type templateRequest struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

func (s *Server) putTemplate(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var req templateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := s.notifyService().SetTemplate(r.Context(), u, r.PathValue("event"), r.PathValue("lang"), r.PathValue("channel"), req.Subject, req.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) previewTemplate(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var req templateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := s.notifyService().PreviewTemplate(u, r.PathValue("event"), r.PathValue("lang"), r.PathValue("channel"), req.Subject, req.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	list, err := s.notifyService().Webhooks(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[notify.Subscriber]{Items: list, Total: len(list), Limit: len(list)})
	return nil
}

// webhookRequest is a subscriber as a client sends it.
type webhookRequest struct {
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Secret      string   `json:"secret"`
	EventTypes  []string `json:"event_types"`
	Departments []string `json:"departments"`
	Active      *bool    `json:"active"`
}

func (req webhookRequest) subscriber(id int64) notify.Subscriber {
	active := req.Active == nil || *req.Active
	return notify.Subscriber{ID: id, Name: req.Name, URL: req.URL, Secret: req.Secret, EventTypes: req.EventTypes,
		Departments: req.Departments, Active: active}
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	svc := s.notifyService()
	return s.idempotent(w, r, u, func(ctx context.Context, body []byte) (int, any, error) {
		var req webhookRequest
		if err := decodeBytes(body, &req); err != nil {
			return 0, nil, err
		}
		sub, err := svc.PutWebhook(ctx, u, req.subscriber(0))
		if err != nil {
			return 0, nil, err
		}
		sub.Secret = ""
		w.Header().Set("Location", "/api/v1/webhooks/"+strconv.FormatInt(sub.ID, 10))
		return http.StatusCreated, sub, nil
	}, func(ctx context.Context, ref string) (int, any, error) {
		id, err := refID(ref, "webhook")
		if err != nil {
			return 0, nil, err
		}
		sub, err := svc.Webhook(ctx, u, id)
		return http.StatusCreated, sub, err
	})
}

func (s *Server) putWebhook(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req webhookRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sub, err := s.notifyService().PutWebhook(r.Context(), u, req.subscriber(id))
	if err != nil {
		return err
	}
	sub.Secret = ""
	writeJSON(w, http.StatusOK, sub)
	return nil
}

type replayRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func (s *Server) replayWebhook(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req replayRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	var f apperr.Fields
	from, err := time.Parse(time.RFC3339, req.From)
	if err != nil {
		f.Add("from", "format", apperr.M("须为 RFC 3339 时间，如 2026-11-24T08:00:00+08:00", "must be an RFC 3339 time, e.g. 2026-11-24T08:00:00+08:00"))
	}
	to, err := time.Parse(time.RFC3339, req.To)
	if err != nil {
		f.Add("to", "format", apperr.M("须为 RFC 3339 时间，如 2026-11-24T18:00:00+08:00", "must be an RFC 3339 time, e.g. 2026-11-24T18:00:00+08:00"))
	}
	if len(f) > 0 {
		return f.Err()
	}
	n, err := s.notifyService().Replay(r.Context(), u, id, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"queued": n})
	return nil
}

type notifyFiguresOut struct {
	From     string                  `json:"from"`
	To       string                  `json:"to"`
	Channels []notify.ChannelFigures `json:"channels"`
}

// notifyFigures counts the messages of events from one China date to
// another (both included; by default the last 30 days).
func (s *Server) notifyFigures(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	today := clock.CivilDate(s.Clock.Now())
	from, to := today.AddDate(0, 0, -29), today
	var f apperr.Fields
	for _, p := range []struct {
		name string
		into *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := r.URL.Query().Get(p.name); v != "" {
			d, err := time.Parse("2006-01-02", v)
			if err != nil {
				f.Add(p.name, "format", apperr.M("日期格式须为 YYYY-MM-DD", "the date must be YYYY-MM-DD"))
				continue
			}
			*p.into = d
		}
	}
	if len(f) == 0 && to.Before(from) {
		f.Add("to", "range", apperr.M("结束日期不能早于开始日期", "to must not be before from"))
	}
	if len(f) > 0 {
		return f.Err()
	}
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, clock.China)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, clock.China).AddDate(0, 0, 1)
	out, err := s.notifyService().Figures(r.Context(), u, start, end)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, notifyFiguresOut{From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), Channels: out})
	return nil
}

type departmentHeadRequest struct {
	DepartmentHead bool `json:"department_head"`
}

// setDepartmentHead marks a reviewer as their department's head (who is
// told of SLA breaches), or unmarks them.
func (s *Server) setDepartmentHead(ctx context.Context, c call[departmentHeadRequest]) (auth.User, error) {
	return s.Auth.SetDepartmentHead(ctx, c.Actor, c.ID, c.In.DepartmentHead)
}
