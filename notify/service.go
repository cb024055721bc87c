package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

// Service answers people about their messages: the inbox, the delivery
// record, preferences; and administrators about templates and webhooks.
// Every method takes the acting user and checks what they may see or do.
type Service struct {
	db  *store.DB
	now clock.Clock
	// AllowHTTPWebhooks lets tests and intranet trials register http://
	// receivers; production subscribers must be HTTPS.
	AllowHTTPWebhooks bool
	// WebhookNetworks are the internal networks receivers may be on (the
	// notifier checks every address it dials; saving refuses the obvious
	// ones at once).
	WebhookNetworks []netip.Prefix
}

// NewService makes the service on db with the server's clock.
func NewService(db *store.DB, clk clock.Clock) *Service { return &Service{db: db, now: clk} }

func errAdminOnly() error {
	e := apperr.New(apperr.Forbidden, "admin_only", apperr.M("只有系统管理员可以这样做", "only administrators may do this"))
	e.Denied = true
	return e
}

func isAdmin(u auth.User) bool { return u.Role == auth.RoleAdmin && !u.Disabled }

// Page is one page of a list.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Unread int `json:"unread,omitempty"`
}

// InboxFilter narrows the inbox.
type InboxFilter struct {
	UnreadOnly    bool
	Limit, Offset int
}

// Inbox lists the actor's own in-app messages, newest first, with the unread count.
func (s *Service) Inbox(ctx context.Context, actor auth.User, f InboxFilter) (Page[Delivery], error) {
	where := `user_id = ? AND user_id <> 0 AND channel = 'inbox'`
	args := []any{actor.ID}
	if f.UnreadOnly {
		where += ` AND ` + store.NotYet(s.db.Dialect(), "read_at")
	}
	out := Page[Delivery]{Items: []Delivery{}}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE `+where, args...).Scan(&out.Total); err != nil {
		return out, apperr.Wrap(err, "notify: inbox")
	}
	unread, err := s.Unread(ctx, actor)
	if err != nil {
		return out, err
	}
	out.Unread = unread
	items, err := s.query(ctx, `SELECT `+deliveryColumns+` FROM notify_deliveries WHERE `+where+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, limitOf(f.Limit), f.Offset)...)
	out.Items = items
	return out, err
}

func limitOf(n int) int {
	if n <= 0 || n > 200 {
		return 20
	}
	return n
}

// Unread counts the actor's unread inbox messages (the page header's badge).
func (s *Service) Unread(ctx context.Context, actor auth.User) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE user_id = ? AND user_id <> 0 AND channel = 'inbox' AND `+store.NotYet(s.db.Dialect(), "read_at"), actor.ID).Scan(&n)
	return n, apperr.Wrap(err, "notify: unread")
}

func errMessageNotFound() error {
	return apperr.New(apperr.NotFound, "message_not_found", apperr.M("没有这条消息", "no such message"))
}

// MarkRead marks one of the actor's inbox messages read (id 0: all of them).
// Another account's message is not found.
func (s *Service) MarkRead(ctx context.Context, actor auth.User, id int64) (int, error) {
	now := store.FormatTime(s.now.Now())
	var n int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		q, args := `UPDATE notify_deliveries SET read_at = ? WHERE user_id = ? AND user_id <> 0 AND channel = 'inbox' AND `+store.NotYet(s.db.Dialect(), "read_at"), []any{now, actor.ID}
		if id != 0 {
			var owner int64
			err := tx.QueryRowContext(ctx, `SELECT user_id FROM notify_deliveries WHERE id = ? AND channel = 'inbox'`, id).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != actor.ID) {
				return errMessageNotFound()
			}
			if err != nil {
				return apperr.Wrap(err, "notify: mark read")
			}
			q, args = q+` AND id = ?`, append(args, id)
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return apperr.Wrap(err, "notify: mark read")
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// DeliveryFilter narrows the delivery record.
type DeliveryFilter struct {
	Status        Status
	Channel       Channel
	Subscriber    int64 // a webhook subscriber's messages only (administrators)
	Limit, Offset int
}

// Deliveries lists the delivery record: an account's own messages on every
// channel, or for administrators everyone's. Addresses are masked.
func (s *Service) Deliveries(ctx context.Context, actor auth.User, f DeliveryFilter) (Page[Delivery], error) {
	var where []string
	var args []any
	if !isAdmin(actor) {
		// user_id <> 0 lets both engines use the partial index of accounts' messages.
		where, args = append(where, "user_id = ? AND user_id <> 0"), append(args, actor.ID)
	}
	if f.Status != "" {
		if _, ok := StatusNames[f.Status]; !ok {
			return Page[Delivery]{}, apperr.Fields{apperr.Field("status", "unknown", apperr.M("未知的状态", "unknown status"))}.Err()
		}
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Channel != "" {
		if _, ok := ChannelNames[f.Channel]; !ok {
			return Page[Delivery]{}, apperr.Fields{apperr.Field("channel", "unknown", apperr.M("未知的渠道", "unknown channel"))}.Err()
		}
		where, args = append(where, "channel = ?"), append(args, string(f.Channel))
	}
	if f.Subscriber != 0 {
		where, args = append(where, "channel = 'webhook' AND subscriber_id = ?"), append(args, f.Subscriber)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	out := Page[Delivery]{Items: []Delivery{}}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries`+cond, args...).Scan(&out.Total); err != nil {
		return out, apperr.Wrap(err, "notify: deliveries")
	}
	items, err := s.query(ctx, `SELECT `+deliveryColumns+` FROM notify_deliveries`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, limitOf(f.Limit), f.Offset)...)
	for i := range items {
		items[i].Address = MaskAddress(items[i].Address)
		redactCode(&items[i])
		if items[i].Channel == Webhook {
			items[i].Body = "" // the event as JSON: read it from the department system
		}
	}
	out.Items = items
	return out, err
}

func (s *Service) query(ctx context.Context, q string, args ...any) ([]Delivery, error) {
	rs, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: deliveries")
	}
	defer rs.Close()
	out := []Delivery{}
	for rs.Next() {
		d, err := scanDelivery(rs)
		if err != nil {
			return nil, apperr.Wrap(err, "notify: deliveries")
		}
		out = append(out, d)
	}
	return out, apperr.Wrap(rs.Err(), "notify: deliveries")
}

// Retry puts a dead message back in the queue for a fresh set of tries.
// Administrators only; audited.
func (s *Service) Retry(ctx context.Context, actor auth.User, id int64) (Delivery, error) {
	if !isAdmin(actor) {
		return Delivery{}, errAdminOnly()
	}
	now := s.now.Now()
	var out Delivery
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		d, err := scanDelivery(tx.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM notify_deliveries WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errMessageNotFound()
		}
		if err != nil {
			return apperr.Wrap(err, "notify: retry")
		}
		if d.Kind == KindSignIn {
			return apperr.New(apperr.Conflict, "code_not_resent", apperr.M("验证码不重发：请申请人重新获取", "a code is not sent again: the applicant asks for a new one"))
		}
		if d.Status != Dead {
			return apperr.New(apperr.Conflict, "not_dead", apperr.M("只有发送失败的消息可以重发", "only failed messages are retried")).With("status", d.Status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notify_deliveries SET status = 'queued', attempts = 0, next_at = ?, last_error = '' WHERE id = ?`,
			store.FormatTime(now), id); err != nil {
			return apperr.Wrap(err, "notify: retry")
		}
		d.Status, d.Attempts, d.NextAt, d.LastError = Queued, 0, now, ""
		d.Address = MaskAddress(d.Address)
		out = d
		detail, _ := json.Marshal(map[string]any{"message_id": d.MessageID, "channel": d.Channel})
		_, err = audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
			Action: "notification.retry", Object: fmt.Sprintf("notification:%d", id), Outcome: audit.OK, Detail: string(detail)})
		return err
	})
	return out, err
}

// Preferences are what an account chose.
type Preferences struct {
	Email    string             `json:"email"`
	Lang     string             `json:"lang"`
	Phone    string             `json:"phone,omitempty"` // the account's number, masked (read-only)
	Channels map[Kind][]Channel `json:"channels"`
}

// Preferences returns the actor's preferences (the defaults until saved).
func (s *Service) Preferences(ctx context.Context, actor auth.User) (Preferences, error) {
	p := Preferences{Lang: "zh", Channels: DefaultChannels(actor.Role), Phone: ident.MaskPhone(actor.Phone)}
	var channels string
	err := s.db.QueryRowContext(ctx, `SELECT email, lang, channels FROM notify_preferences WHERE user_id = ?`, actor.ID).Scan(&p.Email, &p.Lang, &channels)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, apperr.Wrap(err, "notify: preferences")
	}
	p.Channels = nil
	json.Unmarshal([]byte(channels), &p.Channels)
	if p.Channels == nil {
		p.Channels = map[Kind][]Channel{}
	}
	return p, nil
}

// SetPreferences saves the actor's own preferences. Case progress is
// essential: it cannot be left without a channel beyond the inbox when the
// account has a phone number (quiet hours still apply).
func (s *Service) SetPreferences(ctx context.Context, actor auth.User, p Preferences) (Preferences, error) {
	var f apperr.Fields
	p.Email = strings.TrimSpace(p.Email)
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || len(p.Email) > 254 {
			f.Add("email", "format", apperr.M("电子邮件地址格式有误", "not an e-mail address"))
		}
	}
	if p.Lang == "" {
		p.Lang = "zh"
	}
	if p.Lang != "zh" && p.Lang != "en" {
		f.Add("lang", "unknown", apperr.M("语言须为 zh 或 en", "lang must be zh or en"))
	}
	clean := map[Kind][]Channel{}
	for k, chs := range p.Channels {
		if !slices.Contains(Kinds, k) {
			f.Add("channels."+string(k), "unknown", apperr.M("未知的消息类别："+string(k), "unknown kind of message: "+string(k)))
			continue
		}
		clean[k] = []Channel{} // none chosen: unsubscribed, the inbox only
		for _, ch := range chs {
			if ch != Email && ch != SMS {
				f.Add("channels."+string(k), "unknown", apperr.M("渠道须为 email 或 sms（站内信总会收到）", "channels are email or sms (the inbox always receives)"))
				continue
			}
			if !slices.Contains(clean[k], ch) {
				clean[k] = append(clean[k], ch)
			}
		}
		if ch := clean[k]; slices.Contains(ch, Email) && p.Email == "" {
			f.Add("email", "required", apperr.M("选择电子邮件渠道时请填写电子邮件地址", "give an e-mail address to receive e-mail"))
		}
	}
	if actor.Phone != "" && len(clean[KindProgress]) == 0 {
		f.Add("channels.progress", "essential", apperr.M("办件进度是必要通知，至少保留短信或电子邮件之一", "case progress is essential: keep SMS or e-mail"))
	}
	if len(f) > 0 {
		return Preferences{}, f.Err()
	}
	p.Channels = clean
	raw, _ := json.Marshal(clean)
	now := s.now.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_preferences (user_id, email, lang, channels, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, lang = excluded.lang, channels = excluded.channels, updated_at = excluded.updated_at`,
			actor.ID, p.Email, p.Lang, string(raw), store.FormatTime(now)); err != nil {
			return apperr.Wrap(err, "notify: preferences")
		}
		detail, _ := json.Marshal(map[string]any{"email": MaskAddress(p.Email), "lang": p.Lang, "channels": clean})
		_, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
			Action: "notification.preferences", Object: fmt.Sprintf("user:%d", actor.ID), Outcome: audit.OK, Detail: string(detail)})
		return err
	})
	p.Phone = ident.MaskPhone(actor.Phone)
	return p, err
}

// Templates lists every template in force (shipped or changed), for administrators.
func (s *Service) Templates(ctx context.Context, actor auth.User) ([]Template, error) {
	if !isAdmin(actor) {
		return nil, errAdminOnly()
	}
	set, err := loadTemplates(ctx, s.db)
	if err != nil {
		return nil, err
	}
	var out []Template
	for _, ev := range Events {
		for _, lang := range Languages {
			for _, ch := range TemplateChannels {
				out = append(out, set.get(ev.Key, lang, ch))
			}
		}
	}
	return out, nil
}

// SetTemplate saves an administrator's template after checking its
// variables; an empty subject and body restores the shipped one.
func (s *Service) SetTemplate(ctx context.Context, actor auth.User, event, lang, channel, subject, body string) (Template, error) {
	if !isAdmin(actor) {
		return Template{}, errAdminOnly()
	}
	ev, ch, err := parseTemplateKey(event, lang, channel)
	if err != nil {
		return Template{}, err
	}
	restore := strings.TrimSpace(subject) == "" && strings.TrimSpace(body) == ""
	if !restore {
		if err := checkTemplateFields(ev, ch, subject, body); err != nil {
			return Template{}, err
		}
	}
	now := s.now.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if restore {
			_, err = tx.ExecContext(ctx, `DELETE FROM notify_templates WHERE event = ? AND lang = ? AND channel = ?`, event, lang, channel)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO notify_templates (event, lang, channel, subject, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (event, lang, channel) DO UPDATE SET subject = excluded.subject, body = excluded.body,
					updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				event, lang, channel, subject, body, actor.ID, store.FormatTime(now))
		}
		if err != nil {
			return apperr.Wrap(err, "notify: template")
		}
		detail, _ := json.Marshal(map[string]any{"restored": restore, "subject": subject, "body": body})
		_, err = audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
			Action: "notification.template", Object: "template:" + event + "/" + lang + "/" + channel, Outcome: audit.OK, Detail: string(detail)})
		return err
	})
	if err != nil {
		return Template{}, err
	}
	set, err := loadTemplates(ctx, s.db)
	if err != nil {
		return Template{}, err
	}
	return set.get(event, lang, ch), nil
}

// PreviewTemplate renders a template as an administrator edits it, with a sample event.
func (s *Service) PreviewTemplate(actor auth.User, event, lang, channel, subject, body string) (Rendered, error) {
	if !isAdmin(actor) {
		return Rendered{}, errAdminOnly()
	}
	if _, ch, err := parseTemplateKey(event, lang, channel); err != nil {
		return Rendered{}, err
	} else {
		return Preview(event, lang, ch, subject, body)
	}
}

// Webhooks lists the subscribers, secrets withheld. Administrators only.
func (s *Service) Webhooks(ctx context.Context, actor auth.User) ([]Subscriber, error) {
	if !isAdmin(actor) {
		return nil, errAdminOnly()
	}
	rs, err := s.db.QueryContext(ctx, `SELECT `+subscriberColumns+` FROM notify_webhooks ORDER BY id`)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: webhooks")
	}
	defer rs.Close()
	out := []Subscriber{}
	for rs.Next() {
		sub, err := scanSubscriber(rs)
		if err != nil {
			return nil, apperr.Wrap(err, "notify: webhooks")
		}
		sub.Secret = ""
		out = append(out, sub)
	}
	return out, apperr.Wrap(rs.Err(), "notify: webhooks")
}

// Webhook returns one subscriber, secret withheld. Administrators only.
func (s *Service) Webhook(ctx context.Context, actor auth.User, id int64) (Subscriber, error) {
	if !isAdmin(actor) {
		return Subscriber{}, errAdminOnly()
	}
	sub, err := scanSubscriber(s.db.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM notify_webhooks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, apperr.New(apperr.NotFound, "webhook_not_found", apperr.M("没有这个推送订阅", "no such webhook"))
	}
	sub.Secret = ""
	return sub, apperr.Wrap(err, "notify: webhook")
}

// PutWebhook creates a subscriber (ID 0) or replaces one; an empty secret
// keeps the old one. Administrators only; audited.
func (s *Service) PutWebhook(ctx context.Context, actor auth.User, sub Subscriber) (Subscriber, error) {
	if !isAdmin(actor) {
		return Subscriber{}, errAdminOnly()
	}
	if err := checkSubscriber(&sub, sub.ID == 0, s.AllowHTTPWebhooks, s.WebhookNetworks); err != nil {
		return Subscriber{}, err
	}
	now := s.now.Now()
	types, _ := json.Marshal(sub.EventTypes)
	depts, _ := json.Marshal(sub.Departments)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if sub.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO notify_webhooks (name, url, secret, event_types, departments, active, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, sub.Name, sub.URL, sub.Secret, string(types), string(depts), store.BoolInt(sub.Active),
				store.FormatTime(now), store.FormatTime(now)).Scan(&sub.ID); err != nil {
				return apperr.Wrap(err, "notify: webhook")
			}
			sub.CreatedAt = now
			store.NoteEffect(ctx, fmt.Sprintf("webhook:%d", sub.ID)) // an Idempotency-Key's retry finds it
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE notify_webhooks SET name = ?, url = ?, secret = CASE WHEN ? = '' THEN secret ELSE ? END,
				event_types = ?, departments = ?, active = ?, updated_at = ? WHERE id = ?`, sub.Name, sub.URL, sub.Secret, sub.Secret,
				string(types), string(depts), store.BoolInt(sub.Active), store.FormatTime(now), sub.ID)
			if err != nil {
				return apperr.Wrap(err, "notify: webhook")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.New(apperr.NotFound, "webhook_not_found", apperr.M("没有这个推送订阅", "no such webhook"))
			}
		}
		sub.UpdatedAt = now
		detail, _ := json.Marshal(map[string]any{"name": sub.Name, "url": sub.URL, "event_types": sub.EventTypes, "departments": sub.Departments,
			"active": sub.Active, "secret_changed": sub.Secret != ""})
		_, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
			Action: "notification.webhook", Object: fmt.Sprintf("webhook:%d", sub.ID), Outcome: audit.OK, Detail: string(detail)})
		return err
	})
	return sub, err
}

// MaxReplay bounds the events one replay resends.
const MaxReplay = 10000

// Replay sends a subscriber again every event in [from, to) that its
// filters pass, under the events' own message ids (a receiver that has one
// drops it). Events it never had are added. Administrators only; audited.
func (s *Service) Replay(ctx context.Context, actor auth.User, id int64, from, to time.Time) (int, error) {
	if !isAdmin(actor) {
		return 0, errAdminOnly()
	}
	if from.IsZero() || to.IsZero() || !from.Before(to) {
		return 0, apperr.Fields{apperr.Field("to", "range", apperr.M("结束时间须晚于开始时间", "to must be after from"))}.Err()
	}
	now := s.now.Now()
	count := 0
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		sub, err := scanSubscriber(tx.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM notify_webhooks WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "webhook_not_found", apperr.M("没有这个推送订阅", "no such webhook"))
		}
		if err != nil {
			return apperr.Wrap(err, "notify: replay")
		}
		rows, err := readOutboxRange(ctx, tx, from, to)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, row := range rows {
			p := ParsePayload(row.payload)
			event := EventOf(row.topic, p)
			if !sub.matches(row.topic, event, p) {
				continue
			}
			d := webhookDelivery(sub, row, event, p.str("department"), now)
			if seen[d.MessageID] {
				continue
			}
			seen[d.MessageID] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO notify_deliveries (message_id, outbox_id, topic, event, kind, channel, user_id, address,
				subscriber_id, department_code, lang, subject, body, params, status, attempts, next_at, event_at, created_at, sent_at)
				VALUES (?, ?, ?, ?, ?, 'webhook', 0, ?, ?, ?, 'zh', '', ?, '{}', 'queued', 0, ?, ?, ?, ?)
				ON CONFLICT (message_id) DO UPDATE SET status = 'queued', attempts = 0, next_at = excluded.next_at, last_error = ''`,
				d.MessageID, d.OutboxID, d.Topic, d.Event, string(d.Kind), d.Address, d.SubscriberID, d.Department, d.Body,
				store.FormatTime(now), store.FormatTime(d.EventAt), store.FormatTime(now), store.Stamp("")); err != nil {
				return apperr.Wrap(err, "notify: replay")
			}
			count++
		}
		detail, _ := json.Marshal(map[string]any{"from": store.FormatTime(from), "to": store.FormatTime(to), "events": count})
		_, err = audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
			Action: "notification.webhook_replay", Object: fmt.Sprintf("webhook:%d", id), Outcome: audit.OK, Detail: string(detail)})
		return err
	})
	return count, err
}

func readOutboxRange(ctx context.Context, q store.Querier, from, to time.Time) ([]outboxRow, error) {
	rs, err := q.QueryContext(ctx, `SELECT id, topic, recipient, payload, created_at FROM outbox WHERE created_at >= ? AND created_at < ?
		ORDER BY id LIMIT ?`, store.FormatTime(from), store.FormatTime(to), MaxReplay+1)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: replay")
	}
	defer rs.Close()
	var out []outboxRow
	for rs.Next() {
		var r outboxRow
		if err := rs.Scan(&r.id, &r.topic, &r.recipient, &r.payload, &r.at); err != nil {
			return nil, apperr.Wrap(err, "notify: replay")
		}
		out = append(out, r)
	}
	if len(out) > MaxReplay {
		return nil, apperr.New(apperr.Invalid, "replay_too_large", apperr.M(fmt.Sprintf("一次最多重放%d条事件，请缩短时间范围", MaxReplay),
			fmt.Sprintf("a replay resends at most %d events: shorten the range", MaxReplay)))
	}
	return out, apperr.Wrap(rs.Err(), "notify: replay")
}

// SendSignInCode queues a sign-in code by SMS to phone: the entry point for
// sign-in by code. It goes through the notifier like every message (outbox,
// delivery record, daily cap), and is exempt from quiet hours.
func (s *Service) SendSignInCode(ctx context.Context, phone, code string) error {
	return queueCode(ctx, s.db, s.now, phone, "auth.signin_code", map[string]string{"purpose": "signin", "code": code}, nil)
}

// ChannelFigures are one channel's messages in a period, from the kept
// counts, and the messages waiting now.
type ChannelFigures struct {
	Channel   Channel `json:"channel"`
	Queued    int     `json:"queued"` // waiting or being sent now
	Messages  int64   `json:"messages"`
	Sent      int64   `json:"sent"`
	Delivered int64   `json:"delivered"`
	Dead      int64   `json:"dead"`
	Failures  int64   `json:"failures"` // failed tries, retried or not
	// MeanDelaySeconds is the mean time from an event to its message being
	// sent; nil when nothing was sent.
	MeanDelaySeconds *float64 `json:"mean_delay_seconds"`
}

// Figures sums the kept counts of the China days of [from, to) per channel,
// for administrators: a few rows a day, however many messages there were
// (the waiting messages are counted on the queue's index). The province's
// figures (package figures) read the same counts by month.
func (s *Service) Figures(ctx context.Context, actor auth.User, from, to time.Time) ([]ChannelFigures, error) {
	if !isAdmin(actor) {
		return nil, errAdminOnly()
	}
	by := map[Channel]*ChannelFigures{}
	out := make([]ChannelFigures, len(Channels))
	for i, ch := range Channels {
		out[i].Channel = ch
		by[ch] = &out[i]
	}
	delay := map[Channel]int64{}
	rs, err := s.db.QueryContext(ctx, `SELECT channel, SUM(messages), SUM(delivered), SUM(sent), SUM(dead), SUM(failures), SUM(delay_ms)
		FROM notify_counts WHERE day >= ? AND day < ? GROUP BY channel`, ChinaDay(from), ChinaDay(to))
	if err != nil {
		return nil, apperr.Wrap(err, "notify: figures")
	}
	defer rs.Close()
	for rs.Next() {
		var ch string
		var c dayCount
		if err := rs.Scan(&ch, &c.messages, &c.delivered, &c.sent, &c.dead, &c.failures, &c.delayMS); err != nil {
			return nil, apperr.Wrap(err, "notify: figures")
		}
		if f := by[Channel(ch)]; f != nil {
			f.Messages, f.Delivered, f.Sent, f.Dead, f.Failures = c.messages, c.delivered, c.sent, c.dead, c.failures
			delay[f.Channel] = c.delayMS
		}
	}
	if err := rs.Err(); err != nil {
		return nil, apperr.Wrap(err, "notify: figures")
	}
	for i := range out {
		if out[i].Sent > 0 {
			mean := float64(delay[out[i].Channel]) / 1000 / float64(out[i].Sent)
			out[i].MeanDelaySeconds = &mean
		}
	}
	q, err := s.db.QueryContext(ctx, `SELECT channel, COUNT(*) FROM notify_deliveries WHERE status IN ('queued', 'sending') GROUP BY channel`)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: figures")
	}
	defer q.Close()
	for q.Next() {
		var ch string
		var n int
		if err := q.Scan(&ch, &n); err != nil {
			return nil, apperr.Wrap(err, "notify: figures")
		}
		if f := by[Channel(ch)]; f != nil {
			f.Queued = n
		}
	}
	return out, apperr.Wrap(q.Err(), "notify: figures")
}
