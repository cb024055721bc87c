package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/notify"
	"github.com/onewindow/onewindow/rating"
)

// shownPage is one page as somebody sees it, for the tests that walk every
// page (zoom, small screens, the automated accessibility audit).
type shownPage struct {
	user  string // "" for a visitor who has not signed in
	path  string
	ready string // a selector shown once the page has drawn what it draws; "main" when empty
	main  bool   // one of the main pages: a page of each kind that every role uses most
}

// everyPage lists the pages of every role over a hall that has a case in
// each part of its life, a ticket, an appointment, a bundle case, a bad
// rating under follow-up and messages sent: the portal, the applicant's,
// the front desk's, the back office's, the issuing window's, the hall
// manager's and the administrator's pages, accounts, messages, 好差评
// (the rating pad, a signed link, follow-ups, figures), the printed notices
// and the display board. The server's clock must read hallClock.
func everyPage(t *testing.T, e *env) []shownPage {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, e)
	c, q := fmt.Sprint(f.subsidy.ID), fmt.Sprint(f.queued.ID)
	tk, err := e.hall.Take(ctx, user(t, e, "yuxiulan"), demo.QingzhouCentre, hall.TakeRequest{Category: "A"})
	if err != nil {
		t.Fatal(err)
	}
	slots := e.slotsAt(t, demo.QingzhouCentre, hallToday, 2)
	appt := e.book(t, "yuxiulan", demo.QingzhouCentre, slots[len(slots)-1].ID)
	bundle := fmt.Sprint(openBundle(t, e, demo.BundleNewborn))
	waiting := fmt.Sprint(bundleAwaitingSupply(t, e))
	collected := fmt.Sprint(bundleCollected(t, e))
	ticket := fmt.Sprintf("/tickets/%s/%d", demo.QingzhouCentre, tk.ID)
	// 好差评: the issued case is still to be rated (on its page and through a
	// signed link); another, rated 不满意, has a follow-up open.
	pad, err := e.ratings.PadPath(ctx, user(t, e, "qz_dating"), demo.QingzhouCentre, "01")
	if err != nil {
		t.Fatal(err)
	}
	link, err := e.ratings.LinkFor(ctx, f.subsidy.ID, e.clock.Now().Add(rating.LinkLifetime))
	if err != nil {
		t.Fatal(err)
	}
	rated, err := e.ratings.RateCase(ctx, user(t, e, "yuxiulan"), e.issuedCase(t).ID, rating.RateRequest{Level: 2, Tags: []string{"efficiency"}, Comment: "等候时间太长"})
	if err != nil || rated.FollowUpID == nil {
		t.Fatalf("a bad rating: %+v, %v", rated, err)
	}
	followUp := fmt.Sprint(*rated.FollowUpID)
	code, err := e.svc.QueryCode(ctx, user(t, e, "qz_quanke"), f.subsidy.ID)
	if err != nil {
		t.Fatal(err)
	}
	// What all this told the applicant is in her inbox (unread: the
	// header shows the count) and, by SMS, in the development mailbox.
	n := notify.New(e.db, e.clock.Clock())
	n.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := n.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	apptPath := fmt.Sprintf("/appointments/%s/%d", demo.QingzhouCentre, appt.ID)
	lic := e.issuedBusinessLicence(t)
	// An application sent online, for its confirmation.
	sent, err := e.svc.Create(ctx, user(t, e, "yuxiulan"), cases.CreateRequest{Item: demo.CodeSocialInsuranceSubsidy, Point: demo.QingzhouCentre, Submit: true})
	if err != nil {
		t.Fatal(err)
	}
	// An application sent online whose business licence a held licence provides (免提交).
	byLicence := sentWithLicence(t, e)
	return append(deskPages(t, e), []shownPage{
		{"", "/", ".hero", true},
		{"", "/items", "#q", false},
		{"", "/items?q=" + url.QueryEscape("社会保险"), "#results", true},
		{"", "/items/" + demo.CodeSocialInsuranceSubsidy, "", true},
		{"", "/bundles", "", false},
		{"", "/verify", "", false},
		{"", "/verify/" + f.subsidy.VerifyCode, ".verdict", true},
		{"", "/login", "#username", true},
		{"", "/board/" + demo.QingzhouCentre, "#board-live", true},
		{"", "/register", "", true},
		{"", "/forgot", "", true},
		{"", "/track", "#track-form", true},
		{"", "/track?number=" + url.QueryEscape(f.subsidy.Number) + "&code=" + url.QueryEscape(code), "#track-result", true},
		{"", pad, "#pad-idle", true},
		{"", link, "#rate-form", true},
		{"", "/satisfaction", "", true},

		{"yuxiulan", "/my", "", true},
		{"yuxiulan", "/apply/" + demo.CodeSocialInsuranceSubsidy, "", true},
		{"yuxiulan", "/cases/" + c, "#case", false},
		{"yuxiulan", fmt.Sprintf("/cases/%d/submitted", sent.ID), "#confirmation", true},
		{"yuxiulan", "/apply/" + demo.CodeBusinessLicence, "#apply-refused", false},
		{"yuxiulan", "/items/" + demo.CodeBusinessLicence, "#not-for-you", false},
		{"yuxiulan", "/bundles/" + demo.BundleNewborn + "/apply", "#bundle-online-form", false},
		{"yuxiulan", "/appointments", "", false},
		{"yuxiulan", "/appointments/book?point=" + demo.QingzhouCentre + "&day=" + hallTomorrow, "", true},
		{"yuxiulan", apptPath, "", false},
		{"yuxiulan", "/tickets/take?point=" + demo.QingzhouCentre, "", false},
		{"yuxiulan", ticket, "#ticket-status", true},
		{"yuxiulan", "/cases/" + c + "/rate", "#rate-form", true},
		{"yuxiulan", "/inbox", "", true},
		{"yuxiulan", "/notifications/preferences", "", true},
		{"yuxiulan", "/account", "", true},
		{"yuxiulan", "/account/enterprises", "#enterprise-register", true},

		{"qz_quanke", "/desk", "", true},
		{"qz_quanke", "/desk?visit=" + c + "," + q, "#visit-cases", false},
		{"qz_quanke", "/desk/accept?item=" + demo.CodeFamilyPlanningConsult, "#accept-form", true},
		{"qz_quanke", "/desk/cases", "", false},
		{"qz_quanke", "/cases/" + q, "#case", false},
		{"qz_quanke", "/cases/" + q + "/documents/acceptance", "#document", true},
		{"qz_quanke", "/desk/phone-rating", "", true},
		{"hn_qiantai", "/desk/bundle?bundle=" + demo.BundleNewborn, "", false},
		{"hn_qiantai", "/bundle-cases", "", false},
		{"hn_qiantai", "/bundle-cases/" + bundle, "", false},
		{"hn_qiantai", "/bundle-cases/" + waiting, "#bundle-supplement", false},
		{"zhouming", "/bundle-cases/" + waiting, "#bundle-supply", false},
		{"zhouming", "/bundle-cases/" + waiting + "/documents/missing", "#document", false},
		{"hn_chuzheng", "/bundle-cases/" + collected, "#bundle-collectors", false},

		{"rs_shenpi", "/review", "", true},
		{"rs_shenpi", "/cases/" + q, "#case", true},
		{"rs_shenpi", "/followups", "", true},
		{"rs_shenpi", "/followups/" + followUp, "#followup-status", true},

		{"qz_chuzheng", "/issue", "", false},
		{"qz_chuzheng", "/issue?state=issued", "", false},
		{"qz_chuzheng", "/cases/" + c, "#case", false},
		{"qz_chuzheng", "/cases/" + c + "/documents/delivery", "#document", false},

		{"qz_dating", "/hall/today", `#hall-today[data-loaded="true"]`, true},
		{"qz_dating", "/hall", "", false},
		{"qz_dating", "/hall/roster", "", false},
		{"qz_dating", "/hall/windows", "", false},
		{"qz_dating", "/hall/appointments", "", false},
		{"qz_dating", "/ratings", "", true},

		{"admin", "/admin", "", false},
		{"admin", "/admin/items", "", false},
		{"admin", "/admin/items/" + demo.CodeSocialInsuranceSubsidy, "", true},
		{"admin", "/admin/items/new", "", false},
		{"admin", "/admin/items/" + demo.CodeSocialInsuranceSubsidy + "/guide", "#guide-text", false},
		{"admin", "/admin/bundles", "", false},
		{"admin", "/admin/bundles/" + demo.BundleNewborn, "", false},
		{"admin", "/admin/bundles/new", "", false},
		{"admin", "/admin/audit", "", false},
		{"admin", "/admin/users", "", false},
		{"admin", "/admin/points", "", false},
		{"admin", "/admin/points/" + demo.QingzhouCentre, "", false},
		{"admin", "/admin/extensions", "", false},
		{"admin", "/admin/workdays", "", false},
		{"admin", "/admin/coverage?service=medical-insurance&minutes=15&region=220523", "#coverage-map", false},
		{"admin", "/admin/figures", `#figures[data-loaded="true"]`, true},
		{"admin", "/admin/sms", "", true},
		{"admin", "/admin/notifications", "", true},
		{"admin", "/admin/finance", "", false},
		{"admin", "/admin/targets", "", false},
		{"jlhx", "/finance", "", true},
		{"jlhx", "/requests", "", false},
		{"bank_jl", "/bank", "", true},
		{"", "/targets", "", true},
		{"admin", "/admin/notifications/templates", "", true},
		{"admin", "/admin/webhooks", "", false},
		{"admin", "/account", "", true},
		{"", "/verify/licence", "#licence-lookup", false},
		{"", licenceLookup(lic), "#licence-verdict", true},
		{"jlhx", "/licences", "#wallet", true},
		{"jlhx", "/licences/" + fmt.Sprint(lic.ID), "#licence", true},
		{"jlhx", "/apply/" + demo.CodeFoodBusinessLicence, "#offer-business_licence", false},
		{"jlhx", fmt.Sprintf("/cases/%d/submitted", byLicence), "#confirm-by-licence", false},
		{"admin", "/admin/licence-types", "#licence-types", false},
	}...)
}

// byUser groups pages by who sees them, in the order first met, so that
// each person signs in once.
func byUser(pages []shownPage) (users []string, of map[string][]shownPage) {
	of = map[string][]shownPage{}
	for _, p := range pages {
		if _, seen := of[p.user]; !seen {
			users = append(users, p.user)
		}
		of[p.user] = append(of[p.user], p)
	}
	return users, of
}

// show opens p and waits until it has drawn.
func (b *tab) show(p shownPage) {
	b.t.Helper()
	ready := p.ready
	if ready == "" {
		ready = "main"
	}
	b.goTo(p.path, ready)
}

// setPrefs presses the header's switches until the page is in lang ("zh" or
// "en") and large text is on or off; the choice is kept in cookies, so it
// holds for every page the tab opens next.
func (b *tab) setPrefs(lang string, large bool) {
	b.t.Helper()
	b.goTo("/", "header .tools")
	want := `zh-CN`
	if lang == "en" {
		want = "en"
	}
	if get(b, chromedp.Evaluate[string](`document.documentElement.lang`)) != want {
		b.run(chromedp.Click(css(`button[name="lang"][value="`+lang+`"]`)), chromedp.WaitVisible(css(`html[lang="`+want+`"] header .tools`)))
	}
	if get(b, chromedp.Evaluate[bool](`document.documentElement.classList.contains("large")`)) != large {
		sel, then := `button[name="text"][value="large"]`, `html.large header .tools`
		if !large {
			sel, then = `button[name="text"][value="normal"]`, `html:not(.large) header .tools`
		}
		b.run(chromedp.Click(css(sel)), chromedp.WaitVisible(css(then)))
	}
}

// oncePerRun skips a test that walks every page on the hall's pinned clock
// when the suite runs again as another day (clocktest's variables set): on
// a pinned clock it would only repeat itself, for several minutes.
func oncePerRun(t *testing.T) {
	t.Helper()
	if os.Getenv(clocktest.TodayVar) != "" || os.Getenv(clocktest.NowVar) != "" {
		t.Skip("runs on the hall's pinned clock: the same on any day")
	}
}
