// Package region holds the administrative divisions (行政区划) by their statistical
// codes: province, cities, counties, townships and streets, villages and communities.
package region

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
)

// Levels of government (行使层级), from the nation down to the village. The
// divisions use them, and so do the catalogue's items and the service
// points, so that a township service centre (level 5), a township (level 5)
// and an item handled at township level line up.
const (
	LevelNational = 1 // 国家
	LevelProvince = 2 // 省
	LevelCity     = 3 // 市（州）
	LevelCounty   = 4 // 县（市、区）
	LevelTownship = 5 // 乡镇（街道）
	LevelVillage  = 6 // 村（社区）
)

// Kinds of area; they set the travel speed of the coverage estimate.
const (
	AreaUrban    = "urban"    // 城区
	AreaRural    = "rural"    // 乡村平原
	AreaMountain = "mountain" // 山区
)

// Areas lists the kinds of area with their names.
var Areas = map[string][2]string{
	AreaUrban:    {"城区", "urban"},
	AreaRural:    {"乡村", "rural"},
	AreaMountain: {"山区", "mountain"},
}

// Region is one division. Lat, Lon and Population are nil when unknown.
type Region struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Level      int      `json:"level"`
	ParentCode string   `json:"parent_code,omitempty"`
	Lat        *float64 `json:"lat,omitempty"`
	Lon        *float64 `json:"lon,omitempty"`
	Population *int64   `json:"population,omitempty"`
	Area       string   `json:"area,omitempty"`
	// LocationGenerated marks coordinates (and population) invented for a
	// demonstration rather than imported from a survey.
	LocationGenerated bool `json:"location_generated"`
}

// Located reports whether the region has coordinates.
func (r *Region) Located() bool { return r.Lat != nil && r.Lon != nil }

// codeLength is the length of a code at each level: GB/T 2260 six digits down
// to the county, then the statistical codes' three more for the township and
// three more for the village.
func codeLength(level int) int {
	if level >= LevelVillage {
		return 12
	}
	if level == LevelTownship {
		return 9
	}
	return 6
}

// LevelOfCode returns the level a well-formed code stands for (0 if none):
// "220000" a province, "220100" a city, "220523" a county, nine digits a
// township, twelve a village.
func LevelOfCode(code string) int {
	switch {
	case digits(code, 12):
		return LevelVillage
	case digits(code, 9):
		return LevelTownship
	case !digits(code, 6):
		return 0
	case strings.HasSuffix(code, "0000"):
		return LevelProvince
	case strings.HasSuffix(code, "00"):
		return LevelCity
	}
	return LevelCounty
}

// prefixLength is the number of leading digits every descendant shares.
func prefixLength(level int) int {
	switch level {
	case LevelProvince:
		return 2
	case LevelCity:
		return 4
	case LevelCounty:
		return 6
	case LevelTownship:
		return 9
	}
	return 12
}

// DescendantPrefix returns the leading digits that the codes of every region
// inside r begin with.
func (r *Region) DescendantPrefix() string {
	n := prefixLength(r.Level)
	if n > len(r.Code) {
		return r.Code
	}
	return r.Code[:n]
}

// Contains reports whether code lies inside r (or is r).
func (r *Region) Contains(code string) bool {
	return code == r.Code || strings.HasPrefix(code, r.DescendantPrefix()) && len(code) >= len(r.Code)
}

// Normalize accepts a code as people write it: "22" or "2201" for a province
// or city, six digits down to the county, nine for a township, twelve for a
// village (a twelve-digit code padded with zeros stands for its upper level).
func Normalize(code string) (string, error) {
	code = strings.TrimSpace(code)
	for _, c := range code {
		if c < '0' || c > '9' {
			return "", errBadCode
		}
	}
	switch len(code) {
	case 2, 4:
		return code + strings.Repeat("0", 6-len(code)), nil
	case 6, 9:
		return code, nil
	case 12:
		if strings.HasSuffix(code, "000000") {
			return code[:6], nil
		}
		if strings.HasSuffix(code, "000") {
			return code[:9], nil
		}
		return code, nil
	}
	return "", errBadCode
}

var errBadCode = apperr.Fields{apperr.Field("region", "format", apperr.M(
	"区划代码须为2、4、6、9或12位数字", "a division code has 2, 4, 6, 9 or 12 digits"))}.Err()

// ErrNotFound is returned for an unknown code.
var ErrNotFound = apperr.NotFoundf("region_not_found", apperr.M("行政区划不存在", "no such division"))

// Validate checks one region as read from a file; field names are the CSV columns.
func (r *Region) Validate() apperr.Fields {
	var f apperr.Fields
	if r.Level < LevelProvince || r.Level > LevelVillage {
		f.Add("level", "range", apperr.M("层级须为2（省）到6（村、社区）", "level must be 2 (province) to 6 (village/community)"))
	} else if !digits(r.Code, codeLength(r.Level)) {
		f.Add("code", "format", apperr.M(fmt.Sprintf("该层级的代码须为%d位数字", codeLength(r.Level)),
			fmt.Sprintf("a code of this level has %d digits", codeLength(r.Level))))
	}
	if r.Name == "" || utf8.RuneCountInString(r.Name) > 100 {
		f.Add("name", "required", apperr.M("请填写名称（不超过100字）", "name is required (at most 100 characters)"))
	}
	if r.Level > LevelProvince && r.Level <= LevelVillage {
		parent := Region{Code: r.ParentCode, Level: LevelOfCode(r.ParentCode)}
		if !digits(r.ParentCode, 6) && !digits(r.ParentCode, 9) || parent.Level >= r.Level || !parent.Contains(r.Code) {
			f.Add("parent_code", "format", apperr.M("上级代码须为其上一级区划的代码", "parent_code must be the code of the division above"))
		}
	}
	if r.Level == LevelProvince && r.ParentCode != "" {
		f.Add("parent_code", "format", apperr.M("省级区划没有上级", "a province has no parent"))
	}
	f = append(f, checkLocation(r.Lat, r.Lon, r.Population, r.Area)...)
	return f
}

func checkLocation(lat, lon *float64, population *int64, area string) apperr.Fields {
	var f apperr.Fields
	if (lat == nil) != (lon == nil) {
		f.Add("lat", "pair", apperr.M("纬度和经度须同时填写", "lat and lon go together"))
	}
	if lat != nil && (*lat < -90 || *lat > 90 || *lat != *lat) {
		f.Add("lat", "range", apperr.M("纬度须在-90到90之间", "lat must be from -90 to 90"))
	}
	if lon != nil && (*lon < -180 || *lon > 180 || *lon != *lon) {
		f.Add("lon", "range", apperr.M("经度须在-180到180之间", "lon must be from -180 to 180"))
	}
	if population != nil && *population < 0 {
		f.Add("population", "range", apperr.M("人口不能为负数", "population cannot be negative"))
	}
	if _, ok := Areas[area]; area != "" && !ok {
		f.Add("area", "unknown", apperr.M("区域类型须为 urban、rural 或 mountain", "area must be urban, rural or mountain"))
	}
	return f
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// GuessArea tells an urban community from a rural village when no area was
// imported. The statistical codes say it: the last three digits of a
// village's code are 001–199 for a residents' committee (居委会, urban) and
// 200–399 for a villagers' committee (村委会, rural), per the National Bureau
// of Statistics' rules for the codes; above that (virtual communities of farms
// and zones) the name decides. A township is urban when it is a street (街道).
// Mountains cannot be told from a code or name.
func GuessArea(code, name string) string {
	if len(code) == 12 {
		switch part := code[9:]; {
		case part < "200":
			return AreaUrban
		case part < "400":
			return AreaRural
		}
	}
	if strings.Contains(name, "社区") || strings.Contains(name, "居委会") || strings.Contains(name, "居民委员会") ||
		strings.HasSuffix(name, "街道") {
		return AreaUrban
	}
	return AreaRural
}

// AncestorCode returns the code of the region at level that contains code
// ("" when level is not above code's own level).
func AncestorCode(code string, level int) string {
	own := LevelOfCode(code)
	if own == 0 || level >= own {
		if level == own {
			return code
		}
		return ""
	}
	switch level {
	case LevelProvince:
		return code[:2] + "0000"
	case LevelCity:
		return code[:4] + "00"
	case LevelCounty:
		return code[:6]
	case LevelTownship:
		return code[:9]
	}
	return ""
}
