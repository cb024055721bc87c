package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
)

// 办件查询 in the browser without a browser and through the API: the
// receipt's number and code show the case to a visitor, in both languages,
// with the applicant's name masked; a wrong code shows the same error as an
// unknown number, on the field it belongs to.
func TestTrackPageAndAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", idOf("yuxiulan"))
		code, err := e.svc.QueryCode(context.Background(), user(t, e, "qz_quanke"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		visitor := e.client(t)
		visitor.get("/track").want(200).has(`id="track-form"`).lacks(`id="track-result"`)
		q := url.Values{"number": {c.Number}, "code": {code}}.Encode()
		visitor.get("/track?"+q).want(200).has(`id="track-result"`, c.Number, "于**", "已受理", c.PromisedDue).lacks("于秀兰", idOf("yuxiulan"))
		visitor.lang = "en"
		visitor.get("/track?"+q).want(200).has("Follow a case", "accepted", "Steps so far").lacks("⟦")
		visitor.lang = ""

		wrong := url.Values{"number": {c.Number}, "code": {"ABCDEFGH"}}.Encode()
		unknown := url.Values{"number": {"QZSQ-20990101-00001"}, "code": {code}}.Encode()
		a := visitor.get("/track?" + wrong).want(http.StatusNotFound)
		b := visitor.get("/track?" + unknown).want(http.StatusNotFound)
		a.has("案件编号或查询码不正确").lacks(`id="track-result"`)
		b.has("案件编号或查询码不正确")
		visitor.get("/track?number=&code=12").want(http.StatusUnprocessableEntity).has(`id="number-error"`, `id="code-error"`)

		// The API answers the same.
		res, err := http.Get(e.base + "/api/v1/track?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var tr cases.Tracking
		if err := json.NewDecoder(res.Body).Decode(&tr); err != nil || res.StatusCode != 200 {
			t.Fatalf("API: %d %v", res.StatusCode, err)
		}
		if tr.Number != c.Number || tr.State != cases.Accepted || tr.Applicant != "于**" || len(tr.Steps) < 2 {
			t.Fatalf("API tracking %+v", tr)
		}
		res2, err := http.Get(e.base + "/api/v1/track?" + wrong)
		if err != nil {
			t.Fatal(err)
		}
		res2.Body.Close()
		if res2.StatusCode != http.StatusNotFound || res2.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("API with a wrong code: %d %s", res2.StatusCode, res2.Header.Get("Content-Type"))
		}
	})
}
