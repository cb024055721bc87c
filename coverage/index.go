package coverage

import (
	"math"
)

// Index answers "which point is nearest" and "which points are within d km"
// without comparing all pairs: the points are put in a grid of cells about
// cellKm wide, and a search looks at rings of cells around the query until no
// unseen cell can hold anything closer than what was found.
type Index struct {
	lat, lon   []float64
	lat0, lon0 float64 // south-west corner of cell (0, 0)
	dLat, dLon float64 // cell size in degrees
	rows, cols int
	start      []int32 // the points of cell c are ids[start[c]:start[c+1]]
	ids        []int32
}

const kmPerDegree = EarthRadiusKm * math.Pi / 180

// NewIndex indexes the points (lat[i], lon[i]). The slices are kept, not copied.
func NewIndex(lat, lon []float64, cellKm float64) *Index {
	ix := &Index{lat: lat, lon: lon}
	n := len(lat)
	if n == 0 {
		return ix
	}
	minLat, maxLat, minLon, maxLon := lat[0], lat[0], lon[0], lon[0]
	for i := 1; i < n; i++ {
		minLat, maxLat = math.Min(minLat, lat[i]), math.Max(maxLat, lat[i])
		minLon, maxLon = math.Min(minLon, lon[i]), math.Max(maxLon, lon[i])
	}
	if !(cellKm > 0) {
		cellKm = 5
	}
	cos := math.Max(0.1, math.Cos(rad((minLat+maxLat)/2)))
	ix.dLat = cellKm / kmPerDegree
	ix.dLon = cellKm / (kmPerDegree * cos)
	// Sparse points over a wide area would make a huge, empty grid: keep the
	// cells at a few per point.
	for {
		ix.rows = int((maxLat-minLat)/ix.dLat) + 1
		ix.cols = int((maxLon-minLon)/ix.dLon) + 1
		if ix.rows*ix.cols <= 4*n+64 {
			break
		}
		ix.dLat *= 1.5
		ix.dLon *= 1.5
	}
	ix.lat0, ix.lon0 = minLat, minLon
	counts := make([]int32, ix.rows*ix.cols+1)
	cellOf := make([]int32, n)
	for i := 0; i < n; i++ {
		r, c := ix.cell(lat[i], lon[i])
		cellOf[i] = int32(r*ix.cols + c)
		counts[cellOf[i]+1]++
	}
	for c := 1; c < len(counts); c++ {
		counts[c] += counts[c-1]
	}
	ix.start = counts
	ix.ids = make([]int32, n)
	fill := make([]int32, ix.rows*ix.cols)
	copy(fill, counts[:len(fill)])
	for i := 0; i < n; i++ {
		c := cellOf[i]
		ix.ids[fill[c]] = int32(i)
		fill[c]++
	}
	return ix
}

// Len is the number of indexed points.
func (ix *Index) Len() int { return len(ix.lat) }

// cell returns the (row, col) of a position, clamped into the grid.
func (ix *Index) cell(lat, lon float64) (int, int) {
	r := int(math.Floor((lat - ix.lat0) / ix.dLat))
	c := int(math.Floor((lon - ix.lon0) / ix.dLon))
	return min(max(r, 0), ix.rows-1), min(max(c, 0), ix.cols-1)
}

// rawCell returns the (row, col) of a position, possibly outside the grid.
func (ix *Index) rawCell(lat, lon float64) (int, int) {
	return int(math.Floor((lat - ix.lat0) / ix.dLat)), int(math.Floor((lon - ix.lon0) / ix.dLon))
}

func (ix *Index) visit(r, c int, lat, lon float64, best *int, bestKm *float64) {
	if r < 0 || r >= ix.rows || c < 0 || c >= ix.cols {
		return
	}
	cell := r*ix.cols + c
	for _, id := range ix.ids[ix.start[cell]:ix.start[cell+1]] {
		d := DistanceKm(lat, lon, ix.lat[id], ix.lon[id])
		if d < *bestKm || d == *bestKm && int(id) < *best {
			*best, *bestKm = int(id), d
		}
	}
}

// Nearest returns the index of the point nearest to (lat, lon) and its
// distance in km; -1 when the index is empty. Of equally near points the
// lowest index wins.
func (ix *Index) Nearest(lat, lon float64) (int, float64) {
	best, bestKm := -1, math.Inf(1)
	if len(ix.lat) == 0 {
		return best, bestKm
	}
	r0, c0 := ix.rawCell(lat, lon)
	// Rings smaller than the distance to the grid hold nothing: start at the first that reaches it.
	first := max(0, -r0, r0-(ix.rows-1), -c0, c0-(ix.cols-1))
	for ring := first; ; ring++ {
		top, bottom, left, right := r0+ring, r0-ring, c0-ring, c0+ring
		for r := max(bottom, 0); r <= min(top, ix.rows-1); r++ {
			if r == top || r == bottom {
				for c := max(left, 0); c <= min(right, ix.cols-1); c++ {
					ix.visit(r, c, lat, lon, &best, &bestKm)
				}
				continue
			}
			ix.visit(r, left, lat, lon, &best, &bestKm)
			if right != left {
				ix.visit(r, right, lat, lon, &best, &bestKm)
			}
		}
		bound, more := ix.outside(lat, lon, bottom, top, left, right)
		if !more || bestKm < bound {
			return best, bestKm
		}
	}
}

// outside returns a lower bound on the distance from (lat, lon) to any point
// in a cell outside rows bottom..top and columns left..right, and whether
// such cells exist at all.
func (ix *Index) outside(lat, lon float64, bottom, top, left, right int) (float64, bool) {
	bound, more := math.Inf(1), false
	if top < ix.rows-1 {
		more = true
		north := ix.lat0 + float64(top+1)*ix.dLat
		bound = math.Min(bound, math.Max(0, north-lat)*kmPerDegree)
	}
	if bottom > 0 {
		more = true
		south := ix.lat0 + float64(bottom)*ix.dLat
		bound = math.Min(bound, math.Max(0, lat-south)*kmPerDegree)
	}
	if right < ix.cols-1 {
		more = true
		east := ix.lon0 + float64(right+1)*ix.dLon
		bound = math.Min(bound, meridianKm(lat, east-lon))
	}
	if left > 0 {
		more = true
		west := ix.lon0 + float64(left)*ix.dLon
		bound = math.Min(bound, meridianKm(lat, lon-west))
	}
	return bound, more
}

// meridianKm is a lower bound on the distance from a point at latitude lat to
// any point at least dLon degrees of longitude away: the distance to the
// great circle of that meridian, or to the far side of the globe.
func meridianKm(lat, dLon float64) float64 {
	if dLon <= 0 {
		return 0
	}
	if dLon >= 90 {
		return 0
	}
	toMeridian := math.Asin(math.Sin(rad(dLon)) * math.Cos(rad(lat)))
	overPole := math.Pi/2 - math.Abs(rad(lat))
	return EarthRadiusKm * math.Min(toMeridian, overPole)
}

// Within calls fn for every point within km of (lat, lon), with its distance.
func (ix *Index) Within(lat, lon, km float64, fn func(i int, d float64)) {
	if len(ix.lat) == 0 || km < 0 {
		return
	}
	dφ := km / kmPerDegree
	dλ := 180.0
	if s, c := math.Sin(km/EarthRadiusKm), math.Cos(rad(lat)); c > s && km/EarthRadiusKm < math.Pi/2 {
		dλ = math.Asin(s/c) * 180 / math.Pi
	}
	rLo, cLo := ix.rawCell(lat-dφ, lon-dλ)
	rHi, cHi := ix.rawCell(lat+dφ, lon+dλ)
	for r := max(rLo, 0); r <= min(rHi, ix.rows-1); r++ {
		for c := max(cLo, 0); c <= min(cHi, ix.cols-1); c++ {
			cell := r*ix.cols + c
			for _, id := range ix.ids[ix.start[cell]:ix.start[cell+1]] {
				if d := DistanceKm(lat, lon, ix.lat[id], ix.lon[id]); d <= km {
					fn(int(id), d)
				}
			}
		}
	}
}
