package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/api/internal/genclient"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/workday"
)

// A department system builds its client from the API description with a
// generator. Story 1 through such a client (oapi-codegen's, committed in
// internal/genclient and kept current by its own test): 于女士 at her
// community centre's generalist window gets a social-insurance subsidy and a
// family-planning consultation accepted, decided and issued. Every request
// the client builds and every answer it decodes also passes the contract check.
func TestStory1ThroughAGeneratedClient(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		client, err := genclient.NewClientWithResponses(e.base, genclient.WithHTTPClient(e.client))
		if err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{}
		as := func(username string) genclient.RequestEditorFn {
			t.Helper()
			if _, ok := tokens[username]; !ok {
				password := demo.Password
				res, err := client.LoginWithResponse(ctx, nil, genclient.LoginRequest{Username: username, Password: &password})
				if err != nil || res.JSON200 == nil {
					t.Fatalf("sign in %s: %v %s", username, err, body(res))
				}
				if res.JSON200.User.Username != username {
					t.Fatalf("signed in as %s, want %s", res.JSON200.User.Username, username)
				}
				tokens[username] = res.JSON200.Token
			}
			tok := tokens[username]
			return func(_ context.Context, req *http.Request) error {
				req.Header.Set("Authorization", "Bearer "+tok)
				return nil
			}
		}
		act := func(user string, c genclient.CaseView, action genclient.CaseAction, req genclient.ActRequest) genclient.CaseView {
			t.Helper()
			version := c.Version
			req.Version = &version
			res, err := client.ActOnCaseWithResponse(ctx, c.Id, action, nil, req, as(user))
			if err != nil || res.JSON200 == nil {
				t.Fatalf("%s %s on %s: %v %s", user, action, c.Number, err, body(res))
			}
			return *res.JSON200
		}

		// At the generalist window: two items, each accepted on the spot.
		idNumber := applicantID("yuxiulan")
		walkIn := func(itemCode string) genclient.CaseView {
			t.Helper()
			materials := requiredTypes(e.item(itemCode), true)
			res, err := client.CreateCaseWithResponse(ctx, nil, genclient.CreateCaseRequest{
				Item:      itemCode,
				Applicant: &genclient.ApplicantInput{Kind: "person", Name: "于秀兰", IdNumber: &idNumber},
				Materials: &materials,
			}, as("qz_quanke"))
			if err != nil || res.JSON201 == nil {
				t.Fatalf("open a case for %s: %v %s", itemCode, err, body(res))
			}
			if res.JSON201.State != "received" {
				t.Fatalf("walk-in case is %s, want received", res.JSON201.State)
			}
			return act("qz_quanke", *res.JSON201, "accept", genclient.ActRequest{})
		}
		subsidy := walkIn(demo.CodeSocialInsuranceSubsidy)
		consult := walkIn(demo.CodeFamilyPlanningConsult)
		for _, c := range []genclient.CaseView{subsidy, consult} {
			if c.State != "accepted" || c.Point != demo.QingzhouCentre || c.Channel != "window" || c.ActingStaffId == nil {
				t.Fatalf("case %s is %s at %s through %s (generalist %v): want accepted at %s through the window, the generalist recorded",
					c.Number, c.State, c.Point, c.Channel, c.ActingStaffId, demo.QingzhouCentre)
			}
		}
		if subsidy.Number == consult.Number {
			t.Fatal("two cases share a number")
		}
		cal, _ := workday.NewOfficial()
		due, _ := cal.Add(workday.DateOf(e.clock.Now()), e.item(demo.CodeFamilyPlanningConsult).PromisedLimitDays)
		if consult.PromisedDue == nil || consult.PromisedDue.String() != workday.FormatDate(due) {
			t.Errorf("consultation due %v, want %s", consult.PromisedDue, workday.FormatDate(due))
		}

		// The acceptance notice names the case, its promised date and the officer.
		doc, err := client.GetCaseDocumentWithResponse(ctx, subsidy.Id, "acceptance", nil, as("qz_quanke"))
		if err != nil || doc.JSON200 == nil {
			t.Fatalf("acceptance notice: %v %s", err, body(doc))
		}
		if n := doc.JSON200; n.CaseNumber != subsidy.Number || n.Officer != "李春燕" || n.PromisedDue == nil ||
			subsidy.PromisedDue == nil || *n.PromisedDue != *subsidy.PromisedDue || !strings.Contains(n.TitleZh, "受理通知书") {
			t.Errorf("acceptance notice %+v does not match case %s", *n, subsidy.Number)
		}

		// Each department decides its own case; the centre issues both results.
		subsidy = act("rs_shenpi", subsidy, "start_review", genclient.ActRequest{})
		subsidy = act("rs_shenpi", subsidy, "approve", genclient.ActRequest{})
		subsidy = act("rs_shenpi", subsidy, "prepare_result", genclient.ActRequest{})
		consult = act("wj_shenpi", consult, "approve", genclient.ActRequest{})
		consult = act("wj_shenpi", consult, "prepare_result", genclient.ActRequest{})
		for _, c := range []genclient.CaseView{subsidy, consult} {
			method := genclient.IssueMethod("window")
			issued := act("qz_chuzheng", c, "issue", genclient.ActRequest{IssueMethod: &method})
			if issued.State != "issued" || issued.VerifyCode == nil || len(*issued.VerifyCode) != 12 {
				t.Fatalf("issued case %s is %s with code %v: want issued with a verification code", issued.Number, issued.State, issued.VerifyCode)
			}
			// Anyone holding the result checks it, without an account.
			v, err := client.VerifyResultWithResponse(ctx, strings.ToLower(*issued.VerifyCode), nil)
			if err != nil || v.JSON200 == nil {
				t.Fatalf("verify %s: %v %s", issued.Number, err, body(v))
			}
			if v.JSON200.Number != c.Number || v.JSON200.Result == nil || *v.JSON200.Result != "approved" || v.JSON200.Applicant != "于**" {
				t.Errorf("verification %+v, want number %s approved for 于**", *v.JSON200, c.Number)
			}
		}
	})
}

// body is what the server answered, for a failure message.
func body(res any) string {
	var raw []byte
	switch r := res.(type) {
	case *genclient.LoginResponse:
		if r != nil {
			raw = r.Body
		}
	case *genclient.CreateCaseResponse:
		if r != nil {
			raw = r.Body
		}
	case *genclient.ActOnCaseResponse:
		if r != nil {
			raw = r.Body
		}
	case *genclient.GetCaseDocumentResponse:
		if r != nil {
			raw = r.Body
		}
	case *genclient.VerifyResultResponse:
		if r != nil {
			raw = r.Body
		}
	}
	return string(raw)
}
