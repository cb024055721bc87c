package web

import (
	"context"
	"net/url"

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
func (w *Web) trackPage(ctx context.Context, c *call) (answer, error) {
	d := trackData{Number: c.Query("number"), Code: c.Query("code")}
	if d.Number == "" && d.Code == "" {
		return page{Name: "track", Title: "track.title", Data: d}, nil
	}
	t, err := w.Cases.Track(ctx, d.Number, d.Code, w.clientIP(c.R))
	if err != nil {
		return page{Name: "track", Title: "track.title", Data: d}, retryAfter(c.rw, err)
	}
	d.Result = &t
	return page{Name: "track", Title: "track.title", Data: d}, nil
}
