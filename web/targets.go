package web

import (
	"context"
	"fmt"
	"strconv"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/targets"
	"github.com/onewindow/onewindow/workday"
)

// The pages of 民生实事: everyone sees the year's targets with their
// progress and overdue marks; the responsible department's staff report
// progress with evidence; the administrator sets targets and reads them per
// department.

func (w *Web) targetRoutes() {
	targetID := recordID("target_not_found")
	show(w, "GET /targets", public, "targets", "targets.title", w.targetsData)
	show(w, "GET /targets/{id}", public, "target", "targets.detail_title", w.targetDetail, targetID)
	w.handle("POST /targets/{id}/progress", access{auth.RoleReviewer, auth.RoleAdmin}, w.reportProgress, targetID)
	show(w, "GET /admin/targets", admins, "admin_targets", "admintargets.title", w.targetsData)
	w.handle("POST /admin/targets", admins, w.createTarget)
}

func (l Lang) Standing(s targets.Standing) string { return l.Msg(targets.StandingNames[s]) }

type targetsData struct {
	Year        int
	Targets     []targets.Target
	Summary     []targets.DepartmentSummary
	DoneOnTime  int
	Departments map[string]string
	Done        string
	Form        map[string]string
}

func (w *Web) targetsData(ctx context.Context, c *call) (targetsData, error) {
	year := workday.DateOf(w.Clock.Now()).Year()
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	d := targetsData{Year: year, Departments: map[string]string{}, Done: c.Query("done"), Form: map[string]string{}}
	var err error
	if d.Targets, err = w.Targets.Year(ctx, year, ""); err != nil {
		return d, err
	}
	d.Summary = targets.Summarise(d.Targets)
	for _, t := range d.Targets {
		if t.Standing == targets.DoneOnTime {
			d.DoneOnTime++
		}
	}
	depts, err := w.Catalog.Departments(ctx)
	for _, dep := range depts {
		d.Departments[dep.Code] = dep.Name
	}
	return d, err
}

type targetData struct {
	Target     targets.Target
	Reports    []targets.Report
	Department string
	CanReport  bool
	Done       string
}

func (w *Web) targetDetail(ctx context.Context, c *call) (targetData, error) {
	d := targetData{Done: c.Query("done")}
	var err error
	if d.Target, err = w.Targets.Get(ctx, c.ID); err != nil {
		return d, err
	}
	if d.Reports, err = w.Targets.Reports(ctx, c.ID); err != nil {
		return d, err
	}
	if dep, err := w.Catalog.Department(ctx, d.Target.DepartmentCode); err == nil {
		d.Department = dep.Name
	}
	u := c.S.User
	d.CanReport = u != nil && (u.Role == auth.RoleAdmin || u.Role == auth.RoleReviewer && u.DepartmentCode == d.Target.DepartmentCode)
	return d, nil
}

func (w *Web) reportProgress(ctx context.Context, c *call) (answer, error) {
	d, err := w.targetDetail(ctx, c)
	if err != nil {
		return nil, err
	}
	done, _ := strconv.ParseInt(c.Trim("done_quantity"), 10, 64)
	in := targets.ReportInput{DoneQuantity: done, Note: c.Form("note")}
	if c.Trim("done_quantity") == "" {
		in.DoneQuantity = -1 // refused naming the field
	}
	up, err := w.readUpload(c.R, "evidence")
	if err == nil && up != nil {
		if err = w.storeFile(up); err == nil {
			in.EvidenceSHA256, in.EvidenceName = up.FileHash, up.FileName
		}
	}
	if err == nil {
		_, err = w.Targets.ReportProgress(ctx, c.User, d.Target.ID, in)
	}
	if err != nil {
		return page{Name: "target", Title: "targets.detail_title", Data: d}, err
	}
	return seeOther(fmt.Sprintf("/targets/%d?done=reported", d.Target.ID)), nil
}

func (w *Web) createTarget(ctx context.Context, c *call) (answer, error) {
	year, _ := strconv.Atoi(c.Form("year"))
	qty, _ := strconv.ParseInt(c.Trim("quantity"), 10, 64)
	in := targets.TargetInput{Year: year, Name: c.Form("name"), DepartmentCode: c.Form("department_code"),
		Unit: c.Form("unit"), Quantity: qty, Deadline: c.Trim("deadline")}
	if _, err := w.Targets.Create(ctx, c.User, in); err != nil {
		return reload(func() (answer, error) {
			d, err := w.targetsData(ctx, c)
			for _, k := range []string{"year", "name", "department_code", "unit", "quantity", "deadline"} {
				d.Form[k] = c.Form(k)
			}
			return page{Name: "admin_targets", Title: "admintargets.title", Data: d}, err
		}), err
	}
	return seeOther(fmt.Sprintf("/admin/targets?year=%d&done=created", year)), nil
}
