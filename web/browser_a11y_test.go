package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
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
