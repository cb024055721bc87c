package reliability_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/bench"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// binary is the onewindow command built once from this tree for all tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "onewindow-reliability-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "onewindow")
	build := exec.Command(goTool(), "build", "-o", binary, "github.com/onewindow/onewindow/cmd/onewindow")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "build onewindow: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// eachDatabase runs fn on a fresh SQLite file and, when asked for, a fresh
// PostgreSQL schema; fn gets the DSN the servers are started with.
func eachDatabase(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "onewindow.db")) })
	if base := storetest.PostgresURL(); base != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, storetest.NewSchema(t, base)) })
	}
}

// prepare migrates the database and loads the demo data, then closes it,
// as `onewindow demo` would on its first start.
func prepare(t *testing.T, dsn string) {
	t.Helper()
	db := open(t, dsn)
	if _, err := demo.Load(context.Background(), db, clocktest.Now(t)); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	db.Close()
}

// open opens and migrates the database at dsn, closed when the test ends.
func open(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// serve starts `onewindow serve` on dsn as a child process, stopped when
// the test ends.
func serve(t *testing.T, dsn string, extra ...string) *bench.Process {
	t.Helper()
	// The server runs on the tests' clock, from the moment the demo was loaded.
	now := clocktest.Now(t).In(clock.China).Format("2006-01-02T15:04")
	p, err := bench.StartServer(context.Background(), binary, dsn, t.TempDir(), append([]string{"--scan-interval", "0", "--now", now}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(10 * time.Second); err != nil {
			t.Errorf("stop server: %v", err)
		}
	})
	return p
}

// command runs the onewindow binary with args and returns its exit code and output.
func command(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "ONEWINDOW_DB=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	t.Fatalf("onewindow %s: %v", strings.Join(args, " "), err)
	return -1, ""
}

// desk is the front desk of the demo county hall, creating and accepting
// cases through one server.
type desk struct {
	client    *bench.Client
	token     string
	item      string
	materials []string
}

const deskUser = "hn_qiantai"

var applicantID = ident.GenerateIDCard("220523", time.Date(1975, 8, 2, 0, 0, 0, 0, time.UTC), 17)

func newDesk(t *testing.T, base string) *desk {
	t.Helper()
	ctx := context.Background()
	d := &desk{client: bench.NewClient(base, 64), item: demo.CodeMedicalOutOfArea}
	t.Cleanup(d.client.Close)
	tok, err := d.client.Login(ctx, deskUser, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	d.token = tok
	var it catalog.Item
	if err := d.client.Do(ctx, "GET", "/api/v1/items/"+url.PathEscape(d.item), "", nil, 200, &it); err != nil {
		t.Fatal(err)
	}
	for _, m := range it.Materials {
		if m.Requirement == catalog.Required {
			d.materials = append(d.materials, m.Type)
		}
	}
	return d
}

type caseRef struct {
	ID      int64  `json:"id"`
	Number  string `json:"number"`
	Version int    `json:"version"`
}

func (d *desk) create(ctx context.Context) (caseRef, error) {
	var c caseRef
	err := d.client.Do(ctx, "POST", "/api/v1/cases", d.token, map[string]any{"item": d.item, "materials": d.materials,
		"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID, "phone": "13904350002"}}, 201, &c)
	return c, err
}

func (d *desk) accept(ctx context.Context, c caseRef) error {
	return d.client.Do(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/actions/accept", c.ID), d.token, map[string]any{"version": c.Version}, 200, nil)
}

// ledger is what the servers acknowledged with a 2xx: the cases created,
// and those whose acceptance was acknowledged too.
type ledger struct {
	mu       sync.Mutex
	created  map[string]caseRef
	accepted map[string]bool
	failures int
	firstErr error // the first failure, to say what went wrong
}

func newLedger() *ledger {
	return &ledger{created: map[string]caseRef{}, accepted: map[string]bool{}}
}

func (l *ledger) counts() (created, accepted int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.created), len(l.accepted)
}

// snapshot copies the ledger as it stands.
func (l *ledger) snapshot() *ledger {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := newLedger()
	for k, v := range l.created {
		s.created[k] = v
	}
	for k, v := range l.accepted {
		s.accepted[k] = v
	}
	return s
}

// driveIntake creates and accepts cases through d on workers goroutines
// until ctx ends, writing every acknowledgement into l. A request under
// way when ctx ends is finished, not abandoned, so that every case the
// server made has its answer. Failures are expected (the server may be
// killed); they are counted, not reported.
func driveIntake(ctx context.Context, d *desk, workers int, l *ledger) *sync.WaitGroup {
	var wg sync.WaitGroup
	req := context.WithoutCancel(ctx)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				c, err := d.create(req)
				if err != nil {
					l.mu.Lock()
					l.failures++
					if l.firstErr == nil {
						l.firstErr = err
					}
					l.mu.Unlock()
					time.Sleep(5 * time.Millisecond) // a dead server refuses at once: do not spin
					continue
				}
				l.mu.Lock()
				l.created[c.Number] = c
				l.mu.Unlock()
				if err := d.accept(req, c); err == nil {
					l.mu.Lock()
					l.accepted[c.Number] = true
					l.mu.Unlock()
				}
			}
		}()
	}
	return &wg
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkAcknowledged checks that every case in l is in db, intact: its row,
// its materials, its events, its audit records and its notifications, all
// agreeing on the state it reached.
func checkAcknowledged(t *testing.T, db *store.DB, l *ledger, materials int) {
	t.Helper()
	ctx := context.Background()
	for number, ref := range l.created {
		var id int64
		var state string
		err := db.QueryRowContext(ctx, `SELECT id, state FROM cases WHERE number = ?`, number).Scan(&id, &state)
		if err != nil {
			t.Fatalf("case %s was acknowledged but is not there: %v", number, err)
		}
		if id != ref.ID {
			t.Fatalf("case %s has id %d, the server answered %d", number, id, ref.ID)
		}
		wantEvents := []string{"create"}
		switch {
		case l.accepted[number] && state != "accepted":
			t.Fatalf("case %s: acceptance acknowledged, but its state is %s", number, state)
		case state == "accepted":
			wantEvents = append(wantEvents, "accept") // committed, the answer lost with the server
		case state != "received":
			t.Fatalf("case %s is in state %s", number, state)
		}
		var events []string
		rows, err := db.QueryContext(ctx, `SELECT action FROM case_events WHERE case_id = ? ORDER BY id`, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a string
			rows.Scan(&a)
			events = append(events, a)
		}
		rows.Close()
		if !slices.Equal(events, wantEvents) {
			t.Fatalf("case %s (%s) has events %v, want %v", number, state, events, wantEvents)
		}
		for _, action := range wantEvents {
			var audits, notes int
			db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE object = ? AND action = ?`, "case:"+number, "case."+action).Scan(&audits)
			db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE topic = ? AND payload LIKE ?`, "case."+action, `%"case":"`+number+`"%`).Scan(&notes)
			if audits != 1 || notes != 1 {
				t.Fatalf("case %s: %d audit records and %d notifications for %s, want one of each", number, audits, notes, action)
			}
		}
		var n int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_materials WHERE case_id = ?`, id).Scan(&n)
		if n != materials {
			t.Fatalf("case %s has %d materials, want %d", number, n, materials)
		}
	}
}

// checkNumbering checks that the case numbers of every point and day run
// 1, 2, … n without a gap or a repeat, and that the counter stands at n.
func checkNumbering(t *testing.T, db *store.DB) int {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT number FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seqs := map[string][]int{}
	total := 0
	for rows.Next() {
		var number string
		if err := rows.Scan(&number); err != nil {
			t.Fatal(err)
		}
		i := strings.LastIndexByte(number, '-')
		n, err := strconv.Atoi(number[i+1:])
		if i < 0 || err != nil {
			t.Fatalf("case number %q is not POINT-DAY-SEQ", number)
		}
		seqs[number[:i]] = append(seqs[number[:i]], n)
		total++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for prefix, s := range seqs {
		sort.Ints(s)
		for i, n := range s {
			if n != i+1 {
				t.Fatalf("numbers of %s: %d found where %d was due (a gap or a repeat)", prefix, n, i+1)
			}
		}
		// The point code may hold hyphens itself; the day is the last eight digits.
		j := strings.LastIndexByte(prefix, '-')
		point, day := prefix[:j], prefix[j+1:]
		var last int
		if err := db.QueryRowContext(ctx, `SELECT last FROM case_counters WHERE point_code = ? AND day = ?`, point, day).Scan(&last); err != nil {
			t.Fatalf("counter of %s: %v", prefix, err)
		}
		if last != len(s) {
			t.Fatalf("counter of %s stands at %d, but %d numbers were given", prefix, last, len(s))
		}
	}
	return total
}

// verifyAudit runs `onewindow audit verify` on dsn.
func verifyAudit(t *testing.T, dsn string) {
	t.Helper()
	code, out := command(t, "audit", "verify", "--db", dsn)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: exit %d: %s", code, out)
	}
}
