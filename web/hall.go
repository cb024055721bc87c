package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
)

// The hall's pages live here: the hall manager's list of the point's cases
// and today's numbers, the public display board of a point, and the calling
// part of the front desk page (sign in at a window, call, serve, link cases).

// hallCases lists every case of the manager's point, newest first, with the
// SLA filter to find the late ones.
func (w *Web) hallCases(rw http.ResponseWriter, r *http.Request, s *session) error {
	return w.queue(rw, r, s, queueSpec{Title: "hall.title", Path: "/hall", SLA: true, States: cases.States})
}

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

// hallService returns the hall service, or NotFound where the server runs without one.
func (w *Web) hallService() (*hall.Service, error) {
	if w.Hall == nil {
		return nil, apperr.NotFoundf("page_not_found", apperr.M("没有这个页面", "there is no such page"))
	}
	return w.Hall, nil
}

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
func (w *Web) board(rw http.ResponseWriter, r *http.Request, s *session) error {
	h, err := w.hallService()
	if err != nil {
		return err
	}
	ctx := r.Context()
	pt, err := w.Points.Get(ctx, nil, r.PathValue("point"))
	if err != nil {
		return err
	}
	b, err := h.BoardState(ctx, pt.Code)
	if err != nil {
		return err
	}
	d := boardData{Point: pt, Board: b}
	for _, c := range b.Categories {
		if c.Active {
			d.Categories = append(d.Categories, boardCategory{Category: c, Waiting: b.Waiting[c.Code]})
		}
	}
	return w.write(rw, r, s, http.StatusOK, "board", &view{session: s, Title: s.L.T("board.title"), Data: d})
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
func (w *Web) counter(r *http.Request, s *session, visit []caseRow) (*counterData, error) {
	if w.Hall == nil {
		return nil, nil
	}
	ctx := r.Context()
	point := s.User.PointCode
	windows, err := w.Hall.Windows(ctx, *s.User, point)
	if err != nil || len(windows) == 0 {
		return nil, err
	}
	c := &counterData{Windows: windows}
	for i := range windows {
		if windows[i].StaffID != nil && *windows[i].StaffID == s.User.ID {
			c.Mine = &windows[i]
		}
	}
	if c.Mine == nil || c.Mine.Current == nil {
		return c, nil
	}
	t, err := w.Hall.Ticket(ctx, *s.User, point, c.Mine.Current.ID)
	if err != nil {
		return nil, err
	}
	c.Ticket = &t
	if t.AppointmentID != nil {
		if a, err := w.Hall.Appointment(ctx, *s.User, point, *t.AppointmentID); err == nil {
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
func backToDesk(rw http.ResponseWriter, r *http.Request, visit string) {
	target := "/desk"
	if ids := parseVisit(visit); len(ids) > 0 {
		target += "?visit=" + url.QueryEscape(visitParam(ids))
	}
	http.Redirect(rw, r, target, http.StatusSeeOther)
}

// windowAction signs in, signs out or calls the next ticket at a window.
func (w *Web) windowAction(rw http.ResponseWriter, r *http.Request, s *session) error {
	h, err := w.hallService()
	if err != nil {
		return err
	}
	ctx, point, code := r.Context(), s.User.PointCode, r.PathValue("window")
	visit := r.PostFormValue("visit")
	switch r.PathValue("action") {
	case "sign-in":
		_, err = h.SignIn(ctx, *s.User, point, code)
	case "sign-out":
		_, err = h.SignOut(ctx, *s.User, point, code)
	case "call-next":
		_, err = h.CallNext(ctx, *s.User, point, code)
		visit = "" // the next person starts a visit of their own
	default:
		return apperr.NotFoundf("page_not_found", apperr.M("没有这个页面", "there is no such page"))
	}
	if err != nil {
		return err
	}
	backToDesk(rw, r, visit)
	return nil
}

// ticketAction recalls, starts, finishes or marks a no-show the window's ticket.
func (w *Web) ticketAction(rw http.ResponseWriter, r *http.Request, s *session) error {
	h, err := w.hallService()
	if err != nil {
		return err
	}
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil || id <= 0 {
		return apperr.NotFoundf("page_not_found", apperr.M("没有这个页面", "there is no such page"))
	}
	ctx, point := r.Context(), s.User.PointCode
	switch r.PathValue("action") {
	case "recall":
		_, err = h.Recall(ctx, *s.User, point, id)
	case "start":
		_, err = h.Start(ctx, *s.User, point, id)
	case "finish":
		_, err = h.Finish(ctx, *s.User, point, id)
	case "no-show":
		_, err = h.NoShow(ctx, *s.User, point, id)
	default:
		return apperr.NotFoundf("page_not_found", apperr.M("没有这个页面", "there is no such page"))
	}
	if err != nil {
		return err
	}
	backToDesk(rw, r, r.PostFormValue("visit"))
	return nil
}

// linkCases records the visit's cases as produced by the ticket.
func (w *Web) linkCases(rw http.ResponseWriter, r *http.Request, s *session) error {
	h, err := w.hallService()
	if err != nil {
		return err
	}
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil || id <= 0 {
		return apperr.NotFoundf("page_not_found", apperr.M("没有这个页面", "there is no such page"))
	}
	ids := parseVisit(r.PostFormValue("visit"))
	if one := r.PostFormValue("case_id"); one != "" {
		ids = parseVisit(one)
	}
	if len(ids) == 0 {
		return apperr.Fields{apperr.Field("case_id", "required", apperr.M("没有可关联的办件", "there is no case to link"))}.Err()
	}
	for _, c := range ids {
		if _, err := h.LinkCase(r.Context(), *s.User, s.User.PointCode, id, c); err != nil && apperr.As(err).Reason != "case_already_linked" {
			return err
		}
	}
	backToDesk(rw, r, r.PostFormValue("visit"))
	return nil
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
func (w *Web) hallToday(rw http.ResponseWriter, r *http.Request, s *session) error {
	h, err := w.hallService()
	if err != nil {
		return err
	}
	ctx := r.Context()
	pt, err := w.Points.Get(ctx, nil, s.User.PointCode)
	if err != nil {
		return err
	}
	day := hall.DayOf(h.Now())
	roster, err := h.Roster(ctx, *s.User, pt.Code, day, day)
	if err != nil {
		return err
	}
	st, err := w.hallStatsOf(r, s)
	if err != nil {
		return err
	}
	v := &view{session: s, Title: s.L.T("hall_today.title"), Scripts: []string{"vendor/echarts.min.js", "hall.js"},
		Data: hallTodayData{Point: pt, Day: day, Roster: roster, Stats: st, Summary: summariseHall(s.L, st)}}
	return w.write(rw, r, s, http.StatusOK, "hall_today", v)
}

// hallStatsOf counts today's numbers of the manager's point, with its
// cases by state.
func (w *Web) hallStatsOf(r *http.Request, s *session) (hallStatsView, error) {
	h, err := w.hallService()
	if err != nil {
		return hallStatsView{}, err
	}
	ctx := r.Context()
	st, err := h.Stats(ctx, *s.User, s.User.PointCode, "")
	if err != nil {
		return hallStatsView{}, err
	}
	// The day's cases: those opened since midnight China time, where they
	// stand now.
	now := h.Now().In(chinaTime)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, chinaTime)
	out := hallStatsView{Stats: st, CasesByState: []stateCount{}, UpdatedAt: now.Format("15:04:05")}
	for _, state := range cases.States {
		_, n, err := w.Cases.List(ctx, *s.User, cases.Filter{States: []cases.State{state}, Since: midnight, Limit: 1})
		if err != nil {
			return hallStatsView{}, err
		}
		if n > 0 {
			out.CasesByState = append(out.CasesByState, stateCount{State: state, Label: s.L.State(state), Cases: n})
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
func (w *Web) hallStats(rw http.ResponseWriter, r *http.Request, s *session) error {
	out, err := w.hallStatsOf(r, s)
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(rw).Encode(out)
}
