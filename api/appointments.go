package api

import (
	"context"

	"github.com/onewindow/onewindow/hall"
)

func (s *Server) hallSlots(ctx context.Context, c call[noBody]) (page[hall.Slot], error) {
	sl, err := s.Hall.Slots(ctx, c.Path("point"), hall.SlotFilter{From: c.Query("from"), To: c.Query("to"), Category: c.Query("category")})
	return all(sl), err
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
	out, err := s.Hall.PutSlots(ctx, c.Actor, c.Path("point"), slots)
	return all(out), err
}

func (s *Server) generateHallSlots(ctx context.Context, c call[hall.GenerateSlotsRequest]) (page[hall.Slot], error) {
	out, err := s.Hall.GenerateSlots(ctx, c.Actor, c.Path("point"), c.In)
	return all(out), err
}

func (s *Server) hallAppointments(ctx context.Context, c call[noBody]) (page[hall.Appointment], error) {
	as, err := s.Hall.Appointments(ctx, c.Actor, c.Path("point"), c.Query("day"))
	return all(as), err
}

func (s *Server) bookAppointment(ctx context.Context, c call[hall.BookRequest]) (hall.Appointment, error) {
	return s.Hall.Book(ctx, c.Actor, c.Path("point"), c.In)
}

func (s *Server) hallAppointment(ctx context.Context, c call[noBody]) (hall.Appointment, error) {
	return s.Hall.Appointment(ctx, c.Actor, c.Path("point"), c.ID)
}

func (s *Server) cancelAppointment(ctx context.Context, c call[noBody]) (hall.Appointment, error) {
	return s.Hall.CancelAppointment(ctx, c.Actor, c.Path("point"), c.ID)
}

func (s *Server) rescheduleAppointment(ctx context.Context, c call[hall.BookRequest]) (hall.Appointment, error) {
	return s.Hall.Reschedule(ctx, c.Actor, c.Path("point"), c.ID, c.In)
}

func (s *Server) checkInAppointment(ctx context.Context, c call[noBody]) (hall.Ticket, error) {
	return s.Hall.CheckIn(ctx, c.Actor, c.Path("point"), c.ID)
}
