package enterprise

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
)

// Team is a service team (驻企服务专班): the staff who answer the requests of
// the enterprises it serves.
type Team struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	DepartmentCode string `json:"department"`
	// MeetingDepartments are convened to the joint meeting by default.
	MeetingDepartments []string `json:"meeting_departments"`
	// Default marks the team that serves enterprises no team is assigned to.
	Default     bool     `json:"default"`
	Members     []Member `json:"members"`
	Enterprises []string `json:"enterprises"` // 统一社会信用代码 of the enterprises served
}

// Member is a staff user on a team.
type Member struct {
	UserID   int64  `json:"user_id,omitempty"`
	Username string `json:"username"`
	Name     string `json:"name,omitempty"`
	Lead     bool   `json:"lead"`
}

const (
	maxTeamCodeLen     = 32
	maxNameLen         = 100
	maxDepartments     = 20
	maxMembers         = 50
	maxTeamEnterprises = 1000
)

func errAdminOnly() error {
	return apperr.RoleNotAllowed(apperr.M("只有系统管理员可以设置服务专班", "only administrators set up service teams"))
}

// validCode reports whether s is a short code of letters, digits, '-' and '_'.
func validCode(s string) bool {
	if s == "" || len(s) > maxTeamCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// PutTeam creates or replaces a team with its members and the enterprises it
// serves (an enterprise assigned here leaves any other team). Administrators only.
func (s *Service) PutTeam(ctx context.Context, actor auth.User, t Team) (Team, error) {
	if actor.Role != auth.RoleAdmin || actor.Disabled {
		return Team{}, errAdminOnly()
	}
	t.Code = strings.TrimSpace(t.Code)
	t.Name = strings.TrimSpace(t.Name)
	t.DepartmentCode = strings.TrimSpace(t.DepartmentCode)
	var f apperr.Fields
	if !validCode(t.Code) {
		f.Add("code", "format", apperr.M("专班编码须为1–32个字母、数字、“-”或“_”", "code must be 1–32 letters, digits, '-' or '_'"))
	}
	if n := utf8.RuneCountInString(t.Name); n == 0 || n > maxNameLen {
		f.Add("name", "required", apperr.M("请填写专班名称（不超过100字）", "name is required (at most 100 characters)"))
	}
	if t.DepartmentCode == "" {
		f.Add("department", "required", apperr.M("请填写专班所属部门", "department is required"))
	} else if err := s.checkDepartments(ctx, "department", []string{t.DepartmentCode}); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	t.MeetingDepartments = textlist.Distinct(t.MeetingDepartments)
	if err := s.checkDepartments(ctx, "meeting_departments", t.MeetingDepartments); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	members, err := s.resolveMembers(ctx, &f, t.Members)
	if err != nil {
		return Team{}, err
	}
	t.Members = members
	t.Enterprises = textlist.Distinct(t.Enterprises)
	if len(t.Enterprises) > maxTeamEnterprises {
		f.Add("enterprises", "too_many", apperr.M("一个专班最多服务1000家企业", "a team serves at most 1000 enterprises"))
	}
	for i, code := range t.Enterprises {
		v, err := ident.CreditCode(code)
		if err != nil {
			reason, msg := ident.Problem(err)
			f.Add(fmt.Sprintf("enterprises[%d]", i), reason, msg)
			continue
		}
		t.Enterprises[i] = v
	}
	if err := f.Err(); err != nil {
		return Team{}, err
	}
	now := s.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		at := store.FormatTime(now)
		depts, _ := json.Marshal(textlist.OrEmpty(t.MeetingDepartments))
		if t.Default {
			if _, err := tx.ExecContext(ctx, `UPDATE ent_teams SET is_default = 0, updated_at = ? WHERE is_default = 1 AND code <> ?`, at, t.Code); err != nil {
				return apperr.Wrap(err, "enterprise: clear default team")
			}
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO ent_teams (code, name, department_code, departments, is_default, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, department_code = excluded.department_code,
				departments = excluded.departments, is_default = excluded.is_default, updated_at = excluded.updated_at`,
			t.Code, t.Name, t.DepartmentCode, string(depts), store.BoolInt(t.Default), at, at); err != nil {
			return apperr.Wrap(err, "enterprise: save team")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ent_team_members WHERE team_code = ?`, t.Code); err != nil {
			return apperr.Wrap(err, "enterprise: save team members")
		}
		for _, m := range t.Members {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ent_team_members (team_code, user_id, lead) VALUES (?, ?, ?)`,
				t.Code, m.UserID, store.BoolInt(m.Lead)); err != nil {
				return apperr.Wrap(err, "enterprise: save team members")
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ent_team_enterprises WHERE team_code = ?`, t.Code); err != nil {
			return apperr.Wrap(err, "enterprise: save team enterprises")
		}
		for _, code := range t.Enterprises {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO ent_team_enterprises (credit_code, team_code) VALUES (?, ?)
				ON CONFLICT (credit_code) DO UPDATE SET team_code = excluded.team_code`, code, t.Code); err != nil {
				return apperr.Wrap(err, "enterprise: save team enterprises")
			}
		}
		detail, _ := json.Marshal(map[string]any{"department": t.DepartmentCode, "members": len(t.Members),
			"enterprises": len(t.Enterprises), "default": t.Default})
		_, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
			Action: "enterprise_team.put", Object: "enterprise_team:" + t.Code, Outcome: audit.OK, Detail: string(detail)})
		return err
	})
	if err != nil {
		return Team{}, err
	}
	return s.team(ctx, s.db, t.Code)
}

// resolveMembers looks members up by username (or id), checking that each is
// a front-desk user or reviewer with an enabled account.
func (s *Service) resolveMembers(ctx context.Context, f *apperr.Fields, in []Member) ([]Member, error) {
	if len(in) == 0 {
		f.Add("members", "required", apperr.M("专班至少要有一名成员", "a team needs at least one member"))
		return nil, nil
	}
	if len(in) > maxMembers {
		f.Add("members", "too_many", apperr.M("专班成员不超过50人", "a team has at most 50 members"))
		return nil, nil
	}
	var out []Member
	for i, m := range in {
		field := fmt.Sprintf("members[%d]", i)
		var u auth.User
		var err error
		switch {
		case strings.TrimSpace(m.Username) != "":
			u, err = s.users.UserByUsername(ctx, m.Username)
		case m.UserID > 0:
			u, err = s.users.User(ctx, m.UserID)
		default:
			f.Add(field+".username", "required", apperr.M("请填写成员的用户名", "username is required"))
			continue
		}
		if apperr.CodeOf(err) == apperr.NotFound {
			f.Add(field+".username", "not_found", apperr.M("用户不存在："+m.Username, "no such user: "+m.Username))
			continue
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(TeamRoles, u.Role) || u.Disabled {
			f.Add(field+".username", "role", apperr.M("专班成员须为在用的窗口人员（frontdesk）或部门审批人员（reviewer）",
				"a member must be an enabled front-desk user (frontdesk) or reviewer (reviewer)"))
			continue
		}
		if slices.ContainsFunc(out, func(o Member) bool { return o.UserID == u.ID }) {
			f.Add(field+".username", "duplicate", apperr.M("成员重复："+u.Username, "listed twice: "+u.Username))
			continue
		}
		out = append(out, Member{UserID: u.ID, Username: u.Username, Name: u.Name, Lead: m.Lead})
	}
	return out, nil
}

// checkDepartments returns a field error for each code that names no department.
func (s *Service) checkDepartments(ctx context.Context, field string, codes []string) error {
	var f apperr.Fields
	if len(codes) > maxDepartments {
		f.Add(field, "too_many", apperr.M("部门不超过20个", "at most 20 departments"))
		return f.Err()
	}
	for i, code := range codes {
		name := field
		if field != "department" {
			name = fmt.Sprintf("%s[%d]", field, i)
		}
		if _, err := s.catalog.Department(ctx, code); err != nil {
			if apperr.CodeOf(err) == apperr.NotFound {
				f.Add(name, "not_found", apperr.M("部门不存在："+code, "no such department: "+code))
				continue
			}
			return err
		}
	}
	return f.Err()
}

// Teams lists the teams: all of them for administrators, their own for team members.
func (s *Service) Teams(ctx context.Context, actor auth.User) ([]Team, error) {
	var query string
	var args []any
	switch {
	case actor.Disabled:
		return nil, errAdminOnly()
	case actor.Role == auth.RoleAdmin:
		query = `SELECT code FROM ent_teams ORDER BY code`
	case slices.Contains(TeamRoles, actor.Role):
		query = `SELECT team_code FROM ent_team_members WHERE user_id = ? ORDER BY team_code`
		args = append(args, actor.ID)
	default:
		e := apperr.RoleNotAllowed(apperr.M("您的角色不能查看服务专班", "your role may not see service teams"))
		return nil, e
	}
	codes, err := queryStrings(ctx, s.db, query, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "enterprise: teams")
	}
	out := []Team{}
	for _, c := range codes {
		t, err := s.team(ctx, s.db, c)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func errNoTeam() error {
	return apperr.NotFoundf("team_not_found", apperr.M("服务专班不存在", "no such service team"))
}

// team reads one team with its members and enterprises.
func (s *Service) team(ctx context.Context, q store.Querier, code string) (Team, error) {
	t := Team{Code: code}
	var depts string
	var def int
	err := q.QueryRowContext(ctx, `SELECT name, department_code, departments, is_default FROM ent_teams WHERE code = ?`, code).
		Scan(&t.Name, &t.DepartmentCode, &depts, &def)
	if errors.Is(err, sql.ErrNoRows) {
		return Team{}, errNoTeam()
	}
	if err != nil {
		return Team{}, apperr.Wrap(err, "enterprise: team")
	}
	t.Default = def != 0
	json.Unmarshal([]byte(depts), &t.MeetingDepartments)
	t.MeetingDepartments = textlist.OrEmpty(t.MeetingDepartments)
	rows, err := q.QueryContext(ctx, `
		SELECT m.user_id, u.username, u.name, m.lead FROM ent_team_members m JOIN users u ON u.id = m.user_id
		WHERE m.team_code = ? ORDER BY m.lead DESC, u.username`, code)
	if err != nil {
		return Team{}, apperr.Wrap(err, "enterprise: team members")
	}
	defer rows.Close()
	t.Members = []Member{}
	for rows.Next() {
		var m Member
		var lead int
		if err := rows.Scan(&m.UserID, &m.Username, &m.Name, &lead); err != nil {
			return Team{}, apperr.Wrap(err, "enterprise: team members")
		}
		m.Lead = lead != 0
		t.Members = append(t.Members, m)
	}
	if err := rows.Err(); err != nil {
		return Team{}, apperr.Wrap(err, "enterprise: team members")
	}
	t.Enterprises, err = queryStrings(ctx, q, `SELECT credit_code FROM ent_team_enterprises WHERE team_code = ? ORDER BY credit_code`, code)
	if err != nil {
		return Team{}, apperr.Wrap(err, "enterprise: team enterprises")
	}
	t.Enterprises = textlist.OrEmpty(t.Enterprises)
	return t, nil
}

// teamFor returns the team that serves the enterprise with creditCode: the
// one it is assigned to, else the default team.
func (s *Service) teamFor(ctx context.Context, q store.Querier, creditCode string) (Team, error) {
	var code string
	err := q.QueryRowContext(ctx, `SELECT team_code FROM ent_team_enterprises WHERE credit_code = ?`, creditCode).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, `SELECT code FROM ent_teams WHERE is_default = 1 ORDER BY code LIMIT 1`).Scan(&code)
		if errors.Is(err, sql.ErrNoRows) {
			return Team{}, apperr.New(apperr.Conflict, "no_service_team", apperr.M(
				"尚未为贵企业指定驻企服务专班，请联系营商环境服务部门", "no service team serves your enterprise yet; contact the business-environment office"))
		}
	}
	if err != nil {
		return Team{}, apperr.Wrap(err, "enterprise: team for enterprise")
	}
	return s.team(ctx, q, code)
}

// isMember reports whether user is on the team.
func isMember(ctx context.Context, q store.Querier, teamCode string, userID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM ent_team_members WHERE team_code = ? AND user_id = ?`, teamCode, userID).Scan(&n)
	if err != nil {
		return false, apperr.Wrap(err, "enterprise: team membership")
	}
	return n > 0, nil
}

// leadRecipients are the team's leads, or all its members when it names no lead.
func (t *Team) leadRecipients() []string {
	var leads, all []string
	for _, m := range t.Members {
		r := outbox.User(m.UserID)
		all = append(all, r)
		if m.Lead {
			leads = append(leads, r)
		}
	}
	if len(leads) == 0 {
		return all
	}
	return leads
}

// memberRecipients are all the team's members.
func (t *Team) memberRecipients() []string {
	var out []string
	for _, m := range t.Members {
		out = append(out, outbox.User(m.UserID))
	}
	return out
}

func queryStrings(ctx context.Context, q store.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
