package rating

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
)

const ratingColumns = `r.id, r.subject, r.case_id, r.ticket_id, r.subject_ref, r.item_name, r.point_code, r.department_code,
	r.window_code, r.staff_id, r.staff_name, r.level, r.tags, r.comment, r.channel, r.rater_user_id, r.rater_name, r.rater_phone,
	r.real_name, r.recorded_by, r.appeal_upheld, r.amendments, r.month, r.created_at, r.updated_at, f.id`

const ratingFrom = ` FROM ratings r LEFT JOIN rating_followups f ON f.rating_id = r.id`

func scanRating(sc interface{ Scan(...any) error }) (Rating, error) {
	var r Rating
	var subject, tags, channel, created, updated string
	var caseID, ticketID, staff, raterID, recorded, followup sql.NullInt64
	var level, realName, upheld int
	err := sc.Scan(&r.ID, &subject, &caseID, &ticketID, &r.SubjectRef, &r.ItemName, &r.Point, &r.Department,
		&r.Window, &staff, &r.StaffName, &level, &tags, &r.Comment, &channel, &raterID, &r.RaterName, &r.RaterPhone,
		&realName, &recorded, &upheld, &r.Amendments, &r.Month, &created, &updated, &followup)
	if err != nil {
		return r, err
	}
	r.Subject, r.Channel, r.Level, r.Tags = Subject(subject), Channel(channel), Level(level), decodeTags(tags)
	r.CaseID, r.TicketID, r.StaffID, r.RaterUserID = ptrInt(caseID), ptrInt(ticketID), ptrInt(staff), ptrInt(raterID)
	r.RecordedBy, r.FollowUpID = ptrInt(recorded), ptrInt(followup)
	r.RealName, r.AppealUpheld = realName != 0, upheld != 0
	r.CreatedAt, r.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	r.AmendableUntil = r.CreatedAt.Add(AmendWindow)
	r.LevelZH, r.LevelEN = LevelNames[r.Level].ZH, LevelNames[r.Level].EN
	return r, nil
}

func insertRating(ctx context.Context, tx *store.Tx, r *Rating) error {
	err := tx.QueryRowContext(ctx, `
		INSERT INTO ratings (subject, case_id, ticket_id, subject_ref, item_name, point_code, department_code, window_code,
			staff_id, staff_name, level, tags, comment, channel, rater_user_id, rater_name, rater_phone, real_name, recorded_by,
			month, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		string(r.Subject), r.CaseID, r.TicketID, r.SubjectRef, r.ItemName, r.Point, r.Department, r.Window,
		r.StaffID, r.StaffName, int(r.Level), encodeTags(r.Tags), r.Comment, string(r.Channel), r.RaterUserID, r.RaterName,
		r.RaterPhone, store.BoolInt(r.RealName), r.RecordedBy, r.Month, store.FormatTime(r.CreatedAt), store.FormatTime(r.UpdatedAt)).Scan(&r.ID)
	if store.IsUniqueViolation(err) {
		// Another rating of the same subject committed first.
		return apperr.New(apperr.Conflict, "already_rated", apperr.M("已经评价过了", "this has been rated already"))
	}
	return apperr.Wrap(err, "rating: insert")
}

// ratingOf returns the rating of sub, if there is one.
func ratingOf(ctx context.Context, q store.Querier, sub *subject) (Rating, bool, error) {
	cond, arg := `r.case_id = ?`, any(sub.caseID)
	if sub.kind == SubjectVisit {
		cond, arg = `r.ticket_id = ?`, any(sub.ticketID)
	}
	r, err := scanRating(q.QueryRowContext(ctx, `SELECT `+ratingColumns+ratingFrom+` WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Rating{}, false, nil
	}
	if err != nil {
		return Rating{}, false, apperr.Wrap(err, "rating: load")
	}
	return r, true, nil
}

func (s *Service) loadRating(ctx context.Context, q store.Querier, id int64) (Rating, error) {
	r, err := scanRating(q.QueryRowContext(ctx, `SELECT `+ratingColumns+ratingFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Rating{}, apperr.NotFoundf("rating_not_found", apperr.M("评价不存在", "no such rating"))
	}
	return r, apperr.Wrap(err, "rating: load")
}

// Filter narrows a list of ratings.
type Filter struct {
	Month   string // YYYY-MM; every month when empty
	Point   string
	OnlyBad bool
	Limit   int
	Offset  int
}

// scopeOf is the WHERE condition that keeps a list to what actor may see:
// administrators everything, a reviewer the department's cases, a hall
// manager the point's cases and visits, a front desk the ratings it
// recorded, an applicant their own.
func scopeOf(actor auth.User) (string, []any, error) {
	switch {
	case actor.Disabled:
	case actor.Role == auth.RoleAdmin:
		return "1 = 1", nil, nil
	case actor.Role == auth.RoleReviewer && actor.DepartmentCode != "":
		return "r.department_code = ?", []any{actor.DepartmentCode}, nil
	case actor.Role == auth.RoleHallManager && actor.PointCode != "":
		return "r.point_code = ?", []any{actor.PointCode}, nil
	case actor.Role == auth.RoleFrontDesk:
		return "r.recorded_by = ?", []any{actor.ID}, nil
	case actor.Role == auth.RoleApplicant:
		return "r.rater_user_id = ?", []any{actor.ID}, nil
	}
	return "", nil, apperr.RoleNotAllowed(apperr.Msg{})
}

// List returns the ratings actor may see, newest first, and how many there are.
// Staff see raters' numbers masked.
func (s *Service) List(ctx context.Context, actor auth.User, f Filter) ([]Rating, int, error) {
	cond, args, err := scopeOf(actor)
	if err != nil {
		return nil, 0, err
	}
	where := []string{cond}
	if f.Month != "" {
		where, args = append(where, "r.month = ?"), append(args, f.Month)
	}
	if f.Point != "" {
		where, args = append(where, "r.point_code = ?"), append(args, f.Point)
	}
	if f.OnlyBad {
		where = append(where, "r.level <= 2")
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ratings r WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "rating: count")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+ratingColumns+ratingFrom+` WHERE `+w+` ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "rating: list")
	}
	defer rows.Close()
	out := []Rating{}
	for rows.Next() {
		r, err := scanRating(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "rating: list")
		}
		if actor.Role != auth.RoleApplicant {
			r = r.masked()
		}
		out = append(out, r)
	}
	return out, total, apperr.Wrap(rows.Err(), "rating: list")
}
