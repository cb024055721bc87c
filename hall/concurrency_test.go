package hall_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// secondPool opens another connection pool on the same PostgreSQL schema,
// standing in for a second server process.
func secondPool(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// eachEngine runs fn on SQLite (one process) and, when asked for, on
// PostgreSQL and Citus with two pools (two processes).
func eachEngine(t *testing.T, fn func(t *testing.T, dbs []*store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, []*store.DB{storetest.SQLite(t)}) })
	for _, s := range storetest.Servers() {
		t.Run(s.Name+"-two-processes", func(t *testing.T) {
			db, dsn := s.Open(t)
			fn(t, []*store.DB{db, secondPool(t, dsn)})
		})
	}
}

// Fifty windows call next at once while tickets keep coming: every ticket is
// called exactly once, by one window, and none is left behind.
func TestCallNextFiftyWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency test")
	}
	eachEngine(t, func(t *testing.T, dbs []*store.DB) {
		const windows, before, during = 50, 1000, 1000
		f := newFixture(t, dbs[0])
		ctx := context.Background()
		f.clock.set(at(2026, 10, 12, 10, 0))
		svcs := []*hall.Service{f.svc}
		for _, db := range dbs[1:] {
			svcs = append(svcs, newService(t, db, f.clock))
		}
		// Windows 1–40 serve A and B, 41–50 only B.
		workers := make([]auth.User, windows)
		for i := range windows {
			cats := []string{"A", "B"}
			if i >= 40 {
				cats = []string{"B"}
			}
			code := fmt.Sprintf("W%02d", i+1)
			must(f.svc.PutWindow(ctx, f.admin, county, hall.Window{Code: code, Name: code, Categories: cats, Active: true})).ok(t)
			workers[i] = staff(int64(10_000+i), code, county)
			must(svcs[i%len(svcs)].SignIn(ctx, workers[i], county, code)).ok(t)
		}
		category := func(i int) string { return []string{"A", "B"}[i%2] }
		var takenMu sync.Mutex
		taken := map[int64]string{}
		take := func(i int) error {
			tk, err := svcs[i%len(svcs)].TakeAtKiosk(ctx, county, hall.TakeRequest{Category: category(i)})
			if err != nil {
				return err
			}
			takenMu.Lock()
			taken[tk.ID] = tk.Number
			takenMu.Unlock()
			return nil
		}
		for i := range before {
			if err := take(i); err != nil {
				t.Fatal(err)
			}
		}

		produced := make(chan struct{}, during)
		producing := make(chan struct{})
		var calledMu sync.Mutex
		calledBy := map[int64]string{}
		var latencies []time.Duration
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(producing)
			for i := range during {
				if err := take(before + i); err != nil {
					t.Errorf("take: %v", err)
					return
				}
				produced <- struct{}{}
			}
		}()
		for i := range windows {
			wg.Add(1)
			go func() {
				defer wg.Done()
				svc, w, code := svcs[i%len(svcs)], workers[i], fmt.Sprintf("W%02d", i+1)
				for {
					start := time.Now()
					tk, err := svc.CallNext(ctx, w, county, code)
					elapsed := time.Since(start)
					if reasonOf(err) == "queue_empty" {
						select {
						case <-produced:
							continue
						case <-producing:
							// Nothing more will come; one last look, then stop.
							if tk, err = svc.CallNext(ctx, w, county, code); reasonOf(err) == "queue_empty" {
								return
							}
						}
					}
					if err != nil {
						t.Errorf("%s: call next: %v", code, err)
						return
					}
					calledMu.Lock()
					if prev, dup := calledBy[tk.ID]; dup {
						t.Errorf("ticket %s called twice: by %s and %s", tk.Number, prev, code)
					}
					calledBy[tk.ID] = code
					latencies = append(latencies, elapsed)
					calledMu.Unlock()
					if i >= 40 && tk.Category != "B" {
						t.Errorf("%s serves only B but called %s", code, tk.Number)
					}
					if _, err := svc.Start(ctx, w, county, tk.ID); err != nil {
						t.Errorf("%s: start %s: %v", code, tk.Number, err)
						return
					}
					if _, err := svc.Finish(ctx, w, county, tk.ID); err != nil {
						t.Errorf("%s: finish %s: %v", code, tk.Number, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		if len(taken) != before+during || len(calledBy) != len(taken) {
			t.Fatalf("%d tickets taken, %d called; want %d of each", len(taken), len(calledBy), before+during)
		}
		for id, number := range taken {
			if _, ok := calledBy[id]; !ok {
				t.Errorf("ticket %s (%d) was never called", number, id)
			}
		}
		left := must(f.svc.Tickets(ctx, f.manager, county, hall.TicketFilter{Status: hall.StatusWaiting})).ok(t)
		done := must(f.svc.Tickets(ctx, f.manager, county, hall.TicketFilter{Status: hall.StatusDone})).ok(t)
		if len(left) != 0 || len(done) != before+during {
			t.Fatalf("%d waiting and %d done at the end, want 0 and %d", len(left), len(done), before+during)
		}
		// The board saw every take, call, start and finish, numbered without gaps.
		evs := must(f.svc.BoardEvents(ctx, county, 0, 100_000)).ok(t)
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("board event %d has seq %d: the sequence has a gap", i, e.Seq)
			}
		}
		slices.Sort(latencies)
		t.Logf("%d calls by %d windows over %d pool(s); call-next p50 %v, p99 %v", len(latencies), windows, len(dbs),
			latencies[len(latencies)/2], latencies[len(latencies)*99/100])
	})
}

// Forty applicants book a slot of five at once: exactly five get it.
func TestBookingNeverOverbooks(t *testing.T) {
	eachEngine(t, func(t *testing.T, dbs []*store.DB) {
		const applicants, capacity = 40, 5
		f := newFixture(t, dbs[0])
		ctx := context.Background()
		svcs := []*hall.Service{f.svc}
		for _, db := range dbs[1:] {
			svcs = append(svcs, newService(t, db, f.clock))
		}
		slots := must(f.svc.PutSlots(ctx, f.manager, county, []hall.Slot{
			{Category: "A", Day: "2026-10-13", Starts: "09:00", Ends: "09:30", Capacity: capacity},
			{Category: "A", Day: "2026-10-13", Starts: "09:30", Ends: "10:00", Capacity: capacity},
		})).ok(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		booked := map[int64]int64{}
		full := 0
		for i := range applicants {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := applicant(int64(2000+i), fmt.Sprintf("申请人%d", i), time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC))
				a, err := svcs[i%len(svcs)].Book(ctx, who, county, hall.BookRequest{SlotID: slots[0].ID})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					booked[who.ID] = a.ID
				case reasonOf(err) == "slot_full":
					full++
				default:
					t.Errorf("book: %v", err)
				}
			}()
		}
		wg.Wait()
		if len(booked) != capacity || full != applicants-capacity {
			t.Fatalf("%d booked and %d refused as full, want %d and %d", len(booked), full, capacity, applicants-capacity)
		}
		// Rescheduling races the same way: everyone moves to the second slot
		// at once, and only the places there are taken.
		moved := 0
		for uid, id := range booked {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := applicant(uid, "", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC))
				_, err := svcs[int(uid)%len(svcs)].Reschedule(ctx, who, county, id, hall.BookRequest{SlotID: slots[1].ID})
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					moved++
				} else {
					t.Errorf("reschedule: %v", err)
				}
			}()
		}
		wg.Wait()
		got := must(f.svc.Slots(ctx, county, hall.SlotFilter{From: "2026-10-13", To: "2026-10-13"})).ok(t)
		if len(got) != 2 || got[0].Booked != 0 || got[1].Booked != moved || moved != capacity {
			t.Fatalf("slots after rescheduling %+v (moved %d)", got, moved)
		}
	})
}
