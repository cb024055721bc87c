package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/store/storetest"
)

// unmarkedText is a script that lists the text of the page in the other
// language that does not say so: on an English page, Chinese text outside
// any element whose lang is Chinese; on a Chinese page, English phrases
// (two words or more, not codes) outside any element whose lang is English.
const unmarkedText = `(function () {
	var english = document.documentElement.lang === "en", out = [];
	var han = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/, phrase = /[A-Za-z]{2,}[,.]? +[A-Za-z]{2,}/;
	var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (var n = walk.nextNode(); n && out.length < 10; n = walk.nextNode()) {
		var el = n.parentElement;
		if (!el || el.closest("script, style, template, textarea, svg")) { continue; }
		var text = n.textContent.trim(), lang = (el.closest("[lang]") || document.documentElement).lang;
		if (english && han.test(text) && lang.indexOf("zh") !== 0) {
			out.push("Chinese without lang: «" + text.slice(0, 40) + "» in " + el.tagName.toLowerCase());
		}
		if (!english && !han.test(text) && phrase.test(text) && lang.indexOf("en") !== 0) {
			out.push("English without lang: «" + text.slice(0, 40) + "» in " + el.tagName.toLowerCase());
		}
	}
	return out;
})()`

// On every page, text in the other language carries its language, so that
// a screen reader reads a Chinese item name on an English page in Chinese
// and an English name on a Chinese page in English.
func TestBrowserLanguageOfParts(t *testing.T) {
	oncePerRun(t)
	e := newEnvAt(t, storetest.SQLite(t), hallClock)
	startBrowser(t)
	users, of := byUser(everyPage(t, e))
	for _, lang := range []string{"en", "zh"} {
		for _, u := range users {
			b := open(t, e, u)
			b.setPrefs(lang, false)
			for _, p := range of[u] {
				b.show(p)
				if problems := get(b, chromedp.Evaluate[[]string](unmarkedText)); len(problems) > 0 {
					t.Errorf("%s %s (%s):\n  %s", b.name, p.path, lang, strings.Join(problems, "\n  "))
				}
			}
		}
	}
}
