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
	s.handle("GET", p+"/hours", false, s.hallHours)
	s.handle("PUT", p+"/hours", true, serve(http.StatusOK, nil, s.putHallHours))
	s.handle("GET", p+"/hall-settings", true, serve(http.StatusOK, []auth.Role{auth.RoleFrontDesk, auth.RoleIssuer, auth.RoleHallManager, auth.RoleAdmin}, s.hallSettings))
	s.handle("PUT", p+"/hall-settings", true, serve(http.StatusOK, nil, s.putHallSettings))
	s.handle("GET", p+"/categories", false, s.hallCategories)
	s.handle("PUT", p+"/categories/{code}", true, serve(http.StatusOK, nil, s.putHallCategory))
	s.handle("GET", p+"/windows", true, serve(http.StatusOK, nil, s.hallWindows))
	s.handle("PUT", p+"/windows/{window}", true, serve(http.StatusOK, nil, s.putHallWindow))
	s.handle("POST", p+"/windows/{window}/sign-in", true, serve(http.StatusOK, nil, s.hallWindowAction(s.hallSignIn)))
	s.handle("POST", p+"/windows/{window}/sign-out", true, serve(http.StatusOK, nil, s.hallWindowAction(s.hallSignOut)))
	s.handle("POST", p+"/windows/{window}/call-next", true, s.hallCallNext)

	s.handle("POST", p+"/kiosk/tickets", false, s.kioskTicket)
	s.handle("POST", p+"/kiosk/check-in", false, s.kioskCheckIn)
	s.handle("POST", p+"/tickets", true, s.takeTicket)
	s.handle("GET", p+"/tickets", true, s.hallTickets)
	s.handle("GET", p+"/tickets/{id}", true, s.hallTicket)
	s.handle("POST", p+"/tickets/{id}/recall", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Recall)))
	s.handle("POST", p+"/tickets/{id}/start", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Start)))
	s.handle("POST", p+"/tickets/{id}/finish", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Finish)))
	s.handle("POST", p+"/tickets/{id}/no-show", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).NoShow)))
	s.handle("POST", p+"/tickets/{id}/cancel", true, serve(http.StatusOK, nil, s.hallTicketAction((*hall.Service).Cancel)))
	s.handle("POST", p+"/tickets/{id}/transfer", true, serve(http.StatusOK, nil, s.transferTicket))
	s.handle("POST", p+"/tickets/{id}/cases", true, serve(http.StatusOK, nil, s.linkTicketCase))

	s.handle("GET", p+"/board", false, s.hallBoard)
	s.handle("GET", p+"/board/state", false, s.hallBoardState)

	s.handle("GET", p+"/slots", false, s.hallSlots)
	s.handle("POST", p+"/slots", true, serve(http.StatusOK, nil, s.putHallSlots))
	s.handle("POST", p+"/slots/generate", true, serve(http.StatusOK, nil, s.generateHallSlots))
	s.handle("GET", p+"/appointments", true, serve(http.StatusOK, nil, s.hallAppointments))
	s.handle("POST", p+"/appointments", true, s.bookAppointment)
	s.handle("GET", p+"/appointments/{id}", true, serve(http.StatusOK, nil, s.hallAppointment))
	s.handle("POST", p+"/appointments/{id}/cancel", true, serve(http.StatusOK, nil, s.cancelAppointment))
	s.handle("POST", p+"/appointments/{id}/reschedule", true, serve(http.StatusOK, nil, s.rescheduleAppointment))
	s.handle("POST", p+"/appointments/{id}/check-in", true, serve(http.StatusCreated, nil, s.checkInAppointment))

	s.handle("GET", p+"/skills", true, serve(http.StatusOK, nil, s.hallSkills))
	s.handle("PUT", p+"/skills/{user}", true, s.putHallSkill)
	s.handle("GET", p+"/roster", true, s.hallRoster)
	s.handle("PUT", p+"/roster/{day}", true, serve(http.StatusOK, nil, s.putHallRoster))
	s.handle("POST", p+"/roster/rotate", true, s.rotateHallRoster)
	s.handle("GET", p+"/roster/now", true, s.hallOnDuty)
	s.handle("GET", p+"/stats", true, s.hallStats)
}

// hoursView is a point's weekly hours and whether it is open now.
type hoursView struct {
	Periods hall.Hours      `json:"periods"`
	Now     hall.OpenStatus `json:"now"`
}

type hoursInput struct {
	Periods hall.Hours `json:"periods"`
}

func (s *Server) hallHours(w http.ResponseWriter, r *http.Request) error {
	point := r.PathValue("point")
	h, err := s.Hall.Hours(r.Context(), point)
	if err != nil {
		return err
	}
	st, err := s.Hall.Status(r.Context(), point, time.Time{})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, hoursView{Periods: h, Now: st})
	return nil
}

func (s *Server) putHallHours(ctx context.Context, c call[hoursInput]) (hoursView, error) {
	if c.In.Periods == nil {
		c.In.Periods = hall.Hours{}
	}
	h, err := s.Hall.PutHours(ctx, c.Actor, c.R.PathValue("point"), c.In.Periods)
	if err != nil {
		return hoursView{}, err
	}
	st, err := s.Hall.Status(ctx, c.R.PathValue("point"), time.Time{})
	return hoursView{Periods: h, Now: st}, err
}

func (s *Server) hallSettings(ctx context.Context, c call[noBody]) (hall.Settings, error) {
	return s.Hall.Settings(ctx, c.R.PathValue("point"))
}

func (s *Server) putHallSettings(ctx context.Context, c call[hall.Settings]) (hall.Settings, error) {
	return s.Hall.PutSettings(ctx, c.Actor, c.R.PathValue("point"), c.In)
}

func (s *Server) hallCategories(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Hall.Categories(r.Context(), r.PathValue("point"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Category]{Items: cs, Total: len(cs), Limit: len(cs)})
	return nil
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
	return s.Hall.PutCategory(ctx, c.Actor, c.R.PathValue("point"), hall.Category{Code: c.R.PathValue("code"), Name: in.Name,
		NameEN: in.NameEN, SortOrder: in.SortOrder, Active: in.Active == nil || *in.Active})
}

func (s *Server) hallWindows(ctx context.Context, c call[noBody]) (page[hall.Window], error) {
	ws, err := s.Hall.Windows(ctx, c.Actor, c.R.PathValue("point"))
	return page[hall.Window]{Items: ws, Total: len(ws), Limit: len(ws)}, err
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
	return s.Hall.PutWindow(ctx, c.Actor, c.R.PathValue("point"), hall.Window{Code: c.R.PathValue("window"), Name: in.Name,
		Categories: in.Categories, SortOrder: in.SortOrder, Active: in.Active == nil || *in.Active})
}

func (s *Server) hallWindowAction(fn func(ctx context.Context, u auth.User, point, window string) (hall.Window, error)) func(context.Context, call[noBody]) (hall.Window, error) {
	return func(ctx context.Context, c call[noBody]) (hall.Window, error) {
		return fn(ctx, c.Actor, c.R.PathValue("point"), c.R.PathValue("window"))
	}
}

func (s *Server) hallSignIn(ctx context.Context, u auth.User, point, window string) (hall.Window, error) {
	return s.Hall.SignIn(ctx, u, point, window)
}

func (s *Server) hallSignOut(ctx context.Context, u auth.User, point, window string) (hall.Window, error) {
	return s.Hall.SignOut(ctx, u, point, window)
}

func (s *Server) hallCallNext(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	t, err := s.Hall.CallNext(r.Context(), u, r.PathValue("point"), r.PathValue("window"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
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

func (s *Server) kioskTicket(w http.ResponseWriter, r *http.Request) error {
	if err := s.kioskAllowed(r); err != nil {
		return err
	}
	var in hall.TakeRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Hall.TakeAtKiosk(r.Context(), r.PathValue("point"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, kioskTicket(t))
	return nil
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

func (s *Server) kioskCheckIn(w http.ResponseWriter, r *http.Request) error {
	if err := s.kioskAllowed(r); err != nil {
		return err
	}
	var in checkInInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Hall.CheckInByCode(r.Context(), r.PathValue("point"), strings.ToUpper(strings.TrimSpace(in.Code)))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, kioskTicket(t))
	return nil
}

func (s *Server) takeTicket(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	point := r.PathValue("point")
	return s.idempotent(w, r, u, func(ctx context.Context, body []byte) (int, any, error) {
		var in hall.TakeRequest
		if err := decodeBytes(body, &in); err != nil {
			return 0, nil, err
		}
		t, err := s.Hall.Take(ctx, u, point, in)
		return http.StatusCreated, t, err
	}, func(ctx context.Context, ref string) (int, any, error) {
		id, err := refID(ref, "ticket")
		if err != nil {
			return 0, nil, err
		}
		t, err := s.Hall.Ticket(ctx, u, point, id)
		return http.StatusCreated, t, err
	})
}

func (s *Server) hallTickets(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	q := r.URL.Query()
	ts, err := s.Hall.Tickets(r.Context(), u, r.PathValue("point"), hall.TicketFilter{Day: q.Get("day"), Status: q.Get("status")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Ticket]{Items: ts, Total: len(ts), Limit: len(ts)})
	return nil
}

func (s *Server) hallTicket(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.Hall.Ticket(r.Context(), u, r.PathValue("point"), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// hallTicketAction is one step on a ticket that reads no body.
func (s *Server) hallTicketAction(fn func(*hall.Service, context.Context, auth.User, string, int64) (hall.Ticket, error)) func(context.Context, call[noBody]) (hall.Ticket, error) {
	return func(ctx context.Context, c call[noBody]) (hall.Ticket, error) {
		return fn(s.Hall, ctx, c.Actor, c.R.PathValue("point"), c.ID)
	}
}

func (s *Server) transferTicket(ctx context.Context, c call[hall.TransferRequest]) (hall.Ticket, error) {
	return s.Hall.Transfer(ctx, c.Actor, c.R.PathValue("point"), c.ID, c.In)
}

type linkCaseInput struct {
	CaseID int64 `json:"case_id"`
}

func (s *Server) linkTicketCase(ctx context.Context, c call[linkCaseInput]) (hall.Ticket, error) {
	return s.Hall.LinkCase(ctx, c.Actor, c.R.PathValue("point"), c.ID, c.In.CaseID)
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
	sk, err := s.Hall.Skills(ctx, c.Actor, c.R.PathValue("point"))
	return page[hall.Skill]{Items: sk, Total: len(sk), Limit: len(sk)}, err
}

// skillInput is a skill without the user, whom the path names.
type skillInput struct {
	AllItems   bool     `json:"all_items"`
	Categories []string `json:"categories,omitempty"`
	Items      []string `json:"items,omitempty"`
}

func (s *Server) putHallSkill(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "user")
	if err != nil {
		return err
	}
	var in skillInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	sk, err := s.Hall.PutSkill(r.Context(), u, r.PathValue("point"), hall.Skill{UserID: id, AllItems: in.AllItems,
		Categories: in.Categories, Items: in.Items})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sk)
	return nil
}

func (s *Server) hallRoster(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	q := r.URL.Query()
	es, err := s.Hall.Roster(r.Context(), u, r.PathValue("point"), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.RosterEntry]{Items: es, Total: len(es), Limit: len(es)})
	return nil
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
	es, err := s.Hall.PutRoster(ctx, c.Actor, c.R.PathValue("point"), c.R.PathValue("day"), entries)
	return page[hall.RosterEntry]{Items: es, Total: len(es), Limit: len(es)}, err
}

func (s *Server) rotateHallRoster(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in hall.RotateRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	es, err := s.Hall.Rotate(r.Context(), u, r.PathValue("point"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.RosterEntry]{Items: es, Total: len(es), Limit: len(es)})
	return nil
}

func (s *Server) hallOnDuty(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	es, err := s.Hall.OnDuty(r.Context(), u, r.PathValue("point"), time.Time{}, r.URL.Query().Get("item"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.RosterEntry]{Items: es, Total: len(es), Limit: len(es)})
	return nil
}

func (s *Server) hallStats(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	st, err := s.Hall.Stats(r.Context(), u, r.PathValue("point"), r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
