package api_test

import (
	"fmt"
	"testing"
)

// Administrators mark a reviewer as the department's head; nobody else
// may, and only reviewers can be heads.
func TestDepartmentHeadFlag(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var users struct {
			Items []struct {
				ID             int64  `json:"id"`
				Username       string `json:"username"`
				DepartmentHead bool   `json:"department_head"`
			} `json:"items"`
		}
		e.call("GET", "/api/v1/users?limit=500", "admin", nil).want(200).decode(&users)
		ids := map[string]int64{}
		for _, u := range users.Items {
			ids[u.Username] = u.ID
			if u.DepartmentHead {
				t.Fatalf("%s is a head before anyone said so", u.Username)
			}
		}
		reviewer, desk := ids["rs_shenpi"], ids["qz_quanke"]
		if reviewer == 0 || desk == 0 {
			t.Fatalf("demo users missing: %v", ids)
		}
		path := func(id int64) string { return fmt.Sprintf("/api/v1/users/%d/department-head", id) }
		e.call("PUT", path(reviewer), "rs_shenpi", map[string]any{"department_head": true}).problem(403, "role_not_allowed")
		e.call("PUT", path(desk), "admin", map[string]any{"department_head": true}).problem(422, "validation_failed")
		e.call("PUT", path(987654), "admin", map[string]any{"department_head": true}).problem(404, "user_not_found")
		var u struct {
			DepartmentHead bool `json:"department_head"`
		}
		e.call("PUT", path(reviewer), "admin", map[string]any{"department_head": true}).want(200).decode(&u)
		if !u.DepartmentHead {
			t.Fatal("the answer does not show the flag")
		}
		e.call("GET", "/api/v1/users?role=reviewer&limit=500", "admin", nil).want(200).decode(&users)
		heads := 0
		for _, x := range users.Items {
			if x.DepartmentHead {
				heads++
				if x.ID != reviewer {
					t.Fatalf("%s became a head", x.Username)
				}
			}
		}
		if heads != 1 {
			t.Fatalf("%d heads listed, want 1", heads)
		}
		u.DepartmentHead = false // the answer leaves a false flag out
		e.call("PUT", path(reviewer), "admin", map[string]any{"department_head": false}).want(200).decode(&u)
		if u.DepartmentHead {
			t.Fatal("the flag stayed")
		}
	})
}
