// Package network holds the service points (服务网点) where cases are accepted
// and results issued: county halls, township and street centres, community
// stations and liaison points, each at a level that decides which items it may handle.
package network

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// Kinds of service point.
const (
	KindCountyHall     = "county_hall"     // 县级政务服务中心
	KindTownshipCentre = "township_centre" // 乡镇/街道便民服务中心
	KindVillageStation = "village_station" // 村/社区便民服务站
	KindMedicalPoint   = "medical_insurance_point"
	KindLegalAidPoint  = "legal_aid_point" // 法律援助联络点
)

// KindNames gives each kind's Chinese and English name.
var KindNames = map[string][2]string{
	KindCountyHall:     {"政务服务中心", "government service centre"},
	KindTownshipCentre: {"乡镇（街道）便民服务中心", "township / street service centre"},
	KindVillageStation: {"村（社区）便民服务站", "village / community service station"},
	KindMedicalPoint:   {"医保服务点", "medical-insurance service point"},
	KindLegalAidPoint:  {"法律援助联络点", "legal-aid liaison point"},
}

// Point is a service point.
type Point struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEN     string `json:"name_en,omitempty"`
	Level      int    `json:"level"` // 3 city, 4 county, 5 township/street, 6 village/community
	Kind       string `json:"kind"`
	RegionCode string `json:"region_code,omitempty"`
	Address    string `json:"address,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Hours      string `json:"hours,omitempty"`
	// Lat and Lon place the point (WGS 84); nil when not known.
	Lat *float64 `json:"lat,omitempty"`
	Lon *float64 `json:"lon,omitempty"`
	// LocationGenerated marks a place invented for a demonstration.
	LocationGenerated bool `json:"location_generated,omitempty"`
	// Services the point offers; left empty on Put, the kind's defaults.
	Services  []string  `json:"services,omitempty"`
	CreatedAt time.Time `json:"created_at"`

	origin string // the line or feature of an imported point, for errors
}

var pointCode = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,31}$`)

// Validate checks a point's fields.
func (p *Point) Validate() error {
	var f apperr.Fields
	if !pointCode.MatchString(p.Code) {
		f.Add("code", "format", apperr.M("网点编码须为2–32位大写字母、数字或连字符", "code must be 2–32 upper-case letters, digits or hyphens"))
	}
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 100 {
		f.Add("name", "required", apperr.M("请填写网点名称（不超过100字）", "name is required (at most 100 characters)"))
	}
	if p.Level < 1 || p.Level > 6 {
		f.Add("level", "range", apperr.M("层级须为1–6", "level must be 1–6"))
	}
	if _, ok := KindNames[p.Kind]; !ok {
		f.Add("kind", "unknown", apperr.M("网点类型不存在", "unknown kind of service point"))
	}
	if (p.Lat == nil) != (p.Lon == nil) {
		f.Add("lat", "pair", apperr.M("纬度和经度须同时填写", "lat and lon go together"))
	}
	if p.Lat != nil && !(*p.Lat >= -90 && *p.Lat <= 90) {
		f.Add("lat", "range", apperr.M("纬度须在-90到90之间", "lat must be from -90 to 90"))
	}
	if p.Lon != nil && !(*p.Lon >= -180 && *p.Lon <= 180) {
		f.Add("lon", "range", apperr.M("经度须在-180到180之间", "lon must be from -180 to 180"))
	}
	for i, sv := range p.Services {
		if _, ok := ServiceNames[sv]; !ok {
			f.Add(fmt.Sprintf("services[%d]", i), "unknown", apperr.M("服务类别不存在（可选 government、medical-insurance、legal-aid）",
				"unknown service (government, medical-insurance or legal-aid)"))
		}
	}
	return f.Err()
}

// Services a point may offer. A point offering "government" handles every
// item of its level; one offering another service handles the items of that
// service's departments at its level (a village station the 村可办 items).
const (
	ServiceGovernment       = "government"        // 综合政务服务
	ServiceMedicalInsurance = "medical-insurance" // 医保服务
	ServiceLegalAid         = "legal-aid"         // 法律援助
)

// ServiceNames gives each service's Chinese and English name.
var ServiceNames = map[string][2]string{
	ServiceGovernment:       {"综合政务服务", "government services"},
	ServiceMedicalInsurance: {"医保服务", "medical-insurance services"},
	ServiceLegalAid:         {"法律援助", "legal aid"},
}

// DefaultServices are the services of a point of kind when none are named: a
// county hall has windows for all of them; a township centre or village station
// offers medical insurance or legal aid only where it is said to.
func DefaultServices(kind string) []string {
	switch kind {
	case KindCountyHall:
		return []string{ServiceGovernment, ServiceMedicalInsurance, ServiceLegalAid}
	case KindMedicalPoint:
		return []string{ServiceMedicalInsurance}
	case KindLegalAidPoint:
		return []string{ServiceLegalAid}
	}
	return []string{ServiceGovernment}
}

// Offers reports whether the point offers service.
func (p *Point) Offers(service string) bool { return slices.Contains(p.Services, service) }

// Located reports whether the point has coordinates.
func (p *Point) Located() bool { return p.Lat != nil && p.Lon != nil }

// normalize trims and orders the services, filling in the kind's defaults.
func (p *Point) normalize() {
	seen := map[string]bool{}
	var out []string
	for _, sv := range p.Services {
		sv = strings.TrimSpace(sv)
		if sv != "" && !seen[sv] {
			seen[sv] = true
			out = append(out, sv)
		}
	}
	if len(out) == 0 {
		out = DefaultServices(p.Kind)
	}
	slices.Sort(out)
	p.Services = out
}

// Store reads and writes service points.
type Store struct {
	db *store.DB
	// Now is the server's clock (package clock), which stamps new points;
	// nil is the wall clock.
	Now clock.Clock
}

// NewStore returns a Store on db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

// Put inserts or replaces a point, with its location and services, for a
// province-wide administrator, with its audit record.
func (s *Store) Put(ctx context.Context, actor auth.User, p Point) (Point, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Point{}, err
	}
	p.normalize()
	if err := p.Validate(); err != nil {
		return Point{}, err
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.Now.Now()
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := PutMany(ctx, tx, []Point{p}, p.CreatedAt); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now.Now(), actor, "point.put", "point:"+p.Code, map[string]any{"services": p.Services})
	})
	if err != nil {
		return Point{}, err
	}
	return p, nil
}

// PutMany inserts or replaces valid points with q (a transaction), in
// multi-row statements; a point keeps its creation time when replaced, and
// a new point without one is stamped now.
func PutMany(ctx context.Context, q store.Querier, points []Point, now time.Time) error {
	const cols = 13
	for batch := range slices.Chunk(points, 600) {
		args := make([]any, 0, len(batch)*cols)
		codes := make([]any, 0, len(batch))
		var services []any
		for i := range batch {
			p := &batch[i]
			p.normalize()
			created := p.CreatedAt
			if created.IsZero() {
				created = now
			}
			args = append(args, p.Code, p.Name, p.NameEN, p.Level, p.Kind, p.RegionCode, p.Address, p.Phone, p.Hours,
				store.FormatTime(created), nullFloat(p.Lat), nullFloat(p.Lon), store.BoolInt(p.LocationGenerated))
			codes = append(codes, p.Code)
			for _, sv := range p.Services {
				services = append(services, p.Code, sv)
			}
		}
		_, err := q.ExecContext(ctx, `
			INSERT INTO service_points (code, name, name_en, level, kind, region_code, address, phone, hours, created_at,
				lat, lon, location_generated)
			VALUES `+region.Placeholders(len(batch), cols)+`
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, level = excluded.level,
				kind = excluded.kind, region_code = excluded.region_code, address = excluded.address,
				phone = excluded.phone, hours = excluded.hours, lat = excluded.lat, lon = excluded.lon,
				location_generated = excluded.location_generated`, args...)
		if err != nil {
			return apperr.Wrap(err, "network: put points")
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM point_services WHERE point_code IN (`+region.QuestionMarks(len(codes))+`)`, codes...); err != nil {
			return apperr.Wrap(err, "network: put points")
		}
		if len(services) > 0 {
			if _, err := q.ExecContext(ctx, `INSERT INTO point_services (point_code, service) VALUES `+region.Placeholders(len(services)/2, 2),
				services...); err != nil {
				return apperr.Wrap(err, "network: put point services")
			}
		}
	}
	return pointsWritten(ctx, q)
}

const pointColumns = `code, name, name_en, level, kind, region_code, address, phone, hours, created_at, lat, lon, location_generated`

func scanPoint(sc interface{ Scan(...any) error }) (Point, error) {
	var p Point
	var created string
	var lat, lon sql.NullFloat64
	var generated int
	err := sc.Scan(&p.Code, &p.Name, &p.NameEN, &p.Level, &p.Kind, &p.RegionCode, &p.Address, &p.Phone, &p.Hours, &created,
		&lat, &lon, &generated)
	p.CreatedAt = store.ParseTime(created)
	if lat.Valid && lon.Valid {
		p.Lat, p.Lon = &lat.Float64, &lon.Float64
	}
	p.LocationGenerated = generated != 0
	return p, err
}

// ErrNoPoint is returned for an unknown point code.
var ErrNoPoint = apperr.NotFoundf("point_not_found", apperr.M("服务网点不存在", "no such service point"))

// Get returns one point: with q nil from the points held in memory
// (cache.go), with q (a transaction) from the database as q sees it.
func (s *Store) Get(ctx context.Context, q store.Querier, code string) (Point, error) {
	if q == nil {
		snap, err := pointCacheFor(s.db).snapshot(ctx, s.db)
		if err != nil {
			return Point{}, err
		}
		p, ok := snap.get(code)
		if !ok {
			return Point{}, ErrNoPoint
		}
		return p, nil
	}
	p, err := scanPoint(q.QueryRowContext(ctx, `SELECT `+pointColumns+` FROM service_points WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Point{}, ErrNoPoint
	}
	if err != nil {
		return Point{}, apperr.Wrap(err, "network: get point")
	}
	services, err := readServices(ctx, q, `SELECT point_code, service FROM point_services WHERE point_code = ? ORDER BY service`, code)
	if err != nil {
		return Point{}, err
	}
	p.Services = services[p.Code]
	return p, nil
}

// List returns every point ordered by level then code.
func (s *Store) List(ctx context.Context) ([]Point, error) { return listPoints(ctx, s.db) }

// Shared returns every point in List's order and the departments each
// service covers, from the points held in memory (as Get reads them: a
// write of this process seen at once, one of another process within
// PointCheckInterval). Both are shared by every caller and must not be
// modified; copy a point before changing it.
func (s *Store) Shared(ctx context.Context) ([]Point, map[string][]string, error) {
	snap, err := pointCacheFor(s.db).snapshot(ctx, s.db)
	if err != nil {
		return nil, nil, err
	}
	return snap.list, snap.serviceDepts, nil
}

func listPoints(ctx context.Context, q store.Querier) ([]Point, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+pointColumns+` FROM service_points ORDER BY level, code`)
	if err != nil {
		return nil, apperr.Wrap(err, "network: list points")
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		p, err := scanPoint(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "network: list points")
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "network: list points")
	}
	services, err := readServices(ctx, q, `SELECT point_code, service FROM point_services ORDER BY point_code, service`)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Services = services[out[i].Code]
	}
	return out, nil
}

func readServices(ctx context.Context, q store.Querier, query string, args ...any) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "network: read services")
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var code, sv string
		if err := rows.Scan(&code, &sv); err != nil {
			return nil, apperr.Wrap(err, "network: read services")
		}
		out[code] = append(out[code], sv)
	}
	return out, apperr.Wrap(rows.Err(), "network: read services")
}

func nullFloat(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// EnglishName returns the English name, or the Chinese one when none is set.
func (p Point) EnglishName() string {
	if p.NameEN != "" {
		return p.NameEN
	}
	return p.Name
}
