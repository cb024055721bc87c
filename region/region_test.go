package region_test

import (
	"context"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/region/regiontest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The embedded data holds what the statistics say Jilin has: 9 cities,
// 1,075 townships and streets, 11,860 villages and communities.
func TestJilinCounts(t *testing.T) {
	rs, err := region.Jilin()
	if err != nil {
		t.Fatal(err)
	}
	count := map[int]int{}
	seen := map[string]bool{}
	for _, r := range rs {
		count[r.Level]++
		if r.ParentCode != "" && !seen[r.ParentCode] {
			t.Errorf("%s %s comes before its parent %s", r.Code, r.Name, r.ParentCode)
		}
		seen[r.Code] = true
	}
	want := map[int]int{2: 1, 3: 9, 4: 69, 5: 1075, 6: 11860}
	for l, n := range want {
		if count[l] != n {
			t.Errorf("level %d: %d divisions, want %d", l, count[l], n)
		}
	}
	if rs[0].Code != "220000" || rs[0].Name != "吉林省" {
		t.Errorf("first row %s %s, want 220000 吉林省", rs[0].Code, rs[0].Name)
	}
	// The caller owns the slice: changing it does not change the next call.
	rs[0].Name = "changed"
	again, _ := region.Jilin()
	if again[0].Name != "吉林省" {
		t.Error("Jilin returned shared data")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"22", "220000"}, {"2205", "220500"}, {" 220523 ", "220523"}, {"220523103", "220523103"},
		{"220523103201", "220523103201"}, {"220523000000", "220523"}, {"220523103000", "220523103"},
	}
	for _, tt := range tests {
		if got, err := region.Normalize(tt.in); err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "2", "22052", "22a000", "2205231", "1234567890123"} {
		if _, err := region.Normalize(bad); err == nil {
			t.Errorf("Normalize(%q) accepted", bad)
		}
	}
}

func TestCodeArithmetic(t *testing.T) {
	tests := []struct {
		code  string
		level int
		want  string
	}{
		{"220523103201", region.LevelProvince, "220000"},
		{"220523103201", region.LevelCity, "220500"},
		{"220523103201", region.LevelCounty, "220523"},
		{"220523103201", region.LevelTownship, "220523103"},
		{"220523103201", region.LevelVillage, "220523103201"},
		{"220523", region.LevelTownship, ""},
		{"222401", region.LevelCity, "222400"},
	}
	for _, tt := range tests {
		if got := region.AncestorCode(tt.code, tt.level); got != tt.want {
			t.Errorf("AncestorCode(%s, %d) = %q, want %q", tt.code, tt.level, got, tt.want)
		}
	}
	for code, level := range map[string]int{"220000": 2, "220500": 3, "220523": 4, "220523103": 5, "220523103201": 6, "22052": 0} {
		if got := region.LevelOfCode(code); got != level {
			t.Errorf("LevelOfCode(%s) = %d, want %d", code, got, level)
		}
	}
	county := region.Region{Code: "220523", Level: region.LevelCounty}
	if !county.Contains("220523103201") || county.Contains("220524001001") || county.DescendantPrefix() != "220523" {
		t.Error("a county contains exactly the codes that start with its six digits")
	}
	province := region.Region{Code: "220000", Level: region.LevelProvince}
	if !province.Contains("222401") || province.Contains("210000") {
		t.Error("a province contains exactly the codes that start with its two digits")
	}
}

func TestGuessArea(t *testing.T) {
	tests := []struct{ code, name, want string }{
		{"220523001001", "兴工社区", region.AreaUrban},       // 001–199: residents' committee
		{"220523001200", "东凤村", region.AreaRural},        // 200–399: villagers' committee
		{"220184100400", "洼中高农场虚拟生活区", region.AreaRural}, // 400+: by name
		{"220171001400", "开发区虚拟社区", region.AreaUrban},
		{"220523001", "东凤街道", region.AreaUrban},
		{"220523103", "样子哨镇", region.AreaRural},
	}
	for _, tt := range tests {
		if got := region.GuessArea(tt.code, tt.name); got != tt.want {
			t.Errorf("GuessArea(%s, %s) = %s, want %s", tt.code, tt.name, got, tt.want)
		}
	}
}

func fieldsOf(err error) []string {
	var out []string
	for _, f := range apperr.As(err).Fields {
		out = append(out, f.Field)
	}
	return out
}

func hasField(err error, field string) bool {
	for _, f := range fieldsOf(err) {
		if f == field {
			return true
		}
	}
	return false
}

func TestParseCSVReportsLines(t *testing.T) {
	const data = "code,name,level,parent_code\n" +
		"220000,吉林省,2,\n" +
		"220500,通化市,3,220000\n" +
		"220523,辉南县,x,220500\n" + // line 4: level
		"2205231,辉南县,4,220500\n" + // line 5: code
		"220523103,样子哨镇,5,220524\n" + // line 6: parent outside
		"220500,通化市,3,220000\n" + // line 7: duplicate
		"220523103201,,6,220523103\n" // line 8: name
	_, err := region.ParseCSV("regions.csv", strings.NewReader(data))
	for _, field := range []string{"regions.csv:4:level", "regions.csv:5:code", "regions.csv:6:parent_code", "regions.csv:7:code", "regions.csv:8:name"} {
		if !hasField(err, field) {
			t.Errorf("no error at %s: %v", field, fieldsOf(err))
		}
	}
	if _, err := region.ParseCSV("regions.csv", strings.NewReader("code,name,level\n")); !hasField(err, "regions.csv:1:parent_code") {
		t.Errorf("a missing column is not reported: %v", fieldsOf(err))
	}
}

func TestParseLocationsReportsLinesAndFeatures(t *testing.T) {
	tests := []struct {
		name, data string
		fields     []string
	}{
		{"csv", "code,lat,lon,population,area\n" +
			"220523,42.68,126.05,310000,rural\n" +
			"220523103,42.7,,,\n" + // line 3: lat without lon
			"220523103201,91,126,,\n" + // line 4: latitude out of range
			"220523103202,42.7,126.1,-5,\n" + // line 5: negative population
			"220523103203,42.7,126.1,,sea\n" + // line 6: unknown area
			"2205,42,126,abc,\n", // line 7: population not a number
			[]string{"locations.csv:3:lat", "locations.csv:4:lat", "locations.csv:5:population", "locations.csv:6:area", "locations.csv:7:population"}},
		{"geojson", `{"type":"FeatureCollection","features":[
			{"type":"Feature","geometry":{"type":"Point","coordinates":[126.05,42.68]},"properties":{"code":"220523"}},
			{"type":"Feature","geometry":{"type":"LineString","coordinates":[[126,42],[126.1,42]]},"properties":{"code":"220523103"}},
			{"type":"Feature","geometry":null,"properties":{"code":"abc","population":12}},
			{"type":"Feature","geometry":{"type":"Point","coordinates":[126.05,42.68]},"properties":{"code":220523103201,"population":"many"}}]}`,
			[]string{"locations.csv:features[1]:geometry", "locations.csv:features[2]:properties.code", "locations.csv:features[3]:properties.population"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := region.ParseLocations("locations.csv", []byte(tt.data))
			for _, f := range tt.fields {
				if !hasField(err, f) {
					t.Errorf("no error at %s: %v", f, fieldsOf(err))
				}
			}
			if got := len(fieldsOf(err)); got != len(tt.fields) {
				t.Errorf("%d errors %v, want %d", got, fieldsOf(err), len(tt.fields))
			}
		})
	}
	locs, err := region.ParseLocations("l.geojson", []byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","geometry":{"type":"Point","coordinates":[126.05,42.68]},"properties":{"code":220523,"population":310000,"area":"mountain"}}]}`))
	if err != nil || len(locs) != 1 || *locs[0].Lat != 42.68 || *locs[0].Lon != 126.05 || *locs[0].Population != 310000 || locs[0].Area != "mountain" {
		t.Errorf("a good feature: %+v, %v", locs, err)
	}
}

// huinan returns 辉南县 with the divisions above it and below it.
func huinan(t *testing.T) []region.Region {
	t.Helper()
	all, err := region.Jilin()
	if err != nil {
		t.Fatal(err)
	}
	var out []region.Region
	for _, r := range all {
		if r.Code == "220000" || r.Code == "220500" || strings.HasPrefix(r.Code, "220523") {
			out = append(out, r)
		}
	}
	return out
}

func TestStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := region.NewStore(db)
		rs := huinan(t)
		if err := regiontest.Load(ctx, db, rs); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Count(ctx); err != nil || n != len(rs) {
			t.Fatalf("Count = %d, %v; want %d", n, err, len(rs))
		}
		jilin, err := s.Get(ctx, "22")
		if err != nil || jilin.Name != "吉林省" || jilin.Level != region.LevelProvince {
			t.Fatalf("Get(22) = %+v, %v", jilin, err)
		}
		if _, err := s.Get(ctx, "220524"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("an unknown code: %v, want not found", err)
		}
		towns, total, err := s.List(ctx, region.Filter{Parent: "220523"})
		if err != nil || total != 14 || len(towns) != 14 || towns[0].Code != "220523001" {
			t.Errorf("the townships of 辉南县: %d of %d, %v", len(towns), total, err)
		}
		villages, total, err := s.List(ctx, region.Filter{Within: "220500", Level: region.LevelVillage, Limit: 5})
		if err != nil || len(villages) != 5 || total < 100 {
			t.Errorf("villages within 通化市: %d of %d, %v", len(villages), total, err)
		}
		found, _, err := s.List(ctx, region.Filter{Within: "220523", Query: "东凤"})
		if err != nil || len(found) == 0 {
			t.Errorf("search 东凤: %v, %v", found, err)
		}
		for _, r := range found {
			if !strings.Contains(r.Name, "东凤") {
				t.Errorf("search 东凤 found %s", r.Name)
			}
		}
		top, _, err := s.List(ctx, region.Filter{})
		if err != nil || len(top) != 1 || top[0].Code != "220000" {
			t.Errorf("the top level: %+v, %v", top, err)
		}
		village, _ := s.Get(ctx, "220523001200")
		anc, err := s.Ancestors(ctx, village)
		if err != nil || len(anc) != 4 || anc[0].Code != "220000" || anc[3].Code != "220523001" {
			t.Errorf("ancestors of 东凤村: %+v, %v", anc, err)
		}
		within, err := s.Within(ctx, jilin, region.LevelTownship)
		if err != nil || len(within) != 14 {
			t.Errorf("townships within Jilin: %d, %v", len(within), err)
		}

		// Locations: an unknown code is reported by its line, and nothing changes.
		locs, err := region.ParseLocations("loc.csv", []byte("code,lat,lon,population,area\n220523001200,42.7,126.1,1800,mountain\n220524001001,42,126,,\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := regiontest.SetLocations(ctx, db, locs); !hasField(err, "loc.csv:3:code") {
			t.Errorf("an unknown code: %v", fieldsOf(err))
		}
		if v, _ := s.Get(ctx, "220523001200"); v.Located() {
			t.Error("a failed import changed a region")
		}
		n, err := regiontest.SetLocations(ctx, db, locs[:1])
		if err != nil || n != 1 {
			t.Fatalf("SetLocations = %d, %v", n, err)
		}
		v, _ := s.Get(ctx, "220523001200")
		if !v.Located() || *v.Lat != 42.7 || *v.Lon != 126.1 || *v.Population != 1800 || v.Area != "mountain" || v.LocationGenerated {
			t.Errorf("after import: %+v", v)
		}
		// Loading the divisions again keeps what was imported.
		if err := regiontest.Load(ctx, db, rs); err != nil {
			t.Fatal(err)
		}
		if v, _ := s.Get(ctx, "220523001200"); !v.Located() || *v.Population != 1800 || v.Area != "mountain" {
			t.Errorf("a reload lost the location: %+v", v)
		}
	})
}
