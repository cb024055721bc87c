package web

import (
	"context"
	"net/url"
	"slices"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
)

// The hall's pages live here: the hall manager's list of the point's cases
// and today's numbers, the public display board of a point, and the calling
// part of the front desk page (sign in at a window, call, serve, link cases).

// hallCases lists every case of the manager's point, newest first, with the
// SLA filter to find the late ones.
var hallCases = queueSpec{Title: "hall.title", Path: "/hall", SLA: true, States: cases.States}

// ticketStatusKeys and priorityKeys name the message of each ticket status
// and priority kind.
var (
	ticketStatusKeys = map[string]string{
		hall.StatusWaiting: "ticket.waiting", hall.StatusCalled: "ticket.called", hall.StatusServing: "ticket.serving",
		hall.StatusDone: "ticket.done", hall.StatusNoShow: "ticket.no_show", hall.StatusCancelled: "ticket.cancelled",
	}
	priorityKeys = map[string]string{
		hall.PriorityAppointment: "priority.appointment", hall.PriorityServiceman: "priority.serviceman",
		hall.PriorityDisabled: "priority.disabled", hall.PriorityElderly: "priority.elderly",
	}
)

// TicketStatus names a ticket's status.
func (l Lang) TicketStatus(st string) string { return l.keyed(ticketStatusKeys, st) }

// Priority names a ticket's priority kind.
func (l Lang) Priority(p string) string { return l.keyed(priorityKeys, p) }

// boardCategory is one line of the board's waiting counts.
type boardCategory struct {
	hall.Category
	Waiting int
}

type boardData struct {
	Point      network.Point
	Board      hall.Board
	Categories []boardCategory
}

// board is the full-screen display of a hall: numbers called and their
// windows, and the waiting count per category. The page shows the board as
// it stands; board.js then follows the hall's event stream.
func (w *Web) board(ctx context.Context, c *call) (answer, error) {
	pt, err := w.Points.Get(ctx, nil, c.Path("point"))
	if err != nil {
		return nil, err
	}
	b, err := w.Hall.BoardState(ctx, pt.Code)
	if err != nil {
		return nil, err
	}
	d := boardData{Point: pt, Board: b}
	for _, c := range b.Categories {
		if c.Active {
			d.Categories = append(d.Categories, boardCategory{Category: c, Waiting: b.Waiting[c.Code]})
		}
	}
	return page{Name: "board", Title: "board.title", Data: d}, nil
}

// counterData is the calling part of the desk page: the point's windows,
// the one the user is signed in at, and the ticket being handled there.
type counterData struct {
	Windows     []hall.Window
	Mine        *hall.Window
	Ticket      *hall.Ticket
	Appointment *hall.Appointment
	// Unlinked are the visit's cases not yet linked to the ticket.
	Unlinked []caseRow
}

// Linkable says whether cases may be linked to the ticket now.
func (c *counterData) Linkable() bool {
	return c.Ticket != nil && (c.Ticket.Status == hall.StatusServing || c.Ticket.Status == hall.StatusDone)
}

// counter loads the calling part of the desk page; nil when the server runs
// without halls or the point has no windows.
func (w *Web) counter(ctx context.Context, u auth.User, visit []caseRow) (*counterData, error) {
	if w.Hall == nil {
		return nil, nil
	}
	point := u.PointCode
	windows, err := w.Hall.Windows(ctx, u, point)
	if err != nil || len(windows) == 0 {
		return nil, err
	}
	c := &counterData{Windows: windows}
	for i := range windows {
		if windows[i].StaffID != nil && *windows[i].StaffID == u.ID {
			c.Mine = &windows[i]
		}
	}
	if c.Mine == nil || c.Mine.Current == nil {
		return c, nil
	}
	t, err := w.Hall.Ticket(ctx, u, point, c.Mine.Current.ID)
	if err != nil {
		return nil, err
	}
	c.Ticket = &t
	if t.AppointmentID != nil {
		if a, err := w.Hall.Appointment(ctx, u, point, *t.AppointmentID); err == nil {
			c.Appointment = &a
		}
	}
	for _, v := range visit {
		if !slices.ContainsFunc(t.Cases, func(l hall.LinkedCase) bool { return l.CaseID == v.ID }) {
			c.Unlinked = append(c.Unlinked, v)
		}
	}
	return c, nil
}

// backToDesk returns to the desk page, keeping the visit unless a new
// ticket starts a new one.
func backToDesk(visit string) answer {
	target := "/desk"
	if ids := parseVisit(visit); len(ids) > 0 {
		target += "?visit=" + url.QueryEscape(visitParam(ids))
	}
	return seeOther(target)
}

// windowAction signs in, signs out or calls the next ticket at a window.
func (w *Web) windowAction(ctx context.Context, c *call) (answer, error) {
	point, code, visit := c.User.PointCode, c.Path("window"), c.Form("visit")
	var err error
	switch c.Path("action") {
	case "sign-in":
		_, err = w.Hall.SignIn(ctx, c.User, point, code)
	case "sign-out":
		_, err = w.Hall.SignOut(ctx, c.User, point, code)
	case "call-next":
		_, err = w.Hall.CallNext(ctx, c.User, point, code)
		visit = "" // the next person starts a visit of their own
	default:
		return nil, errNoPage()
	}
	return backToDesk(visit), err
}

// ticketAction recalls, starts, finishes or marks a no-show the window's ticket.
func (w *Web) ticketAction(ctx context.Context, c *call) (answer, error) {
	point := c.User.PointCode
	var err error
	switch c.Path("action") {
	case "recall":
		_, err = w.Hall.Recall(ctx, c.User, point, c.ID)
	case "start":
		_, err = w.Hall.Start(ctx, c.User, point, c.ID)
	case "finish":
		_, err = w.Hall.Finish(ctx, c.User, point, c.ID)
	case "no-show":
		_, err = w.Hall.NoShow(ctx, c.User, point, c.ID)
	default:
		return nil, errNoPage()
	}
	return backToDesk(c.Form("visit")), err
}

// linkCases records the visit's cases as produced by the ticket.
func (w *Web) linkCases(ctx context.Context, c *call) (answer, error) {
	ids := parseVisit(c.Form("visit"))
	if one := c.Form("case_id"); one != "" {
		ids = parseVisit(one)
	}
	if len(ids) == 0 {
		return nil, apperr.Fields{apperr.Field("case_id", "required", apperr.M("没有可关联的办件", "there is no case to link"))}.Err()
	}
	for _, id := range ids {
		if _, err := w.Hall.LinkCase(ctx, c.User, c.User.PointCode, c.ID, id); err != nil && apperr.As(err).Reason != "case_already_linked" {
			return nil, err
		}
	}
	return backToDesk(c.Form("visit")), nil
}

// hallTodayData is the hall manager's dashboard.
type hallTodayData struct {
	Point   network.Point
	Day     string
	Roster  []hall.RosterEntry
	Stats   hallStatsView
	Summary hallSummaries
}

// hallToday shows today's numbers of the manager's point as charts that
// hall.js refreshes from hallStats, and today's duty roster.
func (w *Web) hallToday(ctx context.Context, c *call) (answer, error) {
	pt, err := w.Points.Get(ctx, nil, c.User.PointCode)
	if err != nil {
		return nil, err
	}
	day := hall.DayOf(w.Hall.Now())
	roster, err := w.Hall.Roster(ctx, c.User, pt.Code, day, day)
	if err != nil {
		return nil, err
	}
	st, err := w.hallStatsOf(ctx, c)
	if err != nil {
		return nil, err
	}
	return page{Name: "hall_today", Title: "hall_today.title", Scripts: []string{"vendor/echarts.min.js", "hall.js"},
		Data: hallTodayData{Point: pt, Day: day, Roster: roster, Stats: st, Summary: summariseHall(c.L, st)}}, nil
}

// hallStatsOf counts today's numbers of the manager's point, with its
// cases by state.
func (w *Web) hallStatsOf(ctx context.Context, c *call) (hallStatsView, error) {
	st, err := w.Hall.Stats(ctx, c.User, c.User.PointCode, "")
	if err != nil {
		return hallStatsView{}, err
	}
	// The day's cases: those opened since midnight China time, where they
	// stand now.
	now := w.Hall.Now().In(chinaTime)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, chinaTime)
	out := hallStatsView{Stats: st, CasesByState: []stateCount{}, UpdatedAt: now.Format("15:04:05")}
	for _, state := range cases.States {
		_, n, err := w.Cases.List(ctx, c.User, cases.Filter{States: []cases.State{state}, Since: midnight, Limit: 1})
		if err != nil {
			return hallStatsView{}, err
		}
		if n > 0 {
			out.CasesByState = append(out.CasesByState, stateCount{State: state, Label: c.L.State(state), Cases: n})
		}
	}
	for i := range out.Categories {
		if out.Categories[i].Name == "" {
			out.Categories[i].Name = out.Categories[i].Category
		}
	}
	return out, nil
}

// stateCount is the number of the point's cases in one state.
type stateCount struct {
	State cases.State `json:"state"`
	Label string      `json:"label"`
	Cases int         `json:"cases"`
}

// hallStatsView is what the dashboard's charts draw.
type hallStatsView struct {
	hall.Stats
	CasesByState []stateCount `json:"cases_by_state"`
	UpdatedAt    string       `json:"updated"` // China time, 24-hour, as the server read it
}

// hallStats answers the dashboard's refreshes with today's numbers as JSON.
func (w *Web) hallStats(ctx context.Context, c *call) (answer, error) {
	out, err := w.hallStatsOf(ctx, c)
	return jsonAnswer{out}, err
}
