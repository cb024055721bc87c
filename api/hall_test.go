package api_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
)

var chinaTime = time.FixedZone("CST", 8*3600)

// hallClock moves the servers' clocks in the hall's stories: the halls keep
// hours, so these tests choose the moment instead of depending on when they
// run.
type hallClock struct{ clocks []*clock.Manual }

func (c *hallClock) Now() time.Time { return c.clocks[0].Now() }

func (c *hallClock) set(y int, m time.Month, d, hh, mm int) {
	for _, k := range c.clocks {
		k.Set(time.Date(y, m, d, hh, mm, 0, 0, chinaTime))
	}
}

// useHallClock sets the clock of e (and of any other env sharing the
// database) to a Monday morning, and polls the board often.
func useHallClock(envs ...*env) *hallClock {
	c := &hallClock{}
	for _, e := range envs {
		c.clocks = append(c.clocks, e.clock)
		e.srv.Hall.BoardPoll = 20 * time.Millisecond
	}
	c.set(2026, 10, 12, 9, 30) // a Monday
	return c
}

// ticketOut is the part of a ticket the tests read.
type ticketOut struct {
	ID       int64  `json:"id"`
	Number   string `json:"number"`
	Status   string `json:"status"`
	Priority string `json:"priority"`
	Source   string `json:"source"`
	Window   string `json:"window"`
	Period   string `json:"period"`
	Ahead    *int   `json:"ahead"`
	Cases    []struct {
		CaseID   int64  `json:"case_id"`
		Number   string `json:"number"`
		ItemName string `json:"item_name"`
	} `json:"cases"`
}

func (e *env) ticket(r *response) ticketOut {
	e.t.Helper()
	var t ticketOut
	r.decode(&t)
	return t
}

// userID returns the id of a demo user.
func (e *env) userID(username string) int64 {
	e.t.Helper()
	u, err := auth.NewStore(e.db).UserByUsername(context.Background(), username)
	if err != nil {
		e.t.Fatalf("user %s: %v", username, err)
	}
	return u.ID
}

func hallPath(point, rest string, args ...any) string {
	return "/api/v1/points/" + point + fmt.Sprintf(rest, args...)
}

// Story 1 as a hall visit: 于女士 takes a number on her phone, is called to
// the 全科社工 window on duty, leaves with two cases from one visit.
func TestHallStory1GeneralistVisit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		useHallClock(e)
		qz := demo.QingzhouCentre
		// The manager puts two generalists on duty today; both may accept
		// any item a community centre may handle, and only those.
		e.call("PUT", hallPath(qz, "/roster/2026-10-12"), "qz_dating", map[string]any{"entries": []map[string]any{
			{"user_id": e.userID("qz_quanke")}, {"user_id": e.userID("qz_quanke3")}}}).want(200)
		for _, item := range []string{demo.CodeSocialInsuranceSubsidy, demo.CodeFamilyPlanningConsult} {
			var duty struct {
				Items []struct {
					UserName string `json:"user_name"`
				} `json:"items"`
			}
			e.call("GET", hallPath(qz, "/roster/now?item=%s", item), "qz_quanke", nil).want(200).decode(&duty)
			if len(duty.Items) != 2 || duty.Items[0].UserName != "李春燕" || duty.Items[1].UserName != "刘海波" {
				t.Fatalf("on duty for %s: %+v, want 李春燕 and 刘海波", item, duty.Items)
			}
		}
		var none struct{ Total int }
		e.call("GET", hallPath(qz, "/roster/now?item=%s", demo.CodeBusinessLicence), "qz_quanke", nil).want(200).decode(&none)
		if none.Total != 0 {
			t.Errorf("a county-only item has %d people on duty for it at a community centre", none.Total)
		}

		tk := e.ticket(e.call("POST", hallPath(qz, "/tickets"), "yuxiulan", map[string]any{"category": "A"}).want(201))
		if tk.Number != "A001" || tk.Source != "online" || tk.Ahead == nil || *tk.Ahead != 0 {
			t.Fatalf("online ticket %+v", tk)
		}
		e.call("POST", hallPath(qz, "/windows/01/sign-in"), "qz_quanke", nil).want(200)
		called := e.ticket(e.call("POST", hallPath(qz, "/windows/01/call-next"), "qz_quanke", nil).want(200))
		if called.ID != tk.ID || called.Window != "01" {
			t.Fatalf("called %+v, want 于女士's %s at window 01", called, tk.Number)
		}
		e.call("POST", hallPath(qz, "/tickets/%d/start", tk.ID), "qz_quanke", nil).want(200)

		id := applicantID("yuxiulan")
		subsidy := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", id)
		consult := e.walkIn("qz_quanke", demo.CodeFamilyPlanningConsult, "于秀兰", id)
		for _, c := range []caseOut{subsidy, consult} {
			e.call("POST", hallPath(qz, "/tickets/%d/cases", tk.ID), "qz_quanke", map[string]any{"case_id": c.ID}).want(200)
		}
		e.call("POST", hallPath(qz, "/tickets/%d/cases", tk.ID), "qz_quanke", map[string]any{"case_id": subsidy.ID}).
			problem(409, "case_already_linked")
		// A case of another point is not this visit's.
		county := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", applicantID("zhouming"))
		e.call("POST", hallPath(qz, "/tickets/%d/cases", tk.ID), "admin", map[string]any{"case_id": county.ID}).problem(409, "case_other_point")
		e.call("POST", hallPath(qz, "/tickets/%d/cases", tk.ID), "qz_quanke", map[string]any{"case_id": county.ID}).problem(403, "out_of_scope")

		done := e.ticket(e.call("POST", hallPath(qz, "/tickets/%d/finish", tk.ID), "qz_quanke", nil).want(200))
		if done.Status != "done" || len(done.Cases) != 2 || done.Cases[0].Number != subsidy.Number || done.Cases[1].Number != consult.Number {
			t.Fatalf("finished visit %+v, want done with cases %s and %s", done, subsidy.Number, consult.Number)
		}
		// 于女士 sees her visit; another applicant does not.
		mine := e.ticket(e.call("GET", hallPath(qz, "/tickets/%d", tk.ID), "yuxiulan", nil).want(200))
		if len(mine.Cases) != 2 {
			t.Errorf("the applicant's view of the visit lists %d cases", len(mine.Cases))
		}
		e.call("GET", hallPath(qz, "/tickets/%d", tk.ID), "zhouming", nil).problem(404, "ticket_not_found")

		var st hall.Stats
		e.call("GET", hallPath(qz, "/stats?day=2026-10-12"), "qz_dating", nil).want(200).decode(&st)
		if st.Tickets != 1 || st.Served != 1 || len(st.Categories) != 1 || st.Categories[0].Served != 1 {
			t.Errorf("stats %+v, want one ticket served", st)
		}
		e.call("GET", hallPath(qz, "/stats"), "qz_quanke", nil).problem(403, "role_not_allowed")
		e.call("GET", hallPath(qz, "/stats"), "hn_dating", nil).problem(403, "out_of_scope")
	})
}

// Story 3 as a hall visit: 何经奇 books a slot at his street's centre, checks
// in at the kiosk and is called before the walk-ins: no queue.
func TestHallStory3AppointmentAtStreetCentre(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		clock := useHallClock(e)
		clock.set(2026, 10, 12, 9, 0)
		dh := demo.DonghuiCentre
		var slots struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		e.call("POST", hallPath(dh, "/slots"), "admin", map[string]any{"slots": []map[string]any{
			{"category": "A", "day": "2026-10-12", "starts": "10:00", "ends": "10:30", "capacity": 1}}}).want(200).decode(&slots)
		slot := slots.Items[0].ID
		// A slot during the centre's lunch break is refused.
		p := e.call("POST", hallPath(dh, "/slots"), "admin", map[string]any{"slots": []map[string]any{
			{"category": "A", "day": "2026-10-12", "starts": "12:00", "ends": "12:30", "capacity": 1}}}).problem(422, "validation_failed")
		if !p.hasField("slots[0].starts") {
			t.Errorf("slot outside hours: %+v", p)
		}

		var appt struct {
			ID     int64  `json:"id"`
			Code   string `json:"code"`
			Status string `json:"status"`
		}
		e.call("POST", hallPath(dh, "/appointments"), "hejingqi", map[string]any{"slot_id": slot}).want(201).decode(&appt)
		if appt.Status != "booked" || len(appt.Code) != 8 {
			t.Fatalf("appointment %+v", appt)
		}
		e.call("POST", hallPath(dh, "/appointments"), "zhouming", map[string]any{"slot_id": slot}).problem(409, "slot_full")
		e.call("POST", hallPath(dh, "/appointments"), "dh_qiantai", map[string]any{"slot_id": slot}).problem(403, "role_not_allowed")

		clock.set(2026, 10, 12, 9, 40)
		walkIn := e.ticket(e.call("POST", hallPath(dh, "/kiosk/tickets"), "", map[string]any{"category": "A"}).want(201))
		clock.set(2026, 10, 12, 9, 50)
		e.call("POST", hallPath(dh, "/kiosk/check-in"), "", map[string]any{"code": "NOSUCH22"}).problem(404, "appointment_not_found")
		mine := e.ticket(e.call("POST", hallPath(dh, "/kiosk/check-in"), "", map[string]any{"code": strings.ToLower(appt.Code)}).want(201))
		if mine.Priority != "appointment" || mine.Source != "appointment" {
			t.Fatalf("checked-in ticket %+v", mine)
		}
		e.call("POST", hallPath(dh, "/kiosk/check-in"), "", map[string]any{"code": appt.Code}).problem(409, "appointment_state")

		e.call("POST", hallPath(dh, "/windows/01/sign-in"), "dh_qiantai", nil).want(200)
		called := e.ticket(e.call("POST", hallPath(dh, "/windows/01/call-next"), "dh_qiantai", nil).want(200))
		if called.ID != mine.ID {
			t.Fatalf("called %s, want 何经奇's %s before the walk-in %s", called.Number, mine.Number, walkIn.Number)
		}
		e.call("POST", hallPath(dh, "/tickets/%d/start", mine.ID), "dh_qiantai", nil).want(200)
		c := e.walkIn("dh_qiantai", demo.CodeMedicalOutOfArea, "何经奇", applicantID("hejingqi"))
		e.call("POST", hallPath(dh, "/tickets/%d/cases", mine.ID), "dh_qiantai", map[string]any{"case_id": c.ID}).want(200)
		done := e.ticket(e.call("POST", hallPath(dh, "/tickets/%d/finish", mine.ID), "dh_qiantai", nil).want(200))
		if done.Status != "done" || len(done.Cases) != 1 || done.Cases[0].CaseID != c.ID {
			t.Fatalf("visit %+v, want done with case %s", done, c.Number)
		}

		var st hall.Stats
		e.call("GET", hallPath(dh, "/stats?day=2026-10-12"), "admin", nil).want(200).decode(&st)
		if st.Appointments.Booked != 1 || st.Appointments.Kept != 1 || st.Tickets != 2 || st.Served != 1 {
			t.Errorf("stats %+v, want one appointment kept, two tickets, one served", st)
		}
	})
}

// sseEvent is one server-sent event, or a comment line.
type sseEvent struct {
	id, event, data string
	hasID           bool
	comment         string
}

// board is an open display-board stream.
type board struct {
	t      *testing.T
	res    *http.Response
	events chan sseEvent
	cancel context.CancelFunc
}

func openBoard(t *testing.T, base, point, lastID string) *board {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", base+hallPath(point, "/board"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := checkedClient(t, 0).Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	b := &board{t: t, res: res, events: make(chan sseEvent, 100), cancel: cancel}
	t.Cleanup(b.close)
	go func() {
		defer close(b.events)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.event != "" || ev.comment != "" {
					b.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				ev.comment = strings.TrimSpace(line[1:])
			case strings.HasPrefix(line, "id: "):
				ev.id, ev.hasID = line[4:], true
			case strings.HasPrefix(line, "event: "):
				ev.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[6:]
			}
		}
	}()
	return b
}

func (b *board) close() {
	b.cancel()
	b.res.Body.Close()
}

// next returns the next event of kind (skipping others), failing after a
// generous deadline.
func (b *board) next(kind string) sseEvent {
	b.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev, ok := <-b.events:
			if !ok {
				b.t.Fatalf("the board stream ended while waiting for %q", kind)
			}
			if ev.event == kind || (kind == "heartbeat" && ev.comment == "heartbeat") {
				return ev
			}
		case <-deadline:
			b.t.Fatalf("no %q event on the board", kind)
		}
	}
}

// The board streams calls made by any server process, and a viewer that
// reconnects with Last-Event-ID gets what it missed, in order.
func TestHallBoardStream(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		second, err := store.Open(context.Background(), e.db.Location)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { second.Close() })
		other := newEnv(t, second) // another server process on the same database
		useHallClock(e, other)
		e.srv.Hall.BoardHeartbeat = 50 * time.Millisecond
		hn := demo.CountyHall

		b := openBoard(t, e.base, hn, "")
		if ct := b.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
			t.Fatalf("content type %q", ct)
		}
		snap := b.next(hall.BoardSnapshot)
		if !snap.hasID || !strings.Contains(snap.data, `"calling":[]`) {
			t.Fatalf("snapshot %+v", snap)
		}
		b.next("heartbeat")

		// The ticket is taken and called through the other server.
		tk := other.ticket(other.call("POST", hallPath(hn, "/kiosk/tickets"), "", map[string]any{"category": "A"}).want(201))
		other.call("POST", hallPath(hn, "/windows/05/sign-in"), "hn_qiantai", nil).want(200)
		other.call("POST", hallPath(hn, "/windows/05/call-next"), "hn_qiantai", nil).want(200)
		call := b.next(hall.BoardCall)
		if !strings.Contains(call.data, `"number":"`+tk.Number+`"`) || !strings.Contains(call.data, `"window":"05"`) ||
			!strings.Contains(call.data, "5号综合受理窗口") {
			t.Fatalf("call event %+v should show %s at window 05", call, tk.Number)
		}
		if w := b.next(hall.BoardWaiting); w.hasID || w.data != "{}" {
			t.Errorf("waiting event %+v: no id, nobody waiting", w)
		}
		b.close()

		// While the viewer is away: service starts and ends, a new ticket comes.
		other.call("POST", hallPath(hn, "/tickets/%d/start", tk.ID), "hn_qiantai", nil).want(200)
		other.call("POST", hallPath(hn, "/tickets/%d/finish", tk.ID), "hn_qiantai", nil).want(200)
		e.call("POST", hallPath(hn, "/kiosk/tickets"), "", map[string]any{"category": "B"}).want(201)

		again := openBoard(t, e.base, hn, call.id)
		var got []string
		for _, kind := range []string{hall.BoardServing, hall.BoardDone, hall.BoardTicket} {
			ev := again.next(kind)
			got = append(got, ev.id)
		}
		var want []string
		var first int
		fmt.Sscan(call.id, &first)
		for i := 1; i <= 3; i++ {
			want = append(want, fmt.Sprint(first+i))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("replayed ids %v, want %v", got, want)
		}
		if w := again.next(hall.BoardWaiting); w.data != `{"B":1}` {
			t.Errorf("waiting after the replay: %s", w.data)
		}
		e.call("GET", hallPath("NOWHERE", "/board"), "", nil).problem(404, "point_not_found")
		e.call("GET", hallPath(hn, "/board"), "", nil, "Last-Event-ID", "abc").problem(422, "validation_failed")
	})
}

func TestHallKioskHoursAndRoles(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		clock := useHallClock(e)
		hn := demo.CountyHall
		var hours struct {
			Periods []hall.Period   `json:"periods"`
			Now     hall.OpenStatus `json:"now"`
		}
		e.call("GET", hallPath(hn, "/hours"), "", nil).want(200).decode(&hours)
		if len(hours.Periods) != 11 || !hours.Now.Open || hours.Now.Period != hall.PeriodRegular {
			t.Fatalf("hours %+v: want 5 regular, 5 lunch and 1 extended period, open now", hours)
		}

		clock.set(2026, 10, 1, 10, 0)
		var closed struct {
			Code     string `json:"code"`
			Title    string `json:"title"`
			NextOpen string `json:"next_open"`
		}
		e.call("POST", hallPath(hn, "/kiosk/tickets"), "", map[string]any{"category": "A"}).want(409).decode(&closed)
		if closed.Code != "point_closed" || closed.NextOpen != "2026-10-08T08:30:00+08:00" || !strings.Contains(closed.Title, "10月8日") {
			t.Fatalf("closed on National Day: %+v", closed)
		}
		e.call("POST", hallPath(hn, "/tickets"), "zhouming", map[string]any{"category": "A"}).problem(409, "point_closed")

		clock.set(2026, 10, 12, 12, 15) // 午间不间断
		e.srv.Hall.Kiosk = hall.NewLimiter(3, time.Minute)
		for range 3 {
			e.call("POST", hallPath(hn, "/kiosk/tickets"), "", map[string]any{"category": "E"}).want(201)
		}
		limited := e.call("POST", hallPath(hn, "/kiosk/tickets"), "", map[string]any{"category": "E"})
		limited.problem(429, "kiosk_rate_limited")
		if limited.header.Get("Retry-After") == "" {
			t.Error("a rate-limited kiosk is told when to retry")
		}
		e.srv.Hall.Kiosk = hall.NewLimiter(1000, time.Minute)

		e.call("POST", hallPath(hn, "/kiosk/tickets"), "", map[string]any{"category": "A", "colour": "red"}).problem(422, "validation_failed")
		e.call("POST", hallPath("NOWHERE", "/kiosk/tickets"), "", map[string]any{"category": "A"}).problem(404, "point_not_found")
		e.call("POST", hallPath(hn, "/windows/01/call-next"), "zhouming", nil).problem(403, "role_not_allowed")
		e.call("POST", hallPath(hn, "/windows/01/sign-in"), "qz_quanke", nil).problem(403, "out_of_scope")
		e.call("POST", hallPath(hn, "/windows/01/call-next"), "hn_qiantai", nil).problem(409, "not_signed_in")
		e.call("PUT", hallPath(hn, "/windows/01"), "hn_qiantai", map[string]any{"name": "x", "categories": []string{"A"}}).problem(403, "role_not_allowed")
		e.call("GET", hallPath(hn, "/windows"), "", nil).problem(401, "")

		// A service started at lunch is counted as 午间不间断.
		e.call("POST", hallPath(hn, "/windows/01/sign-in"), "hn_qiantai", nil).want(200)
		first := e.ticket(e.call("POST", hallPath(hn, "/windows/01/call-next"), "hn_qiantai", nil).want(200))
		started := e.ticket(e.call("POST", hallPath(hn, "/tickets/%d/start", first.ID), "hn_qiantai", nil).want(200))
		if started.Period != hall.PeriodLunch {
			t.Errorf("service started at 12:15 has period %q, want lunch", started.Period)
		}
		c := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", applicantID("zhouming"))
		e.call("POST", hallPath(hn, "/tickets/%d/cases", first.ID), "hn_qiantai", map[string]any{"case_id": c.ID}).want(200)
		var st hall.Stats
		e.call("GET", hallPath(hn, "/stats?day=2026-10-12"), "hn_dating", nil).want(200).decode(&st)
		if st.Lunch.Services != 1 || st.Lunch.Cases != 1 || st.Extended.Services != 0 || st.Tickets != 3 {
			t.Errorf("stats %+v, want one lunch-time service with one case among three tickets", st)
		}
		e.call("GET", hallPath(hn, "/stats?day=12-10-2026"), "hn_dating", nil).problem(422, "validation_failed")
	})
}
