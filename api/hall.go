package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
)

// registerHallRoutes serves the hall of each service point: tickets,
// windows, the display board, hours, appointments, the roster and the numbers.
func (s *Server) registerHallRoutes() {
	const p = "/api/v1/points/{point}"
	s.handle("GET", p+"/hours", false, serve(http.StatusOK, nil, s.hallHours))
	s.handle("PUT", p+"/hours", true, serve(http.StatusOK, nil, s.putHallHours))
	s.handle("GET", p+"/hall-settings", true, serve(http.StatusOK, []auth.Role{auth.RoleFrontDesk, auth.RoleIssuer, auth.RoleHallManager, auth.RoleAdmin}, s.hallSettings))
	s.handle("PUT", p+"/hall-settings", true, serve(http.StatusOK, nil, s.putHallSettings))
	s.handle("GET", p+"/categories", false, serve(http.StatusOK, nil, s.hallCategories))
	s.handle("PUT", p+"/categories/{code}", true, serve(http.StatusOK, nil, s.putHallCategory))
	s.handle("GET", p+"/windows", true, serve(http.StatusOK, nil, s.hallWindows))
	s.handle("PUT", p+"/windows/{window}", true, serve(http.StatusOK, nil, s.putHallWindow))
	s.handle("POST", p+"/windows/{window}/sign-in", true, serve(http.StatusOK, nil, windowAction(s.Hall.SignIn)))
	s.handle("POST", p+"/windows/{window}/sign-out", true, serve(http.StatusOK, nil, windowAction(s.Hall.SignOut)))
	s.handle("POST", p+"/windows/{window}/call-next", true, serve(http.StatusOK, nil, windowAction(s.Hall.CallNext)))

	s.handle("POST", p+"/kiosk/tickets", false, serve(http.StatusCreated, nil, s.kioskTicket))
	s.handle("POST", p+"/kiosk/check-in", false, serve(http.StatusCreated, nil, s.kioskCheckIn))
	s.handle("POST", p+"/tickets", true, serveOnce(s, "ticket", s.takeTicket, s.hallTicket))
	s.handle("GET", p+"/tickets", true, serve(http.StatusOK, nil, s.hallTickets))
	s.handle("GET", p+"/tickets/{id}", true, serve(http.StatusOK, nil, s.hallTicket))
	s.handle("POST", p+"/tickets/{id}/recall", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Recall)))
	s.handle("POST", p+"/tickets/{id}/start", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Start)))
	s.handle("POST", p+"/tickets/{id}/finish", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Finish)))
	s.handle("POST", p+"/tickets/{id}/no-show", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).NoShow)))
	s.handle("POST", p+"/tickets/{id}/cancel", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Cancel)))
	s.handle("POST", p+"/tickets/{id}/transfer", true, serve(http.StatusOK, nil, s.transferTicket))
	s.handle("POST", p+"/tickets/{id}/cases", true, serve(http.StatusOK, nil, s.linkTicketCase))

	s.handle("GET", p+"/board", false, s.hallBoard) // an event stream: hand-written
	s.handle("GET", p+"/board/state", false, serve(http.StatusOK, nil, s.hallBoardState))

	s.handle("GET", p+"/slots", false, serve(http.StatusOK, nil, s.hallSlots))
	s.handle("POST", p+"/slots", true, serve(http.StatusOK, nil, s.putHallSlots))
	s.handle("POST", p+"/slots/generate", true, serve(http.StatusOK, nil, s.generateHallSlots))
	s.handle("GET", p+"/appointments", true, serve(http.StatusOK, nil, s.hallAppointments))
	s.handle("POST", p+"/appointments", true, serveOnce(s, "appointment", s.bookAppointment, s.hallAppointment))
	s.handle("GET", p+"/appointments/{id}", true, serve(http.StatusOK, nil, s.hallAppointment))
	s.handle("POST", p+"/appointments/{id}/cancel", true, serve(http.StatusOK, nil, s.cancelAppointment))
	s.handle("POST", p+"/appointments/{id}/reschedule", true, serve(http.StatusOK, nil, s.rescheduleAppointment))
	s.handle("POST", p+"/appointments/{id}/check-in", true, serve(http.StatusCreated, nil, s.checkInAppointment))

	s.handle("GET", p+"/skills", true, serve(http.StatusOK, nil, s.hallSkills))
	s.handle("PUT", p+"/skills/{user}", true, serve(http.StatusOK, nil, s.putHallSkill))
	s.handle("GET", p+"/roster", true, serve(http.StatusOK, nil, s.hallRoster))
	s.handle("PUT", p+"/roster/{day}", true, serve(http.StatusOK, nil, s.putHallRoster))
	s.handle("POST", p+"/roster/rotate", true, serve(http.StatusOK, nil, s.rotateHallRoster))
	s.handle("GET", p+"/roster/now", true, serve(http.StatusOK, nil, s.hallOnDuty))
	s.handle("GET", p+"/stats", true, serve(http.StatusOK, nil, s.hallStats))
}

// hoursView is a point's weekly hours and whether it is open now.
type hoursView struct {
	Periods hall.Hours      `json:"periods"`
	Now     hall.OpenStatus `json:"now"`
}

type hoursInput struct {
	Periods hall.Hours `json:"periods"`
}

func (s *Server) hallHours(ctx context.Context, c call[noBody]) (hoursView, error) {
	h, err := s.Hall.Hours(ctx, c.Path("point"))
	if err != nil {
		return hoursView{}, err
	}
	st, err := s.Hall.Status(ctx, c.Path("point"), time.Time{})
	return hoursView{Periods: h, Now: st}, err
}

func (s *Server) putHallHours(ctx context.Context, c call[hoursInput]) (hoursView, error) {
	if c.In.Periods == nil {
		c.In.Periods = hall.Hours{}
	}
	h, err := s.Hall.PutHours(ctx, c.Actor, c.Path("point"), c.In.Periods)
	if err != nil {
		return hoursView{}, err
	}
	st, err := s.Hall.Status(ctx, c.Path("point"), time.Time{})
	return hoursView{Periods: h, Now: st}, err
}

func (s *Server) hallSettings(ctx context.Context, c call[noBody]) (hall.Settings, error) {
	return s.Hall.Settings(ctx, c.Path("point"))
}

func (s *Server) putHallSettings(ctx context.Context, c call[hall.Settings]) (hall.Settings, error) {
	return s.Hall.PutSettings(ctx, c.Actor, c.Path("point"), c.In)
}

func (s *Server) hallCategories(ctx context.Context, c call[noBody]) (page[hall.Category], error) {
	cs, err := s.Hall.Categories(ctx, c.Path("point"))
	return all(cs), err
}

// categoryInput is a category without its code, which the path gives.
type categoryInput struct {
	Name      string `json:"name"`
	NameEN    string `json:"name_en,omitempty"`
	SortOrder int    `json:"sort_order"`
	Active    *bool  `json:"active,omitempty"` // true when left out
}

func (s *Server) putHallCategory(ctx context.Context, c call[categoryInput]) (hall.Category, error) {
	in := c.In
	return s.Hall.PutCategory(ctx, c.Actor, c.Path("point"), hall.Category{Code: c.R.PathValue("code"), Name: in.Name,
		NameEN: in.NameEN, SortOrder: in.SortOrder, Active: in.Active == nil || *in.Active})
}

func (s *Server) hallWindows(ctx context.Context, c call[noBody]) (page[hall.Window], error) {
	ws, err := s.Hall.Windows(ctx, c.Actor, c.Path("point"))
	return all(ws), err
}

// windowInput is a window without its code, which the path gives.
type windowInput struct {
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	SortOrder  int      `json:"sort_order"`
	Active     *bool    `json:"active,omitempty"` // true when left out
}

func (s *Server) putHallWindow(ctx context.Context, c call[windowInput]) (hall.Window, error) {
	in := c.In
	return s.Hall.PutWindow(ctx, c.Actor, c.Path("point"), hall.Window{Code: c.R.PathValue("window"), Name: in.Name,
		Categories: in.Categories, SortOrder: in.SortOrder, Active: in.Active == nil || *in.Active})
}

// hallWindowAction is one step at a window that reads no body.
func windowAction[Out any](fn func(ctx context.Context, u auth.User, point, window string) (Out, error)) func(context.Context, call[noBody]) (Out, error) {
	return func(ctx context.Context, c call[noBody]) (Out, error) {
		return fn(ctx, c.Actor, c.Path("point"), c.Path("window"))
	}
}

// kioskAllowed limits the public kiosk endpoints per point and client.
func (s *Server) kioskAllowed(r *http.Request) error {
	ok, wait := s.Hall.Kiosk.Allow(r.PathValue("point") + "|" + s.clientIP(r))
	if ok {
		return nil
	}
	return apperr.New(apperr.RateLimited, "kiosk_rate_limited", apperr.M("取号过于频繁，请稍后再试", "too many tickets from this kiosk; please try again shortly")).
		With("retry_after", int((wait+time.Second-1)/time.Second))
}

func (s *Server) kioskTicket(ctx context.Context, c call[hall.TakeRequest]) (hall.Ticket, error) {
	if err := s.kioskAllowed(c.R); err != nil {
		return hall.Ticket{}, err
	}
	t, err := s.Hall.TakeAtKiosk(ctx, c.Path("point"), c.In)
	return kioskTicket(t), err
}

// kioskTicket is a ticket as the kiosk, which stands in the public hall,
// shows it: the holder's name masked (ident.MaskName, whatever its length).
func kioskTicket(t hall.Ticket) hall.Ticket {
	t.HolderName = ident.MaskName(t.HolderName)
	return t
}

type checkInInput struct {
	Code string `json:"code"`
}

func (s *Server) kioskCheckIn(ctx context.Context, c call[checkInInput]) (hall.Ticket, error) {
	if err := s.kioskAllowed(c.R); err != nil {
		return hall.Ticket{}, err
	}
	t, err := s.Hall.CheckInByCode(ctx, c.Path("point"), strings.ToUpper(strings.TrimSpace(c.In.Code)))
	return kioskTicket(t), err
}

func (s *Server) takeTicket(ctx context.Context, c call[hall.TakeRequest]) (hall.Ticket, error) {
	return s.Hall.Take(ctx, c.Actor, c.Path("point"), c.In)
}

func (s *Server) hallTickets(ctx context.Context, c call[noBody]) (page[hall.Ticket], error) {
	ts, err := s.Hall.Tickets(ctx, c.Actor, c.Path("point"), hall.TicketFilter{Day: c.Query("day"), Status: c.Query("status")})
	return all(ts), err
}

func (s *Server) hallTicket(ctx context.Context, c call[noBody]) (hall.Ticket, error) {
	return s.Hall.Ticket(ctx, c.Actor, c.Path("point"), c.ID)
}

// hallTicketAction is one step on a ticket that reads no body.
func (s *Server) hallTicketAction(fn func(*hall.Service, context.Context, auth.User, string, int64) (hall.Ticket, error)) func(context.Context, call[noBody]) (hall.Ticket, error) {
	return func(ctx context.Context, c call[noBody]) (hall.Ticket, error) {
		return fn(s.Hall, ctx, c.Actor, c.Path("point"), c.ID)
	}
}

func (s *Server) transferTicket(ctx context.Context, c call[hall.TransferRequest]) (hall.Ticket, error) {
	return s.Hall.Transfer(ctx, c.Actor, c.Path("point"), c.ID, c.In)
}

type linkCaseInput struct {
	CaseID int64 `json:"case_id"`
}

func (s *Server) linkTicketCase(ctx context.Context, c call[linkCaseInput]) (hall.Ticket, error) {
	return s.Hall.LinkCase(ctx, c.Actor, c.Path("point"), c.ID, c.In.CaseID)
}

// boardBatch bounds the events read at once when a viewer catches up from
// the database; a viewer far behind catches up over a few reads.
const boardBatch = 200

// Defaults for the board stream caps.
const (
	DefaultMaxBoardStreams       = 5000
	DefaultBoardStreamsPerClient = 50
)

func (s *Server) hallSkills(ctx context.Context, c call[noBody]) (page[hall.Skill], error) {
	sk, err := s.Hall.Skills(ctx, c.Actor, c.Path("point"))
	return all(sk), err
}

// skillInput is a skill without the user, whom the path names.
type skillInput struct {
	AllItems   bool     `json:"all_items"`
	Categories []string `json:"categories,omitempty"`
	Items      []string `json:"items,omitempty"`
}

func (s *Server) putHallSkill(ctx context.Context, c call[skillInput]) (hall.Skill, error) {
	id, err := pathID(c.R, "user")
	if err != nil {
		return hall.Skill{}, err
	}
	return s.Hall.PutSkill(ctx, c.Actor, c.Path("point"), hall.Skill{UserID: id, AllItems: c.In.AllItems,
		Categories: c.In.Categories, Items: c.In.Items})
}

func (s *Server) hallRoster(ctx context.Context, c call[noBody]) (page[hall.RosterEntry], error) {
	es, err := s.Hall.Roster(ctx, c.Actor, c.Path("point"), c.Query("from"), c.Query("to"))
	return all(es), err
}

type rosterEntryInput struct {
	UserID int64  `json:"user_id"`
	Starts string `json:"starts,omitempty"`
	Ends   string `json:"ends,omitempty"`
}

type rosterInput struct {
	Entries []rosterEntryInput `json:"entries"`
}

func (s *Server) putHallRoster(ctx context.Context, c call[rosterInput]) (page[hall.RosterEntry], error) {
	entries := make([]hall.RosterEntry, len(c.In.Entries))
	for i, e := range c.In.Entries {
		entries[i] = hall.RosterEntry{UserID: e.UserID, Starts: e.Starts, Ends: e.Ends}
	}
	es, err := s.Hall.PutRoster(ctx, c.Actor, c.Path("point"), c.R.PathValue("day"), entries)
	return all(es), err
}

func (s *Server) rotateHallRoster(ctx context.Context, c call[hall.RotateRequest]) (page[hall.RosterEntry], error) {
	es, err := s.Hall.Rotate(ctx, c.Actor, c.Path("point"), c.In)
	return all(es), err
}

func (s *Server) hallOnDuty(ctx context.Context, c call[noBody]) (page[hall.RosterEntry], error) {
	es, err := s.Hall.OnDuty(ctx, c.Actor, c.Path("point"), time.Time{}, c.Query("item"))
	return all(es), err
}

func (s *Server) hallStats(ctx context.Context, c call[noBody]) (hall.Stats, error) {
	return s.Hall.Stats(ctx, c.Actor, c.Path("point"), c.Query("day"))
}
