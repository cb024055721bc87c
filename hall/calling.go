package hall

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
)

func errQueueEmpty() *apperr.Error {
	return apperr.NotFoundf("queue_empty", apperr.M("当前没有等候本窗口的号", "nobody is waiting for this window"))
}

// CallNext calls the next ticket for a window, atomically: two windows never
// get the same ticket, also when several server processes share one
// PostgreSQL (the candidate row is locked with SKIP LOCKED, so windows do not
// wait on one another); on SQLite the single writer transaction serialises.
// The caller must be signed in at the window, and the window must have no
// ticket still called or being served.
func (s *Service) CallNext(ctx context.Context, actor auth.User, point, code string) (Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	now := s.Now()
	day := DayOf(now)
	var out Ticket
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		w, busy, fairness, err := windowToCall(ctx, tx, point, code)
		if err != nil {
			return err
		}
		switch {
		case w.StaffID == nil || *w.StaffID != actor.ID:
			return apperr.New(apperr.Conflict, "not_signed_in", apperr.M("请先在该窗口签到", "sign in at this window first"))
		case !w.Active:
			return apperr.New(apperr.Conflict, "window_inactive", apperr.M("该窗口已停用", "this window is not in use"))
		case busy > 0:
			return errWindowBusy()
		}
		id, err := pickNext(ctx, tx, point, day, w, now, fairness)
		if err != nil {
			return err
		}
		t, err := scanTicket(tx.QueryRowContext(ctx, `
			UPDATE hall_tickets SET status = 'called', window_code = ?, staff_id = ?, called_at = ?,
				first_called_at = CASE WHEN `+store.NotYet(tx.Dialect(), "first_called_at")+` THEN ? ELSE first_called_at END,
				calls = calls + 1, target_window = ''
			WHERE id = ? AND status = 'waiting'
			RETURNING `+ticketColumns,
			code, actor.ID, store.FormatTime(now), store.FormatTime(now), id))
		if errors.Is(err, sql.ErrNoRows) {
			// Cannot happen while the row is locked; refuse rather than double-call.
			return apperr.New(apperr.Conflict, "ticket_taken", apperr.M("该号已被其他窗口叫走，请重试", "another window called this ticket; try again"))
		}
		if err != nil {
			return apperr.Wrap(err, "hall: call ticket")
		}
		out = t
		if t.Calls == 1 { // its first call: a transferred ticket's later calls are not waits from taking it
			waited := now.Sub(t.TakenAt).Seconds()
			tx.AfterCommit(func() { metrics.Observe("onewindow_hall_wait_seconds", waited, "point", point) })
		}
		if err := tellThreeAhead(ctx, tx, t, now); err != nil {
			return err
		}
		return s.appendBoard(ctx, tx, point, now, BoardCall, boardCallData(t, w))
	})
	return out, err
}

// PeopleAheadToTell is the place in the queue at which a ticket's holder is
// told to come back to the hall (取号后可离开，前面还有三人时提醒).
const PeopleAheadToTell = 3

// tellThreeAhead tells, through the outbox, the holder of the ticket that
// the call just made leaves with three people ahead in its category, in the
// order tickets were queued (priority tickets may still go first, so the
// message says "about"). Only tickets taken with an account have someone to
// tell, and each is told once.
func tellThreeAhead(ctx context.Context, tx *store.Tx, called Ticket, now time.Time) error {
	var id int64
	var user sql.NullInt64
	var number, told string
	err := tx.QueryRowContext(ctx, `SELECT id, user_id, number, ahead_told_at FROM hall_tickets
		WHERE point_code = ? AND day = ? AND status = 'waiting' AND category = ? AND target_window = ''
		ORDER BY queued_at, id LIMIT 1 OFFSET ?`, called.Point, called.Day, called.Category, PeopleAheadToTell).
		Scan(&id, &user, &number, &told)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!user.Valid || told != "")) {
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, "hall: ticket three ahead")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE hall_tickets SET ahead_told_at = ? WHERE id = ?`, store.FormatTime(now), id); err != nil {
		return apperr.Wrap(err, "hall: ticket three ahead")
	}
	return outbox.Add(ctx, tx, now, "ticket.three_ahead", map[string]any{"ticket": number, "point": called.Point, "category": called.Category,
		"ahead": PeopleAheadToTell, "called": called.Number}, outbox.User(user.Int64))
}

// windowToCall reads, in one round trip, the window (locked on PostgreSQL),
// how many tickets it has open and the point's fairness limit.
func windowToCall(ctx context.Context, tx *store.Tx, point, code string) (Window, int, time.Duration, error) {
	q := `SELECT ` + windowColumns + `,
			(SELECT COUNT(*) FROM hall_tickets t WHERE t.point_code = w.point_code AND t.window_code = w.code
				AND t.status IN ('called', 'serving')),
			COALESCE((SELECT st.fairness_minutes FROM hall_settings st WHERE st.point_code = w.point_code), ?)
		FROM hall_windows w WHERE w.point_code = ? AND w.code = ?`
	if tx.Dialect() == store.Postgres {
		q += ` FOR UPDATE`
	}
	var busy, minutes int
	w, err := scanWindow(rowScanner(func(dest ...any) error {
		return tx.QueryRowContext(ctx, q, DefaultSettings().FairnessMinutes, point, code).Scan(append(dest, &busy, &minutes)...)
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return Window{}, 0, 0, errNoWindow()
	}
	if err != nil {
		return Window{}, 0, 0, apperr.Wrap(err, "hall: read window")
	}
	return w, busy, time.Duration(minutes) * time.Minute, nil
}

// rowScanner adapts a function to the Scan method the scan helpers take.
type rowScanner func(dest ...any) error

func (f rowScanner) Scan(dest ...any) error { return f(dest...) }

// pickNext finds and locks the ticket a window calls next, following
// CompareQueued with index-ordered LIMIT 1 queries instead of sorting the
// whole queue. The oldest eligible ticket comes first when it is a priority
// ticket or has waited past the fairness limit (it is then the oldest of the
// first tier). Otherwise no normal ticket is overdue (all are younger), and
// the oldest priority ticket, if any, goes before it. On PostgreSQL rows
// other windows are locking are skipped, so windows never wait on each other.
func pickNext(ctx context.Context, tx *store.Tx, point, day string, w Window, now time.Time, fairness time.Duration) (int64, error) {
	if len(w.Categories) == 0 {
		return 0, errQueueEmpty()
	}
	args := []any{point, day, w.Code}
	marks := make([]string, len(w.Categories))
	for i, c := range w.Categories {
		marks[i] = "?"
		args = append(args, c)
	}
	eligible := `FROM hall_tickets WHERE point_code = ? AND day = ? AND status = 'waiting'
		AND (target_window = ? OR (target_window = '' AND category IN (` + strings.Join(marks, ", ") + `)))`
	lock := ""
	if tx.Dialect() == store.Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	var oldest Queued
	var queuedAt string
	err := tx.QueryRowContext(ctx, `SELECT id, priority, queued_at `+eligible+` ORDER BY queued_at, id LIMIT 1`+lock, args...).
		Scan(&oldest.ID, &oldest.Priority, &queuedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errQueueEmpty()
	}
	if err != nil {
		return 0, apperr.Wrap(err, "hall: pick next ticket")
	}
	oldest.QueuedAt = store.ParseTime(queuedAt)
	if tier(oldest, now, fairness) == 0 {
		return oldest.ID, nil
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id `+eligible+` AND priority <> '' ORDER BY queued_at, id LIMIT 1`+lock, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return oldest.ID, nil
	}
	if err != nil {
		return 0, apperr.Wrap(err, "hall: pick next ticket")
	}
	return id, nil
}

// act applies a ticket action in one transaction: load and lock the
// ticket, check the move, let change update it, tell the board. Callers
// check who may act first.
func (s *Service) act(ctx context.Context, point string, id int64, action string,
	change func(tx *store.Tx, t *Ticket, st Settings, now time.Time) (boardKind string, data map[string]any, err error)) (Ticket, error) {
	now := s.Now()
	var out Ticket
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		t, err := loadTicket(ctx, tx, point, id, true)
		if err != nil {
			return err
		}
		if _, err := NextStatus(t.Status, action); err != nil {
			return err
		}
		st, err := settingsOf(ctx, tx, point)
		if err != nil {
			return err
		}
		kind, data, err := change(tx, &t, st, now)
		if err != nil {
			return err
		}
		if out, err = loadTicket(ctx, tx, point, id, false); err != nil {
			return err
		}
		if out.Cases, err = linkedCases(ctx, tx, id); err != nil {
			return err
		}
		if kind == "" {
			return nil
		}
		return s.appendBoard(ctx, tx, point, now, kind, data)
	})
	return out, err
}

// atOwnWindow checks that a called or served ticket is at the window actor staffs.
func (s *Service) atOwnWindow(ctx context.Context, tx *store.Tx, actor auth.User, t *Ticket) (Window, error) {
	w, err := s.window(ctx, tx, t.Point, t.Window, false)
	if err != nil {
		return Window{}, err
	}
	if w.StaffID == nil || *w.StaffID != actor.ID {
		return Window{}, apperr.New(apperr.Conflict, "not_your_window",
			apperr.M("该号在"+w.Name+"办理，不是您签到的窗口", "the ticket is at "+w.Name+", not at your window"))
	}
	return w, nil
}

func updateTicket(ctx context.Context, tx *store.Tx, query string, args ...any) error {
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return apperr.Wrap(err, "hall: update ticket")
	}
	return nil
}

// Recall calls a called ticket again at the same window.
func (s *Service) Recall(ctx context.Context, actor auth.User, point string, id int64) (Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	return s.act(ctx, point, id, ActRecall, func(tx *store.Tx, t *Ticket, _ Settings, now time.Time) (string, map[string]any, error) {
		w, err := s.atOwnWindow(ctx, tx, actor, t)
		if err != nil {
			return "", nil, err
		}
		t.Calls++
		err = updateTicket(ctx, tx, `UPDATE hall_tickets SET calls = calls + 1, called_at = ? WHERE id = ?`, store.FormatTime(now), t.ID)
		return BoardRecall, boardCallData(*t, w), err
	})
}

// Start begins serving a called ticket; the period it starts in (regular,
// lunch or extended hours) is kept for the numbers.
func (s *Service) Start(ctx context.Context, actor auth.User, point string, id int64) (Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	h, err := hoursOf(ctx, s.db, point)
	if err != nil {
		return Ticket{}, err
	}
	return s.act(ctx, point, id, ActStart, func(tx *store.Tx, t *Ticket, _ Settings, now time.Time) (string, map[string]any, error) {
		if _, err := s.atOwnWindow(ctx, tx, actor, t); err != nil {
			return "", nil, err
		}
		period, open := h.At(now, s.calendar)
		if !open {
			period = "" // served after hours: not counted as any period
		}
		err := updateTicket(ctx, tx, `UPDATE hall_tickets SET status = 'serving', started_at = ?, period = ? WHERE id = ?`,
			store.FormatTime(now), period, t.ID)
		return BoardServing, map[string]any{"number": t.Number, "window": t.Window}, err
	})
}

// Finish ends the service of a ticket.
func (s *Service) Finish(ctx context.Context, actor auth.User, point string, id int64) (Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	return s.act(ctx, point, id, ActFinish, func(tx *store.Tx, t *Ticket, _ Settings, now time.Time) (string, map[string]any, error) {
		if _, err := s.atOwnWindow(ctx, tx, actor, t); err != nil {
			return "", nil, err
		}
		err := updateTicket(ctx, tx, `UPDATE hall_tickets SET status = 'done', finished_at = ? WHERE id = ?`, store.FormatTime(now), t.ID)
		return BoardDone, map[string]any{"number": t.Number, "window": t.Window}, err
	})
}

// NoShow marks a called ticket a no-show (过号) once it has been recalled
// as often as the point's rule asks.
func (s *Service) NoShow(ctx context.Context, actor auth.User, point string, id int64) (Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	return s.act(ctx, point, id, ActNoShow, func(tx *store.Tx, t *Ticket, st Settings, now time.Time) (string, map[string]any, error) {
		if _, err := s.atOwnWindow(ctx, tx, actor, t); err != nil {
			return "", nil, err
		}
		if !MayMarkNoShow(t.Calls, st.NoShowAfterRecalls) {
			return "", nil, apperr.New(apperr.Conflict, "recall_first", apperr.M(
				fmt.Sprintf("请先重呼%d次（已重呼%d次）再标记过号", st.NoShowAfterRecalls, t.Calls-1),
				fmt.Sprintf("recall the ticket %d times before marking it a no-show (recalled %d so far)", st.NoShowAfterRecalls, t.Calls-1)))
		}
		err := updateTicket(ctx, tx, `UPDATE hall_tickets SET status = 'no_show', finished_at = ? WHERE id = ?`, store.FormatTime(now), t.ID)
		return BoardNoShow, map[string]any{"number": t.Number, "window": t.Window}, err
	})
}

// TransferRequest moves a ticket to another category, or to one window.
type TransferRequest struct {
	Category string `json:"category,omitempty"`
	Window   string `json:"window,omitempty"`
}

// Transfer sends a called or served ticket back to the queue of another
// category or to one window. It keeps its number and its place in the
// queue (the time it was taken), so the person does not start again.
func (s *Service) Transfer(ctx context.Context, actor auth.User, point string, id int64, req TransferRequest) (Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	var f apperr.Fields
	if req.Category == "" && req.Window == "" {
		f.Add("category", "required", apperr.M("请选择转往的取号类别或窗口", "name the category or the window to transfer to"))
	}
	if err := f.Err(); err != nil {
		return Ticket{}, err
	}
	return s.act(ctx, point, id, ActTransfer, func(tx *store.Tx, t *Ticket, _ Settings, now time.Time) (string, map[string]any, error) {
		if _, err := s.atOwnWindow(ctx, tx, actor, t); err != nil {
			return "", nil, err
		}
		category := t.Category
		if req.Category != "" {
			if _, err := activeCategory(ctx, tx, point, req.Category, "category"); err != nil {
				return "", nil, err
			}
			category = req.Category
		}
		if req.Window != "" {
			target, err := s.window(ctx, tx, point, req.Window, false)
			if apperr.CodeOf(err) == apperr.NotFound {
				return "", nil, apperr.Fields{apperr.Field("window", "unknown", apperr.M("窗口不存在", "no such window"))}.Err()
			}
			if err != nil {
				return "", nil, err
			}
			if target.Code == t.Window {
				return "", nil, apperr.Fields{apperr.Field("window", "same", apperr.M("不能转给本窗口", "that is this window"))}.Err()
			}
		}
		err := updateTicket(ctx, tx, `UPDATE hall_tickets SET status = 'waiting', category = ?, target_window = ?, window_code = '',
			staff_id = NULL, started_at = ?, period = '', transfers = transfers + 1 WHERE id = ?`, category, req.Window, store.Stamp(""), t.ID)
		return BoardTransfer, map[string]any{"number": t.Number, "from_window": t.Window, "category": category, "window": req.Window}, err
	})
}

// Cancel withdraws a waiting ticket: its holder (online) or staff of the point.
func (s *Service) Cancel(ctx context.Context, actor auth.User, point string, id int64) (Ticket, error) {
	if actor.Role == auth.RoleApplicant {
		t, err := loadTicket(ctx, s.db, point, id, false)
		if err != nil {
			return Ticket{}, err
		}
		if t.UserID == nil || *t.UserID != actor.ID {
			e := errNoTicket()
			e.Denied = true
			return Ticket{}, e
		}
	} else if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	return s.act(ctx, point, id, ActCancel, func(tx *store.Tx, t *Ticket, _ Settings, now time.Time) (string, map[string]any, error) {
		err := updateTicket(ctx, tx, `UPDATE hall_tickets SET status = 'cancelled', finished_at = ? WHERE id = ?`, store.FormatTime(now), t.ID)
		return BoardCancel, map[string]any{"number": t.Number}, err
	})
}

// LinkCase records that a case was created during a visit: the case must be
// one the caller may see and belong to the ticket's point, and the ticket
// must be served or done.
func (s *Service) LinkCase(ctx context.Context, actor auth.User, point string, ticketID, caseID int64) (Ticket, error) {
	if err := staffAt(actor, point, frontStaff...); err != nil {
		return Ticket{}, err
	}
	if caseID <= 0 {
		return Ticket{}, apperr.Fields{apperr.Field("case_id", "required", apperr.M("请填写案件编号", "case_id is required"))}.Err()
	}
	c, err := s.cases.Get(ctx, actor, caseID)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return Ticket{}, apperr.Fields{apperr.Field("case_id", "unknown", apperr.M("案件不存在", "no such case"))}.Err()
		}
		return Ticket{}, err
	}
	if c.PointCode != point {
		return Ticket{}, apperr.New(apperr.Conflict, "case_other_point",
			apperr.M("该案件不是在本网点受理的", "the case was not opened at this service point"))
	}
	now := s.Now()
	var out Ticket
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		t, err := loadTicket(ctx, tx, point, ticketID, true)
		if err != nil {
			return err
		}
		if t.Status != StatusServing && t.Status != StatusDone {
			return apperr.New(apperr.Conflict, "ticket_state",
				apperr.M("只能关联正在办理或已办结的号", "only a ticket being served or done can be linked to a case"))
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO hall_ticket_cases (ticket_id, case_id, case_number, item_name, linked_by, linked_at)
			VALUES (?, ?, ?, ?, ?, ?)`, t.ID, c.ID, c.Number, c.ItemName, actor.ID, store.FormatTime(now))
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "case_already_linked", apperr.M("该案件已关联到一个号", "the case is already linked to a ticket"))
		}
		if err != nil {
			return apperr.Wrap(err, "hall: link case")
		}
		out = t
		out.Cases, err = linkedCases(ctx, tx, t.ID)
		return err
	})
	return out, err
}

func linkedCases(ctx context.Context, q store.Querier, ticketID int64) ([]LinkedCase, error) {
	rows, err := q.QueryContext(ctx, `SELECT case_id, case_number, item_name, linked_by, linked_at FROM hall_ticket_cases
		WHERE ticket_id = ? ORDER BY linked_at, case_id`, ticketID)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: linked cases")
	}
	defer rows.Close()
	var out []LinkedCase
	for rows.Next() {
		var c LinkedCase
		var at string
		if err := rows.Scan(&c.CaseID, &c.Number, &c.ItemName, &c.LinkedBy, &at); err != nil {
			return nil, apperr.Wrap(err, "hall: linked cases")
		}
		c.LinkedAt = store.ParseTime(at)
		out = append(out, c)
	}
	return out, apperr.Wrap(rows.Err(), "hall: linked cases")
}

func init() {
	metrics.DescribeHistogram("onewindow_hall_wait_seconds", "time from taking a ticket to its first call, by service point",
		[]float64{60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200})
}
