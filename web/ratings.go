package web

import (
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
	w.page("GET /cases/{id}/rate", applicants, w.rateCasePage)
	w.page("POST /cases/{id}/rate", applicants, w.rateCase)
	w.page("GET /pad/{point}/{window}", public, w.padPage)
	w.page("POST /pad/{point}/{window}", public, w.padRate)
	w.page("GET /rate/{token}", public, w.linkPage)
	w.page("POST /rate/{token}", public, w.linkRate)
	w.page("GET /desk/phone-rating", frontDesks, w.phoneRatingPage)
	w.page("POST /desk/phone-rating", frontDesks, w.phoneRating)
	w.page("GET /followups", followUpReaders, w.followUps)
	w.page("GET /followups/{id}", followUpReaders, w.followUpPage)
	w.page("POST /followups/{id}/{action}", followUpReaders, w.followUpAct)
	w.page("GET /ratings", figureReaders, w.ratingFigures)
	w.page("GET /satisfaction", public, w.satisfactionPage)
}

func (w *Web) ratings() (*rating.Service, error) {
	if w.Ratings == nil {
		return nil, apperr.NotFoundf("page_not_found", apperr.M("没有这个页面", "there is no such page"))
	}
	return w.Ratings, nil
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

func (w *Web) rateCaseData(r *http.Request, s *session) (rateCaseData, error) {
	svc, err := w.ratings()
	if err != nil {
		return rateCaseData{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return rateCaseData{}, apperr.NotFoundf("case_not_found", apperr.M("案件不存在", "no such case"))
	}
	c, err := w.Cases.Get(r.Context(), *s.User, id)
	if err != nil {
		return rateCaseData{}, err
	}
	st, err := svc.ForCase(r.Context(), *s.User, id)
	if err != nil {
		return rateCaseData{}, err
	}
	return rateCaseData{CaseID: id, Number: c.Number, Item: c.ItemName, Done: r.URL.Query().Get("done") == "1",
		Form: newRateForm(fmt.Sprintf("/cases/%d/rate", id), st.Rating, st.CanRate)}, nil
}

func (w *Web) rateCasePage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.rateCaseData(r, s)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "rate", "rating.title", d)
}

func (w *Web) rateCase(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.rateCaseData(r, s)
	if err != nil {
		return err
	}
	if _, err := w.Ratings.RateCase(r.Context(), *s.User, d.CaseID, rateRequest(r)); err != nil {
		return w.renderForm(rw, r, s, "rate", "rating.title", d, err)
	}
	http.Redirect(rw, r, fmt.Sprintf("/cases/%d/rate?done=1", d.CaseID), http.StatusSeeOther)
	return nil
}

type linkData struct {
	State rating.LinkState
	Form  rateForm
	Done  bool
}

func (w *Web) linkPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	token := r.PathValue("token")
	st, err := svc.Link(r.Context(), token)
	if err != nil {
		return err
	}
	d := linkData{State: st, Form: newRateForm("/rate/"+url.PathEscape(token), st.Rating, st.CanRate), Done: r.URL.Query().Get("done") == "1"}
	return w.render(rw, r, s, http.StatusOK, "rate_link", "rating.title", d)
}

func (w *Web) linkRate(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	token := r.PathValue("token")
	if _, err := svc.RateByLink(r.Context(), token, rateRequest(r), w.clientIP(r)); err != nil {
		st, lerr := svc.Link(r.Context(), token)
		if lerr != nil {
			return lerr
		}
		return w.renderForm(rw, r, s, "rate_link", "rating.title", linkData{State: st, Form: newRateForm("/rate/"+url.PathEscape(token), st.Rating, st.CanRate)}, err)
	}
	http.Redirect(rw, r, "/rate/"+url.PathEscape(token)+"?done=1", http.StatusSeeOther)
	return nil
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

func (w *Web) padPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	point, window, key := r.PathValue("point"), r.PathValue("window"), r.URL.Query().Get("key")
	st, err := svc.Pad(r.Context(), point, window, key)
	if err != nil {
		return err
	}
	self := "/pad/" + url.PathEscape(point) + "/" + url.PathEscape(window) + "?key=" + url.QueryEscape(key)
	d := padData{State: st, Self: self, Refresh: padIdleRefresh, Thanks: r.URL.Query().Get("done") == "1"}
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
	return w.write(rw, r, s, http.StatusOK, "pad", &view{session: s, Title: s.L.T("pad.title"), Data: d, Scripts: []string{"pad.js"}})
}

func (w *Web) padRate(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	point, window, key := r.PathValue("point"), r.PathValue("window"), r.URL.Query().Get("key")
	ticket, _ := strconv.ParseInt(r.PostFormValue("ticket_id"), 10, 64)
	self := "/pad/" + url.PathEscape(point) + "/" + url.PathEscape(window) + "?key=" + url.QueryEscape(key)
	if _, err := svc.RateAtPad(r.Context(), point, window, key, ticket, rateRequest(r)); err != nil {
		st, perr := svc.Pad(r.Context(), point, window, key)
		if perr != nil {
			return perr
		}
		d := padData{State: st, Self: self, Refresh: padFormRefresh, Form: newRateForm(self, nil, st.TicketID != nil)}
		d.Form.Phone, d.Form.TicketID = true, st.TicketID
		p := problemOf(s.L, err)
		return w.write(rw, r, s, p.Status, "pad", &view{session: s, Title: s.L.T("pad.title"), Data: d, Problem: p, Scripts: []string{"pad.js"}})
	}
	http.Redirect(rw, r, self+"&done=1", http.StatusSeeOther)
	return nil
}

type phoneData struct {
	Form  rateForm
	Saved *rating.Rating
	Today string
}

func (w *Web) phoneRatingPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	if _, err := w.ratings(); err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "phone_rating", "phone.title", phoneData{Form: newRateForm("/desk/phone-rating", nil, true)})
}

func (w *Web) phoneRating(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	req := rating.PhoneRequest{RateRequest: rateRequest(r), CaseNumber: strings.TrimSpace(r.PostFormValue("case_number")),
		TicketNumber: strings.TrimSpace(r.PostFormValue("ticket_number")), TicketDay: strings.TrimSpace(r.PostFormValue("ticket_day"))}
	d := phoneData{Form: newRateForm("/desk/phone-rating", nil, true)}
	saved, err := svc.RecordPhone(r.Context(), *s.User, req)
	if err != nil {
		return w.renderForm(rw, r, s, "phone_rating", "phone.title", d, err)
	}
	d.Saved = &saved
	return w.write(rw, r, s, http.StatusOK, "phone_rating", &view{session: s, Title: s.L.T("phone.title"), Data: d, Flash: s.L.T("phone.saved")})
}

type followUpsData struct {
	Items   []rating.FollowUp
	Total   int
	Overdue bool
}

func (w *Web) followUps(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	d := followUpsData{Overdue: r.URL.Query().Get("overdue") == "1"}
	f := rating.FollowUpFilter{Overdue: d.Overdue, Limit: 200}
	if r.URL.Query().Get("all") != "1" {
		f.Statuses = []rating.Status{rating.Open, rating.Contacted, rating.Rectified, rating.Contested, rating.Appealed}
	}
	if d.Items, d.Total, err = svc.FollowUps(r.Context(), *s.User, f); err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "followups", "followup.list_title", d)
}

func (w *Web) followUpDetail(r *http.Request, s *session) (rating.Detail, error) {
	svc, err := w.ratings()
	if err != nil {
		return rating.Detail{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return rating.Detail{}, apperr.NotFoundf("followup_not_found", apperr.M("整改单不存在", "no such follow-up"))
	}
	return svc.GetFollowUp(r.Context(), *s.User, id)
}

func (w *Web) followUpPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.followUpDetail(r, s)
	if err != nil {
		return err
	}
	v := &view{session: s, Title: s.L.T("followup.title"), Data: d}
	if done := r.URL.Query().Get("done"); done != "" {
		v.Flash = s.L.T("followup.saved")
	}
	return w.write(rw, r, s, http.StatusOK, "followup", v)
}

func (w *Web) followUpAct(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.followUpDetail(r, s)
	if err != nil {
		return err
	}
	action, err := rating.ParseAction(r.PathValue("action"))
	if err != nil {
		return err
	}
	req := rating.ActRequest{Note: r.PostFormValue("note")}
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		req.Version = &v
	}
	if _, err := w.Ratings.ActFollowUp(r.Context(), *s.User, d.ID, action, req); err != nil {
		return w.renderForm(rw, r, s, "followup", "followup.title", d, err)
	}
	http.Redirect(rw, r, fmt.Sprintf("/followups/%d?done=%s", d.ID, action), http.StatusSeeOther)
	return nil
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

func (w *Web) ratingFigures(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	fig, err := svc.Figures(r.Context(), *s.User, rating.FigureFilter{Month: r.URL.Query().Get("month"), Point: r.URL.Query().Get("point")})
	if err != nil {
		return err
	}
	d := figuresData{Figures: fig, Month: fig.Month, Sections: []figureSection{
		{Key: "ratings.windows", ID: "ratings-windows", Lines: fig.Windows},
		{Key: "ratings.staff", ID: "ratings-staff", Lines: fig.Staff},
		{Key: "ratings.points", ID: "ratings-points", Lines: fig.Points},
		{Key: "ratings.departments", ID: "ratings-departments", Lines: fig.Departments},
	}}
	return w.render(rw, r, s, http.StatusOK, "ratings", "ratings.title", d)
}

type satisfactionData struct {
	Month  string
	Points []rating.PublicPoint
}

func (w *Web) satisfactionPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	svc, err := w.ratings()
	if err != nil {
		return err
	}
	pts, month, err := svc.Public(r.Context(), r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "satisfaction", "satisfaction.title", satisfactionData{Month: month, Points: pts})
}

// Ratable tells "my cases" to offer the rating of a case: decided and given.
func (c caseRow) Ratable() bool { return rating.RatableCase(c.State, false) }
