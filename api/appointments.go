package api

import (
	"context"
	"net/http"

	"github.com/onewindow/onewindow/hall"
)

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

func (s *Server) putHallSlots(ctx context.Context, c call[slotsInput]) (page[hall.Slot], error) {
	slots := make([]hall.Slot, len(c.In.Slots))
	for i, sl := range c.In.Slots {
		slots[i] = hall.Slot{Category: sl.Category, Day: sl.Day, Starts: sl.Starts, Ends: sl.Ends, Capacity: sl.Capacity}
	}
	out, err := s.Hall.PutSlots(ctx, c.Actor, c.R.PathValue("point"), slots)
	return page[hall.Slot]{Items: out, Total: len(out), Limit: len(out)}, err
}

func (s *Server) generateHallSlots(ctx context.Context, c call[hall.GenerateSlotsRequest]) (page[hall.Slot], error) {
	out, err := s.Hall.GenerateSlots(ctx, c.Actor, c.R.PathValue("point"), c.In)
	return page[hall.Slot]{Items: out, Total: len(out), Limit: len(out)}, err
}

func (s *Server) hallAppointments(ctx context.Context, c call[noBody]) (page[hall.Appointment], error) {
	as, err := s.Hall.Appointments(ctx, c.Actor, c.R.PathValue("point"), c.R.URL.Query().Get("day"))
	return page[hall.Appointment]{Items: as, Total: len(as), Limit: len(as)}, err
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

func (s *Server) hallAppointment(ctx context.Context, c call[noBody]) (hall.Appointment, error) {
	return s.Hall.Appointment(ctx, c.Actor, c.R.PathValue("point"), c.ID)
}

func (s *Server) cancelAppointment(ctx context.Context, c call[noBody]) (hall.Appointment, error) {
	return s.Hall.CancelAppointment(ctx, c.Actor, c.R.PathValue("point"), c.ID)
}

func (s *Server) rescheduleAppointment(ctx context.Context, c call[hall.BookRequest]) (hall.Appointment, error) {
	return s.Hall.Reschedule(ctx, c.Actor, c.R.PathValue("point"), c.ID, c.In)
}

func (s *Server) checkInAppointment(ctx context.Context, c call[noBody]) (hall.Ticket, error) {
	return s.Hall.CheckIn(ctx, c.Actor, c.R.PathValue("point"), c.ID)
}
