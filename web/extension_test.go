package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
)

// The reviewer asks for an extension on the case page; the administrator
// finds it in the list of requests, refuses it, and approves the next one,
// after which the page shows the new due dates. A form with problems comes
// back with the message next to its field and writes nothing; other roles
// are refused.
func TestExtensionForms(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
		c, err := e.svc.Act(ctx, user(t, e, "rs_shenpi"), c.ID, cases.StartReview, cases.ActRequest{})
		if err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/cases/%d", c.ID)
		post := page + "/extension"
		events := func() int {
			t.Helper()
			evs, err := e.svc.Events(ctx, user(t, e, "admin"), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(evs)
		}

		reviewer := e.as(t, "rs_shenpi")
		admin := e.as(t, "admin")
		reviewer.get(page).want(200).has(`id="extension-request"`).lacks(`id="extension-approve"`, `id="extension-refuse"`, `data-action="extend"`)
		admin.get(page).want(200).has(`id="extension-approve"`, "也可直接批准延期").lacks(`id="extension-request"`, `id="extension-refuse"`)
		e.as(t, "yuxiulan").get(page).want(200).lacks(`id="extension"`)
		admin.get("/admin/extensions").want(200).has(`id="no-extension-requests"`)

		before := events()
		p := reviewer.post(post, url.Values{"decision": {"request"}, "days": {"abc"}, "reasons": {"需要专家论证"}}).want(http.StatusUnprocessableEntity)
		p.has(`<p class="field-error">须为整数`, "需要专家论证")
		reviewer.post(post, url.Values{"decision": {"request"}, "days": {"90"}}).want(http.StatusUnprocessableEntity).
			has(`<p class="field-error">延期天数须为1–60个工作日`, `<p class="field-error">请写明延期理由`)
		e.as(t, "qz_quanke").post(post, url.Values{"decision": {"request"}, "days": {"5"}, "reasons": {"x"}}).want(http.StatusForbidden)
		e.as(t, "yuxiulan").post(post, url.Values{"decision": {"request"}, "days": {"5"}, "reasons": {"x"}}).want(http.StatusForbidden)
		e.as(t, "yb_shenpi").post(post, url.Values{"decision": {"request"}, "days": {"5"}, "reasons": {"x"}}).want(http.StatusForbidden)
		admin.post(post, url.Values{"decision": {"request"}, "days": {"5"}, "reasons": {"x"}}).want(http.StatusForbidden)
		if n := events(); n != before {
			t.Fatalf("refused requests wrote %d events", n-before)
		}

		res := reviewer.post(post, url.Values{"decision": {"request"}, "days": {"5"}, "reasons": {"须组织专家评审"}}).want(http.StatusSeeOther)
		reviewer.get(res.location()).want(200).has(`id="extension-pending"`, "刘晓梅 申请延长 5 个工作日", "已完成：申请延期").lacks(`id="extension-request"`)
		reviewer.post(post, url.Values{"decision": {"approve"}, "days": {"5"}, "reasons": {"自批"}}).want(http.StatusForbidden)
		admin.get("/admin/extensions").want(200).has(c.Number, "须组织专家评审", "刘晓梅")
		admin.get("/admin/extensions?department=" + url.QueryEscape(c.DepartmentCode)).want(200).has(c.Number)
		admin.get("/admin/extensions?department=NO-SUCH-DEPT").want(200).has(`id="no-extension-requests"`).lacks(c.Number)
		admin.get(page).want(200).has(`id="extension-refuse"`, `id="ext-approve-days" name="days" inputmode="numeric" size="4" value="5"`, "须组织专家评审")
		en := e.as(t, "admin")
		en.lang = "en"
		en.get("/admin/extensions").want(200).has("Extension requests waiting", c.Number).lacks("⟦")
		en.get(page).want(200).has("asks for 5 more working days", "Reasons for refusing").lacks("⟦")

		admin.post(post, url.Values{"decision": {"refuse"}, "reasons": {""}}).want(http.StatusUnprocessableEntity).has(`<p class="field-error">请写明不予延期的理由`)
		admin.post(post, url.Values{"decision": {"refuse"}, "reasons": {"可在时限内办结"}}).want(http.StatusSeeOther)
		after, _ := e.svc.Get(ctx, user(t, e, "admin"), c.ID)
		if after.PromisedDue != c.PromisedDue {
			t.Errorf("a refusal moved the due date from %s to %s", c.PromisedDue, after.PromisedDue)
		}
		admin.get("/admin/extensions").want(200).has(`id="no-extension-requests"`)

		reviewer.get(page).want(200)
		reviewer.post(post, url.Values{"decision": {"request"}, "days": {"5"}, "reasons": {"检验结果未出"}}).want(http.StatusSeeOther)
		admin.get(page).want(200)
		res = admin.post(post, url.Values{"decision": {"approve"}, "days": {"5"}, "reasons": {"检验结果未出"}}).want(http.StatusSeeOther)
		extended, _ := e.svc.Get(ctx, user(t, e, "admin"), c.ID)
		if extended.PromisedDue <= c.PromisedDue || extended.ExtendedDays != 5 {
			t.Fatalf("after the approval: due %s (was %s), extended %d", extended.PromisedDue, c.PromisedDue, extended.ExtendedDays)
		}
		admin.get(res.location()).want(200).has("已批准延期：承诺办结日期为 "+extended.PromisedDue, `<strong id="promised-due">`+extended.PromisedDue,
			`<dd id="extended-days">5 个工作日`).lacks(`id="extension-pending"`, `id="extension-refuse"`)
		reviewer.get(page).want(200).has("申请延期", "不予延期", "批准延期", `id="extension-request"`)

		// A stale form (the case changed since it was shown) is told so.
		stale := strconv.Itoa(c.Version)
		reviewer.post(post, url.Values{"decision": {"request"}, "days": {"3"}, "reasons": {"再次"}, "version": {stale}}).
			want(http.StatusConflict).has("案件已被他人更新")
	})
}

// The special procedures are forms on the case page: the reviewer starts
// one (the clock pauses) and ends it (the clock runs again).
func TestSpecialProcedureForms(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
		c, err := e.svc.Act(ctx, user(t, e, "rs_shenpi"), c.ID, cases.StartReview, cases.ActRequest{})
		if err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/cases/%d", c.ID)
		reviewer := e.as(t, "rs_shenpi")
		reviewer.get(page).want(200).has(`data-action="start_special"`, `<option value="expert_review">`).lacks(`data-action="end_special"`)
		reviewer.post(page+"/act", url.Values{"action": {"start_special"}, "procedure": {"lottery"}}).
			want(http.StatusUnprocessableEntity).has("特别程序须为")
		res := reviewer.post(page+"/act", url.Values{"action": {"start_special"}, "procedure": {"expert_review"}}).want(http.StatusSeeOther)
		reviewer.get(res.location()).want(200).has(`data-action="end_special"`, "暂停计时自").lacks(`data-action="start_special"`)
		if got, _ := e.svc.Get(ctx, user(t, e, "admin"), c.ID); got.SpecialProcedure != "expert_review" || got.PausedSince == "" {
			t.Fatalf("after the start: procedure %q, paused since %q", got.SpecialProcedure, got.PausedSince)
		}
		reviewer.post(page+"/act", url.Values{"action": {"end_special"}}).want(http.StatusSeeOther)
		if got, _ := e.svc.Get(ctx, user(t, e, "admin"), c.ID); got.SpecialProcedure != "" || got.PausedSince != "" {
			t.Fatalf("after the end: procedure %q, paused since %q", got.SpecialProcedure, got.PausedSince)
		}
		e.as(t, "qz_quanke").post(page+"/act", url.Values{"action": {"start_special"}, "procedure": {"hearing"}}).want(http.StatusForbidden)
	})
}
