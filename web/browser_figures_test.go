package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/network"
)

// The province's figures over the demo's past year: the charts draw (ECharts
// under the pages' content policy) with a point for every month, and the
// division filter narrows them to one county.
func TestBrowserProvinceFigures(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	history, err := demo.LoadHistory(context.Background(), e.db, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	admin := open(t, e, "admin")
	admin.goTo("/", `header .who`)
	admin.run(
		chromedp.Click(css(`nav a[href="/admin/figures"]`)),
		chromedp.WaitVisible(css(`#figures[data-loaded="true"]`)),
		chromedp.WaitVisible(css(`#chart-volume canvas`)),
	)
	for _, chart := range []string{"volume", "online", "on-time", "hall"} {
		points := get(admin, chromedp.Evaluate[int](`(function () {
			var c = window.echarts.getInstanceByDom(document.getElementById("chart-`+chart+`"));
			return c ? c.getOption().series[0].data.length : -1;
		})()`))
		if points != figures.DefaultMonths {
			t.Errorf("chart %s draws %d months, want %d", chart, points, figures.DefaultMonths)
		}
	}
	// The bars add up to what the figures count for the default period.
	svc := figures.NewService(e.db, e.cat, network.NewStore(e.db), e.clock.Clock())
	from, to := figures.DefaultPeriod(e.clock.Now())
	rep, err := svc.Figures(context.Background(), user(t, e, "admin"), figures.Query{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	drawn := get(admin, chromedp.Evaluate[int](`window.echarts.getInstanceByDom(document.getElementById("chart-volume")).getOption().series[0].data.reduce(function (a, b) { return a + b; }, 0)`))
	if drawn != rep.Totals.Accepted || drawn == 0 || drawn > history.Cases {
		t.Errorf("the chart draws %d cases accepted; the figures count %d, the history made %d", drawn, rep.Totals.Accepted, history.Cases)
	}
	admin.contains(`#figures-points`, "辉南县政务服务中心", "青州社区")
	admin.shot("figures-01-province")

	admin.run(
		chromedp.SetValue(css(`#division`), "220523"),
		chromedp.Click(css(`#figures-form button[type=submit]`)),
	)
	// The form loads a new page: wait for that page's charts by script,
	// since a node found in the page being left would be gone by the time
	// it is read.
	admin.waitFor(`new URLSearchParams(location.search).get("division") === "220523"` +
		` && document.querySelector('#figures[data-loaded="true"]') !== null` +
		` && document.querySelector("#chart-on-time canvas") !== null`)
	admin.contains(`#figures-scope`, "辉南县")
	admin.contains(`#figures-points`, "辉南县政务服务中心")
	if got := admin.text(`#figures-points`); strings.Contains(got, "青州社区") {
		t.Errorf("辉南县's points list 青州社区: %s", got)
	}
	admin.shot("figures-02-county")
}
