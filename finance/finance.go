// Package finance is the 产融合作 platform, which matches enterprises'
// financing needs with banks' loan products, and the 应急周转金 bridge-loan fund.
package finance

import (
	"time"

	"github.com/onewindow/onewindow/apperr"
)

// Institution is a bank or other lender on the platform. AnswerDays is its
// promise: an application is answered (approved or refused) within that many
// working days of being sent.
type Institution struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	AnswerDays int    `json:"answer_days"`
}

// Collateral kinds an enterprise offers and a product accepts.
const (
	CollateralNone        = "none"        // 信用，无抵押
	CollateralProperty    = "property"    // 房产、土地
	CollateralEquipment   = "equipment"   // 机器设备
	CollateralReceivables = "receivables" // 应收账款
	CollateralIP          = "ip"          // 知识产权
	CollateralGuarantee   = "guarantee"   // 第三方担保
)

// CollateralNames labels each collateral kind.
var CollateralNames = map[string]apperr.Msg{
	CollateralNone:        apperr.M("信用（无抵押）", "none (credit)"),
	CollateralProperty:    apperr.M("房产土地", "property or land"),
	CollateralEquipment:   apperr.M("机器设备", "equipment"),
	CollateralReceivables: apperr.M("应收账款", "receivables"),
	CollateralIP:          apperr.M("知识产权", "intellectual property"),
	CollateralGuarantee:   apperr.M("第三方担保", "third-party guarantee"),
}

// CollateralKinds lists the kinds in the order forms show them.
var CollateralKinds = []string{CollateralNone, CollateralProperty, CollateralEquipment, CollateralReceivables, CollateralIP, CollateralGuarantee}

// ProductKinds labels the kinds of loan product.
var ProductKinds = map[string]apperr.Msg{
	"credit":       apperr.M("信用贷款", "credit loan"),
	"mortgage":     apperr.M("抵押贷款", "secured loan"),
	"guarantee":    apperr.M("担保贷款", "guaranteed loan"),
	"supply_chain": apperr.M("供应链融资", "supply-chain finance"),
	"ip_pledge":    apperr.M("知识产权质押贷款", "IP-pledge loan"),
}

// Industries labels the industries needs and products name.
var Industries = map[string]apperr.Msg{
	"manufacturing": apperr.M("制造业", "manufacturing"),
	"agriculture":   apperr.M("农业", "agriculture"),
	"chemicals":     apperr.M("化工", "chemicals"),
	"tourism":       apperr.M("文旅", "tourism"),
	"trade":         apperr.M("商贸", "trade"),
	"technology":    apperr.M("科技", "technology"),
	"medicine":      apperr.M("医药", "medicine"),
}

// Product is a loan product an institution publishes. Amounts are yuan,
// terms months, rates basis points a year. Empty Collateral means none is
// asked for; empty Industries or Regions mean any. Regions are division
// codes: a need's region matches a product region it starts with.
type Product struct {
	ID              int64     `json:"id"`
	InstitutionCode string    `json:"institution_code"`
	InstitutionName string    `json:"institution_name"`
	Name            string    `json:"name"`
	Kind            string    `json:"kind"`
	AmountMin       int64     `json:"amount_min"`
	AmountMax       int64     `json:"amount_max"`
	TermMin         int       `json:"term_min"`
	TermMax         int       `json:"term_max"`
	RateMinBP       int       `json:"rate_min_bp"`
	RateMaxBP       int       `json:"rate_max_bp"`
	Collateral      []string  `json:"collateral"`
	Industries      []string  `json:"industries"`
	Regions         []string  `json:"regions"`
	ValidFrom       string    `json:"valid_from"`
	ValidTo         string    `json:"valid_to"`
	CreatedAt       time.Time `json:"created_at"`
}

// Need is an enterprise's financing need (融资需求).
type Need struct {
	ID             int64     `json:"id"`
	EnterpriseID   int64     `json:"enterprise_user_id"`
	EnterpriseName string    `json:"enterprise_name"`
	CreditCode     string    `json:"credit_code"`
	Industry       string    `json:"industry"`
	RegionCode     string    `json:"region_code"`
	Amount         int64     `json:"amount"`
	Term           int       `json:"term"`
	Purpose        string    `json:"purpose"`
	Collateral     []string  `json:"collateral"`
	CreatedAt      time.Time `json:"created_at"`
}

// Status of an application to a product.
type Status string

const (
	Sent      Status = "sent"      // sent by the enterprise, not yet taken up
	Accepted  Status = "accepted"  // 受理
	Approved  Status = "approved"  // 审批通过
	Disbursed Status = "disbursed" // 放款
	Refused   Status = "refused"   // 不予贷款, with a reason
	Withdrawn Status = "withdrawn" // the enterprise took it back
)

// StatusNames labels each status.
var StatusNames = map[Status]apperr.Msg{
	Sent: apperr.M("已提交", "sent"), Accepted: apperr.M("已受理", "accepted"), Approved: apperr.M("审批通过", "approved"),
	Disbursed: apperr.M("已放款", "disbursed"), Refused: apperr.M("未获批准", "refused"), Withdrawn: apperr.M("已撤回", "withdrawn"),
}

// Answered reports whether the institution has given its answer.
func (s Status) Answered() bool { return s == Approved || s == Disbursed || s == Refused }

// Application is a need sent to one product.
type Application struct {
	ID              int64     `json:"id"`
	Number          string    `json:"number"`
	Need            Need      `json:"need"`
	ProductID       int64     `json:"product_id"`
	ProductName     string    `json:"product_name"`
	InstitutionCode string    `json:"institution_code"`
	InstitutionName string    `json:"institution_name"`
	Status          Status    `json:"status"`
	Version         int       `json:"version"`
	SentOn          string    `json:"sent_on"`
	AnswerDue       string    `json:"answer_due"`
	AcceptedOn      string    `json:"accepted_on,omitempty"`
	DecidedOn       string    `json:"decided_on,omitempty"`
	ApprovedAmount  int64     `json:"approved_amount"`
	DisbursedAmount int64     `json:"disbursed_amount"`
	DisbursedOn     string    `json:"disbursed_on,omitempty"`
	RefusalReason   string    `json:"refusal_reason,omitempty"`
	Overdue         bool      `json:"overdue"` // not answered and past the answer's due day
	CreatedAt       time.Time `json:"created_at"`
}

// Overdue reports whether an application in status s, due on due, is late
// on today (all YYYY-MM-DD): the due day is a whole working day.
func Overdue(s Status, due, today string) bool {
	return (s == Sent || s == Accepted) && today > due
}
