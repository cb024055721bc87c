package coverage

import (
	"fmt"
	"math"
	"testing"

	"github.com/onewindow/onewindow/region"
)

// syntheticCounty: three townships far apart on the equator (0°, 0.5°, 0.9°
// of longitude: 55 km and 100 km from the first), each with its villages
// within 0.02° (2.2 km) of the seat. With the default model 15 minutes reach
// 7.7 km from a rural place, so a point at a seat covers exactly its own
// township and villages, and nothing of the others.
func syntheticCounty(villages [3]int) []Place {
	var places []Place
	for t, lon := range []float64{0, 0.5, 0.9} {
		tcode := fmt.Sprintf("22999900%d", t+1)
		places = append(places, Place{Code: tcode, Name: "T" + fmt.Sprint(t+1), Level: region.LevelTownship, Lat: 0, Lon: lon,
			Located: true, Area: region.AreaRural, Population: 0, HasPopulation: false})
		for v := 0; v < villages[t]; v++ {
			a := 2 * math.Pi * float64(v) / float64(villages[t])
			places = append(places, Place{Code: fmt.Sprintf("%s%03d", tcode, 200+v), Level: region.LevelVillage, Parent: tcode,
				Lat: 0.02 * math.Sin(a), Lon: lon + 0.02*math.Cos(a), Located: true, Area: region.AreaRural,
				Population: int64(1000 * (t + 1)), HasPopulation: true})
		}
	}
	return places
}

func TestTallyOnSyntheticCounty(t *testing.T) {
	places := syntheticCounty([3]int{4, 6, 10})
	// The only point stands at the first township's seat.
	trips := Travel(places, []Site{{Code: "P1", Lat: 0, Lon: 0}}, DefaultModel(), nil)
	levels := Tally(places, trips, 15, nil)
	town, village := levels[0], levels[1]
	if town.Total != 3 || town.Covered != 1 || math.Abs(town.Rate-1.0/3) > 1e-12 {
		t.Errorf("townships: %+v, want 1 of 3 covered", town)
	}
	if village.Total != 20 || village.Covered != 4 || math.Abs(village.Rate-0.2) > 1e-12 {
		t.Errorf("villages: %+v, want 4 of 20 covered", village)
	}
	// Population: 4 × 1000 covered of 4×1000 + 6×2000 + 10×3000 = 46,000.
	if village.PopulationKnown != 20 || village.Population != 46000 || village.PopulationCovered != 4000 ||
		village.PopulationRate == nil || math.Abs(*village.PopulationRate-4000.0/46000) > 1e-12 {
		t.Errorf("villages by population: %+v, want 4,000 of 46,000", village)
	}
	if town.PopulationRate != nil {
		t.Errorf("townships have no population, yet a rate %v", *town.PopulationRate)
	}
	village.applyTarget(0.8)
	if village.MeetsTarget == nil || *village.MeetsTarget || village.Shortfall != 12 { // 80% of 20 = 16, 4 covered
		t.Errorf("against 80%%: %+v, want 12 short", village)
	}
	// The gaps, farthest first: the third township's cluster (about 100 km)
	// before the second's (about 55 km).
	gaps := GapOrder(places, trips, 15, nil)
	if len(gaps) != 18 {
		t.Fatalf("%d gaps, want 18", len(gaps))
	}
	for i := 1; i < len(gaps); i++ {
		if trips[gaps[i-1]].Minutes < trips[gaps[i]].Minutes {
			t.Errorf("gap %d (%.1f min) before a farther one (%.1f min)", i-1, trips[gaps[i-1]].Minutes, trips[gaps[i]].Minutes)
		}
	}
	if first := places[gaps[0]]; first.Lon < 0.85 {
		t.Errorf("the farthest gap is %s at %.2f°, want one of the third cluster", first.Code, first.Lon)
	}
}

func TestGreedyPlanOnSyntheticCounty(t *testing.T) {
	places := syntheticCounty([3]int{4, 6, 10})
	trips := Travel(places, []Site{{Code: "P1", Lat: 0, Lon: 0}}, DefaultModel(), nil)
	var candidates []int
	for i := range places {
		candidates = append(candidates, i)
	}
	cluster := func(p Place) int { return int(math.Round(p.Lon / 0.45)) } // 0, 1 or 2
	tests := []struct {
		name     string
		targets  map[int]float64
		max      int
		clusters []int // the clusters of the proposed points, in order
		reached  bool
		after    map[int]int // covered per level after the last point
	}{
		// Every township needs a point in each far cluster: two points, the
		// one that also covers more villages first.
		{"all townships", map[int]float64{5: 1}, 0, []int{2, 1}, true, map[int]int{5: 3, 6: 20}},
		// Half the villages: the cluster of ten alone brings them from 4 to 14 of 20.
		{"half the villages", map[int]float64{6: 0.5}, 0, []int{2}, true, map[int]int{5: 2, 6: 14}},
		// Both targets of the report: two points.
		{"townships 100%, villages 80%", map[int]float64{5: 1, 6: 0.8}, 0, []int{2, 1}, true, map[int]int{5: 3, 6: 20}},
		// Already met: nothing to add.
		{"already met", map[int]float64{5: 0.3}, 0, nil, true, nil},
		// A cap of one point cannot reach every township.
		{"capped", map[int]float64{5: 1}, 1, []int{2}, false, map[int]int{5: 2, 6: 14}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Greedy(PlanInput{Places: places, Trips: trips, Minutes: 15, Targets: tt.targets, Candidates: candidates, MaxPoints: tt.max})
			if res.Reached != tt.reached {
				t.Errorf("reached = %v, want %v", res.Reached, tt.reached)
			}
			if len(res.Steps) != len(tt.clusters) {
				t.Fatalf("%d points proposed, want %d: %+v", len(res.Steps), len(tt.clusters), res.Steps)
			}
			for i, st := range res.Steps {
				if c := cluster(places[st.Place]); c != tt.clusters[i] {
					t.Errorf("point %d in cluster %d (%s), want cluster %d", i+1, c, places[st.Place].Code, tt.clusters[i])
				}
			}
			if len(res.Steps) > 0 {
				last := res.Steps[len(res.Steps)-1].Covered
				for l, want := range tt.after {
					if last[l] != want {
						t.Errorf("level %d: %d covered after the plan, want %d", l, last[l], want)
					}
				}
			}
			if res.Before[5] != 1 || res.Before[6] != 4 || res.Totals[5] != 3 || res.Totals[6] != 20 {
				t.Errorf("before: %v of %v, want 1 township and 4 villages of 3 and 20", res.Before, res.Totals)
			}
		})
	}
	// No candidate can help: the target is out of reach.
	res := Greedy(PlanInput{Places: places, Trips: trips, Minutes: 15, Targets: map[int]float64{5: 1}, Candidates: []int{0}})
	if res.Reached || len(res.Steps) != 0 {
		t.Errorf("with no useful candidate: %d steps, reached %v; want none, false", len(res.Steps), res.Reached)
	}
}
