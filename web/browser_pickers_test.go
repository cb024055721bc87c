package web_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store/storetest"
)

// pickerRuns are the languages and screens the picker stories run in.
var pickerRuns = []struct {
	lang          string
	width, height int64
}{{"zh", 390, 844}, {"en", 1366, 900}, {"zh", 1366, 900}, {"en", 390, 844}}

// onlyItem returns the code of the one published item a query finds.
func onlyItem(t *testing.T, e *env, query string) string {
	t.Helper()
	items, _, err := e.cat.Search(context.Background(), catalog.Filter{Query: query})
	if err != nil || len(items) != 1 {
		t.Fatalf("%q finds %d items (%v), want one", query, len(items), err)
	}
	return items[0].Code
}

// An administrator builds a 一件事 by typing pinyin initials into each
// member's search box and choosing the item found, ticks the prerequisite
// among the members, and saves: the members are saved and shown by name.
// Then a hall manager adds an item to a member of staff's skills the same
// way. In Chinese and English, on a phone and on a desktop.
func TestBrowserPickersForBundlesAndSkills(t *testing.T) {
	e := newEnvAt(t, storetest.SQLite(t), hallClock)
	startBrowser(t)
	ctx := context.Background()
	first, second := onlyItem(t, e, "csyxzmqf"), onlyItem(t, e, "yfjzzbl")
	skillQueries := []string{"csyxzmqf", "yfjzzbl", "cshkdj", "csyxzmbf"}
	issuer := e.id(t, "qz_chuzheng")
	for i, run := range pickerRuns {
		name := fmt.Sprintf("%s-%d", run.lang, run.width)
		t.Run("bundle-"+name, func(t *testing.T) {
			admin := open(t, e, "admin")
			admin.run(chromedp.EmulateViewport(run.width, run.height))
			admin.setPrefs(run.lang, false)
			admin.goTo("/admin/bundles/new", `#bundle-form`)
			code := "YJS-PICK-" + strings.ToUpper(run.lang) + strconv.FormatInt(run.width, 10)
			admin.run(chromedp.SendKeys(css(`#code`), code), chromedp.SendKeys(css(`#name`), "拼音选择"+name),
				chromedp.SetValue(css(`#lead_department`), demo.DeptHealth),
				chromedp.SendKeys(css(`#b0_item-q`), "csyxzmqf"), chromedp.WaitVisible(css(`#b0_item-`+first)), chromedp.Click(css(`#b0_item-`+first)),
				chromedp.SendKeys(css(`#b1_item-q`), "yfjzzbl"), chromedp.WaitVisible(css(`#b1_item-`+second)), chromedp.Click(css(`#b1_item-`+second)))
			noSidewaysScroll(t, admin)
			admin.shot("bundle-picker-" + name)
			admin.run(chromedp.Click(css(`#save-bundle`)))
			admin.waitFor(`location.search.includes("done=saved") && !!document.querySelector("#b1_item-` + second + `:checked")`)
			draft, err := e.cat.BundleVersion(ctx, code, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(draft.Members) != 2 || draft.Members[0].Item != first || draft.Members[1].Item != second {
				t.Fatalf("saved members %+v", draft.Members)
			}
			// The prerequisite is ticked among the other members, by name, and saved.
			// A mark on the window: gone once the saved page has replaced this one.
			get(admin, chromedp.Evaluate[bool](`window.beforeSave = true`))
			admin.run(chromedp.Click(css(`#b1_dep-`+first)), chromedp.Click(css(`#save-bundle`)))
			admin.waitFor(`!window.beforeSave && location.search.includes("done=saved") && !!document.querySelector("#b1_dep-` + first + `:checked")`)
			if draft, err = e.cat.BundleVersion(ctx, code, 1); err != nil || !slices.Equal(draft.Members[1].DependsOn, []string{first}) {
				t.Fatalf("prerequisites saved as %+v (%v)", draft.Members, err)
			}
			label := admin.text(`label[for="b1_dep-` + first + `"]`)
			if want := map[string]string{"zh": "出生医学证明签发", "en": "Medical birth certificate issue"}[run.lang]; label != want {
				t.Errorf("the prerequisite is labelled %q, want %q", label, want)
			}
			noSidewaysScroll(t, admin)
		})
		t.Run("skills-"+name, func(t *testing.T) {
			want := onlyItem(t, e, skillQueries[i])
			m := open(t, e, "qz_dating")
			m.run(chromedp.EmulateViewport(run.width, run.height))
			m.setPrefs(run.lang, false)
			m.goTo("/hall/roster?week="+hallToday, `#skill-`+issuer)
			box, choice := `#items-`+issuer+`-q`, `#items-`+issuer+`-`+want
			m.run(chromedp.ScrollIntoView(css(box)), chromedp.SendKeys(css(box), skillQueries[i]), chromedp.WaitVisible(css(choice)), chromedp.Click(css(choice)))
			noSidewaysScroll(t, m)
			m.shot("skills-picker-" + name)
			m.run(chromedp.Click(css(`#skill-` + issuer + ` button[type=submit]`)))
			m.waitFor(`location.search.includes("done=skill") && !!document.querySelector("` + choice + `:checked")`)
			skills, err := e.hall.Skills(ctx, user(t, e, "qz_dating"), demo.QingzhouCentre)
			if err != nil {
				t.Fatal(err)
			}
			k := slices.IndexFunc(skills, func(s hall.Skill) bool { return strconv.FormatInt(s.UserID, 10) == issuer })
			if k < 0 || !slices.Contains(skills[k].Items, want) {
				t.Fatalf("the issuer's skill after choosing %s: %+v", want, skills)
			}
		})
	}
}
