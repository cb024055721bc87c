package hall

import (
	"context"
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// Kinds of board event.
const (
	BoardSnapshot = "snapshot" // the whole board, sent first to a new viewer
	BoardTicket   = "ticket"   // a ticket was taken (waiting counts change)
	BoardCall     = "call"     // 请 A001 号到 05 号窗口
	BoardRecall   = "recall"
	BoardServing  = "serving"
	BoardDone     = "done"
	BoardNoShow   = "no_show"
	BoardTransfer = "transfer"
	BoardCancel   = "cancel"
	BoardWaiting  = "waiting" // the waiting count per category, sent with each batch of events
)

// BoardEvent is one change of a hall's display board. Seq increases by one
// per event of a point, in commit order, across every server process.
type BoardEvent struct {
	Seq  int64           `json:"seq"`
	Kind string          `json:"kind"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

// appendBoard records a board event in tx; callers make it their last
// statement. The head row of the point is updated first and stays locked
// until commit, so that the events of one point commit in seq order (see the
// migration). Waiting counts are not stored: the board reads them when it
// sends events, so they are current rather than as of each event.
func (s *Service) appendBoard(ctx context.Context, tx *store.Tx, point string, now time.Time, kind string, data map[string]any) error {
	var seq int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO hall_board_heads (point_code, last) VALUES (?, 1)
		ON CONFLICT (point_code) DO UPDATE SET last = hall_board_heads.last + 1
		RETURNING last`, point).Scan(&seq)
	if err != nil {
		return apperr.Wrap(err, "hall: board sequence")
	}
	b, err := json.Marshal(data)
	if err != nil {
		return apperr.Wrap(err, "hall: board event")
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO hall_board_events (point_code, seq, at, kind, data) VALUES (?, ?, ?, ?, ?)`,
		point, seq, store.FormatTime(now), kind, string(b))
	return apperr.Wrap(err, "hall: board event")
}

// Waiting returns the waiting tickets of a point today, per category.
func (s *Service) Waiting(ctx context.Context, point string) (map[string]int, error) {
	return waitingCounts(ctx, s.db, point, DayOf(s.Now()))
}

// waitingCounts counts the waiting tickets of a day per category.
func waitingCounts(ctx context.Context, q store.Querier, point, day string) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT category, COUNT(*) FROM hall_tickets
		WHERE point_code = ? AND day = ? AND status = 'waiting' GROUP BY category`, point, day)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: waiting counts")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, apperr.Wrap(err, "hall: waiting counts")
		}
		out[c] = n
	}
	return out, apperr.Wrap(rows.Err(), "hall: waiting counts")
}

func boardTicketData(t Ticket) map[string]any {
	return map[string]any{"number": t.Number, "category": t.Category}
}

func boardCallData(t Ticket, w Window) map[string]any {
	return map[string]any{"number": t.Number, "category": t.Category, "window": w.Code, "window_name": w.Name, "calls": t.Calls}
}

// BoardCalling is a ticket shown as called at a window.
type BoardCalling struct {
	Number     string    `json:"number"`
	Category   string    `json:"category"`
	Window     string    `json:"window"`
	WindowName string    `json:"window_name"`
	Status     string    `json:"status"`
	CalledAt   time.Time `json:"called_at"`
}

// Board is the whole display of a hall at one moment. Seq is the last
// event it includes: a viewer continues with the events after it.
type Board struct {
	Point      string         `json:"point"`
	Day        string         `json:"day"`
	Seq        int64          `json:"seq"`
	Calling    []BoardCalling `json:"calling"`
	Waiting    map[string]int `json:"waiting"`
	Categories []Category     `json:"categories"`
}

// BoardState returns the board as it stands. The sequence is read before
// the state, so a change made in between shows both in the state and as a
// later event; showing it twice is harmless, missing it would not be.
func (s *Service) BoardState(ctx context.Context, point string) (Board, error) {
	if _, err := s.point(ctx, point); err != nil {
		return Board{}, err
	}
	b := Board{Point: point, Day: DayOf(s.Now()), Calling: []BoardCalling{}}
	seq, err := s.BoardHead(ctx, point)
	if err != nil {
		return Board{}, err
	}
	b.Seq = seq
	if b.Waiting, err = waitingCounts(ctx, s.db, point, b.Day); err != nil {
		return Board{}, err
	}
	if b.Categories, err = categoriesOf(ctx, s.db, point); err != nil {
		return Board{}, err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT t.number, t.category, t.window_code, COALESCE(w.name, ''), t.status, t.called_at
		FROM hall_tickets t LEFT JOIN hall_windows w ON w.point_code = t.point_code AND w.code = t.window_code
		WHERE t.point_code = ? AND t.day = ? AND t.status IN ('called', 'serving')
		ORDER BY t.called_at DESC, t.id DESC`, point, b.Day)
	if err != nil {
		return Board{}, apperr.Wrap(err, "hall: board")
	}
	defer rows.Close()
	for rows.Next() {
		var c BoardCalling
		var at string
		if err := rows.Scan(&c.Number, &c.Category, &c.Window, &c.WindowName, &c.Status, &at); err != nil {
			return Board{}, apperr.Wrap(err, "hall: board")
		}
		c.CalledAt = store.ParseTime(at)
		b.Calling = append(b.Calling, c)
	}
	return b, apperr.Wrap(rows.Err(), "hall: board")
}

// BoardHead returns the last event sequence of a point (0 before any).
func (s *Service) BoardHead(ctx context.Context, point string) (int64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(last), 0) FROM hall_board_heads WHERE point_code = ?`, point).Scan(&seq)
	return seq, apperr.Wrap(err, "hall: board head")
}

// BoardEvents returns up to limit events of a point after seq, oldest first.
func (s *Service) BoardEvents(ctx context.Context, point string, after int64, limit int) ([]BoardEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, kind, at, data FROM hall_board_events
		WHERE point_code = ? AND seq > ? ORDER BY seq LIMIT ?`, point, after, limit)
	if err != nil {
		return nil, apperr.Wrap(err, "hall: board events")
	}
	defer rows.Close()
	var out []BoardEvent
	for rows.Next() {
		var e BoardEvent
		var at, data string
		if err := rows.Scan(&e.Seq, &e.Kind, &at, &data); err != nil {
			return nil, apperr.Wrap(err, "hall: board events")
		}
		e.At, e.Data = store.ParseTime(at), json.RawMessage(data)
		out = append(out, e)
	}
	return out, apperr.Wrap(rows.Err(), "hall: board events")
}

// PruneBoard deletes board events older than before; viewers reconnecting
// after that get a fresh snapshot instead of a replay.
func (s *Service) PruneBoard(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM hall_board_events WHERE at < ?`, store.FormatTime(before))
	if err != nil {
		return 0, apperr.Wrap(err, "hall: prune board")
	}
	return res.RowsAffected()
}
