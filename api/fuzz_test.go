package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
)

// fuzzServer is one SQLite-backed server for a whole fuzz target, called in
// process so that an iteration costs no network round trip.
type fuzzServer struct {
	e      *env
	h      http.Handler
	tokens map[string]string
}

func newFuzzServer(f *testing.F, users ...string) *fuzzServer {
	f.Helper()
	e := sqliteEnv(f)
	s := &fuzzServer{e: e, h: e.srv.Handler(), tokens: map[string]string{}}
	for _, u := range users {
		s.tokens[u] = e.token(u)
	}
	return s
}

// post sends body as JSON by user and fails the test on any 5xx, or on a
// 4xx that is not a problem document with a code.
func (s *fuzzServer) post(t *testing.T, path, user string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.tokens[user])
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("POST %s as %s with %q: status %d: %s", path, user, body, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		var p problem
		if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" || json.Unmarshal(rec.Body.Bytes(), &p) != nil || p.Code == "" {
			t.Fatalf("POST %s with %q: %d answered as %q without a problem code: %s", path, body, rec.Code, ct, rec.Body)
		}
	}
	return rec
}

func (s *fuzzServer) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.e.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// Whatever bytes are posted to create a case, the server answers below 500,
// and a case is written only with a 201 (and then exactly one, readable).
func FuzzCreateCaseBody(f *testing.F) {
	const desk, applicant = "hn_qiantai", "zhouming"
	s := newFuzzServer(f, desk, applicant)
	id := applicantID("zhouming")
	for _, seed := range []string{
		fmt.Sprintf(`{"item":%q,"applicant":{"kind":"person","name":"周明","id_number":%q},"materials":["id_card"]}`, demo.CodeMedicalOutOfArea, id),
		fmt.Sprintf(`{"item":%q,"point":%q,"submit":true,"form":{"reason":"异地就医"}}`, demo.CodeMedicalOutOfArea, demo.CountyHall),
		fmt.Sprintf(`{"item":%q,"applicant":{"kind":"enterprise","name":"示范公司","credit_code":"91220200MA0Y1234P0"}}`, demo.CodeBusinessLicence),
		fmt.Sprintf(`{"item":%q,"channel":"online","applicant":{"kind":"person","name":"","id_number":"x"}}`, demo.CodeMedicalOutOfArea),
		`{}`, `[]`, `null`, `{"item":123}`, `{"applicant":{"foo":1}}`, `{"item":"a\u0000"}`, `{"form":` + strings.Repeat("[", 200),
		"{\"item\":\"\xff\"}", ``,
	} {
		f.Add(false, []byte(seed))
		f.Add(true, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, asApplicant bool, body []byte) {
		user := desk
		if asApplicant {
			user = applicant
		}
		before := s.count(t, `SELECT COUNT(*) FROM cases`)
		rec := s.post(t, "/api/v1/cases", user, body)
		after := s.count(t, `SELECT COUNT(*) FROM cases`)
		switch {
		case rec.Code == http.StatusCreated:
			var c caseOut
			if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
				t.Fatalf("201 with an unreadable case: %v: %s", err, rec.Body)
			}
			if after != before+1 {
				t.Fatalf("one 201 took the case count from %d to %d", before, after)
			}
			if n := s.count(t, `SELECT COUNT(*) FROM case_events WHERE case_id = ?`, c.ID); n < 1 {
				t.Fatalf("case %d was created without an event", c.ID)
			}
			if !slices.Contains([]string{"received", "draft", "submitted"}, c.State) {
				t.Fatalf("a new case is %q", c.State)
			}
		case rec.Code < 300:
			t.Fatalf("create answered %d: %s", rec.Code, rec.Body)
		case after != before:
			t.Fatalf("a %d changed the case count from %d to %d", rec.Code, before, after)
		}
	})
}

// actionActors names a demo user who may take each action on a case of the
// county hall's 医保 department, so that valid bodies can succeed.
var actionActors = map[cases.Action]string{
	cases.StartReview: "yb_shenpi", cases.RequestSupplement: "yb_shenpi", cases.Approve: "yb_shenpi", cases.Refuse: "yb_shenpi",
	cases.PrepareResult: "yb_shenpi", cases.Terminate: "yb_shenpi", cases.Issue: "hn_chuzheng", cases.Close: "hn_chuzheng",
}

// Whatever bytes are posted as an action's body, the server answers below
// 500; a refusal changes nothing, and a success moves the case by exactly one
// version and one event.
func FuzzActionBody(f *testing.F) {
	s := newFuzzServer(f, "hn_qiantai", "yb_shenpi", "hn_chuzheng")
	ctx := context.Background()
	desk, err := s.e.srv.Auth.UserByUsername(ctx, "hn_qiantai")
	if err != nil {
		f.Fatal(err)
	}
	// Every material is there, so that an accept can succeed and the
	// department's actions be reached.
	materials := requiredTypes(s.e.item(demo.CodeMedicalOutOfArea), true)
	freshCase := func(t testing.TB) int64 {
		t.Helper()
		c, err := s.e.srv.Cases.Create(ctx, desk, cases.CreateRequest{Item: demo.CodeMedicalOutOfArea, Materials: materials,
			Applicant: &cases.Applicant{Kind: "person", Name: "周明", IDNumber: applicantID("zhouming")}})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	target := freshCase(f)
	for _, seed := range []struct {
		action cases.Action
		body   string
	}{
		// A whole lifecycle first, then damaged and hostile bodies.
		{cases.Accept, `{"version":1}`}, {cases.StartReview, `{"note":"审查"}`}, {cases.Approve, `{}`}, {cases.PrepareResult, `{}`},
		{cases.Issue, `{"issue_method":"post","address":"辉南县朝阳镇"}`}, {cases.Close, `{}`},
		{cases.NotAccept, `{"reasons":["不属于本机关职权范围"]}`}, {cases.NotifyMissing, `{}`},
		{cases.Accept, `{"materials":["id_card","nope"]}`}, {cases.Accept, `{"waiver_days":1e400}`}, {cases.Accept, `{"version":1}{}`},
		{cases.Accept, `{"note":"\u0000"}`}, {cases.Accept, ``}, {cases.Accept, `null`}, {cases.Approve, `{"version":"x"}`},
		{cases.Refuse, `{"reasons":[""]}`}, {cases.Terminate, `{"reasons":["` + strings.Repeat("长", 600) + `"]}`}, {"fly", `{}`},
	} {
		pick := slices.Index(cases.Actions, seed.action)
		if pick < 0 {
			pick = len(cases.Actions) // the unknown action
		}
		f.Add(uint8(pick), []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		action := cases.Action("fly") // one past the list: an unknown action
		if i := int(pick) % (len(cases.Actions) + 1); i < len(cases.Actions) {
			action = cases.Actions[i]
		}
		user, ok := actionActors[action]
		if !ok {
			user = "hn_qiantai"
		}
		caseState := func() (version, events, materials, auditOK, outbox int) {
			version = s.count(t, `SELECT version FROM cases WHERE id = ?`, target)
			events = s.count(t, `SELECT COUNT(*) FROM case_events WHERE case_id = ?`, target)
			materials = s.count(t, `SELECT COUNT(*) FROM case_materials WHERE case_id = ?`, target)
			auditOK = s.count(t, `SELECT COUNT(*) FROM audit_log WHERE outcome = 'ok'`)
			outbox = s.count(t, `SELECT COUNT(*) FROM outbox`)
			return
		}
		casesBefore := s.count(t, `SELECT COUNT(*) FROM cases`)
		v0, ev0, m0, a0, o0 := caseState()
		rec := s.post(t, fmt.Sprintf("/api/v1/cases/%d/actions/%s", target, action), user, body)
		v1, ev1, m1, a1, o1 := caseState()
		if n := s.count(t, `SELECT COUNT(*) FROM cases`); n != casesBefore {
			t.Fatalf("an action changed the number of cases from %d to %d", casesBefore, n)
		}
		switch {
		case rec.Code == http.StatusOK:
			var c caseOut
			if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
				t.Fatalf("200 with an unreadable case: %v", err)
			}
			if v1 != v0+1 || ev1 != ev0+1 || c.Version != v1 {
				t.Fatalf("%s succeeded: version %d → %d (answered %d), events %d → %d; want one step", action, v0, v1, c.Version, ev0, ev1)
			}
			if _, known := cases.StateNames[cases.State(c.State)]; !known {
				t.Fatalf("%s led to an unknown state %q", action, c.State)
			}
			// Start again from a case a desk has just received, so that the
			// next inputs meet a live case rather than a closed one.
			if cases.State(c.State).Final() {
				target = freshCase(t)
			}
		case rec.Code < 300:
			t.Fatalf("action answered %d: %s", rec.Code, rec.Body)
		case v1 != v0 || ev1 != ev0 || m1 != m0 || a1 != a0 || o1 != o0:
			t.Fatalf("a refused %s (%d) wrote something: version %d→%d events %d→%d materials %d→%d audit %d→%d outbox %d→%d",
				action, rec.Code, v0, v1, ev0, ev1, m0, m1, a0, a1, o0, o1)
		}
	})
}
