package cases

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Service runs the lifecycle on a database.
type Service struct {
	db       *store.DB
	catalog  *catalog.Store
	points   *network.Store
	calendar workday.Calendar
	// OnlinePoint receives online applications that name no point.
	OnlinePoint string
	// Now is the server's clock (package clock); business dates come from it.
	Now clock.Clock
	// A case enters its warning period when at most WarnDays working days,
	// or at most WarnFraction of its promised limit, are left.
	WarnDays     int
	WarnFraction float64

	// OnIssue, when set (at wiring time, by package licence), runs inside
	// the transaction that issues a case: an error rolls the issue back.
	// cases never imports licence; the hook keeps the dependency one-way.
	OnIssue func(ctx context.Context, tx *store.Tx, c Case) error
	// OnMemberStart, when set (at wiring time, by package licence), runs
	// inside the transaction that starts a bundle's member case, before it
	// is accepted (member_start.go).
	OnMemberStart func(ctx context.Context, tx *store.Tx, c Case) error

	// track counts wrong query codes of 办件查询 (track.go).
	track trackLimits
}

// NewService returns a Service. cal decides working days for due dates;
// clk is the server's clock (nil: the wall clock).
func NewService(db *store.DB, cat *catalog.Store, points *network.Store, cal workday.Calendar, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	s := &Service{db: db, catalog: cat, points: points, calendar: cal, Now: clk, WarnDays: 1, WarnFraction: 0.2}
	s.track.client = auth.Limiter{MaxFailures: TrackFailuresPerClient, Window: TrackWindow}
	s.track.number = auth.Limiter{MaxFailures: TrackFailuresPerNumber, Window: TrackWindow}
	return s
}

// CreateRequest opens a case. A front desk creates it for the person at the
// desk (received at once); an applicant creates an online draft.
type CreateRequest struct {
	Item      string          `json:"item"`
	Point     string          `json:"point,omitempty"`
	Channel   Channel         `json:"channel,omitempty"`
	Applicant *Applicant      `json:"applicant,omitempty"`
	Materials []string        `json:"materials,omitempty"` // material types presented at the desk
	Form      json.RawMessage `json:"form,omitempty"`
	Submit    bool            `json:"submit,omitempty"` // applicant: send at once instead of keeping a draft
	// Then is a front desk's decision on the person at the desk (受理,
	// 一次性告知, 不予受理), taken in the transaction that opens the case:
	// a decision the rules refuse opens no case.
	Then *FirstAction `json:"-"`
}

// FirstAction is an action taken on a case as it is opened.
type FirstAction struct {
	Action  Action
	Request ActRequest
}

func errNotFound() *apperr.Error {
	return apperr.NotFoundf("case_not_found", apperr.M("案件不存在", "no such case"))
}

// errHidden looks exactly like errNotFound to the caller but is audited.
func errHidden() *apperr.Error {
	e := errNotFound()
	e.Denied = true
	return e
}

func errScope() *apperr.Error {
	e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该案件不在您的办理范围内", "this case is outside your scope"))
	e.Denied = true
	return e
}

// validateApplicant checks the person or enterprise a front desk enters.
func validateApplicant(a *Applicant) error {
	var f apperr.Fields
	if a == nil {
		f.Add("applicant", "required", apperr.M("请填写申请人信息", "applicant is required"))
		return f.Err()
	}
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 100 {
		f.Add("applicant.name", "required", apperr.M("请填写申请人姓名或名称（不超过100字）", "applicant name is required (at most 100 characters)"))
	}
	switch a.Kind {
	case "person":
		if v, err := ident.IDCard(a.IDNumber); err != nil {
			reason, msg := ident.Problem(err)
			f.Add("applicant.id_number", reason, msg)
		} else {
			a.IDNumber = v
		}
	case "enterprise":
		if v, err := ident.CreditCode(a.CreditCode); err != nil {
			reason, msg := ident.Problem(err)
			f.Add("applicant.credit_code", reason, msg)
		} else {
			a.CreditCode = v
		}
		if a.IDNumber != "" {
			if v, err := ident.IDCard(a.IDNumber); err != nil {
				reason, msg := ident.Problem(err)
				f.Add("applicant.id_number", reason, msg)
			} else {
				a.IDNumber = v
			}
		}
	default:
		f.Add("applicant.kind", "unknown", apperr.M("申请人类型须为 person（自然人）或 enterprise（法人）", "applicant kind must be person or enterprise"))
	}
	if a.Phone != "" {
		if v, err := ident.Mobile(a.Phone); err != nil {
			reason, msg := ident.Problem(err)
			f.Add("applicant.phone", reason, msg)
		} else {
			a.Phone = v
		}
	}
	return f.Err()
}
