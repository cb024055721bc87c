package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/locale"
	"github.com/onewindow/onewindow/network"
)

// Lang is the language of a page: "zh" (the default) or "en".
type Lang string

const (
	ZH Lang = "zh"
	EN Lang = "en"
)

// langOf picks the language: ?lang= for one page (a printed notice in
// English), then the switch kept in a cookie, then Accept-Language with its
// quality values (locale.Negotiate); Chinese when nothing says otherwise.
func langOf(r *http.Request) Lang {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return Lang(l)
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "zh") {
		return Lang(c.Value)
	}
	if locale.Negotiate(r.Header.Get("Accept-Language")) == locale.English {
		return EN
	}
	return ZH
}

// missingKey marks a key absent from the catalogue; tests look for it.
const missingKey = "⟦"

// T returns the text of key in the language.
func (l Lang) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return missingKey + key + "⟧"
	}
	if l == EN {
		return m[1]
	}
	return m[0]
}

// Tf formats the text of key with args. An English text spells a word that
// follows a count as {singular|plural} ("%d working day{|s}"), so that a
// count of one reads "1 working day"; the count is the argument of the
// nearest verb before the braces.
func (l Lang) Tf(key string, args ...any) string {
	return fmt.Sprintf(pluralForms(l.T(key), args), args...)
}

// pluralForms replaces every {one|other} in format by the form its count
// (the argument of the verb before it) asks for.
func pluralForms(format string, args []any) string {
	if !strings.Contains(format, "|") {
		return format
	}
	var out strings.Builder
	next, last := 0, -1 // the argument the next verb takes; the one the last verb took
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '%' && i+1 < len(format) && format[i+1] == '%':
			out.WriteString("%%")
			i++
			continue
		case c == '%':
			if i+1 < len(format) && format[i+1] == '[' {
				if end := strings.IndexByte(format[i:], ']'); end > 0 {
					if n, err := strconv.Atoi(format[i+2 : i+end]); err == nil {
						next = n - 1
					}
				}
			}
			last, next = next, next+1
		case c == '{':
			end := strings.IndexByte(format[i:], '}')
			one, other, ok := strings.Cut(format[i+1:i+max(end, 1)], "|")
			if end > 0 && ok {
				if last >= 0 && last < len(args) && isOne(args[last]) {
					out.WriteString(one)
				} else {
					out.WriteString(other)
				}
				i += end
				continue
			}
		}
		out.WriteByte(c)
	}
	return out.String()
}

func isOne(v any) bool {
	switch n := v.(type) {
	case int:
		return n == 1 || n == -1
	case int64:
		return n == 1 || n == -1
	}
	return false
}

// HTMLLang is the value of the html element's lang attribute.
func (l Lang) HTMLLang() string {
	if l == EN {
		return "en"
	}
	return "zh-CN"
}

// English reports whether the page is in English.
func (l Lang) English() bool { return l == EN }

// Msg picks a domain message's text.
func (l Lang) Msg(m apperr.Msg) string { return m.In(string(l)) }

// Pair picks the text of a [Chinese, English] pair.
func (l Lang) Pair(p [2]string) string {
	if l == EN && p[1] != "" {
		return p[1]
	}
	return p[0]
}

// Name picks a name: the English one when the page is English and it exists.
func (l Lang) Name(zh, en string) string {
	if l == EN && en != "" {
		return en
	}
	return zh
}

// State names a case state.
func (l Lang) State(s cases.State) string {
	if m, ok := cases.StateNames[s]; ok {
		return l.Msg(m)
	}
	return string(s)
}

// Action names a case action, capitalised on an English page: it stands
// alone on a button or in a case's history, never inside a sentence.
func (l Lang) Action(a cases.Action) string {
	if m, ok := cases.ActionNames[a]; ok {
		return capitalise(l.Msg(m))
	}
	return string(a)
}

// ActionVerb names a case action inside a sentence: as Action, never
// capitalised.
func (l Lang) ActionVerb(a cases.Action) string {
	if m, ok := cases.ActionNames[a]; ok {
		return l.Msg(m)
	}
	return string(a)
}

// capitalise upper-cases the first letter of an English text.
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// Event names an event's action (events keep actions as strings).
func (l Lang) Event(a string) string { return l.Action(cases.Action(a)) }

// Role names a role.
func (l Lang) Role(r auth.Role) string {
	if m, ok := auth.RoleNames[r]; ok {
		return l.Msg(m)
	}
	return string(r)
}

// Kind names an applicant kind.
func (l Lang) Kind(k string) string {
	if m, ok := auth.KindNames[k]; ok {
		return l.Msg(m)
	}
	return k
}

// Level names an administrative level.
func (l Lang) Level(n int) string { return l.Pair(catalog.LevelNames[n]) }

// ItemType names an item type.
func (l Lang) ItemType(code string) string {
	if p, ok := catalog.ItemTypes[code]; ok {
		return l.Pair(p)
	}
	return code
}

// PointKind names a kind of service point.
func (l Lang) PointKind(k string) string {
	if p, ok := network.KindNames[k]; ok {
		return l.Pair(p)
	}
	return k
}

// Procedure names a special procedure.
func (l Lang) Procedure(p string) string {
	if m, ok := cases.SpecialProcedures[p]; ok {
		return l.Msg(m)
	}
	return p
}

// DocTitle names a kind of printed notice.
func (l Lang) DocTitle(kind string) string {
	if m, ok := cases.DocumentTitles[kind]; ok {
		return l.Msg(m)
	}
	return kind
}

// The UI's own vocabulary with keys made from domain values; the keys are
// listed so that the catalogue test checks every one of them.
var (
	slaKeys = map[string]string{cases.SLAOnTime: "sla.on_time", cases.SLAWarning: "sla.warning", cases.SLAOverdue: "sla.overdue",
		cases.SLAPaused: "sla.paused", cases.SLADoneOnTime: "sla.done", cases.SLADoneLate: "sla.done_late", cases.SLANone: "sla.none"}
	depthKeys = map[string]string{catalog.DepthConsult: "depth.consult", catalog.DepthReceive: "depth.receive",
		catalog.DepthPreReview: "depth.prereview", catalog.DepthAccept: "depth.accept", catalog.DepthHandle: "depth.handle",
		catalog.DepthResult: "depth.result", catalog.DepthELicence: "depth.elicence"}
	requirementKeys = map[string]string{catalog.Required: "req.required", catalog.Optional: "req.optional", catalog.Waivable: "req.waivable"}
	methodKeys      = map[string]string{cases.IssueAtWindow: "method.window", cases.IssueByPost: "method.post", cases.IssueElectronic: "method.electronic"}
	channelKeys     = map[cases.Channel]string{cases.ChannelWindow: "channel.window", cases.ChannelOnline: "channel.online",
		cases.ChannelSelfService: "channel.self_service", cases.ChannelAssisted: "channel.assisted"}
	sourceKeys = map[string]string{cases.SourcePresented: "source.presented", cases.SourceUpload: "source.upload", cases.SourceDeclared: "source.declared", cases.SourceLicence: "source.licence"}
)

func (l Lang) keyed(keys map[string]string, v string) string {
	if k, ok := keys[v]; ok {
		return l.T(k)
	}
	return v
}

// SLA names an SLA status.
func (l Lang) SLA(status string) string { return l.keyed(slaKeys, status) }

// Depth names an online step.
func (l Lang) Depth(d string) string { return l.keyed(depthKeys, d) }

// Requirement names whether a material is required.
func (l Lang) Requirement(r string) string { return l.keyed(requirementKeys, r) }

// Method names a way of issuing a result.
func (l Lang) Method(m string) string { return l.keyed(methodKeys, m) }

// Source names how a material was provided.
func (l Lang) Source(s string) string { return l.keyed(sourceKeys, s) }

// Channel names how an application came in.
func (l Lang) Channel(c cases.Channel) string {
	if k, ok := channelKeys[c]; ok {
		return l.T(k)
	}
	return string(c)
}

// Remaining says how many working days are left, or how many overdue.
func (l Lang) Remaining(sla cases.SLA) string {
	switch {
	case sla.Status == cases.SLANone || sla.Status == cases.SLADoneOnTime || sla.Status == cases.SLADoneLate:
		return ""
	case sla.RemainingDays < 0:
		return l.Tf("sla.days_over", -sla.RemainingDays)
	case sla.RemainingDays == 0:
		return l.T("sla.due_today")
	}
	return l.Tf("sla.days_left", sla.RemainingDays)
}

// RoleName names a role kept as text (case events).
func (l Lang) RoleName(r string) string { return l.Role(auth.Role(r)) }

// StateBadge shows a case state as a badge.
func (l Lang) StateBadge(s cases.State) template.HTML {
	return template.HTML(`<span class="badge state state-` + html.EscapeString(string(s)) + `">` + html.EscapeString(capitalise(l.State(s))) + `</span>`)
}

// SLABadge shows where a case stands against its time limit, with the
// working days left or over; nothing before acceptance.
func (l Lang) SLABadge(sla cases.SLA) template.HTML {
	if sla.Status == cases.SLANone {
		return ""
	}
	text := l.SLA(sla.Status)
	if rest := l.Remaining(sla); rest != "" {
		text += " · " + rest
	}
	return template.HTML(`<span class="badge sla sla-` + html.EscapeString(sla.Status) + `">` + html.EscapeString(text) + `</span>`)
}
