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
	s.handle("GET", "/api/v1/inbox", true, serve(http.StatusOK, nil, s.listInbox))
	s.handle("POST", "/api/v1/inbox/read", true, serve(http.StatusOK, nil, s.markInboxRead))
	s.handle("POST", "/api/v1/inbox/{id}/read", true, serve(http.StatusOK, nil, s.markInboxRead))
	s.handle("GET", "/api/v1/notifications/deliveries", true, serve(http.StatusOK, nil, s.listDeliveries))
	s.handle("POST", "/api/v1/notifications/deliveries/{id}/retry", true, serve(http.StatusOK, nil, s.retryDelivery))
	s.handle("GET", "/api/v1/notifications/preferences", true, serve(http.StatusOK, nil, s.getNotifyPreferences))
	s.handle("PUT", "/api/v1/notifications/preferences", true, serve(http.StatusOK, nil, s.putNotifyPreferences))
	s.handle("GET", "/api/v1/notifications/templates", true, serve(http.StatusOK, nil, s.listTemplates))
	s.handle("PUT", "/api/v1/notifications/templates/{event}/{lang}/{channel}", true, serve(http.StatusOK, nil, s.putTemplate))
	s.handle("POST", "/api/v1/notifications/templates/{event}/{lang}/{channel}/preview", true, serve(http.StatusOK, nil, s.previewTemplate))
	s.handle("GET", "/api/v1/notifications/figures", true, serve(http.StatusOK, nil, s.notifyFigures))
	s.handle("GET", "/api/v1/webhooks", true, serve(http.StatusOK, nil, s.listWebhooks))
	s.handle("POST", "/api/v1/webhooks", true, serveOnce(s, "webhook", s.createWebhook, s.webhook))
	s.handle("PUT", "/api/v1/webhooks/{id}", true, serve(http.StatusOK, nil, s.putWebhook))
	s.handle("POST", "/api/v1/webhooks/{id}/replay", true, serve(http.StatusAccepted, nil, s.replayWebhook))
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

func (s *Server) listInbox(ctx context.Context, c call[noBody]) (inboxPage, error) {
	limit, offset, err := paging(c.R, 20, 200)
	if err != nil {
		return inboxPage{}, err
	}
	unreadOnly, err := queryBool(c.R, "unread")
	if err != nil {
		return inboxPage{}, err
	}
	p, err := s.notifyService().Inbox(ctx, c.Actor, notify.InboxFilter{UnreadOnly: unreadOnly, Limit: limit, Offset: offset})
	if err != nil {
		return inboxPage{}, err
	}
	return inboxPage{page: page[deliveryView]{Items: deliveryViews(p.Items), Total: p.Total, Limit: limit, Offset: offset}, Unread: p.Unread}, nil
}

// markInboxRead marks one message read (the route with {id}) or all of them.
func (s *Server) markInboxRead(ctx context.Context, c call[noBody]) (map[string]int, error) {
	svc := s.notifyService()
	n, err := svc.MarkRead(ctx, c.Actor, c.ID)
	if err != nil {
		return nil, err
	}
	unread, err := svc.Unread(ctx, c.Actor)
	if err != nil {
		return nil, err
	}
	return map[string]int{"marked": n, "unread": unread}, nil
}

func (s *Server) listDeliveries(ctx context.Context, c call[noBody]) (page[deliveryView], error) {
	limit, offset, err := paging(c.R, 20, 200)
	if err != nil {
		return page[deliveryView]{}, err
	}
	p, err := s.notifyService().Deliveries(ctx, c.Actor, notify.DeliveryFilter{Status: notify.Status(c.Query("status")),
		Channel: notify.Channel(c.Query("channel")), Limit: limit, Offset: offset})
	if err != nil {
		return page[deliveryView]{}, err
	}
	return page[deliveryView]{Items: deliveryViews(p.Items), Total: p.Total, Limit: limit, Offset: offset}, nil
}

func (s *Server) retryDelivery(ctx context.Context, c call[noBody]) (deliveryView, error) {
	d, err := s.notifyService().Retry(ctx, c.Actor, c.ID)
	if err != nil {
		return deliveryView{}, err
	}
	return deliveryViews([]notify.Delivery{d})[0], nil
}

func (s *Server) getNotifyPreferences(ctx context.Context, c call[noBody]) (notify.Preferences, error) {
	return s.notifyService().Preferences(ctx, c.Actor)
}

// preferencesRequest is what a client may set (the phone is the account's).
type preferencesRequest struct {
	Email    string                           `json:"email"`
	Lang     string                           `json:"lang"`
	Channels map[notify.Kind][]notify.Channel `json:"channels"`
}

func (s *Server) putNotifyPreferences(ctx context.Context, c call[preferencesRequest]) (notify.Preferences, error) {
	return s.notifyService().SetPreferences(ctx, c.Actor, notify.Preferences{Email: c.In.Email, Lang: c.In.Lang, Channels: c.In.Channels})
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

func (s *Server) listTemplates(ctx context.Context, c call[noBody]) (map[string]any, error) {
	list, err := s.notifyService().Templates(ctx, c.Actor)
	if err != nil {
		return nil, err
	}
	events := make([]templateEvent, len(notify.Events))
	for i, e := range notify.Events {
		events[i] = templateEvent{Key: e.Key, Kind: string(e.Kind), LabelZH: e.Label.ZH, LabelEN: e.Label.EN, Variables: e.Variables(), SMSCode: e.SMSCode}
	}
	return map[string]any{"events": events, "items": list}, nil
}

type templateRequest struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

func (s *Server) putTemplate(ctx context.Context, c call[templateRequest]) (notify.Template, error) {
	return s.notifyService().SetTemplate(ctx, c.Actor, c.Path("event"), c.Path("lang"), c.Path("channel"), c.In.Subject, c.In.Body)
}

func (s *Server) previewTemplate(_ context.Context, c call[templateRequest]) (notify.Rendered, error) {
	return s.notifyService().PreviewTemplate(c.Actor, c.Path("event"), c.Path("lang"), c.Path("channel"), c.In.Subject, c.In.Body)
}

func (s *Server) listWebhooks(ctx context.Context, c call[noBody]) (page[notify.Subscriber], error) {
	list, err := s.notifyService().Webhooks(ctx, c.Actor)
	return all(list), err
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

// createWebhook adds a subscriber (Idempotency-Key honoured); its secret
// is never answered.
func (s *Server) createWebhook(ctx context.Context, c call[webhookRequest]) (notify.Subscriber, error) {
	sub, err := s.notifyService().PutWebhook(ctx, c.Actor, c.In.subscriber(0))
	if err != nil {
		return notify.Subscriber{}, err
	}
	sub.Secret = ""
	c.Header.Set("Location", "/api/v1/webhooks/"+strconv.FormatInt(sub.ID, 10))
	return sub, nil
}

// webhook is a subscriber an earlier attempt of createWebhook made.
func (s *Server) webhook(ctx context.Context, c call[noBody]) (notify.Subscriber, error) {
	return s.notifyService().Webhook(ctx, c.Actor, c.ID)
}

func (s *Server) putWebhook(ctx context.Context, c call[webhookRequest]) (notify.Subscriber, error) {
	sub, err := s.notifyService().PutWebhook(ctx, c.Actor, c.In.subscriber(c.ID))
	if err != nil {
		return notify.Subscriber{}, err
	}
	sub.Secret = ""
	return sub, nil
}

type replayRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func (s *Server) replayWebhook(ctx context.Context, c call[replayRequest]) (map[string]int, error) {
	var f apperr.Fields
	from, err := time.Parse(time.RFC3339, c.In.From)
	if err != nil {
		f.Add("from", "format", apperr.M("须为 RFC 3339 时间，如 2026-11-24T08:00:00+08:00", "must be an RFC 3339 time, e.g. 2026-11-24T08:00:00+08:00"))
	}
	to, err := time.Parse(time.RFC3339, c.In.To)
	if err != nil {
		f.Add("to", "format", apperr.M("须为 RFC 3339 时间，如 2026-11-24T18:00:00+08:00", "must be an RFC 3339 time, e.g. 2026-11-24T18:00:00+08:00"))
	}
	if len(f) > 0 {
		return nil, f.Err()
	}
	n, err := s.notifyService().Replay(ctx, c.Actor, c.ID, from, to)
	if err != nil {
		return nil, err
	}
	return map[string]int{"queued": n}, nil
}

type notifyFiguresOut struct {
	From     string                  `json:"from"`
	To       string                  `json:"to"`
	Channels []notify.ChannelFigures `json:"channels"`
}

// notifyFigures counts the messages of events from one China date to
// another (both included; by default the last 30 days).
func (s *Server) notifyFigures(ctx context.Context, c call[noBody]) (notifyFiguresOut, error) {
	today := clock.CivilDate(s.Clock.Now())
	from, to := today.AddDate(0, 0, -29), today
	var f apperr.Fields
	for _, p := range []struct {
		name string
		into *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := c.Query(p.name); v != "" {
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
		return notifyFiguresOut{}, f.Err()
	}
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, clock.China)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, clock.China).AddDate(0, 0, 1)
	out, err := s.notifyService().Figures(ctx, c.Actor, start, end)
	if err != nil {
		return notifyFiguresOut{}, err
	}
	return notifyFiguresOut{From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), Channels: out}, nil
}

type departmentHeadRequest struct {
	DepartmentHead bool `json:"department_head"`
}

// setDepartmentHead marks a reviewer as their department's head (who is
// told of SLA breaches), or unmarks them.
func (s *Server) setDepartmentHead(ctx context.Context, c call[departmentHeadRequest]) (auth.User, error) {
	return s.Auth.SetDepartmentHead(ctx, c.Actor, c.ID, c.In.DepartmentHead)
}
