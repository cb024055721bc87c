package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// target is one person a message goes to.
type target struct {
	userID   int64
	role     auth.Role
	phone    string
	email    string
	lang     string
	channels map[Kind][]Channel
}

// DefaultChannels are the channels besides the inbox an account has before
// it chooses: applicants hear of their cases and reminders by SMS (the
// number they gave at the window); staff read work alerts in the inbox.
func DefaultChannels(role auth.Role) map[Kind][]Channel {
	if role == auth.RoleApplicant {
		return map[Kind][]Channel{KindProgress: {SMS}, KindReminder: {SMS}, KindEnterprise: {SMS}}
	}
	return map[Kind][]Channel{}
}

// resolver turns the outbox's recipient addresses into people, reading each
// account and group once per batch.
type resolver struct {
	q      store.Querier
	users  map[int64]*target
	groups map[string][]int64
	points map[string]PointInfo
}

func newResolver(q store.Querier) *resolver {
	return &resolver{q: q, users: map[int64]*target{}, groups: map[string][]int64{}, points: map[string]PointInfo{}}
}

// targets resolves one recipient address: user:ID, phone:NUMBER,
// point:CODE:frontdesk|hall_manager|issuer, role:admin, and a department's
// reviewers: department:CODE (all of them), department:CODE:reviewers (those
// who are not its head, or its heads when nobody else reviews there) and
// department:CODE:head (the reviewers an administrator marked as its head,
// or the administrators while the department has none: a breach is never
// told to nobody).
func (r *resolver) targets(ctx context.Context, recipient string) ([]target, error) {
	kind, rest, _ := strings.Cut(recipient, ":")
	var ids []int64
	switch kind {
	case "phone":
		return []target{{phone: rest, lang: "zh"}}, nil
	case "user":
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return nil, nil
		}
		ids = []int64{id}
	case "point", "department", "role":
		var err error
		if ids, err = r.group(ctx, recipient); err != nil {
			return nil, err
		}
	default:
		return nil, nil
	}
	var out []target
	for _, id := range ids {
		t, err := r.user(ctx, id)
		if err != nil {
			return nil, err
		}
		if t != nil {
			out = append(out, *t)
		}
	}
	return out, nil
}

func (r *resolver) group(ctx context.Context, recipient string) ([]int64, error) {
	if ids, ok := r.groups[recipient]; ok {
		return ids, nil
	}
	parts := strings.Split(recipient, ":")
	var query string
	var args []any
	switch {
	case parts[0] == "role" && len(parts) == 2:
		query, args = `SELECT id FROM users WHERE role = ? AND NOT disabled ORDER BY id`, []any{parts[1]}
	case parts[0] == "point" && len(parts) == 3 && (parts[2] == "frontdesk" || parts[2] == "hall_manager" || parts[2] == "issuer"):
		query, args = `SELECT id FROM users WHERE role = ? AND point_code = ? AND NOT disabled ORDER BY id`, []any{parts[2], parts[1]}
	case parts[0] == "department" && len(parts) == 3 && parts[2] == "head":
		ids, err := r.queryIDs(ctx, `SELECT id FROM users WHERE role = 'reviewer' AND department_code = ? AND department_head AND NOT disabled ORDER BY id`, parts[1])
		if err == nil && len(ids) == 0 {
			ids, err = r.group(ctx, "role:admin")
		}
		r.groups[recipient] = ids
		return ids, err
	case parts[0] == "department" && len(parts) == 3 && parts[2] == "reviewers":
		ids, err := r.queryIDs(ctx, `SELECT id FROM users WHERE role = 'reviewer' AND department_code = ? AND NOT department_head AND NOT disabled ORDER BY id`, parts[1])
		if err == nil && len(ids) == 0 {
			ids, err = r.group(ctx, "department:"+parts[1])
		}
		r.groups[recipient] = ids
		return ids, err
	case parts[0] == "department" && len(parts) == 2:
		query, args = `SELECT id FROM users WHERE role = 'reviewer' AND department_code = ? AND NOT disabled ORDER BY id`, []any{parts[1]}
	default:
		return nil, nil
	}
	ids, err := r.queryIDs(ctx, query, args...)
	r.groups[recipient] = ids
	return ids, err
}

func (r *resolver) queryIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rs, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: recipients")
	}
	defer rs.Close()
	var ids []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, apperr.Wrap(err, "notify: recipients")
		}
		ids = append(ids, id)
	}
	return ids, apperr.Wrap(rs.Err(), "notify: recipients")
}

func (r *resolver) user(ctx context.Context, id int64) (*target, error) {
	if t, ok := r.users[id]; ok {
		return t, nil
	}
	var role, phone, email, lang, channels sql.NullString
	var disabled bool
	err := r.q.QueryRowContext(ctx, `SELECT u.role, u.phone, u.disabled, p.email, p.lang, p.channels
		FROM users u LEFT JOIN notify_preferences p ON p.user_id = u.id WHERE u.id = ?`, id).
		Scan(&role, &phone, &disabled, &email, &lang, &channels)
	if errors.Is(err, sql.ErrNoRows) {
		r.users[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Wrap(err, "notify: recipient")
	}
	if disabled {
		r.users[id] = nil
		return nil, nil
	}
	t := &target{userID: id, role: auth.Role(role.String), phone: phone.String, email: email.String, lang: "zh"}
	if lang.String == "en" {
		t.lang = "en"
	}
	t.channels = DefaultChannels(t.role)
	if channels.Valid {
		var chosen map[Kind][]Channel
		if json.Unmarshal([]byte(channels.String), &chosen) == nil && chosen != nil {
			t.channels = chosen
		}
	}
	r.users[id] = t
	return t, nil
}

func (r *resolver) point(ctx context.Context, code string) (PointInfo, error) {
	if code == "" {
		return PointInfo{}, nil
	}
	if p, ok := r.points[code]; ok {
		return p, nil
	}
	var p PointInfo
	err := r.q.QueryRowContext(ctx, `SELECT name, name_en, address, hours FROM service_points WHERE code = ?`, code).
		Scan(&p.Name, &p.NameEN, &p.Address, &p.Hours)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, apperr.Wrap(err, "notify: service point")
	}
	r.points[code] = p
	return p, nil
}
