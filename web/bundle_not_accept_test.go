package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/cases"
)

// The desk's check of a bundle application offers 不予受理: without reasons
// it comes back naming the reasons box, keeping what was typed elsewhere
// unchanged; with them it is asked again first and changes nothing until
// confirmed; confirmed, the whole application ends with the reasons, which
// the applicant sees, and no member case is started.
func TestBundleCheckNotAccept(t *testing.T) {
	e := sqliteEnv(t)
	ctx := context.Background()
	id := bundleAwaitingSupply(t, e)
	path := "/bundle-cases/" + strconv.FormatInt(id, 10)
	desk := e.as(t, "hn_qiantai")
	desk.get(path).want(200).has(`id="bundle-check"`, `id="bundle-not-accept"`, `name="reasons"`, `value="not_accept"`)

	// An unknown decision (a stale form, a crafted post) names the decision
	// buttons, and the summary's link lands on them.
	desk.post(path+"/check", url.Values{"decision": {"approve"}}).want(http.StatusUnprocessableEntity).
		has("请选择受理、一次性告知、材料已补齐或不予受理").linksTo("decision")

	p := desk.post(path+"/check", url.Values{"decision": {"not_accept"}, "reasons": {"  \n "}}).want(http.StatusUnprocessableEntity)
	p.has("请写明不予受理的理由").linksTo("reasons")
	state := func() cases.State {
		b, err := e.svc.GetBundleCase(ctx, user(t, e, "hn_qiantai"), id)
		if err != nil {
			t.Fatal(err)
		}
		return b.State
	}
	if s := state(); s != cases.SupplementNeeded {
		t.Fatalf("a refusal without reasons moved the application to %s", s)
	}

	form := url.Values{"decision": {"not_accept"}, "reasons": {"申请人不属于本地户籍\n出生医学证明非本院签发"}}
	p = desk.post(path+"/check", form).want(200).has("确定对这件一件事申请不予受理吗？", `name="confirm" value="yes"`,
		`name="reasons" value="申请人不属于本地户籍`)
	if s := state(); s != cases.SupplementNeeded {
		t.Fatalf("asking moved the application to %s", s)
	}
	form.Set("confirm", "yes")
	res := desk.post(path+"/check", form).want(http.StatusSeeOther)
	if res.location() != path+"?done=not_accept" {
		t.Fatalf("not accepting leads to %q", res.location())
	}
	b, err := e.svc.GetBundleCase(ctx, user(t, e, "hn_qiantai"), id)
	if err != nil {
		t.Fatal(err)
	}
	if b.State != cases.NotAccepted || len(b.Reasons) != 2 || b.Reasons[1] != "出生医学证明非本院签发" {
		t.Fatalf("after 不予受理 the application is %s with reasons %q", b.State, b.Reasons)
	}
	for _, m := range b.Members {
		if m.CaseID != nil {
			t.Errorf("member %s started after 不予受理", m.Item)
		}
	}
	desk.get(res.location()).want(200).has("已决定不予受理", `data-state="not_accepted"`, "不予受理理由", "出生医学证明非本院签发").
		lacks(`id="bundle-check"`, "一次性告知：缺少的材料")
	zm := e.as(t, "zhouming")
	zm.get(path).want(200).has("不予受理理由", "申请人不属于本地户籍").lacks(`id="bundle-supply"`)
	zm.lang = "en"
	zm.get(path).want(200).has("Reasons for not accepting").lacks("⟦")

	// Done once, it cannot be done again.
	desk.post(path+"/check", form).want(http.StatusConflict)
}
