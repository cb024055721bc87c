package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

func exposition(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	if err := Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCountersAndExposition(t *testing.T) {
	Describe("test_things_total", "things counted in a test")
	Inc("test_things_total", "point", `A"B`)
	Add("test_things_total", 2, "point", `A"B`)
	Inc("test_plain_total")
	if v := Value("test_things_total", "point", `A"B`); v != 3 {
		t.Fatalf("value %v, want 3", v)
	}
	out := exposition(t)
	for _, want := range []string{"# HELP test_things_total things counted in a test", "# TYPE test_things_total counter",
		`test_things_total{point="A\"B"} 3`, "test_plain_total 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks %q:\n%s", want, out)
		}
	}
}

func TestGaugesAndHistograms(t *testing.T) {
	DescribeGauge("test_open_streams", "streams open in a test")
	Add("test_open_streams", 1, "kind", "board")
	Add("test_open_streams", 1, "kind", "board")
	Add("test_open_streams", -1, "kind", "board")
	if v := Value("test_open_streams", "kind", "board"); v != 1 {
		t.Errorf("gauge %v, want 1", v)
	}
	DescribeHistogram("test_wait_seconds", "waits in a test", []float64{0.1, 1})
	for _, v := range []float64{0.05, 0.5, 5} {
		Observe("test_wait_seconds", v, "route", "GET /x")
	}
	if n := Value("test_wait_seconds", "route", "GET /x"); n != 3 {
		t.Errorf("histogram holds %v values, want 3", n)
	}
	out := exposition(t)
	for _, want := range []string{"# TYPE test_open_streams gauge", `test_open_streams{kind="board"} 1`,
		"# TYPE test_wait_seconds histogram", `test_wait_seconds_bucket{route="GET /x",le="0.1"} 1`,
		`test_wait_seconds_bucket{route="GET /x",le="1"} 2`, `test_wait_seconds_bucket{route="GET /x",le="+Inf"} 3`,
		`test_wait_seconds_sum{route="GET /x"} 5.55`, `test_wait_seconds_count{route="GET /x"} 3`} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks %q:\n%s", want, out)
		}
	}
}

func TestMistakesAreCountedNotRecorded(t *testing.T) {
	Describe("test_mistakes_total", "a counter used wrongly")
	Inc("test_mistakes_total", "job", "a")
	Inc("test_mistakes_total", "point", "b")      // other label names than at first use
	Add("test_mistakes_total", -1, "job", "a")    // a counter never goes down
	Observe("test_mistakes_total", 1, "job", "a") // not a histogram
	Inc("go_goroutines", "x", "y")                // a name the runtime's metrics have
	if v := Value("test_mistakes_total", "job", "a"); v != 1 {
		t.Errorf("value %v, want 1", v)
	}
	if v := Value("onewindow_metrics_errors_total", "metric", "test_mistakes_total"); v != 3 {
		t.Errorf("%v errors counted for test_mistakes_total, want 3", v)
	}
	if v := Value("onewindow_metrics_errors_total", "metric", "go_goroutines"); v != 1 {
		t.Errorf("%v errors counted for a name taken, want 1", v)
	}
}

func TestRuntimeAndProcessMetrics(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("content type %q", res.Header.Get("Content-Type"))
	}
	want := []string{"go_goroutines ", "go_memstats_heap_alloc_bytes ", "go_gc_duration_seconds"}
	if runtime.GOOS == "linux" {
		want = append(want, "process_resident_memory_bytes ", "process_open_fds ", "process_cpu_seconds_total ")
	}
	for _, w := range want {
		if !strings.Contains(string(body), w) {
			t.Errorf("/metrics lacks %q", w)
		}
	}
}
