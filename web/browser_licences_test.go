package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// 吉林化纤's staff open the wallet, the printable licence with its QR code,
// and a visitor checks it at /verify/licence in Chinese by number and code,
// then in English with a tampered document pasted in.
func TestBrowserLicenceWalletAndVerify(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	l := e.issuedBusinessLicence(t)

	holder := open(t, e, "jlhx")
	holder.goTo("/licences", `#wallet`)
	holder.contains(`#wallet`, "营业执照", l.Number, "有效")
	holder.shot("licence-01-wallet")
	holder.run(chromedp.Click(css(`#wallet a[href="/licences/`+itoa(l.ID)+`"]`)), chromedp.WaitVisible(css(`#licence`)))
	holder.contains(`#licence`, "吉林化纤示范有限公司", l.VerifyCode, "扫码核验证照")
	if n := get(holder, chromedp.Evaluate[int](`document.querySelectorAll("#licence svg").length`)); n != 1 {
		t.Fatalf("the printable licence has %d QR codes, want 1", n)
	}
	holder.shot("licence-02-print")

	visitor := open(t, e, "")
	visitor.goTo("/verify/licence", `#licence-lookup`)
	visitor.run(
		chromedp.SendKeys(css(`#number`), l.Number),
		chromedp.SendKeys(css(`#code`), strings.ToLower(l.VerifyCode)),
		chromedp.Click(css(`#licence-lookup button`)),
		chromedp.WaitVisible(css(`#licence-verdict`)),
	)
	visitor.contains(`#licence-verdict`, "证照真实有效", "吉林化纤示范有限公司", "辉南县市场监督管理局")
	visitor.shot("licence-03-verified")

	en := open(t, e, "")
	en.setPrefs("en", false)
	en.goTo("/verify/licence", `#licence-document`)
	tampered := strings.Replace(l.Document, `"valid_from":"`, `"valid_from":"1`, 1)
	en.run(
		chromedp.SetValue(css(`#document`), tampered),
		chromedp.Click(css(`#licence-document button`)),
		chromedp.WaitVisible(css(`#licence-verdict`)),
	)
	en.contains(`#licence-verdict`, "did not pass verification", "the signature does not match")
	if get(en, chromedp.Evaluate[bool](`document.querySelector("#licence-holder") !== null`)) {
		t.Fatal("a tampered document's holder is shown as fact")
	}
	en.shot("licence-04-tampered-en")
}
