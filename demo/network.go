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

// seat is a county seat, a row of data/county-seats.csv: its approximate
// position (rounded to 0.01°; a demonstration value, not a survey), the
// half-width in km of the box its places are spread over, and whether the
// county is mountainous.
type seat struct {
	lat, lon float64
	halfKm   float64
	mountain bool
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
	seats, err := readCountySeats(dataFiles)
	if err != nil {
		return nil, err
	}
	g := &netGen{byCode: map[string]int{}, children: map[string][]int{}, regions: regions, seats: seats}
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
	seats    map[string]seat
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
	st, ok := g.seats[c.Code]
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
