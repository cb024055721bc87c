package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/workday"
)

// Story 1: 于女士 comes to her community service centre and, at one
// generalist window, applies for a social-insurance subsidy and asks about
// family-planning policy: both handled at one window, results issued there.
func TestStory1GeneralistWindow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := applicantID("yuxiulan")
		subsidy := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", id)
		consult := e.walkIn("qz_quanke", demo.CodeFamilyPlanningConsult, "于秀兰", id)
		for _, c := range []caseOut{subsidy, consult} {
			if c.State != "accepted" || c.Point != demo.QingzhouCentre || c.Channel != "window" || c.ActingStaffID == nil {
				t.Fatalf("case %+v: want accepted at %s through the window, with the generalist recorded", c, demo.QingzhouCentre)
			}
			if !strings.HasPrefix(c.Number, demo.QingzhouCentre+"-") {
				t.Errorf("number %s should start with the point code", c.Number)
			}
		}
		if subsidy.Number == consult.Number {
			t.Fatal("two cases share a number")
		}
		// 计划生育政策咨询 is 即办件 (limit 0): due the day it is accepted (or the next working day).
		cal, _ := workday.NewOfficial()
		today := workday.DateOf(e.clock.Now())
		due, _ := cal.Add(today, e.item(demo.CodeFamilyPlanningConsult).PromisedLimitDays)
		if consult.PromisedDue != workday.FormatDate(due) {
			t.Errorf("consultation due %s, want %s", consult.PromisedDue, workday.FormatDate(due))
		}

		// The receipt carries the number, the promised date and the officer.
		var doc struct {
			CaseNumber  string `json:"case_number"`
			PromisedDue string `json:"promised_due"`
			Officer     string `json:"officer"`
			TitleZH     string `json:"title_zh"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/acceptance", subsidy.ID), "qz_quanke", nil).want(200).decode(&doc)
		if doc.CaseNumber != subsidy.Number || doc.PromisedDue != subsidy.PromisedDue || doc.Officer != "李春燕" || !strings.Contains(doc.TitleZH, "受理通知书") {
			t.Errorf("acceptance notice %+v does not match case %+v", doc, subsidy)
		}
		html := e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/acceptance?format=html", subsidy.ID), "qz_quanke", nil).want(200)
		if !strings.Contains(string(html.body), subsidy.Number) || !strings.Contains(html.header.Get("Content-Type"), "text/html") {
			t.Errorf("printable acceptance notice lacks the case number: %.300s", html.body)
		}

		// Each department decides its own case in the back office.
		e.act("rs_shenpi", subsidy.ID, "start_review", nil)
		e.act("rs_shenpi", subsidy.ID, "approve", nil)
		e.act("rs_shenpi", subsidy.ID, "prepare_result", nil)
		e.act("wj_shenpi", consult.ID, "approve", nil)
		e.act("wj_shenpi", consult.ID, "prepare_result", nil)
		// The generalist's own centre issues both results.
		for _, c := range []caseOut{subsidy, consult} {
			issued := e.act("qz_chuzheng", c.ID, "issue", map[string]any{"issue_method": "window"})
			if issued.State != "issued" || len(issued.VerifyCode) != 12 {
				t.Fatalf("issued case %+v: want state issued with a verification code", issued)
			}
			var v struct {
				Number    string `json:"number"`
				Result    string `json:"result"`
				Applicant string `json:"applicant"`
			}
			e.call("GET", "/api/v1/verify/"+strings.ToLower(issued.VerifyCode), "", nil).want(200).decode(&v)
			if v.Number != c.Number || v.Result != "approved" || v.Applicant != "于**" {
				t.Errorf("verification %+v, want number %s approved for 于**", v, c.Number)
			}
		}
		e.call("GET", "/api/v1/verify/NOTACODE2345", "", nil).problem(404, "verify_code_unknown")
	})
}

// Story 2: 周先生 needs two items at the county government service centre;
// both are accepted at one window, and each goes to its own department.
func TestStory2TwoItemsOneWindow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := applicantID("zhouming")
		a := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", id)
		b := e.walkIn("hn_qiantai", demo.CodeSocialInsuranceSubsidy, "周明", id)
		if a.Department == b.Department {
			t.Fatalf("the two items should belong to different departments, both are %s", a.Department)
		}
		// The 人社 reviewer sees the subsidy in the queue and not the 医保 case.
		var q struct {
			Items []caseOut `json:"items"`
			Total int       `json:"total"`
		}
		e.call("GET", "/api/v1/cases?sort=due&state=accepted", "rs_shenpi", nil).want(200).decode(&q)
		if q.Total != 1 || q.Items[0].ID != b.ID {
			t.Fatalf("人社 queue %+v, want only case %d", q, b.ID)
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", a.ID), "rs_shenpi", nil).problem(403, "out_of_scope")
		e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/approve", a.ID), "rs_shenpi", nil).problem(403, "out_of_scope")
		e.act("yb_shenpi", a.ID, "approve", nil)
		e.act("rs_shenpi", b.ID, "refuse", map[string]any{"reasons": []string{"不符合补贴申领条件：未登记失业"}})
		e.act("rs_shenpi", b.ID, "prepare_result", nil)
		issued := e.act("hn_chuzheng", b.ID, "issue", map[string]any{"issue_method": "post", "address": "辉南县朝阳镇幸福路1号"})
		var v struct{ Result string }
		e.call("GET", "/api/v1/verify/"+issued.VerifyCode, "", nil).want(200).decode(&v)
		if v.Result != "refused" {
			t.Errorf("verification of a refusal says %q", v.Result)
		}
		// A county-only item cannot be accepted at a community centre.
		p := e.call("POST", "/api/v1/cases", "qz_quanke", map[string]any{"item": demo.CodeBusinessLicence,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": id}}).problem(409, "item_not_at_level")
		if !strings.Contains(p.Title, "不能在") {
			t.Errorf("message %q should say where the item can be handled", p.Title)
		}
	})
}

// Story 3: 何经奇 registers out-of-area medical treatment at his street's
// service centre instead of the city medical-insurance hall.
func TestStory3MedicalInsuranceAtStreetCentre(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.walkIn("dh_qiantai", demo.CodeMedicalOutOfArea, "何经奇", applicantID("hejingqi"))
		if c.Point != demo.DonghuiCentre {
			t.Fatalf("case at %s, want %s", c.Point, demo.DonghuiCentre)
		}
		e.act("yb_shenpi", c.ID, "start_review", map[string]any{"version": c.Version})
		e.act("yb_shenpi", c.ID, "approve", nil)
		e.act("dh_chuzheng", c.ID, "prepare_result", nil)
		issued := e.act("dh_chuzheng", c.ID, "issue", map[string]any{"issue_method": "electronic"})
		closed := e.act("dh_chuzheng", c.ID, "close", nil)
		if closed.State != "closed" || issued.VerifyCode == "" {
			t.Fatalf("case ended %s with code %q", closed.State, issued.VerifyCode)
		}
		var evs struct {
			Items []struct {
				Action string `json:"action"`
				Role   string `json:"role"`
			} `json:"items"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/events", c.ID), "dh_qiantai", nil).want(200).decode(&evs)
		var got []string
		for _, ev := range evs.Items {
			got = append(got, ev.Action)
		}
		want := []string{"create", "accept", "start_review", "approve", "prepare_result", "issue", "close"}
		if !slices.Equal(got, want) {
			t.Errorf("history %v, want %v", got, want)
		}
		var auditOK struct {
			Intact  bool  `json:"intact"`
			Records int64 `json:"records"`
		}
		e.call("GET", "/api/v1/audit/verify", "admin", nil).want(200).decode(&auditOK)
		if !auditOK.Intact || auditOK.Records < int64(len(want)) {
			t.Errorf("audit verify: %+v", auditOK)
		}
	})
}

// An applicant applies online: draft, upload, submit; the front desk tells
// every missing material at once; the applicant supplements; accepted.
func TestOnlineApplicationWithOneTimeNotice(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		it := e.item(demo.CodeSocialInsuranceSubsidy)
		required := requiredTypes(it, false)
		if len(required) < 2 {
			t.Fatalf("the test needs an item with at least two required materials, %s has %v", it.Code, required)
		}
		draft := e.caseOf(e.call("POST", "/api/v1/cases", "yuxiulan", map[string]any{"item": it.Code, "point": demo.QingzhouCentre}).want(201))
		if draft.State != "draft" || draft.Channel != "online" || draft.Applicant.Name != "于秀兰" {
			t.Fatalf("draft %+v", draft)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		up := e.caseOf(e.call("PUT", fmt.Sprintf("/api/v1/cases/%d/materials/%s?name=%s", draft.ID, required[0], "id.png"), "yuxiulan", png).want(200))
		if len(up.Materials) != 1 || up.Materials[0].Source != "upload" {
			t.Fatalf("after upload: %+v", up.Materials)
		}
		e.call("PUT", fmt.Sprintf("/api/v1/cases/%d/materials/%s", draft.ID, required[0]), "yuxiulan", []byte("#!/bin/sh\necho hi\n")).problem(415, "upload_type")
		e.call("PUT", fmt.Sprintf("/api/v1/cases/%d/materials/%s?name=..%%2F..%%2Fetc%%2Fpasswd", draft.ID, required[0]), "yuxiulan", png).problem(422, "validation_failed")
		sub := e.act("yuxiulan", draft.ID, "submit", nil)
		if sub.State != "submitted" {
			t.Fatalf("submitted case is %s", sub.State)
		}
		// Another applicant cannot see it, and learns nothing of its existence.
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", draft.ID), "zhouming", nil).problem(404, "case_not_found")

		e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/accept", draft.ID), "qz_quanke", nil).problem(409, "materials_missing")
		notice := e.act("qz_quanke", draft.ID, "notify_missing", nil)
		if notice.State != "supplement_required" {
			t.Fatalf("after the one-time notice the case is %s", notice.State)
		}
		var doc struct {
			Missing []struct{ Type string } `json:"missing"`
			DueBy   string                  `json:"due_by"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/missing", draft.ID), "yuxiulan", nil).want(200).decode(&doc)
		var listed []string
		for _, m := range doc.Missing {
			listed = append(listed, m.Type)
		}
		for _, want := range requiredTypes(it, true)[1:] {
			if !slices.Contains(listed, want) {
				t.Errorf("one-time notice lists %v; %s is missing from it", listed, want)
			}
		}
		if slices.Contains(listed, required[0]) || doc.DueBy == "" {
			t.Errorf("one-time notice %+v: lists an uploaded material or has no deadline", doc)
		}
		for _, typ := range listed {
			e.call("POST", fmt.Sprintf("/api/v1/cases/%d/materials", draft.ID), "yuxiulan", map[string]any{"type": typ}).want(200)
		}
		back := e.act("yuxiulan", draft.ID, "supplement", nil)
		if back.State != "received" {
			t.Fatalf("after supplementing the case is %s, want received", back.State)
		}
		acc := e.act("qz_quanke", draft.ID, "accept", nil)
		if acc.State != "accepted" || acc.PromisedDue == "" {
			t.Fatalf("accepted case %+v", acc)
		}
		// The applicant tracks it among their own cases.
		var mine struct{ Total int }
		e.call("GET", "/api/v1/cases", "yuxiulan", nil).want(200).decode(&mine)
		if mine.Total != 1 {
			t.Errorf("yu sees %d cases, want 1", mine.Total)
		}
	})
}

// 容缺受理 when only waivable materials are missing, and 不予受理 with reasons.
func TestWaiverAndNonAcceptance(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		items, _, err := catalog.NewStore(e.db).Search(context.Background(), catalog.Filter{Level: catalog.LevelCounty, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		var it *catalog.Item
		for i := range items {
			if slices.ContainsFunc(items[i].Materials, func(m catalog.Material) bool { return m.Requirement == catalog.Waivable }) &&
				(items[i].ServesPersons || !items[i].ServesEnterprises) {
				it = &items[i]
				break
			}
		}
		if it == nil {
			t.Fatal("the demo catalogue has no county item with a waivable material")
		}
		c := e.caseOf(e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": it.Code,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID("zhouming")},
			"materials": requiredTypes(*it, false)}).want(201))
		acc := e.act("hn_qiantai", c.ID, "accept", nil)
		if len(acc.Waived) == 0 || acc.WaiverDue == "" {
			t.Fatalf("容缺 acceptance %+v: want waived materials and a deadline", acc)
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/waiver", c.ID), "hn_qiantai", nil).want(200)
		reviewer := ""
		for _, a := range demo.Accounts() {
			if a.User.DepartmentCode == it.DepartmentCode {
				reviewer = a.Username
			}
		}
		if reviewer != "" {
			e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/approve", c.ID), reviewer, nil).problem(409, "waived_materials_outstanding")
		}

		n := e.caseOf(e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": it.Code,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID("zhouming")}}).want(201))
		p := e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/not_accept", n.ID), "hn_qiantai", map[string]any{}).problem(422, "validation_failed")
		if !p.hasField("reasons") {
			t.Errorf("refusal without reasons should name the reasons field: %+v", p)
		}
		na := e.act("hn_qiantai", n.ID, "not_accept", map[string]any{"reasons": []string{"申请事项不属于本机关职权范围"}})
		if na.State != "not_accepted" {
			t.Fatalf("state %s", na.State)
		}
		var doc struct {
			Reasons  []string `json:"reasons"`
			AppealZH string   `json:"appeal_zh"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/not_accepted", n.ID), "hn_qiantai", nil).want(200).decode(&doc)
		if len(doc.Reasons) != 1 || !strings.Contains(doc.AppealZH, "行政复议") {
			t.Errorf("不予受理通知书 %+v", doc)
		}
	})
}

// A front desk cannot attach a walk-in case to someone's account by typing
// a user id: only the identity number links it.
func TestFrontDeskCannotAttachCaseToAnAccount(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var yu struct {
			ID int64 `json:"id"`
		}
		e.call("GET", "/api/v1/me", "yuxiulan", nil).want(200).decode(&yu)
		c := e.caseOf(e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": demo.CodeMedicalOutOfArea,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID("zhouming"), "user_id": yu.ID}}).want(201))
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), "yuxiulan", nil).problem(404, "case_not_found")
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), "zhouming", nil).want(200)
	})
}

// A path that exists with another method gets 405 and Allow; an unknown path 404.
func TestWrongMethodIs405(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.call("DELETE", "/api/v1/items", "", nil)
		r.problem(405, "method_not_allowed")
		if !strings.Contains(r.header.Get("Allow"), "GET") {
			t.Errorf("Allow = %q, want GET among the methods", r.header.Get("Allow"))
		}
		e.call("GET", "/api/v1/nothing-here", "", nil).problem(404, "no_such_route")
	})
}
