package api

import (
	"strconv"
	"time"

	"github.com/onewindow/onewindow/metrics"
)

// observeRequest counts an answered request and how long it took, by the
// route pattern it matched ("GET /api/v1/cases/{id}", a page's pattern, or
// "/" for an unknown address) and the class of its status ("2xx"): never by
// its path, which would make a series of every case id.
func observeRequest(route string, status int, took time.Duration) {
	if route == "" {
		route = "/"
	}
	class := strconv.Itoa(status/100) + "xx"
	metrics.Inc("onewindow_http_requests_total", "route", route, "status_class", class)
	metrics.Observe("onewindow_http_request_duration_seconds", took.Seconds(), "route", route, "status_class", class)
}

func init() {
	metrics.Describe("onewindow_http_requests_total", "HTTP requests answered, by route pattern and status class")
	metrics.DescribeHistogram("onewindow_http_request_duration_seconds",
		"time to answer an HTTP request, by route pattern and status class (display-board streams last as long as they are watched)",
		[]float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})
}
