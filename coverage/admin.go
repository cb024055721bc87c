package coverage

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// Targets returns the stored targets (of one service when service is set).
func (s *Service) Targets(ctx context.Context, caller auth.User, service string) ([]Target, error) {
	if err := mayRead(caller); err != nil {
		return nil, err
	}
	ts, err := ListTargets(ctx, s.db, strings.TrimSpace(service))
	if ts == nil {
		ts = []Target{}
	}
	return ts, err
}

// SetTargets stores targets (inserting or replacing per service and level),
// audited in the same transaction, and returns every stored target.
func (s *Service) SetTargets(ctx context.Context, caller auth.User, targets []Target) ([]Target, error) {
	if err := mayWrite(caller); err != nil {
		return nil, err
	}
	var bad apperr.Fields
	if len(targets) == 0 {
		bad.Add("targets", "required", apperr.M("请至少给出一个目标", "give at least one target"))
	}
	for i := range targets {
		at := fmt.Sprintf("targets[%d]", i)
		t := &targets[i]
		t.Service = strings.TrimSpace(t.Service)
		if sel, err := s.resolve(ctx, t.Service); err != nil {
			bad.Add(at+".service", "unknown", apperr.As(err).Fields[0].Message)
		} else {
			t.Service = sel.Code
		}
		bad = append(bad, t.validate(at)...)
	}
	if len(bad) > 0 {
		return nil, bad.Err()
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := PutTargets(ctx, tx, targets, caller.Username, s.Now()); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now(), caller, "coverage.targets", "coverage-targets", targets)
	})
	if err != nil {
		return nil, err
	}
	return s.Targets(ctx, caller, "")
}

// ImportResult says how much an import stored.
type ImportResult struct {
	Imported int `json:"imported"`
}

// ImportPoints reads points from CSV or GeoJSON and stores them all, or none
// when any line is wrong.
func (s *Service) ImportPoints(ctx context.Context, caller auth.User, name string, data []byte) (ImportResult, error) {
	if err := mayWrite(caller); err != nil {
		return ImportResult{}, err
	}
	points, err := network.ParsePoints(name, data)
	if err != nil {
		return ImportResult{}, err
	}
	n, err := s.Points.Import(ctx, caller, points)
	return ImportResult{Imported: n}, err
}

// ImportLocations reads region coordinates, population and area from CSV
// or GeoJSON and stores them all, audited in the same transaction, or none
// when any line is wrong.
func (s *Service) ImportLocations(ctx context.Context, caller auth.User, name string, data []byte) (ImportResult, error) {
	if err := mayWrite(caller); err != nil {
		return ImportResult{}, err
	}
	locs, err := region.ParseLocations(name, data)
	if err != nil {
		return ImportResult{}, err
	}
	var n int
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if n, err = region.SetLocations(ctx, tx, locs); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now(), caller, "regions.locations", "regions", ImportResult{Imported: n})
	})
	return ImportResult{Imported: n}, err
}

// LoadRegions inserts or updates divisions (a region without coordinates,
// population or area keeps the ones stored), audited in the same
// transaction.
func (s *Service) LoadRegions(ctx context.Context, caller auth.User, regions []region.Region) (ImportResult, error) {
	if err := mayWrite(caller); err != nil {
		return ImportResult{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := region.Upsert(ctx, tx, regions); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now(), caller, "regions.load", "regions", ImportResult{Imported: len(regions)})
	})
	return ImportResult{Imported: len(regions)}, err
}

// ImportRoads stores a road network (GeoJSON lines) under a name, replacing
// one of the same name, audited in the same transaction; coverage then
// follows the roads.
func (s *Service) ImportRoads(ctx context.Context, caller auth.User, name string, data []byte) (ImportResult, error) {
	if err := mayWrite(caller); err != nil {
		return ImportResult{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 64 {
		return ImportResult{}, apperr.Fields{apperr.Field("name", "required", apperr.M("请给路网起一个名字（不超过64字符）",
			"name the road network (at most 64 characters)"))}.Err()
	}
	lines, err := ParseRoads(name, data)
	if err != nil {
		return ImportResult{}, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO road_networks (name, geojson, segments, imported_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET geojson = excluded.geojson, segments = excluded.segments, imported_at = excluded.imported_at`,
			name, string(data), len(lines), store.FormatTime(s.Now()))
		if err != nil {
			return apperr.Wrap(err, "coverage: store roads")
		}
		return auth.Record(ctx, tx, s.Now(), caller, "coverage.roads", "roads:"+name, ImportResult{Imported: len(lines)})
	})
	return ImportResult{Imported: len(lines)}, err
}

// DeleteRoads removes a stored road network, audited in the same transaction.
func (s *Service) DeleteRoads(ctx context.Context, caller auth.User, name string) error {
	if err := mayWrite(caller); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM road_networks WHERE name = ?`, name)
		if err != nil {
			return apperr.Wrap(err, "coverage: delete roads")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NotFoundf("roads_not_found", apperr.M("没有这个名字的路网", "no road network has this name"))
		}
		return auth.Record(ctx, tx, s.Now(), caller, "coverage.roads.delete", "roads:"+name, nil)
	})
}

// roadGraph returns the graph of every stored road network, nil when there
// is none; it is rebuilt only when the stored networks change.
func (s *Service) roadGraph(ctx context.Context, m Model) (*RoadGraph, error) {
	var n, segments int
	var last string
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(segments), 0), `+store.StampOrEmpty(s.db.Dialect(), "MAX(imported_at)")+` FROM road_networks`).
		Scan(&n, &segments, &last)
	if err != nil {
		return nil, apperr.Wrap(err, "coverage: read roads")
	}
	if n == 0 {
		return nil, nil
	}
	key := fmt.Sprintf("%d/%d/%s/%g", n, segments, last, m.RoadSpeed)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.roads.key == key {
		return s.roads.graph, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name, geojson FROM road_networks ORDER BY name`)
	if err != nil {
		return nil, apperr.Wrap(err, "coverage: read roads")
	}
	defer rows.Close()
	var lines []RoadLine
	for rows.Next() {
		var name, body string
		if err := rows.Scan(&name, &body); err != nil {
			return nil, apperr.Wrap(err, "coverage: read roads")
		}
		ls, err := ParseRoads(name, []byte(body))
		if err != nil {
			return nil, apperr.Wrap(err, "coverage: stored roads "+name)
		}
		lines = append(lines, ls...)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "coverage: read roads")
	}
	s.roads = roadCache{key: key, graph: NewRoadGraph(lines, m.RoadSpeed)}
	return s.roads.graph, nil
}

// ServiceInfo describes a service: its departments, how many items a point
// of each level may handle for it, and how many points offer it.
type ServiceInfo struct {
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	NameEN      string       `json:"name_en"`
	Departments []string     `json:"departments"`
	Items       []LevelItems `json:"items"`
	Points      int          `json:"points"`
}

// LevelItems counts items by level: Handled may be handled at the level;
// Lowest have it as their lowest level (乡镇可办 for 5, 村可办 for 6).
type LevelItems struct {
	Level   int `json:"level"`
	Handled int `json:"handled"`
	Lowest  int `json:"lowest"`
}

// Services lists the services with their departments and item counts.
func (s *Service) Services(ctx context.Context) ([]ServiceInfo, error) {
	depts, err := s.Points.ServiceDepartments(ctx)
	if err != nil {
		return nil, err
	}
	points, err := s.Points.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []ServiceInfo
	for _, code := range slices.Sorted(maps.Keys(network.ServiceNames)) {
		info, err := s.serviceInfo(ctx, code, depts[code], points)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

func (s *Service) serviceInfo(ctx context.Context, code string, depts []string, points []network.Point) (ServiceInfo, error) {
	names := network.ServiceNames[code]
	info := ServiceInfo{Code: code, Name: names[0], NameEN: names[1], Departments: depts, Items: []LevelItems{}}
	if info.Departments == nil {
		info.Departments = []string{}
	}
	for i := range points {
		if points[i].Offers(code) {
			info.Points++
		}
	}
	items, err := s.serviceItems(ctx, depts, 0)
	if err != nil {
		return ServiceInfo{}, err
	}
	for _, l := range []int{catalog.LevelCounty, catalog.LevelTownship, catalog.LevelVillage} {
		li := LevelItems{Level: l}
		for _, it := range items {
			if it.HandledAt(l) {
				li.Handled++
				if slices.Max(it.Levels) == l {
					li.Lowest++
				}
			}
		}
		info.Items = append(info.Items, li)
	}
	return info, nil
}

// serviceItems returns the published items of the departments that a point
// of level may handle (any level when 0).
func (s *Service) serviceItems(ctx context.Context, depts []string, level int) ([]catalog.Item, error) {
	var out []catalog.Item
	if s.Catalog == nil {
		return out, nil
	}
	for _, d := range depts {
		for offset := 0; ; offset += catalog.MaxLimit {
			page, total, err := s.Catalog.Search(ctx, catalog.Filter{Department: d, Level: level, Limit: catalog.MaxLimit, Offset: offset})
			if err != nil {
				return nil, err
			}
			out = append(out, page...)
			if offset+len(page) >= total || len(page) == 0 {
				break
			}
		}
	}
	return out, nil
}

// SetServiceDepartments names the departments whose items make up a
// service, audited in the same transaction.
func (s *Service) SetServiceDepartments(ctx context.Context, caller auth.User, service string, departments []string) (ServiceInfo, error) {
	if err := mayWrite(caller); err != nil {
		return ServiceInfo{}, err
	}
	var bad apperr.Fields
	for i, d := range departments {
		if s.Catalog == nil {
			break
		}
		if _, err := s.Catalog.Department(ctx, d); err != nil {
			if apperr.CodeOf(err) != apperr.NotFound {
				return ServiceInfo{}, err
			}
			bad.Add(fmt.Sprintf("departments[%d]", i), "unknown", apperr.M("部门不存在", "no such department"))
		}
	}
	if len(bad) > 0 {
		return ServiceInfo{}, bad.Err()
	}
	if err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := network.SetServiceDepartments(ctx, tx, service, departments); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now(), caller, "coverage.service", "service:"+service, map[string][]string{"departments": departments})
	}); err != nil {
		return ServiceInfo{}, err
	}
	depts, err := s.Points.ServiceDepartments(ctx)
	if err != nil {
		return ServiceInfo{}, err
	}
	points, err := s.Points.List(ctx)
	if err != nil {
		return ServiceInfo{}, err
	}
	return s.serviceInfo(ctx, service, depts[service], points)
}

// ItemRef names an item.
type ItemRef struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// ServiceItems are the items a point may handle for one of its services.
type ServiceItems struct {
	Service string `json:"service"`
	Name    string `json:"name"`
	Count   int    `json:"count"`
	// Items lists them, except for government services (every item of the
	// point's level: see the catalogue with ?level=).
	Items []ItemRef `json:"items,omitempty"`
}

// PointDetail is a point with the items it may handle.
type PointDetail struct {
	network.Point
	Items []ServiceItems `json:"items"`
}

// Point returns a point with the items it may handle per service: those of
// the service's departments that the point's level allows.
func (s *Service) Point(ctx context.Context, code string) (PointDetail, error) {
	p, err := s.Points.Get(ctx, nil, code)
	if err != nil {
		return PointDetail{}, err
	}
	depts, err := s.Points.ServiceDepartments(ctx)
	if err != nil {
		return PointDetail{}, err
	}
	out := PointDetail{Point: p, Items: []ServiceItems{}}
	for _, sv := range p.Services {
		names := network.ServiceNames[sv]
		si := ServiceItems{Service: sv, Name: names[0]}
		if sv == network.ServiceGovernment {
			if s.Catalog != nil {
				_, total, err := s.Catalog.Search(ctx, catalog.Filter{Level: p.Level, Limit: 1})
				if err != nil {
					return PointDetail{}, err
				}
				si.Count = total
			}
		} else {
			items, err := s.serviceItems(ctx, depts[sv], p.Level)
			if err != nil {
				return PointDetail{}, err
			}
			for _, it := range items {
				si.Items = append(si.Items, ItemRef{Code: it.Code, Name: it.Name, NameEN: it.NameEN})
			}
			si.Count = len(si.Items)
		}
		out.Items = append(out.Items, si)
	}
	return out, nil
}

// RegionDetail is a region with the regions above it and how many lie directly below.
type RegionDetail struct {
	region.Region
	Ancestors []RegionRef `json:"ancestors"`
	Children  int         `json:"children"`
}

// Region returns one region with its ancestors and number of children.
func (s *Service) Region(ctx context.Context, code string) (RegionDetail, error) {
	r, err := s.Regions.Get(ctx, code)
	if err != nil {
		return RegionDetail{}, err
	}
	anc, err := s.Regions.Ancestors(ctx, r)
	if err != nil {
		return RegionDetail{}, err
	}
	out := RegionDetail{Region: r, Ancestors: []RegionRef{}}
	for _, a := range anc {
		out.Ancestors = append(out.Ancestors, ref(a))
	}
	_, out.Children, err = s.Regions.List(ctx, region.Filter{Parent: r.Code, Limit: 1})
	return out, err
}
