package coverage

import (
	"math"
)

// Place is where people live and whose access is measured: a township (at
// its seat) or a village.
type Place struct {
	Code          string
	Name          string
	Level         int
	Parent        string // the code of the region one level up
	Lat, Lon      float64
	Located       bool
	Population    int64
	HasPopulation bool
	Area          string // urban, rural or mountain
}

// Site is a located service point that offers the service measured.
type Site struct {
	Code     string
	Name     string
	Lat, Lon float64
	Area     string // the area it stands in (the last leg of a road trip)
}

// Trip is the way from a place to its nearest site.
type Trip struct {
	Minutes    float64 // +Inf when the place has no location or nothing is reachable
	Site       int     // index into the sites; -1 when none
	DistanceKm float64 // straight line to that site
	ByRoad     bool    // the time was found along the imported roads
}

// Travel returns each place's trip to its nearest site. Without roads the
// nearest site by distance is the nearest in time (the speed depends only on
// where the trip starts). With roads, see travelByRoad.
func Travel(places []Place, sites []Site, m Model, roads *RoadGraph) []Trip {
	m = m.withDefaults()
	trips := make([]Trip, len(places))
	lat, lon := coords(sites)
	all := NewIndex(lat, lon, 5)
	for i := range places {
		trips[i] = Trip{Minutes: math.Inf(1), Site: -1}
	}
	if roads != nil && roads.Nodes() > 0 && len(sites) > 0 {
		travelByRoad(places, sites, m, roads, all, trips)
		return trips
	}
	for i, p := range places {
		if !p.Located {
			continue
		}
		if s, d := all.Nearest(p.Lat, p.Lon); s >= 0 {
			trips[i] = Trip{Minutes: m.Minutes(d, p.Area), Site: s, DistanceKm: d}
		}
	}
	return trips
}

// travelByRoad: a trip is a straight leg to the nearest road vertex, the
// shortest path along the roads, and a straight leg from the road to the
// site. Places or sites farther than MaxAccessKm from every road are off the
// network and reached by the straight-line estimate; so are sites within
// MaxAccessKm of the place (a short trip needs no main road).
func travelByRoad(places []Place, sites []Site, m Model, g *RoadGraph, all *Index, trips []Trip) {
	var sources []RoadSource
	var offLat, offLon []float64
	var offSite []int
	for s, site := range sites {
		n, d := g.index.Nearest(site.Lat, site.Lon)
		if n >= 0 && d <= m.MaxAccessKm {
			sources = append(sources, RoadSource{Node: n, Minutes: m.Minutes(d, site.Area), Site: s})
			continue
		}
		offLat, offLon, offSite = append(offLat, site.Lat), append(offLon, site.Lon), append(offSite, s)
	}
	dist, from := g.ShortestMinutes(sources)
	off := NewIndex(offLat, offLon, 5)
	for i, p := range places {
		if !p.Located {
			continue
		}
		best := Trip{Minutes: math.Inf(1), Site: -1}
		consider := func(minutes float64, site int, byRoad bool) {
			if site >= 0 && minutes < best.Minutes {
				best = Trip{Minutes: minutes, Site: site, ByRoad: byRoad,
					DistanceKm: DistanceKm(p.Lat, p.Lon, sites[site].Lat, sites[site].Lon)}
			}
		}
		near, nearKm := all.Nearest(p.Lat, p.Lon)
		n, access := g.index.Nearest(p.Lat, p.Lon)
		onRoads := n >= 0 && access <= m.MaxAccessKm
		if nearKm <= m.MaxAccessKm || !onRoads {
			consider(m.Minutes(nearKm, p.Area), near, false)
		}
		if onRoads && from[n] >= 0 {
			consider(m.Minutes(access, p.Area)+dist[n], int(from[n]), true)
		}
		if o, d := off.Nearest(p.Lat, p.Lon); o >= 0 {
			consider(m.Minutes(d, p.Area), offSite[o], false)
		}
		trips[i] = best
	}
}

func coords(sites []Site) ([]float64, []float64) {
	lat, lon := make([]float64, len(sites)), make([]float64, len(sites))
	for i, s := range sites {
		lat[i], lon[i] = s.Lat, s.Lon
	}
	return lat, lon
}
