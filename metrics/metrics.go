// Package metrics counts what operators need to watch (calendar fallbacks,
// scheduler failures, escalations) and writes the counts in the Prometheus
// text format at /metrics. It is deliberately tiny: counters with labels.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

var (
	mu       sync.Mutex
	counters = map[string]float64{} // full series name with labels → value
	help     = map[string]string{}  // metric name → help text
	gauges   = map[string]bool{}    // metric names that go up and down
)

// DescribeGauge sets the help text of a metric that goes up and down (a
// number of open streams): Add it +1 and -1.
func DescribeGauge(name, text string) {
	mu.Lock()
	help[name] = text
	gauges[name] = true
	mu.Unlock()
}

// Describe sets the help text of a counter.
func Describe(name, text string) {
	mu.Lock()
	help[name] = text
	mu.Unlock()
}

// Add adds delta to the counter name with the given label pairs
// ("point", "HNZWFW", …).
func Add(name string, delta float64, labels ...string) {
	key := series(name, labels)
	mu.Lock()
	counters[key] += delta
	mu.Unlock()
}

// Inc adds one.
func Inc(name string, labels ...string) { Add(name, 1, labels...) }

// Value returns a counter's value (for tests).
func Value(name string, labels ...string) float64 {
	mu.Lock()
	defer mu.Unlock()
	return counters[series(name, labels)]
}

func series(name string, labels []string) string {
	if len(labels) < 2 {
		return name
	}
	var parts []string
	for i := 0; i+1 < len(labels); i += 2 {
		v := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(labels[i+1])
		parts = append(parts, fmt.Sprintf(`%s="%s"`, labels[i], v))
	}
	return name + "{" + strings.Join(parts, ",") + "}"
}

// Write writes every counter in the Prometheus text exposition format.
func Write(w io.Writer) error {
	mu.Lock()
	defer mu.Unlock()
	keys := make([]string, 0, len(counters))
	for k := range counters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	described := map[string]bool{}
	for _, k := range keys {
		name := k
		if i := strings.IndexByte(k, '{'); i >= 0 {
			name = k[:i]
		}
		if !described[name] {
			described[name] = true
			if h := help[name]; h != "" {
				if _, err := fmt.Fprintf(w, "# HELP %s %s\n", name, h); err != nil {
					return err
				}
			}
			kind := "counter"
			if gauges[name] {
				kind = "gauge"
			}
			if _, err := fmt.Fprintf(w, "# TYPE %s %s\n", name, kind); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "%s %g\n", k, counters[k]); err != nil {
			return err
		}
	}
	return nil
}
