package coverage

import (
	"math"
	"testing"

	"github.com/onewindow/onewindow/region"
)

// kmDeg is one degree of a great circle; short distances near the equator
// are worked out in the plane, which is exact to a few metres at this scale.
const kmDeg = 6371.0088 * math.Pi / 180

// smallGraph: A(0,0) – B(0,0.1) – C(0,0.2) along the equator at 20 km/h,
// and A – D(0.1,0.1) – C at 100 km/h.
func smallGraph() *RoadGraph {
	return NewRoadGraph([]RoadLine{
		{Points: [][2]float64{{0, 0}, {0, 0.1}, {0, 0.2}}, SpeedKmh: 20},
		{Points: [][2]float64{{0, 0}, {0.1, 0.1}, {0, 0.2}}, SpeedKmh: 100},
	}, 40)
}

func TestRoadGraphShortestPath(t *testing.T) {
	g := smallGraph()
	if g.Nodes() != 4 {
		t.Fatalf("%d vertices, want 4 (A and C are shared)", g.Nodes())
	}
	// A is vertex 0, B 1, C 2, D 3 (in order of first appearance).
	slow := 0.2 * kmDeg / 20 * 60                   // A–B–C: 22.24 km at 20 km/h = 66.72 min
	fast := 2 * math.Sqrt2 * 0.1 * kmDeg / 100 * 60 // A–D–C: 31.45 km at 100 km/h = 18.87 min
	dist, from := g.ShortestMinutes([]RoadSource{{Node: 0, Minutes: 2, Site: 7}})
	tests := []struct {
		name string
		node int
		want float64
	}{
		{"A, the source", 0, 2},
		{"B, on the slow road", 1, 2 + 0.1*kmDeg/20*60},
		{"C, by the fast road", 2, 2 + math.Min(slow, fast)},
		{"D", 3, 2 + fast/2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if math.Abs(dist[tt.node]-tt.want) > 0.01 {
				t.Errorf("minutes to vertex %d = %.3f, want %.3f", tt.node, dist[tt.node], tt.want)
			}
			if from[tt.node] != 7 {
				t.Errorf("vertex %d reached from site %d, want 7", tt.node, from[tt.node])
			}
		})
	}
	// Two sources: B is nearer to a source at C with a head start.
	dist, from = g.ShortestMinutes([]RoadSource{{Node: 0, Minutes: 30, Site: 0}, {Node: 2, Minutes: 0, Site: 1}})
	if from[1] != 1 || math.Abs(dist[1]-0.1*kmDeg/20*60) > 0.01 {
		t.Errorf("B: %.3f minutes from site %d, want %.3f from site 1", dist[1], from[1], 0.1*kmDeg/20*60)
	}
	// A vertex no road reaches.
	lone := NewRoadGraph([]RoadLine{{Points: [][2]float64{{0, 0}, {0, 0.1}}}, {Points: [][2]float64{{1, 1}, {1, 1.1}}}}, 40)
	dist, from = lone.ShortestMinutes([]RoadSource{{Node: 0, Site: 0}})
	if !math.IsInf(dist[2], 1) || from[2] != -1 {
		t.Errorf("an unconnected vertex: %.3f from %d, want +Inf from -1", dist[2], from[2])
	}
	// A road without its own speed runs at the model's road speed (40 km/h).
	if math.Abs(dist[1]-0.1*kmDeg/40*60) > 0.01 {
		t.Errorf("default road speed: %.3f minutes, want %.3f", dist[1], 0.1*kmDeg/40*60)
	}
}

// A village 0.01° north of A and a point 0.01° north of C: 22 km apart, so
// the trip goes by road: 1.112 km to A at the rural estimate, the fast road to
// C, and 1.112 km to the point.
func TestTravelByRoad(t *testing.T) {
	g := smallGraph()
	leg := 0.01 * kmDeg * 1.3 / 40 * 60 // 2.168 min
	fast := 2 * math.Sqrt2 * 0.1 * kmDeg / 100 * 60
	places := []Place{
		{Code: "V", Level: 6, Lat: 0.01, Lon: 0, Located: true, Area: region.AreaRural},
		// Off the road network (5.5 km from any vertex): the straight-line estimate.
		{Code: "W", Level: 6, Lat: -0.05, Lon: 0.2, Located: true, Area: region.AreaRural},
		// 2.2 km from the point: a short trip needs no road.
		{Code: "X", Level: 6, Lat: 0.01, Lon: 0.22, Located: true, Area: region.AreaRural},
	}
	sites := []Site{{Code: "P", Lat: 0.01, Lon: 0.2, Area: region.AreaRural}}
	trips := Travel(places, sites, DefaultModel(), g)
	if tr := trips[0]; !tr.ByRoad || tr.Site != 0 || math.Abs(tr.Minutes-(leg+fast+leg)) > 0.02 {
		t.Errorf("V: %+v, want %.2f minutes by road", tr, leg+fast+leg)
	}
	if tr, want := trips[1], 0.06*kmDeg*1.3/40*60; tr.ByRoad || math.Abs(tr.Minutes-want) > 0.02 {
		t.Errorf("W: %+v, want %.2f minutes by the estimate", tr, want)
	}
	if tr, want := trips[2], 0.02*kmDeg*1.3/40*60; tr.ByRoad || math.Abs(tr.Minutes-want) > 0.02 {
		t.Errorf("X: %+v, want %.2f minutes by the estimate", tr, want)
	}
}

func TestParseRoadsErrors(t *testing.T) {
	tests := []struct {
		name, doc, field string
	}{
		{"not GeoJSON", `{"type":"Feature"}`, "roads.geojson:type"},
		{"a point", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[125,43],[125.1,43]]},"properties":{}},
			{"type":"Feature","geometry":{"type":"Point","coordinates":[125,43]},"properties":{}}]}`, "roads.geojson:features[1]:geometry"},
		{"bad speed", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[125,43],[125.1,43]]},"properties":{"speed_kmh":"fast"}}]}`,
			"roads.geojson:features[0]:properties.speed_kmh"},
		{"latitude out of range", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[125,95],[125.1,43]]},"properties":{}}]}`,
			"roads.geojson:features[0]:geometry"},
		{"no roads", `{"type":"FeatureCollection","features":[]}`, "roads.geojson"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRoads("roads.geojson", []byte(tt.doc))
			if !hasField(err, tt.field) {
				t.Errorf("error %v does not name %s", err, tt.field)
			}
		})
	}
	lines, err := ParseRoads("roads.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature",
		"geometry":{"type":"MultiLineString","coordinates":[[[125,43],[125.1,43]],[[125.1,43],[125.1,43.1]]]},"properties":{"maxspeed":60}}]}`))
	if err != nil || len(lines) != 2 || lines[0].SpeedKmh != 60 || lines[1].Points[1] != [2]float64{43.1, 125.1} {
		t.Errorf("MultiLineString: %+v, %v; want two lines at 60 km/h as [lat, lon]", lines, err)
	}
}
