package hall

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
	"github.com/onewindow/onewindow/workday"
)

// staffMember reads a user who must work at point in a window role.
func staffMember(ctx context.Context, db *store.DB, point string, id int64, field string) (auth.User, error) {
	u, err := auth.NewStore(db).User(ctx, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return auth.User{}, apperr.Fields{apperr.Field(field, "unknown", apperr.M("用户不存在", "no such user"))}.Err()
	}
	if err != nil {
		return auth.User{}, err
	}
	if u.PointCode != point || (u.Role != auth.RoleFrontDesk && u.Role != auth.RoleIssuer && u.Role != auth.RoleHallManager) || u.Disabled {
		return auth.User{}, apperr.Fields{apperr.Field(field, "not_staff", apperr.M("该用户不是本网点的窗口工作人员", "the user is not window staff of this point"))}.Err()
	}
	return u, nil
}

func skillOf(ctx context.Context, q store.Querier, user int64) (Skill, bool, error) {
	var sk Skill
	var cats, items string
	err := q.QueryRowContext(ctx, `SELECT user_id, all_items, categories, items FROM hall_skills WHERE user_id = ?`, user).
		Scan(&sk.UserID, &sk.AllItems, &cats, &items)
	if errors.Is(err, sql.ErrNoRows) {
		return Skill{}, false, nil
	}
	if err != nil {
		return Skill{}, false, apperr.Wrap(err, "hall: read skill")
	}
	sk.Categories, sk.Items = splitSet(cats), splitSet(items)
	return sk, true, nil
}

// PutSkill records what a member of staff of the point may handle (hall
// manager of the point, administrator).
func (s *Service) PutSkill(ctx context.Context, actor auth.User, point string, sk Skill) (Skill, error) {
	if err := managerAt(actor, point); err != nil {
		return Skill{}, err
	}
	u, err := staffMember(ctx, s.db, point, sk.UserID, "user_id")
	if err != nil {
		return Skill{}, err
	}
	var f apperr.Fields
	for i, c := range sk.Categories {
		if !categoryCode.MatchString(c) {
			f.Add(fmt.Sprintf("categories[%d]", i), "format", apperr.M("类别代码须为一个大写字母", "a category code is one capital letter"))
		}
	}
	for i, it := range sk.Items {
		if it == "" || len(it) > 64 {
			f.Add(fmt.Sprintf("items[%d]", i), "format", apperr.M("事项编码有误", "not an item code"))
		}
	}
	if err := f.Err(); err != nil {
		return Skill{}, err
	}
	sk.Categories, sk.Items = textlist.Distinct(sk.Categories), textlist.Distinct(sk.Items)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `
		INSERT INTO hall_skills (user_id, user_name, point_code, all_items, categories, items, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name, point_code = excluded.point_code, all_items = excluded.all_items,
			categories = excluded.categories, items = excluded.items, updated_at = excluded.updated_at`,
			u.ID, u.Name, point, sk.AllItems, joinSet(sk.Categories), joinSet(sk.Items), store.FormatTime(s.Now()))
		if err != nil {
			return apperr.Wrap(err, "hall: save skill")
		}
		return s.recordChange(ctx, tx, actor, point, "hall.put_skill", fmt.Sprintf("point:%s/user:%d", point, u.ID), sk)
	})
	if err != nil {
		return Skill{}, err
	}
	sk.UserName = u.Name
	return sk, nil
}

// Skills lists the recorded skills of a point's staff (staff of the point).
func (s *Service) Skills(ctx context.Context, actor auth.User, point string) ([]Skill, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, user_name, all_items, categories, items
		FROM hall_skills WHERE point_code = ? ORDER BY user_id`, point)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: list skills")
	}
	defer rows.Close()
	out := []Skill{}
	for rows.Next() {
		var sk Skill
		var cats, items string
		if err := rows.Scan(&sk.UserID, &sk.UserName, &sk.AllItems, &cats, &items); err != nil {
			return nil, apperr.Wrap(err, "hall: list skills")
		}
		sk.Categories, sk.Items = splitSet(cats), splitSet(items)
		out = append(out, sk)
	}
	return out, apperr.Wrap(rows.Err(), "hall: list skills")
}

// RosterEntry is one person on duty at a point on a day.
type RosterEntry struct {
	Day      string `json:"day"`
	UserID   int64  `json:"user_id"`
	UserName string `json:"user_name,omitempty"`
	Starts   string `json:"starts,omitempty"` // HH:MM; empty for the point's opening hours
	Ends     string `json:"ends,omitempty"`
	Skill    *Skill `json:"skill,omitempty"`
}

// PutRoster replaces the roster of one day (hall manager of the point, administrator).
func (s *Service) PutRoster(ctx context.Context, actor auth.User, point, day string, entries []RosterEntry) ([]RosterEntry, error) {
	if err := managerAt(actor, point); err != nil {
		return nil, err
	}
	if _, err := workday.ParseDate(day); err != nil {
		return nil, apperr.Fields{apperr.Field("day", "format", apperr.M("日期格式须为 YYYY-MM-DD", "day must be YYYY-MM-DD"))}.Err()
	}
	var f apperr.Fields
	seen := map[int64]bool{}
	for i := range entries {
		e := &entries[i]
		at := fmt.Sprintf("entries[%d]", i)
		u, err := staffMember(ctx, s.db, point, e.UserID, at+".user_id")
		if err != nil {
			f = append(f, apperr.As(err).Fields...)
			continue
		}
		if seen[u.ID] {
			f.Add(at+".user_id", "duplicate", apperr.M("同一人当天只能排一次班", "listed twice on one day"))
		}
		seen[u.ID] = true
		e.Day, e.UserName = day, u.Name
		if (e.Starts == "") != (e.Ends == "") {
			f.Add(at+".ends", "required", apperr.M("开始和结束时间须同时填写或同时留空", "give both starts and ends, or neither"))
		} else if e.Starts != "" {
			if !clockRE.MatchString(e.Starts) || !clockRE.MatchString(e.Ends) {
				f.Add(at+".starts", "format", apperr.M("时间格式须为 HH:MM", "time must be HH:MM"))
			} else if minuteOf(e.Ends) <= minuteOf(e.Starts) {
				f.Add(at+".ends", "order", apperr.M("结束时间须晚于开始时间", "ends must be after starts"))
			}
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := replaceRoster(ctx, tx, point, day, entries); err != nil {
			return err
		}
		return s.recordChange(ctx, tx, actor, point, "hall.put_roster", "point:"+point+"/day:"+day, entries)
	})
	if err != nil {
		return nil, err
	}
	return s.roster(ctx, point, day, day)
}

func replaceRoster(ctx context.Context, tx *store.Tx, point, day string, entries []RosterEntry) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM hall_roster WHERE point_code = ? AND day = ?`, point, day); err != nil {
		return apperr.Wrap(err, "hall: replace roster")
	}
	for _, e := range entries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO hall_roster (point_code, day, user_id, user_name, starts, ends) VALUES (?, ?, ?, ?, ?, ?)`,
			point, day, e.UserID, e.UserName, e.Starts, e.Ends); err != nil {
			return apperr.Wrap(err, "hall: replace roster")
		}
	}
	return nil
}

// RotateRequest fills the roster of the next days the point opens by rotation (轮岗).
type RotateRequest struct {
	From   string  `json:"from"` // YYYY-MM-DD; today when empty
	Days   int     `json:"days"` // days the point opens, from From on
	PerDay int     `json:"per_day"`
	Staff  []int64 `json:"staff"` // user IDs, in turn order
}

// Rotate replaces the roster of the next Days opening days of the point
// with Staff in turn, PerDay a day (hall manager of the point, administrator).
func (s *Service) Rotate(ctx context.Context, actor auth.User, point string, req RotateRequest) ([]RosterEntry, error) {
	if err := managerAt(actor, point); err != nil {
		return nil, err
	}
	from := civilDate(s.Now())
	if req.From != "" {
		d, err := workday.ParseDate(req.From)
		if err != nil {
			return nil, apperr.Fields{apperr.Field("from", "format", apperr.M("日期格式须为 YYYY-MM-DD", "from must be YYYY-MM-DD"))}.Err()
		}
		from = d
	}
	if req.Days < 1 || req.Days > 366 {
		return nil, apperr.Fields{apperr.Field("days", "range", apperr.M("天数须为1–366", "days must be 1–366"))}.Err()
	}
	plan, err := Rotate(req.Staff, req.Days, req.PerDay)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for i, id := range req.Staff {
		u, err := staffMember(ctx, s.db, point, id, fmt.Sprintf("staff[%d]", i))
		if err != nil {
			return nil, err
		}
		names[id] = u.Name
	}
	h, err := s.Hours(ctx, point)
	if err != nil {
		return nil, err
	}
	var days []string
	for d := from; len(days) < req.Days && d.Before(from.AddDate(0, 0, 4*req.Days+14)); d = d.AddDate(0, 0, 1) {
		if len(h.intervalsOn(d, s.calendar)) > 0 {
			days = append(days, workday.FormatDate(d))
		}
	}
	if len(days) == 0 {
		return nil, apperr.New(apperr.Conflict, "no_opening_hours", apperr.M("所选日期内网点没有办公时间", "the point has no opening hours on those days"))
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		for i, day := range days {
			var entries []RosterEntry
			for _, id := range plan[i] {
				entries = append(entries, RosterEntry{Day: day, UserID: id, UserName: names[id]})
			}
			if err := replaceRoster(ctx, tx, point, day, entries); err != nil {
				return err
			}
		}
		return s.recordChange(ctx, tx, actor, point, "hall.rotate_roster", "point:"+point, map[string]any{"days": days, "plan": plan})
	})
	if err != nil {
		return nil, err
	}
	return s.roster(ctx, point, days[0], days[len(days)-1])
}

// Roster lists a point's roster from one day to another, inclusive (staff of the point).
func (s *Service) Roster(ctx context.Context, actor auth.User, point, from, to string) ([]RosterEntry, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return nil, err
	}
	var f apperr.Fields
	if from == "" {
		from = DayOf(s.Now())
	} else if _, err := workday.ParseDate(from); err != nil {
		f.Add("from", "format", apperr.M("日期格式须为 YYYY-MM-DD", "from must be YYYY-MM-DD"))
	}
	if to == "" {
		to = from
	} else if _, err := workday.ParseDate(to); err != nil {
		f.Add("to", "format", apperr.M("日期格式须为 YYYY-MM-DD", "to must be YYYY-MM-DD"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.roster(ctx, point, from, to)
}

func (s *Service) roster(ctx context.Context, point, from, to string) ([]RosterEntry, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.day, r.user_id, r.user_name, r.starts, r.ends, k.all_items, k.categories, k.items
		FROM hall_roster r LEFT JOIN hall_skills k ON k.user_id = r.user_id
		WHERE r.point_code = ? AND r.day >= ? AND r.day <= ? ORDER BY r.day, r.user_id`, point, from, to)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: roster")
	}
	defer rows.Close()
	out := []RosterEntry{}
	for rows.Next() {
		var e RosterEntry
		var all sql.NullBool
		var cats, items sql.NullString
		if err := rows.Scan(&e.Day, &e.UserID, &e.UserName, &e.Starts, &e.Ends, &all, &cats, &items); err != nil {
			return nil, apperr.Wrap(err, "hall: roster")
		}
		if all.Valid {
			e.Skill = &Skill{UserID: e.UserID, AllItems: all.Bool, Categories: splitSet(cats.String), Items: splitSet(items.String)}
		}
		out = append(out, e)
	}
	return out, apperr.Wrap(rows.Err(), "hall: roster")
}

// onDutyAt reports whether an entry covers t: its own times, or the point's
// opening hours when it has none.
func onDutyAt(e RosterEntry, t time.Time, h Hours, cal workday.Calendar) bool {
	if e.Day != DayOf(t) {
		return false
	}
	if e.Starts == "" {
		_, open := h.At(t, cal)
		return open
	}
	m := t.In(chinaTime).Hour()*60 + t.In(chinaTime).Minute()
	return m >= minuteOf(e.Starts) && m < minuteOf(e.Ends)
}

// OnDuty lists who is on duty at a point at t (now when zero); with an item
// code, only those who may accept that item there: a generalist (全科) any
// item the point's level allows, others the items of their skill. Staff of
// the point and administrators may ask.
func (s *Service) OnDuty(ctx context.Context, actor auth.User, point string, t time.Time, itemCode string) ([]RosterEntry, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return nil, err
	}
	if t.IsZero() {
		t = s.Now()
	}
	pt, err := s.point(ctx, point)
	if err != nil {
		return nil, err
	}
	var levels []int
	if itemCode != "" {
		it, err := s.catalog.Published(ctx, itemCode)
		if err != nil {
			if apperr.CodeOf(err) == apperr.NotFound {
				return nil, apperr.Fields{apperr.Field("item", "unknown", apperr.M("事项不存在", "no such item"))}.Err()
			}
			return nil, err
		}
		levels = it.Levels
	}
	h, err := hoursOf(ctx, s.db, point)
	if err != nil {
		return nil, err
	}
	day := DayOf(t)
	entries, err := s.roster(ctx, point, day, day)
	if err != nil {
		return nil, err
	}
	out := []RosterEntry{}
	for _, e := range entries {
		if !onDutyAt(e, t, h, s.calendar) {
			continue
		}
		if itemCode != "" && (e.Skill == nil || !e.Skill.MayHandle(itemCode, levels, pt.Level)) {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}
