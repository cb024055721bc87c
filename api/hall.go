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
	s.handle("PUT", p+"/hours", true, s.putHallHours)
	s.handle("GET", p+"/hall-settings", true, s.hallSettings)
	s.handle("PUT", p+"/hall-settings", true, s.putHallSettings)
	s.handle("GET", p+"/categories", false, s.hallCategories)
	s.handle("PUT", p+"/categories/{code}", true, s.putHallCategory)
	s.handle("GET", p+"/windows", true, s.hallWindows)
	s.handle("PUT", p+"/windows/{window}", true, s.putHallWindow)
	s.handle("POST", p+"/windows/{window}/sign-in", true, s.hallWindowAction(s.hallSignIn))
	s.handle("POST", p+"/windows/{window}/sign-out", true, s.hallWindowAction(s.hallSignOut))
	s.handle("POST", p+"/windows/{window}/call-next", true, s.hallCallNext)

	s.handle("POST", p+"/kiosk/tickets", false, s.kioskTicket)
	s.handle("POST", p+"/kiosk/check-in", false, s.kioskCheckIn)
	s.handle("POST", p+"/tickets", true, s.takeTicket)
	s.handle("GET", p+"/tickets", true, s.hallTickets)
	s.handle("GET", p+"/tickets/{id}", true, s.hallTicket)
	s.handle("POST", p+"/tickets/{id}/recall", true, s.hallTicketAction((*hall.Service).Recall))
	s.handle("POST", p+"/tickets/{id}/start", true, s.hallTicketAction((*hall.Service).Start))
	s.handle("POST", p+"/tickets/{id}/finish", true, s.hallTicketAction((*hall.Service).Finish))
	s.handle("POST", p+"/tickets/{id}/no-show", true, s.hallTicketAction((*hall.Service).NoShow))
	s.handle("POST", p+"/tickets/{id}/cancel", true, s.hallTicketAction((*hall.Service).Cancel))
	s.handle("POST", p+"/tickets/{id}/transfer", true, s.transferTicket)
	s.handle("POST", p+"/tickets/{id}/cases", true, s.linkTicketCase)

	s.handle("GET", p+"/board", false, s.hallBoard)
	s.handle("GET", p+"/board/state", false, s.hallBoardState)

	s.handle("GET", p+"/slots", false, s.hallSlots)
	s.handle("POST", p+"/slots", true, s.putHallSlots)
	s.handle("POST", p+"/slots/generate", true, s.generateHallSlots)
	s.handle("GET", p+"/appointments", true, s.hallAppointments)
	s.handle("POST", p+"/appointments", true, s.bookAppointment)
	s.handle("GET", p+"/appointments/{id}", true, s.hallAppointment)
	s.handle("POST", p+"/appointments/{id}/cancel", true, s.cancelAppointment)
	s.handle("POST", p+"/appointments/{id}/reschedule", true, s.rescheduleAppointment)
	s.handle("POST", p+"/appointments/{id}/check-in", true, s.checkInAppointment)

	s.handle("GET", p+"/skills", true, s.hallSkills)
	s.handle("PUT", p+"/skills/{user}", true, s.putHallSkill)
	s.handle("GET", p+"/roster", true, s.hallRoster)
	s.handle("PUT", p+"/roster/{day}", true, s.putHallRoster)
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

func (s *Server) putHallHours(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in hoursInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Periods == nil {
		in.Periods = hall.Hours{}
	}
	h, err := s.Hall.PutHours(r.Context(), u, r.PathValue("point"), in.Periods)
	if err != nil {
		return err
	}
	st, err := s.Hall.Status(r.Context(), r.PathValue("point"), time.Time{})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, hoursView{Periods: h, Now: st})
	return nil
}

func (s *Server) hallSettings(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleFrontDesk, auth.RoleIssuer, auth.RoleHallManager, auth.RoleAdmin); err != nil {
		return err
	}
	st, err := s.Hall.Settings(r.Context(), r.PathValue("point"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) putHallSettings(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in hall.Settings
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	st, err := s.Hall.PutSettings(r.Context(), u, r.PathValue("point"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
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

func (s *Server) putHallCategory(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in categoryInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c := hall.Category{Code: r.PathValue("code"), Name: in.Name, NameEN: in.NameEN, SortOrder: in.SortOrder, Active: in.Active == nil || *in.Active}
	c, err := s.Hall.PutCategory(r.Context(), u, r.PathValue("point"), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) hallWindows(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	ws, err := s.Hall.Windows(r.Context(), u, r.PathValue("point"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Window]{Items: ws, Total: len(ws), Limit: len(ws)})
	return nil
}

// windowInput is a window without its code, which the path gives.
type windowInput struct {
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	SortOrder  int      `json:"sort_order"`
	Active     *bool    `json:"active,omitempty"` // true when left out
}

func (s *Server) putHallWindow(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in windowInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	win := hall.Window{Code: r.PathValue("window"), Name: in.Name, Categories: in.Categories, SortOrder: in.SortOrder,
		Active: in.Active == nil || *in.Active}
	win, err := s.Hall.PutWindow(r.Context(), u, r.PathValue("point"), win)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, win)
	return nil
}

func (s *Server) hallWindowAction(fn func(ctx context.Context, u auth.User, point, window string) (hall.Window, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, _ := actor(r)
		win, err := fn(r.Context(), u, r.PathValue("point"), r.PathValue("window"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, win)
		return nil
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

func (s *Server) hallTicketAction(fn func(*hall.Service, context.Context, auth.User, string, int64) (hall.Ticket, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, _ := actor(r)
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		t, err := fn(s.Hall, r.Context(), u, r.PathValue("point"), id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, t)
		return nil
	}
}

func (s *Server) transferTicket(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in hall.TransferRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Hall.Transfer(r.Context(), u, r.PathValue("point"), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

type linkCaseInput struct {
	CaseID int64 `json:"case_id"`
}

func (s *Server) linkTicketCase(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in linkCaseInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Hall.LinkCase(r.Context(), u, r.PathValue("point"), id, in.CaseID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// boardBatch bounds the events read at once when a viewer catches up from
// the database; a viewer far behind catches up over a few reads.
const boardBatch = 200

// Defaults for the board stream caps.
const (
	DefaultMaxBoardStreams       = 5000
	DefaultBoardStreamsPerClient = 50
)

func (s *Server) hallSkills(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	sk, err := s.Hall.Skills(r.Context(), u, r.PathValue("point"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Skill]{Items: sk, Total: len(sk), Limit: len(sk)})
	return nil
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

func (s *Server) putHallRoster(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in rosterInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	entries := make([]hall.RosterEntry, len(in.Entries))
	for i, e := range in.Entries {
		entries[i] = hall.RosterEntry{UserID: e.UserID, Starts: e.Starts, Ends: e.Ends}
	}
	es, err := s.Hall.PutRoster(r.Context(), u, r.PathValue("point"), r.PathValue("day"), entries)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.RosterEntry]{Items: es, Total: len(es), Limit: len(es)})
	return nil
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
