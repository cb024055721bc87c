package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

const caseColumns = `id, number, item_code, item_version, item_name, department_code, point_code, state, version, channel,
	applicant_user_id, applicant_kind, applicant_name, applicant_id_number, applicant_credit, applicant_phone,
	acting_staff_id, created_by, form, resume_state, waived, waiver_due, reasons, accepted_at, accepted_by,
	promised_due, legal_due, calendar_fallback, paused_since, paused_days, decided_at, decided_by,
	issue_method, issue_address, issued_at, issued_by, verify_code, created_at, updated_at,
	warn_from, special_procedure, supplement_due, extended_days, promised_limit, bundle_case_id`

func scanCase(sc interface{ Scan(...any) error }, extra ...any) (Case, error) {
	var c Case
	var state, channel, form, resume, waived, reasons, acceptedAt, decidedAt, issuedAt, created, updated string
	var userID, acting, acceptedBy, decidedBy, issuedBy, bundleID sql.NullInt64
	var verify sql.NullString
	var fallback int
	dest := append([]any{&c.ID, &c.Number, &c.ItemCode, &c.ItemVersion, &c.ItemName, &c.DepartmentCode, &c.PointCode, &state, &c.Version, &channel,
		&userID, &c.Applicant.Kind, &c.Applicant.Name, &c.Applicant.IDNumber, &c.Applicant.CreditCode, &c.Applicant.Phone,
		&acting, &c.CreatedBy, &form, &resume, &waived, &c.WaiverDue, &reasons, &acceptedAt, &acceptedBy,
		&c.PromisedDue, &c.LegalDue, &fallback, &c.PausedSince, &c.PausedDays, &decidedAt, &decidedBy,
		&c.IssueMethod, &c.IssueAddress, &issuedAt, &issuedBy, &verify, &created, &updated,
		&c.WarnFrom, &c.SpecialProcedure, &c.SupplementDue, &c.ExtendedDays, &c.PromisedLimit, &bundleID}, extra...)
	err := sc.Scan(dest...)
	if err != nil {
		return c, err
	}
	c.State, c.Channel, c.ResumeState = State(state), Channel(channel), State(resume)
	c.Form = json.RawMessage(form)
	json.Unmarshal([]byte(waived), &c.Waived)
	json.Unmarshal([]byte(reasons), &c.Reasons)
	c.Applicant.UserID = ptrInt(userID)
	c.ActingStaffID, c.AcceptedBy, c.DecidedBy, c.IssuedBy = ptrInt(acting), ptrInt(acceptedBy), ptrInt(decidedBy), ptrInt(issuedBy)
	c.AcceptedAt, c.DecidedAt, c.IssuedAt = ptrTime(acceptedAt), ptrTime(decidedAt), ptrTime(issuedAt)
	c.CalendarFallback = fallback != 0
	c.BundleCaseID = ptrInt(bundleID)
	c.VerifyCode = verify.String
	c.CreatedAt, c.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	return c, nil
}

func ptrInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func ptrTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := store.ParseTime(s)
	return &t
}

// caseColumnsOfC is caseColumns qualified by the alias c, for joins.
var caseColumnsOfC = func() string {
	cols := strings.Split(caseColumns, ",")
	for i, col := range cols {
		cols[i] = "c." + strings.TrimSpace(col)
	}
	return strings.Join(cols, ", ")
}()

// caseMaterials reads the materials of a case, in the order every answer
// shows them.
func caseMaterials(ctx context.Context, q store.Querier, caseID int64) ([]Material, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, source, file_name, file_hash, content_type, size, added_by, added_at
		FROM case_materials WHERE case_id = ? ORDER BY added_at, type`, caseID)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: materials")
	}
	defer rows.Close()
	var out []Material
	for rows.Next() {
		var m Material
		var at string
		if err := rows.Scan(&m.Type, &m.Name, &m.Source, &m.FileName, &m.FileHash, &m.ContentType, &m.Size, &m.AddedBy, &at); err != nil {
			return nil, apperr.Wrap(err, "cases: materials")
		}
		m.AddedAt = store.ParseTime(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "cases: materials")
	}
	sortMaterials(out)
	return out, nil
}

// sortMaterials orders materials by when they were added, then by type
// byte by byte, so that the order does not depend on the database's
// collation and an answer built in memory matches one read back.
func sortMaterials(ms []Material) {
	slices.SortStableFunc(ms, func(a, b Material) int {
		if c := a.AddedAt.Compare(b.AddedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Type, b.Type)
	})
}

func materialTypesOf(ms []Material) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Type
	}
	return out
}
