package network

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
)

// MaxPage is the most points one page of a search returns: a province has
// thousands, and no page shows them all at once.
const MaxPage = 100

// Filter narrows a search of the points: words in the code, the name (either
// language) or the address, a level, a kind; Limit (at most MaxPage, 0 for
// MaxPage) and Offset page through them in level and code order.
type Filter struct {
	Query  string
	Level  int
	Kind   string
	Limit  int
	Offset int
}

// Search returns one page of the points that match f and how many match in
// all. Both statements filter in SQL and the page is cut there (LIMIT and
// OFFSET); the points' services are read for the page only.
func (s *Store) Search(ctx context.Context, f Filter) ([]Point, int, error) {
	var fe apperr.Fields
	f.Query = strings.TrimSpace(f.Query)
	if utf8.RuneCountInString(f.Query) > 100 {
		fe.Add("q", "too_long", apperr.M("搜索词不超过100字", "a search has at most 100 characters"))
	}
	if f.Level < 0 || f.Level > 6 {
		fe.Add("level", "range", apperr.M("层级须为1–6", "level must be 1–6"))
	}
	if _, ok := KindNames[f.Kind]; f.Kind != "" && !ok {
		fe.Add("kind", "unknown", apperr.M("没有这种网点类型", "no such kind of point"))
	}
	if f.Limit < 0 || f.Offset < 0 {
		fe.Add("offset", "range", apperr.M("页码不正确", "bad page offset"))
	}
	if err := fe.Err(); err != nil {
		return nil, 0, err
	}
	if f.Limit == 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	var conds []string
	var args []any
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		conds = append(conds, `(LOWER(code) LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\' OR LOWER(name_en) LIKE ? ESCAPE '\' OR address LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like)
	}
	if f.Level > 0 {
		conds = append(conds, `level = ?`)
		args = append(args, f.Level)
	}
	if f.Kind != "" {
		conds = append(conds, `kind = ?`)
		args = append(args, f.Kind)
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM service_points`+where, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "network: count points")
	}
	if total == 0 || f.Offset >= total {
		return []Point{}, total, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+pointColumns+` FROM service_points`+where+` ORDER BY level, code LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "network: search points")
	}
	defer rows.Close()
	out := []Point{}
	var codes []any
	for rows.Next() {
		p, err := scanPoint(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "network: search points")
		}
		out = append(out, p)
		codes = append(codes, p.Code)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "network: search points")
	}
	services, err := readServices(ctx, s.db, `SELECT point_code, service FROM point_services WHERE point_code IN (?`+strings.Repeat(`, ?`, len(codes)-1)+`) ORDER BY point_code, service`, codes...)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Services = services[out[i].Code]
	}
	return out, total, nil
}

// Count is how many service points there are.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM service_points`).Scan(&n)
	return n, apperr.Wrap(err, "network: count points")
}

// escapeLike makes s match itself in a LIKE pattern: % and _ are not
// wildcards, \ is the escape character declared with ESCAPE.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
