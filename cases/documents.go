package cases

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/workday"
)

// Document kinds the front desk and the issuing window hand out.
const (
	DocAcceptance  = "acceptance"   // 受理通知书 (收件凭证)
	DocWaiver      = "waiver"       // 容缺受理通知书
	DocMissing     = "missing"      // 一次性告知书
	DocNotAccepted = "not_accepted" // 不予受理通知书
	DocDelivery    = "delivery"     // 送达记录 (result handed out, posted or sent)
)

// DocumentTitles names each kind.
var DocumentTitles = map[string]apperr.Msg{
	DocAcceptance:  apperr.M("受理通知书（收件凭证）", "Notice of acceptance (receipt)"),
	DocWaiver:      apperr.M("容缺受理通知书", "Notice of acceptance with materials to follow"),
	DocMissing:     apperr.M("一次性告知书", "One-time notice of missing materials"),
	DocNotAccepted: apperr.M("不予受理通知书", "Notice of non-acceptance"),
	DocDelivery:    apperr.M("结果送达记录", "Record of delivery of the result"),
}

// Document is the data of a printed notice.
type Document struct {
	Kind          string             `json:"kind"`
	TitleZH       string             `json:"title_zh"`
	TitleEN       string             `json:"title_en"`
	CaseNumber    string             `json:"case_number"`
	ItemCode      string             `json:"item_code"`
	ItemName      string             `json:"item_name"`
	Department    string             `json:"department"`
	ApplicantName string             `json:"applicant_name"`
	ApplicantID   string             `json:"applicant_id"` // masked
	Point         string             `json:"point"`
	PointAddress  string             `json:"point_address,omitempty"`
	PointPhone    string             `json:"point_phone,omitempty"`
	Officer       string             `json:"officer"`
	Date          string             `json:"date"`
	PromisedDue   string             `json:"promised_due,omitempty"`
	LegalDue      string             `json:"legal_due,omitempty"`
	Received      []Material         `json:"received,omitempty"`
	Missing       []catalog.Material `json:"missing,omitempty"`
	DueBy         string             `json:"due_by,omitempty"` // supplement or 容缺 deadline
	Reasons       []string           `json:"reasons,omitempty"`
	AppealZH      string             `json:"appeal_zh,omitempty"`
	AppealEN      string             `json:"appeal_en,omitempty"`
	IssueMethod   string             `json:"issue_method,omitempty"`
	IssueAddress  string             `json:"issue_address,omitempty"`
	VerifyCode    string             `json:"verify_code,omitempty"`
	Decision      State              `json:"decision,omitempty"`
	Collector     *Collection        `json:"collector,omitempty"` // 领取人, for a result handed out at the window
	// QueryCode lets anyone holding the notice follow the case at /track
	// without an account (办件查询).
	QueryCode string `json:"query_code"`
}

// Appeal routes printed on a notice of non-acceptance: 行政复议法 (60 days)
// and 行政诉讼法 (6 months).
var appealRoutes = apperr.M(
	"如不服本决定，可自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。",
	"If you disagree, you may apply for administrative reconsideration within 60 days of receiving this notice, or bring an administrative lawsuit before a people's court within six months.")

// Documents lists the kinds available for a case now.
func (s *Service) Documents(ctx context.Context, actor auth.User, id int64) ([]string, error) {
	c, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	evs, err := s.Events(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return availableDocuments(&c, evs), nil
}

func availableDocuments(c *Case, evs []Event) []string {
	out := []string{}
	has := func(a Action) bool {
		return slices.ContainsFunc(evs, func(e Event) bool { return e.Action == string(a) })
	}
	if c.AcceptedAt != nil {
		out = append(out, DocAcceptance)
		if len(c.Waived) > 0 {
			out = append(out, DocWaiver)
		}
	}
	if has(NotifyMissing) || has(RequestSupplement) {
		out = append(out, DocMissing)
	}
	if c.State == NotAccepted {
		out = append(out, DocNotAccepted)
	}
	if c.IssuedAt != nil {
		out = append(out, DocDelivery)
	}
	return out
}

// Document builds one notice for a case.
func (s *Service) Document(ctx context.Context, actor auth.User, id int64, kind string) (Document, error) {
	c, err := s.Get(ctx, actor, id)
	if err != nil {
		return Document{}, err
	}
	evs, err := s.Events(ctx, actor, id)
	if err != nil {
		return Document{}, err
	}
	if !slices.Contains(availableDocuments(&c, evs), kind) {
		if _, known := DocumentTitles[kind]; !known {
			return Document{}, apperr.NotFoundf("unknown_document", apperr.M("没有这种文书", "no such kind of document"))
		}
		return Document{}, apperr.New(apperr.Conflict, "document_not_available",
			apperr.M("该案件目前没有此文书", "this case has no such document at this stage")).With("state", c.State)
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return Document{}, err
	}
	pt, err := s.points.Get(ctx, nil, c.PointCode)
	if err != nil {
		return Document{}, err
	}
	title := DocumentTitles[kind]
	d := Document{Kind: kind, TitleZH: title.ZH, TitleEN: title.EN, CaseNumber: c.Number, ItemCode: c.ItemCode, ItemName: c.ItemName,
		Department: c.DepartmentCode, ApplicantName: c.Applicant.Name, Point: pt.Name, PointAddress: pt.Address, PointPhone: pt.Phone}
	if dep, err := s.catalog.Department(ctx, c.DepartmentCode); err == nil {
		d.Department = dep.Name
	}
	if d.QueryCode, err = s.queryCode(ctx, c.ID); err != nil {
		return Document{}, err
	}
	if c.Applicant.Kind == "enterprise" {
		d.ApplicantID = c.Applicant.CreditCode
	} else {
		d.ApplicantID = ident.MaskID(c.Applicant.IDNumber)
	}
	last := func(actions ...Action) *Event {
		for i := len(evs) - 1; i >= 0; i-- {
			if slices.Contains(actions, Action(evs[i].Action)) {
				return &evs[i]
			}
		}
		return nil
	}
	sign := func(e *Event) {
		if e != nil {
			d.Officer = e.ActorName
			d.Date = workday.FormatDate(workday.DateOf(e.At))
		}
	}
	switch kind {
	case DocAcceptance, DocWaiver:
		sign(last(Accept))
		d.PromisedDue, d.LegalDue = c.PromisedDue, c.LegalDue
		d.Received = c.Materials
		if kind == DocWaiver {
			for _, t := range c.Waived {
				d.Missing = append(d.Missing, materialOf(&it, t))
			}
			d.DueBy = c.WaiverDue
		}
	case DocMissing:
		e := last(NotifyMissing, RequestSupplement)
		sign(e)
		var data struct {
			Missing []catalog.Material `json:"missing"`
			Due     string             `json:"due"`
			Reasons []string           `json:"reasons"`
		}
		json.Unmarshal(e.Data, &data)
		d.Missing, d.DueBy, d.Reasons = data.Missing, data.Due, data.Reasons
		d.Received = c.Materials
	case DocNotAccepted:
		sign(last(NotAccept))
		d.Reasons = c.Reasons
		d.AppealZH, d.AppealEN = appealRoutes.ZH, appealRoutes.EN
	case DocDelivery:
		sign(last(Issue))
		d.IssueMethod, d.IssueAddress, d.VerifyCode = c.IssueMethod, c.IssueAddress, c.VerifyCode
		d.Decision = Approved
		if d.Collector, err = s.collection(ctx, c.ID); err != nil {
			return Document{}, err
		}
		if last(Refuse) != nil {
			d.Decision = Refused
			d.Reasons = c.Reasons
			d.AppealZH, d.AppealEN = appealRoutes.ZH, appealRoutes.EN
		}
	}
	return d, nil
}
