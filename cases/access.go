package cases

import (
	"context"
	"database/sql"
	"errors"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

// load reads a case; forUpdate locks its row on PostgreSQL (SQLite's write
// transaction already excludes other writers).
func (s *Service) load(ctx context.Context, q store.Querier, id int64, forUpdate bool) (Case, error) {
	query := `SELECT ` + caseColumns + ` FROM cases WHERE id = ?`
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE`
	}
	c, err := scanCase(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, errNotFound()
	}
	if err != nil {
		return Case{}, apperr.Wrap(err, "cases: load")
	}
	return c, nil
}

// checkScope enforces who may see and act on a case. Applicants get "not
// found" for other people's cases, so that a case number reveals nothing;
// staff outside their point or department get "forbidden".
func (s *Service) checkScope(actor auth.User, c *Case) error {
	switch actor.Role {
	case RoleAdmin:
		return nil
	case RoleApplicant:
		if ownsCase(actor, c) {
			return nil
		}
		return errHidden()
	case RoleReviewer:
		if actor.DepartmentCode != "" && c.DepartmentCode == actor.DepartmentCode {
			return nil
		}
	case RoleFrontDesk, RoleIssuer, RoleHallManager:
		if actor.PointCode != "" && c.PointCode == actor.PointCode {
			return nil
		}
	}
	return errScope()
}

// ownsCase: an applicant's cases are those made from their account, and
// those a front desk made for them in person, matched by the identity number
// checked at the desk (实名). An account whose holder nobody has checked (a
// resident who registered alone, with a confirmed phone) matches a walk-in
// case only where the desk also recorded that phone: knowing someone's ID
// number must not be enough to read their cases.
func ownsCase(actor auth.User, c *Case) bool {
	if c.Applicant.UserID != nil && *c.Applicant.UserID == actor.ID {
		return true
	}
	// A person acting for an enterprise (its legal representative or 经办人)
	// has its cases as the enterprise has.
	if c.Applicant.Kind == "enterprise" && actor.MayActFor(c.Applicant.CreditCode) {
		return true
	}
	switch {
	case actor.Kind == "person" && actor.IDNumber != "":
		return c.Applicant.Kind == "person" && c.Applicant.IDNumber == actor.IDNumber &&
			(!actor.IdentityUnverified || (actor.Phone != "" && c.Applicant.Phone == actor.Phone))
	case actor.Kind == "enterprise" && actor.CreditCode != "":
		return c.Applicant.Kind == "enterprise" && c.Applicant.CreditCode == actor.CreditCode
	}
	return false
}

// Get returns a case with its materials, if actor may see it. The
// applicant's numbers are whole, as every single case the service returns
// has them: whatever shows a case to staff shows Case.ShownTo, and the
// whole numbers only through RevealIdentity, which audits it.
func (s *Service) Get(ctx context.Context, actor auth.User, id int64) (Case, error) {
	return s.getWhere(ctx, actor, `c.id = ?`, id)
}

// GetByNumber returns a case by its number, if actor may see it.
func (s *Service) GetByNumber(ctx context.Context, actor auth.User, number string) (Case, error) {
	return s.getWhere(ctx, actor, `c.number = ?`, number)
}

// getWhere reads one case and its materials in one statement (readWith),
// refusing an actor outside its scope.
func (s *Service) getWhere(ctx context.Context, actor auth.User, cond string, arg any) (Case, error) {
	c, err := readWithMaterials(ctx, s.db, cond, arg, false)
	if err != nil {
		return Case{}, err
	}
	if err := s.checkScope(actor, &c); err != nil {
		return Case{}, err
	}
	return c, nil
}

// readWithMaterials reads one case and its materials in one statement: the
// case's columns repeat on each material's row, which costs less than a
// second statement (a second parse on SQLite, a second round trip on
// PostgreSQL). The materials are put in order here rather than by the
// database. forUpdate locks the case row on PostgreSQL (SQLite's writer
// already excludes the others).
func readWithMaterials(ctx context.Context, q store.Querier, cond string, arg any, forUpdate bool) (Case, error) {
	query := `SELECT ` + caseColumnsOfC + `,
			m.type, m.name, m.source, m.file_name, m.file_hash, m.content_type, m.size, m.added_by, m.added_at
		FROM cases c LEFT JOIN case_materials m ON m.case_id = c.id
		WHERE ` + cond
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE OF c`
	}
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return Case{}, apperr.Wrap(err, "cases: load")
	}
	defer rows.Close()
	var c Case
	found := false
	for rows.Next() {
		var typ, name, source, fileName, fileHash, contentType, addedAt sql.NullString
		var size, addedBy sql.NullInt64
		row, err := scanCase(rows, &typ, &name, &source, &fileName, &fileHash, &contentType, &size, &addedBy, &addedAt)
		if err != nil {
			return Case{}, apperr.Wrap(err, "cases: load")
		}
		if !found {
			c, found = row, true
		}
		if typ.Valid {
			c.Materials = append(c.Materials, Material{Type: typ.String, Name: name.String, Source: source.String,
				FileName: fileName.String, FileHash: fileHash.String, ContentType: contentType.String, Size: size.Int64,
				AddedBy: addedBy.Int64, AddedAt: store.ParseTime(addedAt.String)})
		}
	}
	if err := rows.Err(); err != nil {
		return Case{}, apperr.Wrap(err, "cases: load")
	}
	if !found {
		return Case{}, errNotFound()
	}
	sortMaterials(c.Materials)
	return c, nil
}

// Events returns a case's history, oldest first.
func (s *Service) Events(ctx context.Context, actor auth.User, id int64) ([]Event, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.events(ctx, id)
}
