package coverage

import (
	"math"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/region"
)

// The expected values are worked out by hand from the geometry: arcs of a
// great circle are R × angle, with R = 6371.0088 km.
func TestDistanceKm(t *testing.T) {
	const r = 6371.0088
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 43.88, 125.32, 43.88, 125.32, 0},
		{"one degree along the equator", 0, 0, 0, 1, r * math.Pi / 180},      // 111.195 km
		{"one degree along a meridian", 43, 125, 44, 125, r * math.Pi / 180}, // meridians are great circles
		{"quarter of the equator", 0, 0, 0, 90, r * math.Pi / 2},             // 10,007.5 km
		{"equator to the pole", 0, 37, 90, 0, r * math.Pi / 2},
		{"antipodes", 0, 0, 0, 180, r * math.Pi},
		{"across the antimeridian", 0, 179.5, 0, -179.5, r * math.Pi / 180},
		// On the 60th parallel two points 90° of longitude apart: the central
		// angle θ has cos θ = sin²60° + cos²60° cos 90° = 3/4.
		{"sixtieth parallel", 60, 0, 60, 90, r * math.Acos(0.75)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DistanceKm(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(got-tt.want) > 1e-6 {
				t.Errorf("DistanceKm = %.6f, want %.6f", got, tt.want)
			}
			if back := DistanceKm(tt.lat2, tt.lon2, tt.lat1, tt.lon1); math.Abs(back-got) > 1e-9 {
				t.Errorf("not symmetric: %.9f and %.9f", got, back)
			}
		})
	}
}

func TestModelMinutes(t *testing.T) {
	m := DefaultModel() // detour 1.3; urban 20, rural 40, mountain 25 km/h
	tests := []struct {
		name string
		km   float64
		area string
		want float64
	}{
		{"rural 10 km", 10, region.AreaRural, 19.5},              // 10 × 1.3 = 13 km at 40 km/h = 0.325 h
		{"urban 10 km", 10, region.AreaUrban, 39},                // 13 km at 20 km/h
		{"mountain 10 km", 10, region.AreaMountain, 31.2},        // 13 km at 25 km/h
		{"unknown area is rural", 10, "desert", 19.5},            //
		{"nothing to travel", 0, region.AreaRural, 0},            //
		{"a degree of the equator", 111.19508, "rural", 216.830}, // 144.5536 km at 40 km/h
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.Minutes(tt.km, tt.area); math.Abs(got-tt.want) > 1e-3 {
				t.Errorf("Minutes(%g, %s) = %.4f, want %.4f", tt.km, tt.area, got, tt.want)
			}
		})
	}
	// 15 minutes reach 7.6923 km (= 10 km × 15/19.5) from a rural place.
	if got := m.ReachKm(15, region.AreaRural); math.Abs(got-150.0/19.5) > 1e-9 {
		t.Errorf("ReachKm(15, rural) = %.6f, want %.6f", got, 150.0/19.5)
	}
	custom := Model{Detour: 1.5, Speeds: map[string]float64{region.AreaRural: 60}}.withDefaults()
	if got := custom.Minutes(10, region.AreaRural); math.Abs(got-15) > 1e-9 { // 15 km at 60 km/h
		t.Errorf("custom model: %.4f minutes, want 15", got)
	}
	if got := custom.Minutes(10, region.AreaUrban); math.Abs(got-45) > 1e-9 { // the default urban 20 km/h is kept
		t.Errorf("custom model keeps the default urban speed: %.4f minutes, want 45", got)
	}
}

func TestModelValidate(t *testing.T) {
	tests := []struct {
		name  string
		m     Model
		field string
	}{
		{"detour below 1", Model{Detour: 0.9}, "detour"},
		{"zero speed", Model{Speeds: map[string]float64{region.AreaRural: -1}}, "speed_rural"},
		{"unknown area", Model{Speeds: map[string]float64{"sea": 10}}, "speed_sea"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m.withDefaults()
			if tt.m.Detour != 0 {
				m.Detour = tt.m.Detour
			}
			err := m.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			if !hasField(err, tt.field) {
				t.Errorf("error %v does not name %s", err, tt.field)
			}
		})
	}
	if err := DefaultModel().Validate(); err != nil {
		t.Errorf("the default model is invalid: %v", err)
	}
}

// A place on the equator 0.1° from the only site: 11.1195 km, 21.683 minutes rural.
func TestTravelStraightLine(t *testing.T) {
	const km = 6371.0088 * math.Pi / 1800
	places := []Place{
		{Code: "A", Level: 6, Lat: 0, Lon: 0, Located: true, Area: region.AreaRural},
		{Code: "B", Level: 6, Lat: 0, Lon: 0.32, Located: true, Area: region.AreaUrban},
		{Code: "C", Level: 6}, // no location
	}
	sites := []Site{{Code: "P", Lat: 0, Lon: 0.1}, {Code: "Q", Lat: 0, Lon: 0.5}}
	trips := Travel(places, sites, DefaultModel(), nil)
	want := []Trip{
		{Minutes: km * 1.3 / 40 * 60, Site: 0, DistanceKm: km},
		{Minutes: 1.8 * km * 1.3 / 20 * 60, Site: 1, DistanceKm: 1.8 * km}, // Q is 0.18° away, P 0.22°
		{Minutes: math.Inf(1), Site: -1},
	}
	for i, w := range want {
		g := trips[i]
		if g.Site != w.Site || math.Abs(g.Minutes-w.Minutes) > 1e-6 && !math.IsInf(w.Minutes, 1) || math.IsInf(w.Minutes, 1) != math.IsInf(g.Minutes, 1) ||
			math.Abs(g.DistanceKm-w.DistanceKm) > 1e-6 {
			t.Errorf("place %s: trip %+v, want %+v", places[i].Code, g, w)
		}
	}
}

// hasField reports whether err is an application error naming field.
func hasField(err error, field string) bool {
	for _, f := range apperr.As(err).Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
