package api

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/workday"
)

func (s *Server) registerSLARoutes() {
	s.mux.Handle("GET /metrics", metrics.Handler())
	s.handle("GET", "/api/v1/workdays/years", false, s.listWorkdayYears)
	s.handle("PUT", "/api/v1/workdays/years", true, s.importWorkdayYears)
	s.handle("GET", "/api/v1/workdays/{date}", false, s.workdayOf)
	s.handle("GET", "/api/v1/workdays/{date}/plus/{days}", false, s.workdayAdd)
	s.handle("GET", "/api/v1/escalation-ladders", true, s.listLadders)
	s.handle("PUT", "/api/v1/escalation-ladders/{scope}", true, s.putLadder)
	s.handle("POST", "/api/v1/sla/scan", true, s.scanNow)
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

func (s *Server) parseDate(r *http.Request) (time.Time, error) {
	d, err := workday.ParseDate(r.PathValue("date"))
	if err != nil {
		return time.Time{}, apperr.Fields{apperr.Field("date", "format", apperr.M("日期格式须为 YYYY-MM-DD", "date must be YYYY-MM-DD"))}.Err()
	}
	return d, nil
}

func (s *Server) workdayOf(w http.ResponseWriter, r *http.Request) error {
	d, err := s.parseDate(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewDay(s.Calendar.Day(d)))
	return nil
}

func (s *Server) workdayAdd(w http.ResponseWriter, r *http.Request) error {
	d, err := s.parseDate(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("days"))
	if err != nil || n < 0 || n > 3650 {
		return apperr.Fields{apperr.Field("days", "range", apperr.M("工作日数须为0–3650的整数", "days must be an integer from 0 to 3650"))}.Err()
	}
	due, fb := s.Calendar.Add(d, n)
	writeJSON(w, http.StatusOK, map[string]any{"from": workday.FormatDate(d), "days": n, "due": workday.FormatDate(due), "fallback": fb})
	return nil
}

type yearView struct {
	Year         int    `json:"year"`
	NoticeTitle  string `json:"notice_title"`
	NoticeNumber string `json:"notice_number,omitempty"`
	NoticeDate   string `json:"notice_date,omitempty"`
	Holidays     int    `json:"holidays"`
}

func (s *Server) listWorkdayYears(w http.ResponseWriter, r *http.Request) error {
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
	writeJSON(w, http.StatusOK, page[yearView]{Items: out, Total: len(out), Limit: len(out)})
	return nil
}

// importWorkdayYears takes a holiday file (the format of `onewindow workday
// import`) and adds or replaces its years.
func (s *Server) importWorkdayYears(w http.ResponseWriter, r *http.Request) error {
	u, err := requireRole(r, auth.RoleAdmin)
	if err != nil {
		return err
	}
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	years, err := s.Workdays.Import(r.Context(), u, bytes.NewReader(body), s.Calendar)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"years": years})
	return nil
}

func (s *Server) listLadders(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	ls, err := s.Cases.Ladders(r.Context())
	if err != nil {
		return err
	}
	if _, ok := ls["default"]; !ok {
		ls["default"] = cases.DefaultLadder
	}
	writeJSON(w, http.StatusOK, ls)
	return nil
}

type ladderRequest struct {
	Steps []cases.Step `json:"steps"`
}

func (s *Server) putLadder(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	var req ladderRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Cases.SetLadder(r.Context(), r.PathValue("scope"), req.Steps); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, req)
	return nil
}

// scanNow runs the SLA scan at once (the scheduler runs it periodically).
func (s *Server) scanNow(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	rep, err := s.Cases.ScanSLA(r.Context(), s.Cases.Now(), s.log)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
