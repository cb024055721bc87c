package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Generated tells what GenerateCases wrote.
type Generated struct {
	Cases   int           `json:"cases"`
	Events  int           `json:"events"`
	Elapsed time.Duration `json:"-"`
	Seconds float64       `json:"seconds"`
}

type bulkItem struct {
	code, name, department string
	version, promised      int
}

// GenerateCases writes n cases spread over the year before now, at every
// service point, for every published item, in the states a year of work
// leaves them in (mostly closed; the last weeks' cases still open), with
// their creation and acceptance events. It writes batched multi-row
// INSERTs, 50,000 cases to a transaction, not through the API: the point is
// a big table to read from, fast. Numbers come from the same per-point,
// per-day counters the service uses (advanced to match), so cases created
// afterwards through the API never collide. No audit or outbox rows are
// written: nothing under test reads them.
func GenerateCases(ctx context.Context, db *store.DB, n int, now time.Time, seed uint64) (Generated, error) {
	return GenerateCasesOver(ctx, db, n, 365, now, seed)
}

// GenerateCasesOver is GenerateCases with the cases spread over days days
// before now instead of a year: ten times the days and ten times the cases
// make a history ten times as long with as many cases a day, and as many
// open (the last weeks'), as the shorter one.
func GenerateCasesOver(ctx context.Context, db *store.DB, n, days int, now time.Time, seed uint64) (Generated, error) {
	if days <= 0 {
		days = 365
	}
	start := time.Now()
	if n <= 0 {
		return Generated{}, nil
	}
	items, err := bulkItems(ctx, db)
	if err != nil {
		return Generated{}, err
	}
	points, err := bulkPoints(ctx, db)
	if err != nil {
		return Generated{}, err
	}
	var nextID int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM cases`).Scan(&nextID); err != nil {
		return Generated{}, fmt.Errorf("bench: generate: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// The county hall takes half the cases, as the busiest place does.
	pickPoint := func() string {
		if rng.IntN(2) == 0 {
			return points[0]
		}
		return points[rng.IntN(len(points))]
	}
	// Cases are written in the order they were created, as a year of work
	// writes them: the indexes on time and number then grow at their end
	// instead of taking writes all over.
	type arrival struct {
		at    time.Time
		point string
	}
	arrivals := make([]arrival, n)
	for i := range arrivals {
		ageDays := rng.IntN(days)
		arrivals[i] = arrival{at: now.Add(-time.Duration(ageDays)*24*time.Hour - time.Duration(rng.IntN(8*3600))*time.Second), point: pickPoint()}
	}
	slices.SortFunc(arrivals, func(a, b arrival) int { return a.at.Compare(b.at) })
	if db.Dialect() == store.SQLite {
		// A page cache big enough for the indexes being filled; this is the
		// bench's own connection, the server's keep their settings.
		if _, err := db.Writer().ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return Generated{}, err
		}
		defer db.Writer().ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
	}
	triggersOff := pgTriggersOff(ctx, db) // bulkpg.go
	counters := map[[2]string]int{}
	today := workday.DateOf(now)
	g := Generated{}
	const perTx = 50_000
	for done := 0; done < n; {
		size := min(perTx, n-done)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if triggersOff {
				if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
					return err
				}
			}
			cases := newBatch(ctx, tx, `INSERT INTO cases (id, number, item_code, item_version, item_name, department_code, point_code, state, version,
				channel, applicant_kind, applicant_name, applicant_id_number, applicant_phone, acting_staff_id, created_by,
				accepted_at, promised_due, legal_due, warn_from, promised_limit, decided_at, issued_at, created_at, updated_at)`, 25, 400)
			events := newBatch(ctx, tx, `INSERT INTO case_events (case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data)`, 10, 1000)
			events.before = cases.flush // an event's case must be there first
			for i := range size {
				id := nextID + int64(done+i)
				it := items[rng.IntN(len(items))]
				point, created := arrivals[done+i].point, arrivals[done+i].at
				ageDays := int(now.Sub(created).Hours() / 24)
				day := workday.DateOf(created).Format("20060102")
				key := [2]string{point, day}
				counters[key]++
				number := fmt.Sprintf("%s-%s-%05d", point, day, counters[key])
				state := bulkState(rng, ageDays)
				createdAt := store.FormatTime(created)
				var acceptedAt, promisedDue, legalDue, warnFrom, decidedAt, issuedAt string
				if accepted(state) {
					acceptedAt = store.FormatTime(created.Add(10 * time.Minute))
					d := workday.DateOf(created)
					due := d.AddDate(0, 0, it.promised+it.promised/5*2+1)
					promisedDue = workday.FormatDate(due)
					legalDue = workday.FormatDate(due.AddDate(0, 0, 10))
					warnFrom = workday.FormatDate(due.AddDate(0, 0, -2))
					if due.Before(today) && (state == "accepted" || state == "in_review") && rng.IntN(10) > 0 {
						// Most open cases are on time: move them into the coming weeks.
						due = today.AddDate(0, 0, 1+rng.IntN(20))
						promisedDue, warnFrom = workday.FormatDate(due), workday.FormatDate(due.AddDate(0, 0, -2))
					}
				}
				if decided(state) {
					decidedAt = store.FormatTime(created.Add(72 * time.Hour))
				}
				if state == "issued" || state == "closed" {
					issuedAt = store.FormatTime(created.Add(96 * time.Hour))
				}
				name := bulkNames[rng.IntN(len(bulkNames))]
				idNumber := ident.GenerateIDCard("220523", time.Date(1950+rng.IntN(55), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC), rng.IntN(999))
				phone := fmt.Sprintf("139%08d", rng.IntN(100_000_000))
				if err := cases.add(id, number, it.code, it.version, it.name, it.department, point, state, 3,
					"window", "person", name, idNumber, phone, 1, 1,
					store.Stamp(acceptedAt), promisedDue, legalDue, warnFrom, it.promised, store.Stamp(decidedAt), store.Stamp(issuedAt), createdAt, createdAt); err != nil {
					return err
				}
				if err := events.add(id, createdAt, 1, "bench", "front_desk", "create", "", "received", "", "{}"); err != nil {
					return err
				}
				g.Events++
				if accepted(state) {
					if err := events.add(id, acceptedAt, 1, "bench", "front_desk", "accept", "received", "accepted", "", `{"promised_due":"`+promisedDue+`"}`); err != nil {
						return err
					}
					g.Events++
				}
			}
			if err := cases.flush(); err != nil {
				return err
			}
			return events.flush()
		})
		if err != nil {
			return g, fmt.Errorf("bench: generate cases: %w", err)
		}
		done += size
		g.Cases = done
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for key, last := range counters {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO case_counters (point_code, day, last) VALUES (?, ?, ?)
				ON CONFLICT (point_code, day) DO UPDATE SET last = case_counters.last + ?`, key[0], key[1], last, last); err != nil {
				return err
			}
		}
		if db.Dialect() == store.Postgres {
			// Explicit ids do not move an identity column's sequence.
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))`); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return g, fmt.Errorf("bench: generate cases: counters: %w", err)
	}
	if triggersOff {
		if err := recountKept(ctx, db); err != nil {
			return g, err
		}
	}
	if db.Dialect() == store.Postgres {
		// What autovacuum does shortly after a load this size: statistics
		// for the planner, and the visibility map that lets counts read
		// the index alone; and the kept counts, which the load's triggers
		// rewrote once per case and left full of dead row versions.
		for _, table := range []string{"cases", "case_events", "case_counters", "case_month_figures", "case_month_points",
			"case_month_departments", "case_state_counts", "case_state_counts_departments", "item_use",
			"case_sla_points", "case_sla_departments"} {
			if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE) `+table); err != nil {
				return g, err
			}
		}
	}
	g.Elapsed = time.Since(start)
	g.Seconds = g.Elapsed.Seconds()
	return g, nil
}

var bulkNames = []string{"王芳", "李伟", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴秀英", "徐明", "孙燕", "马军", "朱红", "胡斌"}

// bulkState picks the state a case of ageDays is in.
func bulkState(rng *rand.Rand, ageDays int) string {
	r := rng.IntN(100)
	if ageDays > 20 {
		switch {
		case r < 82:
			return "closed"
		case r < 88:
			return "issued"
		case r < 92:
			return "not_accepted"
		case r < 96:
			return "withdrawn"
		default:
			return "refused"
		}
	}
	switch {
	case r < 10:
		return "received"
	case r < 15:
		return "supplement_required"
	case r < 30:
		return "accepted"
	case r < 75:
		return "in_review"
	case r < 80:
		return "approved"
	case r < 90:
		return "ready_for_issue"
	default:
		return "issued"
	}
}

func accepted(state string) bool {
	switch state {
	case "received", "supplement_required", "not_accepted", "withdrawn":
		return false
	}
	return true
}

func decided(state string) bool {
	switch state {
	case "approved", "refused", "ready_for_issue", "issued", "closed":
		return true
	}
	return false
}

func bulkItems(ctx context.Context, db *store.DB) ([]bulkItem, error) {
	rows, err := db.QueryContext(ctx, `SELECT item_code, version, name, department_code, promised_limit_days FROM item_versions WHERE status = 'published'`)
	if err != nil {
		return nil, fmt.Errorf("bench: items: %w", err)
	}
	defer rows.Close()
	var out []bulkItem
	for rows.Next() {
		var it bulkItem
		if err := rows.Scan(&it.code, &it.version, &it.name, &it.department, &it.promised); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("bench: no published items to make cases of: load the demo data first")
	}
	return out, nil
}

// bulkPoints lists the service points, the busiest (the county hall) first.
func bulkPoints(ctx context.Context, db *store.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT code FROM service_points ORDER BY level, code`)
	if err != nil {
		return nil, fmt.Errorf("bench: points: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("bench: no service points: load the demo data first")
	}
	for i, c := range out {
		if c == benchPoint {
			out[0], out[i] = out[i], out[0]
		}
	}
	return out, nil
}

// batch collects rows for one multi-row INSERT and sends them rowsPer at a
// time: one statement and one round trip for hundreds of rows.
type batch struct {
	ctx     context.Context
	tx      *store.Tx
	head    string
	cols    int
	rowsPer int
	full    string
	args    []any
	rows    int
	before  func() error // runs before each flush
}

func newBatch(ctx context.Context, tx *store.Tx, head string, cols, rowsPer int) *batch {
	b := &batch{ctx: ctx, tx: tx, head: head, cols: cols, rowsPer: rowsPer}
	b.full = b.statement(rowsPer)
	return b
}

func (b *batch) statement(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", b.cols), ", ") + ")"
	var s strings.Builder
	s.WriteString(b.head)
	s.WriteString(" VALUES ")
	for i := range rows {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteString(one)
	}
	return s.String()
}

func (b *batch) add(vals ...any) error {
	if len(vals) != b.cols {
		return fmt.Errorf("bench: batch row has %d values, want %d", len(vals), b.cols)
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.rowsPer {
		return b.flush()
	}
	return nil
}

func (b *batch) flush() error {
	if b.rows == 0 {
		return nil
	}
	if b.before != nil {
		if err := b.before(); err != nil {
			return err
		}
	}
	q := b.full
	if b.rows != b.rowsPer {
		q = b.statement(b.rows)
	}
	if _, err := b.tx.ExecContext(b.ctx, q, b.args...); err != nil {
		return err
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}
