package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// The stage of every scenario: the demo's county hall, a county-level item
// with required materials, and the demo staff who work there.
const (
	benchPoint    = demo.CountyHall
	benchItem     = demo.CodeMedicalOutOfArea
	benchDesk     = "hn_qiantai" // front desk of the county hall
	benchReviewer = "yb_shenpi"  // reviewer of the item's department (医疗保障局)
	benchPhone    = "13904350002"
)

// benchIDNumber is the identity number of the demo applicant 周明.
var benchIDNumber = ident.GenerateIDCard("220523", time.Date(1975, 8, 2, 0, 0, 0, 0, time.UTC), 17)

// Search queries: a name in characters and the same name's pinyin initials.
var searchQueries = []string{"营业执照", "yyzz"}

type caseRef struct {
	ID      int64  `json:"id"`
	Number  string `json:"number"`
	Version int    `json:"version"`
}

// intake creates a case at the front desk, with the required materials
// presented, and accepts it: two requests, each one transaction on the
// server (number, case, materials, event, audit, outbox).
func (e *env) intake(ctx context.Context) error {
	_, err := e.createAccept(ctx, false)
	return err
}

// createAccept is intake; with keep it returns the case as the accept left
// it (its answer decoded), for the next steps of a case's life.
func (e *env) createAccept(ctx context.Context, keep bool) (caseRef, error) {
	body := map[string]any{"item": e.item.Code, "materials": e.materials,
		"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": benchIDNumber, "phone": benchPhone}}
	var c caseRef
	if err := e.client.Do(ctx, "POST", "/api/v1/cases", e.deskToken, body, 201, &c); err != nil {
		return c, err
	}
	var accepted any
	if keep {
		accepted = &c
	}
	if err := e.client.Do(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/actions/accept", c.ID), e.deskToken,
		map[string]any{"version": c.Version}, 200, accepted); err != nil {
		return c, err
	}
	e.addNumber(c.Number)
	return c, nil
}

func (e *env) addNumber(n string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.numbers) < 100_000 {
		e.numbers = append(e.numbers, n)
		return
	}
	e.numbers[rand.IntN(len(e.numbers))] = n
}

func (e *env) randomNumber() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.numbers[rand.IntN(len(e.numbers))]
}

// status reads a case by its number, as the front desk does when someone
// asks how their case stands.
func (e *env) status(ctx context.Context) error {
	return e.client.Do(ctx, "GET", "/api/v1/case-numbers/"+url.PathEscape(e.randomNumber()), e.deskToken, nil, 200, nil)
}

// queue reads the department's work queue, earliest due first, as a reviewer.
func (e *env) queue(ctx context.Context) error {
	return e.client.Do(ctx, "GET", "/api/v1/cases?sort=due", e.reviewerToken, nil, 200, nil)
}

// search queries the public catalogue.
func (e *env) search(ctx context.Context, q string) error {
	var out struct {
		Total int `json:"total"`
	}
	if err := e.client.Do(ctx, "GET", "/api/v1/items?q="+url.QueryEscape(q), "", nil, 200, &out); err != nil {
		return err
	}
	if out.Total == 0 {
		return fmt.Errorf("search %q found nothing", q)
	}
	return nil
}

// callNext calls the next ticket at window i and, outside the measure,
// starts and finishes serving it, as a window does before calling again.
func (e *env) callNext(ctx context.Context, i int) Outcome {
	ws, tok := e.windows[i], e.windowTokens[i]
	base := "/api/v1/points/" + benchPoint
	var t struct {
		ID int64 `json:"id"`
	}
	// A call is never abandoned half way (the client's own timeout still
	// bounds it): a ticket called without the window knowing would keep
	// the window busy for the rest of the bench.
	ctx = context.WithoutCancel(ctx)
	t0 := time.Now()
	err := e.client.Do(ctx, "POST", base+"/windows/"+ws.Window+"/call-next", tok, nil, 200, &t)
	d := time.Since(t0)
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) && se.Status == 409 && strings.Contains(se.Body, "window_busy") {
			e.freeWindow(ctx, i)
		}
		return Outcome{Kind: "call-next", Err: err}
	}
	if err := e.serveTicket(ctx, i, t.ID); err != nil {
		return Outcome{Kind: "call-next", Err: err}
	}
	return Outcome{Kind: "call-next", Latency: d}
}

// serveTicket starts and finishes serving a called ticket at window i.
func (e *env) serveTicket(ctx context.Context, i int, id int64) error {
	base := "/api/v1/points/" + benchPoint
	for _, step := range []string{"start", "finish"} {
		err := e.client.Do(ctx, "POST", fmt.Sprintf("%s/tickets/%d/%s", base, id, step), e.windowTokens[i], nil, 200, nil)
		var se *StatusError
		if step == "start" && errors.As(err, &se) && se.Status == 409 {
			continue // already being served: finish it
		}
		if err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
	}
	return nil
}

// freeWindow finishes whatever ticket window i still has called or in
// service (left by a call whose answer was lost), so that it can call again.
func (e *env) freeWindow(ctx context.Context, i int) {
	if e.db == nil {
		return
	}
	rows, err := e.db.QueryContext(ctx, `SELECT id FROM hall_tickets WHERE point_code = ? AND window_code = ? AND status IN ('called', 'serving')`,
		benchPoint, e.windows[i].Window)
	if err != nil {
		return
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if rows.Scan(&id) == nil {
			ids = append(ids, id)
		}
	}
	rows.Close()
	for _, id := range ids {
		e.serveTicket(ctx, i, id)
	}
}

// prepareHall sets up the bench's windows, signs their staff in and fills
// the queue with enough tickets for tickets calls.
func (e *env) prepareHall(ctx context.Context, tickets int) error {
	if e.db == nil {
		return errors.New("call-next needs the server's database (--db) to set up windows and a queue")
	}
	if len(e.windows) == 0 {
		ws, err := AddWindows(ctx, e.db, benchPoint, e.cfg.Windows, "bench_win", benchPassword, []string{"A", "E"})
		if err != nil {
			return err
		}
		e.windows = ws
		for _, w := range ws {
			tok, err := e.client.Login(ctx, w.Username, benchPassword)
			if err != nil {
				return fmt.Errorf("sign in %s: %w", w.Username, err)
			}
			if err := e.client.Do(ctx, "POST", "/api/v1/points/"+benchPoint+"/windows/"+w.Window+"/sign-in", tok, nil, 200, nil); err != nil {
				return err
			}
			e.windowTokens = append(e.windowTokens, tok)
		}
		e.freeWindows = make(chan int, len(ws))
		for i := range ws {
			e.freeWindows <- i
		}
	}
	return SeedTickets(ctx, e.db, benchPoint, "A", tickets, time.Now())
}

// benchPassword is the password of the window staff the bench adds.
const benchPassword = "bench-window-2026"

// scenario is one named workload; run returns its samples, one per result
// row it reports.
type scenario struct {
	name string
	run  func(ctx context.Context, e *env) ([]resultSample, error)
}

// resultSample is one row of the report from one run.
type resultSample struct {
	name        string
	mode        string
	concurrency int
	rate        float64
	sample      *Sample
	kind        string
}

func (e *env) bounds() Bounds { return Bounds{Requests: e.cfg.Requests, Duration: e.cfg.Duration} }

// intakeBounds are the bounds of each of the intake scenario's writers.
func (e *env) intakeBounds() Bounds {
	return Bounds{Requests: e.cfg.IntakeRequests, Duration: e.cfg.Duration}
}

func intakeScenario(ctx context.Context, e *env) ([]resultSample, error) {
	c := e.cfg.Concurrency
	e.notifierSettled(ctx)
	cpu := e.serverCPU()
	app := RunClosed(ctx, c, e.intakeBounds(), "intake", func(ctx context.Context, _ int) Outcome {
		return Outcome{Err: e.intake(ctx)}
	})
	out := []resultSample{{name: "intake (app)", mode: "closed", concurrency: c, sample: app, kind: "intake"}}
	e.notifierBacklog(ctx)
	e.noteCPU(cpu, app)
	if e.raw == nil {
		e.note("intake: no raw comparison (the server's database was not given)")
		return out, nil
	}
	raw := RunClosed(ctx, c, e.intakeBounds(), "intake", func(ctx context.Context, _ int) Outcome {
		return Outcome{Err: e.raw.Intake(ctx)}
	})
	out = append(out, resultSample{name: "intake (raw)", mode: "closed", concurrency: c, sample: raw, kind: "intake"})
	ideal := e.idealIntakes(ctx)
	return append(out, resultSample{name: "intake (ideal)", mode: "closed", concurrency: 1, sample: ideal, kind: "intake"}), nil
}

// serverCPU is the started server's CPU time so far (0 when unknown).
func (e *env) serverCPU() time.Duration {
	if e.server == nil {
		return 0
	}
	d, _ := CPUOf(e.server.Pid())
	return d
}

// noteCPU notes the server's CPU time per intake of an app run that began
// when the server had used since: with the notifier on, up to the moment
// its last message of the run was out, so that the figure holds all the
// notifier's work for the run's intakes.
func (e *env) noteCPU(since time.Duration, s *Sample) {
	now := e.serverCPU()
	ops := 0
	if k := s.Kinds["intake"]; k != nil {
		ops = len(k.Latencies)
	}
	if since == 0 || now == 0 || ops == 0 {
		return
	}
	e.note(fmt.Sprintf("intake (app): the server used %.2f ms of CPU per intake (%d intakes, %.1f s of CPU)",
		float64(now-since)/float64(time.Millisecond)/float64(ops), ops, (now - since).Seconds()))
}

// idealBatch is how many intakes the ideal writer commits at once: their 16
// transactions' rows, as many as group commit can share when the 16 workers
// of the app's intake all wait for the same commit.
const idealBatch = 8

// idealIntakes runs the ideal writer within the bounds: one goroutine, the
// same rows as the raw intake, idealBatch intakes per plain commit. Every
// intake of a batch counts with the batch's time.
func (e *env) idealIntakes(ctx context.Context) *Sample {
	s := newSample()
	b := e.intakeBounds()
	start := time.Now()
	for done := 0; done < b.Requests && time.Since(start) < b.Duration && ctx.Err() == nil; done += idealBatch {
		t0 := time.Now()
		err := e.raw.IdealIntakes(ctx, idealBatch)
		d := time.Since(t0)
		for range idealBatch {
			s.add("intake", d, err)
		}
	}
	s.Elapsed = time.Since(start)
	return s
}

func readScenario(ctx context.Context, e *env) ([]resultSample, error) {
	if err := e.ensureNumbers(ctx); err != nil {
		return nil, err
	}
	status := RunOpen(ctx, float64(e.cfg.ReadRate), e.cfg.OpenWorkers, e.bounds(), "status", func(ctx context.Context, _ int) Outcome {
		return Outcome{Err: e.status(ctx)}
	})
	queue := RunClosed(ctx, e.cfg.Concurrency, e.bounds(), "queue", func(ctx context.Context, _ int) Outcome {
		return Outcome{Err: e.queue(ctx)}
	})
	return []resultSample{
		{name: "status by number", mode: "open", rate: float64(e.cfg.ReadRate), concurrency: e.cfg.OpenWorkers, sample: status, kind: "status"},
		{name: "work queue (due)", mode: "closed", concurrency: e.cfg.Concurrency, sample: queue, kind: "queue"},
	}, nil
}

// searchScenario measures each catalogue query at a fixed arrival rate (the
// latency people see) and with Concurrency workers back to back (how many
// the server answers per second when saturated).
func searchScenario(ctx context.Context, e *env) ([]resultSample, error) {
	var out []resultSample
	for _, q := range searchQueries {
		op := func(ctx context.Context, _ int) Outcome { return Outcome{Err: e.search(ctx, q)} }
		open := RunOpen(ctx, float64(e.cfg.SearchRate), e.cfg.OpenWorkers, e.bounds(), "search", op)
		closed := RunClosed(ctx, e.cfg.Concurrency, e.bounds(), "search", op)
		out = append(out,
			resultSample{name: "search " + q, mode: "open", rate: float64(e.cfg.SearchRate), concurrency: e.cfg.OpenWorkers, sample: open, kind: "search"},
			resultSample{name: "search " + q + " (saturated)", mode: "closed", concurrency: e.cfg.Concurrency, sample: closed, kind: "search"})
	}
	return out, nil
}

// callNextScenario has Windows windows call the next ticket: at a fixed
// rate over all of them (each call takes whichever window is free), and all
// at once, back to back (a hall opening its doors, and the capacity).
func callNextScenario(ctx context.Context, e *env) ([]resultSample, error) {
	if err := e.prepareHall(ctx, 2*e.cfg.Requests+2*e.cfg.Windows); err != nil {
		return nil, err
	}
	open := RunOpen(ctx, float64(e.cfg.CallRate), e.cfg.Windows, e.bounds(), "call-next", func(ctx context.Context, _ int) Outcome {
		select {
		case w := <-e.freeWindows:
			defer func() { e.freeWindows <- w }()
			return e.callNext(ctx, w)
		case <-ctx.Done():
			return Outcome{Err: ctx.Err()}
		}
	})
	closed := RunClosed(ctx, len(e.windows), e.bounds(), "call-next", func(ctx context.Context, w int) Outcome {
		return e.callNext(ctx, w)
	})
	n := len(e.windows)
	return []resultSample{
		{name: fmt.Sprintf("call-next (%d windows)", n), mode: "open", rate: float64(e.cfg.CallRate), concurrency: n, sample: open, kind: "call-next"},
		{name: fmt.Sprintf("call-next (%d windows, all at once)", n), mode: "closed", concurrency: n, sample: closed, kind: "call-next"},
	}, nil
}

// mixedScenario is a hall's morning peak at a set arrival rate: people
// asking how their case stands, browsing the catalogue, windows accepting
// cases and calling the next ticket, reviewers opening their queue.
func mixedScenario(ctx context.Context, e *env) ([]resultSample, error) {
	if err := e.ensureNumbers(ctx); err != nil {
		return nil, err
	}
	withHall := e.prepareHall(ctx, e.cfg.Requests/4+2*e.cfg.Windows) == nil
	type weighted struct {
		kind   string
		weight int
	}
	mix := []weighted{{"status", 30}, {"search", 25}, {"intake", 15}, {"queue", 10}, {"call-next", 20}}
	if !withHall {
		mix = mix[:4]
		e.note("mixed: without call-next (no database to set up the hall)")
	}
	total := 0
	for _, m := range mix {
		total += m.weight
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func() string {
		mu.Lock()
		defer mu.Unlock()
		r := rng.IntN(total)
		for _, m := range mix {
			if r < m.weight {
				return m.kind
			}
			r -= m.weight
		}
		return mix[0].kind
	}
	s := RunOpen(ctx, float64(e.cfg.MixedRate), e.cfg.OpenWorkers, e.bounds(), "mixed", func(ctx context.Context, _ int) Outcome {
		kind := pick()
		switch kind {
		case "status":
			return Outcome{Kind: kind, Err: e.status(ctx)}
		case "search":
			return Outcome{Kind: kind, Err: e.search(ctx, searchQueries[rand.IntN(len(searchQueries))])}
		case "intake":
			return Outcome{Kind: kind, Err: e.intake(ctx)}
		case "queue":
			return Outcome{Kind: kind, Err: e.queue(ctx)}
		}
		select {
		case w := <-e.freeWindows:
			defer func() { e.freeWindows <- w }()
			return e.callNext(ctx, w)
		default:
			// Every window is busy with someone: this person asks at the desk.
			return Outcome{Kind: "status", Err: e.status(ctx)}
		}
	})
	var out []resultSample
	for _, m := range mix {
		out = append(out, resultSample{name: "mixed: " + m.kind, mode: "open", rate: float64(e.cfg.MixedRate), concurrency: e.cfg.OpenWorkers, sample: s, kind: m.kind})
	}
	return out, nil
}

// ensureNumbers makes sure there are case numbers to read: the bulk
// cases at the hall, or a few hundred intakes.
func (e *env) ensureNumbers(ctx context.Context) error {
	e.mu.Lock()
	have := len(e.numbers)
	e.mu.Unlock()
	if have >= 200 {
		return nil
	}
	if e.db != nil {
		rows, err := e.db.QueryContext(ctx, `SELECT number FROM cases WHERE point_code = ? ORDER BY id DESC LIMIT 20000`, benchPoint)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			e.addNumber(n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for range 200 {
		e.mu.Lock()
		have := len(e.numbers)
		e.mu.Unlock()
		if have >= 200 {
			break
		}
		if err := e.intake(ctx); err != nil {
			return fmt.Errorf("intakes to have cases to read: %w", err)
		}
	}
	return nil
}
