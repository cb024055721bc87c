package web

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/workday"
)

// submittedData is the confirmation an applicant sees after sending an
// application (a confirmation panel): the case number, when it should be
// done, what is still missing and what happens next.
type submittedData struct {
	Case  cases.Case
	Item  catalog.Item
	Point network.Point
	Check cases.MaterialCheck
	// Due is the promised date if the case were accepted today (the clock
	// starts at acceptance), or the case's own due date once it has one.
	Due       string
	Accepted  bool
	Immediate bool
}

// submitted confirms a sent application. Only the applicant's own cases
// are shown (others' are not found, as on the case page); a case that was
// not sent (a draft) is shown on its own page.
func (w *Web) submitted(ctx context.Context, call *call) (answer, error) {
	c, err := w.Cases.Get(ctx, call.User, call.ID)
	if err != nil {
		return nil, err
	}
	if c.State == cases.Draft {
		return seeOther("/cases/" + call.Path("id")), nil
	}
	it, err := w.Catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return nil, err
	}
	d := submittedData{Case: c, Item: it, Immediate: it.PromisedLimitDays == 0}
	if pt, err := w.Points.Get(ctx, nil, c.PointCode); err == nil {
		d.Point = pt
	} else {
		d.Point = network.Point{Code: c.PointCode, Name: c.PointCode}
	}
	var types []string
	for _, m := range c.Materials {
		types = append(types, m.Type)
	}
	slices.Sort(types)
	d.Check = cases.CheckMaterials(&it, types)
	if c.PromisedDue != "" {
		d.Due, d.Accepted = c.PromisedDue, true
	} else {
		var cal workday.Calendar = workday.MondayFriday{}
		if w.Calendar != nil {
			cal = w.Calendar
		}
		due, _ := cal.Add(w.Clock.Today(), it.PromisedLimitDays)
		d.Due = workday.FormatDate(due)
	}
	return page{Name: "submitted", TitleText: call.L.T("submitted.title") + " " + c.Number, Data: d}, nil
}

// ByLicence are the case's materials an electronic licence provided (免提交),
// listed apart so the applicant sees they were not asked for.
func (d submittedData) ByLicence() []cases.Material {
	var out []cases.Material
	for _, m := range d.Case.Materials {
		if m.Source == cases.SourceLicence {
			out = append(out, m)
		}
	}
	return out
}
