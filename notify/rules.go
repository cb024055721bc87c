// Package notify tells people what happened: it reads the outbox every
// transition writes, renders a template per event, language and channel, and
// delivers to the in-app inbox (站内信), e-mail, SMS and department webhooks
// with retries, a dead-letter state and a delivery record everyone can read.
package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
)

// Channel is a way a message reaches someone.
type Channel string

const (
	Inbox   Channel = "inbox"   // 站内信: every account has one
	Email   Channel = "email"   // over SMTP
	SMS     Channel = "sms"     // through the SMS gateway
	Webhook Channel = "webhook" // a department's own system
)

// Channels are the channels in the order pages show them.
var Channels = []Channel{Inbox, Email, SMS, Webhook}

// Status is where a delivery stands.
type Status string

const (
	Queued    Status = "queued"    // waiting for its time (first try, a retry, or after quiet hours)
	Sending   Status = "sending"   // claimed by a server; taken again if that server dies
	Sent      Status = "sent"      // accepted by the SMTP server, the gateway or the webhook
	Delivered Status = "delivered" // in the recipient's inbox
	Dead      Status = "dead"      // refused for good, or failed at the last try: last_error says why
)

// StatusNames label the statuses in both languages.
var StatusNames = map[Status]apperr.Msg{
	Queued:    apperr.M("待发送", "queued"),
	Sending:   apperr.M("发送中", "sending"),
	Sent:      apperr.M("已发送", "sent"),
	Delivered: apperr.M("已送达", "delivered"),
	Dead:      apperr.M("发送失败", "failed"),
}

// ChannelNames label the channels in both languages.
var ChannelNames = map[Channel]apperr.Msg{
	Inbox:   apperr.M("站内信", "inbox"),
	Email:   apperr.M("电子邮件", "e-mail"),
	SMS:     apperr.M("短信", "SMS"),
	Webhook: apperr.M("部门系统推送", "webhook"),
}

// MaxAttempts is how many times a message is tried before it is dead.
const MaxAttempts = 6

// Backoff is how long to wait before try attempt+1 after attempt tries
// failed: 30 s, 2 min, 8 min, 32 min, 2 h, then 2 h. A spread of up to a
// tenth, taken from the message id, keeps messages that failed together
// (a mail server restarting) from all coming back in the same second,
// while the same message always waits the same time.
func Backoff(attempt int, messageID string) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := 30 * time.Second
	for i := 1; i < attempt && d < 2*time.Hour; i++ {
		d *= 4
	}
	if d > 2*time.Hour {
		d = 2 * time.Hour
	}
	sum := sha256.Sum256([]byte(messageID))
	spread := time.Duration(int64(sum[0]) * int64(d) / 2550) // 0 … d/10
	return d + spread
}

// Quiet hours for SMS, China time: nothing is sent from 21:00 to 08:00
// except sign-in codes, which people are waiting for.
const (
	QuietFrom = 21
	QuietTo   = 8
)

// QuietUntil returns when SMS may be sent again if now falls in quiet hours,
// and false when now is outside them.
func QuietUntil(now time.Time) (time.Time, bool) {
	t := now.In(clock.China)
	h := t.Hour()
	if h >= QuietTo && h < QuietFrom {
		return time.Time{}, false
	}
	day := time.Date(t.Year(), t.Month(), t.Day(), QuietTo, 0, 0, 0, clock.China)
	if h >= QuietFrom {
		day = day.AddDate(0, 0, 1)
	}
	return day, true
}

// NextMorning is 08:00 China time on the day after now, when a number over
// its daily cap may receive messages again.
func NextMorning(now time.Time) time.Time {
	t := now.In(clock.China)
	return time.Date(t.Year(), t.Month(), t.Day()+1, QuietTo, 0, 0, 0, clock.China)
}

// DefaultDailyCap is how many SMS one number receives in one China day.
const DefaultDailyCap = 10

// ChinaDay is now's civil date in China, the day the daily cap counts.
func ChinaDay(now time.Time) string { return now.In(clock.China).Format("2006-01-02") }

// Sign returns the webhook signature header's value for a body sent at
// timestamp (Unix seconds): "sha256=" and the HMAC-SHA256, in hex, of the
// timestamp, a dot and the body, keyed with the subscriber's secret. The
// timestamp is signed so that a captured request cannot be replayed later.
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks a signature header against the body and timestamp,
// and that the timestamp is within tolerance of now: what a receiver does.
func VerifySignature(secret, header string, timestamp int64, body []byte, now time.Time, tolerance time.Duration) bool {
	if d := now.Sub(time.Unix(timestamp, 0)); d > tolerance || d < -tolerance {
		return false
	}
	return hmac.Equal([]byte(header), []byte(Sign(secret, timestamp, body)))
}

// Render fills a template's {name} placeholders from vars. Every name must
// be one the event offers (CheckTemplate); a name without a value renders
// empty. A part in double brackets, [[容缺材料：{waived}。]], is left out
// when any variable in it is empty, so that a message says nothing rather
// than something half filled in.
func Render(tmpl string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "[[")
		if i < 0 {
			b.WriteString(fill(tmpl, vars))
			return b.String()
		}
		j := strings.Index(tmpl[i:], "]]")
		if j < 0 {
			b.WriteString(fill(tmpl, vars))
			return b.String()
		}
		b.WriteString(fill(tmpl[:i], vars))
		part := tmpl[i+2 : i+j]
		names, _ := Placeholders(part)
		complete := true
		for _, n := range names {
			if vars[n] == "" {
				complete = false
			}
		}
		if complete {
			b.WriteString(fill(part, vars))
		}
		tmpl = tmpl[i+j+2:]
	}
}

func fill(tmpl string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString(vars[tmpl[i+1:i+j]])
		tmpl = tmpl[i+j+1:]
	}
}

// Placeholders returns the names a template uses, or an error naming the
// first malformed one (an unclosed brace, a brace inside a name, a name that
// is not lower-case letters, digits and underscores, an optional part
// [[…]] not closed or nested).
func Placeholders(tmpl string) ([]string, error) {
	depth := 0
	for i := 0; i+1 < len(tmpl); i++ {
		switch tmpl[i : i+2] {
		case "[[":
			depth++
			i++
		case "]]":
			depth--
			i++
		}
		if depth < 0 || depth > 1 {
			return nil, fmt.Errorf("optional parts [[…]] must be closed and not nested")
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("an optional part [[…]] is not closed")
	}
	var names []string
	for pos := 0; pos < len(tmpl); {
		i := strings.IndexAny(tmpl[pos:], "{}")
		if i < 0 {
			break
		}
		i += pos
		if tmpl[i] == '}' {
			return nil, fmt.Errorf("a closing brace without an opening one at byte %d", i)
		}
		j := strings.IndexByte(tmpl[i+1:], '}')
		if j < 0 {
			return nil, fmt.Errorf("the brace at byte %d is not closed", i)
		}
		name := tmpl[i+1 : i+1+j]
		if !validName(name) {
			return nil, fmt.Errorf("{%s} is not a variable name", name)
		}
		names = append(names, name)
		pos = i + j + 2
	}
	return names, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// CheckTemplate checks a template an administrator saves: well-formed, and
// using only the variables the event offers. field names the part checked
// ("subject", "body") in the error.
func CheckTemplate(ev EventDef, field, tmpl string, required bool) *apperr.FieldError {
	if strings.TrimSpace(tmpl) == "" {
		if required {
			f := apperr.Field(field, "required", apperr.M("不能为空", "must not be empty"))
			return &f
		}
		return nil
	}
	names, err := Placeholders(tmpl)
	if err != nil {
		f := apperr.Field(field, "syntax", apperr.M("模板格式有误："+err.Error(), "the template is malformed: "+err.Error()))
		return &f
	}
	for _, n := range names {
		if !ev.Offers(n) {
			f := apperr.Field(field, "unknown_variable", apperr.M(
				fmt.Sprintf("此事件没有变量 {%s}，可用：%s", n, strings.Join(ev.braced(), " ")),
				fmt.Sprintf("this event has no variable {%s}; it offers %s", n, strings.Join(ev.braced(), " "))))
			return &f
		}
	}
	return nil
}

// MaskAddress hides most of an e-mail address or a phone number for logs
// and lists: z***@example.cn, 139****0005.
func MaskAddress(s string) string {
	if at := strings.LastIndexByte(s, '@'); at > 0 {
		r := []rune(s[:at])
		return string(r[0]) + "***" + s[at:]
	}
	if len(s) == 11 && allDigits(s) {
		return s[:3] + "****" + s[7:]
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
