package coverage

import (
	"math"
	"slices"

	"github.com/onewindow/onewindow/catalog"
)

// MeasuredLevels are the levels whose places coverage counts: townships (at
// their seat) and villages.
var MeasuredLevels = []int{catalog.LevelTownship, catalog.LevelVillage}

// LevelStats is the coverage of one level of places.
type LevelStats struct {
	Level   int     `json:"level"`
	Name    string  `json:"name"`
	NameEN  string  `json:"name_en"`
	Total   int     `json:"total"`
	Located int     `json:"located"` // places with coordinates; the others count as not covered
	Covered int     `json:"covered"`
	Rate    float64 `json:"rate"`
	// Population-weighted, over the places whose population is known.
	PopulationKnown   int      `json:"population_known"`
	Population        int64    `json:"population,omitempty"`
	PopulationCovered int64    `json:"population_covered,omitempty"`
	PopulationRate    *float64 `json:"population_rate,omitempty"`
	// The stored target for this service, level and threshold, if any.
	Target      *float64 `json:"target,omitempty"`
	MeetsTarget *bool    `json:"meets_target,omitempty"`
	Shortfall   int      `json:"shortfall,omitempty"` // more places to cover to reach the target
}

// covered reports whether a trip is within the threshold (with a hair of
// tolerance, so that a place exactly on the circle counts).
func covered(t Trip, minutes float64) bool { return t.Minutes <= minutes+1e-9 }

// Tally counts coverage per measured level over the places for which
// include is true (all when include is nil).
func Tally(places []Place, trips []Trip, minutes float64, include func(i int) bool) []LevelStats {
	out := make([]LevelStats, len(MeasuredLevels))
	at := map[int]*LevelStats{}
	for i, l := range MeasuredLevels {
		names := catalog.LevelNames[l]
		out[i] = LevelStats{Level: l, Name: names[0], NameEN: names[1]}
		at[l] = &out[i]
	}
	for i, p := range places {
		st := at[p.Level]
		if st == nil || include != nil && !include(i) {
			continue
		}
		st.Total++
		if p.Located {
			st.Located++
		}
		c := covered(trips[i], minutes)
		if c {
			st.Covered++
		}
		if p.HasPopulation {
			st.PopulationKnown++
			st.Population += p.Population
			if c {
				st.PopulationCovered += p.Population
			}
		}
	}
	for i := range out {
		st := &out[i]
		if st.Total > 0 {
			st.Rate = float64(st.Covered) / float64(st.Total)
		}
		if st.Population > 0 {
			r := float64(st.PopulationCovered) / float64(st.Population)
			st.PopulationRate = &r
		}
	}
	return out
}

// applyTarget sets the target fields of st.
func (st *LevelStats) applyTarget(rate float64) {
	st.Target = &rate
	meets := st.Rate >= rate-1e-12
	st.MeetsTarget = &meets
	st.Shortfall = max(0, needed(rate, st.Total)-st.Covered)
}

// needed is how many of total places a rate asks for.
func needed(rate float64, total int) int {
	return int(math.Ceil(rate*float64(total) - 1e-9))
}

// GapOrder returns the indices of the places not covered, farthest first;
// places without a location (distance unknown) come last, by code.
func GapOrder(places []Place, trips []Trip, minutes float64, include func(i int) bool) []int {
	var gaps []int
	for i := range places {
		if (include == nil || include(i)) && !covered(trips[i], minutes) && slices.Contains(MeasuredLevels, places[i].Level) {
			gaps = append(gaps, i)
		}
	}
	slices.SortFunc(gaps, func(a, b int) int {
		la, lb := places[a].Located, places[b].Located
		if la != lb {
			if la {
				return -1
			}
			return 1
		}
		ta, tb := trips[a].Minutes, trips[b].Minutes
		if ta != tb {
			if ta > tb {
				return -1
			}
			return 1
		}
		if places[a].Code < places[b].Code {
			return -1
		}
		if places[a].Code > places[b].Code {
			return 1
		}
		return 0
	})
	return gaps
}
