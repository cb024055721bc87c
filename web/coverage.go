package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/region"
)

// The coverage page: for a service and a threshold, how many townships and
// villages are within reach of a point offering it, against the targets,
// with an offline map drawn as SVG from the places' coordinates (no tiles,
// so it works inside a government network without internet access).

// mapWidth and mapHeight are the drawing's own units; the SVG scales to the page.
const (
	mapWidth  = 1000.0
	mapHeight = 700.0
	mapMargin = 10.0
)

// mapDot is one place or point on the map.
type mapDot struct {
	X, Y  float64
	Class string // covered | near | far | point
	Title string
}

type coverageData struct {
	Services []coverage.ServiceInfo
	Service  string
	Minutes  string
	Region   string
	Report   *coverage.Report
	Dots     []mapDot
	Width    float64
	Height   float64
	Summary  string // the map in one line
}

// mapSummary counts the map's places by colour, for its one-line description.
func mapSummary(l Lang, dots []mapDot) string {
	n := map[string]int{}
	for _, d := range dots {
		n[d.Class]++
	}
	places := len(dots) - n["point"]
	return fill(l.T("coverage.map_summary"), "places", fmt.Sprint(places), "covered", fmt.Sprint(n["covered"]),
		"near", fmt.Sprint(n["near"]), "far", fmt.Sprint(n["far"]), "points", fmt.Sprint(n["point"]))
}

// Classes of places on the map, by the colour the export gives them.
var dotClass = map[string]string{"#2e7d32": "covered", "#f9a825": "near", "#c62828": "far"}

func (w *Web) adminCoverage(ctx context.Context, c *call) (answer, error) {
	d := coverageData{Service: c.Query("service"), Minutes: strings.TrimSpace(c.Query("minutes")), Region: strings.TrimSpace(c.Query("region")),
		Width: mapWidth, Height: mapHeight}
	var err error
	if d.Services, err = w.Coverage.Services(ctx); err != nil {
		return nil, err
	}
	form := page{Name: "admin_coverage", Title: "coverage.title", Data: d}
	if d.Service == "" {
		return form, nil
	}
	query := coverage.Query{Service: d.Service, Region: d.Region, Gaps: 20}
	if d.Minutes != "" {
		m, err := strconv.ParseFloat(d.Minutes, 64)
		if err != nil || m < 1 || m > 240 || math.IsNaN(m) {
			return form, apperr.Fields{apperr.Field("minutes", "range", apperr.M("分钟数须为1到240之间的数", "minutes must be a number from 1 to 240"))}.Err()
		}
		query.Minutes = m
	}
	if d.Report, err = w.Coverage.Coverage(ctx, c.User, query); err != nil {
		if code := apperr.CodeOf(err); code == apperr.Invalid || code == apperr.NotFound {
			return form, err
		}
		return nil, err
	}
	fc, err := w.Coverage.GeoJSON(ctx, c.User, query)
	if err != nil {
		return nil, err
	}
	d.Dots = project(fc.Features)
	d.Summary = mapSummary(c.L, d.Dots)
	return page{Name: "admin_coverage", Title: "coverage.title", Data: d}, nil
}

// project places the features on the drawing: an equirectangular
// projection scaled by the cosine of the middle latitude, which keeps the
// shape of a province-sized area true enough to read.
func project(features []region.Feature) []mapDot {
	type located struct {
		lat, lon float64
		class    string
		title    string
	}
	var all []located
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, f := range features {
		if f.Geometry == nil || f.Geometry.Type != "Point" {
			continue
		}
		var c [2]float64
		if json.Unmarshal(f.Geometry.Coordinates, &c) != nil {
			continue
		}
		l := located{lon: c[0], lat: c[1]}
		name, _ := f.Properties["name"].(string)
		l.title = name
		if f.Properties["feature"] == "point" {
			l.class = "point"
		} else {
			colour, _ := f.Properties["marker-color"].(string)
			l.class = dotClass[colour]
			if l.class == "" {
				l.class = "far"
			}
			if m, ok := f.Properties["minutes"].(float64); ok {
				l.title += " · " + strconv.FormatFloat(m, 'f', 1, 64) + " min"
			}
		}
		all = append(all, l)
		minLat, maxLat = math.Min(minLat, l.lat), math.Max(maxLat, l.lat)
		minLon, maxLon = math.Min(minLon, l.lon), math.Max(maxLon, l.lon)
	}
	if len(all) == 0 {
		return nil
	}
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	spanX, spanY := math.Max((maxLon-minLon)*k, 1e-6), math.Max(maxLat-minLat, 1e-6)
	scale := math.Min((mapWidth-2*mapMargin)/spanX, (mapHeight-2*mapMargin)/spanY)
	out := make([]mapDot, 0, len(all))
	// Places first and points last, so that points are drawn on top.
	for _, pass := range []bool{false, true} {
		for _, l := range all {
			if (l.class == "point") != pass {
				continue
			}
			x := mapMargin + (l.lon-minLon)*k*scale
			y := mapHeight - mapMargin - (l.lat-minLat)*scale
			out = append(out, mapDot{X: math.Round(x*10) / 10, Y: math.Round(y*10) / 10, Class: l.class, Title: l.title})
		}
	}
	return out
}
