package api_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

// The kiosk stands in the public hall: the tickets it gives show the
// holder's name masked, also when checking in with an appointment code.
func TestKioskShowsNamesMasked(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		clock := useHallClock(e)
		clock.set(2026, 10, 12, 9, 0)
		dh := demo.DonghuiCentre
		var slots struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		e.call("POST", hallPath(dh, "/slots"), "admin", map[string]any{"slots": []map[string]any{
			{"category": "A", "day": "2026-10-12", "starts": "10:00", "ends": "10:30", "capacity": 1}}}).want(200).decode(&slots)
		var appt struct {
			Code string `json:"code"`
			Name string `json:"name"`
		}
		e.call("POST", hallPath(dh, "/appointments"), "hejingqi", map[string]any{"slot_id": slots.Items[0].ID}).want(201).decode(&appt)
		if appt.Name != "何经奇" {
			t.Fatalf("appointment for %q, want 何经奇", appt.Name)
		}
		clock.set(2026, 10, 12, 9, 50)
		for _, tt := range []struct {
			path   string
			body   map[string]any
			name   string
			masked string
		}{
			{"/kiosk/check-in", map[string]any{"code": appt.Code}, "何经奇", "何**"},
			{"/kiosk/tickets", map[string]any{"category": "A", "name": "阿卜杜热西提·买买提"}, "阿卜杜热西提·买买提", "阿*****·***"},
		} {
			res := e.call("POST", hallPath(dh, "%s", tt.path), "", tt.body).want(201)
			var tk struct {
				Number     string `json:"number"`
				HolderName string `json:"holder_name"`
			}
			res.decode(&tk)
			if tk.Number == "" || tk.HolderName != tt.masked || strings.Contains(string(res.body), tt.name) {
				t.Errorf("%s answers %s, want the holder shown as %s", tt.path, res.body, tt.masked)
			}
		}
	})
}
