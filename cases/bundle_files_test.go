package cases_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

const bundleCode = "YJS-TEST"

// withBundle adds a second item (at the other department) and a bundle of
// the two that issues together: both ask for the identity card.
func (f *fixture) withBundle(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	cat := catalog.NewStore(f.db)
	it, err := cat.SaveDraft(ctx, auth.System, catalog.Item{Code: "RS-0001", BaseCode: "0001", Name: "城乡居民养老保险参保登记", Type: "07",
		DepartmentCode: "HN-RS", Levels: []int{4}, LegalLimitDays: 10, PromisedLimitDays: 5,
		Materials: []catalog.Material{
			{Name: "居民身份证", Type: "id_card", Requirement: catalog.Required, Originals: 1},
			{Name: "户口簿", Type: "household", Requirement: catalog.Required, Originals: 1},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Publish(ctx, auth.System, it.Code, it.Version); err != nil {
		t.Fatal(err)
	}
	b, err := cat.SaveBundleDraft(ctx, auth.System, catalog.Bundle{Code: bundleCode, Name: "退休一件事", LeadDepartment: "HN-YB",
		PromisedLimitDays: 5, OnRefusal: catalog.OnRefusalContinue, Members: []catalog.BundleMember{{Item: "YB-0001"}, {Item: "RS-0001"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.PublishBundle(ctx, auth.System, b.Code, b.Version); err != nil {
		t.Fatal(err)
	}
}

// file is an uploaded file as the caller hands it to the service (stored already).
func file(typ, hashDigit string) cases.Material {
	return cases.Material{Type: typ, Source: cases.SourceUpload, FileName: typ + ".pdf", FileHash: strings.Repeat(hashDigit, 64),
		ContentType: "application/pdf", Size: 1234}
}

func wantField(t *testing.T, what string, err error, code apperr.Code, field string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != code || (field != "" && !hasField(e, field)) {
		t.Errorf("%s: got %v, want %s naming %q", what, err, code, field)
	}
}

// An online bundle application carries its uploaded files: refused ones
// change nothing; the desk's one-time notice names what is missing; the
// applicant uploads it and says it is supplied; the desk accepts; each
// member case gets the files its item asks for (the shared identity card
// counts for both). Files cannot be added once accepted, nor by a reviewer.
func TestBundleFilesReachMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-09-28")
		f.withBundle(t)
		ctx := context.Background()

		_, err := f.svc.CreateBundleCase(ctx, f.appl, cases.BundleCreateRequest{Bundle: bundleCode, Files: []cases.Material{file("passport", "a")}})
		wantField(t, "a file the bundle does not ask for", err, apperr.Invalid, "file_passport")
		bad := file("id_card", "a")
		bad.FileHash = "../etc"
		_, err = f.svc.CreateBundleCase(ctx, f.appl, cases.BundleCreateRequest{Bundle: bundleCode, Files: []cases.Material{bad}})
		wantField(t, "a file that was not stored", err, apperr.Invalid, "file_id_card")

		b, err := f.svc.CreateBundleCase(ctx, f.appl, cases.BundleCreateRequest{Bundle: bundleCode,
			Files: []cases.Material{file("id_card", "a"), file("diagnosis", "b")}})
		if err != nil {
			t.Fatal(err)
		}
		if b.State != cases.Submitted || len(b.Files) != 2 || !slices.Contains(b.Materials, "id_card") || !slices.Contains(b.Materials, "diagnosis") {
			t.Fatalf("created %s with files %+v, materials %v", b.State, b.Files, b.Materials)
		}
		if b.Files[0].Type != "diagnosis" || b.Files[0].Name != "诊断证明" || b.Files[1].Name != "居民身份证" || b.Files[1].FileName != "id_card.pdf" {
			t.Errorf("the files are %+v", b.Files)
		}

		b, err = f.svc.ActOnBundle(ctx, f.front, b.ID, cases.BundleNotifyMissing, cases.ActRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if b.State != cases.SupplementNeeded || !slices.Contains(b.Reasons, "户口簿") || slices.Contains(b.Reasons, "居民身份证") {
			t.Fatalf("after the notice: %s, reasons %v", b.State, b.Reasons)
		}
		_, err = f.svc.ActOnBundle(ctx, f.front, b.ID, cases.BundleAccept, cases.ActRequest{})
		wantField(t, "accepting before the 补正", err, apperr.Conflict, "")

		stale := b.Version - 1
		_, err = f.svc.AddBundleFile(ctx, f.appl, b.ID, file("household", "c"), &stale)
		wantField(t, "a file on a stale version", err, apperr.Conflict, "")
		_, err = f.svc.AddBundleFile(ctx, f.reviewer, b.ID, file("household", "c"), nil)
		wantField(t, "a reviewer's file", err, apperr.Forbidden, "")
		_, err = f.svc.AddBundleFile(ctx, f.stranger, b.ID, file("household", "c"), nil)
		wantField(t, "another applicant's file", err, apperr.NotFound, "")

		b, err = f.svc.AddBundleFile(ctx, f.appl, b.ID, file("household", "c"), &b.Version)
		if err != nil {
			t.Fatal(err)
		}
		if b.State != cases.SupplementNeeded || !slices.Contains(b.Materials, "household") {
			t.Fatalf("after the upload: %s, materials %v", b.State, b.Materials)
		}
		b, err = f.svc.ActOnBundle(ctx, f.appl, b.ID, cases.BundleSupplement, cases.ActRequest{Version: &b.Version})
		if err != nil || b.State != cases.Received {
			t.Fatalf("supplied: %s, %v", b.State, err)
		}
		b, err = f.svc.ActOnBundle(ctx, f.front, b.ID, cases.BundleAccept, cases.ActRequest{})
		if err != nil || b.State != cases.Accepted {
			t.Fatalf("accepted: %s, %v", b.State, err)
		}

		want := map[string]map[string]string{
			"YB-0001": {"id_card": strings.Repeat("a", 64), "diagnosis": strings.Repeat("b", 64)},
			"RS-0001": {"id_card": strings.Repeat("a", 64), "household": strings.Repeat("c", 64)},
		}
		for _, m := range b.Members {
			if m.CaseID == nil {
				t.Fatalf("member %s did not start", m.Item)
			}
			c, err := f.svc.Get(ctx, f.front, *m.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, cm := range c.Materials {
				if cm.Source != cases.SourceUpload || cm.ContentType != "application/pdf" || cm.FileName != cm.Type+".pdf" {
					t.Errorf("%s: material %+v is not the uploaded file", m.Item, cm)
				}
				got[cm.Type] = cm.FileHash
			}
			if len(got) != len(want[m.Item]) {
				t.Errorf("%s has materials %v, want %v", m.Item, got, want[m.Item])
			}
			for typ, h := range want[m.Item] {
				if got[typ] != h {
					t.Errorf("%s: %s has file %q, want %q", m.Item, typ, got[typ], h)
				}
			}
		}
		_, err = f.svc.AddBundleFile(ctx, f.appl, b.ID, file("household", "d"), nil)
		wantField(t, "a file after acceptance", err, apperr.Conflict, "")
		if got, err := f.svc.BundleFile(ctx, f.front, b.ID, "household"); err != nil || got.FileHash != strings.Repeat("c", 64) {
			t.Errorf("the desk reads the household file as %+v, %v", got, err)
		}
	})
}

// A bundle issued at the window records its collector once for the bundle:
// every member case gets the collection record in the issuing transaction,
// shown on its delivery record. A refused collector issues nothing.
func TestBundleIssueRecordsCollector(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-09-28")
		f.withBundle(t)
		ctx := context.Background()
		b, err := f.svc.CreateBundleCase(ctx, f.front, cases.BundleCreateRequest{Bundle: bundleCode,
			Applicant: &cases.Applicant{Kind: "person", Name: "何经奇", IDNumber: f.personID},
			Materials: []string{"id_card", "diagnosis", "medical_record", "household"}})
		if err != nil {
			t.Fatal(err)
		}
		if b, err = f.svc.ActOnBundle(ctx, f.front, b.ID, cases.BundleAccept, cases.ActRequest{}); err != nil {
			t.Fatal(err)
		}
		for _, m := range b.Members {
			rev := f.reviewer
			if m.Item == "RS-0001" {
				rev = f.other
			}
			c, err := f.svc.Get(ctx, rev, *m.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			c = f.act(t, rev, c, cases.Approve, cases.ActRequest{})
			f.act(t, f.issuer, c, cases.PrepareResult, cases.ActRequest{})
		}
		noSignature := cases.Collection{Name: "何经奇", IDNumber: f.personID, Relation: cases.CollectorSelf, SignatureKind: cases.SignatureDrawn}
		_, err = f.svc.ActOnBundle(ctx, f.issuer, b.ID, cases.BundleIssue, cases.ActRequest{IssueMethod: cases.IssueAtWindow, Collector: &noSignature})
		wantField(t, "no signature", err, apperr.Invalid, "collector.signature")
		col := cases.Collection{Name: "何经奇", IDNumber: f.personID, Relation: cases.CollectorSelf, SignatureKind: cases.SignatureDrawn,
			SignatureHash: sigHash, SignatureType: "image/png"}
		byPost := col
		_, err = f.svc.ActOnBundle(ctx, f.issuer, b.ID, cases.BundleIssue, cases.ActRequest{IssueMethod: cases.IssueByPost, Address: "辉南县朝阳镇", Collector: &byPost})
		wantField(t, "a collector for a result sent by post", err, apperr.Invalid, "collector")
		if got, err := f.svc.GetBundleCase(ctx, f.issuer, b.ID); err != nil || got.State != cases.ReadyForIssue {
			t.Fatalf("after refused issues the bundle is %s (%v)", got.State, err)
		}

		b, err = f.svc.ActOnBundle(ctx, f.issuer, b.ID, cases.BundleIssue, cases.ActRequest{IssueMethod: cases.IssueAtWindow, Collector: &col})
		if err != nil || b.State != cases.Issued {
			t.Fatalf("issue: %s, %v", b.State, err)
		}
		for _, m := range b.Members {
			rec, err := f.svc.Collection(ctx, f.issuer, *m.CaseID)
			if err != nil || rec == nil || rec.Name != "何经奇" || rec.Relation != cases.CollectorSelf || rec.SignatureHash != sigHash || rec.RecordedBy != f.issuer.ID {
				t.Errorf("%s: collection %+v, %v", m.Item, rec, err)
			}
			d, err := f.svc.Document(ctx, f.issuer, *m.CaseID, "delivery")
			if err != nil || d.Collector == nil || d.Collector.Name != "何经奇" {
				t.Errorf("%s: the delivery record shows collector %+v (%v)", m.Item, d.Collector, err)
			}
		}
	})
}
