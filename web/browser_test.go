package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/demo/demotest"
	"github.com/onewindow/onewindow/ident"
)

// The browser tests walk the stories of the reports through the pages in a
// real headless Chromium, as the real roles, each in a browser context of
// its own (its own cookies). Every test saves screenshots to
// $ONEWINDOW_SCREENSHOTS (a temporary folder when unset), printed at the end.

func TestMain(m *testing.M) {
	code := m.Run()
	demotest.Cleanup()
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dataDir != "" {
		os.RemoveAll(browser.dataDir)
	}
	if shots.dir != "" && shots.count > 0 {
		fmt.Printf("browser tests: %d screenshots in %s\n", shots.count, shots.dir)
	}
	os.Exit(code)
}

var browser struct {
	once    sync.Once
	ctx     context.Context
	cancel  context.CancelFunc
	dataDir string
	err     error
}

var shots struct {
	sync.Mutex
	dir   string
	count int
}

// chromiumPath finds Debian's chromium (or another Chrome) on the PATH.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts one headless Chromium for the whole run. Without one
// the tests are skipped, except under CI, where that is a failure.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed, and CI must run the browser tests (apt-get install chromium fonts-noto-cjk)")
		}
		t.Skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
	}
	browser.once.Do(func() {
		browser.dataDir, browser.err = os.MkdirTemp("", "onewindow-chromium-*")
		if browser.err != nil {
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("lang", "zh-CN"),
			chromedp.UserDataDir(browser.dataDir),
			chromedp.WindowSize(1280, 900),
		)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		browser.ctx = ctx
		browser.cancel = func() { cancelCtx(); cancelAlloc() }
		browser.err = chromedp.Do(ctx) // starts the browser
	})
	if browser.err != nil {
		t.Fatalf("start chromium: %v", browser.err)
	}
	return browser.ctx
}

func screenshotDir(t *testing.T) string {
	shots.Lock()
	defer shots.Unlock()
	if shots.dir == "" {
		dir := os.Getenv("ONEWINDOW_SCREENSHOTS")
		var err error
		if dir == "" {
			dir, err = os.MkdirTemp("", "onewindow-screenshots-*")
		} else {
			dir, err = filepath.Abs(dir)
			if err == nil {
				err = os.MkdirAll(dir, 0o755)
			}
		}
		if err != nil {
			t.Fatalf("screenshot folder: %v", err)
		}
		shots.dir = dir
	}
	return shots.dir
}

// tab is one person's browser: its own context, so its own cookies.
type tab struct {
	t    *testing.T
	e    *env
	name string
	ctx  context.Context
}

// open starts a browser context for username ("" for a visitor) and signs in.
func open(t *testing.T, e *env, username string) *tab {
	t.Helper()
	parent := startBrowser(t)
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	name := username
	if name == "" {
		name = "visitor"
	}
	b := &tab{t: t, e: e, name: name, ctx: ctx}
	// Pages follow the browser's language: ask for Chinese, as in a hall.
	b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": "zh-CN,zh;q=0.9"}})
		return err
	}))
	if username != "" {
		b.run(
			chromedp.Navigate(e.base+"/login"),
			chromedp.SendKeys(css(`#username`), username),
			chromedp.SendKeys(css(`#password`), demo.Password),
			chromedp.Click(css(`form[action="/login"] button[type=submit]`)),
			chromedp.WaitVisible(css(`header .who`)),
		)
	}
	return b
}

// css selects the first element matching a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// stepTimeout bounds one step (a few actions): a page that never shows what
// is waited for fails the test quickly instead of hanging it.
const stepTimeout = 20 * time.Second

// run performs actions in order; on failure it saves what the page showed.
func (b *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Title()); err != nil { // the tab exists before a timeout applies
		b.fail(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	for _, a := range actions {
		// A node found by a query can be replaced before it is clicked (the
		// page's scripts redraw it); the click was not sent then, so the
		// action runs again and queries afresh.
		err := chromedp.Do(ctx, a)
		for try := 0; try < 3 && err != nil && strings.Contains(err.Error(), "Could not find node"); try++ {
			time.Sleep(100 * time.Millisecond)
			err = chromedp.Do(ctx, a)
		}
		if err != nil {
			b.fail(err)
		}
	}
}

// waitFor polls a script until it is true, through page loads: unlike
// chromedp's own polling it goes on when the page it asked navigates away
// (a form submitted for a new page), which is what it is waiting for.
func (b *tab) waitFor(script string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script))
		cancel()
		if err == nil && ok {
			return
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	b.fail(fmt.Errorf("waited %s for %s (last error: %v)", stepTimeout, script, lastErr))
}

// get runs one action that returns a value.
func get[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fail(err)
	}
	return v
}

func (b *tab) fail(err error) {
	b.t.Helper()
	if buf, serr := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); serr == nil {
		p := filepath.Join(screenshotDir(b.t), "FAILED-"+b.t.Name()[strings.LastIndex(b.t.Name(), "/")+1:]+"-"+b.name+".png")
		os.WriteFile(p, buf, 0o644)
		b.t.Logf("the page at failure: %s", p)
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	b.t.Fatalf("%s at %s: %v", b.name, loc, err)
}

func (b *tab) goTo(path string, waitFor string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.e.base+path), chromedp.WaitVisible(css(waitFor)))
}

// shot saves a full-page screenshot as PNG.
func (b *tab) shot(name string) {
	b.t.Helper()
	buf := get(b, chromedp.FullScreenshot(100))
	p := filepath.Join(screenshotDir(b.t), name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	shots.Lock()
	shots.count++
	shots.Unlock()
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(get(b, chromedp.Text(css(sel))))
}

func (b *tab) value(sel string) string {
	b.t.Helper()
	return get(b, chromedp.Value(css(sel)))
}

// contains fails unless the element's text holds every part.
func (b *tab) contains(sel string, parts ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, p := range parts {
		if !strings.Contains(got, p) {
			b.t.Errorf("%s: %s shows %q, want it to contain %q", b.name, sel, got, p)
		}
	}
}

// act presses an action's button on the case page and waits for the state
// badge it leads to.
func (b *tab) act(action, state string) {
	b.t.Helper()
	// A final decision's box is ticked first, as its user must.
	get(b, chromedp.Evaluate[bool](`(function () { var c = document.querySelector('form[data-action="`+action+`"] input[name="confirm"]'); if (c) { c.checked = true; } return true; })()`))
	b.run(
		chromedp.Click(css(`form[data-action="`+action+`"] button[type=submit]`)),
		chromedp.WaitVisible(css(`#case .meta .state-`+state)),
	)
}

// acceptAtDesk takes an item for the person at the desk: search by name,
// choose it, enter the applicant (unless the visit already has them), tick
// every required and waivable material, accept. It returns the case number.
func (b *tab) acceptAtDesk(query, code, name, id, shot string) string {
	b.t.Helper()
	it, err := b.e.cat.Published(context.Background(), code)
	if err != nil {
		b.t.Fatal(err)
	}
	b.run(chromedp.WaitVisible(css(`#desk-q`)))
	rows := get(b, chromedp.Evaluate[int](`document.querySelectorAll("#visit-cases tbody tr").length`))
	b.run(
		chromedp.SendKeys(css(`#desk-q`), query),
		chromedp.WaitVisible(css(`#desk-results a[href^="/desk/accept?item=`+code+`"]`)),
		chromedp.Click(css(`#desk-results a[href^="/desk/accept?item=`+code+`"]`)),
		chromedp.WaitVisible(css(`#accept-form`)),
	)
	if got := b.value(`#name`); got == "" {
		b.run(chromedp.SendKeys(css(`#name`), name), chromedp.SendKeys(css(`#id_number`), id))
	} else if got != name {
		b.t.Errorf("the visit's applicant is %q, want %q", got, name)
	}
	for _, m := range it.Materials {
		if m.Requirement != catalog.Optional {
			b.run(chromedp.Click(css(`#m-` + m.Type)))
		}
	}
	if shot != "" {
		b.shot(shot)
	}
	b.run(
		chromedp.Click(css(`#decide-accept`)),
		chromedp.WaitVisible(css(fmt.Sprintf(`#visit-cases tbody tr:nth-child(%d)`, rows+1))),
	)
	return b.text(fmt.Sprintf(`#visit-cases tbody tr:nth-child(%d) td:first-child`, rows+1))
}

// caseID finds the id of a case by number through the service.
func caseID(t *testing.T, e *env, number string) int64 {
	t.Helper()
	c, err := e.svc.GetByNumber(context.Background(), user(t, e, "admin"), number)
	if err != nil {
		t.Fatalf("case %s: %v", number, err)
	}
	return c.ID
}

// Story 1: 于女士 at the 全科社工 window of 青州社区: two items in one visit,
// each decided by its own department, both results issued at her centre,
// and the delivery record's code checks out on the public page.
func TestBrowserStory1GeneralistWindow(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	desk := open(t, e, "qz_quanke")
	subsidy := desk.acceptAtDesk("社会保险补贴", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"), "story1-01-accept-form")
	consult := desk.acceptAtDesk("计划生育", demo.CodeFamilyPlanningConsult, "于秀兰", idOf("yuxiulan"), "")
	desk.contains(`#visit-title`, "于秀兰")
	desk.shot("story1-02-desk-visit-two-items")
	subsidyID, consultID := caseID(t, e, subsidy), caseID(t, e, consult)

	// The receipt of the first case, printed with its QR code.
	desk.run(
		chromedp.Click(css(`#visit-cases tbody tr:first-child a.button`)),
		chromedp.WaitVisible(css(`#document svg.qr`)),
	)
	c, _ := e.svc.Get(context.Background(), user(t, e, "admin"), subsidyID)
	if got := desk.text(`#doc-number`); got != subsidy {
		t.Errorf("receipt number %q, want %q", got, subsidy)
	}
	desk.contains(`#doc-promised`, c.PromisedDue)
	desk.contains(`#doc-officer`, "李春燕")
	desk.contains(`#doc-qr-url`, "/track?code="+desk.text(`#doc-query-code`)+"&number="+subsidy)
	desk.shot("story1-03-acceptance-notice")

	rs := open(t, e, "rs_shenpi")
	rs.goTo("/review", `table.queue`)
	rs.contains(`table.queue`, subsidy)
	rs.shot("story1-04-review-queue")
	rs.run(chromedp.Click(css(fmt.Sprintf(`a[href="/cases/%d"]`, subsidyID))),
		chromedp.WaitVisible(css(`form[data-action="start_review"]`)))
	// Her identity number is masked until the reviewer asks to see it whole.
	rs.contains(`#applicant-id`, ident.MaskID(idOf("yuxiulan")))
	rs.run(chromedp.Click(css(`#reveal-identity button`)), chromedp.WaitVisible(css(`#revealed`)))
	rs.contains(`#applicant-id`, idOf("yuxiulan"))
	rs.act("start_review", "in_review")
	// htmx replaced the case's part in place: the address did not change.
	if loc := get(rs, chromedp.Location()); loc != fmt.Sprintf("%s/cases/%d", e.base, subsidyID) {
		t.Errorf("after the action the page is %s: the page was reloaded instead of updated", loc)
	}
	rs.act("approve", "approved")
	rs.shot("story1-05-reviewer-approved")
	rs.act("prepare_result", "ready_for_issue")

	wj := open(t, e, "wj_shenpi")
	wj.goTo(fmt.Sprintf("/cases/%d", consultID), `form[data-action="approve"]`)
	wj.act("approve", "approved")
	wj.act("prepare_result", "ready_for_issue")

	iss := open(t, e, "qz_chuzheng")
	iss.goTo("/issue", `table.queue`)
	iss.contains(`table.queue`, subsidy, consult)
	iss.shot("story1-06-issue-queue")
	codes := map[int64]string{}
	for _, id := range []int64{subsidyID, consultID} {
		iss.goTo(fmt.Sprintf("/cases/%d", id), `form[data-action="issue"]`)
		iss.collect("于秀兰", idOf("yuxiulan"), "")
		iss.issue()
		codes[id] = iss.text(`#verify-code`)
	}
	iss.goTo(fmt.Sprintf("/cases/%d", subsidyID), `a.doc-link[data-kind="delivery"]`)
	iss.run(chromedp.Click(css(`a.doc-link[data-kind="delivery"]`)), chromedp.WaitVisible(css(`#document svg.qr`)))
	if got := iss.text(`#doc-verify-code`); got != codes[subsidyID] || len(got) != 12 {
		t.Errorf("delivery record code %q, want %q", got, codes[subsidyID])
	}
	iss.contains(`#doc-qr-url`, "/verify/"+codes[subsidyID])
	iss.shot("story1-07-delivery-record")

	visitor := open(t, e, "")
	visitor.goTo("/", `.hero`)
	visitor.shot("story1-08-portal-home")
	visitor.goTo("/verify/"+codes[subsidyID], `.verdict.approved`)
	visitor.contains(`.verdict`, subsidy, "于**", "准予办理")
	visitor.shot("story1-09-public-verification")

	yu := open(t, e, "yuxiulan")
	yu.goTo("/my", `ul.cases`)
	yu.contains(`ul.cases`, subsidy, consult, "已出证")
	yu.shot("story1-10-applicant-my-cases")
}

// Story 2: 周先生's two items at the county hall, accepted at one window; one
// department approves, the other refuses with its reason; the refusal is
// posted and its code verifies as a refusal.
func TestBrowserStory2TwoItemsAtTheCountyHall(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	desk := open(t, e, "hn_qiantai")
	medical := desk.acceptAtDesk("异地就医", demo.CodeMedicalOutOfArea, "周明", idOf("zhouming"), "")
	subsidy := desk.acceptAtDesk("社会保险补贴", demo.CodeSocialInsuranceSubsidy, "周明", idOf("zhouming"), "story2-01-accept-second-item-same-person")
	desk.shot("story2-02-desk-visit")
	medicalID, subsidyID := caseID(t, e, medical), caseID(t, e, subsidy)

	yb := open(t, e, "yb_shenpi")
	yb.goTo("/review", `table.queue`)
	yb.contains(`table.queue`, medical)
	if strings.Contains(yb.text(`table.queue`), subsidy) {
		t.Errorf("the 医保 queue shows the 人社 case %s", subsidy)
	}
	yb.goTo(fmt.Sprintf("/cases/%d", medicalID), `form[data-action="approve"]`)
	yb.act("approve", "approved")
	yb.act("prepare_result", "ready_for_issue")

	rs := open(t, e, "rs_shenpi")
	rs.goTo(fmt.Sprintf("/cases/%d", subsidyID), `form[data-action="refuse"]`)
	rs.run(chromedp.SendKeys(css(`#reasons-refuse`), "不符合补贴申领条件：未登记失业"))
	rs.act("refuse", "refused")
	rs.contains(`#case .reasons`, "未登记失业")
	rs.shot("story2-03-refused-with-reason")
	rs.act("prepare_result", "ready_for_issue")

	iss := open(t, e, "hn_chuzheng")
	iss.goTo(fmt.Sprintf("/cases/%d", subsidyID), `form[data-action="issue"]`)
	iss.run(chromedp.Click(css(`#method-post`)), chromedp.SendKeys(css(`#address`), "辉南县朝阳镇幸福路1号"))
	iss.act("issue", "issued")
	code := iss.text(`#verify-code`)
	iss.goTo(fmt.Sprintf("/cases/%d", medicalID), `form[data-action="issue"]`)
	iss.collect("周丽", idOf("yuxiulan"), "授权委托书（周明）")
	iss.issue()
	iss.goTo(fmt.Sprintf("/cases/%d/documents/delivery", subsidyID), `#document svg.qr`)
	iss.contains(`#document`, "辉南县朝阳镇幸福路1号", "未登记失业")
	iss.shot("story2-04-delivery-record-by-post")

	visitor := open(t, e, "")
	visitor.goTo("/verify?code="+strings.ToLower(code), `.verdict.refused`)
	visitor.contains(`.verdict`, subsidy, "不予办理", "周*")
	visitor.shot("story2-05-verification-of-a-refusal")
}

// Story 3: 何经奇 registers out-of-area medical treatment at his street's
// centre; the result is sent electronically and the case closed; he follows
// it on his phone, in large text and in English.
func TestBrowserStory3MedicalInsuranceAtTheStreetCentre(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	desk := open(t, e, "dh_qiantai")
	number := desk.acceptAtDesk("医保异地就医备案", demo.CodeMedicalOutOfArea, "何经奇", idOf("hejingqi"), "")
	id := caseID(t, e, number)

	yb := open(t, e, "yb_shenpi")
	yb.goTo(fmt.Sprintf("/cases/%d", id), `form[data-action="start_review"]`)
	yb.act("start_review", "in_review")
	yb.act("approve", "approved")

	iss := open(t, e, "dh_chuzheng")
	iss.goTo("/issue", `table.queue`)
	iss.contains(`table.queue`, number)
	iss.goTo(fmt.Sprintf("/cases/%d", id), `form[data-action="prepare_result"]`)
	iss.act("prepare_result", "ready_for_issue")
	iss.run(chromedp.Click(css(`#method-electronic`)))
	iss.act("issue", "issued")
	iss.act("close", "closed")
	iss.contains(`ol.history`, "受理", "准予", "出证", "办结")
	iss.shot("story3-01-closed-case-history")

	he := open(t, e, "hejingqi")
	he.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	he.goTo("/my", `ul.cases`)
	he.contains(`ul.cases`, number, "已办结")
	he.run(chromedp.Click(css(`button[name="text"][value="large"]`)), chromedp.WaitVisible(css(`html.large ul.cases`)))
	he.shot("story3-02-phone-large-text")
	he.run(chromedp.Click(css(`button[name="lang"][value="en"]`)), chromedp.WaitVisible(css(`html[lang="en"] ul.cases`)))
	he.contains(`ul.cases`, number, "Closed")
	he.run(chromedp.Click(css(`ul.cases a`)), chromedp.WaitVisible(css(`#case`)))
	he.contains(`#case`, "outside the insured area", "Closed")
	he.shot("story3-03-phone-case-in-english")
}

// An applicant applies online with an upload; the case page tells at once
// everything still missing; the desk's one-time notice prints with its QR code.
// searchSettled waits until the portal's live search has answered query
// itself: each keystroke may start a search, and a result list swapped in
// (with its address pushed) while a link of the previous list is being
// clicked would cancel the click's navigation.
func searchSettled(query string) chromedp.Action[chromedp.Void] {
	q, _ := json.Marshal(query)
	return chromedp.Poll[chromedp.Void](`new URLSearchParams(location.search).get("q") === `+string(q)+
		` && !document.querySelector(".htmx-request")`, chromedp.WithPollingTimeout(stepTimeout))
}

func TestBrowserOnlineApplicationAndOneTimeNotice(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	png := filepath.Join(t.TempDir(), "id.png")
	if err := os.WriteFile(png, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...), 0o644); err != nil {
		t.Fatal(err)
	}
	yu := open(t, e, "yuxiulan")
	yu.goTo("/items", `#q`)
	yu.run(chromedp.SendKeys(css(`#q`), "社会保险补贴申领"), searchSettled("社会保险补贴申领"),
		chromedp.WaitVisible(css(`#results a[href="/apply/`+demo.CodeSocialInsuranceSubsidy+`"]`)))
	yu.shot("online-01-catalogue-search")
	yu.run(chromedp.Click(css(`#results a[href="/apply/`+demo.CodeSocialInsuranceSubsidy+`"]`)),
		chromedp.WaitVisible(css(`#file_id_card`)),
		chromedp.SetUploadFiles(css(`#file_id_card`), []string{png}),
		chromedp.SetValue(css(`#point`), demo.QingzhouCentre),
	)
	yu.shot("online-02-apply-form")
	yu.run(chromedp.Click(css(`button[name="submit"][value="1"]`)), chromedp.WaitVisible(css(`#confirmation`)),
		chromedp.Click(css(`#confirm-case`)), chromedp.WaitVisible(css(`#one-time-notice`)))
	yu.contains(`#one-time-notice`, "社会保险补贴申请表", "就业创业证", "社会保险缴费凭证")
	yu.contains(`table.materials`, "id.png")
	yu.shot("online-03-one-time-notice")
	number := yu.text(`#case-number`)
	id := caseID(t, e, number)

	desk := open(t, e, "qz_quanke")
	desk.goTo("/desk", `#waiting-title`)
	desk.contains(`#waiting-title + ul`, number)
	desk.goTo(fmt.Sprintf("/cases/%d", id), `#desk-panel`)
	desk.run(chromedp.Click(css(`#decide-notify_missing`)), chromedp.Click(css(`#decide-submit`)))
	desk.waitFor(`document.querySelector("#case .meta .state-supplement_required") !== null`)
	desk.run(chromedp.Click(css(`a.doc-link[data-kind="missing"]`)), chromedp.WaitVisible(css(`#document svg.qr`)))
	desk.contains(`#document`, "一次性告知书", "社会保险补贴申请表", number)
	desk.shot("online-04-one-time-notice-printed")
}

// The display board of 青州社区 follows the hall live: a front desk signs in
// at window 01 and calls the next person, and the board shows the number at
// that window and one fewer waiting, without being reloaded.
func TestBrowserBoardFollowsCalls(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	board := open(t, e, "")
	board.goTo("/board/"+demo.QingzhouCentre, `#board-live`)
	board.contains(`#calling-empty`, "暂无叫号")

	first, second := e.takeTicket(t, "A"), e.takeTicket(t, "A")
	waitingA := `document.querySelector('[data-category="A"]').textContent.trim()`
	board.run(chromedp.Poll[chromedp.Void](waitingA+` === "2"`, chromedp.WithPollingTimeout(stepTimeout)))

	// Somebody at the board switches the voice on (off by default): the
	// browser's speech synthesis is stubbed to note what it is asked to say.
	board.contains(`#board-voice[aria-pressed="false"]`, "语音叫号")
	get(board, chromedp.Evaluate[bool](`window.said = []; window.speechSynthesis.speak = u => window.said.push(u.lang + " " + u.text); true`))
	board.run(chromedp.Click(css(`#board-voice`)), chromedp.WaitVisible(css(`#board-voice[aria-pressed="true"]`)))

	desk := open(t, e, "qz_quanke")
	desk.goTo("/desk", `form[action="/desk/windows/01/sign-in"]`)
	desk.run(
		chromedp.Click(css(`form[action="/desk/windows/01/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(css(`#call-next`)),
		chromedp.Click(css(`#call-next`)),
		chromedp.WaitVisible(css(`#ticket`)),
	)
	desk.contains(`#ticket`, first.Number)
	desk.shot("board-01-desk-called")

	board.run(chromedp.WaitVisible(css(`#calling li[data-number="` + first.Number + `"]`)))
	board.contains(`#calling li:first-child .window`, "01")
	said := get(board, chromedp.Evaluate[string](`window.said.join("|")`))
	if want := "zh-CN 请 " + first.Number + " 号到 01 号窗口"; !strings.Contains(said, want) {
		t.Errorf("the board said %q, want %q", said, want)
	}
	board.run(chromedp.Poll[chromedp.Void](waitingA+` === "1"`, chromedp.WithPollingTimeout(stepTimeout)))
	if got := board.text(`#calling`); strings.Contains(got, second.Number) {
		t.Errorf("the board shows %s, which nobody called", second.Number)
	}
	board.shot("board-02-number-called")
}

// The hall manager's charts draw from the numbers page (ECharts under the
// pages' content policy), and the coverage map draws offline.
func TestBrowserHallTodayAndCoverageMap(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	for range 3 {
		e.takeTicket(t, "A")
	}
	manager := open(t, e, "qz_dating")
	manager.goTo("/hall/today", `#hall-today`)
	manager.run(
		chromedp.WaitVisible(css(`#hall-today[data-loaded="true"]`)),
		chromedp.WaitVisible(css(`#chart-hours canvas`)),
	)
	manager.contains(`[data-stat="tickets"]`, "3")
	manager.shot("hall-01-today")

	admin := open(t, e, "admin")
	admin.goTo("/admin/coverage?service=medical-insurance&minutes=15&region=220523", `#coverage-map circle`)
	admin.shot("coverage-01-map")
}
