package api_test

import (
	"context"
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

// The claim of an Idempotency-Key commits with the case it made, in one
// transaction. A server that stopped after the commit and before storing
// its answer left the claim naming the case: the retry answers with that
// case, at once and however late, and makes no second one. Two copies of a
// request sent at once make one case, and both get it. Tickets and
// appointments are keyed the same way.
func TestIdempotencyAcrossACrashAndARace(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := map[string]any{"item": demo.CodeMedicalOutOfArea, "channel": "window",
			"applicant": map[string]any{"kind": "person", "name": "何经奇", "id_number": applicantID("hejingqi")}}
		first := e.caseOf(e.call("POST", "/api/v1/cases", "dh_qiantai", body, "Idempotency-Key", "desk-3-0042").want(201))
		// The server died between the commit and storing its answer.
		if _, err := e.db.ExecContext(context.Background(), `UPDATE idempotency_keys SET status = 0, body = '' WHERE idem_key = ?`, "desk-3-0042"); err != nil {
			t.Fatal(err)
		}
		again := e.call("POST", "/api/v1/cases", "dh_qiantai", body, "Idempotency-Key", "desk-3-0042").want(201)
		if again.header.Get("Idempotent-Replayed") != "true" || e.caseOf(again).ID != first.ID {
			t.Fatalf("the retry after a crash made or showed another case: %s", again.body)
		}
		// A claim without its case cannot exist: a create that fails leaves no claim.
		bad := map[string]any{"item": "NO-SUCH-ITEM", "applicant": body["applicant"]}
		e.call("POST", "/api/v1/cases", "dh_qiantai", bad, "Idempotency-Key", "desk-3-0043").want(422)
		var claims int
		e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = ?`, "desk-3-0043").Scan(&claims)
		if claims != 0 {
			t.Errorf("a refused create left %d claims", claims)
		}

		// Ten copies of one request at once.
		var wg sync.WaitGroup
		ids := make([]int64, 10)
		codes := make([]int, 10)
		for i := range 10 {
			wg.Go(func() {
				res := e.call("POST", "/api/v1/cases", "dh_qiantai", body, "Idempotency-Key", "desk-3-0044")
				codes[i] = res.status
				if res.status == 201 {
					ids[i] = e.caseOf(res).ID
				}
			})
		}
		wg.Wait()
		made := map[int64]bool{}
		for i := range 10 {
			if codes[i] == 201 {
				made[ids[i]] = true
			} else if codes[i] != 409 {
				t.Errorf("copy %d: status %d, want 201 (or 409 while the first is under way)", i, codes[i])
			}
		}
		if len(made) != 1 {
			t.Errorf("ten copies of one request made cases %v, want one", made)
		}
		var list struct{ Total int }
		e.call("GET", "/api/v1/cases", "dh_qiantai", nil).want(200).decode(&list)
		if list.Total != 2 {
			t.Fatalf("%d cases exist, want 2", list.Total)
		}

		// A ticket taken twice with one key is one ticket.
		useHallClock(e)
		hn := demo.CountyHall
		tk := e.ticket(e.call("POST", hallPath(hn, "/tickets"), "zhouming", map[string]any{"category": "A"}, "Idempotency-Key", "app-77").want(201))
		if _, err := e.db.ExecContext(context.Background(), `UPDATE idempotency_keys SET status = 0, body = '' WHERE idem_key = ?`, "app-77"); err != nil {
			t.Fatal(err)
		}
		tk2 := e.ticket(e.call("POST", hallPath(hn, "/tickets"), "zhouming", map[string]any{"category": "A"}, "Idempotency-Key", "app-77").want(201))
		if tk2.ID != tk.ID {
			t.Errorf("a retried ticket is %d, want %d", tk2.ID, tk.ID)
		}
	})
}
