package enterprise

import (
	"context"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Filter selects requests for a list.
type Filter struct {
	Statuses []Status
	// Overdue keeps the requests for which the team owes a step past its due
	// date (the same judgement as Request.Overdue).
	Overdue bool
	Team    string
	Limit   int // 1–200; 20 when 0
	Offset  int
}

// ParseStatuses reads a comma-separated list of statuses, naming field in errors.
func ParseStatuses(field string, values ...string) ([]Status, error) {
	var out []Status
	for _, v := range values {
		for _, one := range strings.Split(v, ",") {
			one = strings.TrimSpace(one)
			if one == "" {
				continue
			}
			st := Status(one)
			if _, ok := StatusNames[st]; !ok {
				return nil, apperr.Fields{apperr.Field(field, "unknown", apperr.M(
					"未知的诉求状态："+one+"；可选 raised、accepted、proposed、meeting、reopened、resolved、closed",
					"unknown status: "+one+"; one of raised, accepted, proposed, meeting, reopened, resolved, closed"))}.Err()
			}
			if !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return out, nil
}

// scope is the condition that limits a list to what one caller may see.
type scope struct {
	where string
	args  []any
}

// scopeOf returns actor's scope as SQL: the same rule as PartyOf. An
// enterprise sees its own requests, a team member those of their teams, an
// administrator all; other staff roles have no part in enterprise requests.
func scopeOf(actor auth.User) (scope, error) {
	switch {
	case actor.Disabled:
	case actor.Role == auth.RoleAdmin:
		return scope{}, nil
	case actor.Role == auth.RoleApplicant:
		if actor.Kind == auth.KindEnterprise && actor.CreditCode != "" {
			return scope{"(r.enterprise_user_id = ? OR r.credit_code = ?)", []any{actor.ID, actor.CreditCode}}, nil
		}
		if codes := actor.ActsFor(); len(codes) > 0 {
			// A person acting for enterprises sees theirs (PartyOf).
			args := []any{actor.ID}
			for _, code := range codes {
				args = append(args, code)
			}
			return scope{"(r.enterprise_user_id = ? OR r.credit_code IN (" + strings.TrimSuffix(strings.Repeat("?,", len(codes)), ",") + "))", args}, nil
		}
		return scope{"r.enterprise_user_id = ?", []any{actor.ID}}, nil
	case slices.Contains(TeamRoles, actor.Role):
		return scope{"r.team_code IN (SELECT team_code FROM ent_team_members WHERE user_id = ?)", []any{actor.ID}}, nil
	}
	e := apperr.RoleNotAllowed(apperr.M("您的角色不办理企业诉求", "your role has no part in enterprise requests"))
	return scope{}, e
}

// List returns the requests actor may see that match f, newest first, with
// the total that match. The caller's scope is part of the query.
func (s *Service) List(ctx context.Context, actor auth.User, f Filter) ([]Request, int, error) {
	sc, err := scopeOf(actor)
	if err != nil {
		return nil, 0, err
	}
	return s.list(ctx, sc, f)
}

// ListAll returns every request that matches f, newest first, page after
// page (f's Limit and Offset are its own): what an operator with the
// database in hand sees at the command line.
func (s *Service) ListAll(ctx context.Context, f Filter) ([]Request, error) {
	f.Limit, f.Offset = 200, 0
	var all []Request
	for {
		page, total, err := s.list(ctx, scope{}, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			return all, nil
		}
		f.Offset += len(page)
	}
}

func (s *Service) list(ctx context.Context, sc scope, f Filter) ([]Request, int, error) {
	today := workday.DateOf(s.Now())
	todayText := workday.FormatDate(today)
	var where []string
	args := append([]any{}, sc.args...)
	if sc.where != "" {
		where = append(where, sc.where)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "r.status IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.Statuses)), ",")+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if f.Overdue {
		// Request.judgeDeadlines as SQL: the team owes a step whose due date has passed.
		where = append(where, `r.status IN ('raised', 'accepted', 'meeting', 'reopened')
			AND ((`+store.NotYet(s.db.Dialect(), "r.accepted_at")+` AND r.accept_due < ?) OR (`+store.NotYet(s.db.Dialect(), "r.proposed_at")+` AND r.propose_due < ?)
				OR (r.meeting_on = '' AND `+store.NotYet(s.db.Dialect(), "r.proposed_at")+` AND r.meeting_due < ?))`)
		args = append(args, todayText, todayText, todayText)
	}
	if f.Team != "" {
		where, args = append(where, "r.team_code = ?"), append(args, f.Team)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ent_requests r`+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "enterprise: count requests")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 200)
	rows, err := s.db.QueryContext(ctx, `SELECT `+requestColumns+requestFrom+cond+` ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "enterprise: list requests")
	}
	defer rows.Close()
	out := []Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "enterprise: list requests")
		}
		r.judgeDeadlines(today)
		out = append(out, r)
	}
	return out, total, apperr.Wrap(rows.Err(), "enterprise: list requests")
}
