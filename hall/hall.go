// Package hall runs a service hall: queue tickets, windows and calling, the
// display board, opening hours, appointments, the duty roster and the day's numbers.
package hall

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
	"github.com/onewindow/onewindow/workday"
)

// Service runs the hall on a database. Every method that changes something
// takes the acting user and checks their role and point itself.
type Service struct {
	db       *store.DB
	calendar workday.Calendar
	points   *network.Store
	catalog  *catalog.Store
	cases    *cases.Service

	// Now is the server's clock (package clock): the hall's day, hours and
	// appointments are read from it.
	Now clock.Clock
	// BoardPoll is how often a board stream looks for new events, and
	// BoardHeartbeat how often it sends a comment to keep proxies from
	// closing an idle stream.
	BoardPoll      time.Duration
	BoardHeartbeat time.Duration
	// Kiosk limits tickets taken at the public kiosk endpoint per client.
	Kiosk *Limiter

	// boards are the points' board watchers (boardwatch.go).
	boards boardHubs
}

// NewService returns a Service. cal decides which days are working days;
// cs finds the cases a visit is linked to; clk is the server's clock (nil:
// the wall clock).
func NewService(db *store.DB, cal workday.Calendar, points *network.Store, cat *catalog.Store, cs *cases.Service, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, calendar: cal, points: points, catalog: cat, cases: cs, Now: clk,
		BoardPoll: 500 * time.Millisecond, BoardHeartbeat: 15 * time.Second,
		Kiosk: NewLimiter(30, time.Minute)}
}

// Settings are a point's queue and booking rules.
type Settings struct {
	// FairnessMinutes: a normal ticket waiting longer is called before
	// priority tickets taken after it; 0 turns the guard off.
	FairnessMinutes int `json:"fairness_minutes"`
	// NoShowAfterRecalls: a called ticket may be marked a no-show after this many recalls.
	NoShowAfterRecalls int `json:"no_show_after_recalls"`
	// NoShowLimit missed appointments within NoShowWindowDays block booking
	// for NoShowBlockDays; a limit of 0 turns the rule off.
	NoShowLimit      int `json:"no_show_limit"`
	NoShowWindowDays int `json:"no_show_window_days"`
	NoShowBlockDays  int `json:"no_show_block_days"`
	// CheckInEarlyMinutes: how long before its slot an appointment may be checked in.
	CheckInEarlyMinutes int `json:"check_in_early_minutes"`
}

// DefaultSettings apply to a point until its hall manager changes them.
func DefaultSettings() Settings {
	return Settings{FairnessMinutes: 30, NoShowAfterRecalls: 2, NoShowLimit: 3, NoShowWindowDays: 30,
		NoShowBlockDays: 7, CheckInEarlyMinutes: 60}
}

// Validate checks the ranges.
func (st Settings) Validate() error {
	var f apperr.Fields
	check := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			f.Add(field, "range", apperr.M(fmt.Sprintf("须为%d到%d之间的整数", lo, hi), fmt.Sprintf("must be an integer from %d to %d", lo, hi)))
		}
	}
	check("fairness_minutes", st.FairnessMinutes, 0, 480)
	check("no_show_after_recalls", st.NoShowAfterRecalls, 0, 10)
	check("no_show_limit", st.NoShowLimit, 0, 100)
	check("no_show_window_days", st.NoShowWindowDays, 1, 365)
	check("no_show_block_days", st.NoShowBlockDays, 1, 365)
	check("check_in_early_minutes", st.CheckInEarlyMinutes, 0, 240)
	return f.Err()
}

func (st Settings) noShowRule() NoShowRule {
	return NoShowRule{Limit: st.NoShowLimit, Window: time.Duration(st.NoShowWindowDays) * 24 * time.Hour,
		Block: time.Duration(st.NoShowBlockDays) * 24 * time.Hour}
}

func (st Settings) fairness() time.Duration { return time.Duration(st.FairnessMinutes) * time.Minute }

// Category is a kind of ticket at a point: 综合受理, 出证取件, 一件事, 帮代办, 咨询 …
type Category struct {
	Code      string `json:"code"` // one letter, the start of its ticket numbers
	Name      string `json:"name"`
	NameEN    string `json:"name_en,omitempty"`
	SortOrder int    `json:"sort_order"`
	Active    bool   `json:"active"`
}

var categoryCode = regexp.MustCompile(`^[A-Z]$`)

// Validate checks a category.
func (c *Category) Validate() error {
	var f apperr.Fields
	if !categoryCode.MatchString(c.Code) {
		f.Add("code", "format", apperr.M("类别代码须为一个大写字母（号码前缀）", "code must be one capital letter (the number prefix)"))
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 50 {
		f.Add("name", "required", apperr.M("请填写类别名称（不超过50字）", "name is required (at most 50 characters)"))
	}
	if utf8.RuneCountInString(c.NameEN) > 100 {
		f.Add("name_en", "too_long", apperr.M("英文名称不能超过100字", "name_en must be at most 100 characters"))
	}
	return f.Err()
}

// Window is a counter of the hall and who is signed in at it.
type Window struct {
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	Categories []string   `json:"categories"`
	Active     bool       `json:"active"`
	SortOrder  int        `json:"sort_order"`
	StaffID    *int64     `json:"staff_id,omitempty"`
	StaffName  string     `json:"staff_name,omitempty"`
	SignedInAt *time.Time `json:"signed_in_at,omitempty"`
	Current    *Ticket    `json:"current,omitempty"` // the ticket called or being served there
}

var windowCode = regexp.MustCompile(`^[A-Za-z0-9-]{1,16}$`)

// errNoWindow is returned for an unknown window.
func errNoWindow() *apperr.Error {
	return apperr.NotFoundf("window_not_found", apperr.M("窗口不存在", "no such window"))
}

func errNoCategory(field string) error {
	return apperr.Fields{apperr.Field(field, "unknown", apperr.M("该网点没有这个取号类别", "the point has no such ticket category"))}.Err()
}

// denied is a refusal outside the caller's role or point; the API audits it.
func denied(zh, en string) *apperr.Error {
	e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M(zh, en))
	e.Denied = true
	return e
}

// staffAt checks that actor works at point in one of roles (administrators
// everywhere).
func staffAt(actor auth.User, point string, roles ...auth.Role) error {
	if actor.Role == auth.RoleAdmin {
		return nil
	}
	if !slices.Contains(roles, actor.Role) {
		return apperr.RoleNotAllowed(apperr.M("您的角色无权执行此操作", "your role may not do this"))
	}
	if actor.PointCode != point {
		return denied("您不在该服务网点工作", "you do not work at this service point")
	}
	return nil
}

// managerAt checks that actor manages point.
func managerAt(actor auth.User, point string) error {
	return staffAt(actor, point, auth.RoleHallManager)
}

// frontStaff are the roles that work at windows.
var frontStaff = []auth.Role{auth.RoleFrontDesk, auth.RoleIssuer, auth.RoleHallManager}

// point returns the service point or NotFound.
func (s *Service) point(ctx context.Context, code string) (network.Point, error) {
	return s.points.Get(ctx, nil, code)
}

// Settings returns a point's rules (the defaults until changed).
func (s *Service) Settings(ctx context.Context, point string) (Settings, error) {
	if _, err := s.point(ctx, point); err != nil {
		return Settings{}, err
	}
	return settingsOf(ctx, s.db, point)
}

func settingsOf(ctx context.Context, q store.Querier, point string) (Settings, error) {
	var st Settings
	err := q.QueryRowContext(ctx, `
		SELECT fairness_minutes, no_show_after_recalls, no_show_limit, no_show_window_days, no_show_block_days, check_in_early_minutes
		FROM hall_settings WHERE point_code = ?`, point).
		Scan(&st.FairnessMinutes, &st.NoShowAfterRecalls, &st.NoShowLimit, &st.NoShowWindowDays, &st.NoShowBlockDays, &st.CheckInEarlyMinutes)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, apperr.Wrap(err, "hall: read settings")
	}
	return st, nil
}

// PutSettings replaces a point's rules (hall manager of the point, administrator).
func (s *Service) PutSettings(ctx context.Context, actor auth.User, point string, st Settings) (Settings, error) {
	if err := managerAt(actor, point); err != nil {
		return Settings{}, err
	}
	if _, err := s.point(ctx, point); err != nil {
		return Settings{}, err
	}
	if err := st.Validate(); err != nil {
		return Settings{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `
		INSERT INTO hall_settings (point_code, fairness_minutes, no_show_after_recalls, no_show_limit, no_show_window_days,
			no_show_block_days, check_in_early_minutes, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (point_code) DO UPDATE SET fairness_minutes = excluded.fairness_minutes,
			no_show_after_recalls = excluded.no_show_after_recalls, no_show_limit = excluded.no_show_limit,
			no_show_window_days = excluded.no_show_window_days, no_show_block_days = excluded.no_show_block_days,
			check_in_early_minutes = excluded.check_in_early_minutes, updated_at = excluded.updated_at`,
			point, st.FairnessMinutes, st.NoShowAfterRecalls, st.NoShowLimit, st.NoShowWindowDays, st.NoShowBlockDays,
			st.CheckInEarlyMinutes, store.FormatTime(s.Now()))
		if err != nil {
			return apperr.Wrap(err, "hall: save settings")
		}
		return s.recordChange(ctx, tx, actor, point, "hall.put_settings", "point:"+point, st)
	})
	if err != nil {
		return Settings{}, err
	}
	return st, nil
}

// Categories lists a point's ticket categories in display order.
func (s *Service) Categories(ctx context.Context, point string) ([]Category, error) {
	if _, err := s.point(ctx, point); err != nil {
		return nil, err
	}
	return categoriesOf(ctx, s.db, point)
}

func categoriesOf(ctx context.Context, q store.Querier, point string) ([]Category, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT code, name, name_en, sort_order, active FROM hall_categories
		WHERE point_code = ? ORDER BY sort_order, code`, point)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: list categories")
	}
	defer rows.Close()
	out := []Category{}
	for rows.Next() {
		var c Category
		if err := rows.Scan(&c.Code, &c.Name, &c.NameEN, &c.SortOrder, &c.Active); err != nil {
			return nil, apperr.Wrap(err, "hall: read category")
		}
		out = append(out, c)
	}
	return out, apperr.Wrap(rows.Err(), "hall: list categories")
}

// activeCategory checks that code is an active category of point.
func activeCategory(ctx context.Context, q store.Querier, point, code, field string) (Category, error) {
	var c Category
	err := q.QueryRowContext(ctx, `SELECT code, name, name_en, sort_order, active FROM hall_categories
		WHERE point_code = ? AND code = ?`, point, code).Scan(&c.Code, &c.Name, &c.NameEN, &c.SortOrder, &c.Active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !c.Active) {
		return Category{}, errNoCategory(field)
	}
	if err != nil {
		return Category{}, apperr.Wrap(err, "hall: read category")
	}
	return c, nil
}

// PutCategory adds or changes a category (hall manager of the point, administrator).
func (s *Service) PutCategory(ctx context.Context, actor auth.User, point string, c Category) (Category, error) {
	if err := managerAt(actor, point); err != nil {
		return Category{}, err
	}
	if _, err := s.point(ctx, point); err != nil {
		return Category{}, err
	}
	if err := c.Validate(); err != nil {
		return Category{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `
		INSERT INTO hall_categories (point_code, code, name, name_en, sort_order, active) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (point_code, code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
			sort_order = excluded.sort_order, active = excluded.active`,
			point, c.Code, c.Name, c.NameEN, c.SortOrder, c.Active)
		if err != nil {
			return apperr.Wrap(err, "hall: save category")
		}
		return s.recordChange(ctx, tx, actor, point, "hall.put_category", "point:"+point+"/category:"+c.Code, c)
	})
	if err != nil {
		return Category{}, err
	}
	return c, nil
}

// joinSet writes a set of codes as ",A,B," (see the migration).
func joinSet(vs []string) string {
	if len(vs) == 0 {
		return ","
	}
	return "," + strings.Join(vs, ",") + ","
}

// splitSet reads ",A,B,".
func splitSet(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

const windowColumns = `code, name, categories, active, sort_order, staff_id, staff_name, signed_in_at`

func scanWindow(sc interface{ Scan(...any) error }) (Window, error) {
	var w Window
	var cats, signed string
	var staff sql.NullInt64
	err := sc.Scan(&w.Code, &w.Name, &cats, &w.Active, &w.SortOrder, &staff, &w.StaffName, &signed)
	w.Categories = splitSet(cats)
	w.StaffID = ptrInt(staff)
	w.SignedInAt = ptrTime(signed)
	return w, err
}

// Windows lists a point's windows with who is signed in and what each is
// serving (staff of the point, administrators).
func (s *Service) Windows(ctx context.Context, actor auth.User, point string) ([]Window, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return nil, err
	}
	if _, err := s.point(ctx, point); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+windowColumns+` FROM hall_windows WHERE point_code = ? ORDER BY sort_order, code`, point)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: list windows")
	}
	out := []Window{}
	for rows.Next() {
		w, err := scanWindow(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "hall: read window")
		}
		out = append(out, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "hall: list windows")
	}
	current, err := s.ticketsWhere(ctx, s.db, `point_code = ? AND day = ? AND status IN ('called', 'serving')`, point, DayOf(s.Now()))
	if err != nil {
		return nil, err
	}
	for i := range out {
		for j := range current {
			if current[j].Window == out[i].Code {
				out[i].Current = &current[j]
			}
		}
	}
	return out, nil
}

// PutWindow adds or changes a window (hall manager of the point, administrator).
func (s *Service) PutWindow(ctx context.Context, actor auth.User, point string, w Window) (Window, error) {
	if err := managerAt(actor, point); err != nil {
		return Window{}, err
	}
	if _, err := s.point(ctx, point); err != nil {
		return Window{}, err
	}
	var f apperr.Fields
	if !windowCode.MatchString(w.Code) {
		f.Add("code", "format", apperr.M("窗口编号须为1–16位字母、数字或连字符", "code must be 1–16 letters, digits or hyphens"))
	}
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" || utf8.RuneCountInString(w.Name) > 50 {
		f.Add("name", "required", apperr.M("请填写窗口名称（不超过50字）", "name is required (at most 50 characters)"))
	}
	if len(w.Categories) == 0 {
		f.Add("categories", "required", apperr.M("请选择窗口办理的取号类别", "choose the ticket categories the window serves"))
	}
	if err := f.Err(); err != nil {
		return Window{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for i, c := range w.Categories {
			if _, err := activeCategory(ctx, tx, point, c, fmt.Sprintf("categories[%d]", i)); err != nil {
				return err
			}
		}
		w.Categories = textlist.Distinct(w.Categories)
		_, err := tx.ExecContext(ctx, `
			INSERT INTO hall_windows (point_code, code, name, categories, active, sort_order) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (point_code, code) DO UPDATE SET name = excluded.name, categories = excluded.categories,
				active = excluded.active, sort_order = excluded.sort_order`,
			point, w.Code, w.Name, joinSet(w.Categories), w.Active, w.SortOrder)
		if err != nil {
			return apperr.Wrap(err, "hall: save window")
		}
		return s.recordChange(ctx, tx, actor, point, "hall.put_window", "point:"+point+"/window:"+w.Code, w)
	})
	if err != nil {
		return Window{}, err
	}
	return s.window(ctx, s.db, point, w.Code, false)
}

// window reads one window, locking its row on PostgreSQL when forUpdate (on
// SQLite the write transaction already excludes every other writer).
func (s *Service) window(ctx context.Context, q store.Querier, point, code string, forUpdate bool) (Window, error) {
	query := `SELECT ` + windowColumns + ` FROM hall_windows WHERE point_code = ? AND code = ?`
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE`
	}
	w, err := scanWindow(q.QueryRowContext(ctx, query, point, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Window{}, errNoWindow()
	}
	if err != nil {
		return Window{}, apperr.Wrap(err, "hall: read window")
	}
	return w, nil
}

// SignIn puts actor at a window: they must work at the point, serve the
// window's categories (if their skills are recorded), and not be signed in
// elsewhere; a window already staffed by someone else is refused.
func (s *Service) SignIn(ctx context.Context, actor auth.User, point, code string) (Window, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Window{}, err
	}
	if actor.Role == auth.RoleAdmin {
		return Window{}, apperr.RoleNotAllowed(apperr.M("管理员不能在窗口签到，请使用窗口工作人员账号", "administrators do not staff windows; sign in as window staff"))
	}
	var out Window
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		w, err := s.window(ctx, tx, point, code, true)
		if err != nil {
			return err
		}
		if !w.Active {
			return apperr.New(apperr.Conflict, "window_inactive", apperr.M("该窗口已停用", "this window is not in use"))
		}
		if w.StaffID != nil && *w.StaffID != actor.ID {
			return apperr.New(apperr.Conflict, "window_taken",
				apperr.M("该窗口已有"+w.StaffName+"签到", "this window is staffed by "+w.StaffName))
		}
		if sk, ok, err := skillOf(ctx, tx, actor.ID); err != nil {
			return err
		} else if ok && !sk.MayServe(w.Categories) {
			return apperr.New(apperr.Conflict, "skill_missing",
				apperr.M("您的业务技能不包括该窗口的全部取号类别", "your skills do not cover every category of this window"))
		}
		// Leaving any other window first keeps one person at one window.
		if _, err := tx.ExecContext(ctx, `UPDATE hall_windows SET staff_id = NULL, staff_name = '', signed_in_at = ?
			WHERE staff_id = ? AND NOT (point_code = ? AND code = ?)`, store.Stamp(""), actor.ID, point, code); err != nil {
			return apperr.Wrap(err, "hall: leave other window")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hall_windows SET staff_id = ?, staff_name = ?, signed_in_at = ?
			WHERE point_code = ? AND code = ?`, actor.ID, actor.Name, store.FormatTime(s.Now()), point, code); err != nil {
			return apperr.Wrap(err, "hall: sign in")
		}
		out, err = s.window(ctx, tx, point, code, false)
		return err
	})
	return out, err
}

// SignOut frees the window actor is signed in at. A window with a ticket
// still called or being served cannot be left.
func (s *Service) SignOut(ctx context.Context, actor auth.User, point, code string) (Window, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Window{}, err
	}
	var out Window
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		w, err := s.window(ctx, tx, point, code, true)
		if err != nil {
			return err
		}
		if w.StaffID == nil || (*w.StaffID != actor.ID && actor.Role != auth.RoleHallManager && actor.Role != auth.RoleAdmin) {
			return apperr.New(apperr.Conflict, "not_signed_in", apperr.M("您未在该窗口签到", "you are not signed in at this window"))
		}
		var busy int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM hall_tickets WHERE point_code = ? AND window_code = ?
			AND status IN ('called', 'serving')`, point, code).Scan(&busy); err != nil {
			return apperr.Wrap(err, "hall: window tickets")
		}
		if busy > 0 {
			return errWindowBusy()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hall_windows SET staff_id = NULL, staff_name = '', signed_in_at = ?
			WHERE point_code = ? AND code = ?`, store.Stamp(""), point, code); err != nil {
			return apperr.Wrap(err, "hall: sign out")
		}
		out, err = s.window(ctx, tx, point, code, false)
		return err
	})
	return out, err
}

func errWindowBusy() *apperr.Error {
	return apperr.New(apperr.Conflict, "window_busy",
		apperr.M("窗口还有已叫号或办理中的号，请先办结、转移或标记过号", "the window still has a ticket called or being served: finish, transfer or mark it a no-show first"))
}

func ptrInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	n := v.Int64
	return &n
}

func ptrTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := store.ParseTime(s)
	return &t
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
