package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/store/storetest"
)

// A bundle end to end in both languages, on a phone and on a desktop: the
// applicant applies online with a file for one material (a refused file
// beside it loses nothing); the county hall's desk sends the one-time
// notice; the applicant uploads the rest on the bundle's page; the desk
// confirms 材料已补齐 and accepts; the departments decide; the issuing
// window issues every result with the collector and a photo of the signed
// slip, which each member case then shows.
func TestBrowserBundleSupplyAndCollector(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	startBrowser(t)
	def, err := e.cat.PublishedBundle(context.Background(), demo.BundleNewborn)
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.cat.Guide(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	png, bad, slip := filepath.Join(dir, "scan.png"), filepath.Join(dir, "note.txt"), filepath.Join(dir, "slip.png")
	for name, data := range map[string][]byte{png: pngFile, bad: []byte("not a scan\n"), slip: signatureImage(t)} {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first, second := g.Materials[0].Type, g.Materials[1].Type
	for _, run := range []struct {
		lang          string
		width, height int64
		size          string
		kept, files   string
	}{
		{"zh", 390, 844, "phone", "已上传：scan.png", "已上传的材料"},
		{"en", 1366, 900, "desktop", "Uploaded: scan.png", "Files uploaded"},
		{"en", 390, 844, "phone", "Uploaded: scan.png", "Files uploaded"},
		{"zh", 1366, 900, "desktop", "已上传：scan.png", "已上传的材料"},
	} {
		t.Run(run.lang+"-"+run.size, func(t *testing.T) {
			shot := func(c *tab, name string) {
				c.shot("bundle-supply-" + name + "-" + run.size + "-" + run.lang)
			}
			zm := open(t, e, "zhouming")
			zm.run(chromedp.EmulateViewport(run.width, run.height))
			zm.setPrefs(run.lang, false)
			zm.goTo("/bundles/"+demo.BundleNewborn+"/apply", `#bundle-online-form`)
			for _, f := range g.Fields {
				sel := "#f_" + f.Key
				if zm.value(sel) != "" {
					continue
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
			zm.run(chromedp.SetUploadFiles(css(`#file_`+first), []string{png}), chromedp.SetUploadFiles(css(`#file_`+second), []string{bad}),
				chromedp.Click(css(`#bundle-send`)), chromedp.WaitVisible(css(`#kept-`+first)))
			zm.contains(`#kept-`+first, run.kept)
			noSidewaysScroll(t, zm)
			shot(zm, "01-kept")
			zm.run(chromedp.Click(css(`#bundle-send`)), chromedp.WaitVisible(css(`#bundle-case[data-state="submitted"]`)))
			zm.contains(`#bundle-files`, g.Materials[0].Name)
			loc := get(zm, chromedp.Location())
			path := strings.SplitN(loc[strings.Index(loc, "/bundle-cases/"):], "?", 2)[0]

			desk := open(t, e, "hn_qiantai")
			desk.run(chromedp.EmulateViewport(run.width, run.height))
			desk.setPrefs(run.lang, false)
			desk.goTo(path, `#bundle-check`)
			desk.contains(`main`, run.files)
			desk.run(chromedp.Click(css(`#bundle-notify`)), chromedp.WaitVisible(css(`#bundle-case[data-state="supplement_required"]`)),
				chromedp.WaitVisible(css(`#bundle-supplement`)))
			noSidewaysScroll(t, desk)
			shot(desk, "02-notice")

			zm.goTo(path, `#bundle-supply`)
			for _, m := range g.Materials[1:] {
				if m.Requirement != catalog.Optional {
					zm.run(chromedp.SetUploadFiles(css(`#file_`+m.Type), []string{png}))
				}
			}
			noSidewaysScroll(t, zm)
			shot(zm, "03-supply")
			zm.run(chromedp.Click(css(`#bundle-supply-send`)), chromedp.WaitVisible(css(`#bundle-case[data-state="received"]`)))

			desk.goTo(path, `#bundle-accept`)
			desk.run(chromedp.Click(css(`#bundle-accept`)), chromedp.WaitVisible(css(`#bundle-case[data-state="accepted"]`)))
			shot(desk, "04-accepted")

			id, err := strconv.ParseInt(strings.TrimPrefix(path, "/bundle-cases/"), 10, 64)
			if err != nil {
				t.Fatalf("bundle page %q", path)
			}
			for {
				b, _ := memberStates(t, e, id)
				next := ""
				for _, m := range b.Members {
					if m.CaseID != nil && m.State != cases.ReadyForIssue {
						next = m.Item
						break
					}
				}
				if next == "" {
					break
				}
				readyMember(t, e, id, next)
			}

			iss := open(t, e, "hn_chuzheng")
			iss.run(chromedp.EmulateViewport(run.width, run.height))
			iss.setPrefs(run.lang, false)
			iss.goTo(path, `#bundle-issue`)
			iss.run(chromedp.WaitVisible(css(`#collector`)), chromedp.SendKeys(css(`#name`), "周明"), chromedp.SendKeys(css(`#id_number`), idOf("zhouming")),
				chromedp.SetUploadFiles(css(`#signature`), []string{slip}))
			noSidewaysScroll(t, iss)
			shot(iss, "05-issue")
			iss.run(chromedp.Click(css(`#bundle-issue button[type="submit"]`)), chromedp.WaitVisible(css(`#bundle-case[data-state="issued"]`)))
			b, _ := memberStates(t, e, id)
			for _, m := range b.Members {
				iss.goTo("/cases/"+itoa(*m.CaseID), `#collector-record`)
				iss.contains(`#collector-record`, "周明")
			}
			shot(iss, "06-collector")
		})
	}
}
