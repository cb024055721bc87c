package network

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// Editing one point at a time, as the administration pages do. Put replaces
// whatever point has the code; these refuse to overwrite another point by a
// mistyped code (Create) or to create one by a stale address (Update).

// Create adds a new point in one transaction. A code already in use, or a
// division that does not exist (when divisions are loaded), is an Invalid
// error on the field "code" or "region_code". Only a province-wide
// administrator creates points; the audit record is written with the point.
func (s *Store) Create(ctx context.Context, actor auth.User, p Point) (Point, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Point{}, err
	}
	p.normalize()
	if err := p.Validate(); err != nil {
		return Point{}, err
	}
	p.CreatedAt = s.Now.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		// Claim the code first: of two administrators creating one code at
		// once, the second finds the row and is told so.
		res, err := tx.ExecContext(ctx, `
			INSERT INTO service_points (code, name, level, kind, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO NOTHING`, p.Code, p.Name, p.Level, p.Kind, store.FormatTime(p.CreatedAt))
		if err != nil {
			return apperr.Wrap(err, "network: create point")
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return apperr.Fields{apperr.Field("code", "duplicate", apperr.M("该编码已被其他网点使用", "another service point has this code"))}.Err()
		}
		if err := putChecked(ctx, tx, p); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now.Now(), actor, "point.create", "point:"+p.Code, nil)
	})
	if err != nil {
		return Point{}, err
	}
	return p, nil
}

// Update changes an existing point in one transaction; its code and creation
// time stay. An unknown code is NotFound. Coordinates typed in by hand are
// real ones: the point is no longer marked as placed for a demonstration
// unless its coordinates are those it had. Only a province-wide
// administrator updates points; the audit record is written with the change.
func (s *Store) Update(ctx context.Context, actor auth.User, p Point) (Point, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Point{}, err
	}
	p.normalize()
	if err := p.Validate(); err != nil {
		return Point{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.Get(ctx, tx, p.Code)
		if err != nil {
			return err
		}
		p.CreatedAt = old.CreatedAt
		p.LocationGenerated = old.LocationGenerated && sameFloat(p.Lat, old.Lat) && sameFloat(p.Lon, old.Lon)
		if err := putChecked(ctx, tx, p); err != nil {
			return err
		}
		return auth.Record(ctx, tx, s.Now.Now(), actor, "point.update", "point:"+p.Code, nil)
	})
	if err != nil {
		return Point{}, err
	}
	return p, nil
}

// putChecked checks the point's division and writes it with q (a transaction).
func putChecked(ctx context.Context, q store.Querier, p Point) error {
	if err := checkRegions(ctx, q, []Point{p}); err != nil {
		// checkRegions names the point ("CODE:region_code") for imports; a
		// form has one point, so the field is the form's own.
		ae := apperr.As(err)
		if ae.Code != apperr.Invalid {
			return err
		}
		var f apperr.Fields
		for _, fe := range ae.Fields {
			if strings.HasSuffix(fe.Field, ":region_code") {
				fe.Field = "region_code"
			}
			f = append(f, fe)
		}
		return f.Err()
	}
	return PutMany(ctx, q, []Point{p}, p.CreatedAt)
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
