package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/rating"
)

// The pages of 好差评: the applicant rates a case, the window's pad rates
// the visit just finished, the invitation's link rates a case without
// signing in, a front desk records a telephone rating, departments and
// points follow up bad ratings, the hall manager reads the month's
// satisfaction per window, and everyone each point's satisfaction.

var (
	followUpReaders = access{auth.RoleApplicant, auth.RoleReviewer, auth.RoleHallManager, auth.RoleAdmin}
	figureReaders   = access{auth.RoleReviewer, auth.RoleHallManager, auth.RoleAdmin}
)

func (w *Web) ratingRoutes() {
	on := needs(w.Ratings != nil)
	followUpID := withID("followup_not_found", apperr.M("整改单不存在", "no such follow-up"))
	show(w, "GET /cases/{id}/rate", applicants, "rate", "rating.title", w.rateCaseData, on, caseID)
	w.handle("POST /cases/{id}/rate", applicants, w.rateCase, on, caseID)
	w.handle("GET /pad/{point}/{window}", public, w.padPage, on)
	w.handle("POST /pad/{point}/{window}", public, w.padRate, on)
	show(w, "GET /rate/{token}", public, "rate_link", "rating.title", w.linkPage, on)
	w.handle("POST /rate/{token}", public, w.linkRate, on)
	show(w, "GET /desk/phone-rating", frontDesks, "phone_rating", "phone.title", w.phoneRatingPage, on)
	w.handle("POST /desk/phone-rating", frontDesks, w.phoneRating, on)
	show(w, "GET /followups", followUpReaders, "followups", "followup.list_title", w.followUps, on)
	w.handle("GET /followups/{id}", followUpReaders, w.followUpPage, on, followUpID)
	w.handle("POST /followups/{id}/{action}", followUpReaders, w.followUpAct, on, followUpID)
	show(w, "GET /ratings", figureReaders, "ratings", "ratings.title", w.ratingFigures, on)
	show(w, "GET /satisfaction", public, "satisfaction", "satisfaction.title", w.satisfactionPage, on)
}

// rateForm is the rating form of any page: levels, tags and a comment.
type rateForm struct {
	Action  string // where the form posts
	Levels  []rating.Level
	Tags    []rating.Tag
	Current *rating.Rating
	CanRate bool
	Phone   bool // ask for a number (a pad, for the call-back)
	// TicketID is the visit a pad rates.
	TicketID *int64
}

func newRateForm(action string, current *rating.Rating, can bool) rateForm {
	return rateForm{Action: action, Levels: rating.Levels, Tags: rating.Tags, Current: current, CanRate: can}
}

// LevelName and TagName label levels and tags in the page's language.
func (l Lang) LevelName(v rating.Level) string { return l.Msg(rating.LevelNames[v]) }
func (l Lang) TagName(t rating.Tag) string     { return l.Msg(rating.TagNames[t]) }
func (l Lang) FollowUpStatus(s rating.Status) string {
	return l.Msg(rating.StatusNames[s])
}
func (l Lang) FollowUpAction(a string) string { return l.Msg(rating.ActionNames[rating.Action(a)]) }
func (l Lang) RatingChannel(c rating.Channel) string {
	return l.Msg(rating.ChannelNames[c])
}

// rateRequest reads the form: the level is the button pressed.
func rateRequest(r *http.Request) rating.RateRequest {
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	return rating.RateRequest{Level: level, Tags: r.PostForm["tags"], Comment: r.PostFormValue("comment"),
		Phone: strings.TrimSpace(r.PostFormValue("phone")), Name: r.PostFormValue("name")}
}

type rateCaseData struct {
	CaseID int64
	Number string
	Item   string
	Form   rateForm
	Done   bool
}

func (w *Web) rateCaseData(ctx context.Context, c *call) (rateCaseData, error) {
	kase, err := w.Cases.Get(ctx, c.User, c.ID)
	if err != nil {
		return rateCaseData{}, err
	}
	st, err := w.Ratings.ForCase(ctx, c.User, c.ID)
	if err != nil {
		return rateCaseData{}, err
	}
	return rateCaseData{CaseID: c.ID, Number: kase.Number, Item: kase.ItemName, Done: c.Query("done") == "1",
		Form: newRateForm(fmt.Sprintf("/cases/%d/rate", c.ID), st.Rating, st.CanRate)}, nil
}

func (w *Web) rateCase(ctx context.Context, c *call) (answer, error) {
	d, err := w.rateCaseData(ctx, c)
	if err != nil {
		return nil, err
	}
	if _, err := w.Ratings.RateCase(ctx, c.User, d.CaseID, rateRequest(c.R)); err != nil {
		return page{Name: "rate", Title: "rating.title", Data: d}, err
	}
	return seeOther(fmt.Sprintf("/cases/%d/rate?done=1", d.CaseID)), nil
}

type linkData struct {
	State rating.LinkState
	Form  rateForm
	Done  bool
}

func (w *Web) linkPage(ctx context.Context, c *call) (linkData, error) {
	token := c.Path("token")
	st, err := w.Ratings.Link(ctx, token)
	return linkData{State: st, Form: newRateForm("/rate/"+url.PathEscape(token), st.Rating, st.CanRate), Done: c.Query("done") == "1"}, err
}

func (w *Web) linkRate(ctx context.Context, c *call) (answer, error) {
	token := c.Path("token")
	if _, err := w.Ratings.RateByLink(ctx, token, rateRequest(c.R), w.clientIP(c.R)); err != nil {
		return reload(func() (answer, error) {
			st, err := w.Ratings.Link(ctx, token)
			return page{Name: "rate_link", Title: "rating.title", Data: linkData{State: st, Form: newRateForm("/rate/"+url.PathEscape(token), st.Rating, st.CanRate)}}, err
		}), err
	}
	return seeOther("/rate/" + url.PathEscape(token) + "?done=1"), nil
}

// padData is what a window's pad shows; Refresh is how soon the page
// looks again (idle: for the next visit; thanked: back to idle).
type padData struct {
	State   rating.PadState
	Form    rateForm
	Self    string
	Refresh int
	Thanks  bool
}

const (
	padIdleRefresh   = 5  // seconds between looks for a finished visit
	padThanksRefresh = 8  // seconds the thanks stay before the pad waits again
	padFormRefresh   = 60 // an untouched form goes back to idle (and is gone after 10 minutes)
)

// padSelf is the address of the pad the request is for.
func padSelf(c *call) string {
	return "/pad/" + url.PathEscape(c.Path("point")) + "/" + url.PathEscape(c.Path("window")) + "?key=" + url.QueryEscape(c.Query("key"))
}

func (w *Web) padPage(ctx context.Context, c *call) (answer, error) {
	st, err := w.Ratings.Pad(ctx, c.Path("point"), c.Path("window"), c.Query("key"))
	if err != nil {
		return nil, err
	}
	self := padSelf(c)
	d := padData{State: st, Self: self, Refresh: padIdleRefresh, Thanks: c.Query("done") == "1"}
	if d.Thanks {
		d.Refresh = padThanksRefresh
	} else if st.TicketID != nil {
		d.Refresh = padFormRefresh
		if st.Until != nil {
			d.Refresh = max(1, min(padFormRefresh, int(st.Until.Sub(w.Clock.Now()).Seconds())+1))
		}
		d.Form = newRateForm(self, nil, true)
		d.Form.Phone, d.Form.TicketID = true, st.TicketID
	}
	return page{Name: "pad", Title: "pad.title", Data: d, Scripts: []string{"pad.js"}}, nil
}

func (w *Web) padRate(ctx context.Context, c *call) (answer, error) {
	point, window, key := c.Path("point"), c.Path("window"), c.Query("key")
	ticket, _ := strconv.ParseInt(c.Form("ticket_id"), 10, 64)
	self := padSelf(c)
	if _, err := w.Ratings.RateAtPad(ctx, point, window, key, ticket, rateRequest(c.R)); err != nil {
		return reload(func() (answer, error) {
			st, err := w.Ratings.Pad(ctx, point, window, key)
			if err != nil {
				return nil, err
			}
			d := padData{State: st, Self: self, Refresh: padFormRefresh, Form: newRateForm(self, nil, st.TicketID != nil)}
			d.Form.Phone, d.Form.TicketID = true, st.TicketID
			return page{Name: "pad", Title: "pad.title", Data: d, Scripts: []string{"pad.js"}}, nil
		}), err
	}
	return seeOther(self + "&done=1"), nil
}

type phoneData struct {
	Form  rateForm
	Saved *rating.Rating
	Today string
}

func (w *Web) phoneRatingPage(context.Context, *call) (phoneData, error) {
	return phoneData{Form: newRateForm("/desk/phone-rating", nil, true)}, nil
}

func (w *Web) phoneRating(ctx context.Context, c *call) (answer, error) {
	req := rating.PhoneRequest{RateRequest: rateRequest(c.R), CaseNumber: c.Trim("case_number"),
		TicketNumber: c.Trim("ticket_number"), TicketDay: c.Trim("ticket_day")}
	d := phoneData{Form: newRateForm("/desk/phone-rating", nil, true)}
	saved, err := w.Ratings.RecordPhone(ctx, c.User, req)
	if err != nil {
		return page{Name: "phone_rating", Title: "phone.title", Data: d}, err
	}
	d.Saved = &saved
	return page{Name: "phone_rating", Title: "phone.title", Data: d, Flash: c.L.T("phone.saved")}, nil
}

type followUpsData struct {
	Items   []rating.FollowUp
	Total   int
	Overdue bool
}

func (w *Web) followUps(ctx context.Context, c *call) (followUpsData, error) {
	d := followUpsData{Overdue: c.Query("overdue") == "1"}
	f := rating.FollowUpFilter{Overdue: d.Overdue, Limit: 200}
	if c.Query("all") != "1" {
		f.Statuses = []rating.Status{rating.Open, rating.Contacted, rating.Rectified, rating.Contested, rating.Appealed}
	}
	var err error
	d.Items, d.Total, err = w.Ratings.FollowUps(ctx, c.User, f)
	return d, err
}

func (w *Web) followUpPage(ctx context.Context, c *call) (answer, error) {
	d, err := w.Ratings.GetFollowUp(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	p := page{Name: "followup", Title: "followup.title", Data: d}
	if c.Query("done") != "" {
		p.Flash = c.L.T("followup.saved")
	}
	return p, nil
}

func (w *Web) followUpAct(ctx context.Context, c *call) (answer, error) {
	d, err := w.Ratings.GetFollowUp(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	action, err := rating.ParseAction(c.Path("action"))
	if err != nil {
		return nil, err
	}
	if _, err := w.Ratings.ActFollowUp(ctx, c.User, d.ID, action, rating.ActRequest{Note: c.Form("note"), Version: c.Version()}); err != nil {
		return page{Name: "followup", Title: "followup.title", Data: d}, err
	}
	return seeOther(fmt.Sprintf("/followups/%d?done=%s", d.ID, action)), nil
}

type figuresData struct {
	Figures  rating.Figures
	Month    string
	Sections []figureSection
}

// figureSection is one table of the figures: windows and staff ranked
// best first, points and departments by code.
type figureSection struct {
	Key   string // message key of the heading
	ID    string
	Lines []rating.Line
}

func (w *Web) ratingFigures(ctx context.Context, c *call) (figuresData, error) {
	fig, err := w.Ratings.Figures(ctx, c.User, rating.FigureFilter{Month: c.Query("month"), Point: c.Query("point")})
	if err != nil {
		return figuresData{}, err
	}
	d := figuresData{Figures: fig, Month: fig.Month, Sections: []figureSection{
		{Key: "ratings.windows", ID: "ratings-windows", Lines: fig.Windows},
		{Key: "ratings.staff", ID: "ratings-staff", Lines: fig.Staff},
		{Key: "ratings.points", ID: "ratings-points", Lines: fig.Points},
		{Key: "ratings.departments", ID: "ratings-departments", Lines: fig.Departments},
	}}
	return d, nil
}

type satisfactionData struct {
	Month  string
	Points []rating.PublicPoint
}

func (w *Web) satisfactionPage(ctx context.Context, c *call) (satisfactionData, error) {
	pts, month, err := w.Ratings.Public(ctx, c.Query("month"))
	return satisfactionData{Month: month, Points: pts}, err
}

// Ratable tells "my cases" to offer the rating of a case: decided and given.
func (c caseRow) Ratable() bool { return rating.RatableCase(c.State, false) }
