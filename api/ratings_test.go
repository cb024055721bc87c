package api_test

import (
	"fmt"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

// 于秀兰 rates her issued case through the API as a bad one; the
// department's reviewer sees the follow-up and calls her back; the hall
// manager of the centre sees the month's figures; the public sees each
// point's satisfaction and nothing else; the doors refuse the wrong people.
func TestRatingsThroughTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.walkIn("qz_quanke", demo.CodeSocialInsuranceSubsidy, "于秀兰", applicantID("yuxiulan"))
		path := fmt.Sprintf("/api/v1/cases/%d/rating", c.ID)
		e.call("POST", path, "", map[string]any{"level": 5}).problem(401, "token_required")
		e.call("POST", path, "yuxiulan", map[string]any{"level": 5}).problem(409, "not_ratable")
		e.act("rs_shenpi", c.ID, "approve", nil)
		e.act("rs_shenpi", c.ID, "prepare_result", nil)
		e.act("qz_chuzheng", c.ID, "issue", map[string]any{"issue_method": "window"})
		if p := e.call("POST", path, "yuxiulan", map[string]any{"level": 5, "surprise": 1}).problem(422, "validation_failed"); !p.hasField("surprise") {
			t.Errorf("an unknown field is not named: %+v", p)
		}
		p := e.call("POST", path, "yuxiulan", map[string]any{"level": 9, "tags": []string{"x"}}).problem(422, "validation_failed")
		if !p.hasField("level") || !p.hasField("tags[0]") {
			t.Errorf("problem %+v does not name level and tags[0]", p)
		}
		e.call("POST", path, "qz_quanke", map[string]any{"level": 5}).problem(403, "role_not_allowed")
		var r struct {
			ID         int64  `json:"id"`
			Level      int    `json:"level"`
			Comment    string `json:"comment"`
			FollowUpID *int64 `json:"followup_id"`
		}
		e.call("POST", path, "yuxiulan", map[string]any{"level": 2, "tags": []string{"efficiency"}, "comment": "<i>慢</i>"}).want(200).decode(&r)
		if r.Level != 2 || r.Comment != "<i>慢</i>" || r.FollowUpID == nil {
			t.Fatalf("rating %+v", r)
		}
		fpath := fmt.Sprintf("/api/v1/rating-followups/%d", *r.FollowUpID)
		e.call("GET", fpath, "hn_dating", nil).problem(403, "out_of_scope")
		e.call("POST", fpath+"/actions/contact", "rs_shenpi", map[string]any{"note": "已电话回访"}).want(200)
		e.call("POST", fpath+"/actions/fly", "rs_shenpi", nil).problem(404, "unknown_action")
		var fig struct {
			Total struct {
				Ratings   int `json:"ratings"`
				Bad       int `json:"bad"`
				Contacted int `json:"contacted"`
			} `json:"total"`
		}
		e.call("GET", "/api/v1/rating-figures", "qz_dating", nil).want(200).decode(&fig)
		if fig.Total.Ratings != 1 || fig.Total.Bad != 1 || fig.Total.Contacted != 1 {
			t.Errorf("the centre's figures %+v", fig.Total)
		}
		e.call("GET", "/api/v1/rating-figures", "qz_quanke", nil).problem(403, "role_not_allowed")
		e.call("GET", "/api/v1/rating-figures?month=2026-1", "qz_dating", nil).problem(422, "validation_failed")
		var pub struct {
			Points []map[string]any `json:"points"`
		}
		e.call("GET", "/api/v1/satisfaction", "", nil).want(200).decode(&pub)
		if len(pub.Points) != 1 || pub.Points[0]["code"] != demo.QingzhouCentre || len(pub.Points[0]) != 4 {
			t.Errorf("public satisfaction %+v", pub.Points)
		}
		e.call("GET", "/api/v1/rating-links/1.zz.abc", "", nil).problem(404, "rating_link_invalid")
		e.call("GET", "/api/v1/points/"+demo.QingzhouCentre+"/windows/01/rating-pad?key=nope", "", nil).problem(404, "rating_pad_invalid")
		e.call("PUT", "/api/v1/rating-settings", "hn_dating", map[string]any{"province": "22", "contact_days": 2, "rectify_days": 10}).problem(403, "role_not_allowed")
	})
}
