package cases

import (
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/auth"
)

// Applicant is the person or enterprise a case is for.
type Applicant struct {
	UserID     *int64 `json:"user_id,omitempty"` // set when the applicant has an account
	Kind       string `json:"kind"`              // person | enterprise
	Name       string `json:"name"`
	IDNumber   string `json:"id_number,omitempty"`   // 居民身份证 (persons, and an enterprise's agent)
	CreditCode string `json:"credit_code,omitempty"` // 统一社会信用代码 (enterprises)
	Phone      string `json:"phone,omitempty"`
}

// Material is what an applicant provided for one material type.
type Material struct {
	Type        string    `json:"type"`
	Name        string    `json:"name"`
	Source      string    `json:"source"` // presented (paper at the desk) | upload | declared
	FileName    string    `json:"file_name,omitempty"`
	FileHash    string    `json:"file_hash,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	AddedBy     int64     `json:"added_by"`
	AddedAt     time.Time `json:"added_at"`
}

// Material sources.
const (
	SourcePresented = "presented"
	SourceUpload    = "upload"
	SourceDeclared  = "declared"
	// SourceLicence: satisfied by an electronic licence the applicant holds
	// (免提交), named in FileName as number@version; recorded by package licence.
	SourceLicence = "licence"
)

// Case is one application for one item (办件).
type Case struct {
	ID               int64           `json:"id"`
	Number           string          `json:"number"`
	ItemCode         string          `json:"item_code"`
	ItemVersion      int             `json:"item_version"`
	ItemName         string          `json:"item_name"`
	DepartmentCode   string          `json:"department"`
	PointCode        string          `json:"point"`
	State            State           `json:"state"`
	Version          int             `json:"version"`
	Channel          Channel         `json:"channel"`
	Applicant        Applicant       `json:"applicant"`
	ActingStaffID    *int64          `json:"acting_staff_id,omitempty"` // staff who applied on the applicant's behalf
	CreatedBy        int64           `json:"created_by"`
	Form             json.RawMessage `json:"form,omitempty"`
	ResumeState      State           `json:"-"`
	Waived           []string        `json:"waived,omitempty"`     // 容缺: material types to be supplied after acceptance
	WaiverDue        string          `json:"waiver_due,omitempty"` // date by which they are due
	Reasons          []string        `json:"reasons,omitempty"`    // of the last refusal, non-acceptance, return or request
	AcceptedAt       *time.Time      `json:"accepted_at,omitempty"`
	AcceptedBy       *int64          `json:"accepted_by,omitempty"`
	PromisedDue      string          `json:"promised_due,omitempty"` // YYYY-MM-DD on the working-day calendar
	LegalDue         string          `json:"legal_due,omitempty"`
	CalendarFallback bool            `json:"calendar_fallback,omitempty"` // due dates computed past the known holiday data
	PausedSince      string          `json:"paused_since,omitempty"`
	PausedDays       int             `json:"paused_days,omitempty"`
	SpecialProcedure string          `json:"special_procedure,omitempty"` // hearing, testing … while it pauses the clock
	SupplementDue    string          `json:"supplement_due,omitempty"`    // last day to supply what was asked for
	ExtendedDays     int             `json:"extended_days,omitempty"`     // approved extensions, working days
	PromisedLimit    int             `json:"promised_limit_days"`         // the item's promised limit when accepted
	WarnFrom         string          `json:"warn_from,omitempty"`         // first day of the warning period
	BundleCaseID     *int64          `json:"bundle_case_id,omitempty"`    // the 一件事 application this case is a member of
	DecidedAt        *time.Time      `json:"decided_at,omitempty"`
	DecidedBy        *int64          `json:"decided_by,omitempty"`
	IssueMethod      string          `json:"issue_method,omitempty"`
	IssueAddress     string          `json:"issue_address,omitempty"`
	IssuedAt         *time.Time      `json:"issued_at,omitempty"`
	IssuedBy         *int64          `json:"issued_by,omitempty"`
	VerifyCode       string          `json:"verify_code,omitempty"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
	Materials        []Material      `json:"materials,omitempty"`
}

// Event is one entry of a case's history.
type Event struct {
	ID        int64           `json:"id"`
	CaseID    int64           `json:"case_id"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id"`
	ActorName string          `json:"actor_name"`
	Role      string          `json:"role"`
	Action    string          `json:"action"`
	From      State           `json:"from"`
	To        State           `json:"to"`
	Note      string          `json:"note,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
	// OnBehalf says who acted for the applicant (帮代办): OnBehalfDesk or
	// OnBehalfAgent; empty when the applicant acted or staff acted in
	// their own capacity.
	OnBehalf string `json:"on_behalf,omitempty"`
}

// Who acted for an applicant in a step of a case.
const (
	OnBehalfDesk  = "desk"  // a front desk, at the window
	OnBehalfAgent = "agent" // a person acting for the enterprise (legal representative or 经办人)
)

// onBehalf says in whose stead actor does a step of c.
func onBehalf(actor auth.User, c *Case) string {
	switch {
	case actor.Role == auth.RoleFrontDesk:
		return OnBehalfDesk
	case actor.Role == auth.RoleApplicant && c.Applicant.Kind == "enterprise" && actor.Kind == auth.KindPerson &&
		actor.MayActFor(c.Applicant.CreditCode):
		return OnBehalfAgent
	}
	return ""
}
