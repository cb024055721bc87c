package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/delegation"
)

// enterprisesData is the page of the enterprises a person represents or
// acts for, with the forms to register one and to authorise agents.
type enterprisesData struct {
	Enterprises []delegation.Enterprise
	Form        url.Values // what was typed, shown again with its problems
	FormFor     string     // the credit code whose agent form Form belongs to ("" the registration)
	Today       string
}

func (w *Web) enterprisesPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	return w.showEnterprises(rw, r, s, enterprisesData{}, nil)
}

func (w *Web) showEnterprises(rw http.ResponseWriter, r *http.Request, s *session, d enterprisesData, problem error) error {
	list, err := w.Delegation.Mine(r.Context(), *s.User)
	if err != nil {
		return err
	}
	d.Enterprises, d.Today = list, w.Clock.Today().Format("2006-01-02")
	if d.Form == nil {
		d.Form = url.Values{}
	}
	v := &view{session: s, Title: s.L.T("ent.title"), Data: d}
	switch r.URL.Query().Get("done") {
	case "registered":
		v.Flash = s.L.T("ent.registered")
	case "authorised":
		v.Flash = s.L.T("ent.authorised")
	case "withdrawn":
		v.Flash = s.L.T("ent.withdrawn")
	}
	status := http.StatusOK
	if problem != nil {
		v.Problem = problemOf(s.L, problem)
		if v.Problem.Status >= 500 {
			return problem
		}
		status = v.Problem.Status
	}
	return w.write(rw, r, s, status, "enterprises", v)
}

func (w *Web) registerEnterprise(rw http.ResponseWriter, r *http.Request, s *session) error {
	_, err := w.Delegation.Register(r.Context(), *s.User, delegation.RegisterRequest{CreditCode: r.PostFormValue("credit_code"),
		Name: r.PostFormValue("name")}, w.clientIP(r))
	if err != nil {
		return w.showEnterprises(rw, r, s, enterprisesData{Form: r.PostForm}, err)
	}
	http.Redirect(rw, r, "/account/enterprises?done=registered", http.StatusSeeOther)
	return nil
}

func (w *Web) authoriseAgent(rw http.ResponseWriter, r *http.Request, s *session) error {
	code := r.PathValue("code")
	_, err := w.Delegation.Authorise(r.Context(), *s.User, code, delegation.AuthoriseRequest{IDNumber: strings.TrimSpace(r.PostFormValue("id_number")),
		EndsOn: r.PostFormValue("ends_on")}, w.clientIP(r))
	if err != nil {
		return w.showEnterprises(rw, r, s, enterprisesData{Form: r.PostForm, FormFor: code}, err)
	}
	http.Redirect(rw, r, "/account/enterprises?done=authorised", http.StatusSeeOther)
	return nil
}

func (w *Web) withdrawAgent(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("agent_not_found", apperr.M("没有这项有效的授权", "no such running authorisation"))
	}
	if err := w.Delegation.Withdraw(r.Context(), *s.User, r.PathValue("code"), id, w.clientIP(r)); err != nil {
		return w.showEnterprises(rw, r, s, enterprisesData{}, err)
	}
	http.Redirect(rw, r, "/account/enterprises?done=withdrawn", http.StatusSeeOther)
	return nil
}
