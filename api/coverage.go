package api

import (
	"bytes"
	"context"
	"fmt"
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
	s.handle("GET", "/api/v1/regions", false, serve(http.StatusOK, nil, s.listRegions))
	s.handle("GET", "/api/v1/regions/{code}", false, serve(http.StatusOK, nil, s.getRegion))
	s.handle("POST", "/api/v1/regions/locations", true, serve(http.StatusOK, nil, s.importLocations))
	s.handle("GET", "/api/v1/points/{code}", false, serve(http.StatusOK, nil, s.getPoint))
	s.handle("GET", "/api/v1/points/export", false, serve(http.StatusOK, nil, s.exportPoints))
	s.handle("POST", "/api/v1/points/import", true, serve(http.StatusOK, nil, s.importPoints))
	s.handle("GET", "/api/v1/coverage", true, serve(http.StatusOK, nil, s.getCoverage))
	s.handle("GET", "/api/v1/coverage/geojson", true, serve(http.StatusOK, nil, s.coverageGeoJSON))
	s.handle("POST", "/api/v1/coverage/plan", true, serve(http.StatusOK, nil, s.planCoverage))
	s.handle("GET", "/api/v1/coverage/targets", true, serve(http.StatusOK, nil, s.listTargets))
	s.handle("PUT", "/api/v1/coverage/targets", true, serve(http.StatusOK, nil, s.putTargets))
	s.handle("GET", "/api/v1/coverage/services", false, serve(http.StatusOK, nil, s.listCoverageServices))
	s.handle("PUT", "/api/v1/coverage/services/{service}", true, serve(http.StatusOK, nil, s.putCoverageService))
	s.handle("POST", "/api/v1/coverage/roads", true, serve(http.StatusOK, nil, s.importRoads))
	s.handle("DELETE", "/api/v1/coverage/roads/{name}", true, serve(http.StatusNoContent, nil, s.deleteRoads))
}

// MaxImportBody is the largest CSV or GeoJSON import accepted.
const MaxImportBody = 64 << 20

// importFile is the body of a CSV or GeoJSON import.
type importFile struct {
	Data []byte
	JSON bool // GeoJSON rather than CSV
}

func (f *importFile) read(w http.ResponseWriter, r *http.Request) error {
	switch mediaType(r) {
	case "text/csv", "application/geo+json", "application/json", "":
	default:
		return apperr.New(apperr.Unsupported, "unsupported_media_type", apperr.M(
			"请求体须为 text/csv 或 application/geo+json", "the body must be text/csv or application/geo+json"))
	}
	body, err := readImportBody(w, r)
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return badRequest("请求体为空", "the request body is empty")
	}
	*f = importFile{Data: body, JSON: region.LooksLikeJSON(body)}
	return nil
}

// name names the file for error messages: base.csv or base.geojson.
func (f *importFile) name(base string) string {
	if f.JSON {
		return base + ".geojson"
	}
	return base + ".csv"
}

func (s *Server) listRegions(ctx context.Context, c call[noBody]) (page[region.Region], error) {
	limit, offset, err := paging(c.R, 100, 2000)
	if err != nil {
		return page[region.Region]{}, err
	}
	level, err := queryInt(c.R, "level", 0, region.LevelProvince, region.LevelVillage)
	if err != nil {
		return page[region.Region]{}, err
	}
	rs, total, err := s.Coverage.Regions.List(ctx, region.Filter{Parent: c.Query("parent"), Within: c.Query("within"), Level: level,
		Query: c.Query("q"), Limit: limit, Offset: offset})
	if rs == nil {
		rs = []region.Region{}
	}
	return page[region.Region]{Items: rs, Total: total, Limit: limit, Offset: offset}, err
}

func (s *Server) getRegion(ctx context.Context, c call[noBody]) (coverage.RegionDetail, error) {
	return s.Coverage.Region(ctx, c.Path("code"))
}

func (s *Server) importLocations(ctx context.Context, c call[importFile]) (coverage.ImportResult, error) {
	return s.Coverage.ImportLocations(ctx, c.Actor, c.In.name("locations"), c.In.Data)
}

func (s *Server) getPoint(ctx context.Context, c call[noBody]) (coverage.PointDetail, error) {
	return s.Coverage.Point(ctx, c.Path("code"))
}

func (s *Server) exportPoints(ctx context.Context, c call[noBody]) (attachment, error) {
	format := c.Query("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "geojson" {
		return attachment{}, apperr.Fields{apperr.Field("format", "unknown", apperr.M("格式须为 csv 或 geojson", "format must be csv or geojson"))}.Err()
	}
	ps, err := s.Points.List(ctx)
	if err != nil {
		return attachment{}, err
	}
	if format == "geojson" {
		a := attachment{ContentType: "application/geo+json", Name: "points.geojson"}
		a.Body, err = buffered(func(b *bytes.Buffer) error { return network.WriteGeoJSON(b, ps) })
		return a, err
	}
	a := attachment{ContentType: "text/csv; charset=utf-8", Name: "points.csv"}
	a.Body, err = buffered(func(b *bytes.Buffer) error { return network.WriteCSV(b, ps) })
	return a, err
}

func (s *Server) importPoints(ctx context.Context, c call[importFile]) (coverage.ImportResult, error) {
	return s.Coverage.ImportPoints(ctx, c.Actor, c.In.name("points"), c.In.Data)
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

func (s *Server) getCoverage(ctx context.Context, c call[noBody]) (*coverage.Report, error) {
	q, err := coverageQuery(c.R)
	if err != nil {
		return nil, err
	}
	return s.Coverage.Coverage(ctx, c.Actor, q)
}

func (s *Server) coverageGeoJSON(ctx context.Context, c call[noBody]) (typedJSON, error) {
	q, err := coverageQuery(c.R)
	if err != nil {
		return typedJSON{}, err
	}
	fc, err := s.Coverage.GeoJSON(ctx, c.Actor, q)
	return typedJSON{ContentType: "application/geo+json", V: fc}, err
}

func (s *Server) planCoverage(ctx context.Context, c call[coverage.PlanRequest]) (*coverage.Plan, error) {
	return s.Coverage.Plan(ctx, c.Actor, c.In)
}

// targetList is the body of the targets routes.
type targetList struct {
	Targets []coverage.Target `json:"targets"`
}

func (s *Server) listTargets(ctx context.Context, c call[noBody]) (targetList, error) {
	ts, err := s.Coverage.Targets(ctx, c.Actor, c.Query("service"))
	return targetList{Targets: ts}, err
}

func (s *Server) putTargets(ctx context.Context, c call[targetList]) (targetList, error) {
	ts, err := s.Coverage.SetTargets(ctx, c.Actor, c.In.Targets)
	return targetList{Targets: ts}, err
}

// serviceList is the body of GET /coverage/services.
type serviceList struct {
	Services []coverage.ServiceInfo `json:"services"`
}

// serviceDepartments is the body of PUT /coverage/services/{service}.
type serviceDepartments struct {
	Departments []string `json:"departments"`
}

func (s *Server) listCoverageServices(ctx context.Context, _ call[noBody]) (serviceList, error) {
	list, err := s.Coverage.Services(ctx)
	return serviceList{Services: list}, err
}

func (s *Server) putCoverageService(ctx context.Context, c call[serviceDepartments]) (coverage.ServiceInfo, error) {
	return s.Coverage.SetServiceDepartments(ctx, c.Actor, c.Path("service"), c.In.Departments)
}

func (s *Server) importRoads(ctx context.Context, c call[importFile]) (coverage.ImportResult, error) {
	return s.Coverage.ImportRoads(ctx, c.Actor, c.Query("name"), c.In.Data)
}

func (s *Server) deleteRoads(ctx context.Context, c call[noBody]) (noBody, error) {
	return noBody{}, s.Coverage.DeleteRoads(ctx, c.Actor, c.Path("name"))
}
