package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/store/storetest"
)

// 免提交 on the portal, in English on a desktop and in Chinese on a phone:
// 吉林化纤, holding a 营业执照, applies for the food business licence and
// ticks the consent box instead of uploading it; the confirmation lists the
// material as provided by the licence and does not ask for it, and the case
// page shows it provided by the electronic licence.
func TestBrowserApplyWithLicenceConsent(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	startBrowser(t)
	l := e.issuedBusinessLicence(t)
	png := filepath.Join(t.TempDir(), "form.png")
	if err := os.WriteFile(png, pngFile, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, run := range []struct {
		lang          string
		width, height int64
		offer, byLic  string
		source        string
	}{
		{"en", 1366, 900, "instead of uploading", "Provided by electronic licence", "electronic licence (not handed in again)"},
		{"zh", 390, 844, "代替上传", "以电子证照提供（免提交）", "电子证照（免提交）"},
	} {
		t.Run(run.lang, func(t *testing.T) {
			hx := open(t, e, "jlhx")
			hx.run(chromedp.EmulateViewport(run.width, run.height))
			hx.setPrefs(run.lang, false)
			hx.goTo("/apply/"+demo.CodeFoodBusinessLicence, `#offer-business_licence`)
			hx.contains(`#offer-business_licence`, run.offer, l.Number)
			noSidewaysScroll(t, hx)
			hx.run(chromedp.Click(css(`#licence_business_licence`)),
				chromedp.SetUploadFiles(css(`#file_application_form`), []string{png}))
			hx.shot("licence-apply-01-consent-" + run.lang)
			hx.run(chromedp.Click(css(`button[name="submit"][value="1"]`)), chromedp.WaitVisible(css(`#confirm-by-licence`)))
			hx.contains(`#confirm-by-licence`, run.byLic, l.Number)
			if asked := get(hx, chromedp.Evaluate[bool](`document.querySelector("#confirm-missing").textContent.includes("营业执照")`)); asked {
				t.Errorf("the confirmation still asks for the business licence")
			}
			noSidewaysScroll(t, hx)
			hx.shot("licence-apply-02-confirmation-" + run.lang)
			hx.run(chromedp.Click(css(`#confirm-case`)), chromedp.WaitVisible(css(`table.materials`)))
			hx.contains(`table.materials`, run.source, l.Number)
			noSidewaysScroll(t, hx)
			hx.shot("licence-apply-03-case-" + run.lang)
		})
	}
}

// sentWithLicence sends, as 吉林化纤 (which must hold a 营业执照), a food
// business licence application whose business licence the licence provides,
// and returns the case's id.
func sentWithLicence(t *testing.T, e *env) int64 {
	t.Helper()
	ctx := context.Background()
	hx := user(t, e, "jlhx")
	c, err := e.svc.Create(ctx, hx, cases.CreateRequest{Item: demo.CodeFoodBusinessLicence})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.lic.Use(ctx, hx, c.ID, licence.UseRequest{Material: "business_licence", Consent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(ctx, hx, c.ID, cases.Submit, cases.ActRequest{}); err != nil {
		t.Fatal(err)
	}
	return c.ID
}
