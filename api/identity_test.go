package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// The demo applicants' mobile numbers (their accounts' numbers).
const yuPhone, zhouPhone = "13904310001", "13904350002"

// identityFixture: 于秀兰 at 青州社区's desk (her numbers also among the form's
// answers) and online there; 周明 at the county hall's desk and in a 一件事
// there, whose members carry the bundle's form with his phone in it.
type identityFixture struct {
	qz, online, hn caseOut
	bundle         bundleOut
}

func newIdentityFixture(t *testing.T, e *env) identityFixture {
	t.Helper()
	yu, zhou := applicantID("yuxiulan"), applicantID("zhouming")
	sub := e.item(demo.CodeSocialInsuranceSubsidy)
	qz := e.caseOf(e.call("POST", "/api/v1/cases", "qz_quanke", map[string]any{"item": sub.Code, "materials": requiredTypes(sub, true),
		"applicant": map[string]any{"kind": "person", "name": "于秀兰", "id_number": yu, "phone": yuPhone},
		"form":      map[string]any{"contact": yuPhone, "holder": map[string]any{"id": yu, "name": "于秀兰"}}}).want(201))
	qz = e.act("qz_quanke", qz.ID, "accept", map[string]any{"version": qz.Version})
	online := e.caseOf(e.call("POST", "/api/v1/cases", "yuxiulan", map[string]any{"item": sub.Code, "point": demo.QingzhouCentre, "submit": true}).want(201))
	med := e.item(demo.CodeMedicalOutOfArea)
	hn := e.caseOf(e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": med.Code, "materials": requiredTypes(med, true),
		"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": zhou, "phone": zhouPhone}}).want(201))
	hn = e.act("hn_qiantai", hn.ID, "accept", map[string]any{"version": hn.Version})
	b := e.applyForBundle(demo.BundleNewborn, "hn_qiantai", map[string]any{"kind": "person", "name": "周明", "id_number": zhou, "phone": zhouPhone})
	if qz.Point != demo.QingzhouCentre || online.Point != demo.QingzhouCentre || hn.Point != demo.CountyHall || len(b.started()) == 0 {
		t.Fatalf("fixture: cases at %s, %s, %s; bundle members started %v", qz.Point, online.Point, hn.Point, b.started())
	}
	return identityFixture{qz: qz, online: online, hn: hn, bundle: b}
}

// wholeNumbers are the demo applicants' numbers, which no staff list may hold.
func wholeNumbers() []string {
	return []string{applicantID("yuxiulan"), applicantID("zhouming"), yuPhone, zhouPhone}
}

func (r *response) lacks(parts ...string) *response {
	r.t.Helper()
	for _, s := range parts {
		if strings.Contains(string(r.body), s) {
			r.t.Errorf("%s: the answer holds %q: %.600s", r.req, s, r.body)
		}
	}
	return r
}

func (r *response) holds(parts ...string) *response {
	r.t.Helper()
	for _, s := range parts {
		if !strings.Contains(string(r.body), s) {
			r.t.Errorf("%s: the answer lacks %q: %.600s", r.req, s, r.body)
		}
	}
	return r
}

// Case and bundle lists show every staff role the applicants' identity card
// and mobile numbers masked, in the applicant and among the form's answers;
// so do a single case read and the answers to writes. Applicants see their
// own numbers whole, and their walk-in cases are still found by their
// identity number.
func TestStaffListsMaskApplicantNumbers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newIdentityFixture(t, e)
		yuMasked := []string{ident.MaskID(applicantID("yuxiulan")), ident.MaskPhone(yuPhone)}
		zhouMasked := []string{ident.MaskID(applicantID("zhouming")), ident.MaskPhone(zhouPhone)}
		for _, tt := range []struct {
			user  string
			sees  []string // masked numbers the user's case list shows
			bsees []string // and the bundle list
		}{
			{"qz_quanke", yuMasked, nil},
			{"rs_shenpi", yuMasked, nil},
			{"qz_chuzheng", yuMasked, nil},
			{"hn_qiantai", zhouMasked, zhouMasked},
			{"hn_dating", zhouMasked, zhouMasked},
			{"admin", append(yuMasked, zhouMasked...), zhouMasked},
		} {
			e.call("GET", "/api/v1/cases?limit=200", tt.user, nil).want(200).lacks(wholeNumbers()...).holds(tt.sees...)
			e.call("GET", "/api/v1/cases?sort=due&state=accepted&state=submitted&state=in_review&limit=200", tt.user, nil).want(200).lacks(wholeNumbers()...)
			e.call("GET", "/api/v1/bundle-cases?limit=200", tt.user, nil).want(200).lacks(wholeNumbers()...).holds(tt.bsees...)
		}
		// A member of the bundle carries its form, phone included, masked.
		id, _, _ := f.bundle.member(f.bundle.started()[0])
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "hn_dating", nil).want(200).lacks(zhouPhone).holds(ident.MaskPhone(zhouPhone))

		// One case, and the answers to writes, masked for staff too.
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", f.qz.ID), "qz_quanke", nil).want(200).lacks(wholeNumbers()...).holds(yuMasked...)
		e.call("GET", "/api/v1/case-numbers/"+f.qz.Number, "rs_shenpi", nil).want(200).lacks(wholeNumbers()...).holds(yuMasked...)
		e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/start_review", f.qz.ID), "rs_shenpi", nil).want(200).lacks(wholeNumbers()...)
		e.call("GET", fmt.Sprintf("/api/v1/bundle-cases/%d", f.bundle.ID), "hn_qiantai", nil).want(200).lacks(wholeNumbers()...).holds(zhouMasked...)
		med := e.item(demo.CodeMedicalOutOfArea)
		e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": med.Code,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": applicantID("zhouming"), "phone": zhouPhone}}).
			want(201).lacks(wholeNumbers()...).holds(zhouMasked...)

		// Applicants: their own numbers, whole, in the list (the walk-in
		// case found by the identity number) and in the case.
		var mine struct {
			Items []caseOut `json:"items"`
		}
		e.call("GET", "/api/v1/cases?limit=200", "yuxiulan", nil).want(200).holds(applicantID("yuxiulan"), yuPhone).decode(&mine)
		found := false
		for _, c := range mine.Items {
			found = found || c.ID == f.qz.ID
		}
		if !found {
			t.Errorf("于秀兰's list lacks the case the desk opened with her identity number")
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", f.qz.ID), "yuxiulan", nil).want(200).holds(applicantID("yuxiulan"), yuPhone).
			lacks(applicantID("zhouming"), zhouPhone)
		e.call("GET", "/api/v1/bundle-cases", "zhouming", nil).want(200).holds(applicantID("zhouming"), zhouPhone)
	})
}

// reveals counts the audit records of reveals of object.
func reveals(t *testing.T, e *env, action, object string) int {
	t.Helper()
	var n int
	if err := e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND object = ?`,
		action, object).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// POST /api/v1/cases/{id}/reveal gives those who may read the case the
// applicant's numbers whole, and each call leaves exactly one audit record
// naming who saw them (never the numbers); those who may not read the case
// are refused as the read is, and leave no reveal record.
func TestRevealIdentityIsAudited(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newIdentityFixture(t, e)
		object := "case:" + f.qz.Number
		yu := applicantID("yuxiulan")
		for i, user := range []string{"qz_quanke", "rs_shenpi", "qz_chuzheng", "admin", "yuxiulan"} {
			res := e.call("POST", fmt.Sprintf("/api/v1/cases/%d/reveal", f.qz.ID), user, nil).want(200)
			var got cases.Identity
			res.decode(&got)
			form := string(got.Form)
			if got.Applicant.IDNumber != yu || got.Applicant.Phone != yuPhone || !strings.Contains(form, yu) || !strings.Contains(form, yuPhone) {
				t.Errorf("reveal as %s: %s", user, res.body)
			}
			if cc := res.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("reveal as %s: Cache-Control %q, want no-store", user, cc)
			}
			if n := reveals(t, e, cases.AuditRevealIdentity, object); n != i+1 {
				t.Fatalf("after %d reveals (the last by %s) the audit log holds %d reveal records", i+1, user, n)
			}
			var actor, outcome, detail string
			if err := e.db.QueryRowContext(context.Background(), `SELECT actor, outcome, detail FROM audit_log
				WHERE action = ? AND object = ? ORDER BY seq DESC LIMIT 1`, cases.AuditRevealIdentity, object).Scan(&actor, &outcome, &detail); err != nil {
				t.Fatal(err)
			}
			if actor != user || outcome != "ok" || !strings.Contains(detail, "id_number") || strings.Contains(detail, yu) || strings.Contains(detail, yuPhone) {
				t.Errorf("reveal record by %s: actor %q, outcome %q, detail %s", user, actor, outcome, detail)
			}
		}
		// The reveal changes nothing: the next read is masked again.
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d", f.qz.ID), "qz_quanke", nil).want(200).lacks(yu, yuPhone)

		// Outside the case's point or department, or someone else's: refused
		// as the read is, and no reveal record.
		before := reveals(t, e, cases.AuditRevealIdentity, object)
		for _, tt := range []struct{ user, code string }{
			{"hn_qiantai", "out_of_scope"}, {"hn_dating", "out_of_scope"}, {"hn_chuzheng", "out_of_scope"}, {"yb_shenpi", "out_of_scope"},
			{"zhouming", "case_not_found"},
		} {
			read := e.call("GET", fmt.Sprintf("/api/v1/cases/%d", f.qz.ID), tt.user, nil)
			p := e.call("POST", fmt.Sprintf("/api/v1/cases/%d/reveal", f.qz.ID), tt.user, nil).lacks(yu, yuPhone).problem(read.status, tt.code)
			if read.status < 400 || p.Status != read.status {
				t.Errorf("reveal as %s: %d, the read %d", tt.user, p.Status, read.status)
			}
		}
		if n := reveals(t, e, cases.AuditRevealIdentity, object); n != before {
			t.Errorf("refused reveals left %d reveal records", n-before)
		}
		e.call("POST", "/api/v1/cases/999999999/reveal", "admin", nil).problem(404, "case_not_found")
		if p := e.call("POST", "/api/v1/cases/abc/reveal", "admin", nil).problem(422, "validation_failed"); !p.hasField("id") {
			t.Errorf("a bad case id: %+v, want the field id named", p)
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/reveal", f.qz.ID), "admin", nil).want(405)

		// A bundle application, the same way.
		bobject := "bundle_case:" + f.bundle.Number
		var got cases.Identity
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/reveal", f.bundle.ID), "hn_qiantai", nil).want(200).decode(&got)
		if got.Applicant.IDNumber != applicantID("zhouming") || got.Applicant.Phone != zhouPhone || !strings.Contains(string(got.Form), zhouPhone) {
			t.Errorf("bundle reveal: %+v", got)
		}
		e.call("POST", fmt.Sprintf("/api/v1/bundle-cases/%d/reveal", f.bundle.ID), "qz_quanke", nil).lacks(zhouPhone).problem(403, "out_of_scope")
		if n := reveals(t, e, cases.AuditRevealBundleIdentity, bobject); n != 1 {
			t.Errorf("the bundle's reveals left %d records, want 1", n)
		}
	})
}
