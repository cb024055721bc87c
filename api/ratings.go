package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/rating"
)

// 好差评: ratings of cases and window visits, the follow-up of bad ratings
// and the satisfaction figures; the rules live in package rating.
func (s *Server) registerRatingRoutes() {
	s.handle("POST", "/api/v1/cases/{id}/rating", true, serve(http.StatusOK, nil, s.rateCase))
	s.handle("GET", "/api/v1/cases/{id}/rating", true, serve(http.StatusOK, nil, s.caseRating))
	s.handle("POST", "/api/v1/points/{point}/tickets/{id}/rating", true, serve(http.StatusOK, nil, s.rateVisit))
	s.handle("POST", "/api/v1/ratings/phone", true, serve(http.StatusCreated, nil, s.recordPhoneRating))
	s.handle("GET", "/api/v1/ratings", true, s.listRatings)
	s.handle("GET", "/api/v1/rating-links/{token}", false, s.ratingLink)
	s.handle("POST", "/api/v1/rating-links/{token}", false, s.rateByLink)
	s.handle("GET", "/api/v1/points/{point}/windows/{window}/rating-pad", false, s.ratingPad)
	s.handle("POST", "/api/v1/points/{point}/windows/{window}/rating-pad", false, s.rateAtPad)
	s.handle("GET", "/api/v1/points/{point}/windows/{window}/rating-pad-address", true, s.ratingPadAddress)
	s.handle("GET", "/api/v1/rating-followups", true, s.listRatingFollowUps)
	s.handle("GET", "/api/v1/rating-followups/{id}", true, s.getRatingFollowUp)
	s.handle("POST", "/api/v1/rating-followups/{id}/actions/{action}", true, s.ratingFollowUpAction)
	s.handle("GET", "/api/v1/rating-figures", true, s.ratingFigures)
	s.handle("GET", "/api/v1/satisfaction", false, s.publicSatisfaction)
	s.handle("GET", "/api/v1/rating-settings", true, s.ratingSettings)
	s.handle("PUT", "/api/v1/rating-settings", true, s.putRatingSettings)
}

func (s *Server) rateCase(ctx context.Context, c call[rating.RateRequest]) (rating.Rating, error) {
	return s.Ratings.RateCase(ctx, c.Actor, c.ID, c.In)
}

func (s *Server) caseRating(ctx context.Context, c call[noBody]) (rating.CaseState, error) {
	return s.Ratings.ForCase(ctx, c.Actor, c.ID)
}

func (s *Server) rateVisit(ctx context.Context, c call[rating.RateRequest]) (rating.Rating, error) {
	return s.Ratings.RateVisit(ctx, c.Actor, c.R.PathValue("point"), c.ID, c.In)
}

func (s *Server) recordPhoneRating(ctx context.Context, c call[rating.PhoneRequest]) (rating.Rating, error) {
	return s.Ratings.RecordPhone(ctx, c.Actor, c.In)
}

func (s *Server) listRatings(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	q := r.URL.Query()
	limit, err := queryInt(r, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	f := rating.Filter{Point: strings.TrimSpace(q.Get("point")), Limit: limit, Offset: offset}
	if m := q.Get("month"); m != "" {
		if f.Month, err = rating.ParseMonth("month", m); err != nil {
			return err
		}
	}
	switch q.Get("bad") {
	case "", "false", "0":
	case "true", "1":
		f.OnlyBad = true
	default:
		return apperr.Fields{apperr.Field("bad", "format", apperr.M("bad 须为 true 或 false", "bad must be true or false"))}.Err()
	}
	list, total, err := svc.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[rating.Rating]{Items: list, Total: total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) ratingLink(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	st, err := svc.Link(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) rateByLink(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	var req rating.RateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := svc.RateByLink(r.Context(), r.PathValue("token"), req, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out.Public())
	return nil
}

func (s *Server) ratingPad(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	st, err := svc.Pad(r.Context(), r.PathValue("point"), r.PathValue("window"), r.URL.Query().Get("key"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) rateAtPad(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	var req rating.PadRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := svc.RateAtPad(r.Context(), r.PathValue("point"), r.PathValue("window"), r.URL.Query().Get("key"), req.TicketID, req.RateRequest)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out.Public())
	return nil
}

// padAddress is where a window's pad is opened.
type padAddress struct {
	Path string `json:"path"`
}

func (s *Server) ratingPadAddress(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	p, err := svc.PadPath(r.Context(), u, r.PathValue("point"), r.PathValue("window"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, padAddress{Path: p})
	return nil
}

func (s *Server) listRatingFollowUps(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	q := r.URL.Query()
	limit, err := queryInt(r, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	f := rating.FollowUpFilter{Limit: limit, Offset: offset}
	for _, st := range q["status"] {
		for _, v := range strings.Split(st, ",") {
			if !rating.Status(v).Valid() {
				return apperr.Fields{apperr.Field("status", "unknown", apperr.M("未知的整改状态", "unknown follow-up status"))}.Err()
			}
			f.Statuses = append(f.Statuses, rating.Status(v))
		}
	}
	switch q.Get("overdue") {
	case "", "false", "0":
	case "true", "1":
		f.Overdue = true
	default:
		return apperr.Fields{apperr.Field("overdue", "format", apperr.M("overdue 须为 true 或 false", "overdue must be true or false"))}.Err()
	}
	list, total, err := svc.FollowUps(r.Context(), u, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[rating.FollowUp]{Items: list, Total: total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) getRatingFollowUp(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := svc.GetFollowUp(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) ratingFollowUpAction(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	action, err := rating.ParseAction(r.PathValue("action"))
	if err != nil {
		return err
	}
	var req rating.ActRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	d, err := svc.ActFollowUp(r.Context(), u, id, action, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) ratingFigures(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	q := r.URL.Query()
	fig, err := svc.Figures(r.Context(), u, rating.FigureFilter{Month: q.Get("month"), Point: strings.TrimSpace(q.Get("point"))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fig)
	return nil
}

// satisfaction is the public page's answer: each point's satisfaction.
type satisfaction struct {
	Month  string               `json:"month"`
	Points []rating.PublicPoint `json:"points"`
}

func (s *Server) publicSatisfaction(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	pts, month, err := svc.Public(r.Context(), r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, satisfaction{Month: month, Points: pts})
	return nil
}

func (s *Server) ratingSettings(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	list, err := svc.Settings(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[rating.Settings]{Items: list, Total: len(list), Limit: len(list)})
	return nil
}

func (s *Server) putRatingSettings(w http.ResponseWriter, r *http.Request) error {
	svc := s.Ratings
	u, _ := actor(r)
	var st rating.Settings
	if err := decodeJSON(w, r, &st); err != nil {
		return err
	}
	out, err := svc.PutSettings(r.Context(), u, st)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
