package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/network"
)

// caseRow is a case in a list, with where it stands against its time limit.
type caseRow struct {
	cases.Case
	SLA cases.SLA
}

func (w *Web) rows(list []cases.Case) []caseRow {
	out := make([]caseRow, len(list))
	for i, c := range list {
		out[i] = caseRow{Case: c, SLA: w.Cases.SLA(&c)}
	}
	return out
}

type myData struct {
	Cases   []caseRow
	Total   int
	PrevURL string
	NextURL string
}

const casesPerPage = 30

// myCases lists the applicant's cases: those made online and those a front
// desk made for them (matched by identity number).
func (w *Web) myCases(ctx context.Context, c *call) (myData, error) {
	offset, err := offsetOf(c.R)
	if err != nil {
		return myData{}, err
	}
	list, total, err := w.Cases.List(ctx, c.User, cases.Filter{Limit: casesPerPage, Offset: offset})
	if err != nil {
		return myData{}, err
	}
	d := myData{Cases: w.rows(list), Total: total}
	d.PrevURL, d.NextURL = pager("/my?", offset, len(list), total)
	return d, nil
}

func offsetOf(r *http.Request) (int, error) {
	v := r.URL.Query().Get("offset")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1<<20 {
		return 0, apperr.Fields{apperr.Field("offset", "range", apperr.M("页码不正确", "bad page offset"))}.Err()
	}
	return n, nil
}

// pager returns the previous and next page addresses of a list at base
// (which ends in ? or &).
func pager(base string, offset, shown, total int) (prev, next string) {
	if offset > 0 {
		prev = base + "offset=" + strconv.Itoa(max(offset-casesPerPage, 0))
	}
	if offset+shown < total {
		next = base + "offset=" + strconv.Itoa(offset+casesPerPage)
	}
	return prev, next
}

type applyData struct {
	Item   catalog.Item
	Points []network.Point
	Point  string
	// Refused says why the signed-in applicant may not apply for the item
	// (a person and an item for enterprises only): the page then shows no
	// form, so that nothing is uploaded in vain.
	Refused bool
	// Kept are the files already uploaded on a form that was refused, by
	// material type: sent again with the form, they need not be chosen again.
	Kept map[string]*keptFile
	// Offers are the materials a valid licence the applicant holds can
	// stand in for (免提交), by material type; Consented those whose consent
	// box was ticked on a form that came back.
	Offers    map[string]licenceOffer
	Consented map[string]bool
}

// pointsFor lists the places that may handle it: an applicant may send an
// application to one of them, or leave it to the online service point.
func (w *Web) pointsFor(ctx context.Context, it *catalog.Item) ([]network.Point, error) {
	all, err := w.Points.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []network.Point
	for _, p := range all {
		if it.HandledAt(p.Level) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (w *Web) applyPage(ctx context.Context, c *call) (answer, error) {
	it, err := w.Catalog.Published(ctx, c.Path("code"))
	if err != nil {
		return nil, err
	}
	d := applyData{Item: it}
	if !it.OpenTo(c.User.Kind) {
		d.Refused = true
	} else if d.Points, err = w.pointsFor(ctx, &it); err != nil {
		return nil, err
	} else if d.Offers, err = w.licenceOffers(ctx, c.User, it); err != nil {
		return nil, err
	}
	return page{Name: "apply", TitleText: c.L.T("apply.title") + " " + c.L.Name(it.Name, it.NameEN), Data: d}, nil
}

// errNotOpenTo is the refusal of an item the applicant's kind may not apply for.
func errNotOpenTo() error {
	return apperr.Fields{apperr.Field("applicant.kind", "enterprise_only", apperr.M(
		"本事项只面向企业等法人办理，个人账号不能申请", "this item is for enterprises only: a personal account cannot apply for it"))}.Err()
}

// apply opens an online application with the files chosen on the form, and
// sends it at once when asked to; the confirmation then says what happens
// next, and the case page tells, in one notice, everything still missing.
// Every file that was accepted is kept when something else on the form is
// refused: the form comes back holding it.
func (w *Web) apply(ctx context.Context, c *call) (answer, error) {
	it, err := w.Catalog.Published(ctx, c.Path("code"))
	if err != nil {
		return nil, err
	}
	d := applyData{Item: it, Point: c.Form("point")}
	again := reload(func() (answer, error) {
		if d.Points == nil && !d.Refused {
			d.Points, _ = w.pointsFor(ctx, &it)
		}
		return page{Name: "apply", Title: "apply.title", Data: d}, nil
	})
	if !it.OpenTo(c.User.Kind) {
		d.Refused = true
		return again, errNotOpenTo()
	}
	if d.Offers, err = w.licenceOffers(ctx, c.User, it); err != nil {
		return nil, err
	}
	d.Consented = map[string]bool{}
	var types []string
	for _, m := range it.Materials {
		if _, offered := d.Offers[m.Type]; offered && c.Form("licence_"+m.Type) == "yes" {
			// Provided by reference once the case exists: no file is read.
			d.Consented[m.Type] = true
			continue
		}
		types = append(types, m.Type)
	}
	kept, bad, err := w.keepUploads(c, types)
	if err != nil {
		return nil, err
	}
	d.Kept = kept
	if err := bad.Err(); err != nil {
		return again, err
	}
	cs, err := w.Cases.Create(ctx, c.User, cases.CreateRequest{Item: it.Code, Point: d.Point})
	if err != nil {
		return again, err
	}
	// What fails from here on is shown on the case just opened.
	c.ID = cs.ID
	for _, m := range it.Materials {
		if d.Consented[m.Type] {
			if _, err := w.Licences.Use(ctx, c.User, cs.ID, licence.UseRequest{Material: m.Type, Consent: true}); err != nil {
				return w.caseAgain(c, err, nil), err
			}
			continue
		}
		k, ok := d.Kept[m.Type]
		if !ok {
			continue
		}
		if _, err := w.Cases.AddMaterial(ctx, c.User, cs.ID, k.material()); err != nil {
			return w.caseAgain(c, err, nil), err
		}
	}
	if c.Form("submit") == "1" {
		if _, err := w.Cases.Act(ctx, c.User, cs.ID, cases.Submit, cases.ActRequest{}); err != nil {
			return w.caseAgain(c, err, nil), err
		}
		return seeOther(fmt.Sprintf("/cases/%d/submitted", cs.ID)), nil
	}
	return seeOther(fmt.Sprintf("/cases/%d?done=create", cs.ID)), nil
}
