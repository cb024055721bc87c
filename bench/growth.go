package bench

import (
	"context"
	"fmt"

	"github.com/onewindow/onewindow/demo"
)

// benchAdmin is the demo's province administrator, who reads the figures.
const benchAdmin = "admin"

// growthRequests are the reads whose cost could grow with the number of
// cases: each is asked one at a time (one worker, back to back), so that
// its latency is its own cost and not queueing, and compared between
// databases of different sizes (docs/PERFORMANCE.md, the growth table).
var growthRequests = []struct {
	name, path string
	as         string // "desk", "reviewer" or "admin"
}{
	{"front desk's list (point, newest first, with its total)", "/api/v1/cases", "desk"},
	{"work queue (department, earliest due first, with its total)", "/api/v1/cases?sort=due", "reviewer"},
	{"status by number", "", "desk"},
	{"the point's overdue cases (hall page, earliest due first, with their total)", "/api/v1/cases?sla=overdue", "desk"},
	{"the point's cases in warning (hall page, earliest due first, with their total)", "/api/v1/cases?sla=warning", "desk"},
	{"the province's overdue cases (administrator, earliest due first, with their total)", "/api/v1/cases?sla=overdue", "admin"},
	{"figures: the province, last 12 months", "/api/v1/figures", "admin"},
	{"figures: the county hall, last 12 months", "/api/v1/figures?point=" + benchPoint, "admin"},
}

// growthScenario asks each of the growthRequests in turn.
func growthScenario(ctx context.Context, e *env) ([]resultSample, error) {
	if err := e.ensureNumbers(ctx); err != nil {
		return nil, err
	}
	if e.adminToken == "" {
		tok, err := e.client.Login(ctx, benchAdmin, demo.Password)
		if err != nil {
			return nil, fmt.Errorf("sign in as %s: %w", benchAdmin, err)
		}
		e.adminToken = tok
	}
	var out []resultSample
	for _, g := range growthRequests {
		token := map[string]string{"desk": e.deskToken, "reviewer": e.reviewerToken, "admin": e.adminToken}[g.as]
		op := func(ctx context.Context, _ int) Outcome {
			if g.path == "" {
				return Outcome{Err: e.status(ctx)}
			}
			return Outcome{Err: e.client.Do(ctx, "GET", g.path, token, nil, 200, nil)}
		}
		s := RunClosed(ctx, 1, e.bounds(), "growth", op)
		out = append(out, resultSample{name: g.name, mode: "closed", concurrency: 1, sample: s, kind: "growth"})
	}
	return out, nil
}
