package api_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// signaturePNG is a small drawn stroke.
func signaturePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 40, 20))
	for x := 5; x < 35; x++ {
		img.Set(x, 10, color.White)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The issue action takes the collector in its body: the signature is sent
// as base64 and stored by its hash; a signature of another type is refused
// naming the field; the delivery record shows the collector masked; post
// needs none.
func TestIssueWithCollector(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		zhou := applicantID("zhouming")
		c := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", zhou)
		e.act("yb_shenpi", c.ID, "approve", nil)
		e.act("hn_chuzheng", c.ID, "prepare_result", nil)
		agent := ident.GenerateIDCard("220523", time.Date(1985, 7, 9, 0, 0, 0, 0, time.UTC), 21)
		path := fmt.Sprintf("/api/v1/cases/%d/actions/issue", c.ID)
		col := map[string]any{"name": "周丽", "id_number": agent, "relation": "agent", "authorisation": "委托书第3号",
			"signature_kind": "slip", "signature": []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n")}
		p := e.call("POST", path, "hn_chuzheng", map[string]any{"issue_method": "window", "collector": col}).problem(422, "validation_failed")
		if !p.hasField("collector.signature") {
			t.Errorf("a PDF signature is refused without naming collector.signature: %+v", p)
		}
		col["relation"] = "self"
		col["signature"] = signaturePNG(t)
		p = e.call("POST", path, "hn_chuzheng", map[string]any{"issue_method": "window", "collector": col}).problem(422, "validation_failed")
		if !p.hasField("collector.id_number") {
			t.Errorf("someone else collecting as the applicant is not refused on collector.id_number: %+v", p)
		}
		col["relation"] = "agent"
		issued := e.act("hn_chuzheng", c.ID, "issue", map[string]any{"issue_method": "window", "collector": col})
		if issued.State != "issued" {
			t.Fatalf("state %s", issued.State)
		}
		var doc struct {
			Collector *struct {
				Name          string `json:"name"`
				IDNumber      string `json:"id_number"`
				Relation      string `json:"relation"`
				SignatureHash string `json:"signature_hash"`
				SignatureType string `json:"signature_type"`
			} `json:"collector"`
		}
		e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/delivery", c.ID), "hn_chuzheng", nil).want(200).decode(&doc)
		if doc.Collector == nil || doc.Collector.Name != "周丽" || doc.Collector.IDNumber != ident.MaskID(agent) ||
			doc.Collector.SignatureType != "image/png" || len(doc.Collector.SignatureHash) != 64 {
			t.Errorf("delivery record's collector: %+v", doc.Collector)
		}

		d := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, "周明", zhou)
		e.act("yb_shenpi", d.ID, "approve", nil)
		e.act("hn_chuzheng", d.ID, "prepare_result", nil)
		if got := e.act("hn_chuzheng", d.ID, "issue", map[string]any{"issue_method": "post", "address": "辉南县朝阳镇"}); got.State != "issued" {
			t.Errorf("posted without a collector: %s", got.State)
		}
	})
}
