package notify

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// The shipped templates: per event and language, a subject and body for the
// inbox and e-mail and a short text for SMS. Administrators override them
// per event, language and channel (notify_templates).
//
//go:embed templates.json
var shippedJSON []byte

type shippedText struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
	SMS     string `json:"sms"`
}

var shipped = func() map[string]map[string]shippedText {
	var m map[string]map[string]shippedText
	if err := json.Unmarshal(shippedJSON, &m); err != nil {
		panic("notify: templates.json: " + err.Error())
	}
	return m
}()

// Languages templates exist in.
var Languages = []string{"zh", "en"}

// TemplateChannels are the channels with templates (webhooks carry the event as JSON).
var TemplateChannels = []Channel{Inbox, Email, SMS}

// Template is what one event says in one language on one channel.
type Template struct {
	Event     string     `json:"event"`
	Lang      string     `json:"lang"`
	Channel   Channel    `json:"channel"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Variables []string   `json:"variables"`
	Custom    bool       `json:"custom"` // changed by an administrator
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Shipped returns the template the binary carries.
func Shipped(event, lang string, ch Channel) Template {
	t := shipped[event][lang]
	ev, _ := EventByKey(event)
	out := Template{Event: event, Lang: lang, Channel: ch, Subject: t.Subject, Body: t.Body, Variables: ev.Variables()}
	if ch == SMS {
		out.Subject, out.Body = "", t.SMS
	}
	return out
}

type templateKey struct {
	event, lang string
	ch          Channel
}

// templateSet is the shipped templates with administrators' changes.
type templateSet map[templateKey]Template

func loadTemplates(ctx context.Context, q store.Querier) (templateSet, error) {
	rows, err := q.QueryContext(ctx, `SELECT event, lang, channel, subject, body, updated_at FROM notify_templates`)
	if err != nil {
		return nil, apperr.Wrap(err, "notify: templates")
	}
	defer rows.Close()
	set := templateSet{}
	for rows.Next() {
		var t Template
		var at string
		if err := rows.Scan(&t.Event, &t.Lang, &t.Channel, &t.Subject, &t.Body, &at); err != nil {
			return nil, apperr.Wrap(err, "notify: templates")
		}
		ev, _ := EventByKey(t.Event)
		t.Variables, t.Custom = ev.Variables(), true
		u := store.ParseTime(at)
		t.UpdatedAt = &u
		set[templateKey{t.Event, t.Lang, t.Channel}] = t
	}
	return set, apperr.Wrap(rows.Err(), "notify: templates")
}

func (s templateSet) get(event, lang string, ch Channel) Template {
	if t, ok := s[templateKey{event, lang, ch}]; ok {
		return t
	}
	return Shipped(event, lang, ch)
}

// Rendered is a message ready to go.
type Rendered struct {
	Subject string            `json:"subject"`
	Body    string            `json:"body"`
	Params  map[string]string `json:"params,omitempty"` // the variables, for the SMS gateway's template parameters
}

func (t Template) render(vars map[string]string) Rendered {
	used := map[string]string{}
	for _, s := range []string{t.Subject, t.Body} {
		names, _ := Placeholders(s)
		for _, n := range names {
			used[n] = vars[n]
		}
	}
	return Rendered{Subject: Render(t.Subject, vars), Body: Render(t.Body, vars), Params: used}
}

// SamplePayload is a made-up event for previews: every variable has a value.
func SamplePayload(event string) Payload {
	p := Payload{"case": "HNZWFW-20261124-00042", "item": "个体工商户设立登记", "state": "accepted", "point": "",
		"promised_due": "2026-12-01", "due": "2026-11-27", "waived": []any{"营业场所证明"}, "waiver_due": "2026-11-30",
		"missing": []any{map[string]any{"name": "居民身份证"}, map[string]any{"name": "营业场所证明"}},
		"reasons": []any{"经营范围涉及前置许可，未提交许可证件"}, "method": "post", "tracking": "SF1234567890", "verify_code": "7Q2K9D",
		"remaining_days": 1, "level": 2, "request": "QYSQ-20261124-0007", "enterprise": "吉林化纤示范有限公司", "meeting_on": "2026-11-27",
		"code": "246810", "purpose": "register", "bundle_case": "YJS-20261124-0003",
		"requests": []any{map[string]any{"item": "食品经营许可", "reasons": []any{"缺少健康证明"}}}}
	if event == "case.ended" {
		p["state"] = "terminated"
	}
	return p
}

// samplePoint is the made-up service point of previews.
var samplePoint = PointInfo{Name: "辉南县政务服务中心", NameEN: "Huinan County Government Service Centre", Address: "辉南县朝阳镇", Hours: "周一至周五 8:30–17:00"}

// Preview renders a template (as saved, or as an administrator is editing
// it) with the sample event, after checking it as saving would.
func Preview(event, lang string, ch Channel, subject, body string) (Rendered, error) {
	ev, ok := EventByKey(event)
	if !ok {
		return Rendered{}, apperr.Fields{apperr.Field("event", "unknown", apperr.M("未知的事件："+event, "unknown event: "+event))}.Err()
	}
	if err := checkTemplateFields(ev, ch, subject, body); err != nil {
		return Rendered{}, err
	}
	t := Template{Event: event, Lang: lang, Channel: ch, Subject: subject, Body: body}
	return t.render(Variables(event, SamplePayload(event), lang, samplePoint, "2026-11-24 10:00")), nil
}

func checkTemplateFields(ev EventDef, ch Channel, subject, body string) error {
	var f apperr.Fields
	if ch != SMS {
		if e := CheckTemplate(ev, "subject", subject, true); e != nil {
			f = append(f, *e)
		}
	} else if subject != "" {
		f.Add("subject", "not_allowed", apperr.M("短信没有标题", "an SMS has no subject"))
	}
	if e := CheckTemplate(ev, "body", body, true); e != nil {
		f = append(f, *e)
	}
	if ch == SMS && len([]rune(body)) > 300 {
		f.Add("body", "too_long", apperr.M("短信模板不超过300字", "an SMS template has at most 300 characters"))
	}
	if len(f) > 0 {
		return f.Err()
	}
	return nil
}

func parseTemplateKey(event, lang, channel string) (EventDef, Channel, error) {
	var f apperr.Fields
	ev, ok := EventByKey(event)
	if !ok {
		f.Add("event", "unknown", apperr.M("未知的事件："+event, "unknown event: "+event))
	}
	if lang != "zh" && lang != "en" {
		f.Add("lang", "unknown", apperr.M("语言须为 zh 或 en", "lang must be zh or en"))
	}
	ch := Channel(channel)
	if ch != Inbox && ch != Email && ch != SMS {
		f.Add("channel", "unknown", apperr.M(fmt.Sprintf("渠道须为 inbox、email 或 sms，而不是 %q", channel),
			fmt.Sprintf("channel must be inbox, email or sms, not %q", channel)))
	}
	if len(f) > 0 {
		return EventDef{}, "", f.Err()
	}
	return ev, ch, nil
}
