package coverage_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/auth/authztest"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The coverage settings (targets, the departments of a service, road
// networks, the divisions and their locations) are refused to other roles and out of scope, and are stored only
// together with their audit records.
func TestCoverageWritesAreAuthorizedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := loadCounty(t, db)
		count := func(t *testing.T, query string, args ...any) int {
			var n int
			if err := db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		roads := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"speed_kmh":80},
			"geometry":{"type":"LineString","coordinates":[[0,0],[0.5,0]]}}]}`)
		if _, err := svc.ImportRoads(ctx, auth.System, "old", roads); err != nil {
			t.Fatal(err)
		}
		if err := catalog.NewStore(db).PutDepartment(ctx, auth.System, catalog.Department{Code: "HN-SFJ", Name: "辉南县司法局", Kind: "justice"}); err != nil {
			t.Fatal(err)
		}
		writes := []authztest.Write{
			{Name: "SetTargets", Action: "coverage.targets", Object: "coverage-targets",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := svc.SetTargets(ctx, u, []coverage.Target{{Service: network.ServiceMedicalInsurance, Level: 5, Minutes: 15, Rate: 0.9}})
					return err
				},
				Stored: func(t *testing.T) bool { return count(t, `SELECT COUNT(*) FROM coverage_targets`) == 1 }},
			{Name: "SetServiceDepartments", Action: "coverage.service", Object: "service:" + network.ServiceLegalAid,
				Do: func(ctx context.Context, u auth.User) error {
					_, err := svc.SetServiceDepartments(ctx, u, network.ServiceLegalAid, []string{"HN-SFJ"})
					return err
				},
				Stored: func(t *testing.T) bool {
					return count(t, `SELECT COUNT(*) FROM service_departments WHERE service = ? AND department_code = 'HN-SFJ'`, network.ServiceLegalAid) == 1
				}},
			{Name: "ImportRoads", Action: "coverage.roads", Object: "roads:main",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := svc.ImportRoads(ctx, u, "main", roads)
					return err
				},
				Stored: func(t *testing.T) bool {
					return count(t, `SELECT COUNT(*) FROM road_networks WHERE name = 'main'`) == 1
				}},
			{Name: "ImportLocations", Action: "regions.locations", Object: "regions",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := svc.ImportLocations(ctx, u, "loc.csv", []byte("code,lat,lon,population,area\n990101003299,0.01,0.9,500,\n"))
					return err
				},
				Stored: func(t *testing.T) bool {
					return count(t, `SELECT COUNT(*) FROM regions WHERE code = '990101003299' AND lat IS NOT NULL`) == 1
				}},
			{Name: "LoadRegions", Action: "regions.load", Object: "regions",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := svc.LoadRegions(ctx, u, []region.Region{{Code: "990101004", Name: "第4镇", Level: 5, ParentCode: "990101"}})
					return err
				},
				Stored: func(t *testing.T) bool { return count(t, `SELECT COUNT(*) FROM regions WHERE code = '990101004'`) == 1 }},
			{Name: "DeleteRoads", Action: "coverage.roads.delete", Object: "roads:old",
				Do:     func(ctx context.Context, u auth.User) error { return svc.DeleteRoads(ctx, u, "old") },
				Stored: func(t *testing.T) bool { return count(t, `SELECT COUNT(*) FROM road_networks WHERE name = 'old'`) == 0 }},
		}
		for _, w := range writes {
			authztest.Check(t, db, w)
		}
	})
}
