package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
)

// An administrator creates an item in the browser (adding a material row on
// the way, and correcting a mistake the form points out), publishes it, and
// a visitor finds it with the portal's search.
func TestBrowserAdministratorCreatesAnItem(t *testing.T) {
	e := sqliteEnv(t)
	startBrowser(t)
	const code, name = "220523-BROWSER-0001", "高龄老人营养补贴测试事项"

	admin := open(t, e, "admin")
	admin.goTo("/admin/items", `#new-item`)
	admin.run(
		chromedp.Click(css(`#new-item`)),
		chromedp.WaitVisible(css(`#item-form`)),
		chromedp.SendKeys(css(`#code`), code),
		chromedp.SendKeys(css(`#base_code`), "000508001000"),
		chromedp.SendKeys(css(`#name`), name),
		chromedp.SendKeys(css(`#name_en`), "Nutrition allowance for the very old (test)"),
		chromedp.SetValue(css(`#type`), "05"),
		chromedp.SetValue(css(`#department`), demo.DeptCivilAffairs),
		chromedp.Click(css(`#level-4`)),
		chromedp.Click(css(`#level-5`)),
		chromedp.SetValue(css(`#legal_limit_days`), "20"),
		chromedp.SetValue(css(`#promised_limit_days`), "30"), // more than the legal limit: the form says so
		chromedp.SetValue(css(`#visits`), "1"),
		chromedp.Click(css(`#depth-consult`)),
		chromedp.Click(css(`#depth-receive`)),
		chromedp.SendKeys(css(`#life_events`), "养老"),
		chromedp.SendKeys(css(`#result_name`), "补贴发放通知"),
		chromedp.SendKeys(css(`#m0_name`), "居民身份证"),
		chromedp.SendKeys(css(`#m0_type`), "id_card"),
		chromedp.SetValue(css(`#m0_originals`), "1"),
		chromedp.SendKeys(css(`#m1_name`), "户口簿"),
		chromedp.SendKeys(css(`#m1_type`), "household_register"),
		chromedp.SendKeys(css(`#m2_name`), "银行账户信息"),
		chromedp.SendKeys(css(`#m2_type`), "bank_account"),
		chromedp.SetValue(css(`#m2_requirement`), "waivable"),
		// A fourth material needs another row.
		chromedp.Click(css(`#add-material`)),
		chromedp.WaitVisible(css(`#m5_name`)),
		chromedp.SendKeys(css(`#m3_name`), "年龄证明"),
		chromedp.SendKeys(css(`#m3_type`), "age_proof"),
	)
	if got := admin.value(`#m2_name`); got != "银行账户信息" {
		t.Errorf("adding a row lost the third material: %q", got)
	}
	admin.run(
		chromedp.Click(css(`#save-draft`)),
		chromedp.WaitVisible(css(`#problem`)),
	)
	admin.contains(`#item-form`, "承诺时限不能超过法定时限")
	admin.shot("admin-01-new-item-problem")
	admin.run(
		chromedp.SetValue(css(`#promised_limit_days`), "10"),
		chromedp.Click(css(`#save-draft`)),
		chromedp.WaitVisible(css(`#publish-draft`)),
	)
	admin.contains(`.flash`, "已新建事项")
	admin.contains(`#item-versions`, "v1", "草稿")
	admin.shot("admin-02-new-item-draft")
	admin.run(
		chromedp.Click(css(`#publish-draft`)),
		chromedp.WaitVisible(css(`#item-versions li[data-status="published"]`)),
	)
	admin.contains(`.flash`, "已发布")

	visitor := open(t, e, "")
	visitor.goTo("/items", `#q`)
	visitor.run(
		chromedp.SendKeys(css(`#q`), "高龄老人营养补贴"), searchSettled("高龄老人营养补贴"),
		chromedp.WaitVisible(css(`#results a[href="/items/`+code+`"]`)),
	)
	visitor.shot("admin-03-new-item-in-portal-search")
	// The item page, not the search page it leaves (which has a heading too).
	visitor.run(chromedp.Click(css(`#results a[href="/items/`+code+`"]`)), chromedp.WaitVisible(css(`main section.guide`)))
	visitor.contains(`main`, name, "户口簿", "年龄证明", "10 个工作日")
}
