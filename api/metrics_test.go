package api_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/metrics"
)

// /metrics counts requests by route pattern and status class, never by
// path, alongside the database's, the runtime's and the process's figures.
func TestMetricsByRoutePattern(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		route := "GET /api/v1/items/{code}"
		ok0 := metrics.Value("onewindow_http_requests_total", "route", route, "status_class", "2xx")
		missing0 := metrics.Value("onewindow_http_requests_total", "route", route, "status_class", "4xx")
		var page struct {
			Items []struct{ Code string }
		}
		e.call("GET", "/api/v1/items?limit=2", "", nil).want(200).decode(&page)
		for _, it := range page.Items {
			e.call("GET", "/api/v1/items/"+it.Code, "", nil).want(200)
		}
		e.call("GET", "/api/v1/items/NO-SUCH-ITEM", "", nil).want(404)
		if got := metrics.Value("onewindow_http_requests_total", "route", route, "status_class", "2xx") - ok0; got != 2 {
			t.Errorf("%v answers counted under %s 2xx, want 2", got, route)
		}
		if got := metrics.Value("onewindow_http_requests_total", "route", route, "status_class", "4xx") - missing0; got != 1 {
			t.Errorf("%v answers counted under %s 4xx, want 1", got, route)
		}
		res := e.call("GET", "/metrics", "", nil).want(200)
		body := string(res.body)
		for _, want := range []string{
			`onewindow_http_requests_total{route="GET /api/v1/items/{code}",status_class="2xx"}`,
			`onewindow_http_request_duration_seconds_bucket{route="GET /api/v1/items/{code}",status_class="4xx",le="0.005"}`,
			`onewindow_db_transaction_seconds_count{engine="` + string(e.db.Dialect()) + `",outcome="ok"}`,
			"go_goroutines ", "go_memstats_heap_alloc_bytes ",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		for _, it := range page.Items {
			if strings.Contains(body, "/api/v1/items/"+it.Code) {
				t.Errorf("/metrics names the path of item %s", it.Code)
			}
		}
		if strings.Contains(body, "NO-SUCH-ITEM") {
			t.Error("/metrics names the path of an unknown item")
		}
	})
}
