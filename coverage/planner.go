package coverage

import (
	"container/heap"
	"slices"
)

// PlanInput is what the planner works on.
type PlanInput struct {
	Places  []Place
	Trips   []Trip // each place's trip to the nearest existing site
	Minutes float64
	Model   Model
	// Targets: level → share of that level's places to cover (0..1).
	Targets map[int]float64
	// Candidates are indices into Places where a new point may stand.
	Candidates []int
	MaxPoints  int // 0: no limit
}

// PlanStep is one proposed point and what it changes.
type PlanStep struct {
	Place        int         // index into Places
	NewlyCovered map[int]int // level → places newly within the threshold
	Covered      map[int]int // level → places covered after this step
}

// PlanResult is the greedy plan.
type PlanResult struct {
	Totals  map[int]int // level → places
	Before  map[int]int // level → covered before any new point
	Steps   []PlanStep
	Reached bool // every target is met
}

// Greedy proposes new points until every target is met: each step takes the
// candidate that brings the most coverage still needed, counting a place of
// a level as 1/total of that level while the level is short of its target
// and as nothing once it is met. Finding the fewest points is a set-cover
// problem; the greedy choice is the classic approximation (within a factor
// ln n of the optimum) and is exact on well-separated clusters.
//
// Gains only shrink as places get covered and levels reach their targets, so
// a candidate's stale gain is an upper bound: candidates sit in a heap by
// their last gain and are re-evaluated only when they reach the top.
func Greedy(in PlanInput) PlanResult {
	m := in.Model.withDefaults()
	res := PlanResult{Totals: map[int]int{}, Before: map[int]int{}}
	isCovered := make([]bool, len(in.Places))
	for i, p := range in.Places {
		res.Totals[p.Level]++
		if covered(in.Trips[i], in.Minutes) {
			isCovered[i] = true
			res.Before[p.Level]++
		}
	}
	current := map[int]int{}
	for l, n := range res.Before {
		current[l] = n
	}
	short := func(level int) bool {
		target, ok := in.Targets[level]
		return ok && current[level] < needed(target, res.Totals[level])
	}
	allMet := func() bool {
		for l := range in.Targets {
			if short(l) {
				return false
			}
		}
		return true
	}
	if allMet() {
		res.Reached = true
		return res
	}

	// The places still to cover, indexed, and what each candidate would reach.
	var open []int
	for i, p := range in.Places {
		if !isCovered[i] && p.Located {
			open = append(open, i)
		}
	}
	lat, lon := make([]float64, len(open)), make([]float64, len(open))
	for k, i := range open {
		lat[k], lon[k] = in.Places[i].Lat, in.Places[i].Lon
	}
	ix := NewIndex(lat, lon, 5)
	farthest := in.Minutes / 60 * m.maxSpeed() / m.Detour
	reach := make([][]int32, len(in.Candidates))
	for k, c := range in.Candidates {
		cp := in.Places[c]
		if !cp.Located {
			continue
		}
		ix.Within(cp.Lat, cp.Lon, farthest, func(j int, d float64) {
			if p := in.Places[open[j]]; m.Minutes(d, p.Area) <= in.Minutes+1e-9 {
				reach[k] = append(reach[k], int32(open[j]))
			}
		})
	}
	// gain is the coverage still needed that candidate k brings, and how
	// many places it would newly cover in all (the tie-break).
	gain := func(k int) (float64, int) {
		g, n := 0.0, 0
		for _, i := range reach[k] {
			if isCovered[i] {
				continue
			}
			n++
			if short(in.Places[i].Level) {
				g += 1 / float64(res.Totals[in.Places[i].Level])
			}
		}
		return g, n
	}
	h := &candidateHeap{}
	for k := range in.Candidates {
		if g, n := gain(k); g > 0 {
			h.items = append(h.items, candidate{k: k, gain: g, count: n})
		}
	}
	heap.Init(h)
	for h.Len() > 0 && (in.MaxPoints <= 0 || len(res.Steps) < in.MaxPoints) {
		top := heap.Pop(h).(candidate)
		g, n := gain(top.k)
		if g <= 0 {
			continue
		}
		if h.Len() > 0 && better(h.items[0], candidate{k: top.k, gain: g, count: n}) {
			heap.Push(h, candidate{k: top.k, gain: g, count: n})
			continue
		}
		step := PlanStep{Place: in.Candidates[top.k], NewlyCovered: map[int]int{}, Covered: map[int]int{}}
		for _, i := range reach[top.k] {
			if !isCovered[i] {
				isCovered[i] = true
				step.NewlyCovered[in.Places[i].Level]++
				current[in.Places[i].Level]++
			}
		}
		for l, c := range current {
			step.Covered[l] = c
		}
		res.Steps = append(res.Steps, step)
		if allMet() {
			res.Reached = true
			break
		}
	}
	return res
}

type candidate struct {
	k     int
	gain  float64
	count int
}

// better orders candidates: more needed coverage, then more places covered
// in all, then the earlier candidate (so that plans are the same on every run).
func better(a, b candidate) bool {
	if a.gain != b.gain {
		return a.gain > b.gain
	}
	if a.count != b.count {
		return a.count > b.count
	}
	return a.k < b.k
}

type candidateHeap struct{ items []candidate }

func (h *candidateHeap) Len() int           { return len(h.items) }
func (h *candidateHeap) Less(i, j int) bool { return better(h.items[i], h.items[j]) }
func (h *candidateHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *candidateHeap) Push(x any)         { h.items = append(h.items, x.(candidate)) }
func (h *candidateHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}

// sortedLevels lists the keys of a level map in order.
func sortedLevels[V any](m map[int]V) []int {
	var out []int
	for l := range m {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}
