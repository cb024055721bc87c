package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

type levelOut struct {
	Level       int      `json:"level"`
	Total       int      `json:"total"`
	Covered     int      `json:"covered"`
	Rate        float64  `json:"rate"`
	Target      *float64 `json:"target"`
	MeetsTarget *bool    `json:"meets_target"`
}

type reportOut struct {
	Service  string     `json:"service"`
	Minutes  float64    `json:"minutes"`
	Points   int        `json:"points"`
	Levels   []levelOut `json:"levels"`
	Children []struct {
		Code   string     `json:"code"`
		Levels []levelOut `json:"levels"`
	} `json:"children"`
	GapsTotal int `json:"gaps_total"`
	Gaps      []struct {
		Code    string   `json:"code"`
		Level   int      `json:"level"`
		Where   string   `json:"where"`
		Minutes *float64 `json:"minutes"`
	} `json:"gaps"`
}

func (e *env) coverage(user, query string) reportOut {
	e.t.Helper()
	var rep reportOut
	e.call("GET", "/api/v1/coverage?"+query, user, nil).want(200).decode(&rep)
	return rep
}

type regionOut struct {
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	Level             int      `json:"level"`
	Lat               *float64 `json:"lat"`
	Lon               *float64 `json:"lon"`
	Population        *int64   `json:"population"`
	LocationGenerated bool     `json:"location_generated"`
	Ancestors         []struct {
		Code string `json:"code"`
	} `json:"ancestors"`
	Children int `json:"children"`
}

// Story 6: a province administrator checks that every township and more than
// 80% of villages are within 15 minutes of a medical-insurance service point,
// sees where the gaps are, loads new points where they are, and gets a plan
// for a higher target.
func TestStory6CoverageOfTheMedicalInsuranceCircle(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// The services: the medical-insurance items a township centre and a
		// village station may handle (乡镇可办, 村可办).
		var services struct {
			Services []struct {
				Code        string   `json:"code"`
				Departments []string `json:"departments"`
				Items       []struct {
					Level   int `json:"level"`
					Handled int `json:"handled"`
					Lowest  int `json:"lowest"`
				} `json:"items"`
			} `json:"services"`
		}
		e.call("GET", "/api/v1/coverage/services", "", nil).want(200).decode(&services)
		i := slices.IndexFunc(services.Services, func(s struct {
			Code        string   `json:"code"`
			Departments []string `json:"departments"`
			Items       []struct {
				Level   int `json:"level"`
				Handled int `json:"handled"`
				Lowest  int `json:"lowest"`
			} `json:"items"`
		}) bool {
			return s.Code == "medical-insurance"
		})
		if i < 0 || !slices.Equal(services.Services[i].Departments, []string{demo.DeptMedicalInsurance}) {
			t.Fatalf("medical-insurance service: %+v", services.Services)
		}
		for _, li := range services.Services[i].Items {
			if li.Level == 6 && (li.Handled != demo.MedicalVillage || li.Lowest != demo.MedicalVillage) {
				t.Errorf("村可办: %d items (%d lowest), want %d", li.Handled, li.Lowest, demo.MedicalVillage)
			}
			if li.Level == 5 && li.Lowest < demo.MedicalTownship {
				t.Errorf("乡镇可办: %d items, want at least %d", li.Lowest, demo.MedicalTownship)
			}
		}

		// The province's numbers against its targets (townships 100%, villages 80%).
		before := e.coverage("admin", "service=medical-insurance&minutes=15&region=220000&gaps=5")
		town, village := before.Levels[0], before.Levels[1]
		if town.Total != 1075 || town.Covered != 1075 || town.MeetsTarget == nil || !*town.MeetsTarget {
			t.Errorf("townships: %+v, want all 1,075 covered, meeting the target", town)
		}
		if village.Total != 11860 || village.Rate <= 0.8 || village.Target == nil || *village.Target != 0.8 || !*village.MeetsTarget {
			t.Errorf("villages: %+v, want more than 80%% of 11,860, meeting the 80%% target", village)
		}
		if len(before.Children) != 9 || before.GapsTotal != village.Total-village.Covered || len(before.Gaps) != 5 {
			t.Fatalf("%d cities, %d gaps (%d listed); want 9 cities and %d gaps", len(before.Children), before.GapsTotal, len(before.Gaps), village.Total-village.Covered)
		}
		for k, g := range before.Gaps {
			if g.Minutes == nil || *g.Minutes <= 15 || k > 0 && *g.Minutes > *before.Gaps[k-1].Minutes || g.Where == "" {
				t.Errorf("gap %d: %+v, want beyond 15 minutes, farthest first, with where it is", k, g)
			}
		}

		// Only administrators load points: a line with an error loads nothing.
		csv := "code,name,level,kind,region_code,lat,lon,services\n"
		var fixed []string
		for _, g := range before.Gaps {
			var r regionOut
			e.call("GET", "/api/v1/regions/"+g.Code, "", nil).want(200).decode(&r)
			csv += fmt.Sprintf("YB-NEW-%s,%s医保服务站,6,village_station,%s,%f,%f,medical-insurance;government\n", g.Code, r.Name, g.Code, *r.Lat, *r.Lon)
			fixed = append(fixed, g.Code)
		}
		bad := csv + "YB-BAD,错误的网点,6,clinic,,,,\n"
		p := e.call("POST", "/api/v1/points/import", "admin", []byte(bad), "Content-Type", "text/csv").problem(422, "validation_failed")
		if !p.hasField("points.csv:7:kind") {
			t.Errorf("the bad line is not named: %+v", p.Errors)
		}
		e.call("POST", "/api/v1/points/import", "hn_dating", []byte(csv), "Content-Type", "text/csv").problem(403, "role_not_allowed")
		var imported struct{ Imported int }
		e.call("POST", "/api/v1/points/import", "admin", []byte(csv), "Content-Type", "text/csv").want(200).decode(&imported)
		if imported.Imported != 5 {
			t.Errorf("imported %d points, want 5", imported.Imported)
		}

		// The gaps where points were added are closed.
		after := e.coverage("admin", "service=medical-insurance&region=22&gaps=20000")
		if after.Levels[1].Covered < village.Covered+5 || after.Points != before.Points+5 || after.Minutes != 15 {
			t.Errorf("after the import: %d villages covered by %d points, want at least %d by %d", after.Levels[1].Covered, after.Points, village.Covered+5, before.Points+5)
		}
		for _, g := range after.Gaps {
			if slices.Contains(fixed, g.Code) {
				t.Errorf("%s is still a gap", g.Code)
			}
		}

		// A plan for 90% of villages: each new point raises coverage, the last reaches it.
		var plan struct {
			Reached bool `json:"reached"`
			Before  []levelOut
			Points  []struct {
				Code         string     `json:"code"`
				Level        int        `json:"level"`
				NewlyCovered []levelOut `json:"newly_covered"`
				After        []levelOut `json:"after"`
			} `json:"points"`
		}
		e.call("POST", "/api/v1/coverage/plan", "admin", map[string]any{"service": "medical-insurance", "minutes": 15, "region": "220000",
			"targets": []map[string]any{{"level": 5, "rate": 1}, {"level": 6, "rate": 0.9}}}).want(200).decode(&plan)
		if !plan.Reached || len(plan.Points) == 0 || plan.Before[1].Covered != after.Levels[1].Covered {
			t.Fatalf("plan: reached %v with %d points from %+v", plan.Reached, len(plan.Points), plan.Before)
		}
		prev := plan.Before[1].Covered
		for _, pt := range plan.Points {
			if pt.After[1].Covered <= prev || len(pt.NewlyCovered) == 0 || pt.Level < 5 {
				t.Errorf("point %s: %d villages after, %d before", pt.Code, pt.After[1].Covered, prev)
			}
			prev = pt.After[1].Covered
		}
		if last := plan.Points[len(plan.Points)-1].After[1]; last.Rate < 0.9 || last.Rate-float64(prev)/float64(last.Total) > 1e-9 {
			t.Errorf("the plan ends at %.4f of villages, want 90%%", last.Rate)
		}
		// With the stored targets, already met: nothing to add.
		e.call("POST", "/api/v1/coverage/plan", "admin", map[string]any{"service": "medical-insurance"}).want(200).decode(&plan)
		if !plan.Reached || len(plan.Points) != 0 {
			t.Errorf("the stored targets are met, yet %d points are proposed", len(plan.Points))
		}

		// The map of one county: points, and places coloured by coverage.
		geo := e.call("GET", "/api/v1/coverage/geojson?service=medical-insurance&region=220523", "hn_dating", nil).want(200)
		if ct := geo.header.Get("Content-Type"); ct != "application/geo+json" {
			t.Errorf("content type %q", ct)
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Geometry struct {
					Type string `json:"type"`
				} `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		geo.decode(&fc)
		county := e.coverage("hn_dating", "service=medical-insurance&region=220523")
		green, places, points := 0, 0, 0
		for _, f := range fc.Features {
			switch f.Properties["feature"] {
			case "place":
				places++
				if f.Properties["covered"] == true {
					green++
					if f.Properties["marker-color"] != "#2e7d32" {
						t.Errorf("a covered place coloured %v", f.Properties["marker-color"])
					}
				}
			case "point":
				points++
			}
		}
		if fc.Type != "FeatureCollection" || places != county.Levels[0].Total+county.Levels[1].Total ||
			green != county.Levels[0].Covered+county.Levels[1].Covered || points < county.Points {
			// The map shows the county's points and the few outside that are nearest to some place in it.
			t.Errorf("GeoJSON: %d places (%d covered), %d points; the report says %+v and %d points", places, green, points, county.Levels, county.Points)
		}

		// Who may read and change coverage.
		e.call("GET", "/api/v1/coverage?service=medical-insurance", "hn_qiantai", nil).problem(403, "role_not_allowed")
		e.call("GET", "/api/v1/coverage?service=medical-insurance", "yuxiulan", nil).problem(403, "role_not_allowed")
		e.call("GET", "/api/v1/coverage?service=medical-insurance", "", nil).problem(401, "token_required")
		e.call("GET", "/api/v1/coverage?service=tax", "admin", nil).problem(422, "validation_failed")
		e.call("GET", "/api/v1/coverage?service=medical-insurance&minutes=abc&region=22x", "admin", nil).problem(422, "validation_failed")
		e.call("PUT", "/api/v1/coverage/targets", "hn_dating", map[string]any{"targets": []map[string]any{
			{"service": "legal-aid", "level": 6, "minutes": 30, "rate": 0.85}}}).problem(403, "role_not_allowed")
		var targets struct {
			Targets []struct {
				Service string  `json:"service"`
				Level   int     `json:"level"`
				Minutes int     `json:"minutes"`
				Rate    float64 `json:"rate"`
			} `json:"targets"`
		}
		e.call("PUT", "/api/v1/coverage/targets", "admin", map[string]any{"targets": []map[string]any{
			{"service": "legal-aid", "level": 6, "minutes": 30, "rate": 0.85}}}).want(200).decode(&targets)
		if len(targets.Targets) != 4 || !slices.ContainsFunc(targets.Targets, func(t struct {
			Service string  `json:"service"`
			Level   int     `json:"level"`
			Minutes int     `json:"minutes"`
			Rate    float64 `json:"rate"`
		}) bool {
			return t.Service == "legal-aid" && t.Level == 6 && t.Rate == 0.85
		}) {
			t.Errorf("targets after the change: %+v", targets.Targets)
		}
		legal := e.coverage("hn_dating", "service=legal-aid")
		if legal.Minutes != 30 || legal.Levels[1].Target == nil || *legal.Levels[1].Target != 0.85 {
			t.Errorf("legal aid: %g minutes, target %v; want 30 and 0.85", legal.Minutes, legal.Levels[1].Target)
		}
		// One item: the points that may handle 医保异地就医备案.
		item := e.coverage("admin", "service="+demo.CodeMedicalOutOfArea+"&minutes=15")
		if item.Levels[0].Covered != 1075 || item.Service != demo.CodeMedicalOutOfArea {
			t.Errorf("the out-of-area registration item: %+v", item.Levels)
		}
	})
}

func TestRegionsAndPointDetails(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var cities struct {
			Items []regionOut `json:"items"`
			Total int         `json:"total"`
		}
		e.call("GET", "/api/v1/regions?parent=220000", "", nil).want(200).decode(&cities)
		if cities.Total != 9 || cities.Items[0].Name != "长春市" || !cities.Items[0].LocationGenerated {
			t.Errorf("the cities of Jilin: %+v", cities)
		}
		e.call("GET", "/api/v1/regions?within=220523&level=6&limit=5", "", nil).want(200).decode(&cities)
		if len(cities.Items) != 5 || cities.Total < 100 || cities.Items[0].Level != 6 {
			t.Errorf("villages of 辉南县: %d of %d", len(cities.Items), cities.Total)
		}
		e.call("GET", "/api/v1/regions?level=9", "", nil).problem(422, "validation_failed")
		e.call("GET", "/api/v1/regions?parent=abc", "", nil).problem(422, "validation_failed")
		var r regionOut
		e.call("GET", "/api/v1/regions/220523", "", nil).want(200).decode(&r)
		if r.Name != "辉南县" || len(r.Ancestors) != 2 || r.Ancestors[0].Code != "220000" || r.Ancestors[1].Code != "220500" || r.Children != 14 {
			t.Errorf("辉南县: %+v", r)
		}
		e.call("GET", "/api/v1/regions/220599", "", nil).problem(404, "region_not_found")

		// Locations: an unknown code is reported by line; a good file updates.
		body := "code,population,area\n220523001200,2100,mountain\n220599001200,10,\n"
		p := e.call("POST", "/api/v1/regions/locations", "admin", []byte(body), "Content-Type", "text/csv").problem(422, "validation_failed")
		if !p.hasField("locations.csv:3:code") {
			t.Errorf("the unknown code is not named by line: %+v", p.Errors)
		}
		e.call("POST", "/api/v1/regions/locations", "hn_dating", []byte(body), "Content-Type", "text/csv").problem(403, "role_not_allowed")
		e.call("POST", "/api/v1/regions/locations", "admin", []byte("x"), "Content-Type", "image/png").problem(415, "unsupported_media_type")
		e.call("POST", "/api/v1/regions/locations", "admin", []byte(strings.SplitAfterN(body, "\n", 3)[0]+strings.SplitAfterN(body, "\n", 3)[1]),
			"Content-Type", "text/csv").want(200)
		e.call("GET", "/api/v1/regions/220523001200", "", nil).want(200).decode(&r)
		if r.Population == nil || *r.Population != 2100 || r.Lat == nil {
			t.Errorf("after the import: %+v", r)
		}

		// A village station handles the 8 村可办 medical-insurance items.
		var point struct {
			Code  string   `json:"code"`
			Lat   *float64 `json:"lat"`
			Items []struct {
				Service string `json:"service"`
				Count   int    `json:"count"`
				Items   []struct {
					Code string `json:"code"`
				} `json:"items"`
			} `json:"items"`
		}
		e.call("GET", "/api/v1/points/"+demo.QingzhouCentre, "", nil).want(200).decode(&point)
		if point.Lat == nil || len(point.Items) != 2 {
			t.Fatalf("青州社区: %+v", point)
		}
		for _, si := range point.Items {
			if si.Service == "medical-insurance" && (si.Count != demo.MedicalVillage || len(si.Items) != demo.MedicalVillage) {
				t.Errorf("青州社区 handles %d medical-insurance items, want %d", si.Count, demo.MedicalVillage)
			}
		}
		// A township centre: every medical-insurance item townships may handle.
		var items struct{ Total int }
		e.call("GET", "/api/v1/items?department="+demo.DeptMedicalInsurance+"&level=5", "", nil).want(200).decode(&items)
		e.call("GET", "/api/v1/points/"+demo.DonghuiCentre, "", nil).want(200).decode(&point)
		for _, si := range point.Items {
			if si.Service == "medical-insurance" && si.Count != items.Total {
				t.Errorf("东惠街 handles %d medical-insurance items, the catalogue has %d at township level", si.Count, items.Total)
			}
		}
		e.call("GET", "/api/v1/points/NOPE", "", nil).problem(404, "point_not_found")

		// The point list carries locations; the export reads back.
		var list struct {
			Items []struct {
				Code     string   `json:"code"`
				Lat      *float64 `json:"lat"`
				Services []string `json:"services"`
			} `json:"items"`
			Total int `json:"total"`
		}
		e.call("GET", "/api/v1/points", "", nil).want(200).decode(&list)
		for _, p := range list.Items {
			if p.Lat == nil || len(p.Services) == 0 {
				t.Errorf("point %s without location or services", p.Code)
				break
			}
		}
		csv := e.call("GET", "/api/v1/points/export?format=csv", "", nil).want(200)
		if lines := strings.Count(string(csv.body), "\n"); lines != list.Total+1 {
			t.Errorf("the CSV export has %d lines for %d points", lines, list.Total)
		}
		e.call("GET", "/api/v1/points/export?format=xlsx", "", nil).problem(422, "validation_failed")
	})
}
