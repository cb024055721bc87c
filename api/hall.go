package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/metrics"
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

func (s *Server) hallBoardState(w http.ResponseWriter, r *http.Request) error {
	b, err := s.Hall.BoardState(r.Context(), r.PathValue("point"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

// boardBatch bounds the events read at once when a viewer catches up from
// the database; a viewer far behind catches up over a few reads.
const boardBatch = 200

// hallBoard streams a hall's display board as server-sent events. A new
// viewer gets a "snapshot" event first; a viewer that reconnects with
// Last-Event-ID (or ?last_event_id=) gets every event it missed, or a fresh
// snapshot when those have been pruned. Each batch of events is followed by
// a "waiting" event (without id) carrying the current counts. After the
// viewer has caught up from the database, the point's one watcher
// (hall.WatchBoard) hands it what any server process commits, so thousands
// of viewers cost one poll of the database per point. Streams are counted:
// at most BoardStreamsPerClient per client address and MaxBoardStreams in
// all.
func (s *Server) hallBoard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	point := r.PathValue("point")
	last := int64(-1)
	if v := r.Header.Get("Last-Event-ID"); v != "" || r.URL.Query().Get("last_event_id") != "" {
		if v == "" {
			v = r.URL.Query().Get("last_event_id")
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 0 {
			return apperr.Fields{apperr.Field("Last-Event-ID", "format", apperr.M("事件编号须为非负整数", "must be a non-negative integer"))}.Err()
		}
		last = n
	}
	state, err := s.Hall.BoardState(ctx, point) // also refuses an unknown point before the stream starts
	if err != nil {
		return err
	}
	release, err := s.boardStreams.open(s.clientIP(r), s.MaxBoardStreams, s.BoardStreamsPerClient)
	if err != nil {
		return err
	}
	defer release()
	watch := s.Hall.WatchBoard(point)
	defer watch.Close()

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // tell reverse proxies not to buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	if last < 0 || last > state.Seq {
		writeSSE(w, state.Seq, hall.BoardSnapshot, state)
		last = state.Seq
	}
	// catchUp reads what the viewer lacks from the database: on connecting
	// (events committed before the watch began) and after a gap.
	catchUp := func() error {
		sent := false
		for {
			metrics.Inc("onewindow_board_stream_reads_total")
			evs, err := s.Hall.BoardEvents(ctx, point, last, boardBatch)
			if err != nil {
				return err
			}
			if len(evs) > 0 && evs[0].Seq != last+1 {
				// The events in between were pruned: start again from the whole board.
				st, err := s.Hall.BoardState(ctx, point)
				if err != nil {
					return err
				}
				writeSSE(w, st.Seq, hall.BoardSnapshot, st)
				last, sent = st.Seq, true
				continue
			}
			for _, e := range evs {
				writeSSE(w, e.Seq, e.Kind, e)
				last, sent = e.Seq, true
			}
			if len(evs) < boardBatch {
				break
			}
		}
		if sent {
			counts, err := s.Hall.Waiting(ctx, point)
			if err != nil {
				return err
			}
			writeSSE(w, -1, hall.BoardWaiting, counts)
		}
		return rc.Flush()
	}
	// deliver writes an update from the point's watcher.
	deliver := func(u hall.BoardUpdate) error {
		if len(u.Events) > 0 && u.Events[0].Seq > last+1 {
			return catchUp()
		}
		sent := false
		for _, e := range u.Events {
			if e.Seq > last {
				writeSSE(w, e.Seq, e.Kind, e)
				last, sent = e.Seq, true
			}
		}
		if sent {
			writeSSE(w, -1, hall.BoardWaiting, u.Waiting)
		}
		return rc.Flush()
	}
	if err := catchUp(); err != nil {
		if ctx.Err() == nil {
			s.log.Warn("board stream", "point", point, "err", err)
		}
		return nil // the stream has begun: no problem document can follow
	}
	beat := time.NewTicker(s.Hall.BoardHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-beat.C:
			fmt.Fprint(w, ": heartbeat\n\n")
			if err := rc.Flush(); err != nil {
				return nil
			}
		case u, ok := <-watch.C:
			if !ok {
				return nil // fell behind: the browser reconnects with Last-Event-ID and catches up
			}
			if err := deliver(u); err != nil {
				if ctx.Err() == nil {
					s.log.Warn("board stream", "point", point, "err", err)
				}
				return nil
			}
		}
	}
}

// streamCounts counts the open board streams, in all and per client address.
type streamCounts struct {
	mu        sync.Mutex
	total     int
	perClient map[string]int
}

// Defaults for the board stream caps.
const (
	DefaultMaxBoardStreams       = 5000
	DefaultBoardStreamsPerClient = 50
)

// open counts a new stream of client, or refuses it: 429 when the client has
// perClient open, 503 when the server has max open (≤ 0: the defaults).
// release uncounts it.
func (c *streamCounts) open(client string, max, perClient int) (release func(), err error) {
	if max <= 0 {
		max = DefaultMaxBoardStreams
	}
	if perClient <= 0 {
		perClient = DefaultBoardStreamsPerClient
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.perClient == nil {
		c.perClient = map[string]int{}
	}
	if c.perClient[client] >= perClient {
		metrics.Inc("onewindow_board_streams_refused_total", "reason", "per_client")
		return nil, apperr.New(apperr.RateLimited, "board_streams_per_client",
			apperr.M("本机打开的大屏过多，请关闭一些后再试", "too many display boards open from this address; close some and try again")).With("retry_after", 30)
	}
	if c.total >= max {
		metrics.Inc("onewindow_board_streams_refused_total", "reason", "full")
		return nil, apperr.New(apperr.Unavailable, "board_streams_full",
			apperr.M("大屏连接已满，请稍后再试", "the server follows as many display boards as it can; try again shortly")).With("retry_after", 30)
	}
	c.total++
	c.perClient[client]++
	metrics.Add("onewindow_board_streams", 1)
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.total--
		if c.perClient[client]--; c.perClient[client] <= 0 {
			delete(c.perClient, client)
		}
		metrics.Add("onewindow_board_streams", -1)
	}, nil
}

func init() {
	metrics.DescribeGauge("onewindow_board_streams", "display-board event streams open")
	metrics.Describe("onewindow_board_streams_refused_total", "display-board streams refused: too many from one address, or in all")
	metrics.Describe("onewindow_board_stream_reads_total", "reads of board events by single streams catching up (on connecting or after a gap)")
}

// writeSSE writes one event; id < 0 leaves the viewer's last event ID as it is.
func writeSSE(w http.ResponseWriter, id int64, kind string, data any) {
	b, _ := json.Marshal(data)
	if id >= 0 {
		fmt.Fprintf(w, "id: %d\n", id)
	}
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, b)
}

func (s *Server) hallSlots(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	sl, err := s.Hall.Slots(r.Context(), r.PathValue("point"), hall.SlotFilter{From: q.Get("from"), To: q.Get("to"), Category: q.Get("category")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Slot]{Items: sl, Total: len(sl), Limit: len(sl)})
	return nil
}

type slotInput struct {
	Category string `json:"category"`
	Day      string `json:"day"`
	Starts   string `json:"starts"`
	Ends     string `json:"ends"`
	Capacity int    `json:"capacity"`
}

type slotsInput struct {
	Slots []slotInput `json:"slots"`
}

func (s *Server) putHallSlots(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in slotsInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	slots := make([]hall.Slot, len(in.Slots))
	for i, sl := range in.Slots {
		slots[i] = hall.Slot{Category: sl.Category, Day: sl.Day, Starts: sl.Starts, Ends: sl.Ends, Capacity: sl.Capacity}
	}
	out, err := s.Hall.PutSlots(r.Context(), u, r.PathValue("point"), slots)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Slot]{Items: out, Total: len(out), Limit: len(out)})
	return nil
}

func (s *Server) generateHallSlots(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	var in hall.GenerateSlotsRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Hall.GenerateSlots(r.Context(), u, r.PathValue("point"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Slot]{Items: out, Total: len(out), Limit: len(out)})
	return nil
}

func (s *Server) hallAppointments(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	as, err := s.Hall.Appointments(r.Context(), u, r.PathValue("point"), r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[hall.Appointment]{Items: as, Total: len(as), Limit: len(as)})
	return nil
}

func (s *Server) bookAppointment(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	point := r.PathValue("point")
	return s.idempotent(w, r, u, func(ctx context.Context, body []byte) (int, any, error) {
		var in hall.BookRequest
		if err := decodeBytes(body, &in); err != nil {
			return 0, nil, err
		}
		a, err := s.Hall.Book(ctx, u, point, in)
		return http.StatusCreated, a, err
	}, func(ctx context.Context, ref string) (int, any, error) {
		id, err := refID(ref, "appointment")
		if err != nil {
			return 0, nil, err
		}
		a, err := s.Hall.Appointment(ctx, u, point, id)
		return http.StatusCreated, a, err
	})
}

func (s *Server) hallAppointment(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Hall.Appointment(r.Context(), u, r.PathValue("point"), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) cancelAppointment(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Hall.CancelAppointment(r.Context(), u, r.PathValue("point"), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) rescheduleAppointment(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in hall.BookRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.Hall.Reschedule(r.Context(), u, r.PathValue("point"), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) checkInAppointment(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.Hall.CheckIn(r.Context(), u, r.PathValue("point"), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

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
