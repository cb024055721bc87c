// Package metrics counts what operators need to watch and serves it at
// /metrics in the Prometheus format, through the Prometheus Go client: the
// server's own counters, gauges and histograms, and the Go runtime's and
// the process's (memory, goroutines, GC, CPU, open files).
//
// Code that counts something names it and gives its labels as pairs, with
// no types to declare: Describe (or DescribeGauge, DescribeHistogram) once,
// in an init function, then Inc, Add or Observe where it happens:
//
//	metrics.Describe("onewindow_scans_total", "SLA scans completed")
//	metrics.Inc("onewindow_scans_total", "point", code)
//
// A metric's label names are fixed by its first use. A later use with other
// label names, a negative delta on a counter, or a name that cannot be
// registered (one the runtime's metrics have) is not recorded: it is
// counted in onewindow_metrics_errors_total instead, so that a mistake in
// counting never stops the server.
package metrics

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

type kind int

const (
	counter kind = iota
	gauge
	histogram
)

// family is one metric: what it is, and once used, its vector of series.
type family struct {
	kind    kind
	help    string
	buckets []float64
	labels  []string // label names, fixed by the first use
	vec     prometheus.Collector
	broken  bool // its registration failed (the name is taken): uses are errors
}

var (
	registry = prometheus.NewRegistry()
	mu       sync.RWMutex
	families = map[string]*family{}
	errs     = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "onewindow_metrics_errors_total",
		Help: "uses of a metric that could not be recorded (label names other than at its first use, a negative counter delta, a name taken)",
	}, []string{"metric"})
)

func init() {
	registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		errs,
	)
	families["onewindow_metrics_errors_total"] = &family{kind: counter, labels: []string{"metric"}, vec: errs}
}

// Describe sets the help text of a counter.
func Describe(name, text string) { describe(name, counter, text, nil) }

// DescribeGauge sets the help text of a metric that goes up and down (a
// number of open streams): Add it +1 and -1.
func DescribeGauge(name, text string) { describe(name, gauge, text, nil) }

// DescribeHistogram sets the help text and the bucket bounds of a metric
// that records a distribution (durations in seconds, sizes); nil buckets
// are Prometheus's defaults, from 5 ms to 10 s.
func DescribeHistogram(name, text string, buckets []float64) {
	describe(name, histogram, text, buckets)
}

func describe(name string, k kind, text string, buckets []float64) {
	mu.Lock()
	defer mu.Unlock()
	if f, ok := families[name]; ok && f.vec != nil {
		return // already in use: its kind and help are fixed
	}
	families[name] = &family{kind: k, help: text, buckets: buckets}
}

// Add adds delta to the counter or gauge name with the given label pairs
// ("point", "HNZWFW", …).
func Add(name string, delta float64, labels ...string) {
	f, values, ok := use(name, counter, labels)
	if !ok {
		return
	}
	switch v := f.vec.(type) {
	case *prometheus.CounterVec:
		if delta < 0 {
			errs.WithLabelValues(name).Inc()
			return
		}
		v.WithLabelValues(values...).Add(delta)
	case *prometheus.GaugeVec:
		v.WithLabelValues(values...).Add(delta)
	default:
		errs.WithLabelValues(name).Inc()
	}
}

// Inc adds one.
func Inc(name string, labels ...string) { Add(name, 1, labels...) }

// Observe records one value (a duration in seconds, a size) of the
// histogram name with the given label pairs.
func Observe(name string, value float64, labels ...string) {
	f, values, ok := use(name, histogram, labels)
	if !ok {
		return
	}
	v, isHistogram := f.vec.(*prometheus.HistogramVec)
	if !isHistogram {
		errs.WithLabelValues(name).Inc()
		return
	}
	v.WithLabelValues(values...).Observe(value)
}

// use finds the metric name, creating it at its first use with the label
// names given (a metric never described is of kind k). It returns the label
// values in the order of the metric's label names.
func use(name string, k kind, labels []string) (*family, []string, bool) {
	names, values := split(labels)
	mu.RLock()
	f := families[name]
	ready := f != nil && f.vec != nil
	mu.RUnlock()
	if !ready {
		mu.Lock()
		if f = families[name]; f == nil {
			f = &family{kind: k}
			families[name] = f
		}
		if f.vec == nil && !f.broken {
			f.create(name, names)
		}
		mu.Unlock()
	}
	if f.broken || !slices.Equal(f.labels, names) {
		errs.WithLabelValues(name).Inc()
		return nil, nil, false
	}
	return f, values, true
}

// create makes the metric's vector and registers it; call with mu held.
func (f *family) create(name string, labels []string) {
	help := f.help
	if help == "" {
		help = name
	}
	f.labels = labels
	switch f.kind {
	case gauge:
		f.vec = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	case histogram:
		f.vec = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: f.buckets}, labels)
	default:
		f.vec = prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	if err := registry.Register(f.vec); err != nil {
		f.broken = true
	}
}

// split turns label pairs into names and values; a last name without a
// value is dropped.
func split(labels []string) (names, values []string) {
	for i := 0; i+1 < len(labels); i += 2 {
		names = append(names, labels[i])
		values = append(values, labels[i+1])
	}
	return names, values
}

// Value returns the value of a counter or gauge series, or the number of
// values a histogram series recorded (for tests).
func Value(name string, labels ...string) float64 {
	mu.RLock()
	f := families[name]
	mu.RUnlock()
	names, values := split(labels)
	if f == nil || f.vec == nil || !slices.Equal(f.labels, names) {
		return 0
	}
	var m prometheus.Metric
	var err error
	switch v := f.vec.(type) {
	case *prometheus.CounterVec:
		m, err = v.GetMetricWithLabelValues(values...)
	case *prometheus.GaugeVec:
		m, err = v.GetMetricWithLabelValues(values...)
	case *prometheus.HistogramVec:
		var o prometheus.Observer
		o, err = v.GetMetricWithLabelValues(values...)
		if err == nil {
			m = o.(prometheus.Metric)
		}
	}
	if err != nil {
		return 0
	}
	var out dto.Metric
	if m.Write(&out) != nil {
		return 0
	}
	switch {
	case out.Counter != nil:
		return out.Counter.GetValue()
	case out.Gauge != nil:
		return out.Gauge.GetValue()
	case out.Histogram != nil:
		return float64(out.Histogram.GetSampleCount())
	}
	return 0
}

// Handler serves every metric in the Prometheus formats (text by default,
// or what the scraper asks for).
func Handler() http.Handler {
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Write writes every metric in the Prometheus text format.
func Write(w io.Writer) error {
	mfs, err := registry.Gather()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}

// Names lists every metric described or in use, and the runtime's and
// process's (for checking dashboards against what the server serves).
func Names() []string {
	mu.RLock()
	seen := map[string]bool{}
	for name := range families {
		seen[name] = true
	}
	for name := range readDescs {
		seen[name] = true
	}
	mu.RUnlock()
	if mfs, err := registry.Gather(); err == nil {
		for _, mf := range mfs {
			seen[mf.GetName()] = true
		}
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// pools are the collectors watched (database pools, gauges read at each
// scrape), by name.
var (
	poolsMu sync.Mutex
	pools   = map[string]prometheus.Collector{}
)

// WatchDBPool serves the statistics of a database pool (connections open,
// in use and idle, the maximum, waits for a connection and the time spent
// waiting, connections closed for idling or age) as the Go client's go_sql_*
// series, with the label db_name naming the pool ("sqlite-writer",
// "sqlite-reader", "postgres"). A later pool of the same name takes its
// place (a process that reopens its database); the returned function stops
// serving the pool, unless another has taken its place since.
func WatchDBPool(name string, db *sql.DB) (stop func()) {
	return watch(name, "go_sql_open_connections", collectors.NewDBStatsCollector(db, name))
}

// Read reads the current value of a gauge by label value ("point" code →
// tickets waiting), when the gauge is scraped.
type Read func(ctx context.Context) (map[string]float64, error)

// readGauge is a gauge whose series are read when /metrics is scraped:
// one call of read per scrape, however many series it gives.
type readGauge struct {
	desc    *prometheus.Desc
	name    string
	timeout time.Duration
	read    Read
}

func (g *readGauge) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

func (g *readGauge) Collect(ch chan<- prometheus.Metric) {
	// wall clock: a bound on how long a scrape waits for the database.
	ctx, cancel := context.WithTimeout(context.Background(), g.timeout)
	defer cancel()
	values, err := g.read(ctx)
	if err != nil {
		// A slow or failing read leaves the gauge out of this scrape (its
		// series go stale) rather than holding up the others.
		errs.WithLabelValues(g.name).Inc()
		return
	}
	for label, v := range values {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v, label)
	}
}

// readDescs are the gauges read at each scrape, by name (DescribeRead).
var readDescs = map[string]*prometheus.Desc{}

// DescribeRead describes a gauge whose value is read when /metrics is
// scraped (WatchGauge serves it), with its one label's name.
func DescribeRead(name, help, label string) {
	mu.Lock()
	defer mu.Unlock()
	readDescs[name] = prometheus.NewDesc(name, help, []string{label}, nil)
}

// WatchGauge serves the gauge name (described by DescribeRead), read by
// read each time /metrics is scraped, within timeout. A later gauge of the
// same name takes its place (a process that reopens its database); the
// returned function stops serving it, unless another has taken its place
// since.
func WatchGauge(name string, timeout time.Duration, read Read) (stop func()) {
	mu.RLock()
	desc := readDescs[name]
	mu.RUnlock()
	if desc == nil {
		errs.WithLabelValues(name).Inc()
		return func() {}
	}
	return watch(name, name, &readGauge{desc: desc, name: name, timeout: timeout, read: read})
}

// watch registers a collector under a name, replacing the one of that name;
// a failure is counted as an error of the metric errName.
func watch(name, errName string, c prometheus.Collector) (stop func()) {
	poolsMu.Lock()
	defer poolsMu.Unlock()
	if old, ok := pools[name]; ok {
		registry.Unregister(old)
	}
	if err := registry.Register(c); err != nil {
		errs.WithLabelValues(errName).Inc()
		delete(pools, name)
		return func() {}
	}
	pools[name] = c
	return func() {
		poolsMu.Lock()
		defer poolsMu.Unlock()
		if pools[name] == c {
			registry.Unregister(c)
			delete(pools, name)
		}
	}
}
