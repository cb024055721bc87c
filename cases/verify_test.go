package cases_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Anyone may check a result by its code, so the name it shows is masked for
// every person whatever the length of the name; an enterprise's registered
// name is public and shown whole, however short.
func TestVerifyMasksEveryPersonName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-09-28")
		ctx := context.Background()
		credit := ident.GenerateCreditCode("91220523MA0Y1234P")
		for _, tt := range []struct {
			kind, name, want string
		}{
			{"person", "于", "*"},
			{"person", "于静", "于*"},
			{"person", "欧阳娜娜", "欧***"},
			{"person", "欧阳娜娜娜", "欧****"},
			{"person", "阿卜杜热西提·买买提", "阿*****·***"},
			{"person", "Maria Fernanda dos Santos", "M**** ******** *** ******"},
			{"enterprise", "吉林化纤示范有限公司", "吉林化纤示范有限公司"},
			{"enterprise", "华联", "华联"},
		} {
			a := cases.Applicant{Kind: tt.kind, Name: tt.name, IDNumber: f.personID}
			if tt.kind == "enterprise" {
				a.CreditCode = credit
			}
			c, err := f.svc.Create(ctx, f.front, cases.CreateRequest{Item: "YB-0001", Applicant: &a,
				Materials: []string{"id_card", "diagnosis", "medical_record"}})
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
			c = f.act(t, f.reviewer, c, cases.Approve, cases.ActRequest{})
			c = f.act(t, f.issuer, c, cases.PrepareResult, cases.ActRequest{})
			c = f.act(t, f.issuer, c, cases.Issue, cases.ActRequest{IssueMethod: cases.IssueAtWindow})
			v, err := f.svc.Verify(ctx, c.VerifyCode)
			if err != nil {
				t.Fatalf("verify %s: %v", tt.name, err)
			}
			if v.Applicant != tt.want {
				t.Errorf("%s %s is shown as %q, want %q", tt.kind, tt.name, v.Applicant, tt.want)
			}
		}
	})
}
