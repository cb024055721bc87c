package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// 吉林化纤 finds a loan in the browser: it posts a need from the menu's
// 融资服务, reads the products ranked with each criterion, ticks the first
// and applies; its applications then list it as sent.
func TestBrowserFindAndApplyForALoan(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	ent := open(t, e, "jlhx")
	ent.goTo("/", `header .who`)
	ent.run(
		chromedp.Click(css(`nav a[href="/finance"]`)),
		chromedp.WaitVisible(css(`#need-form`)),
		chromedp.SetValue(css(`#industry`), "chemicals"),
		chromedp.SetValue(css(`#region_code`), "220204"),
		chromedp.SetValue(css(`#amount`), "500"),
		chromedp.SetValue(css(`#term`), "24"),
		chromedp.SetValue(css(`#purpose`), "采购原料"),
		chromedp.Click(css(`#need-form input[value="property"]`)),
		chromedp.Click(css(`#need-form button[type=submit]`)),
		chromedp.WaitVisible(css(`#send-form`)),
	)
	ent.contains(`#send-form li:first-child`, "厂房设备抵押贷", "全部条件符合", "需求金额500万元在产品额度100万元–3000万元之内")
	ent.shot("finance-01-matches")
	ent.run(
		chromedp.Click(css(`#send-form li:first-child input[name=product]`)),
		chromedp.Click(css(`#send-form button[type=submit]`)),
		chromedp.WaitVisible(css(`#applications td[data-status="sent"]`)),
	)
	ent.contains(`#applications`, "吉林银行吉林分行 · 厂房设备抵押贷")
}
