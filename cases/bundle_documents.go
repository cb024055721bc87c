package cases

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/workday"
)

// BundleDocumentKinds lists the notices a bundle application in a state
// has: the one-time notice (一次性告知书) while it waits for what is
// missing, the notice of non-acceptance (不予受理通知书) once refused at
// the desk. Its member cases have their own notices from 受理 on.
func BundleDocumentKinds(state State) []string {
	switch state {
	case SupplementNeeded:
		return []string{DocMissing}
	case NotAccepted:
		return []string{DocNotAccepted}
	}
	return nil
}

// bundleDocumentActions are the desk's actions that each notice records.
var bundleDocumentActions = map[string]Action{DocMissing: BundleNotifyMissing, DocNotAccepted: BundleNotAccept}

// BundleDocument builds one notice of a bundle application: the bundle in
// place of the item, its lead department, the officer and the day of the
// desk's action that the notice records (from its audit record, which
// every action of a bundle writes), the materials still missing or the
// reasons for not accepting with the routes of appeal.
func (s *Service) BundleDocument(ctx context.Context, actor auth.User, id int64, kind string) (Document, error) {
	b, err := s.GetBundleCase(ctx, actor, id)
	if err != nil {
		return Document{}, err
	}
	title, known := DocumentTitles[kind]
	if !known {
		return Document{}, apperr.NotFoundf("unknown_document", apperr.M("没有这种文书", "no such kind of document"))
	}
	if !slices.Contains(BundleDocumentKinds(b.State), kind) {
		return Document{}, apperr.New(apperr.Conflict, "document_not_available",
			apperr.M("该一件事申请目前没有此文书", "this bundle application has no such document at this stage")).With("state", b.State)
	}
	pt, err := s.points.Get(ctx, nil, b.PointCode)
	if err != nil {
		return Document{}, err
	}
	d := Document{Kind: kind, TitleZH: title.ZH, TitleEN: title.EN, CaseNumber: b.Number, ItemCode: b.BundleCode, ItemName: b.BundleName,
		Department: b.LeadDepartment, ApplicantName: b.Applicant.Name, Point: pt.Name, PointAddress: pt.Address, PointPhone: pt.Phone}
	if dep, err := s.catalog.Department(ctx, b.LeadDepartment); err == nil {
		d.Department = dep.Name
	}
	if b.Applicant.Kind == "enterprise" {
		d.ApplicantID = b.Applicant.CreditCode
	} else {
		d.ApplicantID = ident.MaskID(b.Applicant.IDNumber)
	}
	recs, err := audit.List(ctx, s.db, audit.Filter{Object: "bundle_case:" + b.Number, Action: "bundle_case." + string(bundleDocumentActions[kind]), Limit: 1})
	if err != nil {
		return Document{}, err
	}
	if len(recs) == 1 {
		d.Officer, d.Date = officerOf(recs[0]), workday.FormatDate(workday.DateOf(recs[0].At))
	}
	switch kind {
	case DocMissing:
		def, err := s.catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
		if err != nil {
			return Document{}, err
		}
		guide, err := s.catalog.Guide(ctx, def)
		if err != nil {
			return Document{}, err
		}
		missing, waivable := mergedCheck(catalog.Asked(guide.Materials), b.Materials)
		for _, m := range append(missing, waivable...) {
			d.Missing = append(d.Missing, m.Material)
		}
		for _, t := range b.Materials {
			if i := slices.IndexFunc(guide.Materials, func(m catalog.MergedMaterial) bool { return m.Type == t }); i >= 0 {
				source := SourcePresented
				if slices.ContainsFunc(b.Files, func(f Material) bool { return f.Type == t }) {
					source = SourceUpload
				}
				d.Received = append(d.Received, Material{Type: t, Name: guide.Materials[i].Name, Source: source})
			}
		}
	case DocNotAccepted:
		d.Reasons = b.Reasons
		d.AppealZH, d.AppealEN = appealRoutes.ZH, appealRoutes.EN
	}
	return d, nil
}

// officerOf is the name of who did what an audit record of a bundle
// records: the name the record's detail carries, else the account's
// username (records written before the name was kept).
func officerOf(r audit.Record) string {
	var detail struct {
		Officer string `json:"officer"`
	}
	if json.Unmarshal([]byte(r.Detail), &detail) == nil && detail.Officer != "" {
		return detail.Officer
	}
	return r.Actor
}
