package region

import (
	"bytes"
	"fmt"

	"github.com/onewindow/onewindow/apperr"
)

// Location is what an import says about one region: where it is (its seat),
// how many live there, what kind of area it is. Nil fields leave the stored
// value as it is.
type Location struct {
	Code       string   `json:"code"`
	Lat        *float64 `json:"lat,omitempty"`
	Lon        *float64 `json:"lon,omitempty"`
	Population *int64   `json:"population,omitempty"`
	Area       string   `json:"area,omitempty"`
	Generated  bool     `json:"location_generated,omitempty"`
	// Origin names the line or feature the location came from, for errors.
	Origin string `json:"-"`
}

var locationColumns = []Column{
	{Name: "code", Required: true}, {Name: "name"}, {Name: "lat"}, {Name: "lon"}, {Name: "population"}, {Name: "area"},
	{Name: "location_generated"},
}

// ParseLocations reads locations from CSV (columns code, lat, lon,
// population, area; name is allowed and ignored) or from a GeoJSON
// FeatureCollection of Point features whose properties carry code and
// optionally population and area. Problems are reported by line or feature.
func ParseLocations(name string, data []byte) ([]Location, error) {
	if LooksLikeJSON(data) {
		return parseLocationsGeoJSON(name, data)
	}
	var bad apperr.Fields
	var out []Location
	ReadCSV(name, bytes.NewReader(data), locationColumns, &bad, func(line int, cell func(string) string) {
		at := fmt.Sprintf("%s:%d", name, line)
		loc, f := locationCells(cell)
		loc.Code, loc.Origin = cell("code"), at
		f = Merge(f, loc.check())
		if len(f) > 0 {
			bad = append(bad, Prefixed(at, f)...)
			return
		}
		out = append(out, loc)
	})
	if len(bad) > 0 {
		return nil, Capped(bad).Err()
	}
	return out, nil
}

func (l *Location) check() apperr.Fields {
	var f apperr.Fields
	if c, err := Normalize(l.Code); err != nil || l.Code == "" {
		f.Add("code", "format", apperr.M("区划代码须为6、9或12位数字", "code must be a division code of 6, 9 or 12 digits"))
	} else {
		l.Code = c
	}
	return append(f, checkLocation(l.Lat, l.Lon, l.Population, l.Area)...)
}

func parseLocationsGeoJSON(name string, data []byte) ([]Location, error) {
	fc, err := ParseGeoJSON(name, data)
	if err != nil {
		return nil, err
	}
	var bad apperr.Fields
	out := make([]Location, 0, len(fc.Features))
	for i, ft := range fc.Features {
		at := fmt.Sprintf("%s:features[%d]", name, i)
		var f apperr.Fields
		loc := Location{Origin: at}
		loc.Code, _ = PropString(ft.Properties, "code")
		if ft.Geometry != nil {
			lat, lon, err := ft.Geometry.Point()
			if err != nil {
				f.Add("geometry", "format", apperr.M("几何须为点（Point）", err.Error()))
			} else {
				loc.Lat, loc.Lon = &lat, &lon
			}
		}
		if n, ok, err := PropInt(ft.Properties, "population"); err != nil {
			f.Add("properties.population", "format", apperr.M("人口须为整数", "population must be a whole number"))
		} else if ok {
			loc.Population = &n
		}
		loc.Area, _ = PropString(ft.Properties, "area")
		if g, ok := ft.Properties["location_generated"].(bool); ok {
			loc.Generated = g
		}
		var checked apperr.Fields
		for _, e := range loc.check() {
			if e.Field != "lat" && e.Field != "lon" {
				e.Field = "properties." + e.Field
			} else {
				e.Field = "geometry"
			}
			checked = append(checked, e)
		}
		f = Merge(f, checked)
		if len(f) > 0 {
			bad = append(bad, Prefixed(at, f)...)
			continue
		}
		out = append(out, loc)
	}
	if len(bad) > 0 {
		return nil, Capped(bad).Err()
	}
	return out, nil
}
