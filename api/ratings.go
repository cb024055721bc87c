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
	s.handle("GET", "/api/v1/ratings", true, serve(http.StatusOK, nil, s.listRatings))
	s.handle("GET", "/api/v1/rating-links/{token}", false, serve(http.StatusOK, nil, s.ratingLink))
	s.handle("POST", "/api/v1/rating-links/{token}", false, serve(http.StatusOK, nil, s.rateByLink))
	s.handle("GET", "/api/v1/points/{point}/windows/{window}/rating-pad", false, serve(http.StatusOK, nil, s.ratingPad))
	s.handle("POST", "/api/v1/points/{point}/windows/{window}/rating-pad", false, serve(http.StatusCreated, nil, s.rateAtPad))
	s.handle("GET", "/api/v1/points/{point}/windows/{window}/rating-pad-address", true, serve(http.StatusOK, nil, s.ratingPadAddress))
	s.handle("GET", "/api/v1/rating-followups", true, serve(http.StatusOK, nil, s.listRatingFollowUps))
	s.handle("GET", "/api/v1/rating-followups/{id}", true, serve(http.StatusOK, nil, s.getRatingFollowUp))
	s.handle("POST", "/api/v1/rating-followups/{id}/actions/{action}", true, serve(http.StatusOK, nil, s.ratingFollowUpAction))
	s.handle("GET", "/api/v1/rating-figures", true, serve(http.StatusOK, nil, s.ratingFigures))
	s.handle("GET", "/api/v1/satisfaction", false, serve(http.StatusOK, nil, s.publicSatisfaction))
	s.handle("GET", "/api/v1/rating-settings", true, serve(http.StatusOK, nil, s.ratingSettings))
	s.handle("PUT", "/api/v1/rating-settings", true, serve(http.StatusOK, nil, s.putRatingSettings))
}

func (s *Server) rateCase(ctx context.Context, c call[rating.RateRequest]) (rating.Rating, error) {
	return s.Ratings.RateCase(ctx, c.Actor, c.ID, c.In)
}

func (s *Server) caseRating(ctx context.Context, c call[noBody]) (rating.CaseState, error) {
	return s.Ratings.ForCase(ctx, c.Actor, c.ID)
}

func (s *Server) rateVisit(ctx context.Context, c call[rating.RateRequest]) (rating.Rating, error) {
	return s.Ratings.RateVisit(ctx, c.Actor, c.Path("point"), c.ID, c.In)
}

func (s *Server) recordPhoneRating(ctx context.Context, c call[rating.PhoneRequest]) (rating.Rating, error) {
	return s.Ratings.RecordPhone(ctx, c.Actor, c.In)
}

func (s *Server) listRatings(ctx context.Context, c call[noBody]) (page[rating.Rating], error) {
	limit, offset, err := paging(c.R, 50, 200)
	if err != nil {
		return page[rating.Rating]{}, err
	}
	f := rating.Filter{Point: strings.TrimSpace(c.Query("point")), Limit: limit, Offset: offset}
	if m := c.Query("month"); m != "" {
		if f.Month, err = rating.ParseMonth("month", m); err != nil {
			return page[rating.Rating]{}, err
		}
	}
	if f.OnlyBad, err = queryBool(c.R, "bad"); err != nil {
		return page[rating.Rating]{}, err
	}
	list, total, err := s.Ratings.List(ctx, c.Actor, f)
	return page[rating.Rating]{Items: list, Total: total, Limit: limit, Offset: offset}, err
}

func (s *Server) ratingLink(ctx context.Context, c call[noBody]) (rating.LinkState, error) {
	return noStore[rating.LinkState](c.Header)(s.Ratings.Link(ctx, c.Path("token")))
}

func (s *Server) rateByLink(ctx context.Context, c call[rating.RateRequest]) (rating.Rating, error) {
	out, err := s.Ratings.RateByLink(ctx, c.Path("token"), c.In, s.clientIP(c.R))
	return out.Public(), err
}

func (s *Server) ratingPad(ctx context.Context, c call[noBody]) (rating.PadState, error) {
	return noStore[rating.PadState](c.Header)(s.Ratings.Pad(ctx, c.Path("point"), c.Path("window"), c.Query("key")))
}

func (s *Server) rateAtPad(ctx context.Context, c call[rating.PadRequest]) (rating.Rating, error) {
	out, err := s.Ratings.RateAtPad(ctx, c.Path("point"), c.Path("window"), c.Query("key"), c.In.TicketID, c.In.RateRequest)
	return out.Public(), err
}

// padAddress is where a window's pad is opened.
type padAddress struct {
	Path string `json:"path"`
}

func (s *Server) ratingPadAddress(ctx context.Context, c call[noBody]) (padAddress, error) {
	p, err := s.Ratings.PadPath(ctx, c.Actor, c.Path("point"), c.Path("window"))
	return padAddress{Path: p}, err
}

func (s *Server) listRatingFollowUps(ctx context.Context, c call[noBody]) (page[rating.FollowUp], error) {
	limit, offset, err := paging(c.R, 50, 200)
	if err != nil {
		return page[rating.FollowUp]{}, err
	}
	f := rating.FollowUpFilter{Limit: limit, Offset: offset}
	for _, st := range c.R.URL.Query()["status"] {
		for _, v := range strings.Split(st, ",") {
			if !rating.Status(v).Valid() {
				return page[rating.FollowUp]{}, apperr.Fields{apperr.Field("status", "unknown", apperr.M("未知的整改状态", "unknown follow-up status"))}.Err()
			}
			f.Statuses = append(f.Statuses, rating.Status(v))
		}
	}
	if f.Overdue, err = queryBool(c.R, "overdue"); err != nil {
		return page[rating.FollowUp]{}, err
	}
	list, total, err := s.Ratings.FollowUps(ctx, c.Actor, f)
	return page[rating.FollowUp]{Items: list, Total: total, Limit: limit, Offset: offset}, err
}

func (s *Server) getRatingFollowUp(ctx context.Context, c call[noBody]) (rating.Detail, error) {
	return s.Ratings.GetFollowUp(ctx, c.Actor, c.ID)
}

func (s *Server) ratingFollowUpAction(ctx context.Context, c call[maybe[rating.ActRequest]]) (rating.Detail, error) {
	action, err := rating.ParseAction(c.Path("action"))
	if err != nil {
		return rating.Detail{}, err
	}
	return s.Ratings.ActFollowUp(ctx, c.Actor, c.ID, action, c.In.Body)
}

func (s *Server) ratingFigures(ctx context.Context, c call[noBody]) (rating.Figures, error) {
	return s.Ratings.Figures(ctx, c.Actor, rating.FigureFilter{Month: c.Query("month"), Point: strings.TrimSpace(c.Query("point"))})
}

// satisfaction is the public page's answer: each point's satisfaction.
type satisfaction struct {
	Month  string               `json:"month"`
	Points []rating.PublicPoint `json:"points"`
}

func (s *Server) publicSatisfaction(ctx context.Context, c call[noBody]) (satisfaction, error) {
	pts, month, err := s.Ratings.Public(ctx, c.Query("month"))
	return satisfaction{Month: month, Points: pts}, err
}

func (s *Server) ratingSettings(ctx context.Context, c call[noBody]) (page[rating.Settings], error) {
	list, err := s.Ratings.Settings(ctx, c.Actor)
	return page[rating.Settings]{Items: list, Total: len(list), Limit: len(list)}, err
}

func (s *Server) putRatingSettings(ctx context.Context, c call[rating.Settings]) (rating.Settings, error) {
	return s.Ratings.PutSettings(ctx, c.Actor, c.In)
}
