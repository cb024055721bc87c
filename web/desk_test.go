package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/filestore"
	"github.com/onewindow/onewindow/ident"
)

// signatureImage is a small PNG with one stroke.
func signatureImage(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 20))
	for x := 0; x < 60; x++ {
		for y := 0; y < 20; y++ {
			img.Set(x, y, color.White)
		}
	}
	for x := 5; x < 55; x++ {
		img.Set(x, 10+x%5, color.Black)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// collectorFor is the applicant collecting in person, with a signature
// already in the file store, for fixtures that issue through the service.
func (e *env) collectorFor(t testing.TB, name, id string) *cases.Collection {
	t.Helper()
	hash, err := filestore.Store{Dir: e.pages.UploadDir}.Put(signatureImage(t))
	if err != nil {
		t.Fatal(err)
	}
	return &cases.Collection{Name: name, IDNumber: id, Relation: cases.CollectorSelf, SignatureKind: cases.SignatureDrawn,
		SignatureHash: hash, SignatureType: "image/png"}
}

// onlineCase is 于秀兰's application for the subsidy sent online to 青州社区.
func (e *env) onlineCase(t testing.TB) cases.Case {
	t.Helper()
	c, err := e.svc.Create(context.Background(), user(t, e, "yuxiulan"), cases.CreateRequest{Item: demo.CodeSocialInsuranceSubsidy,
		Point: demo.QingzhouCentre, Submit: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readyCase is a walk-in case at 青州社区 decided and waiting at the issuing window.
func (e *env) readyCase(t testing.TB) cases.Case {
	t.Helper()
	c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	for _, st := range []struct {
		who string
		a   cases.Action
	}{{"rs_shenpi", cases.Approve}, {"rs_shenpi", cases.PrepareResult}} {
		var err error
		if c, err = e.svc.Act(context.Background(), user(t, e, st.who), c.ID, st.a, cases.ActRequest{}); err != nil {
			t.Fatalf("%s: %v", st.a, err)
		}
	}
	return c
}

// deskPages are the pages of the front desk's decision panel and the
// issuing window's collector form, for the walks over every page.
func deskPages(t *testing.T, e *env) []shownPage {
	online, ready := e.onlineCase(t), e.readyCase(t)
	return []shownPage{
		{"qz_quanke", fmt.Sprintf("/cases/%d", online.ID), "#desk-panel", true},
		{"qz_chuzheng", fmt.Sprintf("/cases/%d", ready.ID), "#issue-form", true},
		{"admin", "/admin/points?level=6&offset=50", "#points-search", false},
		{"admin", "/admin/cases?sla=on_time", "#queue-filters", false},
		{"admin", "/admin/audit", "#audit-search", false},
	}
}

var materialBoxes = regexp.MustCompile(`name="materials" value="([a-z_0-9]+)"`)

// An online case at the front desk has one panel: each missing material
// once, the decisions as choices with one reasons box, and 不予受理 asked
// again before it is done; the other decisions go through at once.
func TestDeskPanel(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		desk := e.as(t, "qz_quanke")
		c := e.onlineCase(t)
		path := fmt.Sprintf("/cases/%d", c.ID)
		body := desk.get(path).want(200).has(`id="desk-panel"`, `id="decide-accept"`, `id="decide-notify_missing"`, `id="decide-not_accept"`,
			`id="decide-return_pre_review"`, `id="decide-receive"`).lacks(`data-action="accept"`, `data-action="not_accept"`, `data-action="notify_missing"`).body
		seen := map[string]int{}
		for _, m := range materialBoxes.FindAllStringSubmatch(body, -1) {
			seen[m[1]]++
		}
		it, err := e.cat.Published(context.Background(), demo.CodeSocialInsuranceSubsidy)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != len(it.Materials) {
			t.Errorf("checklist has %v, want each of the item's %d materials", seen, len(it.Materials))
		}
		for typ, n := range seen {
			if n != 1 {
				t.Errorf("material %s is listed %d times", typ, n)
			}
		}
		if n := strings.Count(body, `<textarea`); n != 1 {
			t.Errorf("%d reasons boxes, want one", n)
		}
		want := 5 // 受理, 一次性告知, 收件, 不予受理, 退回
		for _, m := range it.Materials {
			if m.Requirement == catalog.Waivable {
				want = 6 // and 容缺受理
				break
			}
		}
		if n := strings.Count(body, `name="decision"`); n != want {
			t.Errorf("%d decisions offered, want %d", n, want)
		}

		// 不予受理 without reasons: the service asks for them.
		desk.post(path+"/act", url.Values{"decision": {"not_accept"}, "confirm": {"yes"}}).want(http.StatusUnprocessableEntity).has("请写明理由")
		// With reasons: asked first, nothing done yet.
		form := url.Values{"decision": {"not_accept"}, "reasons": {"不属于本网点受理范围"}, "materials": {it.Materials[0].Type}}
		desk.post(path+"/act", form).want(200).has(`id="confirm"`, "确定不予受理吗", `name="reasons" value="不属于本网点受理范围"`)
		if got, _ := e.svc.Get(context.Background(), user(t, e, "qz_quanke"), c.ID); got.State != cases.Submitted {
			t.Fatalf("asking changed the case to %s", got.State)
		}
		form.Set("confirm", "yes")
		desk.post(path+"/act", form).want(http.StatusSeeOther)
		got, _ := e.svc.Get(context.Background(), user(t, e, "qz_quanke"), c.ID)
		if got.State != cases.NotAccepted || len(got.Reasons) != 1 || len(got.Materials) != 0 {
			t.Errorf("after 不予受理: %s, reasons %v, materials %v (none are received with a refusal)", got.State, got.Reasons, got.Materials)
		}

		// The one-time notice goes through at once; a reasons box left
		// filled belongs to another choice and is not kept.
		d := e.onlineCase(t)
		desk.post(fmt.Sprintf("/cases/%d/act", d.ID), url.Values{"decision": {"notify_missing"}, "reasons": {"typed, then changed my mind"}}).want(http.StatusSeeOther)
		got, _ = e.svc.Get(context.Background(), user(t, e, "qz_quanke"), d.ID)
		if got.State != cases.SupplementNeeded || len(got.Reasons) != 0 {
			t.Errorf("after 一次性告知: %s, reasons %v", got.State, got.Reasons)
		}
		// The materials arrive: the same panel, with the choice that they are complete.
		var types []string
		for _, m := range it.Materials {
			types = append(types, m.Type)
		}
		desk.get(fmt.Sprintf("/cases/%d", d.ID)).want(200).has(`id="decide-supplement"`, `id="decide-not_accept"`)
		desk.post(fmt.Sprintf("/cases/%d/act", d.ID), url.Values{"decision": {"supplement"}, "materials": types}).want(http.StatusSeeOther)
		desk.post(fmt.Sprintf("/cases/%d/act", d.ID), url.Values{"decision": {"accept"}}).want(http.StatusSeeOther)
		if got, _ = e.svc.Get(context.Background(), user(t, e, "qz_quanke"), d.ID); got.State != cases.Accepted {
			t.Errorf("after supplement and accept: %s", got.State)
		}
		desk.post(fmt.Sprintf("/cases/%d/act", d.ID), url.Values{"decision": {"bogus"}}).want(http.StatusNotFound)
	})
}

// The reviewer's page has one reasons box per action that needs reasons,
// each labelled with its action.
func TestReviewerReasonsBoxesAreLabelled(t *testing.T) {
	e := sqliteEnv(t)
	c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	for _, lang := range []string{"zh-CN", "en"} {
		rs := e.as(t, "rs_shenpi")
		rs.lang = lang
		body := rs.get(fmt.Sprintf("/cases/%d", c.ID)).want(200).body
		boxes := regexp.MustCompile(`<textarea id="(reasons-[a-z_]+)" name="reasons"`).FindAllStringSubmatch(body, -1)
		want := []string{"reasons-refuse", "reasons-request_supplement", "reasons-terminate"}
		var ids []string
		for _, b := range boxes {
			ids = append(ids, b[1])
			if n := strings.Count(body, `<label for="`+b[1]+`">`); n != 1 {
				t.Errorf("%s: box %s has %d labels", lang, b[1], n)
			}
		}
		for _, w := range want {
			if !strings.Contains(strings.Join(ids, " "), w) {
				t.Errorf("%s: boxes %v, want one for each of %v", lang, ids, want)
			}
		}
		if len(ids) != len(want) {
			t.Errorf("%s: %d reasons boxes %v, want %d", lang, len(ids), ids, len(want))
		}
	}
}

// The issuing window hands a result out only with its collector: refused
// without one, naming the field; recorded with a photo of the signed slip;
// shown on the case page and the delivery record in both languages, the
// signature served as the image it is.
func TestIssueFormRecordsCollector(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.readyCase(t)
		iss := e.as(t, "qz_chuzheng")
		path := fmt.Sprintf("/cases/%d", c.ID)
		iss.get(path).want(200).has(`id="issue-form"`, `enctype="multipart/form-data"`, `id="signature-pad"`, `name="signature_slip"`)
		fields := map[string]string{"action": "issue", "issue_method": "window"}
		iss.multipart(path+"/act", fields, nil).want(http.StatusUnprocessableEntity).has(`href="#name"`, `href="#id_number"`, `href="#signature"`)
		agent := ident.GenerateIDCard("220102", time.Date(1990, 2, 3, 0, 0, 0, 0, time.UTC), 33)
		fields["collector_name"], fields["collector_id"], fields["collector_relation"] = "于海", agent, "agent"
		iss.multipart(path+"/act", fields, map[string][]byte{"signature_slip": signatureImage(t)}).want(http.StatusUnprocessableEntity).has(`href="#authorisation"`)
		fields["collector_authorisation"] = "授权委托书 2026-17"
		iss.multipart(path+"/act", fields, map[string][]byte{"signature_slip": []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")}).want(http.StatusUnprocessableEntity).has(`href="#signature"`)
		iss.multipart(path+"/act", fields, map[string][]byte{"signature_slip": signatureImage(t)}).want(http.StatusSeeOther)

		masked := ident.MaskID(agent)
		iss.get(path).want(200).has(`id="collector-record"`, "于海", masked, "授权委托书 2026-17", `src="/cases/`+fmt.Sprint(c.ID)+`/signature"`).lacks(agent)
		sig := iss.get(path + "/signature").want(200)
		if sig.header.Get("Content-Type") != "image/png" || !bytes.Equal([]byte(sig.body), signatureImage(t)) {
			t.Errorf("signature served as %q, %d bytes", sig.header.Get("Content-Type"), len(sig.body))
		}
		iss.get(path+"/documents/delivery").want(200).has(`id="doc-collector"`, "于海", masked)
		en := e.as(t, "qz_chuzheng")
		en.lang = "en"
		en.get(path).want(200).has("Collected by", "An agent with the applicant&#39;s authorisation")
		e.as(t, "zhouming").get(path + "/signature").want(http.StatusNotFound)

		// By post: no collector asked for.
		d := e.readyCase(t)
		iss.multipart(fmt.Sprintf("/cases/%d/act", d.ID), map[string]string{"action": "issue", "issue_method": "post", "address": "辉南县朝阳镇"}, nil).want(http.StatusSeeOther)
	})
}
