package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/targets"
	"github.com/onewindow/onewindow/workday"
)

// The pages of 民生实事: everyone sees the year's targets with their
// progress and overdue marks; the responsible department's staff report
// progress with evidence; the administrator sets targets and reads them per
// department.

func (w *Web) targetRoutes() {
	w.page("GET /targets", public, w.targetsPage)
	w.page("GET /targets/{id}", public, w.targetPage)
	w.page("POST /targets/{id}/progress", access{auth.RoleReviewer, auth.RoleAdmin}, w.reportProgress)
	w.page("GET /admin/targets", admins, w.adminTargets)
	w.page("POST /admin/targets", admins, w.createTarget)
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

func (w *Web) targetsData(r *http.Request) (targetsData, error) {
	year := workday.DateOf(w.Clock.Now()).Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	d := targetsData{Year: year, Departments: map[string]string{}, Done: r.URL.Query().Get("done"), Form: map[string]string{}}
	var err error
	if d.Targets, err = w.Targets.Year(r.Context(), year, ""); err != nil {
		return d, err
	}
	d.Summary = targets.Summarise(d.Targets)
	for _, t := range d.Targets {
		if t.Standing == targets.DoneOnTime {
			d.DoneOnTime++
		}
	}
	depts, err := w.Catalog.Departments(r.Context())
	for _, dep := range depts {
		d.Departments[dep.Code] = dep.Name
	}
	return d, err
}

func (w *Web) targetsPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.targetsData(r)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "targets", "targets.title", d)
}

type targetData struct {
	Target     targets.Target
	Reports    []targets.Report
	Department string
	CanReport  bool
	Done       string
}

func (w *Web) targetDetail(r *http.Request, s *session) (targetData, error) {
	id, err := pathID(r, "target_not_found")
	if err != nil {
		return targetData{}, err
	}
	d := targetData{Done: r.URL.Query().Get("done")}
	if d.Target, err = w.Targets.Get(r.Context(), id); err != nil {
		return d, err
	}
	if d.Reports, err = w.Targets.Reports(r.Context(), id); err != nil {
		return d, err
	}
	if dep, err := w.Catalog.Department(r.Context(), d.Target.DepartmentCode); err == nil {
		d.Department = dep.Name
	}
	u := s.User
	d.CanReport = u != nil && (u.Role == auth.RoleAdmin || u.Role == auth.RoleReviewer && u.DepartmentCode == d.Target.DepartmentCode)
	return d, nil
}

func (w *Web) targetPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.targetDetail(r, s)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "target", "targets.detail_title", d)
}

func (w *Web) reportProgress(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.targetDetail(r, s)
	if err != nil {
		return err
	}
	done, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("done_quantity")), 10, 64)
	in := targets.ReportInput{DoneQuantity: done, Note: r.PostFormValue("note")}
	if strings.TrimSpace(r.PostFormValue("done_quantity")) == "" {
		in.DoneQuantity = -1 // refused naming the field
	}
	up, err := w.readUpload(r, "evidence")
	if err == nil && up != nil {
		if err = w.storeFile(up); err == nil {
			in.EvidenceSHA256, in.EvidenceName = up.FileHash, up.FileName
		}
	}
	if err == nil {
		_, err = w.Targets.ReportProgress(r.Context(), *s.User, d.Target.ID, in)
	}
	if err != nil {
		return w.renderForm(rw, r, s, "target", "targets.detail_title", d, err)
	}
	http.Redirect(rw, r, fmt.Sprintf("/targets/%d?done=reported", d.Target.ID), http.StatusSeeOther)
	return nil
}

func (w *Web) adminTargets(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.targetsData(r)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "admin_targets", "admintargets.title", d)
}

func (w *Web) createTarget(rw http.ResponseWriter, r *http.Request, s *session) error {
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	qty, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("quantity")), 10, 64)
	in := targets.TargetInput{Year: year, Name: r.PostFormValue("name"), DepartmentCode: r.PostFormValue("department_code"),
		Unit: r.PostFormValue("unit"), Quantity: qty, Deadline: strings.TrimSpace(r.PostFormValue("deadline"))}
	if _, err := w.Targets.Create(r.Context(), *s.User, in); err != nil {
		d, derr := w.targetsData(r)
		if derr != nil {
			return derr
		}
		for _, k := range []string{"year", "name", "department_code", "unit", "quantity", "deadline"} {
			d.Form[k] = r.PostFormValue(k)
		}
		return w.renderForm(rw, r, s, "admin_targets", "admintargets.title", d, err)
	}
	http.Redirect(rw, r, fmt.Sprintf("/admin/targets?year=%d&done=created", year), http.StatusSeeOther)
	return nil
}
