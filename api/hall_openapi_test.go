package api

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/hall"
)

// The hall fragment (openapi.d/hall.json) describes the Go types the hall
// routes encode and decode, field by field, and the hall's enums value by value.
func TestOpenAPIHallFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
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
	check := func(name string, v any, exactRequired bool) {
		t.Run(name, func(t *testing.T) {
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			props, required := schemaFields(t, doc, s)
			all, always := jsonFields(reflect.TypeOf(v))
			for f := range all {
				if !props[f] {
					t.Errorf("JSON field %q is not a property of the schema", f)
				}
			}
			for p := range props {
				if !all[p] {
					t.Errorf("property %q is not a JSON field of %T", p, v)
				}
			}
			for r := range required {
				if exactRequired && !always[r] {
					t.Errorf("%q is required but may be left out (omitempty)", r)
				}
				if !all[r] {
					t.Errorf("%q is required but not a field", r)
				}
			}
			for f := range always {
				if exactRequired && !required[f] {
					t.Errorf("%q is always present but not required", f)
				}
			}
		})
	}
	for _, name := range slices.Sorted(maps.Keys(responses)) {
		check(name, responses[name], true)
	}
	for _, name := range slices.Sorted(maps.Keys(requests)) {
		check(name, requests[name], false)
	}
	for name := range schemas {
		if _, known := responses[name]; strings.HasPrefix(name, "Hall") && !known {
			if _, known := requests[name]; !known {
				t.Errorf("schema %s is compared with no Go type", name)
			}
		}
	}

	enums := []struct {
		pointer string
		want    []string
	}{
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
	for _, tt := range enums {
		t.Run(strings.TrimPrefix(tt.pointer, "#/components/schemas/"), func(t *testing.T) {
			v, err := resolve(doc, tt.pointer)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range v.([]any) {
				got = append(got, e.(string))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("enum %v, want %v", got, tt.want)
			}
		})
	}
}
