package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/clock"
)

func TestBackoffGrowsAndIsStable(t *testing.T) {
	prev := time.Duration(0)
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		d := Backoff(attempt, "ow-1-sms-u2")
		if d != Backoff(attempt, "ow-1-sms-u2") {
			t.Fatalf("attempt %d: the same message waits differently", attempt)
		}
		if d < prev {
			t.Fatalf("attempt %d waits %v, less than the attempt before (%v)", attempt, d, prev)
		}
		if d > 2*time.Hour+12*time.Minute {
			t.Fatalf("attempt %d waits %v: more than the cap and its spread", attempt, d)
		}
		prev = d
	}
	if d := Backoff(1, "x"); d < 30*time.Second || d > 33*time.Second {
		t.Fatalf("first retry after %v, want 30–33 s", d)
	}
	spread := map[time.Duration]bool{}
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		spread[Backoff(3, id)] = true
	}
	if len(spread) < 2 {
		t.Fatal("messages that failed together all come back at the same moment")
	}
}

func TestQuietHours(t *testing.T) {
	at := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, clock.China) }
	cases := []struct {
		now   time.Time
		quiet bool
		until time.Time
	}{
		{at(24, 7, 59), true, at(24, 8, 0)},
		{at(24, 8, 0), false, time.Time{}},
		{at(24, 20, 59), false, time.Time{}},
		{at(24, 21, 0), true, at(25, 8, 0)},
		{at(24, 23, 30), true, at(25, 8, 0)},
		{at(25, 0, 10), true, at(25, 8, 0)},
		{time.Date(2026, 11, 24, 13, 30, 0, 0, time.UTC), true, at(25, 8, 0)}, // 21:30 in China
	}
	for _, c := range cases {
		until, quiet := QuietUntil(c.now)
		if quiet != c.quiet || !until.Equal(c.until) {
			t.Errorf("QuietUntil(%v) = %v, %v; want %v, %v", c.now, until, quiet, c.until, c.quiet)
		}
	}
	if got := NextMorning(at(31-1, 22, 0)); !got.Equal(time.Date(2026, 12, 1, 8, 0, 0, 0, clock.China)) {
		t.Errorf("NextMorning across a month end = %v", got)
	}
	if ChinaDay(time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC)) != "2026-11-25" {
		t.Error("the cap's day must turn at midnight China time")
	}
}

func TestSignature(t *testing.T) {
	body := []byte(`{"type":"case.approve"}`)
	sig := Sign("a-long-enough-secret", 1795000000, body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Fatalf("signature %q", sig)
	}
	now := time.Unix(1795000100, 0)
	if !VerifySignature("a-long-enough-secret", sig, 1795000000, body, now, 5*time.Minute) {
		t.Fatal("a good signature does not verify")
	}
	for name, ok := range map[string]bool{
		"other secret":   VerifySignature("another-secret-xxxx", sig, 1795000000, body, now, 5*time.Minute),
		"other body":     VerifySignature("a-long-enough-secret", sig, 1795000000, []byte(`{"type":"case.refuse"}`), now, 5*time.Minute),
		"other time":     VerifySignature("a-long-enough-secret", sig, 1795000001, body, now, 5*time.Minute),
		"stale (replay)": VerifySignature("a-long-enough-secret", sig, 1795000000, body, now.Add(time.Hour), 5*time.Minute),
	} {
		if ok {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestTemplateCheck(t *testing.T) {
	ev, _ := EventByKey("case.supplement")
	for tmpl, want := range map[string]string{
		"请补齐：{missing}，期限{due}（{number}）": "",
		"{missing":      "syntax",
		"missing}":      "syntax",
		"{Missing}":     "syntax",
		"{verify_code}": "unknown_variable",
		"":              "required",
	} {
		err := CheckTemplate(ev, "body", tmpl, true)
		got := ""
		if err != nil {
			got = err.Code
		}
		if got != want {
			t.Errorf("CheckTemplate(%q) = %q, want %q", tmpl, got, want)
		}
	}
	if err := CheckTemplate(ev, "body", "{verify_code}", true); !strings.Contains(err.Message.EN, "{missing}") {
		t.Errorf("the error should list the variables on offer: %s", err.Message.EN)
	}
	if got := Render("案件{number}：{missing}。", map[string]string{"number": "N-1", "missing": "1. 身份证"}); got != "案件N-1：1. 身份证。" {
		t.Errorf("Render = %q", got)
	}
	optional := "已出证。[[邮寄单号：{tracking}。]][[核验码：{verify_code}。]]"
	if got := Render(optional, map[string]string{"verify_code": "7Q2K"}); got != "已出证。核验码：7Q2K。" {
		t.Errorf("optional parts: %q", got)
	}
	for _, bad := range []string{"[[{due}", "{due}]]", "[[ [[{due}]] ]]"} {
		if err := CheckTemplate(ev, "body", bad, true); err == nil || err.Code != "syntax" {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

// Every shipped template is complete and uses only its event's variables.
func TestShippedTemplatesAreValid(t *testing.T) {
	for _, ev := range Events {
		for _, lang := range Languages {
			for _, ch := range TemplateChannels {
				tm := Shipped(ev.Key, lang, ch)
				if err := checkTemplateFields(ev, ch, tm.Subject, tm.Body); err != nil {
					t.Errorf("%s/%s/%s: %v", ev.Key, lang, ch, err)
				}
			}
		}
		if ev.SMSCode == "" {
			t.Errorf("%s has no SMS template code", ev.Key)
		}
	}
	for key := range shipped {
		if _, ok := EventByKey(key); !ok {
			t.Errorf("templates.json has %q, which is no event", key)
		}
	}
}

func TestEventOf(t *testing.T) {
	cases := []struct {
		topic string
		p     Payload
		want  string
	}{
		{"case.create", Payload{"state": "accepted"}, "case.accepted"},
		{"case.create", Payload{"state": "supplement_required"}, "case.supplement"},
		{"case.create", Payload{"state": "draft"}, ""},
		{"case.create", Payload{"state": "received"}, "case.received"},
		{"case.notify_missing", nil, "case.supplement"},
		{"case.request_supplement", nil, "case.supplement"},
		{"case.approve", nil, "case.approved"},
		{"case.refuse", nil, "case.refused"},
		{"case.prepare_result", nil, "case.ready"},
		{"case.issue", nil, "case.issued"},
		{"case.escalation.supplement_reminder", nil, "case.supplement_reminder"},
		{"case.escalation.waiver_reminder", nil, "case.waiver_reminder"},
		{"case.escalation.warning", nil, "staff.due_soon"},
		{"case.escalation.overdue", nil, "staff.overdue"},
		{"case.escalation.something_new", nil, "staff.escalation"},
		{"enterprise_request.schedule_meeting", nil, "enterprise.meeting"},
		{"enterprise_request.escalated.level3", Payload{"meeting_on": "2026-11-27"}, "enterprise.meeting"},
		{"enterprise_request.escalated.level1", nil, "enterprise.escalated"},
		{"enterprise_request.resolve", nil, "enterprise.progress"},
		{"bundle.supplement", nil, "bundle.supplement"},
		{"auth.signin_code", nil, "auth.signin_code"},
		{"rating.invite", nil, "rating.invite"},
		{"backup.test", nil, ""},
	}
	for _, c := range cases {
		if got := EventOf(c.topic, c.p); got != c.want {
			t.Errorf("EventOf(%s, %v) = %q, want %q", c.topic, c.p, got, c.want)
		}
		if c.want != "" {
			if _, ok := EventByKey(c.want); !ok {
				t.Errorf("%s maps to %s, which has no definition", c.topic, c.want)
			}
		}
	}
}

// 一次性告知: the message lists every missing material, numbered.
func TestSupplementListsEverythingMissing(t *testing.T) {
	p := ParsePayload(`{"case":"N-1","item":"食品经营许可","missing":[{"type":"id","name":"居民身份证"},{"type":"lease","name":"经营场所租赁合同"},{"type":"health","name":"健康证明"}],"due":"2026-12-01"}`)
	v := Variables("case.supplement", p, "zh", PointInfo{}, "")
	for _, m := range []string{"1. 居民身份证", "2. 经营场所租赁合同", "3. 健康证明"} {
		if !strings.Contains(v["missing"], m) {
			t.Errorf("missing list %q lacks %q", v["missing"], m)
		}
	}
	review := Variables("case.supplement", ParsePayload(`{"reasons":["补充检验报告"]}`), "en", PointInfo{}, "")
	if review["missing"] != "1. 补充检验报告" {
		t.Errorf("补正 during review lists its reasons: %q", review["missing"])
	}
}

func TestMaskAddress(t *testing.T) {
	for in, want := range map[string]string{"zhang.san@example.cn": "z***@example.cn", "13904320005": "139****0005", "https://x": "https://x"} {
		if got := MaskAddress(in); got != want {
			t.Errorf("MaskAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
