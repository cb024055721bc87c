package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// The service network of the demo: the real divisions of Jilin (2023
// statistical codes), with coordinates and population generated around each
// county seat (every generated row is marked so), a government service centre
// per county, a centre offering the 14 乡镇可办 medical-insurance items in
// every township, village stations offering the 8 村可办 ones in part of the
// villages, and legal-aid liaison points; coverage comes out near the
// reported figures (townships 100%, villages a little over 80%) with gaps in
// the mountains of the east.

// seat is a county seat: its approximate position (rounded to 0.01°; a
// demonstration value, not a survey), the half-width in km of the box its
// places are spread over, and whether the county is mountainous.
type seat struct {
	lat, lon float64
	halfKm   float64
	mountain bool
}

var countySeats = map[string]seat{
	// 长春市
	"220102": {43.86, 125.35, 6, false}, "220103": {43.92, 125.33, 9, false}, "220104": {43.83, 125.29, 6, false},
	"220105": {43.87, 125.39, 7, false}, "220106": {43.88, 125.25, 7, false}, "220112": {43.52, 125.66, 22, false},
	"220113": {44.15, 125.84, 30, false}, "220122": {44.43, 125.18, 35, false}, "220171": {43.86, 125.45, 5, false},
	"220172": {43.78, 125.45, 8, false}, "220173": {43.83, 125.22, 5, false}, "220174": {43.86, 125.17, 6, false},
	"220182": {44.83, 126.53, 35, false}, "220183": {44.53, 125.70, 30, false}, "220184": {43.50, 124.82, 35, false},
	// 吉林市
	"220202": {43.88, 126.57, 12, false}, "220203": {43.92, 126.58, 15, false}, "220204": {43.83, 126.53, 12, false},
	"220211": {43.78, 126.62, 15, true}, "220221": {43.67, 126.50, 28, true}, "220271": {43.95, 126.48, 5, false},
	"220272": {43.83, 126.49, 5, false}, "220273": {43.70, 126.36, 5, false}, "220281": {43.72, 127.34, 40, true},
	"220282": {42.97, 126.75, 40, true}, "220283": {44.41, 126.96, 35, true}, "220284": {42.95, 126.06, 30, true},
	// 四平市
	"220302": {43.15, 124.35, 6, false}, "220303": {43.17, 124.40, 15, false}, "220322": {43.31, 124.34, 35, false},
	"220323": {43.35, 125.31, 30, false}, "220382": {43.52, 123.50, 35, false},
	// 辽源市
	"220402": {42.90, 125.14, 10, false}, "220403": {42.93, 125.15, 8, false}, "220421": {42.68, 125.53, 30, true},
	"220422": {42.93, 124.99, 30, false},
	// 通化市
	"220502": {41.73, 125.95, 10, true}, "220503": {41.78, 126.04, 15, true}, "220521": {41.68, 125.76, 35, true},
	"220523": {42.68, 126.05, 30, true}, "220524": {42.28, 125.74, 30, true}, "220581": {42.54, 125.69, 30, false},
	"220582": {41.13, 126.19, 40, true},
	// 白山市
	"220602": {41.94, 126.42, 20, true}, "220605": {42.06, 126.59, 25, true}, "220621": {42.33, 127.28, 45, true},
	"220622": {42.39, 126.81, 35, true}, "220623": {41.42, 128.20, 40, true}, "220681": {41.81, 126.92, 35, true},
	// 松原市
	"220702": {45.17, 124.82, 25, false}, "220721": {45.12, 124.83, 45, false}, "220722": {44.28, 123.97, 40, false},
	"220723": {45.00, 124.02, 35, false}, "220771": {45.10, 124.90, 5, false}, "220781": {44.99, 126.05, 40, false},
	// 白城市
	"220802": {45.62, 122.85, 35, false}, "220821": {45.85, 123.20, 40, false}, "220822": {44.81, 123.09, 45, false},
	"220871": {45.60, 122.90, 5, false}, "220881": {45.34, 122.79, 40, false}, "220882": {45.51, 124.29, 40, false},
	// 延边朝鲜族自治州
	"222401": {42.89, 129.51, 20, true}, "222402": {42.97, 129.84, 25, true}, "222403": {43.37, 128.23, 55, true},
	"222404": {42.86, 130.37, 45, true}, "222405": {42.77, 129.43, 35, true}, "222406": {42.55, 129.01, 45, true},
	"222424": {43.31, 129.77, 50, true}, "222426": {43.11, 128.90, 50, true},
}

// citySeats places the province and the cities at their seats (approximate).
var citySeats = map[string][2]float64{
	"220000": {43.88, 125.32}, "220100": {43.88, 125.32}, "220200": {43.84, 126.55}, "220300": {43.17, 124.35},
	"220400": {42.89, 125.14}, "220500": {41.73, 125.94}, "220600": {41.94, 126.42}, "220700": {45.14, 124.83},
	"220800": {45.62, 122.84}, "222400": {42.89, 129.51},
}

// Demo coverage targets: the 15-minute medical-insurance circle of the
// report (all townships, over 80% of villages) and a 30-minute legal-aid circle.
func networkTargets() []coverage.Target {
	return []coverage.Target{
		{Service: network.ServiceMedicalInsurance, Level: region.LevelTownship, Minutes: 15, Rate: 1},
		{Service: network.ServiceMedicalInsurance, Level: region.LevelVillage, Minutes: 15, Rate: 0.8},
		{Service: network.ServiceLegalAid, Level: region.LevelTownship, Minutes: 30, Rate: 1},
		{Service: network.ServiceLegalAid, Level: region.LevelVillage, Minutes: 30, Rate: 0.9},
	}
}

// storyPlaces puts the story points at the places they serve.
var storyPlaces = map[string]string{
	CountyHall:     "220523",       // 辉南县 seat
	QingzhouCentre: "220106",       // 绿园区 seat
	DonghuiCentre:  "220105010",    // 东惠街道
	GuangmingLegal: "220104005003", // 朝阳区 光明社区
}

// NetworkData is the generated demo network.
type NetworkData struct {
	Regions []region.Region
	Points  []network.Point
}

var networkData = sync.OnceValues(generateNetwork)

// Network returns the demo divisions (with generated locations) and service
// points. The result is the same on every call; callers must not change it.
func Network() (*NetworkData, error) { return networkData() }

func generateNetwork() (*NetworkData, error) {
	regions, err := region.Jilin()
	if err != nil {
		return nil, err
	}
	g := &netGen{byCode: map[string]int{}, children: map[string][]int{}, regions: regions}
	for i, r := range regions {
		g.byCode[r.Code] = i
		g.children[r.ParentCode] = append(g.children[r.ParentCode], i)
	}
	for code, at := range citySeats {
		if i, ok := g.byCode[code]; ok {
			g.locate(i, at[0], at[1], "")
		}
	}
	for _, ci := range g.children["220000"] {
		for _, k := range g.children[regions[ci].Code] {
			if err := g.county(k); err != nil {
				return nil, err
			}
		}
	}
	g.sumPopulation("220000")
	g.storyPoints()
	return &NetworkData{Regions: g.regions, Points: g.points}, nil
}

type netGen struct {
	regions  []region.Region
	byCode   map[string]int
	children map[string][]int
	points   []network.Point
}

func (g *netGen) locate(i int, lat, lon float64, area string) {
	lat, lon = math.Round(lat*1e6)/1e6, math.Round(lon*1e6)/1e6
	r := &g.regions[i]
	r.Lat, r.Lon, r.LocationGenerated = &lat, &lon, true
	if area != "" {
		r.Area = area
	}
}

// offset moves (lat, lon) by dx km east and dy km north.
func offset(lat, lon, dx, dy float64) (float64, float64) {
	const kmPerDegree = coverage.EarthRadiusKm * math.Pi / 180
	return lat + dy/kmPerDegree, lon + dx/(kmPerDegree*math.Cos(lat*math.Pi/180))
}

// inDisc returns a uniformly random point of a disc of radius km.
func inDisc(rng *rand.Rand, km float64) (float64, float64) {
	r, a := km*math.Sqrt(rng.Float64()), 2*math.Pi*rng.Float64()
	return r * math.Cos(a), r * math.Sin(a)
}

func seedOf(code string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(code))
	v := h.Sum64()
	return rand.New(rand.NewPCG(v, v^0x9e3779b97f4a7c15))
}

// Shape of the generated network, chosen so that the medical-insurance
// coverage of villages comes out near the reported "over 80%".
const (
	spreadFactor    = 0.9  // villages lie within this share of a township's grid cell from its seat
	stationRural    = 0.10 // share of rural villages beyond 15 minutes that have a medical-insurance station
	stationMountain = 0.16 // the same in the mountains
	legalTown       = 0.40 // share of towns and townships with a legal-aid workstation
	legalCommunity  = 0.08 // share of urban communities with a legal-aid liaison point
)

// Reach in km of 15 minutes from each kind of area, with the default model.
var reach15 = func() map[string]float64 {
	m, out := coverage.DefaultModel(), map[string]float64{}
	for area := range region.Areas {
		out[area] = m.ReachKm(15, area)
	}
	return out
}()

// county places one county's townships on a jittered grid over its box
// (streets in the town centre), its villages around their township, and its
// service points.
func (g *netGen) county(k int) error {
	c := g.regions[k]
	st, ok := countySeats[c.Code]
	if !ok {
		return fmt.Errorf("demo: no seat for county %s %s", c.Code, c.Name)
	}
	rng := seedOf(c.Code)
	ruralArea := region.AreaRural
	if st.mountain {
		ruralArea = region.AreaMountain
	}
	g.locate(k, st.lat, st.lon, "")
	var streets, towns []int
	for _, t := range g.children[c.Code] {
		if strings.HasSuffix(g.regions[t].Name, "街道") {
			streets = append(streets, t)
		} else {
			towns = append(towns, t)
		}
	}
	core := math.Min(st.halfKm*0.3, 5)
	for _, t := range streets {
		dx, dy := inDisc(rng, core)
		lat, lon := offset(st.lat, st.lon, dx, dy)
		g.locate(t, lat, lon, region.AreaUrban)
	}
	side := int(math.Ceil(math.Sqrt(float64(len(towns)))))
	cell := 2 * st.halfKm / float64(max(side, 1))
	order := rng.Perm(side * side)
	for n, t := range towns {
		slot := order[n]
		dx := -st.halfKm + (float64(slot%side)+0.2+0.6*rng.Float64())*cell
		dy := -st.halfKm + (float64(slot/side)+0.2+0.6*rng.Float64())*cell
		lat, lon := offset(st.lat, st.lon, dx, dy)
		g.locate(t, lat, lon, ruralArea)
	}
	hall := network.Point{Code: "ZW" + c.Code, Name: c.Name + "政务服务中心", Level: catalog.LevelCounty, Kind: network.KindCountyHall,
		RegionCode: c.Code, Hours: "周一至周五 8:30–17:00，午间不间断", Lat: g.regions[k].Lat, Lon: g.regions[k].Lon, LocationGenerated: true}
	if c.Code != "220523" { // 辉南县's hall is the story's
		g.points = append(g.points, hall)
	}
	for _, t := range g.children[c.Code] {
		g.township(t, rng, cell, ruralArea)
	}
	return nil
}

// township places the villages around their township seat and adds the
// township's points: its service centre (government and medical insurance),
// medical-insurance stations in some of the villages out of its reach, and
// legal-aid liaison points.
func (g *netGen) township(t int, rng *rand.Rand, cell float64, ruralArea string) {
	tw := g.regions[t]
	street := tw.Area == region.AreaUrban
	spread := math.Max(spreadFactor*cell, 3)
	if street {
		spread = 6
	}
	if tw.Code != "220105010" { // 东惠街道's centre is the story's
		g.points = append(g.points, network.Point{Code: "BM" + tw.Code, Name: tw.Name + "便民服务中心", Level: catalog.LevelTownship,
			Kind: network.KindTownshipCentre, RegionCode: tw.Code, Hours: "周一至周五 8:30–17:00", Lat: tw.Lat, Lon: tw.Lon,
			LocationGenerated: true, Services: []string{network.ServiceGovernment, network.ServiceMedicalInsurance}})
	}
	if !street && rng.Float64() < legalTown || street && rng.Float64() < 0.15 {
		g.points = append(g.points, network.Point{Code: "FY" + tw.Code, Name: tw.Name + "法律援助工作站", Level: catalog.LevelTownship,
			Kind: network.KindLegalAidPoint, RegionCode: tw.Code, Hours: "周一至周五 8:30–17:00", Lat: tw.Lat, Lon: tw.Lon,
			LocationGenerated: true, Services: []string{network.ServiceLegalAid}})
	}
	for _, v := range g.children[tw.Code] {
		vr := &g.regions[v]
		area := region.GuessArea(vr.Code, vr.Name)
		var dx, dy float64
		var pop int64
		if area == region.AreaUrban {
			dx, dy = inDisc(rng, 1.5)
			pop = 3000 + rng.Int64N(7000)
		} else {
			area = ruralArea
			dx, dy = inDisc(rng, spread)
			pop = 500 + rng.Int64N(2000)
		}
		lat, lon := offset(*tw.Lat, *tw.Lon, dx, dy)
		g.locate(v, lat, lon, area)
		vr.Population = &pop
		short := shortVillageName(vr.Name)
		beyond := math.Hypot(dx, dy) > reach15[area]
		if share := map[string]float64{region.AreaRural: stationRural, region.AreaMountain: stationMountain}[area]; beyond && rng.Float64() < share {
			g.points = append(g.points, network.Point{Code: "YB" + vr.Code, Name: short + "便民服务站", Level: catalog.LevelVillage,
				Kind: network.KindVillageStation, RegionCode: vr.Code, Hours: "周一至周五 8:30–16:30", Lat: vr.Lat, Lon: vr.Lon,
				LocationGenerated: true, Services: []string{network.ServiceGovernment, network.ServiceMedicalInsurance}})
		}
		if area == region.AreaUrban && rng.Float64() < legalCommunity {
			g.points = append(g.points, network.Point{Code: "FY" + vr.Code, Name: short + "法律援助联络点", Level: catalog.LevelVillage,
				Kind: network.KindLegalAidPoint, RegionCode: vr.Code, Hours: "周一至周五 8:30–17:00", Lat: vr.Lat, Lon: vr.Lon,
				LocationGenerated: true, Services: []string{network.ServiceLegalAid}})
		}
	}
}

// shortVillageName turns a committee's statistical name into the place name
// people use (陈家店村委会 → 陈家店村, 光明社区居委会 → 光明社区).
func shortVillageName(name string) string {
	for _, r := range [][2]string{{"村民委员会", "村"}, {"村委会", "村"}, {"社区居民委员会", "社区"}, {"社区居委会", "社区"},
		{"居民委员会", "社区"}, {"居委会", "社区"}} {
		if strings.HasSuffix(name, r[0]) {
			return strings.TrimSuffix(name, r[0]) + r[1]
		}
	}
	return name
}

// sumPopulation gives every region above the villages the sum of its villages.
func (g *netGen) sumPopulation(code string) int64 {
	i := g.byCode[code]
	kids := g.children[code]
	if len(kids) == 0 {
		if p := g.regions[i].Population; p != nil {
			return *p
		}
		return 0
	}
	var sum int64
	for _, k := range kids {
		sum += g.sumPopulation(g.regions[k].Code)
	}
	g.regions[i].Population = &sum
	return sum
}

// storyPoints gives the story points their place and services.
func (g *netGen) storyPoints() {
	services := map[string][]string{
		CountyHall:     {network.ServiceGovernment, network.ServiceMedicalInsurance, network.ServiceLegalAid},
		QingzhouCentre: {network.ServiceGovernment, network.ServiceMedicalInsurance},
		DonghuiCentre:  {network.ServiceGovernment, network.ServiceMedicalInsurance},
		GuangmingLegal: {network.ServiceLegalAid},
	}
	for _, p := range Points() {
		r := g.regions[g.byCode[storyPlaces[p.Code]]]
		p.Lat, p.Lon, p.LocationGenerated = r.Lat, r.Lon, true
		p.Services = services[p.Code]
		p.CreatedAt = time.Time{}
		g.points = append(g.points, p)
	}
}

// loadNetwork writes the demo network in one transaction: the divisions, the
// points (the story points get their place and services), which departments
// make up the medical-insurance and legal-aid services, and the targets.
func loadNetwork(ctx context.Context, db *store.DB, now time.Time) error {
	data, err := Network()
	if err != nil {
		return err
	}
	points := make([]network.Point, len(data.Points))
	copy(points, data.Points)
	return db.InTx(ctx, func(tx *store.Tx) error {
		if err := region.Upsert(ctx, tx, data.Regions); err != nil {
			return err
		}
		if err := network.PutMany(ctx, tx, points, now); err != nil {
			return err
		}
		if err := network.SetServiceDepartments(ctx, tx, network.ServiceMedicalInsurance, []string{DeptMedicalInsurance}); err != nil {
			return err
		}
		if err := network.SetServiceDepartments(ctx, tx, network.ServiceLegalAid, []string{DeptJustice}); err != nil {
			return err
		}
		return coverage.PutTargets(ctx, tx, networkTargets(), "demo", now)
	})
}
