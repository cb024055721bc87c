package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
)

// takeTicket takes a ticket at 青州社区's front desk for the person in front of it.
func (e *env) takeTicket(t *testing.T, category string) hall.Ticket {
	t.Helper()
	tk, err := e.hall.Take(context.Background(), user(t, e, "qz_quanke2"), demo.QingzhouCentre, hall.TakeRequest{Category: category})
	if err != nil {
		t.Fatalf("take a ticket: %v", err)
	}
	return tk
}

// A front desk signs in at a window, calls the next person, serves them,
// links the case of the visit to the ticket, and the board follows.
func TestCallingAtTheDesk(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		first, second := e.takeTicket(t, "A"), e.takeTicket(t, "A")
		desk := e.as(t, "qz_quanke")
		desk.get("/desk").want(200).has(`id="counter"`, `action="/desk/windows/01/sign-in"`).lacks(`id="call-next"`)

		loc := desk.post("/desk/windows/01/sign-in", url.Values{}).want(http.StatusSeeOther).location()
		desk.get(loc).want(200).has(`id="call-next"`)
		desk.post("/desk/windows/01/call-next", url.Values{}).want(http.StatusSeeOther)
		p := desk.get("/desk").want(200).has(first.Number, `action="/desk/tickets/`+strconv.FormatInt(first.ID, 10)+`/start"`)
		p.lacks(second.Number)

		visitor := e.client(t)
		visitor.get("/board/"+demo.QingzhouCentre).want(200).
			has(`data-number="`+first.Number+`" data-window="01"`, `data-category="A">1<`)

		desk.post("/desk/tickets/"+strconv.FormatInt(first.ID, 10)+"/recall", url.Values{}).want(http.StatusSeeOther)
		desk.post("/desk/tickets/"+strconv.FormatInt(first.ID, 10)+"/start", url.Values{}).want(http.StatusSeeOther)
		c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
		visit := strconv.FormatInt(c.ID, 10)
		desk.get("/desk?visit=" + visit).want(200).has(`id="link-cases"`)
		desk.post("/desk/tickets/"+strconv.FormatInt(first.ID, 10)+"/cases", url.Values{"visit": {visit}}).
			want(http.StatusSeeOther)
		tk, err := e.hall.Ticket(ctx, user(t, e, "qz_quanke"), demo.QingzhouCentre, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tk.Cases) != 1 || tk.Cases[0].CaseID != c.ID {
			t.Fatalf("ticket cases = %+v, want the case %d", tk.Cases, c.ID)
		}
		desk.get("/desk?visit="+visit).want(200).has(`id="linked-cases"`, c.Number).lacks(`id="link-cases"`)
		desk.post("/desk/tickets/"+strconv.FormatInt(first.ID, 10)+"/finish", url.Values{"visit": {visit}}).want(http.StatusSeeOther)
		visitor.get("/board/" + demo.QingzhouCentre).want(200).lacks(`data-number="` + first.Number + `"`)

		// The second person is a no-show after the recalls the rules ask for.
		desk.post("/desk/windows/01/call-next", url.Values{}).want(http.StatusSeeOther)
		id := strconv.FormatInt(second.ID, 10)
		desk.post("/desk/tickets/"+id+"/recall", url.Values{}).want(http.StatusSeeOther)
		desk.post("/desk/tickets/"+id+"/recall", url.Values{}).want(http.StatusSeeOther)
		desk.post("/desk/tickets/"+id+"/no-show", url.Values{}).want(http.StatusSeeOther)
		if tk, err := e.hall.Ticket(ctx, user(t, e, "qz_quanke"), demo.QingzhouCentre, second.ID); err != nil || tk.Status != hall.StatusNoShow {
			t.Fatalf("second ticket: %+v, %v; want a no-show", tk.Status, err)
		}
		// Nobody is left: the desk is told so, in words.
		desk.post("/desk/windows/01/call-next", url.Values{}).want(http.StatusNotFound).has("当前没有等候本窗口的号")
		desk.post("/desk/tickets/"+id+"/fly", url.Values{}).want(http.StatusNotFound)
		desk.post("/desk/windows/01/sign-out", url.Values{}).want(http.StatusSeeOther)

		// Other roles have no window to call at.
		reviewer := e.as(t, "rs_shenpi")
		reviewer.get("/review").want(200)
		reviewer.post("/desk/windows/01/sign-in", url.Values{}).want(http.StatusForbidden)
	})
}

// The board is public, in both languages, and refuses an unknown point.
func TestBoardPage(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		c := e.client(t)
		c.get("/board/"+demo.QingzhouCentre).want(200).
			has(`data-stream="/api/v1/points/`+demo.QingzhouCentre+`/board"`, "等候人数", "综合受理").lacks("⟦")
		c.lang = "en"
		c.get("/board/"+demo.QingzhouCentre).want(200).has("Waiting", "General acceptance").lacks("⟦")
		c.get("/board/NOSUCHPOINT").want(404)
	})
}

// The hall manager sees today's numbers and roster; a front desk does not.
func TestHallToday(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for range 3 {
			e.takeTicket(t, "A")
		}
		e.takeTicket(t, "B")
		manager := e.as(t, "qz_dating")
		p := manager.get("/hall/today").want(200).has(`id="hall-today"`, "vendor/echarts.min.js", "hall.js", `/board/`+demo.QingzhouCentre)
		roster, err := e.hall.Roster(ctx, user(t, e, "qz_dating"), demo.QingzhouCentre, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(roster) == 0 {
			t.Fatal("the demo roster is empty today: the page test would show nothing")
		}
		for _, r := range roster {
			p.has(r.UserName)
		}

		type stats struct {
			Tickets      int `json:"tickets"`
			CasesByState []struct {
				State string `json:"state"`
				Label string `json:"label"`
				Cases int    `json:"cases"`
			} `json:"cases_by_state"`
		}
		read := func() (stats, int) {
			t.Helper()
			res := manager.get("/hall/today/stats").want(200)
			var st stats
			if err := json.Unmarshal([]byte(res.body), &st); err != nil {
				t.Fatalf("stats: %v\n%s", err, res.body)
			}
			for _, s := range st.CasesByState {
				if s.State == "accepted" {
					return st, s.Cases
				}
			}
			return st, 0
		}
		st, acceptedBefore := read()
		if st.Tickets != 4 {
			t.Errorf("tickets today = %d, want 4", st.Tickets)
		}
		e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
		if _, accepted := read(); accepted != acceptedBefore+1 {
			t.Errorf("accepted cases = %d, want %d", accepted, acceptedBefore+1)
		}
		// The chart counts the day's cases: the next morning, yesterday's
		// accepted case is gone from it.
		e.clock.Set(hallClock.Add(24 * time.Hour))
		if _, accepted := read(); accepted != 0 {
			t.Errorf("accepted cases the next day = %d, want 0 (the chart counts all time)", accepted)
		}
		// The time of the numbers is the server's, in China time, 24-hour.
		e.clock.Set(time.Date(2026, 11, 25, 15, 23, 3, 0, clock.China))
		manager.get("/hall/today").want(200).has(`<span data-stat="updated">15:23:03</span>`)
		if res := manager.get("/hall/today/stats").want(200); !strings.Contains(res.body, `"updated":"15:23:03"`) {
			t.Errorf("stats: no China time of the numbers: %s", res.body)
		}

		e.as(t, "qz_quanke").get("/hall/today").want(http.StatusForbidden)
		e.as(t, "qz_quanke").get("/hall/today/stats").want(http.StatusForbidden)
	})
}
