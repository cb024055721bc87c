package api_test

import (
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/finance"
	"github.com/onewindow/onewindow/targets"
)

// Through the API: 吉林化纤 posts a need, reads the ranked products and
// applies; 吉林银行's officer answers while another bank may not; the
// enterprise uploads its bank's commitment and applies for a bridge loan,
// which the administrator approves from the fund; the year's 民生实事 are
// public and only their department reports progress.
func TestFinanceAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var need finance.Need
		e.call("POST", "/api/v1/finance/needs", "jlhx", map[string]any{"industry": "chemicals", "region_code": "220204", "amount": 5_000_000,
			"term": 24, "purpose": "采购原料", "collateral": []string{"property"}}).want(201).decode(&need)
		e.call("POST", "/api/v1/finance/needs", "rs_shenpi", map[string]any{"industry": "chemicals", "region_code": "220204", "amount": 1,
			"term": 1, "purpose": "x"}).problem(403, "role_not_allowed")
		var matches []struct {
			Product  finance.Product `json:"product"`
			Eligible bool            `json:"eligible"`
			Checks   []struct {
				Criterion string `json:"criterion"`
				Met       bool   `json:"met"`
				WhyEN     string `json:"why_en"`
			} `json:"checks"`
		}
		path := "/api/v1/finance/needs/" + strconv.FormatInt(need.ID, 10)
		e.call("GET", path+"/matches", "jlhx", nil).want(200).decode(&matches)
		if len(matches) == 0 || !matches[0].Eligible || matches[0].Product.Name != "厂房设备抵押贷" || len(matches[0].Checks) != 5 || matches[0].Checks[0].WhyEN == "" {
			t.Fatalf("matches: %+v", matches)
		}
		var apps []finance.Application
		e.call("POST", path+"/applications", "jlhx", map[string]any{"product_ids": []int64{matches[0].Product.ID}}).want(201).decode(&apps)
		e.call("POST", path+"/applications", "jlhx", map[string]any{"product_ids": []int64{matches[0].Product.ID}}).problem(409, "already_sent")
		app := "/api/v1/finance/applications/" + strconv.FormatInt(apps[0].ID, 10)
		e.call("POST", app+"/actions/accept", "bank_nh", map[string]any{}).problem(403, "out_of_scope")
		e.call("POST", app+"/actions/accept", "jlhx", map[string]any{}).problem(403, "role_not_allowed")
		var got finance.Application
		e.call("POST", app+"/actions/approve", "bank_jl", map[string]any{"amount": 4_000_000}).want(200).decode(&got)
		if got.Status != finance.Approved || got.ApprovedAmount != 4_000_000 {
			t.Fatalf("approved: %+v", got)
		}
		var mine []finance.Application
		e.call("GET", "/api/v1/finance/applications", "bank_nh", nil).want(200).decode(&mine)
		if len(mine) != 0 {
			t.Fatalf("another bank sees %+v", mine)
		}

		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		var doc struct {
			SHA256 string `json:"sha256"`
		}
		e.call("POST", "/api/v1/finance/documents", "jlhx", png).want(201).decode(&doc)
		e.call("POST", "/api/v1/finance/documents", "bank_jl", png).problem(403, "role_not_allowed")
		var loan finance.BridgeLoan
		e.call("POST", "/api/v1/finance/bridge-loans", "jlhx", map[string]any{"fund_code": "JL-YJZZJ", "bank_name": "吉林银行", "maturing_amount": 20_000_000,
			"maturing_on": "2099-01-10", "commitment_sha256": doc.SHA256, "amount": 20_000_001, "days": 10}).problem(422, "validation_failed")
		e.call("POST", "/api/v1/finance/bridge-loans", "jlhx", map[string]any{"fund_code": "JL-YJZZJ", "bank_name": "吉林银行", "maturing_amount": 20_000_000,
			"maturing_on": "2099-01-10", "commitment_sha256": doc.SHA256, "amount": 15_000_000, "days": 10}).want(201).decode(&loan)
		bl := "/api/v1/finance/bridge-loans/" + strconv.FormatInt(loan.ID, 10)
		e.call("POST", bl+"/actions/approve", "bank_jl", map[string]any{}).problem(403, "role_not_allowed")
		e.call("POST", bl+"/actions/approve", "admin", map[string]any{}).want(200).decode(&loan)
		if loan.Status != finance.BridgeApproved || loan.Fee != 15_000 {
			t.Fatalf("bridge loan: %+v", loan)
		}
		var fig finance.Figures
		e.call("GET", "/api/v1/finance/figures", "admin", nil).want(200).decode(&fig)
		if fig.Needs != 1 || fig.NeedsMatched != 1 || fig.Loans != 0 {
			t.Fatalf("figures: %+v", fig)
		}
		e.call("GET", "/api/v1/finance/figures", "jlhx", nil).problem(403, "role_not_allowed")

		var list []targets.Target
		e.call("GET", "/api/v1/public-service-targets", "", nil).want(200).decode(&list)
		if len(list) != 5 {
			t.Fatalf("targets: %+v", list)
		}
		var legal targets.Target
		for _, tg := range list {
			if tg.DepartmentCode == "HN-SFJ" {
				legal = tg
			}
		}
		tp := "/api/v1/public-service-targets/" + strconv.FormatInt(legal.ID, 10) + "/progress"
		e.call("POST", tp, "rs_shenpi", map[string]any{"done_quantity": 20}).problem(403, "out_of_scope")
		var done targets.Target
		e.call("POST", tp, "sf_shenpi", map[string]any{"done_quantity": 20, "evidence_sha256": doc.SHA256, "evidence_name": "验收.png"}).want(200).decode(&done)
		if done.DoneQuantity != 20 || done.Percent != 100 || done.DoneOn == "" {
			t.Fatalf("reported: %+v", done)
		}
		e.call("POST", "/api/v1/public-service-targets", "sf_shenpi", map[string]any{"year": 2026, "name": "x", "department_code": "HN-SFJ", "unit": "个",
			"quantity": 1, "deadline": "2026-12-31"}).problem(403, "role_not_allowed")
	})
}
