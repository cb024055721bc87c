package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
)

// The service network (服务网点) and its coverage circles (15分钟医保服务圈,
// 法律援助半小时服务圈): divisions, point details and imports, coverage, plans
// and targets. The rules and permissions live in package coverage.
func (s *Server) registerCoverageRoutes() {
	s.handle("GET", "/api/v1/regions", false, s.listRegions)
	s.handle("GET", "/api/v1/regions/{code}", false, s.getRegion)
	s.handle("POST", "/api/v1/regions/locations", true, s.importLocations)
	s.handle("GET", "/api/v1/points/{code}", false, s.getPoint)
	s.handle("GET", "/api/v1/points/export", false, s.exportPoints)
	s.handle("POST", "/api/v1/points/import", true, s.importPoints)
	s.handle("GET", "/api/v1/coverage", true, s.getCoverage)
	s.handle("GET", "/api/v1/coverage/geojson", true, s.coverageGeoJSON)
	s.handle("POST", "/api/v1/coverage/plan", true, s.planCoverage)
	s.handle("GET", "/api/v1/coverage/targets", true, s.listTargets)
	s.handle("PUT", "/api/v1/coverage/targets", true, s.putTargets)
	s.handle("GET", "/api/v1/coverage/services", false, s.listCoverageServices)
	s.handle("PUT", "/api/v1/coverage/services/{service}", true, s.putCoverageService)
	s.handle("POST", "/api/v1/coverage/roads", true, s.importRoads)
	s.handle("DELETE", "/api/v1/coverage/roads/{name}", true, s.deleteRoads)
}

// MaxImportBody is the largest CSV or GeoJSON import accepted.
const MaxImportBody = 64 << 20

// readImport reads a CSV or GeoJSON body and names it for error messages
// (base.csv or base.geojson).
func readImport(w http.ResponseWriter, r *http.Request, base string) (string, []byte, error) {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(r.Header.Get("Content-Type"), ";", 2)[0]))
	switch ct {
	case "text/csv", "application/geo+json", "application/json", "":
	default:
		return "", nil, apperr.New(apperr.Unsupported, "unsupported_media_type", apperr.M(
			"请求体须为 text/csv 或 application/geo+json", "the body must be text/csv or application/geo+json"))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxImportBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, apperr.New(apperr.TooLarge, "body_too_large", apperr.M("导入文件超过64 MiB上限", "the import is larger than 64 MiB"))
		}
		if ae := bodyTimeout(err); ae != nil {
			return "", nil, ae
		}
		return "", nil, badRequest("无法读取请求体", "could not read the request body")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return "", nil, badRequest("请求体为空", "the request body is empty")
	}
	if region.LooksLikeJSON(body) {
		return base + ".geojson", body, nil
	}
	return base + ".csv", body, nil
}

func (s *Server) listRegions(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	limit, err := queryInt(r, "limit", 100, 1, 2000)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	level, err := queryInt(r, "level", 0, region.LevelProvince, region.LevelVillage)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rs, total, err := svc.Regions.List(r.Context(), region.Filter{Parent: q.Get("parent"), Within: q.Get("within"), Level: level,
		Query: q.Get("q"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []region.Region{}
	}
	writeJSON(w, http.StatusOK, page[region.Region]{Items: rs, Total: total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) getRegion(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	d, err := svc.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) importLocations(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	name, body, err := readImport(w, r, "locations")
	if err != nil {
		return err
	}
	res, err := svc.ImportLocations(r.Context(), u, name, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) getPoint(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	d, err := svc.Point(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) exportPoints(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "geojson" {
		return apperr.Fields{apperr.Field("format", "unknown", apperr.M("格式须为 csv 或 geojson", "format must be csv or geojson"))}.Err()
	}
	ps, err := s.Points.List(r.Context())
	if err != nil {
		return err
	}
	if format == "geojson" {
		w.Header().Set("Content-Type", "application/geo+json")
		w.Header().Set("Content-Disposition", `attachment; filename="points.geojson"`)
		return network.WriteGeoJSON(w, ps)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="points.csv"`)
	return network.WriteCSV(w, ps)
}

func (s *Server) importPoints(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	name, body, err := readImport(w, r, "points")
	if err != nil {
		return err
	}
	res, err := svc.ImportPoints(r.Context(), u, name, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// queryFloat reads an optional number query parameter (0 when absent).
func queryFloat(r *http.Request, name string, lo, hi float64) (float64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= lo && f <= hi) {
		return 0, apperr.Fields{apperr.Field(name, "range", apperr.M(
			fmt.Sprintf("须为%g到%g之间的数", lo, hi), fmt.Sprintf("must be a number from %g to %g", lo, hi)))}.Err()
	}
	return f, nil
}

// coverageQuery reads service, minutes, region, gaps and the travel model
// (detour, speed_urban, speed_rural, speed_mountain) from the query string.
func coverageQuery(r *http.Request) (coverage.Query, error) {
	q := r.URL.Query()
	out := coverage.Query{Service: q.Get("service"), Region: q.Get("region"), Model: coverage.Model{Speeds: map[string]float64{}}}
	var bad apperr.Fields
	collect := func(err error) {
		if err != nil {
			bad = append(bad, apperr.As(err).Fields...)
		}
	}
	if out.Service == "" {
		bad.Add("service", "required", apperr.M("请指定服务，如 medical-insurance", "name a service, e.g. medical-insurance"))
	}
	var err error
	out.Minutes, err = queryFloat(r, "minutes", 1, 240)
	collect(err)
	out.Gaps, err = queryInt(r, "gaps", 50, 0, 20000)
	collect(err)
	out.Model.Detour, err = queryFloat(r, "detour", 1, 5)
	collect(err)
	for _, area := range []string{region.AreaUrban, region.AreaRural, region.AreaMountain} {
		v, err := queryFloat(r, "speed_"+area, 1, 200)
		collect(err)
		if v > 0 {
			out.Model.Speeds[area] = v
		}
	}
	return out, bad.Err()
}

func (s *Server) getCoverage(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	q, err := coverageQuery(r)
	if err != nil {
		return err
	}
	rep, err := svc.Coverage(r.Context(), u, q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) coverageGeoJSON(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	q, err := coverageQuery(r)
	if err != nil {
		return err
	}
	fc, err := svc.GeoJSON(r.Context(), u, q)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/geo+json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(fc)
}

func (s *Server) planCoverage(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	var req coverage.PlanRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	plan, err := svc.Plan(r.Context(), u, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, plan)
	return nil
}

// targetList is the body of the targets routes.
type targetList struct {
	Targets []coverage.Target `json:"targets"`
}

func (s *Server) listTargets(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	ts, err := svc.Targets(r.Context(), u, r.URL.Query().Get("service"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, targetList{Targets: ts})
	return nil
}

func (s *Server) putTargets(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	var req targetList
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ts, err := svc.SetTargets(r.Context(), u, req.Targets)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, targetList{Targets: ts})
	return nil
}

// serviceList is the body of GET /coverage/services.
type serviceList struct {
	Services []coverage.ServiceInfo `json:"services"`
}

// serviceDepartments is the body of PUT /coverage/services/{service}.
type serviceDepartments struct {
	Departments []string `json:"departments"`
}

func (s *Server) listCoverageServices(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	list, err := svc.Services(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceList{Services: list})
	return nil
}

func (s *Server) putCoverageService(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	var req serviceDepartments
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	info, err := svc.SetServiceDepartments(r.Context(), u, r.PathValue("service"), req.Departments)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

func (s *Server) importRoads(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	_, body, err := readImport(w, r, "roads")
	if err != nil {
		return err
	}
	name := r.URL.Query().Get("name")
	res, err := svc.ImportRoads(r.Context(), u, name, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) deleteRoads(w http.ResponseWriter, r *http.Request) error {
	svc := s.Coverage
	u, _ := actor(r)
	if err := svc.DeleteRoads(r.Context(), u, r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
