package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/bench"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
)

// Two `serve` processes on one database, both under load: no case number
// and no ticket is given twice, and none acknowledged is lost. This is the
// deployment of a province: several app servers behind a load balancer on
// one PostgreSQL (and, on one machine, on one SQLite file).
func TestTwoProcessesOneDatabase(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		prepare(t, dsn)
		servers := []*bench.Process{serve(t, dsn), serve(t, dsn)}
		db := open(t, dsn)

		t.Run("case numbers", func(t *testing.T) {
			ledgers := []*ledger{newLedger(), newLedger()}
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			var wgs []*sync.WaitGroup
			var desks []*desk
			for i, p := range servers {
				d := newDesk(t, p.URL)
				desks = append(desks, d)
				wgs = append(wgs, driveIntake(ctx, d, 4, ledgers[i]))
			}
			waitFor(t, 60*time.Second, "60 cases through each server", func() bool {
				a, _ := ledgers[0].counts()
				b, _ := ledgers[1].counts()
				return a >= 60 && b >= 60
			})
			stop()
			for _, wg := range wgs {
				wg.Wait()
			}
			all := newLedger()
			for i, l := range ledgers {
				if l.failures > 0 {
					t.Errorf("server %d: %d requests failed under load, the first: %v", i+1, l.failures, l.firstErr)
				}
				for n, c := range l.created {
					if _, twice := all.created[n]; twice {
						t.Fatalf("number %s was given by both servers", n)
					}
					all.created[n] = c
					all.accepted[n] = l.accepted[n]
				}
			}
			checkAcknowledged(t, db, all, len(desks[0].materials))
			if n := checkNumbering(t, db); n != len(all.created) {
				t.Fatalf("%d cases in the database, %d acknowledged: a case was made without an answer, or lost", n, len(all.created))
			}
			verifyAudit(t, dsn)
		})

		t.Run("tickets", func(t *testing.T) {
			ctx := context.Background()
			const windows, tickets = 10, 200
			ws, err := bench.AddWindows(ctx, db, demo.CountyHall, windows, "rel_win", "reliability-2026", []string{"A", "E"})
			if err != nil {
				t.Fatal(err)
			}
			if err := bench.SeedTickets(ctx, db, demo.CountyHall, "A", tickets, clocktest.Now(t)); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			calledBy := map[int64]string{}
			var wg sync.WaitGroup
			for i, w := range ws {
				// Half the windows work through each server.
				c := bench.NewClient(servers[i%2].URL, 4)
				defer c.Close()
				tok, err := c.Login(ctx, w.Username, "reliability-2026")
				if err != nil {
					t.Fatal(err)
				}
				base := "/api/v1/points/" + demo.CountyHall
				if err := c.Do(ctx, "POST", base+"/windows/"+w.Window+"/sign-in", tok, nil, 200, nil); err != nil {
					t.Fatal(err)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						var tk struct {
							ID int64 `json:"id"`
						}
						err := c.Do(ctx, "POST", base+"/windows/"+w.Window+"/call-next", tok, nil, 200, &tk)
						var se *bench.StatusError
						if errors.As(err, &se) && se.Status == 404 {
							return // the queue is empty
						}
						if err != nil {
							t.Errorf("window %s: %v", w.Window, err)
							return
						}
						mu.Lock()
						if other, twice := calledBy[tk.ID]; twice {
							t.Errorf("ticket %d called by window %s and by window %s", tk.ID, other, w.Window)
						}
						calledBy[tk.ID] = w.Window
						mu.Unlock()
						for _, step := range []string{"start", "finish"} {
							if err := c.Do(ctx, "POST", fmt.Sprintf("%s/tickets/%d/%s", base, tk.ID, step), tok, nil, 200, nil); err != nil {
								t.Errorf("window %s, ticket %d: %s: %v", w.Window, tk.ID, step, err)
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			if len(calledBy) != tickets {
				t.Fatalf("%d tickets called, %d were waiting", len(calledBy), tickets)
			}
			var finished int
			db.QueryRowContext(ctx, `SELECT COUNT(*) FROM hall_tickets WHERE point_code = ? AND status = 'done'`, demo.CountyHall).Scan(&finished)
			if finished != tickets {
				t.Fatalf("%d tickets done in the database, want %d", finished, tickets)
			}
		})
	})
}
