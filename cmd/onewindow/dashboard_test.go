package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
)

// The Grafana dashboard in deploy/ asks only for metrics the server serves:
// every name in its queries is described by the packages this binary links,
// or served for the open database's pools.
func TestDashboardNamesServedMetrics(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "dashboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data, err := os.ReadFile("../../deploy/grafana/onewindow.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatal(err)
	}
	known := metrics.Names()
	name := regexp.MustCompile(`\b(onewindow|go|process)_[a-z0-9_]+`)
	asked := 0
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			for _, n := range name.FindAllString(target.Expr, -1) {
				asked++
				base := n
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					if b, ok := strings.CutSuffix(n, suffix); ok && slices.Contains(known, b) {
						base = b
					}
				}
				if !slices.Contains(known, base) {
					t.Errorf("panel %q asks for %s, which the server does not serve", p.Title, n)
				}
			}
		}
	}
	if asked < 30 {
		t.Errorf("only %d metric names in the dashboard's queries", asked)
	}
}
