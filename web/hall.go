package web

import (
	"net/http"

	"github.com/onewindow/onewindow/cases"
)

// The hall's pages live here: for now the hall manager's list of the
// point's cases. Tickets and calling (/hall/tickets), appointments
// (/hall/appointments) and the public display board (/board) join them,
// registered in routes.go and listed in nav.go's menus.

// hallCases lists every case of the manager's point, newest first, with the
// SLA filter to find the late ones.
func (w *Web) hallCases(rw http.ResponseWriter, r *http.Request, s *session) error {
	return w.queue(rw, r, s, queueSpec{Title: "hall.title", Path: "/hall", SLA: true, States: cases.States})
}
