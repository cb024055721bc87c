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
