package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
)

// The applicant's way through the portal, on a desktop in English and on a
// phone in Chinese: the guide says whom an item serves and turns a person
// away from an item for enterprises before any upload; applying, a file
// refused for its type does not lose the good one beside it; sending leads
// to the confirmation with the number, the due date and what happens next;
// a missing material links to its upload control, which is on screen on a
// phone; and the guide's 预约 button opens booking with the item chosen.
func TestBrowserApplicantAppliesAndIsConfirmed(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	dir := t.TempDir()
	png, bad := filepath.Join(dir, "id.png"), filepath.Join(dir, "cert.txt")
	if err := os.WriteFile(png, pngFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("not a scan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, run := range []struct {
		lang          string
		width, height int64
		audience      string
		kept          string
		next          string
	}{
		{"en", 1366, 900, "Enterprises and other organisations", "Uploaded: id.png", "What happens next"},
		{"zh", 390, 844, "企业法人", "已上传：id.png", "接下来会怎样"},
	} {
		t.Run(run.lang, func(t *testing.T) {
			yu := open(t, e, "yuxiulan")
			yu.run(chromedp.EmulateViewport(run.width, run.height))
			yu.setPrefs(run.lang, false)
			yu.goTo("/items/"+demo.CodeBusinessLicence, `#audience`)
			yu.contains(`#audience`, run.audience)
			yu.run(chromedp.WaitVisible(css(`#not-for-you`)))
			if n := get(yu, chromedp.Evaluate[int](`document.querySelectorAll("#apply-online").length`)); n != 0 {
				t.Errorf("a person is offered to apply for an item for enterprises")
			}
			yu.goTo("/apply/"+demo.CodeBusinessLicence, `#apply-refused`)
			if n := get(yu, chromedp.Evaluate[int](`document.querySelectorAll("input[type=file]").length`)); n != 0 {
				t.Errorf("the refused application still has %d upload controls", n)
			}
			yu.shot("applicant-01-refused-" + run.lang)

			// The guide: steps, common questions (opened with a tap), forms to download.
			yu.goTo("/items/"+demo.CodeSocialInsuranceSubsidy, `#apply-online`)
			yu.run(chromedp.WaitVisible(css(`#steps ol li`)), chromedp.WaitVisible(css(`#downloads a[data-kind="sample"]`)),
				chromedp.Click(css(`#faq details summary`)), chromedp.WaitVisible(css(`#faq details[open] p`)))
			noSidewaysScroll(t, yu)
			yu.shot("applicant-00-guide-" + run.lang)
			yu.run(chromedp.Click(css(`#apply-online`)), chromedp.WaitVisible(css(`#file_id_card`)),
				chromedp.SetUploadFiles(css(`#file_id_card`), []string{png}),
				chromedp.SetUploadFiles(css(`#file_employment_certificate`), []string{bad}),
				chromedp.SetValue(css(`#point`), demo.QingzhouCentre),
				chromedp.Click(css(`button[name="submit"][value="1"]`)),
				chromedp.WaitVisible(css(`#kept-id_card`)))
			yu.contains(`#kept-id_card`, run.kept)
			noSidewaysScroll(t, yu)
			yu.shot("applicant-02-kept-" + run.lang)
			yu.run(chromedp.Click(css(`button[name="submit"][value="1"]`)), chromedp.WaitVisible(css(`#confirmation`)))
			number := yu.text(`#confirm-number`)
			if !strings.HasPrefix(number, "HNZWFW-") && !strings.Contains(number, "-") {
				t.Errorf("the confirmation shows the number %q", number)
			}
			if due := yu.text(`#confirm-due`); len(due) != len("2006-01-02") {
				t.Errorf("the confirmation shows the due date %q", due)
			}
			yu.contains(`#what-next`, run.next)
			noSidewaysScroll(t, yu)
			yu.shot("applicant-03-confirmation-" + run.lang)

			// The missing employment certificate leads to its upload control,
			// on screen even on a phone.
			yu.run(chromedp.Click(css(`#confirm-missing a[href$="#up-employment_certificate"]`)),
				chromedp.WaitVisible(css(`#one-time-notice a[href="#up-employment_certificate"]`)))
			yu.contains(`table.materials`, "id.png")
			yu.run(chromedp.Click(css(`#one-time-notice a[href="#up-employment_certificate"]`)))
			yu.waitFor(`location.hash === "#up-employment_certificate"`)
			inside := get(yu, chromedp.Evaluate[bool](`(function () {
				var r = document.getElementById("up-employment_certificate").getBoundingClientRect();
				return r.left >= 0 && r.right <= window.innerWidth && r.width > 0;
			})()`))
			if !inside {
				t.Errorf("the upload control of the missing material is cut off at %d px", run.width)
			}
			noSidewaysScroll(t, yu)
			yu.shot("applicant-04-upload-control-" + run.lang)

			// 预约 from the guide: the booking page knows the item.
			yu.goTo("/items/"+demo.CodeSocialInsuranceSubsidy, `#book-visit`)
			yu.run(chromedp.Click(css(`#book-visit`)), chromedp.WaitVisible(css(`#booking-item`)))
			yu.contains(`#booking-item`, map[string]string{"en": "Social insurance subsidy", "zh": "社会保险补贴申领"}[run.lang])
			if got := get(yu, chromedp.Evaluate[string](`document.querySelector('#choose-point input[name="item"]').value`)); got != demo.CodeSocialInsuranceSubsidy {
				t.Errorf("booking from the guide carries the item %q", got)
			}
		})
	}
}

// noSidewaysScroll fails when the page is wider than the window.
func noSidewaysScroll(t *testing.T, b *tab) {
	t.Helper()
	if wide := get(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); wide {
		t.Errorf("%s: the page scrolls sideways", get(b, chromedp.Location()))
	}
}

// A bundle applied for online, on a phone in Chinese and on a desktop in
// English: the applicant answers the one form and sends it; the county
// hall's front desk ticks the materials on the bundle case's page and
// accepts it.
func TestBrowserBundleAppliedOnline(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	def, err := e.cat.PublishedBundle(context.Background(), demo.BundleNewborn)
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.cat.Guide(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []struct {
		lang          string
		width, height int64
		sent          string
	}{
		{"zh", 390, 844, "一件事申请已提交"},
		{"en", 1366, 900, "Your bundle application was sent"},
	} {
		t.Run(run.lang, func(t *testing.T) {
			zm := open(t, e, "zhouming")
			zm.run(chromedp.EmulateViewport(run.width, run.height))
			zm.setPrefs(run.lang, false)
			zm.goTo("/bundles", `#apply-bundle-`+demo.BundleNewborn)
			zm.run(chromedp.Click(css(`#apply-bundle-`+demo.BundleNewborn)), chromedp.WaitVisible(css(`#bundle-online-form`)))
			noSidewaysScroll(t, zm)
			for _, f := range g.Fields {
				sel := "#f_" + f.Key
				if zm.value(sel) != "" {
					continue // filled in from the account
				}
				switch {
				case len(f.Options) > 0:
					zm.run(chromedp.SetValue(css(sel), f.Options[0]))
				case f.Type == "date":
					zm.run(chromedp.SetValue(css(sel), "2026-11-01"))
				default:
					zm.run(chromedp.SendKeys(css(sel), "长春市绿园区青州街1号"))
				}
			}
			zm.shot("bundle-online-01-form-" + run.lang)
			zm.run(chromedp.Click(css(`#bundle-send`)), chromedp.WaitVisible(css(`#bundle-case[data-state="submitted"]`)))
			zm.contains(`main`, run.sent)
			noSidewaysScroll(t, zm)
			zm.shot("bundle-online-02-sent-" + run.lang)
			loc := get(zm, chromedp.Location())
			path := loc[strings.Index(loc, "/bundle-cases/"):]
			path = strings.SplitN(path, "?", 2)[0]

			desk := open(t, e, "hn_qiantai")
			desk.run(chromedp.EmulateViewport(run.width, run.height))
			desk.setPrefs(run.lang, false)
			desk.goTo(path, `#bundle-check`)
			for _, m := range g.Materials {
				desk.run(chromedp.Click(css(`#m-` + m.Type)))
			}
			desk.run(chromedp.Click(css(`#bundle-accept`)), chromedp.WaitVisible(css(`#bundle-case[data-state="accepted"]`)))
			noSidewaysScroll(t, desk)
			desk.shot("bundle-online-03-accepted-" + run.lang)
		})
	}
}

// Booking a visit, the item is found by pinyin initials or by words and
// chosen from the results, on a phone in Chinese and on a desktop in
// English; slots that have begun are not offered.
func TestBrowserBookingPicksItemBySearch(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	begun := e.slotsAt(t, demo.QingzhouCentre, hallToday, 2)[0]
	later := hallClock.AddDate(0, 0, 2).Format("2006-01-02")
	for _, run := range []struct {
		lang          string
		width, height int64
		query         string
		item          string
		day           string
	}{
		{"zh", 390, 844, "sbk", demo.CodeSocialSecurityCard, hallTomorrow},
		{"en", 1366, 900, "社会保险补贴", demo.CodeSocialInsuranceSubsidy, later},
	} {
		slots := e.slotsAt(t, demo.QingzhouCentre, run.day, 4)
		t.Run(run.lang, func(t *testing.T) {
			yu := open(t, e, "yuxiulan")
			yu.run(chromedp.EmulateViewport(run.width, run.height))
			yu.setPrefs(run.lang, false)
			yu.goTo("/appointments/book?point="+demo.QingzhouCentre+"&day="+hallToday, `#choose-point`)
			if n := get(yu, chromedp.Evaluate[int](`document.querySelectorAll("#slot-`+strconv.FormatInt(begun.ID, 10)+`").length`)); n != 0 {
				t.Errorf("today's page offers the slot at %s, which has begun", begun.Starts)
			}
			yu.goTo("/appointments/book?point="+demo.QingzhouCentre+"&day="+run.day, `#book-form`)
			slotSel := `#slot-` + strconv.FormatInt(slots[0].ID, 10)
			pick := `#pick-` + run.item
			yu.run(chromedp.Click(css(slotSel)), chromedp.SendKeys(css(`#item`), run.query), chromedp.WaitVisible(css(pick)),
				chromedp.Click(css(pick)))
			noSidewaysScroll(t, yu)
			yu.shot("booking-picker-" + run.lang)
			yu.run(chromedp.Click(css(`#book`)), chromedp.WaitVisible(css(`#appt-code`)))
			if loc := get(yu, chromedp.Location()); !strings.Contains(loc, "item="+run.item) {
				t.Errorf("the booking's confirmation is %s, want it for %s", loc, run.item)
			}
		})
	}
}
