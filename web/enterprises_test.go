package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// enterpriseCase opens and accepts a case at a front desk for an enterprise.
func (e *env) enterpriseCase(desk, creditCode, name string) cases.Case {
	e.t.Helper()
	ctx := context.Background()
	u := user(e.t, e, desk)
	it, err := e.cat.Published(ctx, demo.CodeSocialInsuranceSubsidy)
	if err != nil {
		e.t.Fatal(err)
	}
	var mats []string
	for _, m := range it.Materials {
		if m.Requirement != catalog.Optional {
			mats = append(mats, m.Type)
		}
	}
	c, err := e.svc.Create(ctx, u, cases.CreateRequest{Item: it.Code, Applicant: &cases.Applicant{Kind: "enterprise", Name: name, CreditCode: creditCode}, Materials: mats})
	if err != nil {
		e.t.Fatalf("create: %v", err)
	}
	return c
}

// A legal representative registers the enterprise, authorises an agent
// until a date, and withdraws it: the agent sees and opens the
// enterprise's cases exactly while the authorisation runs.
func TestEnterpriseAgents(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		code := ident.GenerateCreditCode("91220523MA1B2C3D4")
		rep := e.as(t, "yuxiulan")
		rep.get("/account").want(200).has(`id="enterprises-link"`)
		rep.get("/account/enterprises").want(200).has("登记企业")
		rep.post("/account/enterprises", url.Values{"credit_code": {code[:17] + "0"}, "name": {"辉南示范商贸有限公司"}}).want(http.StatusUnprocessableEntity).has(`id="credit_code-error"`)
		if loc := rep.post("/account/enterprises", url.Values{"credit_code": {code}, "name": {"辉南示范商贸有限公司"}}).want(http.StatusSeeOther).location(); loc != "/account/enterprises?done=registered" {
			t.Fatalf("registered to %s", loc)
		}
		rep.post("/account/enterprises", url.Values{"credit_code": {code}, "name": {"又一家"}}).want(http.StatusConflict)

		c := e.enterpriseCase("qz_quanke", code, "辉南示范商贸有限公司")
		casePath := fmt.Sprintf("/cases/%d", c.ID)
		rep.get("/my").want(200).has(c.Number)
		agent := e.as(t, "zhouming")
		agent.get(casePath).want(http.StatusNotFound)

		today := e.clock.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
		rep.get("/account/enterprises").want(200)
		rep.post("/account/enterprises/"+code+"/agents", url.Values{"id_number": {idOf("zhouming")}, "ends_on": {"2020-01-01"}}).
			want(http.StatusUnprocessableEntity).has(`id="agent-ends-error"`)
		rep.post("/account/enterprises/"+code+"/agents", url.Values{"id_number": {idOf("zhouming")}, "ends_on": {today}}).want(http.StatusSeeOther)
		agent.get("/my").want(200).has(c.Number)
		agent.get(casePath).want(200)
		agent.get("/account/enterprises").want(200).has("辉南示范商贸有限公司", "经办人")
		// Someone else's enterprise cannot be authorised for.
		agent.post("/account/enterprises/"+code+"/agents", url.Values{"id_number": {idOf("hejingqi")}, "ends_on": {today}}).want(http.StatusForbidden)

		// The next day the authorisation has ended.
		e.clock.Advance(24 * time.Hour)
		agent.get(casePath).want(http.StatusNotFound)

		// Authorised again, then withdrawn.
		page := rep.get("/account/enterprises").want(200)
		rep.post("/account/enterprises/"+code+"/agents", url.Values{"id_number": {idOf("zhouming")}, "ends_on": {"2099-01-01"}}).want(http.StatusUnprocessableEntity)
		ends := e.clock.Now().AddDate(0, 1, 0).Format("2006-01-02")
		rep.post("/account/enterprises/"+code+"/agents", url.Values{"id_number": {idOf("zhouming")}, "ends_on": {ends}}).want(http.StatusSeeOther)
		agent.get(casePath).want(200)
		page = rep.get("/account/enterprises").want(200)
		id := agentRow.FindStringSubmatch(page.body)
		if id == nil {
			t.Fatalf("no running authorisation to withdraw:\n%s", page.body)
		}
		rep.post("/account/enterprises/"+code+"/agents/"+id[1]+"/withdraw", url.Values{}).want(http.StatusSeeOther)
		agent.get(casePath).want(http.StatusNotFound)
		agent.get("/my").want(200).lacks(c.Number)

		rep.lang = "en"
		rep.get("/account/enterprises").want(200).has("Enterprises and agents", "Withdrawn")
	})
}

var agentRow = regexp.MustCompile(`action="/account/enterprises/[0-9A-Z]+/agents/(\d+)/withdraw"`)

// 帮代办: the applicant's case page says who acted for them and when: the
// window that made the case, and an agent acting for the enterprise.
func TestApplicantSeesWhoActedForThem(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
		desk := user(t, e, "qz_quanke")
		me := e.as(t, "yuxiulan")
		page := me.get(fmt.Sprintf("/cases/%d", c.ID)).want(200).has(`id="acted-for"`, "帮代办记录", desk.Name, "窗口代办")
		me.lang = "en"
		me.get(fmt.Sprintf("/cases/%d", c.ID)).want(200).has("Done for you", "by the window for you")
		_ = page
		// Staff do not get the applicant's box.
		e.as(t, "qz_quanke").get(fmt.Sprintf("/cases/%d", c.ID)).want(200).lacks(`id="acted-for"`)

		// An agent withdraws the enterprise's case: its legal representative sees who.
		code := ident.GenerateCreditCode("91220523MA1B2C3D5")
		rep := e.as(t, "yuxiulan")
		rep.get("/account/enterprises").want(200)
		rep.post("/account/enterprises", url.Values{"credit_code": {code}, "name": {"辉南代办示范公司"}}).want(http.StatusSeeOther)
		rep.post("/account/enterprises/"+code+"/agents", url.Values{"id_number": {idOf("zhouming")}, "ends_on": {e.clock.Now().AddDate(0, 0, 7).Format("2006-01-02")}}).want(http.StatusSeeOther)
		ec := e.enterpriseCase("qz_quanke", code, "辉南代办示范公司")
		agent := e.as(t, "zhouming")
		casePath := fmt.Sprintf("/cases/%d", ec.ID)
		agent.get(casePath).want(200)
		if res := agent.post(casePath+"/act", url.Values{"action": {"withdraw"}, "note": {"经办人撤回"}, "confirm": {"yes"}}); res.status != http.StatusSeeOther && res.status != http.StatusOK {
			t.Fatalf("agent withdrawal: %d\n%.800s", res.status, res.body)
		}
		rep.get(casePath).want(200).has(user(t, e, "zhouming").Name, "经办人代企业办理", desk.Name)
	})
}
