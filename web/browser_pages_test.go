package web_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
)

// shownPage is one page as somebody sees it, for the tests that walk every
// page (zoom, small screens, the automated accessibility audit).
type shownPage struct {
	user  string // "" for a visitor who has not signed in
	path  string
	ready string // a selector shown once the page has drawn what it draws; "main" when empty
}

// everyPage lists the pages of every role over a hall that has a case in
// each part of its life, a ticket, an appointment and a bundle case: the
// portal, the applicant's, the front desk's, the back office's, the issuing
// window's, the hall manager's and the administrator's pages, the printed
// notices and the display board. The server's clock must read hallClock.
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
	ticket := fmt.Sprintf("/tickets/%s/%d", demo.QingzhouCentre, tk.ID)
	apptPath := fmt.Sprintf("/appointments/%s/%d", demo.QingzhouCentre, appt.ID)
	return []shownPage{
		{"", "/", ".hero"},
		{"", "/items", "#q"},
		{"", "/items?q=" + url.QueryEscape("社会保险"), "#results"},
		{"", "/items/" + demo.CodeSocialInsuranceSubsidy, ""},
		{"", "/bundles", ""},
		{"", "/verify", ""},
		{"", "/verify/" + f.subsidy.VerifyCode, ".verdict"},
		{"", "/login", "#username"},
		{"", "/board/" + demo.QingzhouCentre, "#board-live"},

		{"yuxiulan", "/my", ""},
		{"yuxiulan", "/apply/" + demo.CodeSocialInsuranceSubsidy, ""},
		{"yuxiulan", "/cases/" + c, "#case"},
		{"yuxiulan", "/appointments", ""},
		{"yuxiulan", "/appointments/book?point=" + demo.QingzhouCentre + "&day=" + hallTomorrow, ""},
		{"yuxiulan", apptPath, ""},
		{"yuxiulan", "/tickets/take?point=" + demo.QingzhouCentre, ""},
		{"yuxiulan", ticket, "#ticket-status"},

		{"qz_quanke", "/desk", ""},
		{"qz_quanke", "/desk?visit=" + c + "," + q, "#visit-cases"},
		{"qz_quanke", "/desk/accept?item=" + demo.CodeFamilyPlanningConsult, "#accept-form"},
		{"qz_quanke", "/desk/cases", ""},
		{"qz_quanke", "/cases/" + q, "#case"},
		{"qz_quanke", "/cases/" + q + "/documents/acceptance", "#document"},
		{"hn_qiantai", "/desk/bundle?bundle=" + demo.BundleNewborn, ""},
		{"hn_qiantai", "/bundle-cases", ""},
		{"hn_qiantai", "/bundle-cases/" + bundle, ""},

		{"rs_shenpi", "/review", ""},
		{"rs_shenpi", "/cases/" + q, "#case"},

		{"qz_chuzheng", "/issue", ""},
		{"qz_chuzheng", "/issue?state=issued", ""},
		{"qz_chuzheng", "/cases/" + c, "#case"},
		{"qz_chuzheng", "/cases/" + c + "/documents/delivery", "#document"},

		{"qz_dating", "/hall/today", `#hall-today[data-loaded="true"]`},
		{"qz_dating", "/hall", ""},
		{"qz_dating", "/hall/roster", ""},
		{"qz_dating", "/hall/windows", ""},
		{"qz_dating", "/hall/appointments", ""},

		{"admin", "/admin", ""},
		{"admin", "/admin/items", ""},
		{"admin", "/admin/items/" + demo.CodeSocialInsuranceSubsidy, ""},
		{"admin", "/admin/items/new", ""},
		{"admin", "/admin/bundles", ""},
		{"admin", "/admin/bundles/" + demo.BundleNewborn, ""},
		{"admin", "/admin/users", ""},
		{"admin", "/admin/points", ""},
		{"admin", "/admin/points/" + demo.QingzhouCentre, ""},
		{"admin", "/admin/extensions", ""},
		{"admin", "/admin/workdays", ""},
		{"admin", "/admin/coverage?service=medical-insurance&minutes=15&region=220523", "#coverage-map"},
		{"admin", "/admin/figures", `#figures[data-loaded="true"]`},
	}
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
