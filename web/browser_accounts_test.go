package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
)

// 办件查询 in a real browser: the receipt carries the query code and a QR
// code leading to the tracking page; a visitor opening that address sees the
// case with the name masked, and a mistyped code gets an error on its field.
func TestBrowserTrackFromTheReceipt(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	desk := open(t, e, "qz_quanke")
	number := desk.acceptAtDesk("社会保险补贴", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"), "")
	desk.run(
		chromedp.Click(css(`#visit-cases tbody tr:first-child a.button`)),
		chromedp.WaitVisible(css(`#document svg.qr`)),
	)
	code := desk.text(`#doc-query-code`)
	qr := desk.text(`#doc-qr-url`)
	if len(code) != 8 || !strings.HasPrefix(qr, e.base+"/track?") || !strings.Contains(qr, "code="+code) {
		t.Fatalf("receipt: query code %q, QR address %q", code, qr)
	}
	desk.shot("track-01-receipt-with-query-code")

	visitor := open(t, e, "")
	visitor.run(chromedp.Navigate(qr), chromedp.WaitVisible(css(`#track-result`)))
	visitor.contains(`#track-number`, number)
	visitor.contains(`#track-applicant`, "于**")
	visitor.contains(`#track-state`, "已受理")
	visitor.contains(`#track-steps`, "受理")
	if strings.Contains(visitor.text(`main`), "于秀兰") {
		t.Error("the tracking page shows the applicant's whole name")
	}
	visitor.shot("track-02-visitor-follows-the-case")

	// A mistyped code: the error is on the code's field.
	visitor.goTo("/track", `#track-form`)
	visitor.run(
		chromedp.SendKeys(css(`#number`), number),
		chromedp.SendKeys(css(`#code`), "ABCD-EFGH"),
		chromedp.Click(css(`#track-form button[type=submit]`)),
	)
	visitor.waitFor(`document.querySelector(".problem, [role=alert]") !== null && document.querySelector("#track-result") === null`)
	if !strings.Contains(visitor.text(`main`), "案件编号或查询码不正确") {
		t.Errorf("wrong code: the page says %q", visitor.text(`main`))
	}
	visitor.shot("track-03-wrong-code")

	// In English.
	visitor.run(chromedp.Navigate(qr+"&lang=en"), chromedp.WaitVisible(css(`#track-result`)))
	visitor.contains(`h1`, "Follow a case")
	visitor.contains(`#track-state`, "Accepted")
}
