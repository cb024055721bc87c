package rating

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// The doors a rating comes through besides a signed-in applicant: the
// rating pad at a window, the signed link of an invitation, and the case
// page where an applicant sees whether they may rate.

// CaseState is where the rating of one case stands for a viewer.
type CaseState struct {
	Rating  *Rating `json:"rating,omitempty"`
	Ratable bool    `json:"ratable"`  // the case is decided and its result given
	CanRate bool    `json:"can_rate"` // the viewer may rate it now, or change the rating
}

// ForCase returns the rating of case id as actor sees it: its applicant,
// and staff whose scope holds the case (the same rule as the case's own).
func (s *Service) ForCase(ctx context.Context, actor auth.User, caseID int64) (CaseState, error) {
	sub, err := loadCase(ctx, s.db, `c.id = ?`, caseID)
	if err != nil {
		return CaseState{}, err
	}
	owner := cases.OwnedBy(actor, sub.theCase)
	switch {
	case actor.Disabled:
		return CaseState{}, errHidden()
	case actor.Role == auth.RoleApplicant && !owner:
		return CaseState{}, errHidden()
	case actor.Role == auth.RoleReviewer && actor.DepartmentCode != sub.department,
		(actor.Role == auth.RoleFrontDesk || actor.Role == auth.RoleIssuer || actor.Role == auth.RoleHallManager) && actor.PointCode != sub.point:
		e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该办件不在您的办理范围内", "this case is outside your scope"))
		e.Denied = true
		return CaseState{}, e
	}
	st := CaseState{Ratable: sub.ratable}
	r, found, err := ratingOf(ctx, s.db, &sub)
	if err != nil {
		return CaseState{}, err
	}
	if found {
		if !owner {
			r = r.masked()
		}
		st.Rating = &r
	}
	st.CanRate = owner && sub.ratable && (!found || MayAmend(r.CreatedAt, s.Now()))
	return st, nil
}

// LinkState is what a rating link shows: the case, not who applied.
type LinkState struct {
	CaseNumber string  `json:"case_number"`
	ItemName   string  `json:"item_name"`
	PointName  string  `json:"point_name"`
	Rating     *Rating `json:"rating,omitempty"`
	CanRate    bool    `json:"can_rate"`
}

// Link returns what the link token rates, without signing in.
func (s *Service) Link(ctx context.Context, token string) (LinkState, error) {
	key, err := s.ratingKey(ctx)
	if err != nil {
		return LinkState{}, err
	}
	id, err := ParseLink(key, token, s.Now())
	if err != nil {
		return LinkState{}, err
	}
	sub, err := loadCase(ctx, s.db, `c.id = ?`, id)
	if err != nil {
		return LinkState{}, errBadLink()
	}
	st := LinkState{CaseNumber: sub.ref, ItemName: sub.itemName, PointName: s.pointName(ctx, sub.point)}
	r, found, err := ratingOf(ctx, s.db, &sub)
	if err != nil {
		return LinkState{}, err
	}
	if found {
		r = r.masked()
		st.Rating = &r
	}
	st.CanRate = sub.ratable && (!found || MayAmend(r.CreatedAt, s.Now()))
	return st, nil
}

// RateByLink records (or, within 7 days, changes) the rating of the case
// the link names, as its applicant, who may leave a mobile number for the
// call-back. client is the caller's address: one client rates at most a
// few times in ten minutes.
func (s *Service) RateByLink(ctx context.Context, token string, req RateRequest, client string) (Rating, error) {
	key, err := s.ratingKey(ctx)
	if err != nil {
		return Rating{}, err
	}
	id, err := ParseLink(key, token, s.Now())
	if err != nil {
		return Rating{}, err
	}
	var f apperr.Fields
	if req.Phone = ident.OptionalMobile(&f, "phone", req.Phone); f.Err() != nil {
		return Rating{}, f.Err()
	}
	if err := s.checkLimit("client:" + client); err != nil {
		return Rating{}, err
	}
	var actor auth.User
	return s.rate(ctx, auth.User{}, ChannelLink, req,
		func(tx *store.Tx) (subject, error) {
			sub, err := loadCase(ctx, tx, `c.id = ?`, id)
			if err != nil {
				return sub, errBadLink()
			}
			actor = auth.User{Username: "link:" + sub.ref, Name: sub.ownerName, Role: "applicant"}
			return sub, nil
		},
		func(sub *subject) error { return nil },
		func(sub *subject) rater {
			return rater{userID: sub.ownerID, name: sub.ownerName, phone: firstOf(req.Phone, sub.ownerPhone), realName: true}
		}, &actor)
}

// PadState is what a window's pad shows: the visit just finished there
// and not yet rated, or nothing (the pad waits).
type PadState struct {
	PointName  string     `json:"point_name"`
	WindowName string     `json:"window_name"`
	TicketID   *int64     `json:"ticket_id,omitempty"`
	Number     string     `json:"number,omitempty"`
	StaffName  string     `json:"staff_name,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Until is when the pad stops offering the visit.
	Until *time.Time `json:"until,omitempty"`
}

func errBadPad() *apperr.Error {
	e := apperr.NotFoundf("rating_pad_invalid", apperr.M("评价器地址无效，请大厅管理员重新获取", "this pad address is not valid; ask the hall manager for the window's address"))
	e.Denied = true
	return e
}

// checkPad verifies the pad key of a window and returns the window's name.
func (s *Service) checkPad(ctx context.Context, point, window, padKey string) (string, error) {
	key, err := s.ratingKey(ctx)
	if err != nil {
		return "", err
	}
	if !ValidPadKey(key, point, window, padKey) {
		return "", errBadPad()
	}
	var name string
	err = s.db.QueryRowContext(ctx, `SELECT name FROM hall_windows WHERE point_code = ? AND code = ?`, point, window).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errBadPad()
	}
	return name, apperr.Wrap(err, "rating: pad window")
}

// lastFinished returns the ticket last finished at a window today, if any.
func lastFinished(ctx context.Context, q store.Querier, point, window, day string) (int64, bool, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM hall_tickets WHERE point_code = ? AND window_code = ? AND day = ? AND status = 'done'
		ORDER BY finished_at DESC, id DESC LIMIT 1`, point, window, day).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, apperr.Wrap(err, "rating: last finished ticket")
	}
	return id, true, nil
}

// Pad returns what the pad of a window shows now: the last visit finished
// there within 10 minutes, unless it is rated already.
func (s *Service) Pad(ctx context.Context, point, window, padKey string) (PadState, error) {
	name, err := s.checkPad(ctx, point, window, padKey)
	if err != nil {
		return PadState{}, err
	}
	now := s.Now()
	st := PadState{PointName: s.pointName(ctx, point), WindowName: name}
	id, ok, err := lastFinished(ctx, s.db, point, window, workday.FormatDate(workday.DateOf(now)))
	if err != nil || !ok {
		return st, err
	}
	sub, err := loadTicket(ctx, s.db, point, id)
	if err != nil {
		return st, err
	}
	if !PadMayRate(sub.finishedAt, now) {
		return st, nil
	}
	if _, rated, err := ratingOf(ctx, s.db, &sub); err != nil || rated {
		return st, err
	}
	until := sub.finishedAt.Add(PadWindow)
	st.TicketID, st.Number, st.StaffName, st.FinishedAt, st.Until = sub.ticketID, sub.ref[len("2006-01-02 "):], sub.staffName, &sub.finishedAt, &until
	return st, nil
}

// RateAtPad records the rating given on a window's pad of the visit just
// finished there (ticketID, as the pad showed it): only the last one
// finished at that window, within 10 minutes, and once. A rater the pad
// does not know may leave a mobile number for the call-back of a bad rating.
func (s *Service) RateAtPad(ctx context.Context, point, window, padKey string, ticketID int64, req RateRequest) (Rating, error) {
	if _, err := s.checkPad(ctx, point, window, padKey); err != nil {
		return Rating{}, err
	}
	var f apperr.Fields
	if req.Phone = ident.OptionalMobile(&f, "phone", req.Phone); f.Err() != nil {
		return Rating{}, f.Err()
	}
	if err := s.checkLimit("pad:" + point + "/" + window); err != nil {
		return Rating{}, err
	}
	actor := auth.User{Username: "pad:" + point + "/" + window, Name: "窗口评价器 / window pad", Role: "pad"}
	now := s.Now()
	return s.rate(ctx, actor, ChannelPad, req,
		func(tx *store.Tx) (subject, error) { return loadTicket(ctx, tx, point, ticketID) },
		func(sub *subject) error {
			last, ok, err := lastFinished(ctx, s.db, point, window, workday.FormatDate(workday.DateOf(now)))
			if err != nil {
				return err
			}
			if sub.window != window || !ok || last != ticketID || !PadMayRate(sub.finishedAt, now) {
				return apperr.New(apperr.Conflict, "pad_window_closed", apperr.M("本次服务的评价时间已过", "the time to rate this visit here has passed"))
			}
			return nil
		},
		func(sub *subject) rater {
			return rater{userID: sub.ownerID, name: sub.ownerName, phone: req.Phone, realName: sub.ownerID != nil || req.Phone != ""}
		}, nil)
}

// PadPath returns the address of a window's pad, for its hall manager (or
// an administrator) to open on the tablet.
func (s *Service) PadPath(ctx context.Context, actor auth.User, point, window string) (string, error) {
	if actor.Role != auth.RoleAdmin && (actor.Role != auth.RoleHallManager || actor.PointCode != point || actor.Disabled) {
		e := apperr.RoleNotAllowed(apperr.M("只有本网点的大厅管理员可以获取评价器地址", "only the point's hall manager gets a pad's address"))
		return "", e
	}
	key, err := s.ratingKey(ctx)
	if err != nil {
		return "", err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM hall_windows WHERE point_code = ? AND code = ?`, point, window).Scan(&n); err != nil {
		return "", apperr.Wrap(err, "rating: window")
	}
	if n == 0 {
		return "", apperr.NotFoundf("window_not_found", apperr.M("窗口不存在", "no such window"))
	}
	return "/pad/" + point + "/" + window + "?key=" + PadKey(key, point, window), nil
}

// LinkFor returns the path of a rating link for case id valid until
// expires (the invitation writes one; tests and the demo ask for one).
func (s *Service) LinkFor(ctx context.Context, caseID int64, expires time.Time) (string, error) {
	key, err := s.ratingKey(ctx)
	if err != nil {
		return "", err
	}
	return LinkPath(SignLink(key, caseID, expires)), nil
}

func (s *Service) pointName(ctx context.Context, code string) string {
	var name string
	if err := s.db.QueryRowContext(ctx, `SELECT name FROM service_points WHERE code = ?`, code).Scan(&name); err != nil {
		return code
	}
	return name
}

// PadRequest is what a pad sends: the visit it showed and the rating.
type PadRequest struct {
	TicketID int64 `json:"ticket_id"`
	RateRequest
}
