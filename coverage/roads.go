package coverage

import (
	"container/heap"
	"fmt"
	"math"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/region"
)

// RoadLine is one imported road: its vertices as [lat, lon] and its speed.
type RoadLine struct {
	Points   [][2]float64
	SpeedKmh float64 // 0: the model's road speed
}

// ParseRoads reads a GeoJSON FeatureCollection of LineString or
// MultiLineString features; a feature's "speed_kmh" (or "maxspeed") property
// sets its speed. Roads meet where they share a vertex.
func ParseRoads(name string, data []byte) ([]RoadLine, error) {
	fc, err := region.ParseGeoJSON(name, data)
	if err != nil {
		return nil, err
	}
	var bad apperr.Fields
	var out []RoadLine
	for i, ft := range fc.Features {
		at := fmt.Sprintf("%s:features[%d]", name, i)
		if ft.Geometry == nil {
			bad.Add(at+":geometry", "required", apperr.M("缺少几何", "the feature has no geometry"))
			continue
		}
		lines, err := ft.Geometry.Lines()
		if err != nil {
			bad.Add(at+":geometry", "format", apperr.M("几何须为线（LineString 或 MultiLineString）："+err.Error(), err.Error()))
			continue
		}
		speed, ok, err := region.PropFloat(ft.Properties, "speed_kmh")
		if !ok && err == nil {
			speed, _, err = region.PropFloat(ft.Properties, "maxspeed")
		}
		if err != nil || speed < 0 || speed > 200 {
			bad.Add(at+":properties.speed_kmh", "range", apperr.M("速度须为0到200之间的数字（公里/小时）", "speed_kmh must be a number from 0 to 200"))
			continue
		}
		for _, l := range lines {
			out = append(out, RoadLine{Points: l, SpeedKmh: speed})
		}
	}
	if len(bad) > 0 {
		return nil, region.Capped(bad).Err()
	}
	if len(out) == 0 {
		return nil, apperr.Fields{apperr.Field(name, "empty", apperr.M("文件中没有道路", "the file holds no roads"))}.Err()
	}
	return out, nil
}

// RoadGraph is a road network as a graph: vertices are the roads' vertices
// (shared vertices join roads), edges carry travel minutes.
type RoadGraph struct {
	lat, lon []float64
	adj      [][]roadEdge
	index    *Index
}

type roadEdge struct {
	to      int32
	minutes float64
}

// NewRoadGraph builds the graph of lines; roadSpeed is used for lines without a speed.
func NewRoadGraph(lines []RoadLine, roadSpeed float64) *RoadGraph {
	g := &RoadGraph{}
	ids := map[[2]int64]int32{}
	node := func(p [2]float64) int32 {
		// Vertices closer than about 10 cm are one.
		key := [2]int64{int64(math.Round(p[0] * 1e6)), int64(math.Round(p[1] * 1e6))}
		if id, ok := ids[key]; ok {
			return id
		}
		id := int32(len(g.lat))
		ids[key] = id
		g.lat = append(g.lat, p[0])
		g.lon = append(g.lon, p[1])
		g.adj = append(g.adj, nil)
		return id
	}
	for _, l := range lines {
		speed := l.SpeedKmh
		if speed <= 0 {
			speed = roadSpeed
		}
		prev := node(l.Points[0])
		for _, p := range l.Points[1:] {
			cur := node(p)
			if cur == prev {
				continue
			}
			m := DistanceKm(g.lat[prev], g.lon[prev], g.lat[cur], g.lon[cur]) / speed * 60
			g.adj[prev] = append(g.adj[prev], roadEdge{to: cur, minutes: m})
			g.adj[cur] = append(g.adj[cur], roadEdge{to: prev, minutes: m})
			prev = cur
		}
	}
	g.index = NewIndex(g.lat, g.lon, 2)
	return g
}

// Nodes is the number of vertices.
func (g *RoadGraph) Nodes() int { return len(g.lat) }

// RoadSource starts a shortest-path search at a vertex with a cost already spent.
type RoadSource struct {
	Node    int
	Minutes float64
	Site    int // what the search reports as the origin of the paths it finds
}

// ShortestMinutes runs one search from all sources at once (Dijkstra) and
// returns, for every vertex, the least minutes and the site it comes from
// (-1 and +Inf where no road leads).
func (g *RoadGraph) ShortestMinutes(sources []RoadSource) ([]float64, []int32) {
	dist := make([]float64, len(g.lat))
	from := make([]int32, len(g.lat))
	for i := range dist {
		dist[i], from[i] = math.Inf(1), -1
	}
	h := &nodeHeap{}
	for _, s := range sources {
		if s.Minutes < dist[s.Node] {
			dist[s.Node], from[s.Node] = s.Minutes, int32(s.Site)
			heap.Push(h, nodeItem{node: int32(s.Node), minutes: s.Minutes})
		}
	}
	for h.Len() > 0 {
		it := heap.Pop(h).(nodeItem)
		if it.minutes > dist[it.node] {
			continue
		}
		for _, e := range g.adj[it.node] {
			if m := it.minutes + e.minutes; m < dist[e.to] {
				dist[e.to], from[e.to] = m, from[it.node]
				heap.Push(h, nodeItem{node: e.to, minutes: m})
			}
		}
	}
	return dist, from
}

type nodeItem struct {
	node    int32
	minutes float64
}

type nodeHeap []nodeItem

func (h nodeHeap) Len() int           { return len(h) }
func (h nodeHeap) Less(i, j int) bool { return h[i].minutes < h[j].minutes }
func (h nodeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x any)        { *h = append(*h, x.(nodeItem)) }
func (h *nodeHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}
