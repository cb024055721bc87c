package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/delegation"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// Through the API: the legal representative registers the enterprise and
// authorises an agent, who then reads the enterprise's case until the
// authorisation is withdrawn.
func TestEnterpriseAgentsThroughTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		code := ident.GenerateCreditCode("91220523MA1B2C3D6")
		e.call("POST", "/api/v1/me/enterprises", "qz_quanke", map[string]string{"credit_code": code, "name": "API示范公司"}).problem(403, "role_not_allowed")
		e.call("POST", "/api/v1/me/enterprises", "yuxiulan", map[string]string{"credit_code": "123", "name": ""}).problem(422, "validation_failed").hasField("credit_code")
		var ent delegation.Enterprise
		e.call("POST", "/api/v1/me/enterprises", "yuxiulan", map[string]string{"credit_code": code, "name": "API示范公司"}).want(201).decode(&ent)
		if ent.CreditCode != code || !ent.Mine {
			t.Fatalf("registered %+v", ent)
		}
		e.call("POST", "/api/v1/me/enterprises", "yuxiulan", map[string]string{"credit_code": code, "name": "again"}).problem(409, "enterprise_registered")

		// A case a desk opened for the enterprise.
		desk, err := e.srv.Auth.UserByUsername(ctx, "qz_quanke")
		if err != nil {
			t.Fatal(err)
		}
		it, err := e.srv.Catalog.Published(ctx, demo.CodeSocialInsuranceSubsidy)
		if err != nil {
			t.Fatal(err)
		}
		var mats []string
		for _, m := range it.Materials {
			if m.Requirement != catalog.Optional {
				mats = append(mats, m.Type)
			}
		}
		c, err := e.svc.Create(ctx, desk, cases.CreateRequest{Item: it.Code, Applicant: &cases.Applicant{Kind: "enterprise", Name: "API示范公司", CreditCode: code}, Materials: mats})
		if err != nil {
			t.Fatal(err)
		}
		casePath := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		e.call("GET", casePath, "zhouming", nil).want(404)

		zhou, err := e.srv.Auth.UserByUsername(ctx, "zhouming")
		if err != nil {
			t.Fatal(err)
		}
		ends := e.clock.Now().AddDate(0, 0, 10).Format("2006-01-02")
		e.call("POST", "/api/v1/me/enterprises/"+code+"/agents", "zhouming", map[string]string{"id_number": zhou.IDNumber, "ends_on": ends}).problem(403, "role_not_allowed")
		e.call("POST", "/api/v1/me/enterprises/"+code+"/agents", "yuxiulan", map[string]string{"id_number": zhou.IDNumber, "ends_on": "2000-01-01"}).
			problem(422, "validation_failed").hasField("ends_on")
		var a delegation.Agent
		e.call("POST", "/api/v1/me/enterprises/"+code+"/agents", "yuxiulan", map[string]string{"id_number": zhou.IDNumber, "ends_on": ends}).want(201).decode(&a)
		if !a.Live || a.EndsOn != ends || a.IDNumber == zhou.IDNumber {
			t.Fatalf("authorisation %+v: want live until %s with the number masked", a, ends)
		}
		var got cases.Case
		e.call("GET", casePath, "zhouming", nil).want(200).decode(&got)
		var mine struct{ Items []delegation.Enterprise }
		e.call("GET", "/api/v1/me/enterprises", "zhouming", nil).want(200).decode(&mine)
		if len(mine.Items) != 1 || mine.Items[0].Mine || len(mine.Items[0].Agents) != 1 {
			t.Fatalf("the agent's enterprises: %+v", mine.Items)
		}
		e.call("DELETE", fmt.Sprintf("/api/v1/me/enterprises/%s/agents/%d", code, a.ID), "hejingqi", nil).problem(404, "agent_not_found")
		e.call("DELETE", fmt.Sprintf("/api/v1/me/enterprises/%s/agents/%d", code, a.ID), "yuxiulan", nil).want(204)
		e.call("GET", casePath, "zhouming", nil).want(404)
	})
}
