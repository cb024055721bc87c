package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

// Only administrators change the service network and its coverage settings:
// every write of the coverage routes is refused to every other role with
// 403, audited, and changes nothing. Coverage figures are read by
// administrators and hall managers only.
func TestCoverageWritesAreForAdministrators(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		csv := []byte("code,name,level,kind,region_code\nROLE-PT-1,角色测试网点,5,township_centre,220523\n")
		locations := []byte("code,lat,lon\n220523,42.68,126.05\n")
		roads := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},` +
			`"geometry":{"type":"LineString","coordinates":[[126.0,42.6],[126.1,42.7]]}}]}`)
		writes := []struct {
			method, path string
			body         any
			headers      []string
		}{
			{"PUT", "/api/v1/coverage/targets", map[string]any{"targets": []map[string]any{
				{"service": "legal-aid", "level": 6, "minutes": 30, "rate": 0.5}}}, nil},
			{"PUT", "/api/v1/coverage/services/medical-insurance", map[string]any{"departments": []string{demo.DeptCivilAffairs}}, nil},
			{"POST", "/api/v1/points/import", csv, []string{"Content-Type", "text/csv"}},
			{"POST", "/api/v1/regions/locations", locations, []string{"Content-Type", "text/csv"}},
			{"POST", "/api/v1/coverage/roads?name=role-test", roads, []string{"Content-Type", "application/geo+json"}},
			{"DELETE", "/api/v1/coverage/roads/role-test", nil, nil},
			{"POST", "/api/v1/points", map[string]any{"code": "ROLE-PT-2", "name": "角色测试网点", "level": 5, "kind": "township_centre"}, nil},
		}
		state := func() string {
			t.Helper()
			var out string
			for _, q := range []string{
				`SELECT COUNT(*), COALESCE(SUM(minutes), 0), COALESCE(SUM(rate), 0) FROM coverage_targets`,
				`SELECT COUNT(*), 0, 0 FROM service_departments`,
				`SELECT COUNT(*), 0, 0 FROM service_points`,
				`SELECT COUNT(*), 0, 0 FROM point_services`,
				`SELECT COUNT(*), 0, 0 FROM road_networks`,
				`SELECT COUNT(lat), COALESCE(SUM(lat), 0), COALESCE(SUM(lon), 0) FROM regions`,
			} {
				var a, b, c float64
				if err := e.db.QueryRowContext(ctx, q).Scan(&a, &b, &c); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				out += fmt.Sprintf("%g/%g/%g ", a, b, c)
			}
			return out
		}
		denied := func() int {
			t.Helper()
			var n int
			if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before, deniedBefore := state(), denied()
		others := []string{"yuxiulan", "qz_quanke", "rs_shenpi", "qz_chuzheng", "hn_dating"}
		for _, user := range others {
			for _, w := range writes {
				e.call(w.method, w.path, user, w.body, w.headers...).problem(403, "role_not_allowed")
			}
		}
		if after := state(); after != before {
			t.Errorf("refused writes changed the network: %s, was %s", after, before)
		}
		if got, want := denied()-deniedBefore, len(others)*len(writes); got != want {
			t.Errorf("%d refusals audited, want %d", got, want)
		}

		reads := []struct{ method, path string }{
			{"GET", "/api/v1/coverage?service=medical-insurance&region=220523"},
			{"GET", "/api/v1/coverage/geojson?service=medical-insurance&region=220523"},
			{"GET", "/api/v1/coverage/targets"},
		}
		for _, user := range []string{"admin", "hn_dating", "yuxiulan", "qz_quanke", "rs_shenpi", "qz_chuzheng"} {
			for _, r := range reads {
				res := e.call(r.method, r.path, user, nil)
				want := 403
				if user == "admin" || user == "hn_dating" {
					want = 200
				}
				if res.status != want {
					t.Errorf("%s %s as %s: %d, want %d", r.method, r.path, user, res.status, want)
				}
			}
		}
		// The administrator's write goes through (the refusals above were about the role).
		e.call("POST", "/api/v1/points/import", "admin", csv, "Content-Type", "text/csv").want(200)
		if after := state(); after == before {
			t.Errorf("the administrator's import changed nothing: %s", after)
		}
	})
}
