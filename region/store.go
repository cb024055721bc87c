package region

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// Store reads the regions table. Writes run in the caller's transaction
// (Upsert, SetLocations): region sits below auth, so the service above it
// that checks the actor writes the regions and its audit record in one
// transaction (coverage.Service.LoadRegions and ImportLocations).
type Store struct{ db *store.DB }

// NewStore returns a Store on db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

// maxBatchParams keeps a multi-row INSERT under the placeholder limits of
// both engines (SQLite 32766, PostgreSQL 65535).
const maxBatchParams = 9000

// Upsert inserts or updates regions with q (the caller's transaction), in
// multi-row statements. A region without coordinates, population or area
// keeps the ones already stored.
func Upsert(ctx context.Context, q store.Querier, regions []Region) error {
	const cols = 9
	for batch := range slices.Chunk(regions, maxBatchParams/cols) {
		args := make([]any, 0, len(batch)*cols)
		for _, r := range batch {
			args = append(args, r.Code, r.Name, r.Level, r.ParentCode, nullFloat(r.Lat), nullFloat(r.Lon), nullInt(r.Population),
				r.Area, store.BoolInt(r.LocationGenerated))
		}
		_, err := q.ExecContext(ctx, `
			INSERT INTO regions (code, name, level, parent_code, lat, lon, population, area, location_generated)
			VALUES `+Placeholders(len(batch), cols)+`
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
				lat = COALESCE(excluded.lat, regions.lat), lon = COALESCE(excluded.lon, regions.lon),
				population = COALESCE(excluded.population, regions.population),
				area = CASE WHEN excluded.area <> '' THEN excluded.area ELSE regions.area END,
				location_generated = CASE WHEN excluded.lat IS NOT NULL THEN excluded.location_generated ELSE regions.location_generated END`,
			args...)
		if err != nil {
			return apperr.Wrap(err, "region: load")
		}
	}
	return nil
}

const regionColumnList = `code, name, level, parent_code, lat, lon, population, area, location_generated`

func scanRegion(sc interface{ Scan(...any) error }) (Region, error) {
	var r Region
	var lat, lon sql.NullFloat64
	var pop sql.NullInt64
	var gen int
	if err := sc.Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode, &lat, &lon, &pop, &r.Area, &gen); err != nil {
		return Region{}, err
	}
	if lat.Valid && lon.Valid {
		r.Lat, r.Lon = &lat.Float64, &lon.Float64
	}
	if pop.Valid {
		r.Population = &pop.Int64
	}
	r.LocationGenerated = gen != 0
	return r, nil
}

func (s *Store) query(ctx context.Context, q string, args ...any) ([]Region, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "region: query")
	}
	defer rows.Close()
	var out []Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "region: query")
		}
		out = append(out, r)
	}
	return out, apperr.Wrap(rows.Err(), "region: query")
}

// Count returns how many regions are stored.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions`).Scan(&n)
	return n, apperr.Wrap(err, "region: count")
}

// Get returns one region; the code may be written short ("22" for Jilin).
func (s *Store) Get(ctx context.Context, code string) (Region, error) {
	c, err := Normalize(code)
	if err != nil {
		return Region{}, err
	}
	r, err := scanRegion(s.db.QueryRowContext(ctx, `SELECT `+regionColumnList+` FROM regions WHERE code = ?`, c))
	if errors.Is(err, sql.ErrNoRows) {
		return Region{}, ErrNotFound
	}
	if err != nil {
		return Region{}, apperr.Wrap(err, "region: get")
	}
	return r, nil
}

// Ancestors returns the regions above code, the province first.
func (s *Store) Ancestors(ctx context.Context, r Region) ([]Region, error) {
	var out []Region
	for parent := r.ParentCode; parent != "" && len(out) < 6; {
		p, err := s.Get(ctx, parent)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		parent = p.ParentCode
	}
	slices.Reverse(out)
	return out, nil
}

// Filter selects regions for List.
type Filter struct {
	Parent string // direct children of this code
	Within string // anywhere inside this code
	Level  int    // only this level
	Query  string // part of the name
	Limit  int    // default 100, at most 2000
	Offset int
}

// List returns the regions that match f, ordered by code, and how many match
// in all. With neither Parent nor Within nor Level it lists the top level.
func (s *Store) List(ctx context.Context, f Filter) ([]Region, int, error) {
	var where []string
	var args []any
	if f.Parent != "" {
		c, err := Normalize(f.Parent)
		if err != nil {
			return nil, 0, renameField(err, "parent")
		}
		where, args = append(where, "parent_code = ?"), append(args, c)
	}
	if f.Within != "" {
		in, err := s.Get(ctx, f.Within)
		if err != nil {
			return nil, 0, renameField(err, "within")
		}
		where, args = append(where, "code LIKE ? AND code <> ?"), append(args, in.DescendantPrefix()+"%", in.Code)
	}
	if f.Level != 0 {
		where, args = append(where, "level = ?"), append(args, f.Level)
	}
	if f.Parent == "" && f.Within == "" && f.Level == 0 {
		where = append(where, "parent_code = ''")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, `name LIKE ? ESCAPE '\'`), append(args, "%"+escapeLike(q)+"%")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "region: list")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 2000)
	out, err := s.query(ctx, `SELECT `+regionColumnList+` FROM regions WHERE `+cond+` ORDER BY code LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	return out, total, err
}

// Within returns r and every region inside it at the given levels (all
// levels when none are given), ordered by code.
func (s *Store) Within(ctx context.Context, r Region, levels ...int) ([]Region, error) {
	q := `SELECT ` + regionColumnList + ` FROM regions WHERE code LIKE ?`
	args := []any{r.DescendantPrefix() + "%"}
	if len(levels) > 0 {
		q += ` AND level IN (` + QuestionMarks(len(levels)) + `)`
		for _, l := range levels {
			args = append(args, l)
		}
	}
	return s.query(ctx, q+` ORDER BY code`, args...)
}

// SetLocations stores imported locations in the caller's transaction, so
// that the caller can write its audit record in it, and returns how many
// regions changed. An unknown code is reported with the line or feature it
// came from, and nothing is stored.
func SetLocations(ctx context.Context, tx *store.Tx, locs []Location) (int, error) {
	var n int
	err := func() error {
		known, err := existingCodes(ctx, tx, locs)
		if err != nil {
			return err
		}
		var bad apperr.Fields
		for _, l := range locs {
			if !known[l.Code] {
				bad.Add(l.Origin+":code", "unknown_region", apperr.M(fmt.Sprintf("行政区划 %s 不存在", l.Code),
					fmt.Sprintf("no division has the code %s", l.Code)))
			}
		}
		if len(bad) > 0 {
			return Capped(bad).Err()
		}
		for _, l := range locs {
			var set []string
			var args []any
			if l.Lat != nil && l.Lon != nil {
				set, args = append(set, "lat = ?", "lon = ?", "location_generated = ?"), append(args, *l.Lat, *l.Lon, store.BoolInt(l.Generated))
			}
			if l.Population != nil {
				set, args = append(set, "population = ?"), append(args, *l.Population)
			}
			if l.Area != "" {
				set, args = append(set, "area = ?"), append(args, l.Area)
			}
			if len(set) == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE regions SET `+strings.Join(set, ", ")+` WHERE code = ?`, append(args, l.Code)...); err != nil {
				return apperr.Wrap(err, "region: set location")
			}
			n++
		}
		return nil
	}()
	return n, err
}

func existingCodes(ctx context.Context, q store.Querier, locs []Location) (map[string]bool, error) {
	known := map[string]bool{}
	codes := make([]any, 0, len(locs))
	for _, l := range locs {
		codes = append(codes, l.Code)
	}
	for batch := range slices.Chunk(codes, 900) {
		rows, err := q.QueryContext(ctx, `SELECT code FROM regions WHERE code IN (`+QuestionMarks(len(batch))+`)`, batch...)
		if err != nil {
			return nil, apperr.Wrap(err, "region: check codes")
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, apperr.Wrap(err, "region: check codes")
			}
			known[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, apperr.Wrap(err, "region: check codes")
		}
	}
	return known, nil
}

// renameField reports a bad code under the query parameter that carried it.
func renameField(err error, field string) error {
	var ae *apperr.Error
	if errors.As(err, &ae) && len(ae.Fields) == 1 && ae.Fields[0].Field == "region" {
		return apperr.Fields{apperr.Field(field, ae.Fields[0].Code, ae.Fields[0].Message)}.Err()
	}
	return err
}

func nullFloat(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func nullInt(v *int64) any {
	if v == nil {
		return nil
	}
	return *v
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// QuestionMarks returns "?, ?, …" with n marks.
func QuestionMarks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// Placeholders returns rows groups "(?, …), (?, …)" of cols marks each.
func Placeholders(rows, cols int) string {
	group := "(" + QuestionMarks(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(group+", ", rows), ", ")
}
