// Package network holds the service points (服务网点) where cases are accepted
// and results issued: county halls, township and street centres, community
// stations and liaison points, each at a level that decides which items it may handle.
package network

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
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
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	NameEN     string    `json:"name_en,omitempty"`
	Level      int       `json:"level"` // 3 city, 4 county, 5 township/street, 6 village/community
	Kind       string    `json:"kind"`
	RegionCode string    `json:"region_code,omitempty"`
	Address    string    `json:"address,omitempty"`
	Phone      string    `json:"phone,omitempty"`
	Hours      string    `json:"hours,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
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
	return f.Err()
}

// Store reads and writes service points.
type Store struct{ db *store.DB }

// NewStore returns a Store on db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

// Put inserts or replaces a point.
func (s *Store) Put(ctx context.Context, p Point) (Point, error) {
	if err := p.Validate(); err != nil {
		return Point{}, err
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now()
	}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO service_points (code, name, name_en, level, kind, region_code, address, phone, hours, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, level = excluded.level,
			kind = excluded.kind, region_code = excluded.region_code, address = excluded.address,
			phone = excluded.phone, hours = excluded.hours`,
		p.Code, p.Name, p.NameEN, p.Level, p.Kind, p.RegionCode, p.Address, p.Phone, p.Hours, store.FormatTime(p.CreatedAt))
	if err != nil {
		return Point{}, apperr.Wrap(err, "network: put point")
	}
	return p, nil
}

const pointColumns = `code, name, name_en, level, kind, region_code, address, phone, hours, created_at`

func scanPoint(sc interface{ Scan(...any) error }) (Point, error) {
	var p Point
	var created string
	err := sc.Scan(&p.Code, &p.Name, &p.NameEN, &p.Level, &p.Kind, &p.RegionCode, &p.Address, &p.Phone, &p.Hours, &created)
	p.CreatedAt = store.ParseTime(created)
	return p, err
}

// ErrNoPoint is returned for an unknown point code.
var ErrNoPoint = apperr.NotFoundf("point_not_found", apperr.M("服务网点不存在", "no such service point"))

// Get returns one point.
func (s *Store) Get(ctx context.Context, q store.Querier, code string) (Point, error) {
	if q == nil {
		q = s.db
	}
	p, err := scanPoint(q.QueryRowContext(ctx, `SELECT `+pointColumns+` FROM service_points WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Point{}, ErrNoPoint
	}
	if err != nil {
		return Point{}, apperr.Wrap(err, "network: get point")
	}
	return p, nil
}

// List returns every point ordered by level then code.
func (s *Store) List(ctx context.Context) ([]Point, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+pointColumns+` FROM service_points ORDER BY level, code`)
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
	return out, apperr.Wrap(rows.Err(), "network: list points")
}

// EnglishName returns the English name, or the Chinese one when none is set.
func (p Point) EnglishName() string {
	if p.NameEN != "" {
		return p.NameEN
	}
	return p.Name
}
