package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
)

// After a failed submit the page starts at its error summary: it has the
// focus, each field error links to its input, and the inputs are marked
// invalid; on the sign-in form too.
func TestBrowserErrorsTakeTheFocus(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	visitor := open(t, e, "")
	visitor.run(
		chromedp.Navigate(e.base+"/login"),
		chromedp.SendKeys(css(`#username`), "admin"),
		chromedp.SendKeys(css(`#password`), "not-the-password"),
		chromedp.Click(css(`form[action="/login"] button[type=submit]`)),
	)
	visitor.waitFor(`document.activeElement && document.activeElement.id === "problem"`)
	if got := get(visitor, chromedp.Evaluate[string](`document.getElementById("username").getAttribute("aria-invalid") + "/" + document.getElementById("password").getAttribute("aria-invalid")`)); got != "true/true" {
		t.Errorf("after a wrong password the inputs are aria-invalid %s, want true/true", got)
	}

	desk := open(t, e, "qz_quanke")
	desk.goTo("/desk/accept?item="+demo.CodeFamilyPlanningConsult, `#accept-form`)
	desk.run(
		chromedp.SendKeys(css(`#name`), "于秀兰"),
		chromedp.SendKeys(css(`#id_number`), "220106196803120000"), // a wrong check digit
		chromedp.Click(css(`#decide-accept`)),
	)
	desk.waitFor(`document.activeElement && document.activeElement.id === "problem"`)
	desk.shot("a11y-01-error-summary-focused")
	if got := get(desk, chromedp.Evaluate[string](`(function () {
		var a = document.querySelector('#problem a[href="#id_number"]');
		return (a ? "linked" : "unlinked") + "/" + document.getElementById("id_number").getAttribute("aria-invalid");
	})()`)); got != "linked/true" {
		t.Errorf("the identity number's error: %s, want linked/true", got)
	}
	// The link takes the keyboard to the field.
	desk.run(chromedp.Click(css(`#problem a[href="#id_number"]`)))
	desk.waitFor(`location.hash === "#id_number"`)
}

// Live regions stay put and say one short thing: the item search announces
// how many items it found, not the list; the board says "窗口" with each
// call; the applicant's ticket page announces where the ticket stands
// each time its card refreshes.
func TestBrowserLiveRegionsAnnounceShortTexts(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	visitor := open(t, e, "")
	visitor.goTo("/items", `#q`)
	visitor.run(chromedp.SendKeys(css(`#q`), "社会保险补贴"), searchSettled("社会保险补贴"))
	visitor.waitFor(`document.getElementById("results-status").textContent !== ""`)
	if got := get(visitor, chromedp.Evaluate[string](`(function () {
		var s = document.getElementById("results-status"), r = document.getElementById("results");
		return s.getAttribute("role") + "|" + s.textContent + "|" + r.querySelector(".total").textContent.trim() + "|" + (r.getAttribute("aria-live") || "");
	})()`)); !strings.HasPrefix(got, "status|共") || strings.Count(got, "|") != 3 || strings.Split(got, "|")[1] != strings.Split(got, "|")[2] || !strings.HasSuffix(got, "|") {
		t.Errorf("search status %q: want role=status saying the total only, and no live list", got)
	}

	board := open(t, e, "")
	board.goTo("/board/"+demo.QingzhouCentre, `#board-live`)
	if got := get(board, chromedp.Evaluate[string](`document.querySelector("#call-row").content.textContent`)); !strings.Contains(got, "窗口") {
		t.Errorf("a call row says %q to a screen reader, want the word 窗口", got)
	}

	ctx := context.Background()
	tk, err := e.hall.Take(ctx, user(t, e, "yuxiulan"), demo.QingzhouCentre, hall.TakeRequest{Category: "A"})
	if err != nil {
		t.Fatal(err)
	}
	yu := open(t, e, "yuxiulan")
	yu.goTo(fmt.Sprintf("/tickets/%s/%d", demo.QingzhouCentre, tk.ID), `#ticket-status`)
	if got := get(yu, chromedp.Evaluate[string](`document.getElementById("ticket-status").getAttribute("aria-live") || ""`)); got != "" {
		t.Errorf("the card that refreshes is itself a live region (%q)", got)
	}
	// The card refreshes (as it does every 30 s): the stable region says where the ticket stands.
	get(yu, chromedp.Evaluate[bool](`htmx.ajax("GET", location.pathname, {target: "#ticket-status", swap: "outerHTML"}), true`))
	yu.waitFor(`document.getElementById("ticket-announce").textContent !== ""`)
	if got := yu.text(`#ticket-announce`); got != yu.text(`#ahead`) {
		t.Errorf("the ticket page announces %q, want %q", got, yu.text(`#ahead`))
	}
}

// A long picker gets a filter box: typing part of a service point's name
// narrows the list to it, chooses it, says how many are left, and Enter
// takes the keyboard to the list; without scripts the page has the plain
// select alone.
func TestBrowserLongPickersFilter(t *testing.T) {
	e := sqliteEnv(t)
	page := e.as(t, "yuxiulan").get("/apply/" + demo.CodeSocialInsuranceSubsidy).want(200)
	page.has(`<select id="point" name="point"`, `data-filter=`).lacks(`point-filter`)
	// A bundle's member items are searched for by name (the item picker),
	// not chosen from every published item sent with the page.
	e.as(t, "admin").get("/admin/bundles/new").want(200).has(`id="b0_item-q"`).lacks(`<datalist`)

	startBrowser(t)
	yu := open(t, e, "yuxiulan")
	yu.goTo("/apply/"+demo.CodeSocialInsuranceSubsidy, `#point-filter`)
	total := get(yu, chromedp.Evaluate[int](`document.querySelectorAll("#point option[value]:not([value=''])").length`))
	yu.run(chromedp.SendKeys(css(`#point-filter`), "青州"))
	yu.waitFor(`document.getElementById("point-filter-status").textContent !== ""`)
	if got := yu.value(`#point`); got != demo.QingzhouCentre {
		t.Errorf("after typing 青州 the picker holds %q, want %s", got, demo.QingzhouCentre)
	}
	shown := get(yu, chromedp.Evaluate[int](`document.querySelectorAll("#point option:not([hidden]):not([value=''])").length`))
	if shown != 1 || total < 3 {
		t.Errorf("青州 leaves %d of %d points, want 1", shown, total)
	}
	if got := yu.text(`#point-filter-status`); got != "1 项可选" {
		t.Errorf("the filter says %q", got)
	}
	yu.run(chromedp.KeyEvent("\r"))
	yu.waitFor(`document.activeElement && document.activeElement.id === "point"`)
	if loc := get(yu, chromedp.Location()); !strings.HasSuffix(loc, "/apply/"+demo.CodeSocialInsuranceSubsidy) {
		t.Errorf("Enter in the filter box submitted the form: %s", loc)
	}
	yu.shot("a11y-04-filtered-picker")
	// Clearing the filter shows every point again.
	get(yu, chromedp.Evaluate[bool](`(function () {
		var box = document.getElementById("point-filter");
		box.value = "";
		return box.dispatchEvent(new Event("input"));
	})()`))
	if shown := get(yu, chromedp.Evaluate[int](`document.querySelectorAll("#point option:not([hidden]):not([value=''])").length`)); shown != total {
		t.Errorf("an empty filter shows %d of %d points", shown, total)
	}
	// Points are found by their pinyin too, as items are.
	get(yu, chromedp.Evaluate[bool](`(document.getElementById("point").value = "") === ""`))
	yu.run(chromedp.SendKeys(css(`#point-filter`), "qingzhou"))
	yu.waitFor(`document.querySelectorAll("#point option:not([hidden]):not([value=''])").length < ` + strconv.Itoa(total))
	shown = get(yu, chromedp.Evaluate[int](`document.querySelectorAll("#point option:not([hidden]):not([value=''])").length`))
	if got := yu.value(`#point`); got != demo.QingzhouCentre || shown != 1 {
		t.Errorf("after typing qingzhou the picker holds %q of %d points shown, want %s alone", got, shown, demo.QingzhouCentre)
	}
}

// Every chart says in one line what it shows, as its description, and has
// its numbers as a table: written by the server (so without scripts too),
// and kept in step by the hall dashboard's refresh.
func TestBrowserChartsHaveWordsAndTables(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	for range 3 {
		e.takeTicket(t, "A")
	}
	// Without scripts: the summary and the table are in the page.
	e.as(t, "qz_dating").get("/hall/today").want(200).has(`id="table-hours"`, "今天共取号 3 张", `aria-describedby="summary-hours"`)

	startBrowser(t)
	manager := open(t, e, "qz_dating")
	manager.goTo("/hall/today", `#hall-today[data-loaded="true"]`)
	e.takeTicket(t, "A") // a fourth ticket, seen at the next refresh (every 30 s), without reloading
	refreshed := false
	for deadline := time.Now().Add(45 * time.Second); !refreshed && time.Now().Before(deadline); time.Sleep(time.Second) {
		refreshed = strings.Contains(manager.text(`#summary-hours`), "今天共取号 4 张")
	}
	if !refreshed {
		t.Errorf("after its refresh the chart's summary says %q", manager.text(`#summary-hours`))
	}
	manager.run(chromedp.Click(css(`#per-hour-title ~ details summary`)), chromedp.WaitVisible(css(`#table-hours`)))
	if sum := get(manager, chromedp.Evaluate[int](`Array.prototype.reduce.call(document.querySelectorAll("#table-hours tbody td"), function (n, td) { return n + Number(td.textContent); }, 0)`)); sum != 4 {
		t.Errorf("the tickets table adds up to %d, want 4", sum)
	}
	manager.shot("a11y-05-hall-chart-with-table")
	checkCharts := func(b *tab) {
		t.Helper()
		got := get(b, chromedp.Evaluate[[]string](`Array.prototype.map.call(document.querySelectorAll(".chart, #coverage-map"), function (c) {
			var d = document.getElementById(c.getAttribute("aria-describedby") || "-");
			return c.id + ": " + (d ? d.textContent.trim() : "");
		})`))
		if len(got) == 0 {
			t.Errorf("%s: no chart", get(b, chromedp.Location()))
		}
		for _, line := range got {
			if strings.HasSuffix(line, ": ") {
				t.Errorf("%s: the chart has no summary (%s)", get(b, chromedp.Location()), line)
			}
		}
	}
	checkCharts(manager)

	admin := open(t, e, "admin")
	admin.goTo("/admin/figures", `#figures[data-loaded="true"]`)
	checkCharts(admin)
	admin.contains(`#summary-volume`, "个月")
	admin.run(chromedp.Click(css(`#summary-volume a`)))
	admin.waitFor(`location.hash === "#months-title"`)
	admin.goTo("/admin/coverage?service=medical-insurance&minutes=15&region=220523", `#coverage-map`)
	checkCharts(admin)
	admin.contains(`#coverage-map-summary`, "个地点")
}
