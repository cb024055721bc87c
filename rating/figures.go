package rating

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Counts are the rating figures of a month for one point, department,
// window or staff member, or all of them.
type Counts struct {
	Ratings      int      `json:"ratings"`   // ratings given (appeals upheld left out)
	Satisfied    int      `json:"satisfied"` // 非常满意 + 满意 + 基本满意
	Bad          int      `json:"bad"`       // 不满意 + 非常不满意
	ByLevel      [6]int   `json:"by_level"`  // index = level (1–5); 0 unused
	Satisfaction *float64 `json:"satisfaction"`
	// FollowUps of the month's bad ratings: Contactable could be called
	// back, Contacted were (回访率 = Contacted ÷ Contactable); Rectified were
	// put right (整改率 = Rectified ÷ FollowUps); OnTime met both due dates.
	FollowUps   int      `json:"followups"`
	Contactable int      `json:"contactable"`
	Contacted   int      `json:"contacted"`
	ContactRate *float64 `json:"contact_rate"`
	Rectified   int      `json:"rectified"`
	RectifyRate *float64 `json:"rectify_rate"`
	OnTime      int      `json:"on_time"`
	OnTimeRate  *float64 `json:"on_time_rate"`
	// Upheld counts bad ratings found unfair on appeal: kept and marked, not counted above.
	Upheld int `json:"appeals_upheld"`
}

func rate(n, of int) *float64 { return Satisfaction(n, of) }

func (c *Counts) finish() {
	c.Satisfaction = Satisfaction(c.Satisfied, c.Ratings)
	c.ContactRate = rate(c.Contacted, c.Contactable)
	c.RectifyRate = rate(c.Rectified, c.FollowUps)
	c.OnTimeRate = rate(c.OnTime, c.FollowUps)
}

// row is one rating as the figures read it.
type row struct {
	point, department, window string
	staffID                   *int64
	staffName                 string
	level                     Level
	upheld                    bool
	hasFollowUp               bool
	status                    Status
	contactPossible           bool
	contactDue, rectifyDue    string
	contacted, rectified      string // civil dates
}

// add counts one rating into c.
func (c *Counts) add(r *row) {
	if r.upheld {
		c.Upheld++
		return
	}
	c.Ratings++
	c.ByLevel[r.level]++
	switch {
	case r.level.Satisfied():
		c.Satisfied++
	case r.level.Bad():
		c.Bad++
	}
	if !r.hasFollowUp || r.status == Withdrawn {
		return
	}
	c.FollowUps++
	if r.contactPossible {
		c.Contactable++
		if r.contacted != "" {
			c.Contacted++
		}
	}
	if r.rectified != "" {
		c.Rectified++
	}
	if OnTime(r.contactDue, r.rectifyDue, r.contacted, r.rectified) {
		c.OnTime++
	}
}

// Line is the figures of one point, department, window or staff member.
type Line struct {
	Code  string `json:"code"` // point or department code; window "POINT/CODE"; staff member's id
	Name  string `json:"name"`
	Point string `json:"point,omitempty"` // windows and staff: their point
	Counts
}

// Figures are a month's figures in the caller's scope.
type Figures struct {
	Month       string `json:"month"`
	Total       Counts `json:"total"`
	Points      []Line `json:"points"`
	Departments []Line `json:"departments"`
	Windows     []Line `json:"windows"` // visits and cases linked to a visit: ranked, best first
	Staff       []Line `json:"staff"`
}

// FigureFilter says which month and which part of the province.
type FigureFilter struct {
	Month string // YYYY-MM; this month when empty
	Point string
}

// ParseMonth checks a month, YYYY-MM.
func ParseMonth(field, s string) (string, error) {
	if _, err := time.Parse("2006-01", s); err != nil || len(s) != 7 {
		return "", apperr.Fields{apperr.Field(field, "format", apperr.M("月份格式应为 YYYY-MM", "month must be YYYY-MM"))}.Err()
	}
	return s, nil
}

// Figures returns the satisfaction figures of a month: an administrator's
// of the province (or one point), a hall manager's of their point, a
// reviewer's of their department's cases.
func (s *Service) Figures(ctx context.Context, actor auth.User, f FigureFilter) (Figures, error) {
	where, args := "r.month = ?", []any{}
	if f.Month == "" {
		f.Month = monthOf(s.Now())
	} else if _, err := ParseMonth("month", f.Month); err != nil {
		return Figures{}, err
	}
	args = append(args, f.Month)
	switch {
	case actor.Disabled:
		return Figures{}, apperr.RoleNotAllowed(apperr.Msg{})
	case actor.Role == auth.RoleAdmin:
	case actor.Role == auth.RoleHallManager && actor.PointCode != "":
		if f.Point != "" && f.Point != actor.PointCode {
			e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("只能查看本网点的评价", "you see your own point's ratings only"))
			e.Denied = true
			return Figures{}, e
		}
		f.Point = actor.PointCode
	case actor.Role == auth.RoleReviewer && actor.DepartmentCode != "":
		where, args = where+" AND r.department_code = ?", append(args, actor.DepartmentCode)
	default:
		return Figures{}, apperr.RoleNotAllowed(apperr.M("您的角色不能查看评价统计", "your role does not see the rating figures"))
	}
	if f.Point != "" {
		where, args = where+" AND r.point_code = ?", append(args, f.Point)
	}
	rows, err := s.readRows(ctx, where, args)
	if err != nil {
		return Figures{}, err
	}
	out := Figures{Month: f.Month}
	points, depts, windows, staff := map[string]*Line{}, map[string]*Line{}, map[string]*Line{}, map[string]*Line{}
	line := func(m map[string]*Line, key string, mk func() Line) *Line {
		l, ok := m[key]
		if !ok {
			v := mk()
			l = &v
			m[key] = l
		}
		return l
	}
	for i := range rows {
		r := &rows[i]
		out.Total.add(r)
		line(points, r.point, func() Line { return Line{Code: r.point} }).add(r)
		if r.department != "" {
			line(depts, r.department, func() Line { return Line{Code: r.department} }).add(r)
		}
		if r.window != "" {
			line(windows, r.point+"/"+r.window, func() Line { return Line{Code: r.window, Point: r.point} }).add(r)
		}
		if r.staffID != nil {
			id := strconv.FormatInt(*r.staffID, 10)
			line(staff, id, func() Line { return Line{Code: id, Name: r.staffName, Point: r.point} }).add(r)
		}
	}
	out.Total.finish()
	if out.Points, err = s.named(ctx, points, `SELECT name FROM service_points WHERE code = ?`); err != nil {
		return Figures{}, err
	}
	if out.Departments, err = s.named(ctx, depts, `SELECT name FROM departments WHERE code = ?`); err != nil {
		return Figures{}, err
	}
	if out.Windows, err = s.named(ctx, windows, ""); err != nil {
		return Figures{}, err
	}
	for i := range out.Windows {
		w := &out.Windows[i]
		if err := s.db.QueryRowContext(ctx, `SELECT name FROM hall_windows WHERE point_code = ? AND code = ?`, w.Point, w.Code).Scan(&w.Name); err != nil && err != sql.ErrNoRows {
			return Figures{}, apperr.Wrap(err, "rating: window name")
		}
	}
	if out.Staff, err = s.named(ctx, staff, ""); err != nil {
		return Figures{}, err
	}
	Rank(out.Windows)
	Rank(out.Staff)
	return out, nil
}

// Rank orders lines best first: by satisfaction, then by the number of
// ratings (more ratings at the same rate rank higher), then by code.
func Rank(lines []Line) {
	slices.SortStableFunc(lines, func(a, b Line) int {
		sa, sb := -1.0, -1.0
		if a.Satisfaction != nil {
			sa = *a.Satisfaction
		}
		if b.Satisfaction != nil {
			sb = *b.Satisfaction
		}
		return cmp.Or(cmp.Compare(sb, sa), cmp.Compare(b.Ratings, a.Ratings), cmp.Compare(a.Point, b.Point), cmp.Compare(a.Code, b.Code))
	})
}

// named finishes the lines of m, fills their names by nameQuery (when
// given) and orders them by code.
func (s *Service) named(ctx context.Context, m map[string]*Line, nameQuery string) ([]Line, error) {
	out := make([]Line, 0, len(m))
	for _, l := range m {
		l.finish()
		if nameQuery != "" {
			if err := s.db.QueryRowContext(ctx, nameQuery, l.Code).Scan(&l.Name); err != nil && err != sql.ErrNoRows {
				return nil, apperr.Wrap(err, "rating: name")
			}
		}
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b Line) int { return cmp.Or(cmp.Compare(a.Point, b.Point), cmp.Compare(a.Code, b.Code)) })
	return out, nil
}

func (s *Service) readRows(ctx context.Context, where string, args []any) ([]row, error) {
	q, err := s.db.QueryContext(ctx, `
		SELECT r.point_code, r.department_code, r.window_code, r.staff_id, r.staff_name, r.level, r.appeal_upheld,
			f.id, COALESCE(f.status, ''), COALESCE(f.contact_possible, 0), COALESCE(f.contact_due, ''), COALESCE(f.rectify_due, ''),
			`+store.StampOrEmpty(s.db.Dialect(), "f.contacted_at")+`, `+store.StampOrEmpty(s.db.Dialect(), "f.rectified_at")+`
		FROM ratings r LEFT JOIN rating_followups f ON f.rating_id = r.id
		WHERE `+where, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "rating: figures")
	}
	defer q.Close()
	var out []row
	for q.Next() {
		var r row
		var staff, fid sql.NullInt64
		var level, upheld, possible int
		var status, contacted, rectified string
		if err := q.Scan(&r.point, &r.department, &r.window, &staff, &r.staffName, &level, &upheld,
			&fid, &status, &possible, &r.contactDue, &r.rectifyDue, &contacted, &rectified); err != nil {
			return nil, apperr.Wrap(err, "rating: figures")
		}
		r.staffID, r.level, r.upheld = ptrInt(staff), Level(level), upheld != 0
		r.hasFollowUp, r.status, r.contactPossible = fid.Valid, Status(status), possible != 0
		r.contacted, r.rectified = civil(ptrTime(contacted)), civil(ptrTime(rectified))
		out = append(out, r)
	}
	return out, apperr.Wrap(q.Err(), "rating: figures")
}

// PublicPoint is one point's satisfaction as everyone may see it: no
// names of people, no comments.
type PublicPoint struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Ratings      int      `json:"ratings"`
	Satisfaction *float64 `json:"satisfaction"`
}

// Public returns each point's satisfaction in a month, best first.
func (s *Service) Public(ctx context.Context, month string) ([]PublicPoint, string, error) {
	if month == "" {
		month = monthOf(s.Now())
	} else if _, err := ParseMonth("month", month); err != nil {
		return nil, "", err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.point_code, COALESCE(p.name, r.point_code), COUNT(*),
			SUM(CASE WHEN r.level >= 3 THEN 1 ELSE 0 END)
		FROM ratings r LEFT JOIN service_points p ON p.code = r.point_code
		WHERE r.month = ? AND r.appeal_upheld = 0
		GROUP BY r.point_code, p.name`, month)
	if err != nil {
		return nil, "", apperr.Wrap(err, "rating: public figures")
	}
	defer rows.Close()
	out := []PublicPoint{}
	for rows.Next() {
		var p PublicPoint
		var satisfied int
		if err := rows.Scan(&p.Code, &p.Name, &p.Ratings, &satisfied); err != nil {
			return nil, "", apperr.Wrap(err, "rating: public figures")
		}
		p.Satisfaction = Satisfaction(satisfied, p.Ratings)
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b PublicPoint) int {
		return cmp.Or(cmp.Compare(*b.Satisfaction, *a.Satisfaction), cmp.Compare(b.Ratings, a.Ratings), cmp.Compare(a.Code, b.Code))
	})
	return out, month, apperr.Wrap(rows.Err(), "rating: public figures")
}

// Settings returns the follow-up days of every province set, the default first.
func (s *Service) Settings(ctx context.Context, actor auth.User) ([]Settings, error) {
	if actor.Role != auth.RoleAdmin || actor.Disabled {
		return nil, apperr.RoleNotAllowed(apperr.Msg{})
	}
	rows, err := s.db.QueryContext(ctx, `SELECT province, contact_days, rectify_days FROM rating_settings ORDER BY province`)
	if err != nil {
		return nil, apperr.Wrap(err, "rating: settings")
	}
	defer rows.Close()
	out := []Settings{}
	hasDefault := false
	for rows.Next() {
		var st Settings
		if err := rows.Scan(&st.Province, &st.ContactDays, &st.RectifyDays); err != nil {
			return nil, apperr.Wrap(err, "rating: settings")
		}
		hasDefault = hasDefault || st.Province == ""
		out = append(out, st)
	}
	if !hasDefault {
		out = append([]Settings{DefaultSettings()}, out...)
	}
	return out, apperr.Wrap(rows.Err(), "rating: settings")
}

// PutSettings sets a province's follow-up days (an administrator's);
// follow-ups opened from then on count on them.
func (s *Service) PutSettings(ctx context.Context, actor auth.User, st Settings) (Settings, error) {
	if actor.Role != auth.RoleAdmin || actor.Disabled {
		return Settings{}, apperr.RoleNotAllowed(apperr.M("只有系统管理员可以设置整改时限", "only administrators set the follow-up days"))
	}
	if err := st.Validate(); err != nil {
		return Settings{}, err
	}
	now := s.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rating_settings (province, contact_days, rectify_days, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (province) DO UPDATE SET contact_days = excluded.contact_days, rectify_days = excluded.rectify_days, updated_at = excluded.updated_at`,
			st.Province, st.ContactDays, st.RectifyDays, store.FormatTime(now)); err != nil {
			return apperr.Wrap(err, "rating: put settings")
		}
		return auditSettings(ctx, tx, actor, st, now)
	})
	return st, err
}

func auditSettings(ctx context.Context, tx *store.Tx, actor auth.User, st Settings, now time.Time) error {
	_, err := appendAudit(ctx, tx, actor, "rating.settings", "rating_settings:"+cmp.Or(st.Province, "default"),
		fmt.Sprintf(`{"contact_days":%d,"rectify_days":%d}`, st.ContactDays, st.RectifyDays), now)
	return err
}

// ThisMonth is the China month of now, YYYY-MM.
func ThisMonth(now time.Time) string { return workday.DateOf(now).Format("2006-01") }
