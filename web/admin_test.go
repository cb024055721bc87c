package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/network"
)

// newItemForm is a complete form for a new item of the 民政局: two
// materials, one of them ticked for removal, and one fee.
func newItemForm(code, name string) url.Values {
	return url.Values{"code": {code}, "base_code": {"000507999000"}, "name": {name}, "name_en": {"Test subsidy"},
		"type": {"05"}, "department": {demo.DeptCivilAffairs}, "levels": {"4", "5"},
		"legal_limit_days": {"20"}, "promised_limit_days": {"10"}, "visits": {"0"}, "supplement_days": {"5"},
		"online_depth": catalog.AllDepths, "serves_persons": {"1"}, "life_events": {"社会救助、养老"},
		"result_type": {"其他"}, "result_name": {"补贴发放通知"}, "location": {"辉南县政务服务中心"}, "hours": {"工作日 8:30–17:00"},
		"contact": {"0435-8888000"}, "conditions": {"具有本县户籍的困难老年人"}, "basis": {"《吉林省社会救助实施办法》"},
		"material_rows": {"3"}, "m0_name": {"居民身份证"}, "m0_type": {"id_card"}, "m0_requirement": {"required"},
		"m0_originals": {"1"}, "m0_copies": {"1"}, "m0_form": {"paper"}, "m0_source": {"government"},
		"m1_name": {"户口簿"}, "m1_type": {"household_register"}, "m1_requirement": {"optional"}, "m1_remove": {"1"},
		"m2_name": {"收入证明"}, "m2_type": {"income_proof"}, "m2_requirement": {"waivable"}, "m2_originals": {"1"},
		"fee_rows": {"2"}, "f0_name": {"工本费"}, "f0_amount": {"10.5"}, "f0_basis": {"省物价局文件"}}
}

// An administrator creates an item in the browser's form: an "add a row"
// button shows the form again with another row and saves nothing; a form
// with problems comes back with each message next to its field and saves
// nothing; a code in use is refused; a complete form makes draft version 1,
// which, published, is found by the portal's search. Other roles are refused.
func TestCreateItemPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.as(t, "admin")
		admin.get("/admin/items").want(200).has(`href="/admin/items/new"`)
		admin.get("/admin/items/new").want(200).has(`action="/admin/items/new"`, `id="code"`, `id="base_code"`, `id="level-6"`,
			`id="depth-elicence"`, `id="supplement_days"`, `name="m2_name"`, `id="add-material"`, `id="add-fee"`).lacks("⟦", `id="item-versions"`)
		en := e.as(t, "admin")
		en.lang = "en"
		en.get("/admin/items/new").want(200).has("New item", "Basic code").lacks("⟦")

		code := "220523-TEST-0001"
		more := newItemForm(code, "困难老年人测试补贴")
		more.Set("more", "material")
		admin.post("/admin/items/new", more).want(200).has(`name="m4_name"`, `value="收入证明"`).lacks(`name="m5_name"`, `value="户口簿"`)
		more.Set("more", "fee")
		admin.post("/admin/items/new", more).want(200).has(`name="f3_name"`, `value="10.50"`).lacks(`name="f4_name"`)
		if _, err := e.cat.Versions(ctx, code); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("adding a row saved the item: %v", err)
		}

		bad := newItemForm("BAD CODE", "")
		bad.Set("aliases", "同名、同名")
		bad.Del("levels")
		bad.Set("promised_limit_days", "30")
		bad.Set("visits", "x")
		bad.Set("m2_type", "Income Proof")
		bad.Set("f0_amount", "10.555")
		p := admin.post("/admin/items/new", bad).want(http.StatusUnprocessableEntity)
		for _, msg := range []string{"事项编码只能由字母、数字和 - 组成", "名称不能为空", "请至少选择一个可办理层级", "承诺时限不能超过法定时限",
			"须为整数", "材料类型编码只能由小写字母", "金额须为元"} {
			p.has(`<p class="field-error">` + msg)
		}
		p.has(`<p class="field-error" id="aliases-error">别名“同名”重复`)
		p.has(`value="收入证明"`, `value="Income Proof"`).lacks("⟦")
		// The message sits next to its own field: the material's under its row (row 1 once the removed one is gone).
		if i := strings.Index(p.body, `name="m1_type"`); i < 0 || !strings.Contains(p.body[i:min(i+300, len(p.body))], "材料类型编码只能由小写字母") {
			t.Errorf("the material type's message is not next to its field")
		}
		if _, err := e.cat.Versions(ctx, "BAD CODE"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a refused form saved something: %v", err)
		}

		// Each field's message says which field it is about, so that no
		// message is shown for several fields: once in the summary and once
		// next to its field.
		empty := newItemForm("", "")
		empty.Set("base_code", "")
		empty.Set("department", "")
		p = admin.post("/admin/items/new", empty).want(http.StatusUnprocessableEntity)
		for _, msg := range []string{"事项编码不能为空", "基本编码不能为空", "部门编码不能为空", "名称不能为空"} {
			if n := strings.Count(p.body, ">"+msg+"<"); n != 2 {
				t.Errorf("%q shown %d times, want twice (the summary and its field)", msg, n)
			}
		}
		if n := strings.Count(p.body, ">编码不能为空<"); n != 0 {
			t.Errorf("a message that names no field is shown %d times", n)
		}

		taken := newItemForm(demo.CodeSocialInsuranceSubsidy, "冒用编码的事项")
		admin.post("/admin/items/new", taken).want(http.StatusUnprocessableEntity).has("该实施编码已被事项使用")
		if vs, _ := e.cat.Versions(ctx, demo.CodeSocialInsuranceSubsidy); len(vs) != 1 || vs[0].Name == "冒用编码的事项" {
			t.Fatalf("a create with a code in use changed the item: %d versions, %q", len(vs), vs[0].Name)
		}

		// Wrong roles: refused, and nothing is written.
		e.as(t, "rs_shenpi").get("/admin/items/new").want(http.StatusForbidden)
		e.as(t, "hn_qiantai").post("/admin/items/new", newItemForm(code, "困难老年人测试补贴")).want(http.StatusForbidden)
		if _, err := e.cat.Versions(ctx, code); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a refused role created the item: %v", err)
		}

		withAliases := newItemForm(code, "困难老年人测试补贴")
		withAliases.Set("aliases", "老人补贴、养老钱\nelderly allowance")
		res := admin.post("/admin/items/new", withAliases).want(http.StatusSeeOther)
		if res.location() != "/admin/items/"+code+"?done=created" {
			t.Fatalf("created: sent to %q", res.location())
		}
		admin.get(res.location()).want(200).has("已新建事项", `id="publish-draft"`, `data-status="draft"`)
		vs, err := e.cat.Versions(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		it := vs[0]
		if len(vs) != 1 || it.Version != 1 || it.Status != catalog.StatusDraft || it.DepartmentCode != demo.DeptCivilAffairs ||
			len(it.Levels) != 2 || !it.FullyOnline() || len(it.Materials) != 2 || it.Materials[1].Type != "income_proof" ||
			it.Materials[0].Form != catalog.FormPaper || it.Materials[0].Source != catalog.SourceGovernment ||
			len(it.Fees) != 1 || it.Fees[0].AmountFen != 1050 || it.BaseCode != "000507999000" || len(it.LifeEvents) != 2 {
			t.Fatalf("created item %+v", it)
		}
		visitor := e.client(t)
		visitor.get("/items?q=" + url.QueryEscape("困难老年人测试补贴")).want(200).lacks(code)

		admin.post("/admin/items/"+code+"/versions/1/publish", url.Values{}).want(http.StatusSeeOther)
		visitor.get("/items?q=" + url.QueryEscape("困难老年人测试补贴")).want(200).has(code)
		// Its aliases find it, in Chinese, by their pinyin initials and in
		// English; the edit form shows them one a line.
		for _, q := range []string{"养老钱", "lrbt", "elderly allowance"} {
			visitor.get("/items?q=" + url.QueryEscape(q)).want(200).has(code)
		}
		admin.get("/admin/items/"+code).want(200).has(`<textarea id="aliases" name="aliases"`, "老人补贴\n养老钱\nelderly allowance</textarea>")
		visitor.get("/items/"+code).want(200).has("困难老年人测试补贴", "收入证明")

		// The edit form keeps the codes, and its rows can be removed too.
		edit := newItemForm("SOMETHING-ELSE", "困难老年人测试补贴（修订）")
		edit.Set("material_rows", "1")
		edit.Set("fee_rows", "1")
		edit.Set("f0_remove", "1")
		admin.post("/admin/items/"+code, edit).want(http.StatusSeeOther)
		vs, _ = e.cat.Versions(ctx, code)
		if vs[0].Code != code || vs[0].Version != 2 || len(vs[0].Materials) != 1 || len(vs[0].Fees) != 0 {
			t.Errorf("edited draft %+v", vs[0])
		}
		if _, err := e.cat.Versions(ctx, "SOMETHING-ELSE"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("an edit made an item of another code: %v", err)
		}
	})
}

// pointForm is a complete form for a township centre.
func pointForm(code string) url.Values {
	return url.Values{"code": {code}, "name": {"测试镇便民服务中心"}, "name_en": {"Test township centre"}, "level": {"5"},
		"kind": {network.KindTownshipCentre}, "region_code": {"220523"}, "address": {"辉南县测试镇中心街1号"}, "phone": {"0435-8888111"},
		"hours": {"工作日 8:30–17:00"}, "lat": {"42.61"}, "lon": {"126.12"},
		"services": {network.ServiceGovernment, network.ServiceMedicalInsurance}}
}

// An administrator adds a service point and edits it; problems come back
// next to their fields and save nothing; a code in use, an unknown division
// and an unknown point are refused; other roles are refused.
func TestPointPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		points := network.NewStore(e.db)
		admin := e.as(t, "admin")
		admin.get("/admin/points").want(200).has(`href="/admin/points/new"`, `href="/admin/points/`+demo.CountyHall+`"`)
		admin.get("/admin/points/new").want(200).has(`id="code"`, `id="region_code"`, `id="lat"`, `id="service-legal-aid"`).lacks("⟦")
		en := e.as(t, "admin")
		en.lang = "en"
		en.get("/admin/points/new").want(200).has("New service point", "Services offered").lacks("⟦")
		en.get("/admin/points/" + demo.CountyHall).want(200).has("Edit service point").lacks("⟦")
		before, err := points.List(ctx)
		if err != nil {
			t.Fatal(err)
		}

		bad := pointForm("bad code")
		bad.Set("name", "")
		bad.Set("lat", "北纬42")
		bad.Set("lon", "")
		p := admin.post("/admin/points/new", bad).want(http.StatusUnprocessableEntity)
		p.has(`<p class="field-error">网点编码须为`, `<p class="field-error">请填写网点名称`, `<p class="field-error">须为十进制度数`, `value="北纬42"`)
		unknown := pointForm("HN-TEST-1")
		unknown.Set("region_code", "229999")
		admin.post("/admin/points/new", unknown).want(http.StatusUnprocessableEntity).has(`<p class="field-error">行政区划 229999 不存在`)
		unknown.Set("services", "tax")
		admin.post("/admin/points/new", unknown).want(http.StatusUnprocessableEntity).has(`<p class="field-error">服务类别不存在`)
		taken := pointForm(demo.CountyHall)
		admin.post("/admin/points/new", taken).want(http.StatusUnprocessableEntity).has("该编码已被其他网点使用")
		e.as(t, "hn_dating").post("/admin/points/new", pointForm("HN-TEST-1")).want(http.StatusForbidden)
		if after, _ := points.List(ctx); len(after) != len(before) {
			t.Fatalf("refused forms stored %d points", len(after)-len(before))
		}
		if hall, _ := points.Get(ctx, nil, demo.CountyHall); hall.Name == "测试镇便民服务中心" {
			t.Fatal("a create with a code in use replaced the county hall")
		}

		res := admin.post("/admin/points/new", pointForm("HN-TEST-1")).want(http.StatusSeeOther)
		admin.get(res.location()).want(200).has("已新增服务网点 HN-TEST-1", `data-point="HN-TEST-1"`)
		pt, err := points.Get(ctx, nil, "HN-TEST-1")
		if err != nil {
			t.Fatal(err)
		}
		if pt.Level != 5 || pt.RegionCode != "220523" || !pt.Located() || *pt.Lat != 42.61 || pt.LocationGenerated ||
			strings.Join(pt.Services, ",") != "government,medical-insurance" {
			t.Fatalf("created point %+v", pt)
		}

		admin.get("/admin/points/HN-TEST-1").want(200).has(`value="测试镇便民服务中心"`, `value="42.61"`, `id="service-medical-insurance" name="services" value="medical-insurance" checked`).lacks(`id="code"`)
		edit := pointForm("IGNORED")
		edit.Set("name", "测试镇政务服务中心")
		edit.Set("lat", "")
		edit.Set("lon", "")
		edit.Del("services")
		edit.Add("services", network.ServiceLegalAid)
		admin.post("/admin/points/HN-TEST-1", edit).want(http.StatusSeeOther)
		pt, _ = points.Get(ctx, nil, "HN-TEST-1")
		if pt.Name != "测试镇政务服务中心" || pt.Located() || strings.Join(pt.Services, ",") != "legal-aid" {
			t.Errorf("edited point %+v", pt)
		}
		if _, err := points.Get(ctx, nil, "IGNORED"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("an edit made a point of another code: %v", err)
		}
		half := pointForm("")
		half.Set("name", "半截修改")
		half.Set("lon", "")
		admin.post("/admin/points/HN-TEST-1", half).want(http.StatusUnprocessableEntity).has(`<p class="field-error">纬度和经度须同时填写`)
		if again, _ := points.Get(ctx, nil, "HN-TEST-1"); again.Name != pt.Name {
			t.Errorf("a refused edit changed the name to %q", again.Name)
		}
		admin.get("/admin/points/NO-SUCH").want(http.StatusNotFound)
		admin.post("/admin/points/NO-SUCH", pointForm("NO-SUCH")).want(http.StatusNotFound)
		e.as(t, "qz_quanke").get("/admin/points/HN-TEST-1").want(http.StatusForbidden)
		e.as(t, "rs_shenpi").post("/admin/points/HN-TEST-1", pointForm("")).want(http.StatusForbidden)
		if again, _ := points.Get(ctx, nil, "HN-TEST-1"); again.Name != pt.Name {
			t.Errorf("a refused role changed the point to %q", again.Name)
		}
	})
}

// The portal's search finds items by what people call them: 营业执照 and
// yyzz find 企业设立登记 and 个体工商户设立登记, sbk finds the 社保卡 items.
func TestSearchByAlias(t *testing.T) {
	e := sqliteEnv(t)
	visitor := e.client(t)
	company, trader, card := demo.ItemCode("企业设立登记"), demo.ItemCode("个体工商户设立登记"), demo.ItemCode("社会保障卡申领")
	if company == "" || trader == "" || card == "" {
		t.Fatal("the demo lacks the items")
	}
	for _, q := range []string{"营业执照", "yyzz"} {
		visitor.get("/items?q="+url.QueryEscape(q)).want(200).has(`/items/`+company+`"`, `/items/`+trader+`"`)
	}
	visitor.get("/items?q=sbk").want(200).has(`/items/` + card + `"`)
}
