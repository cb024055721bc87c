package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeScript runs axe-core on the page for the WCAG 2.1 A and AA rules and
// returns its violations as JSON.
const axeScript = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
	.then(function (r) {
		return JSON.stringify(r.violations.map(function (v) {
			return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" ") + " " + n.html.slice(0, 120); })};
		}));
	})`

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeSource reads axe-core from the file ONEWINDOW_AXE_JS names (CI
// installs it from npm). Without it the audit is skipped, except under CI,
// where that is a failure.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("ONEWINDOW_AXE_JS")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ONEWINDOW_AXE_JS is not set, and CI must run the accessibility audit (.ci/run installs axe-core)")
		}
		t.Skip("ONEWINDOW_AXE_JS is not set: npm install --prefix DIR axe-core and point it at DIR/node_modules/axe-core/axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return string(b)
}

// The automated WCAG 2.1 A/AA audit (axe-core in Chromium): the main pages
// of every role (a page of each kind; the zoom and language tests walk
// them all), in both languages, on a desktop screen and on a 320 px phone,
// have no violation.
func TestBrowserAccessibilityAudit(t *testing.T) {
	src := axeSource(t)
	oncePerRun(t)
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	var mainPages []shownPage
	for _, p := range everyPage(t, e) {
		if p.main {
			mainPages = append(mainPages, p)
		}
	}
	users, of := byUser(mainPages)
	var audited atomic.Int64
	// The four ways of reading run side by side, each in tabs of its own.
	t.Run("every way", func(t *testing.T) {
		for _, sc := range []screen{{"desktop", 1280, 900, false}, phone320} {
			for _, lang := range []string{"zh", "en"} {
				t.Run(sc.name+", "+lang, func(t *testing.T) {
					t.Parallel()
					for _, u := range users {
						b := open(t, e, u)
						b.run(chromedp.EmulateViewport(sc.width, sc.height))
						b.setPrefs(lang, false)
						for _, p := range of[u] {
							b.show(p)
							raw := runAxe(b, src)
							var violations []axeViolation
							if err := json.Unmarshal([]byte(raw), &violations); err != nil {
								t.Fatalf("axe's answer: %v\n%s", err, raw)
							}
							audited.Add(1)
							if len(violations) == 0 {
								continue
							}
							var lines []string
							for _, v := range violations {
								lines = append(lines, fmt.Sprintf("%s (%s): %s\n      %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n      ")))
							}
							t.Errorf("%s %s (%s, %s):\n  %s", b.name, p.path, lang, sc.name, strings.Join(lines, "\n  "))
						}
					}
				})
			}
		}
	})
	t.Logf("axe-core audited %d pages", audited.Load())
	if audited.Load() == 0 {
		t.Error("axe-core audited no page")
	}
}

// runAxe loads axe-core into the page and runs it. A run takes a few
// seconds on a busy machine, longer than one step of the other tests, so it
// has a bound of its own.
func runAxe(b *tab, src string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+";true")); err != nil {
		b.fail(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeScript, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail(err)
	}
	return raw
}
