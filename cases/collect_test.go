package cases_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// readyForIssue walks a complete walk-in case to the issuing window.
func (f *fixture) readyForIssue(t *testing.T) cases.Case {
	t.Helper()
	c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
	c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
	c = f.act(t, f.reviewer, c, cases.Approve, cases.ActRequest{})
	return f.act(t, f.issuer, c, cases.PrepareResult, cases.ActRequest{})
}

const sigHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// The collector of a result handed out at the window is recorded with the
// issue, in its transaction: refused fields leave the case ready for issue
// and nothing recorded; the record shows on the delivery document with the
// identity card number masked.
func TestIssueRecordsCollector(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-09-28")
		ctx := context.Background()
		agentID := ident.GenerateIDCard("220523", time.Date(1988, 3, 4, 0, 0, 0, 0, time.UTC), 15)
		c := f.readyForIssue(t)

		for _, tt := range []struct {
			name   string
			method string
			col    cases.Collection
			field  string
		}{
			{"no name", cases.IssueAtWindow, cases.Collection{IDNumber: f.personID, Relation: "self", SignatureKind: "drawn", SignatureHash: sigHash, SignatureType: "image/png"}, "collector.name"},
			{"bad id", cases.IssueAtWindow, cases.Collection{Name: "何经奇", IDNumber: "220523196001020000", Relation: "self", SignatureKind: "drawn", SignatureHash: sigHash, SignatureType: "image/png"}, "collector.id_number"},
			{"no signature", cases.IssueAtWindow, cases.Collection{Name: "何经奇", IDNumber: f.personID, Relation: "self", SignatureKind: "drawn"}, "collector.signature"},
			{"agent without authorisation", cases.IssueAtWindow, cases.Collection{Name: "何丽", IDNumber: agentID, Relation: "agent", SignatureKind: "slip", SignatureHash: sigHash, SignatureType: "image/jpeg"}, "collector.authorisation"},
			{"unknown relation", cases.IssueAtWindow, cases.Collection{Name: "何丽", IDNumber: agentID, Relation: "friend", SignatureKind: "slip", SignatureHash: sigHash, SignatureType: "image/jpeg"}, "collector.relation"},
			{"self with another's id", cases.IssueAtWindow, cases.Collection{Name: "何丽", IDNumber: agentID, Relation: "self", SignatureKind: "drawn", SignatureHash: sigHash, SignatureType: "image/png"}, "collector.id_number"},
			{"by post", cases.IssueByPost, cases.Collection{Name: "何经奇", IDNumber: f.personID, Relation: "self", SignatureKind: "drawn", SignatureHash: sigHash, SignatureType: "image/png"}, "collector"},
		} {
			col := tt.col
			_, err := f.svc.Act(ctx, f.issuer, c.ID, cases.Issue, cases.ActRequest{IssueMethod: tt.method, Address: "辉南县朝阳镇", Collector: &col})
			if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || !hasField(e, tt.field) {
				t.Errorf("%s: got %v, want a problem with %s", tt.name, err, tt.field)
			}
		}
		got, err := f.svc.Get(ctx, f.issuer, c.ID)
		if err != nil || got.State != cases.ReadyForIssue {
			t.Fatalf("after refusals the case is %s (%v), want ready_for_issue", got.State, err)
		}
		if col, err := f.svc.Collection(ctx, f.issuer, c.ID); err != nil || col != nil {
			t.Fatalf("refused issues recorded a collector: %+v, %v", col, err)
		}

		col := cases.Collection{Name: " 何丽 ", IDNumber: strings.ToLower(agentID), Relation: "agent", Authorisation: "授权委托书（2026）第12号",
			SignatureKind: "slip", SignatureHash: sigHash, SignatureType: "image/jpeg"}
		c = f.act(t, f.issuer, c, cases.Issue, cases.ActRequest{IssueMethod: cases.IssueAtWindow, Collector: &col})
		if c.State != cases.Issued {
			t.Fatalf("state %s, want issued", c.State)
		}
		rec, err := f.svc.Collection(ctx, f.issuer, c.ID)
		if err != nil || rec == nil {
			t.Fatalf("collection: %+v, %v", rec, err)
		}
		if rec.Name != "何丽" || rec.Relation != "agent" || rec.Authorisation != "授权委托书（2026）第12号" || rec.SignatureHash != sigHash ||
			rec.IDNumber != ident.MaskID(agentID) || rec.RecordedBy != f.issuer.ID || !rec.RecordedAt.Equal(f.now) {
			t.Errorf("recorded %+v", rec)
		}
		doc, err := f.svc.Document(ctx, f.issuer, c.ID, cases.DocDelivery)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Collector == nil || doc.Collector.Name != "何丽" || doc.Collector.IDNumber != ident.MaskID(agentID) {
			t.Errorf("delivery record's collector %+v", doc.Collector)
		}
		if _, err := f.svc.Collection(ctx, f.stranger, c.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another applicant reads the collector: %v", err)
		}

		// Post and electronic delivery need no collector.
		for _, m := range []string{cases.IssueByPost, cases.IssueElectronic} {
			d := f.readyForIssue(t)
			d = f.act(t, f.issuer, d, cases.Issue, cases.ActRequest{IssueMethod: m, Address: "辉南县朝阳镇"})
			if rec, err := f.svc.Collection(ctx, f.issuer, d.ID); d.State != cases.Issued || rec != nil || err != nil {
				t.Errorf("%s: state %s, collector %+v, %v", m, d.State, rec, err)
			}
		}
		// The applicant in person: the number must be theirs.
		d := f.readyForIssue(t)
		self := cases.Collection{Name: "何经奇", IDNumber: f.personID, Relation: "self", SignatureKind: "drawn", SignatureHash: sigHash, SignatureType: "image/png"}
		d = f.act(t, f.issuer, d, cases.Issue, cases.ActRequest{IssueMethod: cases.IssueAtWindow, Collector: &self})
		if rec, _ := f.svc.Collection(ctx, f.appl, d.ID); rec == nil || rec.Relation != "self" || rec.Authorisation != "" {
			t.Errorf("the applicant's own collection reads %+v", rec)
		}
	})
}

func hasField(e *apperr.Error, name string) bool {
	for _, f := range e.Fields {
		if f.Field == name {
			return true
		}
	}
	return false
}
