package coverage

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteNearest is the reference: compare every point.
func bruteNearest(lat, lon []float64, qlat, qlon float64) (int, float64) {
	best, bestKm := -1, math.Inf(1)
	for i := range lat {
		if d := DistanceKm(qlat, qlon, lat[i], lon[i]); d < bestKm {
			best, bestKm = i, d
		}
	}
	return best, bestKm
}

// pointSets are the shapes of data the property test draws from.
var pointSets = []struct {
	name string
	gen  func(r *rand.Rand, n int) ([]float64, []float64)
}{
	{"uniform over Jilin", func(r *rand.Rand, n int) ([]float64, []float64) {
		lat, lon := make([]float64, n), make([]float64, n)
		for i := range lat {
			lat[i], lon[i] = 40.8+5.5*r.Float64(), 121.6+9.5*r.Float64()
		}
		return lat, lon
	}},
	{"clusters", func(r *rand.Rand, n int) ([]float64, []float64) {
		lat, lon := make([]float64, n), make([]float64, n)
		centres := 1 + r.IntN(6)
		for i := range lat {
			c := i % centres
			lat[i] = 42 + float64(c)*0.7 + r.NormFloat64()*0.05
			lon[i] = 125 + float64(c)*0.9 + r.NormFloat64()*0.05
		}
		return lat, lon
	}},
	{"duplicates", func(r *rand.Rand, n int) ([]float64, []float64) {
		lat, lon := make([]float64, n), make([]float64, n)
		for i := range lat {
			lat[i], lon[i] = 43+float64(r.IntN(3))*0.01, 125+float64(r.IntN(3))*0.01
		}
		return lat, lon
	}},
	{"a long thin line", func(r *rand.Rand, n int) ([]float64, []float64) {
		lat, lon := make([]float64, n), make([]float64, n)
		for i := range lat {
			lat[i], lon[i] = 44+r.Float64()*0.001, 100+r.Float64()*40
		}
		return lat, lon
	}},
	{"high latitudes", func(r *rand.Rand, n int) ([]float64, []float64) {
		lat, lon := make([]float64, n), make([]float64, n)
		for i := range lat {
			lat[i], lon[i] = 70+15*r.Float64(), -30+60*r.Float64()
		}
		return lat, lon
	}},
}

// The grid's nearest point is as near as the brute-force one for random
// data and random queries, inside and far outside the data's box; Within
// finds exactly the points the brute force finds.
func TestIndexMatchesBruteForce(t *testing.T) {
	for _, set := range pointSets {
		t.Run(set.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(set.name))))
			for round := 0; round < 25; round++ {
				n := 1 + r.IntN(300)
				lat, lon := set.gen(r, n)
				cell := []float64{0.5, 2, 5, 20, 200}[r.IntN(5)]
				ix := NewIndex(lat, lon, cell)
				for q := 0; q < 60; q++ {
					var qlat, qlon float64
					switch q % 3 {
					case 0: // near a point
						k := r.IntN(n)
						qlat, qlon = lat[k]+r.NormFloat64()*0.02, lon[k]+r.NormFloat64()*0.02
					case 1: // anywhere around the data
						qlat, qlon = lat[r.IntN(n)]+r.Float64()*6-3, lon[r.IntN(n)]+r.Float64()*8-4
					default: // far away
						qlat, qlon = r.Float64()*120-60, r.Float64()*300-150
					}
					got, gotKm := ix.Nearest(qlat, qlon)
					want, wantKm := bruteNearest(lat, lon, qlat, qlon)
					if got < 0 || math.Abs(gotKm-wantKm) > 1e-9 || math.Abs(DistanceKm(qlat, qlon, lat[got], lon[got])-gotKm) > 1e-9 {
						t.Fatalf("n=%d cell=%g query (%.5f, %.5f): got %d at %.6f km, brute force %d at %.6f km", n, cell, qlat, qlon, got, gotKm, want, wantKm)
					}
					radius := []float64{0, 1, 7.7, 40, 500}[r.IntN(5)]
					var found []int
					ix.Within(qlat, qlon, radius, func(i int, d float64) { found = append(found, i) })
					var expect []int
					for i := range lat {
						if DistanceKm(qlat, qlon, lat[i], lon[i]) <= radius {
							expect = append(expect, i)
						}
					}
					slices.Sort(found)
					if !slices.Equal(found, expect) {
						t.Fatalf("Within(%.5f, %.5f, %g km) found %d points, brute force %d", qlat, qlon, radius, len(found), len(expect))
					}
				}
			}
		})
	}
}

func TestIndexEmpty(t *testing.T) {
	ix := NewIndex(nil, nil, 5)
	if i, d := ix.Nearest(43, 125); i != -1 || !math.IsInf(d, 1) {
		t.Errorf("empty index: Nearest = %d, %g; want -1, +Inf", i, d)
	}
	called := false
	ix.Within(43, 125, 100, func(int, float64) { called = true })
	if called {
		t.Error("empty index: Within found a point")
	}
}
