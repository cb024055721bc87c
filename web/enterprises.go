package web

import (
	"context"
	"net/url"

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

// enterprisesPage is the page showing d with the enterprises of the user;
// a failed change shows it with its problem and what was typed.
func (w *Web) enterprisesPage(ctx context.Context, c *call, d enterprisesData) reload {
	return func() (answer, error) {
		list, err := w.Delegation.Mine(ctx, c.User)
		if err != nil {
			return nil, err
		}
		d.Enterprises, d.Today = list, w.Clock.Today().Format("2006-01-02")
		if d.Form == nil {
			d.Form = url.Values{}
		}
		return page{Name: "enterprises", Title: "ent.title", Data: d,
			Flash: c.Flash(map[string]string{"registered": "ent.registered", "authorised": "ent.authorised", "withdrawn": "ent.withdrawn"})}, nil
	}
}

func (w *Web) enterprises(ctx context.Context, c *call) (answer, error) {
	return w.enterprisesPage(ctx, c, enterprisesData{}), nil
}

func (w *Web) registerEnterprise(ctx context.Context, c *call) (answer, error) {
	_, err := w.Delegation.Register(ctx, c.User, delegation.RegisterRequest{CreditCode: c.Form("credit_code"), Name: c.Form("name")}, w.clientIP(c.R))
	if err != nil {
		return w.enterprisesPage(ctx, c, enterprisesData{Form: c.R.PostForm}), err
	}
	return seeOther("/account/enterprises?done=registered"), nil
}

func (w *Web) authoriseAgent(ctx context.Context, c *call) (answer, error) {
	code := c.Path("code")
	_, err := w.Delegation.Authorise(ctx, c.User, code, delegation.AuthoriseRequest{IDNumber: c.Trim("id_number"), EndsOn: c.Form("ends_on")},
		w.clientIP(c.R))
	if err != nil {
		return w.enterprisesPage(ctx, c, enterprisesData{Form: c.R.PostForm, FormFor: code}), err
	}
	return seeOther("/account/enterprises?done=authorised"), nil
}

// agentID is what an {id} naming no authorisation is.
var agentID = withID("agent_not_found", apperr.M("没有这项有效的授权", "no such running authorisation"))

func (w *Web) withdrawAgent(ctx context.Context, c *call) (answer, error) {
	if err := w.Delegation.Withdraw(ctx, c.User, c.Path("code"), c.ID, w.clientIP(c.R)); err != nil {
		return w.enterprisesPage(ctx, c, enterprisesData{}), err
	}
	return seeOther("/account/enterprises?done=withdrawn"), nil
}
