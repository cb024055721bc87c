package web_test

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
		var latin = text.split(/[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+/).some(function (part) { return phrase.test(part); });
		if (!english && latin && lang.indexOf("en") !== 0) {
			out.push("English without lang: «" + text.slice(0, 40) + "» in " + el.tagName.toLowerCase());
		}
	}
	return out;
})()`
