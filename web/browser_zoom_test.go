package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
)

// layoutProblems is a script that lists what a reader of the page at its
// present width would miss (WCAG 2.1 1.4.4 and 1.4.10): the page scrolling
// sideways, an element reaching past the window's edge (outside a part that
// scrolls on purpose, such as a wide table's own frame), text cut off by a
// box too small for it, and side-by-side parts drawn over one another.
const layoutProblems = `(function () {
	var vw = document.documentElement.clientWidth, out = [];
	function name(el) {
		var s = el.tagName.toLowerCase();
		if (el.id) { s += "#" + el.id; }
		if (el.classList.length) { s += "." + Array.prototype.join.call(el.classList, "."); }
		var text = (el.textContent || "").trim().replace(/\s+/g, " ");
		return s + (text ? " «" + text.slice(0, 30) + "»" : "");
	}
	function hidden(el) {
		for (var a = el; a && a !== document.body; a = a.parentElement) {
			var cs = getComputedStyle(a);
			if (cs.clip !== "auto" && cs.position === "absolute") { return true; } // visually hidden, for screen readers
			if (a.classList.contains("skip")) { return true; }
		}
		return false;
	}
	function scrolls(el) {
		for (var a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
			var x = getComputedStyle(a).overflowX;
			if (x === "auto" || x === "scroll") { return true; }
		}
		return false;
	}
	if (document.documentElement.scrollWidth > vw + 1) {
		out.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " px wide in a window of " + vw);
	}
	var all = document.body.querySelectorAll("*");
	for (var i = 0; i < all.length && out.length < 12; i++) {
		var el = all[i];
		if (!el.getClientRects().length || hidden(el)) { continue; }
		var cs = getComputedStyle(el), r = el.getBoundingClientRect();
		if (cs.visibility === "hidden" || r.width === 0 || r.height === 0) { continue; }
		if ((r.right > vw + 1 || r.left < -1) && !scrolls(el)) {
			out.push(name(el) + " reaches past the window (" + Math.round(r.left) + "–" + Math.round(r.right) + " of " + vw + ")");
			continue;
		}
		var field = /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName); // a field scrolls its own value
		if ((cs.overflowX === "hidden" || cs.overflowX === "clip") && el.scrollWidth > el.clientWidth + 2 && el.tagName !== "svg" && !field) {
			out.push(name(el) + " cuts off its text (" + el.scrollWidth + " in " + el.clientWidth + ")");
			continue;
		}
		if (cs.display === "flex" || cs.display === "grid" || cs.display === "inline-flex") {
			var kids = Array.prototype.filter.call(el.children, function (k) { return k.getClientRects().length && !hidden(k) && getComputedStyle(k).position !== "absolute"; });
			for (var a = 0; a < kids.length && a < 40; a++) {
				for (var b = a + 1; b < kids.length && b < 40; b++) {
					var p = kids[a].getBoundingClientRect(), q = kids[b].getBoundingClientRect();
					var w = Math.min(p.right, q.right) - Math.max(p.left, q.left), h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
					if (w > 2 && h > 2) {
						out.push(name(kids[a]) + " and " + name(kids[b]) + " overlap");
					}
				}
			}
		}
	}
	return out;
})()`

// screen is a way of reading the pages: a window width, and large text or not.
type screen struct {
	name          string
	width, height int64
	large         bool
}

var (
	// 200 % zoom on a 1280 px wide screen is a window 640 CSS pixels wide;
	// the elderly zoom with large text on.
	doubleZoom = screen{"200% zoom with large text", 640, 450, true}
	// The narrowest phone WCAG 1.4.10 asks for.
	phone320 = screen{"a 320 px phone", 320, 640, false}
)

// Every page at 200 % zoom on a 1280 px wide screen in large text, and on
// a 320 px phone, in both languages: nothing reaches past the window's edge
// or is cut off, no parts overlap, and the page never scrolls sideways (a
// wide table scrolls in its own frame). Large text, once chosen, holds on
// every page opened after, signed in or not. And on every page, text in
// the other language says so, for screen readers (unmarkedText).
func TestBrowserEveryPageAtDoubleZoomAndOnAPhone(t *testing.T) {
	oncePerRun(t)
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	users, of := byUser(everyPage(t, e))
	// The four ways of reading run side by side, each in tabs of its own
	// (the language and text size are kept in each tab's cookies).
	for _, sc := range []screen{doubleZoom, phone320} {
		for _, lang := range []string{"zh", "en"} {
			t.Run(sc.name+", "+lang, func(t *testing.T) {
				t.Parallel()
				for _, u := range users {
					b := open(t, e, u)
					b.run(chromedp.EmulateViewport(sc.width, sc.height, chromedp.EmulateScale(2)))
					b.setPrefs(lang, sc.large)
					for _, p := range of[u] {
						b.show(p)
						if large := get(b, chromedp.Evaluate[bool](`document.documentElement.classList.contains("large")`)); large != sc.large && !strings.Contains(p.path, "/documents/") {
							t.Errorf("%s %s (%s): large text is %v, want %v: the choice was not kept", b.name, p.path, lang, large, sc.large)
						}
						if problems := get(b, chromedp.Evaluate[[]string](layoutProblems)); len(problems) > 0 {
							t.Errorf("%s %s (%s), %s:\n  %s", b.name, p.path, lang, sc.name, strings.Join(problems, "\n  "))
						}
						// Text in the other language carries its language (the
						// same at any width: checked on one).
						if sc == doubleZoom {
							if problems := get(b, chromedp.Evaluate[[]string](unmarkedText)); len(problems) > 0 {
								t.Errorf("%s %s (%s):\n  %s", b.name, p.path, lang, strings.Join(problems, "\n  "))
							}
						}
					}
					if sc == phone320 && lang == "zh" && u == "" {
						b.goTo("/board/"+demo.QingzhouCentre, "#board-live")
						b.shot("a11y-02-board-on-a-phone")
					}
				}
			})
		}
	}
}

// The printed notices (受理通知书, 一次性告知书, 不予受理通知书, the delivery
// record) fit the width of an A4 page less its margins, in both languages:
// printed, nothing is cut off at the edge.
func TestBrowserNoticesFitOnA4(t *testing.T) {
	oncePerRun(t)
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	f := newFixture(t, e)
	desk := e.as(t, "qz_quanke")
	notices := []string{fmt.Sprintf("/cases/%d/documents/acceptance", f.queued.ID)}
	for _, d := range []struct {
		decision, kind string
		state          cases.State
	}{{"notify", "missing", cases.SupplementNeeded}, {"not_accept", "not_accepted", cases.NotAccepted}} {
		desk.get("/desk/accept?item=" + demo.CodeSocialInsuranceSubsidy).want(200)
		desk.post("/desk/accept", url.Values{"item": {demo.CodeSocialInsuranceSubsidy}, "decision": {d.decision}, "kind": {"person"},
			"name": {"于秀兰"}, "id_number": {idOf("yuxiulan")}, "channel": {"window"}, "confirm": {"yes"},
			"reasons": {"申请人不属于本事项的服务对象，依据《就业补助资金管理办法》第十条的规定不予受理，可向辉南县人力资源和社会保障局咨询"}}).want(http.StatusSeeOther)
		list, _, err := e.svc.List(context.Background(), user(t, e, "qz_quanke"), cases.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.State == d.state {
				notices = append(notices, fmt.Sprintf("/cases/%d/documents/%s", c.ID, d.kind))
			}
		}
	}
	if len(notices) != 3 {
		t.Fatalf("notices %v, want 3", notices)
	}
	// A4 is 210 mm wide; the page's margins are 20 mm each side: 170 mm is
	// 643 CSS pixels.
	const a4Text = 643
	for _, lang := range []string{"zh", "en"} {
		b := open(t, e, "qz_quanke")
		b.setPrefs(lang, false)
		b.run(chromedp.EmulateViewport(a4Text, 900), emulatePrint(true))
		for _, path := range notices {
			b.goTo(path, "#document")
			if problems := get(b, chromedp.Evaluate[[]string](layoutProblems)); len(problems) > 0 {
				t.Errorf("%s (%s) printed on A4:\n  %s", path, lang, strings.Join(problems, "\n  "))
			}
			if shown := get(b, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(".toolbar")).display !== "none"`)); shown {
				t.Errorf("%s: the print button is printed", path)
			}
		}
		if lang == "zh" {
			b.shot("a11y-03-one-time-notice-as-printed")
		}
		b.run(emulatePrint(false))
	}
}

// emulatePrint lays pages out as for paper, or again for the screen.
func emulatePrint(on bool) chromedp.Action[chromedp.Void] {
	media := ""
	if on {
		media = "print"
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// The page checks find what they look for: a page built with each fault
// is reported, and the same page without it is not.
func TestBrowserPageChecksFindProblems(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	b := open(t, e, "")
	b.run(chromedp.EmulateViewport(320, 640))
	for _, c := range []struct {
		name, script, bad, good string
	}{
		{"a wide table", layoutProblems,
			`<table><tr><td><div style="width:3000px">x</div></td></tr></table>`,
			`<div style="overflow-x:auto"><table><tr><td><div style="width:3000px">x</div></td></tr></table></div>`},
		{"overlapping columns", layoutProblems,
			`<div style="display:grid;grid-template-columns:100px 100px"><p style="width:200px;margin:0">一二三</p><p style="margin:0">四</p></div>`,
			`<div style="display:grid;grid-template-columns:100px 100px"><p style="margin:0">一二三</p><p style="margin:0">四</p></div>`},
		{"cut-off text", layoutProblems,
			`<p style="width:50px;overflow:hidden;white-space:nowrap">a long line of text that does not fit</p>`,
			`<p style="width:50px">a long line of text that does fit</p>`},
		{"Chinese on an English page", unmarkedText,
			`<html lang="en"><body><p>Applicant: 于秀兰</p></body></html>`,
			`<html lang="en"><body><p>Applicant: <span lang="zh-CN">于秀兰</span></p></body></html>`},
		{"English on a Chinese page", unmarkedText,
			`<html lang="zh-CN"><body><p>青州社区 Qingzhou Community Centre</p></body></html>`,
			`<html lang="zh-CN"><body><p>青州社区 <span lang="en">Qingzhou Community Centre</span> QZSQ-0001</p></body></html>`},
	} {
		for _, page := range []struct {
			html string
			bad  bool
		}{{c.bad, true}, {c.good, false}} {
			b.run(chromedp.Navigate("data:text/html;charset=utf-8," + url.PathEscape("<!doctype html>"+page.html)))
			found := get(b, chromedp.Evaluate[[]string](c.script))
			if (len(found) > 0) != page.bad {
				t.Errorf("%s: %s reported %q", c.name, page.html, found)
			}
		}
	}
}
