package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
)

// publicVerification is the API's answer to a verification code.
type publicVerification struct {
	Kind      string `json:"kind"`
	Number    string `json:"number"`
	ItemName  string `json:"item_name"`
	Result    string `json:"result"`
	State     string `json:"state"`
	Applicant string `json:"applicant"`
	IssuedAt  string `json:"issued_at"`
	Members   []struct {
		ItemName string `json:"item_name"`
		Number   string `json:"number"`
		State    string `json:"state"`
		Result   string `json:"result"`
	} `json:"members"`
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
	eachHallEnv(t, func(t *testing.T, e *env) {
		visitor := e.client(t)
		for _, tt := range []struct{ name, masked string }{
			{"于秀兰", "于**"},
			{"欧阳娜娜娜", "欧****"},
			{"阿卜杜热西提·买买提", "阿*****·***"},
		} {
			c := issueSubsidy(t, e, e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, tt.name, idOf("yuxiulan")))
			visitor.get("/verify/"+c.VerifyCode).want(200).has(c.Number, tt.masked).lacks(tt.name)
			if v := visitor.verification(c.VerifyCode); v.Applicant != tt.masked || v.Kind != "case" || v.Result != "approved" {
				t.Errorf("the API verifies %s as %+v, want kind case, approved, for %s", tt.name, v, tt.masked)
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

// A bundle's (一件事) verification code verifies like a single case's: the
// page and the API show the bundle, its state, the masked name and every
// member. A code printed at a partial issue keeps verifying once the rest
// are issued; an unknown code is still not found.
func TestBundleVerificationCode(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		id := openBundle(t, e, demo.BundleDisability)
		readyMember(t, e, id, demo.CodeDisabilityCertificate)
		readyMember(t, e, id, demo.CodeDisabilityRehabilitation)
		issuer := e.as(t, "hn_chuzheng")
		path := "/bundle-cases/" + strconv.FormatInt(id, 10)
		issuer.get(path).want(200)
		issuer.post(path+"/issue", withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})).want(http.StatusSeeOther)
		b, _ := memberStates(t, e, id)
		if b.VerifyCode == "" || b.State != cases.Accepted {
			t.Fatalf("after the partial issue the bundle is %s with code %q", b.State, b.VerifyCode)
		}
		code := b.VerifyCode

		visitor := e.client(t)
		p := visitor.get("/verify/"+code).want(200).has(`id="verify-bundle"`, b.Number, b.BundleName, "周*", "已受理").lacks("周明", "⟦")
		for _, m := range b.Members {
			p.has(m.ItemName)
		}
		visitor.get("/verify/"+code, "Accept-Language", "en").want(200).has("Bundle", "accepted").lacks("⟦")
		v := visitor.verification(code)
		if v.Kind != "bundle" || v.Number != b.Number || v.ItemName != b.BundleName || v.State != "accepted" || v.Result != "" ||
			v.Applicant != "周*" || v.IssuedAt == "" || len(v.Members) != len(b.Members) {
			t.Fatalf("the API verifies the bundle as %+v", v)
		}
		issued := 0
		for _, m := range v.Members {
			if m.Result == "approved" && m.State == "issued" {
				issued++
			}
		}
		if issued != 2 {
			t.Errorf("members %+v: want the two issued ones approved", v.Members)
		}

		readyMember(t, e, id, demo.CodeDisabilitySubsidies)
		issuer.get(path).want(200)
		issuer.post(path+"/issue", withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})).want(http.StatusSeeOther)
		b, err := e.svc.GetBundleCase(ctx, user(t, e, "hn_chuzheng"), id)
		if err != nil || b.State != cases.Issued || b.VerifyCode != code {
			t.Fatalf("after the last issue the bundle is %s with code %q (%v), want issued with %q", b.State, b.VerifyCode, err, code)
		}
		visitor.get("/verify/"+code).want(200).has(`id="verify-bundle"`, "已出证")
		if v := visitor.verification(code); v.State != "issued" || len(v.Members) != 3 || v.Members[0].Result != "approved" ||
			v.Members[1].Result != "approved" || v.Members[2].Result != "approved" {
			t.Errorf("the whole issue verifies as %+v", v)
		}

		visitor.get("/verify/AAAAAAAAAAAA").want(http.StatusNotFound).has("核验未通过")
		visitor.get("/api/v1/verify/AAAAAAAAAAAA").want(http.StatusNotFound).has("verify_code_unknown")
	})
}
