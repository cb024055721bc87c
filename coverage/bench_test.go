package coverage_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store/storetest"
)

// The whole province of the demo: 12,935 townships and villages, about 2,500
// points. Run with: go test ./coverage -run XXX -bench Province -benchtime 5x

func demoService(b *testing.B) *coverage.Service {
	b.Helper()
	db := storetest.SQLite(b)
	if _, err := demo.Load(context.Background(), db, clocktest.Now(b)); err != nil {
		b.Fatal(err)
	}
	return coverage.NewService(db, network.NewStore(db), catalog.NewStore(db), clocktest.Clock(b))
}

// BenchmarkProvinceCoverage: load from SQLite, travel times, rates, gaps.
func BenchmarkProvinceCoverage(b *testing.B) {
	svc := demoService(b)
	ctx := context.Background()
	for b.Loop() {
		rep, err := svc.Coverage(ctx, admin, coverage.Query{Service: network.ServiceMedicalInsurance, Minutes: 15, Region: "220000"})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Levels[1].Total), "villages")
	}
}

// BenchmarkProvincePlan: the planner for townships 100% and villages 95%
// (beyond the demo's 83%), with its loading.
func BenchmarkProvincePlan(b *testing.B) {
	svc := demoService(b)
	ctx := context.Background()
	for b.Loop() {
		plan, err := svc.Plan(ctx, admin, coverage.PlanRequest{Service: network.ServiceMedicalInsurance, Minutes: 15,
			Targets: []coverage.LevelTarget{{Level: 5, Rate: 1}, {Level: 6, Rate: 0.95}}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(plan.Points)), "new-points")
	}
}

// BenchmarkProvinceTravel: the travel times alone, in memory.
func BenchmarkProvinceTravel(b *testing.B) {
	data, err := demo.Network()
	if err != nil {
		b.Fatal(err)
	}
	var places []coverage.Place
	for _, r := range data.Regions {
		if r.Level >= 5 && r.Located() {
			places = append(places, coverage.Place{Code: r.Code, Level: r.Level, Lat: *r.Lat, Lon: *r.Lon, Located: true, Area: r.Area})
		}
	}
	var sites []coverage.Site
	for _, p := range data.Points {
		if p.Offers(network.ServiceMedicalInsurance) && p.Located() {
			sites = append(sites, coverage.Site{Code: p.Code, Lat: *p.Lat, Lon: *p.Lon})
		}
	}
	for b.Loop() {
		coverage.Travel(places, sites, coverage.DefaultModel(), nil)
	}
}
