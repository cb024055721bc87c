package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// What the hall refuses at the front desk comes back as the error page with
// the hall's own message and a 4xx status, never a blank page or a 500; for
// htmx requests the message replaces the page's main part.
func TestDeskShowsHallErrors(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		tk := e.takeTicket(t, "A")
		id := strconv.FormatInt(tk.ID, 10)
		desk := e.as(t, "qz_quanke")
		desk.get("/desk").want(200)
		tests := []struct {
			name, path string
			status     int
			message    string
		}{
			{"an unknown window", "/desk/windows/99/sign-in", http.StatusNotFound, "窗口不存在"},
			{"calling before signing in", "/desk/windows/01/call-next", http.StatusConflict, "请先在该窗口签到"},
			{"signing out of a window one is not at", "/desk/windows/01/sign-out", http.StatusConflict, "您未在该窗口签到"},
			{"finishing a ticket nobody called", "/desk/tickets/" + id + "/finish", http.StatusConflict, "不能执行此操作"},
			{"an unknown ticket", "/desk/tickets/999999/start", http.StatusNotFound, "号票不存在"},
		}
		for _, tt := range tests {
			desk.post(tt.path, url.Values{}).want(tt.status).has(tt.message, "<h1>").lacks("⟦")
		}

		// A window another person is signed in at.
		other := e.as(t, "qz_quanke2")
		other.get("/desk").want(200)
		other.post("/desk/windows/01/sign-in", url.Values{}).want(http.StatusSeeOther)
		p := desk.post("/desk/windows/01/sign-in", url.Values{}, "HX-Request", "true", "HX-Target", "counter", "HX-Current-URL", e.base+"/desk")
		p.want(http.StatusConflict).has("该窗口已有张红梅签到")
		if got := p.header.Get("HX-Retarget"); got != "#main" {
			t.Errorf("an htmx refusal is put at %q, want #main", got)
		}

		// Another point's ticket is not the county hall desk's to touch.
		county := e.as(t, "hn_qiantai")
		county.get("/desk").want(200)
		county.post("/desk/tickets/"+id+"/start", url.Values{}).want(http.StatusNotFound).has("号票不存在")
	})
}
