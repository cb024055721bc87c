package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/demo/demotest"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// newLicenceEnv is newEnv on a server that signs licences with the demo's
// keys, wired as serve wires it.
func newLicenceEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	now := clocktest.Now(t)
	clk := clock.NewManual(now)
	if _, err := demo.Load(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	keysDir := t.TempDir()
	if err := demo.LicenceKeys(keysDir); err != nil {
		t.Fatal(err)
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewStore(db)
	points := network.NewStore(db)
	svc := cases.NewService(db, cat, points, cal, clk.Clock())
	svc.OnlinePoint = demo.CountyHall
	lic := licence.NewService(db, cat, &licence.KeyDir{Path: keysDir}, clk.Clock())
	lic.Cases = svc
	svc.OnIssue, svc.OnMemberStart = lic.OnIssue, lic.OnMemberStart
	cat.ResultLicences = lic.ResultLicences
	srv := api.New(&api.Server{Clock: clk.Clock(), DB: db, Auth: auth.NewStore(db), Catalog: cat, Points: points, Cases: svc, Calendar: cal, Workdays: workday.NewStore(db),
		UploadDir: filepath.Join(t.TempDir(), "uploads"), Licences: lic}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return &env{t: t, db: db, srv: srv, svc: svc, clock: clk, base: srv.URL(), client: checkedClient(t, 30*time.Second), tokens: map[string]string{}}
}

func jlhxCredit() string {
	for _, a := range demo.Accounts() {
		if a.Username == "jlhx" {
			return a.User.CreditCode
		}
	}
	panic("no jlhx")
}

type licenceOut struct {
	ID         int64  `json:"id"`
	Number     string `json:"number"`
	Version    int    `json:"version"`
	TypeCode   string `json:"type_code"`
	VerifyCode string `json:"verify_code"`
	Status     string `json:"status"`
}

type verdictOut struct {
	Valid      bool   `json:"valid"`
	Reason     string `json:"reason"`
	Message    string `json:"message"`
	MessageEN  string `json:"message_en"`
	HolderName string `json:"holder_name"`
}

// enterpriseCase opens a case of item at the county hall's desk for 吉林化纤
// with the materials given, received (not yet accepted).
func (e *env) enterpriseCase(item string, materials []string) caseOut {
	e.t.Helper()
	return e.caseOf(e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": item, "materials": materials,
		"applicant": map[string]any{"kind": "enterprise", "name": "吉林化纤示范有限公司", "credit_code": jlhxCredit()}}).want(201))
}

// missingTypes reads the 一次性告知书 of a case.
func (e *env) missingTypes(id int64) []string {
	e.t.Helper()
	var doc struct {
		Missing []struct {
			Type string `json:"type"`
		} `json:"missing"`
	}
	e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/missing", id), "hn_qiantai", nil).want(200).decode(&doc)
	var out []string
	for _, m := range doc.Missing {
		out = append(out, m.Type)
	}
	return out
}

// TestLicenceOnceOnly issues a 营业执照 over HTTP, checks it in the wallet and
// at the public verification routes, then uses it for 食品经营许可: with
// consent the material is not asked for again and the reviewer sees the
// licence; without, it is asked for as before.
func TestLicenceOnceOnly(t *testing.T) {
	demotest.Each(t, clocktest.Now(t), func(t *testing.T, db *store.DB) {
		e := newLicenceEnv(t, db)
		reg := e.enterpriseCase(demo.CodeBusinessLicence, requiredTypes(e.item(demo.CodeBusinessLicence), true))
		e.act("hn_qiantai", reg.ID, "accept", nil)
		e.act("scjg_shenpi", reg.ID, "approve", nil)
		e.act("hn_chuzheng", reg.ID, "prepare_result", nil)
		e.act("hn_chuzheng", reg.ID, "issue", map[string]any{"issue_method": "electronic"})

		// The wallet of the enterprise's account holds the licence.
		var wallet struct{ Items []licenceOut }
		e.call("GET", "/api/v1/licences", "jlhx", nil).want(200).decode(&wallet)
		if len(wallet.Items) != 1 || wallet.Items[0].TypeCode != "SCJG-YYZZ" || wallet.Items[0].Status != "valid" {
			t.Fatalf("wallet: %+v", wallet.Items)
		}
		lic := wallet.Items[0]
		e.call("GET", "/api/v1/licences", "yuxiulan", nil).want(200).decode(&wallet)
		if len(wallet.Items) != 0 {
			t.Fatalf("another applicant's wallet: %+v", wallet.Items)
		}
		e.call("GET", fmt.Sprintf("/api/v1/licences/%d", lic.ID), "yuxiulan", nil).problem(404, "licence_not_found")
		doc := e.call("GET", fmt.Sprintf("/api/v1/licences/%d/document", lic.ID), "jlhx", nil).want(200).body

		// Anyone verifies it, by the document or by number and code.
		var v verdictOut
		e.call("POST", "/api/v1/licences/verify", "", doc).want(200).decode(&v)
		if !v.Valid || v.HolderName != "吉林化纤示范有限公司" {
			t.Fatalf("verify the document: %+v", v)
		}
		changed := bytes.Replace(doc, []byte("吉林化纤"), []byte("吉林伪造"), 1)
		e.call("POST", "/api/v1/licences/verify", "", changed).want(200).decode(&v)
		if v.Valid || v.Reason != "bad_signature" || v.Message == "" || v.MessageEN == "" {
			t.Fatalf("a changed document: %+v", v)
		}
		q := url.Values{"number": {lic.Number}, "code": {strings.ToLower(lic.VerifyCode)}}
		e.call("GET", "/api/v1/licences/verify?"+q.Encode(), "", nil).want(200).decode(&v)
		if !v.Valid {
			t.Fatalf("verify by number and code: %+v", v)
		}
		var keys licence.KeySet
		e.call("GET", "/api/v1/licence-keys", "", nil).want(200).decode(&keys)
		if _, ok := keys.Find(func() string { var d licence.Document; json.Unmarshal(doc, &d); return d.KeyID }()); !ok {
			t.Fatalf("the signing key is not published: %+v", keys)
		}

		// 食品经营许可 asks for the 营业执照: offered, used with consent.
		food := e.enterpriseCase(demo.CodeFoodBusinessLicence, []string{"application_form"})
		var offers struct {
			Items []struct {
				MaterialType string `json:"material_type"`
				LicenceID    int64  `json:"licence_id"`
				Used         bool   `json:"used"`
			}
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/licence-offers", food.ID), "hn_qiantai", nil).want(200).decode(&offers)
		if len(offers.Items) != 1 || offers.Items[0].MaterialType != "business_licence" || offers.Items[0].LicenceID != lic.ID {
			t.Fatalf("offers: %+v", offers.Items)
		}
		p := e.call("POST", fmt.Sprintf("/api/v1/cases/%d/licence-materials", food.ID), "hn_qiantai", map[string]any{"material": "business_licence", "consent": false}).problem(422, "")
		if !p.hasField("consent") {
			t.Fatalf("no consent: %+v", p)
		}
		used := e.caseOf(e.call("POST", fmt.Sprintf("/api/v1/cases/%d/licence-materials", food.ID), "hn_qiantai", map[string]any{"material": "business_licence", "consent": true}).want(200))
		if !slices.ContainsFunc(used.Materials, func(m struct {
			Type   string `json:"type"`
			Source string `json:"source"`
		}) bool {
			return m.Type == "business_licence" && m.Source == "licence"
		}) {
			t.Fatalf("materials after consent: %+v", used.Materials)
		}
		e.act("hn_qiantai", food.ID, "notify_missing", nil)
		if missing := e.missingTypes(food.ID); slices.Contains(missing, "business_licence") || !slices.Contains(missing, "floor_plan") {
			t.Fatalf("the notice with the licence used lists %v", missing)
		}

		// Without consent the 营业执照 is asked for as before.
		other := e.enterpriseCase(demo.CodeFoodBusinessLicence, []string{"application_form"})
		e.act("hn_qiantai", other.ID, "notify_missing", nil)
		if missing := e.missingTypes(other.ID); !slices.Contains(missing, "business_licence") {
			t.Fatalf("the notice without consent lists %v", missing)
		}

		// The rest arrives; the reviewer sees the licence itself, audited with the purpose.
		e.act("hn_qiantai", food.ID, "supplement", map[string]any{"materials": []string{"floor_plan", "equipment_list", "management_rules", "health_certificate"}})
		e.act("hn_qiantai", food.ID, "accept", nil)
		var seen struct {
			Items []struct {
				MaterialType string     `json:"material_type"`
				Licence      licenceOut `json:"licence"`
				Verdict      verdictOut `json:"verdict"`
			}
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/licences?purpose=%s", food.ID, url.QueryEscape("食品经营许可审查")), "scjg_shenpi", nil).want(200).decode(&seen)
		if len(seen.Items) != 1 || seen.Items[0].Licence.ID != lic.ID || !seen.Items[0].Verdict.Valid {
			t.Fatalf("the reviewer sees %+v", seen.Items)
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/licences", food.ID), "rs_shenpi", nil).problem(403, "out_of_scope")
		rows, err := db.QueryContext(context.Background(), `SELECT action, actor, detail FROM audit_log WHERE action IN ('licence.consent', 'licence.use') ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var action, who, detail string
			rows.Scan(&action, &who, &detail)
			got = append(got, action+" "+who)
			if action == "licence.use" && !strings.Contains(detail, "食品经营许可审查") {
				t.Errorf("the use's audit record has no purpose: %s", detail)
			}
		}
		if want := []string{"licence.consent hn_qiantai", "licence.use scjg_shenpi"}; !slices.Equal(got, want) {
			t.Fatalf("audit records %v, want %v", got, want)
		}

		// Revoked: verification says so, and it is no longer offered.
		var revoked licenceOut
		e.call("POST", fmt.Sprintf("/api/v1/licences/%d/revoke", lic.ID), "scjg_shenpi", map[string]any{"reason": "登记被撤销"}).want(200).decode(&revoked)
		e.call("POST", "/api/v1/licences/verify", "", doc).want(200).decode(&v)
		if v.Valid || v.Reason != "revoked" {
			t.Fatalf("a revoked licence verifies: %+v", v)
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/licence-offers", other.ID), "hn_qiantai", nil).want(200).decode(&offers)
		if len(offers.Items) != 0 {
			t.Fatalf("a revoked licence is offered: %+v", offers.Items)
		}
		e.call("PUT", "/api/v1/licence-types/SCJG-YYZZ", "scjg_shenpi", map[string]any{"name": "x"}).problem(403, "role_not_allowed")

		// The month's figures: one 营业执照 issued (revoked since), the
		// verifications by outcome, and 食品经营许可's 免提交率.
		var fig struct {
			Issued []struct {
				TypeCode string `json:"type_code"`
				Issued   int    `json:"issued"`
				Revoked  int    `json:"revoked"`
			}
			Verifications []struct {
				Outcome string `json:"outcome"`
				Count   int    `json:"count"`
			}
			Reuse []struct {
				ItemCode  string  `json:"item_code"`
				Materials int     `json:"materials"`
				ByLicence int     `json:"by_licence"`
				Rate      float64 `json:"rate"`
			}
		}
		month := e.clock.Now().In(clock.China).Format("2006-01")
		e.call("GET", "/api/v1/licence-figures?month="+month, "admin", nil).want(200).decode(&fig)
		if len(fig.Issued) != 1 || fig.Issued[0].TypeCode != "SCJG-YYZZ" || fig.Issued[0].Issued != 1 || fig.Issued[0].Revoked != 1 {
			t.Fatalf("issued: %+v", fig.Issued)
		}
		outcomes := map[string]int{}
		for _, v := range fig.Verifications {
			outcomes[v.Outcome] = v.Count
		}
		if outcomes["valid"] != 2 || outcomes["bad_signature"] != 1 || outcomes["revoked"] != 1 {
			t.Fatalf("verifications: %+v", fig.Verifications)
		}
		var foodReuse *struct {
			ItemCode  string  `json:"item_code"`
			Materials int     `json:"materials"`
			ByLicence int     `json:"by_licence"`
			Rate      float64 `json:"rate"`
		}
		for i := range fig.Reuse {
			if fig.Reuse[i].ItemCode == demo.CodeFoodBusinessLicence {
				foodReuse = &fig.Reuse[i]
			}
		}
		if foodReuse == nil || foodReuse.Materials != 1 || foodReuse.ByLicence != 1 || foodReuse.Rate != 1 {
			t.Fatalf("reuse: %+v", fig.Reuse)
		}
		e.call("GET", "/api/v1/licence-figures?month=2026-13", "admin", nil).problem(422, "")
		e.call("GET", "/api/v1/licence-figures?month="+month, "scjg_shenpi", nil).problem(403, "role_not_allowed")
	})
}
