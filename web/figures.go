package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/network"
)

// The province's figures (省级数据): cases handled, the online share and the
// on-time rate month by month as charts that figures.js draws from the
// report embedded in the page as JSON (so one view counts once), and the
// same numbers as tables, readable without scripts, with each department's
// and point's on-time rate and 进驻率.

// figuresService returns the figures service; pages built without one read
// the same database through a service of their own.
func (w *Web) figuresService() *figures.Service {
	if w.Figures != nil {
		return w.Figures
	}
	return figures.NewService(w.DB, w.Catalog, w.Points, w.Clock)
}

// presenceRow is one kind of point with its 进驻率, its services named.
type presenceRow struct {
	figures.PresenceGroup
	ServiceNames string
}

type figuresPage struct {
	From, To    string // as asked, for the form
	Division    string
	Department  string
	Point       string
	Divisions   []figures.Division
	Departments []catalog.Department
	Report      *figures.Report
	Presence    []presenceRow
	Summary     figuresSummaries // one line per chart
}

// figuresQuery reads the page's question; a bad one is a 400 naming the parameter.
func (w *Web) figuresQuery(r *http.Request) (figures.Query, error) {
	return figures.ParseQuery(r.URL.Query().Get, w.figuresService().Now())
}

func (w *Web) adminFigures(ctx context.Context, c *call) (answer, error) {
	svc := w.figuresService()
	q := c.R.URL.Query()
	d := figuresPage{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Division: strings.TrimSpace(q.Get("division")), Department: strings.TrimSpace(q.Get("department")), Point: strings.TrimSpace(q.Get("point"))}
	var err error
	if d.Divisions, err = svc.Divisions(ctx); err != nil {
		return nil, err
	}
	if d.Departments, err = w.Catalog.Departments(ctx); err != nil {
		return nil, err
	}
	form := page{Name: "admin_figures", Title: "figures.title", Data: d}
	query, err := w.figuresQuery(c.R)
	if err != nil {
		return form, err
	}
	rep, err := svc.Figures(ctx, c.User, query)
	if err != nil {
		if apperr.CodeOf(err) == apperr.BadRequest {
			return form, err
		}
		return nil, err
	}
	d.Report = &rep
	d.Summary = summariseFigures(c.L, rep)
	d.From, d.To, d.Division = rep.From, rep.To, query.Division
	for _, g := range rep.Presence {
		names := make([]string, len(g.Services))
		for i, sv := range g.Services {
			names[i] = c.L.Pair(network.ServiceNames[sv])
		}
		d.Presence = append(d.Presence, presenceRow{PresenceGroup: g, ServiceNames: strings.Join(names, c.L.T("figures.list_separator"))})
	}
	return page{Name: "admin_figures", Title: "figures.title", Scripts: []string{"vendor/echarts.min.js", "figures.js"}, Data: d}, nil
}
