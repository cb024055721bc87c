package hall

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/metrics"
)

// WaitingGauge is the metric of the tickets waiting now at each point.
const WaitingGauge = "onewindow_hall_tickets_waiting"

// waitingGaugeTimeout bounds the count at each scrape: a busy database
// leaves the gauge out of one scrape rather than holding up /metrics.
const waitingGaugeTimeout = 2 * time.Second

// WatchWaiting serves onewindow_hall_tickets_waiting{point} at /metrics,
// counted from the database at each scrape by one grouped query. Points
// with tickets today are listed (0 once their queue is empty), so that a
// queue that empties shows as 0 rather than as a series gone stale. The
// returned function stops serving it.
func (s *Service) WatchWaiting() (stop func()) {
	return metrics.WatchGauge(WaitingGauge, waitingGaugeTimeout, s.waitingByPoint)
}

func init() {
	metrics.DescribeRead(WaitingGauge, "tickets waiting now at each service point (taken today, not yet called)", "point")
}

// waitingByPoint counts today's waiting tickets of every point that has
// tickets today. The join is driven from service_points so that each
// point's count reads today's entries of the (point_code, day, status)
// index instead of the whole ticket history: SQLite's planner scans the
// tickets first for a plain JOIN (190 ms at 500,000 tickets, against 5 ms
// so), and takes CROSS JOIN as an order to keep; PostgreSQL plans it as
// any inner join.
func (s *Service) waitingByPoint(ctx context.Context) (map[string]float64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.code, SUM(CASE WHEN t.status = 'waiting' THEN 1 ELSE 0 END)
		FROM service_points p CROSS JOIN hall_tickets t
		WHERE t.point_code = p.code AND t.day = ?
		GROUP BY p.code`, DayOf(s.Now()))
	if err != nil {
		return nil, apperr.Wrap(err, "hall: waiting tickets by point")
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var point string
		var n int64
		if err := rows.Scan(&point, &n); err != nil {
			return nil, apperr.Wrap(err, "hall: waiting tickets by point")
		}
		out[point] = float64(n)
	}
	return out, apperr.Wrap(rows.Err(), "hall: waiting tickets by point")
}
