package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
)

// publicVerification is the API's answer to a verification code.
type publicVerification struct {
	Number    string `json:"number"`
	ItemName  string `json:"item_name"`
	Result    string `json:"result"`
	Applicant string `json:"applicant"`
	IssuedAt  string `json:"issued_at"`
}

func (c *client) verification(code string) publicVerification {
	c.t.Helper()
	res := c.get("/api/v1/verify/" + code).want(200)
	var v publicVerification
	if err := json.Unmarshal([]byte(res.body), &v); err != nil {
		c.t.Fatalf("verification: %v\n%s", err, res.body)
	}
	return v
}

// issueSubsidy takes an accepted social-insurance subsidy case through the
// back office and issues it at 青州社区.
func issueSubsidy(t *testing.T, e *env, c cases.Case) cases.Case {
	t.Helper()
	rs, iss := user(t, e, "rs_shenpi"), user(t, e, "qz_chuzheng")
	for _, step := range []struct {
		u auth.User
		a cases.Action
		r cases.ActRequest
	}{
		{rs, cases.StartReview, cases.ActRequest{}},
		{rs, cases.Approve, cases.ActRequest{}},
		{iss, cases.PrepareResult, cases.ActRequest{}},
		{iss, cases.Issue, cases.ActRequest{IssueMethod: cases.IssueAtWindow}},
	} {
		var err error
		if c, err = e.svc.Act(context.Background(), step.u, c.ID, step.a, step.r); err != nil {
			t.Fatalf("%s: %v", step.a, err)
		}
	}
	return c
}

// The verification page and its API show a person's name masked whatever
// its length; the display board shows no name at all.
func TestPublicPagesMaskEveryName(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		visitor := e.client(t)
		for _, tt := range []struct{ name, masked string }{
			{"于秀兰", "于**"},
			{"欧阳娜娜娜", "欧****"},
			{"阿卜杜热西提·买买提", "阿*****·***"},
		} {
			c := issueSubsidy(t, e, e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, tt.name, idOf("yuxiulan")))
			visitor.get("/verify/"+c.VerifyCode).want(200).has(c.Number, tt.masked).lacks(tt.name)
			if v := visitor.verification(c.VerifyCode); v.Applicant != tt.masked || v.Result != "approved" {
				t.Errorf("the API verifies %s as %+v, want approved, for %s", tt.name, v, tt.masked)
			}
		}

		const holder = "阿卜杜热西提·买买提"
		tk, err := e.hall.Take(context.Background(), user(t, e, "qz_quanke2"), demo.QingzhouCentre, hall.TakeRequest{Category: "A", Name: holder})
		if err != nil || tk.HolderName != holder {
			t.Fatalf("take a ticket for %s: %+v, %v", holder, tk, err)
		}
		desk := e.as(t, "qz_quanke")
		desk.get("/desk").want(200)
		desk.post("/desk/windows/01/sign-in", url.Values{}).want(http.StatusSeeOther)
		desk.post("/desk/windows/01/call-next", url.Values{}).want(http.StatusSeeOther)
		visitor.get("/board/"+demo.QingzhouCentre).want(200).has(`data-number="`+tk.Number+`"`).lacks(holder, "阿*")
		visitor.get("/api/v1/points/"+demo.QingzhouCentre+"/board/state").want(200).has(tk.Number).lacks(holder, "阿*")
	})
}
