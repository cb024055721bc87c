package notify

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// Subscriber is a department system that receives events.
type Subscriber struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	URL         string    `json:"url"`
	Secret      string    `json:"secret,omitempty"` // shown only when set or created
	EventTypes  []string  `json:"event_types"`      // topics ("case.approve"), groups ("case.*") or events ("case.ready"); empty: all
	Departments []string  `json:"departments"`      // department codes; empty: all
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type webhookSub = Subscriber

// matches reports whether the subscriber wants an event: its type passes
// the type filter and its department (or one it convenes) the department filter.
func (s Subscriber) matches(topic, event string, p Payload) bool {
	if strings.HasPrefix(topic, "auth.") {
		return false // sign-in codes are for the person alone
	}
	if len(s.EventTypes) > 0 && !slices.ContainsFunc(s.EventTypes, func(f string) bool { return typeMatches(f, topic, event) }) {
		return false
	}
	if len(s.Departments) == 0 {
		return true
	}
	depts := append(listOf(p["departments"]), p.str("department"))
	return slices.ContainsFunc(depts, func(d string) bool { return d != "" && slices.Contains(s.Departments, d) })
}

func typeMatches(filter, topic, event string) bool {
	if prefix, ok := strings.CutSuffix(filter, ".*"); ok {
		return strings.HasPrefix(topic, prefix+".") || strings.HasPrefix(event, prefix+".")
	}
	return filter == topic || filter == event
}

const subscriberColumns = `id, name, url, secret, event_types, departments, active, created_at, updated_at`

func scanSubscriber(r rowScanner) (Subscriber, error) {
	var s Subscriber
	var types, depts, created, updated string
	var active int
	if err := r.Scan(&s.ID, &s.Name, &s.URL, &s.Secret, &types, &depts, &active, &created, &updated); err != nil {
		return s, err
	}
	json.Unmarshal([]byte(types), &s.EventTypes)
	json.Unmarshal([]byte(depts), &s.Departments)
	s.EventTypes, s.Departments = nonNil(s.EventTypes), nonNil(s.Departments)
	s.Active = active != 0
	s.CreatedAt, s.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	return s, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func activeWebhooks(ctx context.Context, q store.Querier) ([]Subscriber, error) {
	rs, err := q.QueryContext(ctx, `SELECT `+subscriberColumns+` FROM notify_webhooks WHERE active = 1 ORDER BY id`)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: webhooks")
	}
	defer rs.Close()
	var out []Subscriber
	for rs.Next() {
		s, err := scanSubscriber(rs)
		if err != nil {
			return nil, apperr.Wrap(err, "notify: webhooks")
		}
		out = append(out, s)
	}
	return out, apperr.Wrap(rs.Err(), "notify: webhooks")
}

func (n *Notifier) webhookTarget(ctx context.Context, id int64) (string, string, error) {
	var u, secret string
	var active int
	err := n.db.QueryRowContext(ctx, `SELECT url, secret, active FROM notify_webhooks WHERE id = ?`, id).Scan(&u, &secret, &active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && active == 0) {
		return "", "", refused("webhook %d was removed or switched off", id)
	}
	if err != nil {
		return "", "", apperr.Wrap(err, "notify: webhook")
	}
	return u, secret, nil
}

// internalHost reports a host that is plainly internal without asking DNS:
// an address literal outside the allowed networks, or localhost. Names are
// checked again, resolved, on every delivery.
func internalHost(host string, networks []netip.Prefix) bool {
	if a, err := netip.ParseAddr(host); err == nil {
		return !ReceiverAllowed(a, networks)
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return !ReceiverAllowed(netip.MustParseAddr("127.0.0.1"), networks)
	}
	return false
}

// checkSubscriber normalises and checks a subscriber an administrator saves.
func checkSubscriber(s *Subscriber, creating, allowHTTP bool, networks []netip.Prefix) error {
	var f apperr.Fields
	s.Name, s.URL = strings.TrimSpace(s.Name), strings.TrimSpace(s.URL)
	if s.Name == "" || len([]rune(s.Name)) > 100 {
		f.Add("name", "required", apperr.M("请填写名称（不超过100字）", "give a name of at most 100 characters"))
	}
	u, err := url.Parse(s.URL)
	switch {
	case err != nil || u.Host == "":
		f.Add("url", "format", apperr.M("请填写完整的网址", "give a full URL"))
	case u.Scheme != "https" && !(allowHTTP && u.Scheme == "http"):
		f.Add("url", "https_required", apperr.M("部门系统须使用 HTTPS 接收推送", "webhooks must be HTTPS"))
	case internalHost(u.Hostname(), networks):
		f.Add("url", "internal_address", apperr.M("推送地址是内部地址，不在允许的网络内（见 --webhook-allow-networks）",
			"the address is internal and not on the allowed networks (see --webhook-allow-networks)"))
	}
	if creating || s.Secret != "" {
		if len(s.Secret) < 16 || len(s.Secret) > 200 {
			f.Add("secret", "length", apperr.M("签名密钥须为16–200个字符", "the signing secret must have 16–200 characters"))
		}
	}
	for i, t := range s.EventTypes {
		t = strings.TrimSpace(t)
		s.EventTypes[i] = t
		if t == "" || strings.ContainsAny(t, " {}") {
			f.Add("event_types", "format", apperr.M("事件类型格式有误："+t, "malformed event type: "+t))
		}
	}
	for i, d := range s.Departments {
		s.Departments[i] = strings.TrimSpace(d)
	}
	s.EventTypes, s.Departments = nonNil(s.EventTypes), nonNil(s.Departments)
	if len(f) > 0 {
		return f.Err()
	}
	return nil
}

// NewWebhookSecret returns a signing secret for a new subscriber: 32
// characters from 160 random bits, shown to the administrator once.
func NewWebhookSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return base32.StdEncoding.EncodeToString(b)
}

// SetWebhookActive switches a subscriber on or off, keeping the rest (a
// receiver's address is not checked again: switching off always works).
// Administrators only; audited.
func (s *Service) SetWebhookActive(ctx context.Context, actor auth.User, id int64, active bool) (Subscriber, error) {
	if !isAdmin(actor) {
		return Subscriber{}, errAdminOnly()
	}
	now := s.now.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notify_webhooks SET active = ?, updated_at = ? WHERE id = ?`, store.BoolInt(active), store.FormatTime(now), id)
		if err != nil {
			return apperr.Wrap(err, "notify: webhook")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "webhook_not_found", apperr.M("没有这个推送订阅", "no such webhook"))
		}
		detail, _ := json.Marshal(map[string]any{"active": active})
		_, err = audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
			Action: "notification.webhook_active", Object: fmt.Sprintf("webhook:%d", id), Outcome: audit.OK, Detail: string(detail)})
		return err
	})
	if err != nil {
		return Subscriber{}, err
	}
	return s.Webhook(ctx, actor, id)
}
