package web_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// collect fills in who collects the result at the window: the applicant in
// person, or an agent with the authorisation named, and a signature drawn
// with the mouse on the pad.
func (b *tab) collect(name, id, authorisation string) {
	b.t.Helper()
	b.run(chromedp.Click(css(`#method-window`)), chromedp.WaitVisible(css(`#collector`)),
		chromedp.SendKeys(css(`#name`), name), chromedp.SendKeys(css(`#id_number`), id))
	if authorisation != "" {
		b.run(chromedp.Click(css(`#relation-agent`)), chromedp.WaitVisible(css(`#authorisation`)), chromedp.SendKeys(css(`#authorisation`), authorisation))
	}
	b.run(chromedp.ScrollIntoView(css(`#signature-pad`)))
	rect := get(b, chromedp.Evaluate[[]float64](`(function () { var r = document.querySelector("#signature-pad").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	x, y, w, h := rect[0], rect[1], rect[2], rect[3]
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x+w*.1, y+h*.5, chromedp.ButtonLeft)}
	for i := 1; i <= 10; i++ {
		steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x+w*(.1+.07*float64(i)), y+h*(.5+.2*float64(i%3-1)), chromedp.ButtonLeft))
	}
	steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x+w*.8, y+h*.5, chromedp.ButtonLeft))
	b.run(steps...)
	b.waitFor(`document.querySelector("#signature-drawn").value.indexOf("data:image/png;base64,") === 0`)
}

// issue presses the issue form's button and waits for the issued case.
func (b *tab) issue() {
	b.t.Helper()
	b.run(chromedp.Click(css(`#issue-form button[type=submit]`)))
	b.waitFor(`document.querySelector("#case .meta .state-issued") !== null`)
}

// noSideways is the width the page scrolls past the window's, outside the
// boxes that scroll on their own (wide tables).
const noSideways = `document.documentElement.scrollWidth - document.documentElement.clientWidth`

// The front desk's panel and the issuing window's collector, in a real
// browser, in Chinese and English, at desktop and phone sizes: the reasons
// box appears for 不予受理 only, which is asked again before it is done;
// the collector signs on the pad and the case and the delivery record show
// who collected it, with the signature.
func TestBrowserDeskPanelAndCollector(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1366, 900}, {"phone", 390, 844}} {
		for _, lang := range []string{"zh", "en"} {
			t.Run(size.name+"/"+lang, func(t *testing.T) {
				desk := open(t, e, "qz_quanke")
				desk.setPrefs(lang, false)
				desk.run(chromedp.EmulateViewport(size.w, size.h))
				c := e.onlineCase(t)
				desk.goTo(fmt.Sprintf("/cases/%d", c.ID), `#desk-panel`)
				if get(desk, chromedp.Evaluate[bool](`document.querySelector("#reasons").offsetParent === null`)) != true {
					t.Errorf("the reasons box shows before 不予受理 or 退回 is chosen")
				}
				if n := get(desk, chromedp.Evaluate[int](noSideways)); n > 0 {
					t.Errorf("the desk's case page scrolls %d px sideways", n)
				}
				desk.shot("desk-panel-" + size.name + "-" + lang)
				desk.run(chromedp.Click(css(`#decide-not_accept`)), chromedp.WaitVisible(css(`#reasons`)),
					chromedp.SendKeys(css(`#reasons`), "not within this point's remit"),
					chromedp.Click(css(`#decide-submit`)))
				desk.waitFor(`document.querySelector("#confirm-yes") !== null`)
				desk.shot("desk-panel-confirm-" + size.name + "-" + lang)
				desk.run(chromedp.Click(css(`#confirm-yes`)))
				desk.waitFor(`document.querySelector("#case .meta .state-not_accepted") !== null`)

				ready := e.readyCase(t)
				iss := open(t, e, "qz_chuzheng")
				iss.setPrefs(lang, false)
				iss.run(chromedp.EmulateViewport(size.w, size.h))
				iss.goTo(fmt.Sprintf("/cases/%d", ready.ID), `#issue-form`)
				iss.run(chromedp.Click(css(`#method-post`)))
				if get(iss, chromedp.Evaluate[bool](`document.querySelector("#collector").offsetParent === null`)) != true {
					t.Errorf("the collector is asked for a result sent by post")
				}
				iss.collect("于海", idOf("yuxiulan"), "")
				if n := get(iss, chromedp.Evaluate[int](noSideways)); n > 0 {
					t.Errorf("the issuing window's case page scrolls %d px sideways: %v", n, get(iss, chromedp.Evaluate[[]string](layoutProblems)))
				}
				iss.shot("issue-collector-" + size.name + "-" + lang)
				iss.issue()
				iss.run(chromedp.WaitVisible(css(`#collector-record`)))
				iss.contains(`#collector-record`, "于海")
				iss.waitFor(`document.querySelector("#collector-signature").complete && document.querySelector("#collector-signature").naturalWidth === 600`)
				iss.goTo(fmt.Sprintf("/cases/%d/documents/delivery", ready.ID), `#doc-collector`)
				iss.contains(`#doc-collector`, "于海")
				iss.shot("issue-delivery-record-" + size.name + "-" + lang)
			})
		}
	}
}
