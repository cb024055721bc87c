package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
)

// RemindDueTomorrow tells the reviewers of each running case whose
// promised date is the next working day after now's China day, once per
// case and date. The cases are read once an hour (the hour's claim is taken
// first, so a scheduler running every minute on several servers reads them
// once an hour, and a case accepted during the day is still found), and each reminder is claimed under its own key with
// the outbox row that carries it. A scheduler job of serve.
func (n *Notifier) RemindDueTomorrow(ctx context.Context, now time.Time, nextWorkingDay func(time.Time) (time.Time, bool)) (int, error) {
	today := clock.CivilDate(now)
	next, _ := nextWorkingDay(today)
	due := next.Format("2006-01-02")
	at := store.FormatTime(now)
	done := 0
	err := n.db.InTx(ctx, func(tx *store.Tx) error {
		done = 0
		res, err := tx.ExecContext(ctx, `INSERT INTO notify_once (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
			"due-tomorrow-scan:"+now.In(clock.China).Format("2006-01-02T15"), at)
		if err != nil {
			return apperr.Wrap(err, "notify: due tomorrow")
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil // today's scan is done
		}
		rs, err := tx.QueryContext(ctx, `SELECT id, number, item_name, department_code, point_code FROM cases
			WHERE department_code <> '' AND state IN ('accepted', 'in_review') AND promised_due = ? AND paused_since = '' ORDER BY id`, due)
		if err != nil {
			return apperr.Wrap(err, "notify: due tomorrow")
		}
		type dueCase struct {
			id                        int64
			number, item, dept, point string
		}
		var cs []dueCase
		for rs.Next() {
			var c dueCase
			if err := rs.Scan(&c.id, &c.number, &c.item, &c.dept, &c.point); err != nil {
				rs.Close()
				return apperr.Wrap(err, "notify: due tomorrow")
			}
			cs = append(cs, c)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return apperr.Wrap(err, "notify: due tomorrow")
		}
		for _, c := range cs {
			res, err := tx.ExecContext(ctx, `INSERT INTO notify_once (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
				fmt.Sprintf("due-tomorrow:%d:%s", c.id, due), at)
			if err != nil {
				return apperr.Wrap(err, "notify: due tomorrow")
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			if err := outbox.Add(ctx, tx, now, "case.due_tomorrow", map[string]any{"case": c.number, "item": c.item, "due": due, "department": c.dept, "point": c.point},
				"department:"+c.dept+":reviewers"); err != nil {
				return err
			}
			done++
		}
		return nil
	})
	return done, err
}
