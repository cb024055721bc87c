package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
)

// trackPath is the address of 办件查询 for a case, with its number and
// query code filled in: what the QR code on a receipt opens.
func trackPath(number, code string) string {
	return "/track?" + url.Values{"number": {number}, "code": {code}}.Encode()
}

type trackData struct {
	Number string
	Code   string
	Result *cases.Tracking
}

// trackPage is 办件查询: anyone with a case number and its query code sees
// where the case stands, without an account. Wrong codes are limited per
// client and per case number (cases.Service.Track).
func (w *Web) trackPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	q := r.URL.Query()
	d := trackData{Number: q.Get("number"), Code: q.Get("code")}
	if d.Number == "" && d.Code == "" {
		return w.render(rw, r, s, http.StatusOK, "track", "track.title", d)
	}
	t, err := w.Cases.Track(r.Context(), d.Number, d.Code, w.clientIP(r))
	if err != nil {
		if ra, ok := apperr.As(err).Extra["retry_after"]; ok {
			rw.Header().Set("Retry-After", fmt.Sprint(ra))
		}
		return w.renderForm(rw, r, s, "track", "track.title", d, err)
	}
	d.Result = &t
	return w.render(rw, r, s, http.StatusOK, "track", "track.title", d)
}
