package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/rating"
)

// The pad facing the applicant at 青州社区's window 01: it waits, offers
// the visit once the desk finishes it, takes a rating with one tap, thanks,
// and waits again; the bad rating has a follow-up on the clock and the hall
// manager sees the window's satisfaction this month.
func TestBrowserRatingPad(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	ctx := context.Background()
	path, err := e.ratings.PadPath(ctx, user(t, e, "qz_dating"), demo.QingzhouCentre, "01")
	if err != nil {
		t.Fatal(err)
	}
	pad := open(t, e, "")
	pad.goTo(path, `#pad-idle`)
	pad.contains(`#pad`, "青州社区", "1号全科社工窗口")
	pad.shot("pad-01-idle")

	tk := e.serveTicket(t)
	// The idle pad looks again by itself and shows the visit.
	pad.run(chromedp.WaitVisible(css(`#rate-form`)))
	pad.contains(`#pad-visit`, tk.Number)
	pad.shot("pad-02-visit")
	pad.run(
		chromedp.Click(css(`input[name=tags][value=efficiency]`)),
		chromedp.SendKeys(css(`#comment`), "等候时间太长"),
		chromedp.Click(css(`button.level-2`)),
		chromedp.WaitVisible(css(`#pad-thanks`)),
	)
	pad.shot("pad-03-thanks")
	// ... and, after thanking, goes back to waiting; the rated visit is not offered again.
	pad.run(chromedp.WaitVisible(css(`#pad-idle`)))

	list, _, err := e.ratings.List(ctx, user(t, e, "qz_dating"), rating.Filter{})
	if err != nil || len(list) != 1 || list[0].Channel != rating.ChannelPad || list[0].Level != rating.Dissatisfied ||
		list[0].Comment != "等候时间太长" || list[0].Window != "01" || list[0].FollowUpID == nil {
		t.Fatalf("ratings %+v, %v", list, err)
	}
	mgr := open(t, e, "qz_dating")
	mgr.goTo("/followups/"+itoa(*list[0].FollowUpID), `#followup-status`)
	mgr.contains(`#followup-facts`, "不满意", "窗口评价器", "等候时间太长")
	mgr.goTo("/ratings", `#ratings-windows`)
	mgr.contains(`#ratings-windows tr[data-code="01"]`, "1号全科社工窗口", "0.0%")
	mgr.shot("pad-04-figures")
}

// A rating through the signed link of an invitation, without signing in,
// in English; the comment is shown as text; the link refuses a forgery.
func TestBrowserRatingLink(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	c := e.issuedCase(t)
	link, err := e.ratings.LinkFor(context.Background(), c.ID, e.clock.Now().Add(rating.LinkLifetime))
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, e, "")
	b.goTo(link+"?lang=en", `#rate-form`)
	b.contains(`main`, c.Number, "No sign-in needed", "very satisfied", "efficiency")
	b.shot("link-01-form")
	b.run(
		chromedp.SendKeys(css(`#comment`), `<img src=x onerror="document.title='owned'">quick`),
		chromedp.Click(css(`button.level-5`)),
		chromedp.WaitVisible(css(`#rating-thanks`)),
	)
	b.contains(`#current-rating`, `<img src=x onerror="document.title='owned'">quick`)
	if n := get(b, chromedp.Evaluate[int](`document.querySelectorAll("#current-rating img").length`)); n != 0 {
		t.Errorf("the comment became markup: %d images", n)
	}
	if title := get(b, chromedp.Evaluate[string](`document.title`)); strings.Contains(title, "owned") {
		t.Error("the comment ran as script")
	}
	b.shot("link-02-thanks")
	st, err := e.ratings.ForCase(context.Background(), user(t, e, "yuxiulan"), c.ID)
	if err != nil || st.Rating == nil || st.Rating.Channel != rating.ChannelLink || st.Rating.Level != rating.VerySatisfied {
		t.Fatalf("the case's rating %+v, %v", st.Rating, err)
	}
	b.goTo(link[:len(link)-2]+"xx", `#problem`)
	b.contains(`#problem`, "评价链接无效")
}
