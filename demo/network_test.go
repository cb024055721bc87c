package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store/storetest"
)

// The demo network: every division of Jilin, each with generated (and
// marked) coordinates near its county; a township centre offering medical
// insurance in every township; coverage near the report's figures.
func TestDemoNetwork(t *testing.T) {
	data, err := Network()
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Regions) != 1+region.JilinCities+region.JilinCounties+region.JilinTownships+region.JilinVillages {
		t.Errorf("%d divisions", len(data.Regions))
	}
	countySeats, err := readCountySeats(dataFiles)
	if err != nil {
		t.Fatal(err)
	}
	seats := map[string]region.Region{}
	for _, r := range data.Regions {
		if !r.Located() || !r.LocationGenerated || r.Population == nil {
			t.Fatalf("%s %s: location %v, generated %v, population %v", r.Code, r.Name, r.Located(), r.LocationGenerated, r.Population)
		}
		if r.Level == region.LevelCounty {
			seats[r.Code] = r
		}
	}
	// Villages lie within their county's box (plus the spread of a township's villages).
	for _, r := range data.Regions {
		if r.Level != region.LevelVillage {
			continue
		}
		c := seats[r.Code[:6]]
		if d := coverage.DistanceKm(*r.Lat, *r.Lon, *c.Lat, *c.Lon); d > 1.5*countySeats[c.Code].halfKm+15 {
			t.Errorf("%s %s is %.0f km from its county seat", r.Code, r.Name, d)
		}
	}
	centres := map[string]bool{}
	for _, p := range data.Points {
		if err := p.Validate(); err != nil {
			t.Errorf("point %s: %v", p.Code, err)
		}
		if p.Offers(network.ServiceMedicalInsurance) && p.Level == catalog.LevelTownship && len(p.RegionCode) == 9 {
			centres[p.RegionCode] = true
		}
		if strings.HasPrefix(p.Code, "YB") && !p.LocationGenerated {
			t.Errorf("point %s is not marked generated", p.Code)
		}
	}
	centres["220105010"] = true // 东惠街道 is served by the story's centre, whose region is its district
	if len(centres) != region.JilinTownships {
		t.Errorf("%d townships have a medical-insurance centre, want all %d", len(centres), region.JilinTownships)
	}

	db := storetest.SQLite(t)
	ctx := context.Background()
	if err := loadNetwork(ctx, db, clocktest.Now(t)); err != nil {
		t.Fatal(err)
	}
	svc := coverage.NewService(db, network.NewStore(db), catalog.NewStore(db), clocktest.Clock(t))
	rep, err := svc.Coverage(ctx, auth.User{Role: auth.RoleAdmin}, coverage.Query{Service: network.ServiceMedicalInsurance})
	if err != nil {
		t.Fatal(err)
	}
	town, village := rep.Levels[0], rep.Levels[1]
	if town.Rate != 1 || village.Rate <= 0.8 || village.Rate > 0.87 || !*village.MeetsTarget || rep.GapsTotal == 0 {
		t.Errorf("medical insurance: townships %.3f, villages %.3f, %d gaps; want 100%%, a little over 80%% and some gaps", town.Rate, village.Rate, rep.GapsTotal)
	}
}

// BenchmarkLoadNetwork: writing the demo network into a fresh SQLite database.
func BenchmarkLoadNetwork(b *testing.B) {
	ctx := context.Background()
	if _, err := Network(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		db := storetest.SQLite(b)
		b.StartTimer()
		if err := loadNetwork(ctx, db, clocktest.Now(b)); err != nil {
			b.Fatal(err)
		}
	}
}
