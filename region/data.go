package region

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/onewindow/onewindow/apperr"
)

// jilinCSV holds the divisions of Jilin province by their statistical codes
// (National Bureau of Statistics, 2023); data/SOURCE.md names the source.
//
//go:embed data/jilin.csv
var jilinCSV []byte

// Jilin figures as the 2023 statistical codes give them (data/SOURCE.md).
const (
	JilinCode      = "220000"
	JilinCities    = 9
	JilinCounties  = 69 // 60 counties, county-level cities and districts, and 9 development zones
	JilinTownships = 1075
	JilinVillages  = 11860
)

var jilin = sync.OnceValues(func() ([]Region, error) {
	return ParseCSV("jilin.csv", bytes.NewReader(jilinCSV))
})

// Jilin returns the divisions of Jilin province, ordered so that a parent
// comes before its children. The slice is the caller's to change.
func Jilin() ([]Region, error) {
	rs, err := jilin()
	if err != nil {
		return nil, fmt.Errorf("region: embedded Jilin data: %w", err)
	}
	out := make([]Region, len(rs))
	copy(out, rs)
	return out, nil
}

var regionColumns = []Column{
	{Name: "code", Required: true}, {Name: "name", Required: true}, {Name: "level", Required: true},
	{Name: "parent_code", Required: true}, {Name: "lat"}, {Name: "lon"}, {Name: "population"}, {Name: "area"},
	{Name: "location_generated"},
}

// ParseCSV reads divisions from CSV with the columns code, name, level and
// parent_code (and optionally lat, lon, population, area, location_generated).
// Every problem is reported with its line; a file with any problem gives no regions.
func ParseCSV(name string, r io.Reader) ([]Region, error) {
	var bad apperr.Fields
	var out []Region
	seen := map[string]int{}
	ReadCSV(name, r, regionColumns, &bad, func(line int, cell func(string) string) {
		at := fmt.Sprintf("%s:%d", name, line)
		reg := Region{Code: cell("code"), Name: cell("name"), ParentCode: cell("parent_code"), Area: cell("area")}
		level, err := strconv.Atoi(cell("level"))
		if err != nil {
			bad.Add(at+":level", "format", apperr.M("层级须为整数", "level must be a whole number"))
			return
		}
		reg.Level = level
		loc, f := locationCells(cell)
		reg.Lat, reg.Lon, reg.Population, reg.LocationGenerated = loc.Lat, loc.Lon, loc.Population, loc.Generated
		f = Merge(f, reg.Validate())
		if prev, dup := seen[reg.Code]; dup {
			f.Add("code", "duplicate", apperr.M(fmt.Sprintf("代码与第%d行重复", prev), fmt.Sprintf("the code repeats line %d", prev)))
		}
		seen[reg.Code] = line
		if len(f) > 0 {
			bad = append(bad, Prefixed(at, f)...)
			return
		}
		out = append(out, reg)
	})
	if len(bad) > 0 {
		return nil, Capped(bad).Err()
	}
	return out, nil
}

// locationCells reads lat, lon, population, area and location_generated from
// a CSV row; problems are named by column.
func locationCells(cell func(string) string) (Location, apperr.Fields) {
	var loc Location
	var f apperr.Fields
	num := func(col string) *float64 {
		s := cell(col)
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			f.Add(col, "format", apperr.M("须为数字", "must be a number"))
			return nil
		}
		return &v
	}
	loc.Lat, loc.Lon = num("lat"), num("lon")
	if s := cell("population"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f.Add("population", "format", apperr.M("人口须为整数", "population must be a whole number"))
		} else {
			loc.Population = &n
		}
	}
	loc.Area = cell("area")
	switch cell("location_generated") {
	case "", "0", "false":
	case "1", "true":
		loc.Generated = true
	default:
		f.Add("location_generated", "format", apperr.M("须为 true 或 false", "must be true or false"))
	}
	return loc, f
}
