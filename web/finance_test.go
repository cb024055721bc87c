package web_test

import (
	"net/url"
	"regexp"
	"testing"
)

func firstMatch(t *testing.T, re, body string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in\n%.2000s", re, body)
	}
	return m[1]
}

// 吉林化纤 posts a financing need, reads the products ranked for it with
// each criterion explained, and applies to the first; 吉林银行's officer
// accepts, approves and pays out, while the other bank sees none of it; the
// enterprise then applies for a bridge loan with the bank's commitment and
// the administrator approves it from the fund.
func TestFinancePages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ent := e.as(t, "jlhx")
		ent.get("/finance").want(200).has("发布融资需求", "应急周转金", "每户最高2000万元")
		ent.post("/finance/needs", url.Values{"industry": {"chemicals"}, "region_code": {"22x"}, "amount": {""}, "term": {"12"}, "purpose": {"采购原料"}}).
			want(422).has("地区代码为2到12位数字", "融资金额须大于零")
		res := ent.post("/finance/needs", url.Values{"industry": {"chemicals"}, "region_code": {"220204"}, "amount": {"500"}, "term": {"24"},
			"purpose": {"采购原料"}, "collateral": {"property"}}).want(303)
		needPath := res.header.Get("Location")
		need := ent.get(needPath).want(200).has("厂房设备抵押贷", "全部条件符合", "需求金额500万元在产品额度100万元–3000万元之内",
			"产品不面向化工企业", "✗")
		product := firstMatch(t, `name="product" value="(\d+)"`, need.body)
		ent.post(needPath+"/send", url.Values{"product": {product}}).want(303)
		ent.get("/finance?done=sent").want(200).has("申请已提交", "吉林银行吉林分行 · 厂房设备抵押贷", `data-status="sent"`)

		e.as(t, "bank_nh").get("/bank").want(200).has("辉南农商银行").lacks("吉林化纤示范有限公司")
		e.as(t, "rs_shenpi").get("/finance").want(403)
		e.as(t, "rs_shenpi").get("/bank").want(403)

		bank := e.as(t, "bank_jl")
		page := bank.get("/bank").want(200).has("吉林化纤示范有限公司", "5个工作日内答复")
		app := firstMatch(t, `action="/finance/applications/(\d+)/accept"`, page.body)
		e.as(t, "bank_nh").post("/finance/applications/"+app+"/accept", url.Values{}).want(403)
		bank.post("/finance/applications/"+app+"/accept", url.Values{}).want(303)
		bank.get("/bank")
		bank.post("/finance/applications/"+app+"/approve", url.Values{"amount": {"450"}}).want(303)
		bank.get("/bank")
		bank.post("/finance/applications/"+app+"/disburse", url.Values{"amount": {"451"}}).want(422).has("放款金额不能超过审批金额")
		bank.get("/bank")
		bank.post("/finance/applications/"+app+"/disburse", url.Values{"amount": {"450"}}).want(303)
		ent.get("/finance").want(200).has(`data-status="disbursed"`, "450 万元")

		en := e.as(t, "jlhx")
		en.lang = "en"
		en.get(needPath).want(200).has("Matching products", "the amount needed, 5,000,000 yuan, is within 1,000,000 yuan to 30,000,000 yuan", "applied")

		ent.get("/finance")
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		ent.multipart("/finance/bridge", map[string]string{"fund_code": "JL-YJZZJ", "bank_name": "吉林银行吉林分行", "maturing_amount": "1500",
			"maturing_on": "2099-01-10", "amount": "1500", "days": "20"}, map[string][]byte{"commitment": png}).want(422).has("使用天数超过周转金规定的最长天数")
		ent.get("/finance")
		ent.multipart("/finance/bridge", map[string]string{"fund_code": "JL-YJZZJ", "bank_name": "吉林银行吉林分行", "maturing_amount": "1500",
			"maturing_on": "2099-01-10", "amount": "1500", "days": "10"}, map[string][]byte{"commitment": png}).want(303)
		admin := e.as(t, "admin")
		page = admin.get("/admin/finance").want(200).has("服务企业", "促成贷款", "资金规模3400万元，可用余额3400万元", `data-status="applied"`)
		loan := firstMatch(t, `action="/admin/finance/bridge/(\d+)/approve"`, page.body)
		admin.post("/admin/finance/bridge/"+loan+"/approve", url.Values{}).want(303)
		admin.get("/admin/finance").want(200).has("可用余额1900万元", `data-status="approved"`, `id="fig-loans">1 · `)
		e.as(t, "bank_jl").post("/admin/finance/bridge/"+loan+"/disburse", url.Values{}).want(403)
	})
}

// An enterprise raises a 驻企服务 request in the browser and follows it; a
// member of its service team accepts it and proposes a solution with the
// 1/2/3-day deadlines in view; the administrator's overview lists the open
// requests by their next deadline, and staff outside the team are kept out.
func TestEnterpriseRequestPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ent := e.as(t, "jlhx")
		ent.get("/requests").want(200).has("一日受理、两日提出方案", "提出诉求")
		ent.post("/requests", url.Values{"category": {"financing"}, "description": {""}}).want(422).has("请填写诉求内容")
		res := ent.post("/requests", url.Values{"category": {"financing"}, "description": {"流动资金周转困难，需对接银行"}}).want(303)
		path := res.header.Get("Location")
		ent.get(path).want(200).has("诉求已提交", "受理期限", `data-status="raised"`, `data-status="pending"`, "流动资金周转困难")

		team := e.as(t, "qy_zhuanyuan")
		team.get("/requests").want(200).has("吉林化纤示范有限公司", "QYSQ-")
		id := firstMatch(t, `/requests/(\d+)\?done=raise`, path+"?done=raise")
		team.get("/requests/" + id).want(200).has(`id="step-accept"`)
		team.post("/requests/"+id+"/accept", url.Values{}).want(303)
		team.get("/requests/" + id)
		team.post("/requests/"+id+"/propose", url.Values{"solution": {"推荐产融合作平台的应收账款融资"}}).want(303)
		ent.get("/requests/"+id).want(200).has(`data-status="proposed"`, "推荐产融合作平台的应收账款融资", `data-status="met"`, `id="step-resolve"`)

		e.as(t, "rs_shenpi").get("/requests/" + id).want(403)
		e.as(t, "bank_jl").get("/requests").want(403)
		e.as(t, "admin").get("/requests").want(200).has("下一期限", "吉林化纤示范有限公司")
	})
}

// Everyone reads the year's 民生实事 with progress bars; the responsible
// department's reviewer reports progress with evidence; another
// department's reviewer cannot; the administrator sets a target and reads
// the targets per department.
func TestTargetPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		pub := e.client(t)
		page := pub.get("/targets").want(200).has("完成行政村生活污水治理", `<progress class="target"`, "804500", "社区法律援助联络点建设")
		id := firstMatch(t, `<a href="/targets/(\d+)">社区法律援助联络点建设`, page.body)
		pub.get("/targets/" + id).want(200).lacks(`id="report-form"`)
		e.as(t, "rs_shenpi").get("/targets/" + id).want(200).lacks(`id="report-form"`)
		e.as(t, "rs_shenpi").post("/targets/"+id+"/progress", url.Values{"done_quantity": {"20"}}).want(403)

		sf := e.as(t, "sf_shenpi")
		sf.get("/targets/" + id).want(200).has(`id="report-form"`)
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		sf.multipart("/targets/"+id+"/progress", map[string]string{"done_quantity": "20", "note": "全部建成"}, map[string][]byte{"evidence": png}).want(303)
		pub.get("/targets/"+id).want(200).has("20 / 20 个", "全部建成", "佐证材料：file.png", `value="100"`)

		admin := e.as(t, "admin")
		admin.get("/admin/targets").want(200).has("按责任部门", "辉南县司法局")
		admin.post("/admin/targets", url.Values{"year": {"2026"}, "name": {""}, "department_code": {"HN-JYJ"}, "unit": {"所"}, "quantity": {"0"}, "deadline": {"2026-12-31"}}).
			want(422)
		pub.lang = "en"
		pub.get("/targets").want(200).has("Public-service targets of", "Progress")
	})
}
