package coverage

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// Service loads regions, points, roads and targets from the database and
// answers coverage questions. Administrators change the network and the
// targets; administrators and hall managers read coverage; regions and
// points are public.
type Service struct {
	db      *store.DB
	Regions *region.Store
	Points  *network.Store
	Catalog *catalog.Store
	Now     clock.Clock // the server's clock: targets are stamped with it

	mu    sync.Mutex
	roads roadCache
}

type roadCache struct {
	key   string
	graph *RoadGraph
}

// NewService returns a Service on db.
func NewService(db *store.DB, points *network.Store, cat *catalog.Store, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, Regions: region.NewStore(db), Points: points, Catalog: cat, Now: clk}
}

func denied() error {
	return apperr.RoleNotAllowed(apperr.M("您的角色无权执行此操作", "your role may not do this"))
}

// mayRead: coverage figures are for administrators and hall managers.
func mayRead(u auth.User) error {
	if u.Role == auth.RoleAdmin || u.Role == auth.RoleHallManager {
		return nil
	}
	return denied()
}

// mayWrite: only administrators change the network and the targets.
func mayWrite(u auth.User) error { return auth.RequireAdmin(u) }

// selector says which points offer what is measured.
type selector struct {
	Code, Name, NameEN string
	match              func(p *network.Point) bool
}

// resolve reads the service parameter: a service (medical-insurance), a
// kind of point (township_centre) or the code of an item (the points that
// may handle it: of a level the item allows, offering government services or
// a service whose departments include the item's).
func (s *Service) resolve(ctx context.Context, service string) (selector, error) {
	service = strings.TrimSpace(service)
	if names, ok := network.ServiceNames[service]; ok {
		return selector{Code: service, Name: names[0], NameEN: names[1], match: func(p *network.Point) bool { return p.Offers(service) }}, nil
	}
	if names, ok := network.KindNames[service]; ok {
		return selector{Code: service, Name: names[0], NameEN: names[1], match: func(p *network.Point) bool { return p.Kind == service }}, nil
	}
	bad := apperr.Fields{apperr.Field("service", "unknown", apperr.M(
		"须为服务类别（medical-insurance、legal-aid、government）、网点类型或事项编码",
		"service must be a service (medical-insurance, legal-aid, government), a kind of point or an item code"))}.Err()
	if service == "" || s.Catalog == nil {
		return selector{}, bad
	}
	it, err := s.Catalog.Published(ctx, service)
	if apperr.CodeOf(err) == apperr.NotFound {
		return selector{}, bad
	}
	if err != nil {
		return selector{}, err
	}
	depts, err := s.Points.ServiceDepartments(ctx)
	if err != nil {
		return selector{}, err
	}
	via := []string{network.ServiceGovernment}
	for sv, ds := range depts {
		if slices.Contains(ds, it.DepartmentCode) {
			via = append(via, sv)
		}
	}
	return selector{Code: it.Code, Name: it.Name, NameEN: it.NameEN, match: func(p *network.Point) bool {
		return it.HandledAt(p.Level) && slices.ContainsFunc(via, p.Offers)
	}}, nil
}

// Query asks for the coverage of one service.
type Query struct {
	Service string
	Minutes float64 // 0: the service's target threshold, or 15
	Region  string  // "": the top region loaded
	Model   Model   // zero fields take the defaults
	Gaps    int     // how many gaps to list (0: 50)
}

// dataset is everything one coverage question needs, loaded once.
type dataset struct {
	sel       selector
	minutes   float64
	model     Model
	top       region.Region
	ancestors []region.Region
	names     map[string]string
	children  []region.Region
	places    []Place
	sites     []Site
	points    []network.Point // the located points behind sites
	unlocated int
	hosts     map[string]bool // region codes where a matching point stands
	roads     *RoadGraph
	targets   []Target
}

func (s *Service) load(ctx context.Context, service string, minutes float64, regionCode string, model Model) (*dataset, error) {
	sel, err := s.resolve(ctx, service)
	if err != nil {
		return nil, err
	}
	model = model.withDefaults()
	if err := model.Validate(); err != nil {
		return nil, err
	}
	targets, err := ListTargets(ctx, s.db, sel.Code)
	if err != nil {
		return nil, err
	}
	if minutes == 0 {
		minutes = 15
		if len(targets) > 0 {
			minutes = float64(targets[0].Minutes)
		}
	}
	if !(minutes > 0 && minutes <= 240) {
		return nil, apperr.Fields{apperr.Field("minutes", "range", apperr.M("分钟数须在1到240之间", "minutes must be from 1 to 240"))}.Err()
	}
	top, err := s.topRegion(ctx, regionCode)
	if err != nil {
		return nil, err
	}
	d := &dataset{sel: sel, minutes: minutes, model: model, top: top, names: map[string]string{}, hosts: map[string]bool{}, targets: targets}
	if d.ancestors, err = s.Regions.Ancestors(ctx, top); err != nil {
		return nil, err
	}
	for _, a := range d.ancestors {
		d.names[a.Code] = a.Name
	}
	rows, err := s.Regions.Within(ctx, top)
	if err != nil {
		return nil, err
	}
	areaOf := map[string]string{}
	for _, r := range rows {
		d.names[r.Code] = r.Name
		if r.ParentCode == top.Code {
			d.children = append(d.children, r)
		}
	}
	for _, r := range rows {
		if r.Level != region.LevelTownship && r.Level != region.LevelVillage {
			continue
		}
		p := Place{Code: r.Code, Name: r.Name, Level: r.Level, Parent: r.ParentCode, Located: r.Located(), Area: r.Area}
		if p.Area == "" {
			p.Area = region.GuessArea(r.Code, r.Name)
		}
		if p.Located {
			p.Lat, p.Lon = *r.Lat, *r.Lon
		}
		if r.Population != nil {
			p.Population, p.HasPopulation = *r.Population, true
		}
		areaOf[r.Code] = p.Area
		d.places = append(d.places, p)
	}
	points, err := s.Points.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range points {
		p := &points[i]
		if !sel.match(p) {
			continue
		}
		if !p.Located() {
			d.unlocated++
			continue
		}
		area := areaOf[p.RegionCode]
		if area == "" {
			area = region.AreaRural
		}
		d.sites = append(d.sites, Site{Code: p.Code, Name: p.Name, Lat: *p.Lat, Lon: *p.Lon, Area: area})
		d.points = append(d.points, *p)
		d.hosts[p.RegionCode] = true
	}
	if d.roads, err = s.roadGraph(ctx, model); err != nil {
		return nil, err
	}
	return d, nil
}

// topRegion returns the region asked for, or the top one loaded.
func (s *Service) topRegion(ctx context.Context, code string) (region.Region, error) {
	if strings.TrimSpace(code) != "" {
		return s.Regions.Get(ctx, code)
	}
	tops, _, err := s.Regions.List(ctx, region.Filter{Limit: 1})
	if err != nil {
		return region.Region{}, err
	}
	if len(tops) == 0 {
		return region.Region{}, apperr.NotFoundf("regions_not_loaded", apperr.M(
			"尚未导入行政区划（onewindow regions load）", "no divisions are loaded (onewindow regions load)"))
	}
	return tops[0], nil
}

// RegionRef names a region in answers.
type RegionRef struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

func ref(r region.Region) RegionRef { return RegionRef{Code: r.Code, Name: r.Name, Level: r.Level} }

// ChildStats is the coverage inside one region directly below the one asked for.
type ChildStats struct {
	RegionRef
	Levels []LevelStats `json:"levels"`
}

// Gap is a township or village beyond the threshold.
type Gap struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Level        int      `json:"level"`
	Where        string   `json:"where"` // the regions between the one asked for and the place
	Minutes      *float64 `json:"minutes"`
	DistanceKm   *float64 `json:"distance_km,omitempty"`
	NearestPoint string   `json:"nearest_point,omitempty"`
	NearestName  string   `json:"nearest_point_name,omitempty"`
	Population   *int64   `json:"population,omitempty"`
	Located      bool     `json:"located"`
}

// Report is the answer to a coverage question.
type Report struct {
	Service         string       `json:"service"`
	ServiceName     string       `json:"service_name"`
	ServiceNameEN   string       `json:"service_name_en"`
	Minutes         float64      `json:"minutes"`
	Region          RegionRef    `json:"region"`
	Model           Model        `json:"model"`
	Roads           bool         `json:"roads"`  // travel times follow imported roads
	Points          int          `json:"points"` // located points in the region offering the service (the nearest may be outside)
	PointsUnlocated int          `json:"points_unlocated"`
	Levels          []LevelStats `json:"levels"`
	Children        []ChildStats `json:"children"`
	GapsTotal       int          `json:"gaps_total"`
	Gaps            []Gap        `json:"gaps"`
	ElapsedMS       float64      `json:"elapsed_ms"`
}

// Coverage measures how many townships and villages under the region are
// within the threshold of a point offering the service, per level and per
// region below, against the stored targets, and lists the gaps farthest first.
func (s *Service) Coverage(ctx context.Context, caller auth.User, q Query) (*Report, error) {
	if err := mayRead(caller); err != nil {
		return nil, err
	}
	start := time.Now() // wall clock: measures how long the report took
	d, err := s.load(ctx, q.Service, q.Minutes, q.Region, q.Model)
	if err != nil {
		return nil, err
	}
	trips := Travel(d.places, d.sites, d.model, d.roads)
	inside := 0
	for i := range d.points {
		if d.top.Contains(d.points[i].RegionCode) {
			inside++
		}
	}
	rep := &Report{Service: d.sel.Code, ServiceName: d.sel.Name, ServiceNameEN: d.sel.NameEN, Minutes: d.minutes,
		Region: ref(d.top), Model: d.model, Roads: d.roads != nil, Points: inside, PointsUnlocated: d.unlocated,
		Levels: Tally(d.places, trips, d.minutes, nil), Children: []ChildStats{}, Gaps: []Gap{}}
	d.applyTargets(rep.Levels)
	childOf := make([]string, len(d.places))
	for i, p := range d.places {
		childOf[i] = region.AncestorCode(p.Code, d.top.Level+1)
	}
	for _, c := range d.children {
		if c.Level >= region.LevelVillage {
			break
		}
		levels := Tally(d.places, trips, d.minutes, func(i int) bool { return childOf[i] == c.Code })
		d.applyTargets(levels)
		rep.Children = append(rep.Children, ChildStats{RegionRef: ref(c), Levels: levels})
	}
	gaps := GapOrder(d.places, trips, d.minutes, nil)
	rep.GapsTotal = len(gaps)
	limit := q.Gaps
	if limit == 0 {
		limit = 50
	}
	for _, i := range gaps[:min(len(gaps), max(limit, 0))] {
		rep.Gaps = append(rep.Gaps, d.gap(i, trips[i]))
	}
	rep.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	return rep, nil
}

func (d *dataset) applyTargets(levels []LevelStats) {
	for _, t := range d.targets {
		if float64(t.Minutes) != d.minutes {
			continue
		}
		for i := range levels {
			if levels[i].Level == t.Level {
				levels[i].applyTarget(t.Rate)
			}
		}
	}
}

// where names the regions between the top region and a place.
func (d *dataset) where(code string, level int) string {
	var parts []string
	for l := d.top.Level + 1; l < level; l++ {
		if n := d.names[region.AncestorCode(code, l)]; n != "" {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " ")
}

func (d *dataset) gap(i int, t Trip) Gap {
	p := d.places[i]
	g := Gap{Code: p.Code, Name: p.Name, Level: p.Level, Where: d.where(p.Code, p.Level), Located: p.Located}
	if p.HasPopulation {
		pop := p.Population
		g.Population = &pop
	}
	if p.Located && t.Site >= 0 {
		m, km := round1(t.Minutes), round1(t.DistanceKm)
		g.Minutes, g.DistanceKm = &m, &km
		g.NearestPoint, g.NearestName = d.sites[t.Site].Code, d.sites[t.Site].Name
	}
	return g
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// Coverage colours of the GeoJSON export (simplestyle "marker-color").
const (
	colourWithin = "#2e7d32" // within the threshold
	colourNear   = "#f9a825" // within twice the threshold
	colourFar    = "#c62828" // farther, or nothing reachable
	colourPoint  = "#1565c0" // a service point
)

// GeoJSON returns the points offering the service and the located townships
// and villages under the region, each place coloured by its travel time.
func (s *Service) GeoJSON(ctx context.Context, caller auth.User, q Query) (*region.FeatureCollection, error) {
	if err := mayRead(caller); err != nil {
		return nil, err
	}
	d, err := s.load(ctx, q.Service, q.Minutes, q.Region, q.Model)
	if err != nil {
		return nil, err
	}
	trips := Travel(d.places, d.sites, d.model, d.roads)
	fc := &region.FeatureCollection{Type: "FeatureCollection", Features: make([]region.Feature, 0, len(d.sites)+len(d.places))}
	// The points in the region, and those outside it that are some place's nearest.
	show := make([]bool, len(d.points))
	for i := range d.points {
		show[i] = d.top.Contains(d.points[i].RegionCode)
	}
	for _, t := range trips {
		if t.Site >= 0 {
			show[t.Site] = true
		}
	}
	for i := range d.points {
		if !show[i] {
			continue
		}
		f := d.points[i].Feature()
		f.Properties["feature"] = "point"
		f.Properties["marker-color"] = colourPoint
		fc.Features = append(fc.Features, f)
	}
	for i, p := range d.places {
		if !p.Located {
			continue
		}
		t := trips[i]
		colour := colourFar
		switch {
		case covered(t, d.minutes):
			colour = colourWithin
		case t.Minutes <= 2*d.minutes:
			colour = colourNear
		}
		props := map[string]any{"feature": "place", "code": p.Code, "name": p.Name, "level": p.Level, "area": p.Area,
			"covered": covered(t, d.minutes), "marker-color": colour, "marker-size": "small"}
		if t.Site >= 0 {
			props["minutes"] = round1(t.Minutes)
			props["nearest_point"] = d.sites[t.Site].Code
		}
		if p.HasPopulation {
			props["population"] = p.Population
		}
		fc.Features = append(fc.Features, region.PointFeature(p.Lat, p.Lon, props))
	}
	return fc, nil
}

// LevelTarget is a target rate for one level, as a plan request gives it.
type LevelTarget struct {
	Level int     `json:"level"`
	Rate  float64 `json:"rate"`
}

// PlanRequest asks for new points that reach targets.
type PlanRequest struct {
	Service string  `json:"service"`
	Minutes float64 `json:"minutes,omitempty"`
	Region  string  `json:"region,omitempty"`
	// Targets per level; none: the stored targets of the service.
	Targets   []LevelTarget `json:"targets,omitempty"`
	MaxPoints int           `json:"max_points,omitempty"` // 0: 2000
	Model     *Model        `json:"model,omitempty"`
}

// LevelRate is a level's coverage at one step of a plan.
type LevelRate struct {
	Level   int      `json:"level"`
	Total   int      `json:"total"`
	Covered int      `json:"covered"`
	Rate    float64  `json:"rate"`
	Target  *float64 `json:"target,omitempty"`
}

// PlannedPoint is one proposed new point and the coverage after it.
type PlannedPoint struct {
	N            int         `json:"n"`
	Code         string      `json:"code"` // the township or village where it would stand
	Name         string      `json:"name"`
	Level        int         `json:"level"`
	Where        string      `json:"where"`
	Lat          float64     `json:"lat"`
	Lon          float64     `json:"lon"`
	NewlyCovered []LevelRate `json:"newly_covered"`
	After        []LevelRate `json:"after"`
}

// Plan is the planner's answer.
type Plan struct {
	Service     string         `json:"service"`
	ServiceName string         `json:"service_name"`
	Minutes     float64        `json:"minutes"`
	Region      RegionRef      `json:"region"`
	Targets     []LevelTarget  `json:"targets"`
	Before      []LevelRate    `json:"before"`
	Points      []PlannedPoint `json:"points"`
	Reached     bool           `json:"reached"`
	ElapsedMS   float64        `json:"elapsed_ms"`
}

// Plan proposes the fewest new points it can find, among the region's
// townships and villages that have no such point yet, to reach the targets.
// Current coverage follows the roads when they are imported; the new points'
// reach is the straight-line estimate.
func (s *Service) Plan(ctx context.Context, caller auth.User, req PlanRequest) (*Plan, error) {
	if err := mayRead(caller); err != nil {
		return nil, err
	}
	start := time.Now() // wall clock: measures how long the report took
	var model Model
	if req.Model != nil {
		model = *req.Model
	}
	d, err := s.load(ctx, req.Service, req.Minutes, req.Region, model)
	if err != nil {
		return nil, err
	}
	targets := map[int]float64{}
	var bad apperr.Fields
	for i, t := range req.Targets {
		tt := Target{Level: t.Level, Rate: t.Rate, Minutes: 1}
		bad = append(bad, tt.validate("targets["+strconv.Itoa(i)+"]")...)
		targets[t.Level] = t.Rate
	}
	if len(bad) > 0 {
		return nil, bad.Err()
	}
	if len(req.Targets) == 0 {
		for _, t := range d.targets {
			if float64(t.Minutes) == d.minutes {
				targets[t.Level] = t.Rate
			}
		}
	}
	if len(targets) == 0 {
		return nil, apperr.Fields{apperr.Field("targets", "required", apperr.M(
			"请给出目标，或先为该服务设定覆盖目标", "give targets, or store targets for this service first"))}.Err()
	}
	maxPoints := req.MaxPoints
	if maxPoints <= 0 {
		maxPoints = 2000
	}
	trips := Travel(d.places, d.sites, d.model, d.roads)
	var candidates []int
	for i, p := range d.places {
		if p.Located && !d.hosts[p.Code] {
			candidates = append(candidates, i)
		}
	}
	res := Greedy(PlanInput{Places: d.places, Trips: trips, Minutes: d.minutes, Model: d.model, Targets: targets,
		Candidates: candidates, MaxPoints: maxPoints})
	plan := &Plan{Service: d.sel.Code, ServiceName: d.sel.Name, Minutes: d.minutes, Region: ref(d.top), Reached: res.Reached,
		Points: []PlannedPoint{}}
	for _, l := range sortedLevels(targets) {
		plan.Targets = append(plan.Targets, LevelTarget{Level: l, Rate: targets[l]})
	}
	rates := func(counts map[int]int) []LevelRate {
		var out []LevelRate
		for _, l := range MeasuredLevels {
			lr := LevelRate{Level: l, Total: res.Totals[l], Covered: counts[l]}
			if lr.Total > 0 {
				lr.Rate = float64(lr.Covered) / float64(lr.Total)
			}
			if t, ok := targets[l]; ok {
				lr.Target = &t
			}
			out = append(out, lr)
		}
		return out
	}
	plan.Before = rates(res.Before)
	for n, st := range res.Steps {
		p := d.places[st.Place]
		var newly []LevelRate
		for _, l := range MeasuredLevels {
			if c := st.NewlyCovered[l]; c > 0 {
				newly = append(newly, LevelRate{Level: l, Total: res.Totals[l], Covered: c, Rate: float64(c) / float64(res.Totals[l])})
			}
		}
		plan.Points = append(plan.Points, PlannedPoint{N: n + 1, Code: p.Code, Name: p.Name, Level: p.Level,
			Where: d.where(p.Code, p.Level), Lat: p.Lat, Lon: p.Lon, NewlyCovered: newly, After: rates(st.Covered)})
	}
	plan.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	return plan, nil
}
