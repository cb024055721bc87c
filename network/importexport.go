package network

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// The exchange format of service points: CSV with these columns (services
// separated by ";"), or a GeoJSON FeatureCollection of Point features whose
// properties have the same names (services as a list or as that text).
var exchangeColumns = []region.Column{
	{Name: "code", Required: true}, {Name: "name", Required: true}, {Name: "name_en"}, {Name: "level", Required: true},
	{Name: "kind", Required: true}, {Name: "region_code"}, {Name: "address"}, {Name: "phone"}, {Name: "hours"},
	{Name: "lat"}, {Name: "lon"}, {Name: "services"}, {Name: "location_generated"},
}

// ParsePoints reads points from CSV or GeoJSON (told apart by the first
// character). Every problem is reported with its line or feature; a file with
// any problem gives no points.
func ParsePoints(name string, data []byte) ([]Point, error) {
	var bad apperr.Fields
	var out []Point
	seen := map[string]string{}
	add := func(at string, p Point, f apperr.Fields, geo bool) {
		p.normalize()
		if err := p.Validate(); err != nil {
			var checked apperr.Fields
			for _, e := range apperr.As(err).Fields {
				if geo && (e.Field == "lat" || e.Field == "lon") {
					e.Field = "geometry"
				} else if geo {
					e.Field = "properties." + e.Field
				}
				checked = append(checked, e)
			}
			f = region.Merge(f, checked)
		}
		if prev, dup := seen[p.Code]; dup && p.Code != "" {
			code := "code"
			if geo {
				code = "properties.code"
			}
			f.Add(code, "duplicate", apperr.M("网点编码与 "+prev+" 重复", "the code repeats "+prev))
		}
		seen[p.Code] = at
		p.origin = at
		if len(f) > 0 {
			bad = append(bad, region.Prefixed(at, f)...)
			return
		}
		out = append(out, p)
	}
	if region.LooksLikeJSON(data) {
		fc, err := region.ParseGeoJSON(name, data)
		if err != nil {
			return nil, err
		}
		for i, ft := range fc.Features {
			p, f := pointFromFeature(ft)
			add(fmt.Sprintf("%s:features[%d]", name, i), p, f, true)
		}
	} else {
		region.ReadCSV(name, bytes.NewReader(data), exchangeColumns, &bad, func(line int, cell func(string) string) {
			p, f := pointFromRow(cell)
			add(fmt.Sprintf("%s:%d", name, line), p, f, false)
		})
	}
	if len(bad) > 0 {
		return nil, region.Capped(bad).Err()
	}
	return out, nil
}

func pointFromRow(cell func(string) string) (Point, apperr.Fields) {
	var f apperr.Fields
	p := Point{Code: cell("code"), Name: cell("name"), NameEN: cell("name_en"), Kind: cell("kind"), RegionCode: cell("region_code"),
		Address: cell("address"), Phone: cell("phone"), Hours: cell("hours"), Services: splitServices(cell("services"))}
	level, err := strconv.Atoi(cell("level"))
	if err != nil {
		f.Add("level", "format", apperr.M("层级须为整数", "level must be a whole number"))
	}
	p.Level = level
	for _, col := range []string{"lat", "lon"} {
		s := cell(col)
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			f.Add(col, "format", apperr.M("须为数字", "must be a number"))
			continue
		}
		if col == "lat" {
			p.Lat = &v
		} else {
			p.Lon = &v
		}
	}
	switch cell("location_generated") {
	case "", "0", "false":
	case "1", "true":
		p.LocationGenerated = true
	default:
		f.Add("location_generated", "format", apperr.M("须为 true 或 false", "must be true or false"))
	}
	return p, f
}

func pointFromFeature(ft region.Feature) (Point, apperr.Fields) {
	var f apperr.Fields
	str := func(key string) string { v, _ := region.PropString(ft.Properties, key); return v }
	p := Point{Code: str("code"), Name: str("name"), NameEN: str("name_en"), Kind: str("kind"), RegionCode: str("region_code"),
		Address: str("address"), Phone: str("phone"), Hours: str("hours")}
	if n, ok, err := region.PropInt(ft.Properties, "level"); err != nil || !ok {
		f.Add("properties.level", "format", apperr.M("层级须为整数", "level must be a whole number"))
	} else {
		p.Level = int(n)
	}
	switch v := ft.Properties["services"].(type) {
	case string:
		p.Services = splitServices(v)
	case []any:
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				f.Add("properties.services", "format", apperr.M("服务须为文字列表", "services must be a list of names"))
				break
			}
			p.Services = append(p.Services, s)
		}
	case nil:
	default:
		f.Add("properties.services", "format", apperr.M("服务须为文字列表", "services must be a list of names"))
	}
	if g, ok := ft.Properties["location_generated"].(bool); ok {
		p.LocationGenerated = g
	}
	if ft.Geometry != nil {
		lat, lon, err := ft.Geometry.Point()
		if err != nil {
			f.Add("geometry", "format", apperr.M("几何须为点（Point）", err.Error()))
		} else {
			p.Lat, p.Lon = &lat, &lon
		}
	}
	return p, f
}

func splitServices(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' || r == '；' || r == ',' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Import stores parsed points in one transaction and returns how many. When
// divisions are loaded, every region_code must name one; an unknown one is
// reported with the point's code. Only a province-wide administrator
// imports; the audit record is written in the import's transaction.
func (s *Store) Import(ctx context.Context, actor auth.User, points []Point) (int, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return 0, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := checkRegions(ctx, tx, points); err != nil {
			return err
		}
		if err := PutMany(ctx, tx, points, s.Now.Now()); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now.Now(), actor, "points.import", "points", map[string]int{"imported": len(points)})
	})
	if err != nil {
		return 0, err
	}
	return len(points), nil
}

func checkRegions(ctx context.Context, q store.Querier, points []Point) error {
	var loaded int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions`).Scan(&loaded); err != nil {
		return apperr.Wrap(err, "network: check regions")
	}
	if loaded == 0 {
		return nil
	}
	var codes []any
	listed := map[string]bool{}
	for _, p := range points {
		if p.RegionCode != "" && !listed[p.RegionCode] {
			listed[p.RegionCode] = true
			codes = append(codes, p.RegionCode)
		}
	}
	known := map[string]bool{}
	for batch := range slices.Chunk(codes, 900) {
		rows, err := q.QueryContext(ctx, `SELECT code FROM regions WHERE code IN (`+region.QuestionMarks(len(batch))+`)`, batch...)
		if err != nil {
			return apperr.Wrap(err, "network: check regions")
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return apperr.Wrap(err, "network: check regions")
			}
			known[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return apperr.Wrap(err, "network: check regions")
		}
	}
	var bad apperr.Fields
	for _, p := range points {
		if p.RegionCode != "" && !known[p.RegionCode] {
			at := p.origin
			if at == "" {
				at = p.Code
			}
			bad.Add(at+":region_code", "unknown_region", apperr.M("行政区划 "+p.RegionCode+" 不存在", "no division has the code "+p.RegionCode))
		}
	}
	return region.Capped(bad).Err()
}

// WriteCSV writes points in the exchange format.
func WriteCSV(w io.Writer, points []Point) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(exchangeColumns))
	for i, c := range exchangeColumns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, p := range points {
		lat, lon := "", ""
		if p.Located() {
			lat, lon = strconv.FormatFloat(*p.Lat, 'f', -1, 64), strconv.FormatFloat(*p.Lon, 'f', -1, 64)
		}
		gen := ""
		if p.LocationGenerated {
			gen = "true"
		}
		if err := cw.Write([]string{p.Code, p.Name, p.NameEN, strconv.Itoa(p.Level), p.Kind, p.RegionCode, p.Address, p.Phone,
			p.Hours, lat, lon, strings.Join(p.Services, ";"), gen}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Feature returns the point as a GeoJSON feature (nil geometry when it has no location).
func (p *Point) Feature() region.Feature {
	props := map[string]any{"code": p.Code, "name": p.Name, "level": p.Level, "kind": p.Kind, "services": p.Services}
	for k, v := range map[string]string{"name_en": p.NameEN, "region_code": p.RegionCode, "address": p.Address, "phone": p.Phone, "hours": p.Hours} {
		if v != "" {
			props[k] = v
		}
	}
	if p.LocationGenerated {
		props["location_generated"] = true
	}
	if !p.Located() {
		return region.Feature{Type: "Feature", Properties: props}
	}
	return region.PointFeature(*p.Lat, *p.Lon, props)
}

// WriteGeoJSON writes points as a FeatureCollection.
func WriteGeoJSON(w io.Writer, points []Point) error {
	fc := region.FeatureCollection{Type: "FeatureCollection", Features: make([]region.Feature, 0, len(points))}
	for i := range points {
		fc.Features = append(fc.Features, points[i].Feature())
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(fc)
}
