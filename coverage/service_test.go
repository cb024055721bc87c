package coverage_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/region/regiontest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

var (
	admin       = auth.User{ID: 1, Username: "admin", Role: auth.RoleAdmin}
	hallManager = auth.User{ID: 2, Username: "hn_dating", Role: auth.RoleHallManager, PointCode: "P1"}
	frontDesk   = auth.User{ID: 3, Username: "hn_qiantai", Role: auth.RoleFrontDesk, PointCode: "P1"}
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// loadCounty stores a small county on the equator: three townships at 0°,
// 0.5° and 0.9° of longitude with 4, 6 and 10 villages within 0.02° of their
// seat, and a medical-insurance point at the first seat. 15 minutes reach
// 7.7 km from a rural place, so the point covers its township and nothing else.
func loadCounty(t *testing.T, db *store.DB) *coverage.Service {
	t.Helper()
	ctx := context.Background()
	rs := []region.Region{
		{Code: "990000", Name: "测试省", Level: 2},
		{Code: "990100", Name: "测试市", Level: 3, ParentCode: "990000"},
		{Code: "990101", Name: "测试县", Level: 4, ParentCode: "990100"},
	}
	for ti, lon := range []float64{0, 0.5, 0.9} {
		tcode := fmt.Sprintf("990101%03d", ti+1)
		rs = append(rs, region.Region{Code: tcode, Name: fmt.Sprintf("第%d镇", ti+1), Level: 5, ParentCode: "990101", Lat: f64(0), Lon: f64(lon)})
		n := []int{4, 6, 10}[ti]
		for v := 0; v < n; v++ {
			a := 2 * math.Pi * float64(v) / float64(n)
			rs = append(rs, region.Region{Code: fmt.Sprintf("%s%03d", tcode, 200+v), Name: fmt.Sprintf("第%d镇%d村", ti+1, v+1), Level: 6,
				ParentCode: tcode, Lat: f64(0.02 * math.Sin(a)), Lon: f64(lon + 0.02*math.Cos(a)), Population: i64(int64(1000 * (ti + 1)))})
		}
	}
	// One village without coordinates: counted, never covered.
	rs = append(rs, region.Region{Code: "990101003299", Name: "无坐标村", Level: 6, ParentCode: "990101003"})
	if err := regiontest.Load(ctx, db, rs); err != nil {
		t.Fatal(err)
	}
	points := network.NewStore(db)
	for _, p := range []network.Point{
		{Code: "P1", Name: "第1镇便民服务中心", Level: 5, Kind: network.KindTownshipCentre, RegionCode: "990101001", Lat: f64(0), Lon: f64(0),
			Services: []string{network.ServiceGovernment, network.ServiceMedicalInsurance}},
		{Code: "L1", Name: "法律援助工作站", Level: 5, Kind: network.KindLegalAidPoint, RegionCode: "990101002", Lat: f64(0), Lon: f64(0.5)},
		{Code: "P9", Name: "无位置的医保点", Level: 6, Kind: network.KindMedicalPoint},
	} {
		if _, err := points.Put(ctx, auth.System, p); err != nil {
			t.Fatal(err)
		}
	}
	return coverage.NewService(db, points, catalog.NewStore(db), clocktest.Clock(t))
}

func isDenied(err error) bool {
	var ae *apperr.Error
	ae = apperr.As(err)
	return ae.Code == apperr.Forbidden && ae.Denied
}

func hasField(err error, field string) bool {
	for _, f := range apperr.As(err).Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestCoverageReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := loadCounty(t, db)
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return coverage.PutTargets(ctx, tx, []coverage.Target{
				{Service: network.ServiceMedicalInsurance, Level: 5, Minutes: 15, Rate: 1},
				{Service: network.ServiceMedicalInsurance, Level: 6, Minutes: 15, Rate: 0.8},
			}, "test", svc.Now())
		}); err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Coverage(ctx, hallManager, coverage.Query{Service: network.ServiceMedicalInsurance, Region: "9901", Gaps: 3})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Minutes != 15 || rep.Points != 1 || rep.PointsUnlocated != 1 || rep.Region.Code != "990100" || rep.Roads {
			t.Errorf("report head: %+v", rep)
		}
		town, village := rep.Levels[0], rep.Levels[1]
		if town.Total != 3 || town.Covered != 1 || *town.Target != 1 || *town.MeetsTarget || town.Shortfall != 2 {
			t.Errorf("townships: %+v", town)
		}
		// 21 villages, one without coordinates; 4 covered; 80% of 21 is 16.8, so 17 needed.
		if village.Total != 21 || village.Located != 20 || village.Covered != 4 || village.Shortfall != 13 {
			t.Errorf("villages: %+v", village)
		}
		if village.PopulationKnown != 20 || village.Population != 46000 || village.PopulationCovered != 4000 {
			t.Errorf("villages by population: %+v", village)
		}
		if len(rep.Children) != 1 || rep.Children[0].Code != "990101" || rep.Children[0].Levels[1].Covered != 4 {
			t.Errorf("children: %+v", rep.Children)
		}
		if rep.GapsTotal != 19 || len(rep.Gaps) != 3 {
			t.Fatalf("%d gaps listed of %d, want 3 of 19", len(rep.Gaps), rep.GapsTotal)
		}
		g := rep.Gaps[0]
		if g.Where != "测试县 第3镇" || g.Minutes == nil || *g.Minutes < 150 || g.NearestPoint != "P1" || g.Population == nil {
			t.Errorf("the farthest gap: %+v", g)
		}
		if *rep.Gaps[1].Minutes > *g.Minutes {
			t.Errorf("gaps not farthest first: %.1f after %.1f", *rep.Gaps[1].Minutes, *g.Minutes)
		}

		// Per township, a kind of point, another threshold (no target then).
		rep, err = svc.Coverage(ctx, admin, coverage.Query{Service: network.KindTownshipCentre, Minutes: 200, Region: "990101"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Children) != 3 || rep.Levels[0].Covered != 3 || rep.Levels[0].Target != nil {
			t.Errorf("township centres within 200 minutes: %+v", rep.Levels)
		}
		// Legal aid: only the point at the second township.
		rep, _ = svc.Coverage(ctx, admin, coverage.Query{Service: network.ServiceLegalAid, Minutes: 30})
		if rep.Levels[1].Covered != 6 || rep.Region.Code != "990000" {
			t.Errorf("legal aid: %+v in %s", rep.Levels[1], rep.Region.Code)
		}
		// A faster countryside reaches farther: at 200 km/h rural, 30 minutes
		// reach 76.9 km (30/60 × 200 ÷ 1.3), enough for the second seat (55.6 km)
		// but not the third (100 km).
		rep, _ = svc.Coverage(ctx, admin, coverage.Query{Service: network.ServiceMedicalInsurance, Minutes: 30,
			Model: coverage.Model{Speeds: map[string]float64{region.AreaRural: 200}}})
		if rep.Levels[0].Covered != 2 {
			t.Errorf("at 200 km/h: %d townships covered, want 2", rep.Levels[0].Covered)
		}

		tests := []struct {
			name  string
			who   auth.User
			q     coverage.Query
			check func(error) bool
		}{
			{"front desk", frontDesk, coverage.Query{Service: network.ServiceMedicalInsurance}, isDenied},
			{"unknown service", admin, coverage.Query{Service: "tax"}, func(err error) bool { return hasField(err, "service") }},
			{"bad region code", admin, coverage.Query{Service: "legal-aid", Region: "99x"}, func(err error) bool { return hasField(err, "region") }},
			{"unknown region", admin, coverage.Query{Service: "legal-aid", Region: "980000"}, func(err error) bool { return apperr.CodeOf(err) == apperr.NotFound }},
			{"minutes out of range", admin, coverage.Query{Service: "legal-aid", Minutes: 999}, func(err error) bool { return hasField(err, "minutes") }},
			{"bad model", admin, coverage.Query{Service: "legal-aid", Model: coverage.Model{Detour: 0.5}}, func(err error) bool { return hasField(err, "detour") }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := svc.Coverage(ctx, tt.who, tt.q); !tt.check(err) {
					t.Errorf("Coverage = %v", err)
				}
			})
		}
	})
}

func TestPlanTargetsAndRoads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := loadCounty(t, db)
		if _, err := svc.Plan(ctx, admin, coverage.PlanRequest{Service: network.ServiceMedicalInsurance}); !hasField(err, "targets") {
			t.Errorf("a plan without targets: %v", err)
		}
		if _, err := svc.SetTargets(ctx, hallManager, []coverage.Target{{Service: "medical-insurance", Level: 5, Minutes: 15, Rate: 1}}); !isDenied(err) {
			t.Errorf("a hall manager set targets: %v", err)
		}
		_, err := svc.SetTargets(ctx, admin, []coverage.Target{{Service: "tax", Level: 4, Minutes: 0, Rate: 1.5}})
		for _, f := range []string{"targets[0].service", "targets[0].level", "targets[0].minutes", "targets[0].rate"} {
			if !hasField(err, f) {
				t.Errorf("bad target: no error at %s: %v", f, err)
			}
		}
		ts, err := svc.SetTargets(ctx, admin, []coverage.Target{
			{Service: "medical-insurance", Level: 5, Minutes: 15, Rate: 1}, {Service: "medical-insurance", Level: 6, Minutes: 15, Rate: 0.8}})
		if err != nil || len(ts) != 2 || ts[0].UpdatedBy != "admin" {
			t.Fatalf("SetTargets = %+v, %v", ts, err)
		}
		plan, err := svc.Plan(ctx, hallManager, coverage.PlanRequest{Service: network.ServiceMedicalInsurance})
		if err != nil {
			t.Fatal(err)
		}
		// Two new points, the bigger far cluster first; the village without
		// coordinates keeps villages at 20 of 21 (95%).
		if !plan.Reached || len(plan.Points) != 2 || plan.Points[0].Code[:9] != "990101003" || plan.Points[1].Code[:9] != "990101002" {
			t.Fatalf("plan: reached %v, %+v", plan.Reached, plan.Points)
		}
		last := plan.Points[1].After
		if last[0].Covered != 3 || last[1].Covered != 20 || last[1].Total != 21 || plan.Before[1].Covered != 4 {
			t.Errorf("coverage after the plan: %+v (before %+v)", last, plan.Before)
		}
		// Of equal candidates the first in code order wins: the township seat.
		if p := plan.Points[0]; p.Code != "990101003" || p.Where != "测试市 测试县" || p.Level != 5 || p.Lon != 0.9 {
			t.Errorf("first point: %+v", p)
		}

		// A road network: the report says it follows the roads; deleting it goes back.
		roads := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"speed_kmh":80},
			"geometry":{"type":"LineString","coordinates":[[0,0],[0.5,0],[0.9,0]]}}]}`)
		if _, err := svc.ImportRoads(ctx, frontDesk, "main", roads); !isDenied(err) {
			t.Errorf("a front desk imported roads: %v", err)
		}
		if res, err := svc.ImportRoads(ctx, admin, "main", roads); err != nil || res.Imported != 1 {
			t.Fatalf("ImportRoads = %+v, %v", res, err)
		}
		rep, err := svc.Coverage(ctx, admin, coverage.Query{Service: network.ServiceMedicalInsurance, Minutes: 45})
		if err != nil {
			t.Fatal(err)
		}
		// By road at 80 km/h the second seat (55.6 km) is 41.7 minutes away, within 45; straight at 40 km/h it is 108 minutes.
		if !rep.Roads || rep.Levels[0].Covered != 2 {
			t.Errorf("with roads: %+v, roads %v", rep.Levels[0], rep.Roads)
		}
		if err := svc.DeleteRoads(ctx, admin, "main"); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteRoads(ctx, admin, "main"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("deleting twice: %v", err)
		}
		rep, _ = svc.Coverage(ctx, admin, coverage.Query{Service: network.ServiceMedicalInsurance, Minutes: 45})
		if rep.Roads || rep.Levels[0].Covered != 1 {
			t.Errorf("without roads: %+v, roads %v", rep.Levels[0], rep.Roads)
		}
	})
}

func TestImportsNeedAnAdministrator(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := loadCounty(t, db)
		csv := []byte("code,lat,lon,population\n990101001200,0.01,0.001,2500\n")
		if _, err := svc.ImportLocations(ctx, hallManager, "l.csv", csv); !isDenied(err) {
			t.Errorf("a hall manager imported locations: %v", err)
		}
		if res, err := svc.ImportLocations(ctx, admin, "l.csv", csv); err != nil || res.Imported != 1 {
			t.Errorf("ImportLocations = %+v, %v", res, err)
		}
		d, err := svc.Region(ctx, "990101001200")
		if err != nil || *d.Population != 2500 || len(d.Ancestors) != 4 || d.Children != 0 {
			t.Errorf("Region = %+v, %v", d, err)
		}
		pts := []byte("code,name,level,kind,region_code,lat,lon,services\nYB-9,第3镇医保站,6,village_station,990101003200,0,0.9,medical-insurance\n")
		if _, err := svc.ImportPoints(ctx, frontDesk, "p.csv", pts); !isDenied(err) {
			t.Errorf("a front desk imported points: %v", err)
		}
		if res, err := svc.ImportPoints(ctx, admin, "p.csv", pts); err != nil || res.Imported != 1 {
			t.Errorf("ImportPoints = %+v, %v", res, err)
		}
		rep, _ := svc.Coverage(ctx, admin, coverage.Query{Service: network.ServiceMedicalInsurance})
		if rep.Levels[0].Covered != 2 || rep.Levels[1].Covered != 14 {
			t.Errorf("after importing a point in the third township: %+v", rep.Levels)
		}
	})
}
