package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/workday"
)

func (s *Server) registerSLARoutes() {
	s.mux.Handle("GET /metrics", metrics.Handler())
	s.handle("GET", "/api/v1/workdays/years", false, serve(http.StatusOK, nil, s.listWorkdayYears))
	s.handle("PUT", "/api/v1/workdays/years", true, serve(http.StatusOK, admins, s.importWorkdayYears))
	s.handle("GET", "/api/v1/workdays/{date}", false, serve(http.StatusOK, nil, s.workdayOf))
	s.handle("GET", "/api/v1/workdays/{date}/plus/{days}", false, serve(http.StatusOK, nil, s.workdayAdd))
	s.handle("GET", "/api/v1/escalation-ladders", true, serve(http.StatusOK, admins, s.listLadders))
	s.handle("PUT", "/api/v1/escalation-ladders/{scope}", true, serve(http.StatusOK, admins, s.putLadder))
	s.handle("POST", "/api/v1/sla/scan", true, serve(http.StatusOK, admins, s.scanNow))
}

type dayView struct {
	Date     string `json:"date"`
	Workday  bool   `json:"workday"`
	Kind     string `json:"kind"` // workday | weekend | holiday | makeup
	Name     string `json:"name,omitempty"`
	NameEN   string `json:"name_en,omitempty"`
	Fallback bool   `json:"fallback"`
}

func viewDay(d workday.Day) dayView {
	return dayView{Date: workday.FormatDate(d.Date), Workday: d.Workday, Kind: d.Kind, Name: d.Name, NameEN: d.NameEN, Fallback: d.Fallback}
}

func parseDate(r *http.Request) (time.Time, error) {
	d, err := workday.ParseDate(r.PathValue("date"))
	if err != nil {
		return time.Time{}, apperr.Fields{apperr.Field("date", "format", apperr.M("日期格式须为 YYYY-MM-DD", "date must be YYYY-MM-DD"))}.Err()
	}
	return d, nil
}

func (s *Server) workdayOf(_ context.Context, c call[noBody]) (dayView, error) {
	d, err := parseDate(c.R)
	if err != nil {
		return dayView{}, err
	}
	return viewDay(s.Calendar.Day(d)), nil
}

func (s *Server) workdayAdd(_ context.Context, c call[noBody]) (map[string]any, error) {
	d, err := parseDate(c.R)
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(c.Path("days"))
	if err != nil || n < 0 || n > 3650 {
		return nil, apperr.Fields{apperr.Field("days", "range", apperr.M("工作日数须为0–3650的整数", "days must be an integer from 0 to 3650"))}.Err()
	}
	due, fb := s.Calendar.Add(d, n)
	return map[string]any{"from": workday.FormatDate(d), "days": n, "due": workday.FormatDate(due), "fallback": fb}, nil
}

type yearView struct {
	Year         int    `json:"year"`
	NoticeTitle  string `json:"notice_title"`
	NoticeNumber string `json:"notice_number,omitempty"`
	NoticeDate   string `json:"notice_date,omitempty"`
	Holidays     int    `json:"holidays"`
}

func (s *Server) listWorkdayYears(context.Context, call[noBody]) (page[yearView], error) {
	out := []yearView{}
	for _, y := range s.Calendar.Years() {
		yd, ok := s.Calendar.Year(y)
		if !ok {
			continue
		}
		v := yearView{Year: y, NoticeTitle: yd.Notice.Title, NoticeNumber: yd.Notice.Number, Holidays: len(yd.Holidays)}
		if !yd.Notice.Date.IsZero() {
			v.NoticeDate = workday.FormatDate(yd.Notice.Date)
		}
		out = append(out, v)
	}
	return all(out), nil
}

// importWorkdayYears takes a holiday file (the format of `onewindow workday
// import`) and adds or replaces its years.
func (s *Server) importWorkdayYears(ctx context.Context, c call[jsonBytes]) (map[string]any, error) {
	years, err := s.Workdays.Import(ctx, c.Actor, bytes.NewReader(c.In), s.Calendar)
	if err != nil {
		return nil, err
	}
	return map[string]any{"years": years}, nil
}

func (s *Server) listLadders(ctx context.Context, _ call[noBody]) (map[string][]cases.Step, error) {
	ls, err := s.Cases.Ladders(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := ls["default"]; !ok {
		ls["default"] = cases.DefaultLadder
	}
	return ls, nil
}

type ladderRequest struct {
	Steps []cases.Step `json:"steps"`
}

func (s *Server) putLadder(ctx context.Context, c call[ladderRequest]) (ladderRequest, error) {
	return c.In, s.Cases.SetLadder(ctx, c.Actor, c.Path("scope"), c.In.Steps)
}

// scanNow runs the SLA scan at once (the scheduler runs it periodically).
func (s *Server) scanNow(ctx context.Context, _ call[noBody]) (cases.ScanReport, error) {
	return s.Cases.ScanSLA(ctx, s.Cases.Now(), s.log)
}
