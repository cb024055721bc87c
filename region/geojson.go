package region

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
)

// GeoJSON (RFC 7946) as the importers and exporters of places, points and
// roads use it: a FeatureCollection of Point and LineString features.

// FeatureCollection is a GeoJSON document.
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
}

// Feature is one GeoJSON feature.
type Feature struct {
	Type       string         `json:"type"`
	Geometry   *Geometry      `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// Geometry holds its coordinates undecoded until the type is known.
type Geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// PointFeature builds a Point feature at lat, lon.
func PointFeature(lat, lon float64, props map[string]any) Feature {
	c, _ := json.Marshal([2]float64{round7(lon), round7(lat)})
	return Feature{Type: "Feature", Geometry: &Geometry{Type: "Point", Coordinates: c}, Properties: props}
}

// round7 keeps 7 decimals (about 1 cm), enough for any address.
func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

// ParseGeoJSON reads a FeatureCollection; numbers in properties stay
// json.Number so that integers stay exact. name prefixes error fields.
func ParseGeoJSON(name string, data []byte) (*FeatureCollection, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var fc FeatureCollection
	if err := dec.Decode(&fc); err != nil {
		return nil, apperr.Fields{apperr.Field(name, "invalid_geojson", apperr.M("GeoJSON 格式错误："+err.Error(),
			"malformed GeoJSON: "+err.Error()))}.Err()
	}
	if fc.Type != "FeatureCollection" {
		return nil, apperr.Fields{apperr.Field(name+":type", "invalid_geojson", apperr.M(
			"须为 FeatureCollection", "the document must be a FeatureCollection"))}.Err()
	}
	return &fc, nil
}

// Point returns the coordinates of a Point geometry as lat, lon.
func (g *Geometry) Point() (lat, lon float64, err error) {
	var c []float64
	if g.Type != "Point" {
		return 0, 0, fmt.Errorf("geometry is %q, want Point", g.Type)
	}
	if err := json.Unmarshal(g.Coordinates, &c); err != nil || len(c) < 2 {
		return 0, 0, fmt.Errorf("a Point has coordinates [lon, lat]")
	}
	return c[1], c[0], nil
}

// Lines returns the vertices of a LineString or MultiLineString as lists of
// [lat, lon] pairs.
func (g *Geometry) Lines() ([][][2]float64, error) {
	var raw [][][]float64
	switch g.Type {
	case "LineString":
		var one [][]float64
		if err := json.Unmarshal(g.Coordinates, &one); err != nil {
			return nil, fmt.Errorf("a LineString has coordinates [[lon, lat], …]")
		}
		raw = [][][]float64{one}
	case "MultiLineString":
		if err := json.Unmarshal(g.Coordinates, &raw); err != nil {
			return nil, fmt.Errorf("a MultiLineString has coordinates [[[lon, lat], …], …]")
		}
	default:
		return nil, fmt.Errorf("geometry is %q, want LineString or MultiLineString", g.Type)
	}
	out := make([][][2]float64, 0, len(raw))
	for _, line := range raw {
		pts := make([][2]float64, 0, len(line))
		for _, c := range line {
			if len(c) < 2 || c[1] < -90 || c[1] > 90 || c[0] < -180 || c[0] > 180 {
				return nil, fmt.Errorf("every position is [lon, lat] within range")
			}
			pts = append(pts, [2]float64{c[1], c[0]})
		}
		if len(pts) >= 2 {
			out = append(out, pts)
		}
	}
	return out, nil
}

// PropString reads a string property; numbers are accepted as text (codes
// are often written as numbers).
func PropString(props map[string]any, key string) (string, bool) {
	switch v := props[key].(type) {
	case string:
		return strings.TrimSpace(v), true
	case json.Number:
		return v.String(), true
	case nil:
		return "", false
	}
	return "", false
}

// PropFloat reads a number property; ok is false when it is absent, err set
// when it is not a number.
func PropFloat(props map[string]any, key string) (v float64, ok bool, err error) {
	switch x := props[key].(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		f, err := x.Float64()
		return f, true, err
	case float64:
		return x, true, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, true, err
	}
	return 0, true, fmt.Errorf("not a number")
}

// PropInt reads a whole-number property.
func PropInt(props map[string]any, key string) (v int64, ok bool, err error) {
	switch x := props[key].(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		n, err := x.Int64()
		return n, true, err
	case string:
		if strings.TrimSpace(x) == "" {
			return 0, false, nil
		}
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n, true, err
	}
	return 0, true, fmt.Errorf("not a whole number")
}
