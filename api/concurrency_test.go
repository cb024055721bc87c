package api_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

// Hundreds of cases created at once at one point get distinct, gapless numbers.
func TestConcurrentNumbering(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const n = 200
		e.token("hn_qiantai")
		id := applicantID("zhouming")
		numbers := make([]string, n)
		var wg sync.WaitGroup
		errs := make(chan string, n)
		sem := make(chan struct{}, 32)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				r := e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": demo.CodeMedicalOutOfArea,
					"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": id}})
				if r.status != 201 {
					errs <- fmt.Sprintf("create %d: %d %s", i, r.status, r.body)
					return
				}
				var c caseOut
				r.decode(&c)
				numbers[i] = c.Number
			}()
		}
		wg.Wait()
		close(errs)
		for msg := range errs {
			t.Error(msg)
		}
		seqs := make([]int, 0, n)
		for _, num := range numbers {
			parts := strings.Split(num, "-")
			s, err := strconv.Atoi(parts[len(parts)-1])
			if err != nil {
				t.Fatalf("number %q has no sequence", num)
			}
			seqs = append(seqs, s)
		}
		slices.Sort(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("sequences are not 1..%d without duplicates: position %d holds %d", n, i, s)
			}
		}
	})
}

// Two reviewers decide the same case at the same moment: exactly one wins,
// the other gets 409 with the case's current state.
func TestConcurrentDecisions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		first := "yb_shenpi"
		var dept string
		for _, a := range demo.Accounts() {
			if a.Username == first {
				dept = a.User.DepartmentCode
			}
		}
		e.call("POST", "/api/v1/users", "admin", map[string]any{"username": "yb_shenpi2", "name": "第二审批人", "role": "reviewer",
			"department_code": dept, "password": demo.Password}).want(201)
		e.token(first)
		e.token("yb_shenpi2")
		for round := range 8 {
			c := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", applicantID("zhouming"))
			actions := []string{"approve", "refuse"}
			results := make([]*response, 2)
			var wg sync.WaitGroup
			for i, who := range []string{first, "yb_shenpi2"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					body := map[string]any{"version": c.Version}
					if actions[i] == "refuse" {
						body["reasons"] = []string{"材料不实"}
					}
					results[i] = e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/%s", c.ID, actions[i]), who, body)
				}()
			}
			wg.Wait()
			var won, lost int
			var winner string
			for i, r := range results {
				switch r.status {
				case 200:
					won++
					winner = map[string]string{"approve": "approved", "refuse": "refused"}[actions[i]]
				case 409:
					lost++
					p := r.problem(409, "")
					if p.State == "" {
						t.Errorf("round %d: the 409 does not carry the current state: %s", round, r.body)
					}
				default:
					t.Fatalf("round %d: unexpected %d %s", round, r.status, r.body)
				}
			}
			if won != 1 || lost != 1 {
				t.Fatalf("round %d: %d won and %d lost, want exactly one winner", round, won, lost)
			}
			final := e.caseOf(e.call("GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), first, nil).want(200))
			if final.State != winner || final.Version != c.Version+1 {
				t.Fatalf("round %d: case is %s v%d, want %s v%d", round, final.State, final.Version, winner, c.Version+1)
			}
		}
	})
}

// A kiosk that retries with the same Idempotency-Key creates one case.
func TestIdempotencyKey(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := map[string]any{"item": demo.CodeMedicalOutOfArea, "channel": "self_service",
			"applicant": map[string]any{"kind": "person", "name": "何经奇", "id_number": applicantID("hejingqi")}}
		a := e.caseOf(e.call("POST", "/api/v1/cases", "dh_qiantai", body, "Idempotency-Key", "kiosk-7-0001").want(201))
		again := e.call("POST", "/api/v1/cases", "dh_qiantai", body, "Idempotency-Key", "kiosk-7-0001").want(201)
		if again.header.Get("Idempotent-Replayed") != "true" || e.caseOf(again).ID != a.ID {
			t.Fatalf("retry created another case or was not marked as a replay: %s", again.body)
		}
		body["channel"] = "window"
		e.call("POST", "/api/v1/cases", "dh_qiantai", body, "Idempotency-Key", "kiosk-7-0001").problem(422, "idempotency_key_reused")
		var list struct{ Total int }
		e.call("GET", "/api/v1/cases", "dh_qiantai", nil).want(200).decode(&list)
		if list.Total != 1 {
			t.Fatalf("%d cases exist, want 1", list.Total)
		}
	})
}
