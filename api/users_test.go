package api_test

import (
	"strconv"
	"testing"
)

// A page of users reports how many match in all, not how many it holds, so
// that a client can tell there are more pages.
func TestUserListTotalCountsEveryMatch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var all, reviewers int
		if err := e.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM users`).Scan(&all); err != nil {
			t.Fatal(err)
		}
		if err := e.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM users WHERE role = 'reviewer'`).Scan(&reviewers); err != nil {
			t.Fatal(err)
		}
		if all < 5 || reviewers < 3 {
			t.Fatalf("the demo has %d users, %d reviewers: too few to page through", all, reviewers)
		}
		type userPage struct {
			Items []struct {
				ID   int64  `json:"id"`
				Role string `json:"role"`
			} `json:"items"`
			Total  int `json:"total"`
			Limit  int `json:"limit"`
			Offset int `json:"offset"`
		}
		for _, tt := range []struct {
			query      string
			items, all int
		}{
			{"?limit=2", 2, all},
			{"?limit=2&offset=2", 2, all},
			{"?limit=2&offset=" + strconv.Itoa(all-1), 1, all},
			{"?role=reviewer&limit=1", 1, reviewers},
			{"?role=reviewer&limit=1&offset=" + strconv.Itoa(reviewers), 0, reviewers},
		} {
			var p userPage
			e.call("GET", "/api/v1/users"+tt.query, "admin", nil).want(200).decode(&p)
			if len(p.Items) != tt.items || p.Total != tt.all {
				t.Errorf("%s: %d users, total %d; want %d users, total %d", tt.query, len(p.Items), p.Total, tt.items, tt.all)
			}
		}
	})
}
