package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store/storetest"
)

// After a failed submit the page starts at its error summary: it has the
// focus, each field error links to its input, and the inputs are marked
// invalid; on the sign-in form too.
func TestBrowserErrorsTakeTheFocus(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
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
	e := newEnvAt(t, storetest.SQLite(t), hallClock)
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
