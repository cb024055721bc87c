package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

// A create or an action answers with the case it has in hand rather than
// reading it back; that answer must be exactly what a fresh GET returns, by
// id and by number, at every step of a case's life.
func TestWriteAnswersEqualAFreshRead(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		same := func(step, user string, r *response) caseOut {
			t.Helper()
			c := e.caseOf(r)
			byID := e.call("GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), user, nil).want(200)
			byNumber := e.call("GET", "/api/v1/case-numbers/"+url.PathEscape(c.Number), user, nil).want(200)
			var got, fresh, numbered any
			r.decode(&got)
			byID.decode(&fresh)
			byNumber.decode(&numbered)
			if !reflect.DeepEqual(got, fresh) {
				t.Fatalf("%s: the answer differs from a fresh GET\nanswer: %s\nGET:    %s", step, r.body, byID.body)
			}
			if !reflect.DeepEqual(fresh, numbered) {
				t.Fatalf("%s: GET by number differs from GET by id\nby id:     %s\nby number: %s", step, byID.body, byNumber.body)
			}
			return c
		}
		act := func(user string, id int64, action string, body map[string]any) caseOut {
			t.Helper()
			return same(action, user, e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/%s", id, action), user, body).want(200))
		}

		// At the desk, with several materials presented at once.
		med := e.item(demo.CodeMedicalOutOfArea)
		walkIn := same("create at the desk", "hn_qiantai", e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{
			"item": med.Code, "materials": requiredTypes(med, true), "form": json.RawMessage(`{ "note" : "窗口 <受理>" }`),
			"applicant": map[string]any{"kind": "person", "name": " 周明 ", "id_number": applicantID("zhouming"), "phone": "13904350002"},
		}, "Idempotency-Key", "walk-in-1").want(201))
		if len(walkIn.Materials) < 2 {
			t.Fatalf("the test needs an item with two materials or more, %s has %d", med.Code, len(walkIn.Materials))
		}
		act("hn_qiantai", walkIn.ID, "accept", map[string]any{"version": walkIn.Version})

		// Online, through every kind of step a case can take.
		it := e.item(demo.CodeSocialInsuranceSubsidy)
		required := requiredTypes(it, false)
		draft := same("create online", "yuxiulan", e.call("POST", "/api/v1/cases", "yuxiulan",
			map[string]any{"item": it.Code, "point": demo.QingzhouCentre}).want(201))
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		same("upload", "yuxiulan", e.call("PUT", fmt.Sprintf("/api/v1/cases/%d/materials/%s?name=id.png", draft.ID, required[0]), "yuxiulan", png).want(200))
		act("yuxiulan", draft.ID, "submit", nil)
		act("qz_quanke", draft.ID, "notify_missing", nil)
		for _, typ := range requiredTypes(it, true)[1:] {
			same("declare", "yuxiulan", e.call("POST", fmt.Sprintf("/api/v1/cases/%d/materials", draft.ID), "yuxiulan", map[string]any{"type": typ}).want(200))
		}
		act("yuxiulan", draft.ID, "supplement", nil)
		act("qz_quanke", draft.ID, "accept", nil)
		act("rs_shenpi", draft.ID, "start_review", nil)
		act("rs_shenpi", draft.ID, "request_supplement", map[string]any{"reasons": []string{"照片不清晰"}})
		act("yuxiulan", draft.ID, "supplement", nil)
		act("rs_shenpi", draft.ID, "start_special", map[string]any{"procedure": "site_inspection"})
		act("rs_shenpi", draft.ID, "end_special", nil)
		act("admin", draft.ID, "extend", map[string]any{"days": 3, "reasons": []string{"需现场核实"}})
		act("rs_shenpi", draft.ID, "approve", map[string]any{"note": "准予"})
		act("rs_shenpi", draft.ID, "prepare_result", nil)
		issued := act("qz_chuzheng", draft.ID, "issue", map[string]any{"issue_method": "post", "address": "吉林省通化市辉南县朝阳镇"})
		if issued.VerifyCode == "" {
			t.Fatal("the issued case has no verification code")
		}
		act("yuxiulan", draft.ID, "close", nil)
	})
}
