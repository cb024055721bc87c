package api

import (
	"testing"

	"github.com/onewindow/onewindow/hall"
)

// The hall fragment (openapi.d/hall.json) describes the Go types the hall
// routes encode and decode, field by field, and the hall's enums value by value.
func TestOpenAPIHallFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	// Response types: required exactly when always encoded. Request types:
	// properties exactly the fields; required ones a subset.
	responses := map[string]any{
		"HallPeriod":           hall.Period{},
		"HallOpenStatus":       hall.OpenStatus{},
		"HallHours":            hoursView{},
		"HallSettings":         hall.Settings{},
		"HallCategory":         hall.Category{},
		"HallCategoryPage":     page[hall.Category]{},
		"HallWindow":           hall.Window{},
		"HallWindowPage":       page[hall.Window]{},
		"HallTicket":           hall.Ticket{},
		"HallTicketPage":       page[hall.Ticket]{},
		"HallLinkedCase":       hall.LinkedCase{},
		"HallBoard":            hall.Board{},
		"HallBoardCalling":     hall.BoardCalling{},
		"HallBoardEvent":       hall.BoardEvent{},
		"HallSlot":             hall.Slot{},
		"HallSlotPage":         page[hall.Slot]{},
		"HallAppointment":      hall.Appointment{},
		"HallAppointmentPage":  page[hall.Appointment]{},
		"HallSkill":            hall.Skill{},
		"HallSkillPage":        page[hall.Skill]{},
		"HallRosterEntry":      hall.RosterEntry{},
		"HallRosterPage":       page[hall.RosterEntry]{},
		"HallStats":            hall.Stats{},
		"HallHourCount":        hall.HourCount{},
		"HallCategoryStats":    hall.CategoryStats{},
		"HallAppointmentStats": hall.AppointmentStats{},
		"HallPeriodStats":      hall.PeriodStats{},
	}
	requests := map[string]any{
		"HallHoursInput":           hoursInput{},
		"HallCategoryInput":        categoryInput{},
		"HallWindowInput":          windowInput{},
		"HallTakeRequest":          hall.TakeRequest{},
		"HallTransferRequest":      hall.TransferRequest{},
		"HallLinkCaseRequest":      linkCaseInput{},
		"HallCheckInRequest":       checkInInput{},
		"HallSlotInput":            slotInput{},
		"HallSlotsInput":           slotsInput{},
		"HallGenerateSlotsRequest": hall.GenerateSlotsRequest{},
		"HallBookRequest":          hall.BookRequest{},
		"HallSkillInput":           skillInput{},
		"HallRosterInput":          rosterInput{},
		"HallRosterEntryInput":     rosterEntryInput{},
		"HallRotateRequest":        hall.RotateRequest{},
	}

	enums := []enumWant{
		{"#/components/schemas/HallTicket/properties/status/enum", hall.TicketStatuses},
		{"#/components/schemas/HallTicket/properties/priority/enum",
			[]string{hall.PriorityAppointment, hall.PriorityServiceman, hall.PriorityDisabled, hall.PriorityElderly}},
		{"#/components/schemas/HallTicket/properties/source/enum",
			[]string{hall.SourceKiosk, hall.SourceDesk, hall.SourceOnline, hall.SourceAppointment}},
		{"#/components/schemas/HallPeriod/properties/kind/enum", []string{hall.PeriodRegular, hall.PeriodLunch, hall.PeriodExtended}},
		{"#/components/schemas/HallAppointment/properties/status/enum",
			[]string{hall.ApptBooked, hall.ApptCancelled, hall.ApptCheckedIn, hall.ApptNoShow}},
		{"#/components/schemas/HallBoardEvent/properties/kind/enum", []string{hall.BoardTicket, hall.BoardCall, hall.BoardRecall,
			hall.BoardServing, hall.BoardDone, hall.BoardNoShow, hall.BoardTransfer, hall.BoardCancel}},
	}
	fragment{responses: responses, requests: requests, prefix: "Hall", enums: enums}.check(t, doc)
}
