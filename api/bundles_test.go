package api_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
)

type bundleOut struct {
	ID         int64  `json:"id"`
	Number     string `json:"number"`
	State      string `json:"state"`
	Version    int    `json:"version"`
	VerifyCode string `json:"verify_code"`
	Members    []struct {
		Item    string `json:"item"`
		CaseID  *int64 `json:"case_id"`
		State   string `json:"state"`
		Waiting bool   `json:"waiting"`
		Skipped bool   `json:"skipped"`
	} `json:"members"`
	HoldingUp []string `json:"holding_up"`
}

// reviewerOf returns the demo reviewer of the department that handles item.
func (e *env) reviewerOf(item string) string {
	e.t.Helper()
	dept := e.item(item).DepartmentCode
	for _, a := range demo.Accounts() {
		if a.User.DepartmentCode == dept && a.Role == "reviewer" {
			return a.Username
		}
	}
	e.t.Fatalf("no demo reviewer for %s (department %s)", item, dept)
	return ""
}

func (e *env) bundle(id int64, user string) bundleOut {
	e.t.Helper()
	var b bundleOut
	e.call("GET", fmt.Sprintf("/api/v1/bundle-cases/%d", id), user, nil).want(200).decode(&b)
	return b
}

func (b bundleOut) member(item string) (int64, string, bool) {
	for _, m := range b.Members {
		if m.Item == item && m.CaseID != nil {
			return *m.CaseID, m.State, true
		}
	}
	return 0, "", false
}

func (b bundleOut) started() []string {
	var out []string
	for _, m := range b.Members {
		if m.CaseID != nil {
			out = append(out, m.Item)
		}
	}
	slices.Sort(out)
	return out
}

// decide approves a member case and sends the result to the issuing window.
func (e *env) decide(item string, b bundleOut) {
	e.t.Helper()
	id, _, ok := b.member(item)
	if !ok {
		e.t.Fatalf("member %s has not started", item)
	}
	who := e.reviewerOf(item)
	e.act(who, id, "approve", nil)
	e.act(who, id, "prepare_result", nil)
}

// applyForBundle takes the bundle's guide and applies with every material.
func (e *env) applyForBundle(code, desk string, applicant map[string]any) bundleOut {
	e.t.Helper()
	var g struct {
		Materials []struct {
			Type        string   `json:"type"`
			Requirement string   `json:"requirement"`
			Items       []string `json:"items"`
		} `json:"materials"`
		Fields []struct {
			Key   string   `json:"key"`
			Items []string `json:"items"`
		} `json:"fields"`
	}
	e.call("GET", "/api/v1/bundles/"+code, "", nil).want(200).decode(&g)
	var mats []string
	for _, m := range g.Materials {
		if m.Requirement != catalog.Optional {
			mats = append(mats, m.Type)
		}
	}
	var b bundleOut
	e.call("POST", "/api/v1/bundle-cases", desk, map[string]any{"bundle": code, "applicant": applicant, "materials": mats,
		"form": map[string]any{"phone": "13904350002"}}).want(201).decode(&b)
	if b.State != "received" {
		e.e().Fatalf("bundle case is %s, want received", b.State)
	}
	e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/accept", b.ID), desk, nil).want(200).decode(&b)
	return b
}

func (e *env) e() testing.TB { return e.t }

// 新生儿出生一件事: one form and one set of materials; members start as their
// prerequisites are approved; results issued together.
func TestBundleNewborn(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var g struct {
			Materials []struct {
				Type  string   `json:"type"`
				Items []string `json:"items"`
			} `json:"materials"`
			Fields []struct {
				Key   string   `json:"key"`
				Items []string `json:"items"`
			} `json:"fields"`
		}
		e.call("GET", "/api/v1/bundles/"+demo.BundleNewborn, "", nil).want(200).decode(&g)
		seen := map[string]int{}
		for _, m := range g.Materials {
			seen[m.Type]++
			if m.Type == "id_card" && len(m.Items) < 2 {
				t.Errorf("居民身份证 serves %v, want several members", m.Items)
			}
		}
		for typ, n := range seen {
			if n != 1 {
				t.Errorf("material %s listed %d times, want once", typ, n)
			}
		}
		keys := map[string]int{}
		for _, f := range g.Fields {
			keys[f.Key]++
		}
		if keys["child_name"] != 1 || len(g.Fields) < 5 {
			t.Errorf("merged form %+v: child_name should be asked once", keys)
		}

		b := e.applyForBundle(demo.BundleNewborn, "hn_qiantai",
			map[string]any{"kind": "person", "name": "周明", "id_number": applicantID("zhouming")})
		want := []string{demo.CodeBirthCertificate, demo.CodeVaccinationCertificate}
		slices.Sort(want)
		if b.State != "accepted" || !slices.Equal(b.started(), want) {
			t.Fatalf("after acceptance: %s, started %v; want accepted with %v", b.State, b.started(), want)
		}
		// A member cannot be issued alone.
		e.decide(demo.CodeVaccinationCertificate, b)
		vid, _, _ := b.member(demo.CodeVaccinationCertificate)
		e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/issue", vid), "hn_chuzheng", map[string]any{"issue_method": "window"}).
			problem(409, "bundle_joint_issue")

		e.decide(demo.CodeBirthCertificate, b)
		b = e.bundle(b.ID, "hn_qiantai")
		if _, _, ok := b.member(demo.CodeBirthRegistration); !ok {
			t.Fatalf("户口登记 did not start after 出生医学证明 was approved: %v", b.started())
		}
		if _, _, ok := b.member(demo.CodeSocialSecurityCard); ok {
			t.Fatal("社会保障卡 started before 户口登记 was approved")
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/issue", b.ID), "hn_chuzheng", map[string]any{"issue_method": "window"}).
			problem(409, "bundle_not_ready")
		e.decide(demo.CodeBirthRegistration, b)
		b = e.bundle(b.ID, "hn_qiantai")
		e.decide(demo.CodeResidentMedicalInsurance, b)
		e.decide(demo.CodeSocialSecurityCard, b)
		b = e.bundle(b.ID, "hn_qiantai")
		if b.State != "ready_for_issue" || len(b.HoldingUp) != 0 {
			t.Fatalf("with every member done the bundle is %s, holding up %v", b.State, b.HoldingUp)
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/issue", b.ID), "hn_chuzheng", map[string]any{"issue_method": "window"}).
			want(200).decode(&b)
		if b.State != "issued" || b.VerifyCode == "" {
			t.Fatalf("issued bundle %+v", b)
		}
		for _, m := range b.Members {
			if m.State != "issued" {
				t.Errorf("member %s is %s after the joint issue", m.Item, m.State)
			}
		}
		// The applicant sees the application through the identity number.
		var mine struct{ Total int }
		e.call("GET", "/api/v1/bundle-cases", "zhouming", nil).want(200).decode(&mine)
		if mine.Total != 1 {
			t.Errorf("周明 sees %d bundle cases, want 1", mine.Total)
		}
		e.call("GET", fmt.Sprintf("/api/v1/bundle-cases/%d", b.ID), "yuxiulan", nil).problem(404, "bundle_case_not_found")
	})
}

// 开办企业一件事: after the licence, four departments decide at the same
// moment and the bundle stays consistent; a refused licence stops the rest.
func TestBundleStartingABusiness(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var credit string
		for _, a := range demo.Accounts() {
			if a.Username == "jlhx" {
				credit = a.User.CreditCode
			}
		}
		applicant := map[string]any{"kind": "enterprise", "name": "吉林化纤示范有限公司", "credit_code": credit, "id_number": applicantID("zhouming")}
		b := e.applyForBundle(demo.BundleEnterprise, "hn_qiantai", applicant)
		if !slices.Equal(b.started(), []string{demo.CodeBusinessLicence}) {
			t.Fatalf("started %v, want only the business licence", b.started())
		}
		e.decide(demo.CodeBusinessLicence, b)
		b = e.bundle(b.ID, "hn_qiantai")
		rest := []string{demo.CodeSealEngraving, demo.CodeInvoice, demo.CodeEmployerSocialInsurance, demo.CodeHousingFundEmployer}
		if len(b.started()) != 5 {
			t.Fatalf("after the licence %v started, want all five", b.started())
		}
		for _, item := range rest {
			e.token(e.reviewerOf(item))
		}
		var wg sync.WaitGroup
		for _, item := range rest {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, _, _ := b.member(item)
				who := e.reviewerOf(item)
				for _, a := range []string{"approve", "prepare_result"} {
					if r := e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/%s", id, a), who, nil); r.status != 200 {
						t.Errorf("%s %s: %d %s", a, item, r.status, r.body)
					}
				}
			}()
		}
		wg.Wait()
		b = e.bundle(b.ID, "hn_qiantai")
		if b.State != "ready_for_issue" {
			t.Fatalf("after concurrent decisions the bundle is %s (holding up %v), want ready_for_issue", b.State, b.HoldingUp)
		}

		// A second application whose licence is refused: the others never start.
		b2 := e.applyForBundle(demo.BundleEnterprise, "hn_qiantai", applicant)
		lid, _, _ := b2.member(demo.CodeBusinessLicence)
		who := e.reviewerOf(demo.CodeBusinessLicence)
		e.act(who, lid, "refuse", map[string]any{"reasons": []string{"企业名称与已登记企业重名"}})
		e.act(who, lid, "prepare_result", nil)
		b2 = e.bundle(b2.ID, "hn_qiantai")
		skipped := 0
		for _, m := range b2.Members {
			if m.Skipped {
				skipped++
			}
		}
		if b2.State != "ready_for_issue" || skipped != 4 {
			t.Fatalf("after the refusal: %s with %d skipped members, want ready_for_issue with 4", b2.State, skipped)
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/issue", b2.ID), "hn_chuzheng", map[string]any{"issue_method": "electronic"}).want(200)
	})
}

// 残疾人服务一件事: 补正 requests reach the applicant as one notice; results may
// be issued one by one (the bundle allows it); withdrawing the parent
// withdraws the open members.
func TestBundleDisabilityServices(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		person := map[string]any{"kind": "person", "name": "马慧文", "id_number": applicantID("mahuiwen")}
		b := e.applyForBundle(demo.BundleDisability, "hn_qiantai", person)
		e.decide(demo.CodeDisabilityCertificate, b)
		b = e.bundle(b.ID, "hn_qiantai")
		subsidy, _, _ := b.member(demo.CodeDisabilitySubsidies)
		rehab, _, _ := b.member(demo.CodeDisabilityRehabilitation)
		e.act(e.reviewerOf(demo.CodeDisabilitySubsidies), subsidy, "request_supplement", map[string]any{"reasons": []string{"请补充低保证明"}})
		e.act(e.reviewerOf(demo.CodeDisabilityRehabilitation), rehab, "request_supplement", map[string]any{"reasons": []string{"请补充康复评估报告"}})
		var notice struct {
			Items []struct {
				Item    string   `json:"item"`
				Reasons []string `json:"reasons"`
			} `json:"items"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/bundle-cases/%d/notice", b.ID), "mahuiwen", nil).want(200).decode(&notice)
		if len(notice.Items) != 2 {
			t.Fatalf("combined notice lists %d requests, want 2: %+v", len(notice.Items), notice)
		}
		var notes int
		e.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM outbox WHERE topic = 'bundle.supplement'`).Scan(&notes)
		if notes != 2 {
			t.Fatalf("%d bundle notices in the outbox, want one per request", notes)
		}
		// Partial issue: the certificate goes out while the others wait.
		cert, _, _ := b.member(demo.CodeDisabilityCertificate)
		e.act("hn_chuzheng", cert, "issue", map[string]any{"issue_method": "window"})
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/withdraw", b.ID), "mahuiwen", nil).want(200).decode(&b)
		if b.State != "withdrawn" {
			t.Fatalf("bundle is %s, want withdrawn", b.State)
		}
		for _, m := range b.Members {
			want := "withdrawn"
			if m.Item == demo.CodeDisabilityCertificate {
				want = "issued"
			}
			if m.State != want {
				t.Errorf("member %s is %s, want %s", m.Item, m.State, want)
			}
		}
	})
}

// A bundle definition with a cycle is refused with the cycle named.
func TestBundleDefinitionRejectsCycle(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := map[string]any{"code": "YJS-LOOP", "name": "循环", "lead_department": demo.DeptMarket, "promised_limit_days": 3,
			"on_refusal": "stop", "members": []map[string]any{
				{"item": demo.CodeBusinessLicence, "depends_on": []string{demo.CodeInvoice}},
				{"item": demo.CodeInvoice, "depends_on": []string{demo.CodeBusinessLicence}}}}
		p := e.call("POST", "/api/v1/bundles", "admin", body).problem(422, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Code != "cycle" {
			t.Fatalf("errors %+v, want one naming the cycle", p.Errors)
		}
		e.call("POST", "/api/v1/bundles", "hn_qiantai", body).problem(403, "role_not_allowed")
	})
}

// Applied for online; a refused member under the "continue" policy: the
// others go on, the members that needed it are skipped, and the results
// (the refusal included) are issued together.
func TestBundleOnlineAndContinuePolicy(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var b bundleOut
		e.call("POST", "/api/v1/bundle-cases", "yuxiulan", map[string]any{"bundle": demo.BundleNewborn, "point": demo.CountyHall,
			"materials": []string{"id_card"}}).want(201).decode(&b)
		if b.State != "submitted" {
			t.Fatalf("online bundle application is %s, want submitted", b.State)
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/accept", b.ID), "hn_qiantai", nil).problem(409, "materials_missing")
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/notify_missing", b.ID), "hn_qiantai", nil).want(200).decode(&b)
		if b.State != "supplement_required" {
			t.Fatalf("after the one-time notice: %s", b.State)
		}
		var g struct {
			Materials []struct {
				Type        string `json:"type"`
				Requirement string `json:"requirement"`
			} `json:"materials"`
		}
		e.call("GET", "/api/v1/bundles/"+demo.BundleNewborn, "", nil).want(200).decode(&g)
		var all []string
		for _, m := range g.Materials {
			if m.Requirement != catalog.Optional {
				all = append(all, m.Type)
			}
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/supplement", b.ID), "yuxiulan", map[string]any{"materials": all}).want(200)
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/accept", b.ID), "hn_qiantai", nil).want(200).decode(&b)

		cert, _, _ := b.member(demo.CodeBirthCertificate)
		who := e.reviewerOf(demo.CodeBirthCertificate)
		e.act(who, cert, "refuse", map[string]any{"reasons": []string{"出生信息与医院记录不符"}})
		e.act(who, cert, "prepare_result", nil)
		b = e.bundle(b.ID, "yuxiulan")
		if b.State != "accepted" || !slices.Equal(b.HoldingUp, []string{demo.CodeVaccinationCertificate}) {
			t.Fatalf("after the refusal: %s holding up %v; want accepted, waiting for 预防接种证 only", b.State, b.HoldingUp)
		}
		e.decide(demo.CodeVaccinationCertificate, b)
		b = e.bundle(b.ID, "yuxiulan")
		skipped := 0
		for _, m := range b.Members {
			if m.Skipped {
				skipped++
			}
		}
		if b.State != "ready_for_issue" || skipped != 3 {
			t.Fatalf("bundle %s with %d skipped, want ready_for_issue with 3 skipped", b.State, skipped)
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/issue", b.ID), "hn_chuzheng", map[string]any{"issue_method": "electronic"}).want(200).decode(&b)
		if b.State != "issued" {
			t.Fatalf("bundle %s after issue", b.State)
		}
	})
}

// An applicant's online bundle application takes the file of a merged
// material through the API (the body is the file); a type the bundle does
// not ask for, or a file that is not PDF, JPEG or PNG, is refused; a
// reviewer may not add one; after acceptance no file is taken. An issue at
// the window takes its collector, refused without a signature.
func TestBundleFilesThroughAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var g struct {
			Materials []struct {
				Type        string `json:"type"`
				Requirement string `json:"requirement"`
			} `json:"materials"`
		}
		e.call("GET", "/api/v1/bundles/"+demo.BundleNewborn, "", nil).want(200).decode(&g)
		var b struct {
			ID      int64  `json:"id"`
			State   string `json:"state"`
			Version int    `json:"version"`
			Files   []struct {
				Type     string `json:"type"`
				FileName string `json:"file_name"`
				FileHash string `json:"file_hash"`
			} `json:"files"`
			Materials []string `json:"materials"`
		}
		e.call("POST", "/api/v1/bundle-cases", "zhouming", map[string]any{"bundle": demo.BundleNewborn, "form": map[string]any{"phone": "13904350002"}}).
			want(201).decode(&b)
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		typ := g.Materials[0].Type
		path := fmt.Sprintf("/api/v1/bundle-cases/%d/files/", b.ID)
		e.call("PUT", path+"no_such_material?name=x.png", "zhouming", png).want(422)
		e.call("PUT", path+typ+"?name=x.txt", "zhouming", []byte("just some text, not a document")).want(415)
		e.call("PUT", path+typ+"?name=x.png", e.reviewerOf(demo.CodeVaccinationCertificate), png).want(403)
		e.call("PUT", path+typ+"?name=scan.png", "zhouming", png).want(200).decode(&b)
		if len(b.Files) != 1 || b.Files[0].Type != typ || b.Files[0].FileName != "scan.png" || len(b.Files[0].FileHash) != 64 || !slices.Contains(b.Materials, typ) {
			t.Fatalf("after the upload: files %+v, materials %v", b.Files, b.Materials)
		}
		var all []string
		for _, m := range g.Materials {
			all = append(all, m.Type)
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/actions/accept", b.ID), "hn_qiantai", map[string]any{"materials": all}).want(200).decode(&b)
		if b.State != "accepted" {
			t.Fatalf("bundle is %s, want accepted", b.State)
		}
		e.call("PUT", path+typ+"?name=scan.png", "zhouming", png).want(409)

		issue := fmt.Sprintf("/api/v1/bundle-cases/%d/actions/issue", b.ID)
		e.call("POST", issue, "hn_chuzheng", map[string]any{"issue_method": "window",
			"collector": map[string]any{"name": "周明", "id_number": "x", "relation": "self", "signature_kind": "drawn", "signature": []byte("not an image")}}).want(422)
	})
}
