package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
)

// serveTicket has qz_quanke serve a kiosk ticket at 青州社区's window 01 to
// its end, and returns it.
func (e *env) serveTicket(t *testing.T) hall.Ticket {
	t.Helper()
	ctx := context.Background()
	desk := user(t, e, "qz_quanke")
	tk, err := e.hall.TakeAtKiosk(ctx, demo.QingzhouCentre, hall.TakeRequest{Category: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.hall.SignIn(ctx, desk, demo.QingzhouCentre, "01"); err != nil && !strings.Contains(err.Error(), "already") {
		w, _ := e.hall.Windows(ctx, desk, demo.QingzhouCentre)
		signed := false
		for _, x := range w {
			signed = signed || (x.Code == "01" && x.StaffID != nil && *x.StaffID == desk.ID)
		}
		if !signed {
			t.Fatal(err)
		}
	}
	if _, err := e.hall.CallNext(ctx, desk, demo.QingzhouCentre, "01"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.hall.Start(ctx, desk, demo.QingzhouCentre, tk.ID); err != nil {
		t.Fatal(err)
	}
	if tk, err = e.hall.Finish(ctx, desk, demo.QingzhouCentre, tk.ID); err != nil {
		t.Fatal(err)
	}
	return tk
}

// issuedCase runs 于秀兰's subsidy case at 青州社区 to its issue.
func (e *env) issuedCase(t *testing.T) cases.Case {
	t.Helper()
	ctx := context.Background()
	c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
	var err error
	for _, st := range []struct {
		who string
		a   cases.Action
		req cases.ActRequest
	}{{"rs_shenpi", cases.Approve, cases.ActRequest{}}, {"rs_shenpi", cases.PrepareResult, cases.ActRequest{}},
		{"qz_chuzheng", cases.Issue, cases.ActRequest{IssueMethod: "window"}}} {
		if c, err = e.svc.Act(ctx, user(t, e, st.who), c.ID, st.a, st.req); err != nil {
			t.Fatalf("%s: %v", st.a, err)
		}
	}
	return c
}

// 于秀兰 rates her issued case from "my cases" with a comment that looks
// like markup: it is kept as written and shown escaped; the case's
// department follows the bad rating up and the hall manager's figures
// count it, in both languages.
func TestRatingPages(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		c := e.issuedCase(t)
		yu := e.as(t, "yuxiulan")
		yu.get("/my").want(200).has(`href="/cases/` + itoa(c.ID) + `/rate"`)
		yu.get("/cases/"+itoa(c.ID)+"/rate").want(200).has("点击一个等级即提交评价", "服务态度", "非常不满意")
		res := yu.post("/cases/"+itoa(c.ID)+"/rate", url.Values{"level": {"2"}, "tags": {"attitude"}, "comment": {`<script>alert(1)</script>太慢`}})
		if res.status != 303 {
			t.Fatalf("rating: %d %.400s", res.status, res.body)
		}
		yu.get("/cases/"+itoa(c.ID)+"/rate?done=1").want(200).has("感谢您的评价", "&lt;script&gt;alert(1)&lt;/script&gt;太慢").lacks("<script>alert(1)")
		yu.post("/cases/"+itoa(c.ID)+"/rate", url.Values{"level": {"7"}}).want(422).has("评价等级须为1")
		e.as(t, "zhouming").get("/cases/" + itoa(c.ID) + "/rate").want(404)

		rev := e.as(t, "rs_shenpi")
		list := rev.get("/followups").want(200).has("待回访", "差评整改")
		id := between(list.body, `href="/followups/`, `"`)
		rev.get("/followups/"+id).want(200).has("&lt;script&gt;", `action="/followups/`+id+`/contact"`, `action="/followups/`+id+`/appeal"`)
		rev.post("/followups/"+id+"/contact", url.Values{"note": {""}}).want(422)
		if r := rev.post("/followups/"+id+"/contact", url.Values{"note": {"已电话回访"}}); r.status != 303 {
			t.Fatalf("contact: %d %.300s", r.status, r.body)
		}
		rev.get("/followups/"+id).want(200).has("待整改", "已电话回访")
		e.as(t, "hn_dating").get("/followups/" + id).want(403)

		mgr := e.as(t, "qz_dating")
		mgr.get("/ratings").want(200).has("好差评统计", "满意率", "0.0%", "回访率", "100.0%")
		mgr.lang = "en"
		mgr.get("/ratings").want(200).has("Satisfaction figures", "Called back")
		e.as(t, "qz_quanke").get("/ratings").want(403)
		e.client(t).get("/satisfaction").want(200).has("各服务网点满意度", "青州社区").lacks("于秀兰", "alert")
		// A front desk records calls, never about its own work; a case
		// rated already is not rated again.
		own := e.as(t, "qz_quanke")
		own.get("/desk/phone-rating").want(200)
		own.post("/desk/phone-rating", url.Values{"case_number": {c.Number}, "level": {"5"}}).want(403).has("自己经办")
		desk := e.as(t, "qz_quanke2")
		desk.get("/desk/phone-rating").want(200).has("登记电话评价")
		desk.post("/desk/phone-rating", url.Values{"case_number": {c.Number}, "level": {"5"}}).want(409).has("已经评价过了")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}
