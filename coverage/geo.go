// Package coverage measures how close service points are to the places people
// live (15分钟医保服务圈, 法律援助半小时服务圈), lists the gaps and plans new points.
package coverage

import (
	"fmt"
	"math"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/region"
)

// EarthRadiusKm is the mean radius of the Earth (IUGG, R1 = 6371.0088 km).
const EarthRadiusKm = 6371.0088

func rad(deg float64) float64 { return deg * math.Pi / 180 }

// DistanceKm is the great-circle distance between two points by the
// haversine formula.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	φ1, φ2 := rad(lat1), rad(lat2)
	dφ, dλ := φ2-φ1, rad(lon2-lon1)
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Model turns a straight-line distance into a travel time: the distance is
// stretched by a detour factor (roads are not straight) and divided by a
// speed that depends on the kind of area the trip starts in.
type Model struct {
	// Detour is road distance ÷ straight-line distance. Measured circuity
	// factors of road networks are mostly 1.2–1.4 (Ballou, Rahardja and Sakai,
	// "Selected country circuity factors for road travel distance
	// estimation", Transportation Research Part A, 2002).
	Detour float64 `json:"detour"`
	// Speeds in km/h per area (urban, rural, mountain).
	Speeds map[string]float64 `json:"speed_kmh"`
	// RoadSpeed is the speed on imported roads that do not give their own.
	RoadSpeed float64 `json:"road_speed_kmh"`
	// MaxAccessKm is the farthest straight-line leg from a place to the
	// nearest road vertex; beyond it the place counts as off the road network.
	MaxAccessKm float64 `json:"max_access_km"`
}

// DefaultModel: 20 km/h in towns (traffic, walking to the door), 40 km/h on
// rural roads, 25 km/h in the mountains of the east.
func DefaultModel() Model {
	return Model{Detour: 1.3, Speeds: map[string]float64{region.AreaUrban: 20, region.AreaRural: 40, region.AreaMountain: 25},
		RoadSpeed: 40, MaxAccessKm: 3}
}

// withDefaults fills unset fields from DefaultModel.
func (m Model) withDefaults() Model {
	d := DefaultModel()
	if m.Detour == 0 {
		m.Detour = d.Detour
	}
	speeds := map[string]float64{}
	for k, v := range d.Speeds {
		speeds[k] = v
	}
	for k, v := range m.Speeds {
		speeds[k] = v
	}
	m.Speeds = speeds
	if m.RoadSpeed == 0 {
		m.RoadSpeed = d.RoadSpeed
	}
	if m.MaxAccessKm == 0 {
		m.MaxAccessKm = d.MaxAccessKm
	}
	return m
}

// Validate checks the model's numbers.
func (m Model) Validate() error {
	var f apperr.Fields
	if !(m.Detour >= 1 && m.Detour <= 5) {
		f.Add("detour", "range", apperr.M("绕行系数须在1到5之间", "detour must be from 1 to 5"))
	}
	for area, v := range m.Speeds {
		if _, ok := region.Areas[area]; !ok {
			f.Add("speed_"+area, "unknown", apperr.M("区域类型须为 urban、rural 或 mountain", "area must be urban, rural or mountain"))
		} else if !(v >= 1 && v <= 200) {
			f.Add("speed_"+area, "range", apperr.M("速度须在1到200公里/小时之间", "speed must be from 1 to 200 km/h"))
		}
	}
	if !(m.RoadSpeed >= 1 && m.RoadSpeed <= 200) {
		f.Add("road_speed_kmh", "range", apperr.M("道路速度须在1到200公里/小时之间", "road speed must be from 1 to 200 km/h"))
	}
	if !(m.MaxAccessKm > 0 && m.MaxAccessKm <= 50) {
		f.Add("max_access_km", "range", apperr.M("接驳距离须在0到50公里之间", "max_access_km must be above 0 and at most 50"))
	}
	return f.Err()
}

func (m Model) speed(area string) float64 {
	if v, ok := m.Speeds[area]; ok {
		return v
	}
	return m.Speeds[region.AreaRural]
}

// Minutes is the estimated travel time over a straight-line distance from a
// place in area.
func (m Model) Minutes(km float64, area string) float64 {
	return km * m.Detour / m.speed(area) * 60
}

// ReachKm is the straight-line distance travelled from area in minutes.
func (m Model) ReachKm(minutes float64, area string) float64 {
	return minutes / 60 * m.speed(area) / m.Detour
}

func (m Model) maxSpeed() float64 {
	top := 0.0
	for _, v := range m.Speeds {
		top = math.Max(top, v)
	}
	return top
}

func (m Model) String() string {
	return fmt.Sprintf("detour %.2f, urban %.0f km/h, rural %.0f km/h, mountain %.0f km/h", m.Detour,
		m.speed(region.AreaUrban), m.speed(region.AreaRural), m.speed(region.AreaMountain))
}
