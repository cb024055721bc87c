// Package rating runs 好差评 (国办发〔2019〕51号, GB/T 39734-2020, GB/T 39735-2020):
// every case and every window visit may be rated once, and every bad rating is followed up on the working-day clock.
package rating

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
)

// Level is one of the five levels of GB/T 39734: 5 is the best.
type Level int

const (
	VerySatisfied    Level = 5 // 非常满意
	Satisfied        Level = 4 // 满意
	FairlySatisfied  Level = 3 // 基本满意
	Dissatisfied     Level = 2 // 不满意
	VeryDissatisfied Level = 1 // 非常不满意
)

// Levels lists the levels from best to worst, the order forms show them.
var Levels = []Level{VerySatisfied, Satisfied, FairlySatisfied, Dissatisfied, VeryDissatisfied}

// LevelNames labels each level in both languages.
var LevelNames = map[Level]apperr.Msg{
	VerySatisfied:    apperr.M("非常满意", "very satisfied"),
	Satisfied:        apperr.M("满意", "satisfied"),
	FairlySatisfied:  apperr.M("基本满意", "fairly satisfied"),
	Dissatisfied:     apperr.M("不满意", "dissatisfied"),
	VeryDissatisfied: apperr.M("非常不满意", "very dissatisfied"),
}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { _, ok := LevelNames[l]; return ok }

// Bad reports whether l is a bad rating (差评): 不满意 or 非常不满意. Every
// bad rating opens a follow-up.
func (l Level) Bad() bool { return l == Dissatisfied || l == VeryDissatisfied }

// Satisfied counts towards the satisfaction rate: 非常满意, 满意 and 基本满意.
func (l Level) Satisfied() bool { return l >= FairlySatisfied && l <= VerySatisfied }

// ParseLevel reads a level by its number (1–5), its English key or its Chinese name.
func ParseLevel(s string) (Level, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		l := Level(n)
		return l, l.Valid()
	}
	for l, name := range LevelNames {
		if s == name.ZH || strings.EqualFold(s, strings.ReplaceAll(name.EN, " ", "_")) {
			return l, true
		}
	}
	return 0, false
}

// Tag says what a rating is about.
type Tag string

const (
	TagAttitude   Tag = "attitude"   // 服务态度
	TagEfficiency Tag = "efficiency" // 办事效率
	TagProcess    Tag = "process"    // 流程
	TagPremises   Tag = "premises"   // 环境
	TagPlatform   Tag = "platform"   // 平台
)

// Tags lists every tag in the order forms show them.
var Tags = []Tag{TagAttitude, TagEfficiency, TagProcess, TagPremises, TagPlatform}

// TagNames labels each tag in both languages.
var TagNames = map[Tag]apperr.Msg{
	TagAttitude:   apperr.M("服务态度", "attitude"),
	TagEfficiency: apperr.M("办事效率", "efficiency"),
	TagProcess:    apperr.M("流程", "process"),
	TagPremises:   apperr.M("环境", "premises"),
	TagPlatform:   apperr.M("平台", "platform"),
}

// ParseTag reads a tag by its key or its Chinese name.
func ParseTag(s string) (Tag, bool) {
	s = strings.TrimSpace(s)
	for _, t := range Tags {
		if s == string(t) || s == TagNames[t].ZH {
			return t, true
		}
	}
	return "", false
}

// Subject is what is rated.
type Subject string

const (
	SubjectCase  Subject = "case"  // 一事一评: a case, by its applicant
	SubjectVisit Subject = "visit" // 一次一评: a window visit (a finished ticket)
)

// Channel is how a rating reached us.
type Channel string

const (
	ChannelWeb   Channel = "web"   // the applicant's pages or the API, signed in
	ChannelPad   Channel = "pad"   // the rating pad facing the applicant at the window
	ChannelLink  Channel = "link"  // the signed link in the invitation, no sign-in
	ChannelPhone Channel = "phone" // told to a front desk by telephone, recorded by it
)

// Channels lists every channel.
var Channels = []Channel{ChannelWeb, ChannelPad, ChannelLink, ChannelPhone}

// ChannelNames labels each channel in both languages.
var ChannelNames = map[Channel]apperr.Msg{
	ChannelWeb:   apperr.M("网上评价", "online"),
	ChannelPad:   apperr.M("窗口评价器", "window pad"),
	ChannelLink:  apperr.M("短信链接", "invitation link"),
	ChannelPhone: apperr.M("电话评价", "by telephone"),
}

// The rules of time.
const (
	// AmendWindow: a rating may be changed by its rater for 7 days.
	AmendWindow = 7 * 24 * time.Hour
	// PadWindow: the window's pad may rate a visit for 10 minutes after it finished.
	PadWindow = 10 * time.Minute
	// InviteAfterDays: a case issued this many days ago and not rated gets one invitation.
	InviteAfterDays = 3
	// InviteUntilDays: cases issued longer ago are not invited any more (a
	// late invitation is noise, and a new server does not write one for
	// every case of its history).
	InviteUntilDays = 14
	// LinkLifetime is how long a rating link in an invitation is good for.
	LinkLifetime = 30 * 24 * time.Hour
	// MaxCommentLen is the longest comment, in characters.
	MaxCommentLen = 500
)

// RatableCase reports whether a case in state may be rated: once decided
// and the result given (出证), or refused (不予办理, 不予受理). refusedBefore
// says the case was refused and is on its way to the issuing window.
func RatableCase(state cases.State, refusedBefore bool) bool {
	switch state {
	case cases.Issued, cases.Closed, cases.Refused, cases.NotAccepted:
		return true
	case cases.ReadyForIssue:
		return refusedBefore
	}
	return false
}

// RatableVisit reports whether a ticket in status may be rated: only a
// visit that was served to its end.
func RatableVisit(status string) bool { return status == "done" }

// MayAmend reports whether a rating first given at rated may still be changed at now.
func MayAmend(rated, now time.Time) bool {
	return !now.Before(rated) && now.Sub(rated) <= AmendWindow
}

// PadMayRate reports whether a pad may still rate a visit finished at finished.
func PadMayRate(finished, now time.Time) bool {
	return !finished.IsZero() && !now.Before(finished) && now.Sub(finished) <= PadWindow
}

// MayRecordByPhone checks who may record a rating told by telephone: a
// front desk of the subject's point (or an administrator), never one of the
// staff who served it (staff cannot rate their own work).
func MayRecordByPhone(actor auth.User, point string, served []int64) error {
	switch {
	case actor.Disabled:
		return apperr.RoleNotAllowed(apperr.Msg{})
	case actor.Role != auth.RoleFrontDesk && actor.Role != auth.RoleAdmin:
		return apperr.RoleNotAllowed(apperr.M("只有综合受理窗口可以登记电话评价", "only a front desk records ratings given by telephone"))
	case actor.Role == auth.RoleFrontDesk && actor.PointCode != point:
		e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该评价对象不在您所在的服务网点", "this was not served at your service point"))
		e.Denied = true
		return e
	case slices.Contains(served, actor.ID):
		e := apperr.New(apperr.Forbidden, "own_work", apperr.M("工作人员不能评价自己经办的事项", "staff cannot rate their own work"))
		e.Denied = true
		return e
	}
	return nil
}

// MayRateOnline checks an applicant signed in who rates on the web or
// through the API: the applicant must own the subject (owner) and have
// served none of it.
func MayRateOnline(actor auth.User, owner bool) error {
	switch {
	case actor.Disabled || actor.Role != auth.RoleApplicant:
		return apperr.RoleNotAllowed(apperr.M("只有办事人本人可以评价", "only the applicant rates their own case or visit"))
	case !owner:
		return errHidden()
	}
	return nil
}

// RateRequest is what a rater gives.
type RateRequest struct {
	Level   int      `json:"level"`          // 5 非常满意 … 1 非常不满意
	Tags    []string `json:"tags,omitempty"` // attitude, efficiency, process, premises, platform
	Comment string   `json:"comment,omitempty"`
	// Phone: a pad rater who is not known may leave a number for the
	// call-back of a bad rating; a front desk names the caller's number.
	Phone string `json:"phone,omitempty"`
	// Name: the caller's name, for a rating recorded by telephone.
	Name string `json:"name,omitempty"`
}

// validate checks the level, tags and comment; comments are kept verbatim
// (only surrounding space trimmed) and escaped wherever they are shown.
func (r *RateRequest) validate() ([]Tag, error) {
	var f apperr.Fields
	if !Level(r.Level).Valid() {
		f.Add("level", "range", apperr.M("评价等级须为1（非常不满意）到5（非常满意）", "level must be 1 (very dissatisfied) to 5 (very satisfied)"))
	}
	var tags []Tag
	for i, s := range r.Tags {
		t, ok := ParseTag(s)
		if !ok {
			f.Add("tags["+strconv.Itoa(i)+"]", "unknown", apperr.M("标签须为 attitude（服务态度）、efficiency（办事效率）、process（流程）、premises（环境）或 platform（平台）",
				"tag must be attitude, efficiency, process, premises or platform"))
			continue
		}
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	r.Comment = strings.TrimSpace(r.Comment)
	if !utf8.ValidString(r.Comment) {
		f.Add("comment", "encoding", apperr.M("评价内容含有无效字符", "comment is not valid text"))
	} else if utf8.RuneCountInString(r.Comment) > MaxCommentLen {
		f.Add("comment", "too_long", apperr.M("评价内容不超过500字", "comment has at most 500 characters"))
	}
	r.Name = strings.TrimSpace(r.Name)
	if utf8.RuneCountInString(r.Name) > 50 {
		f.Add("name", "too_long", apperr.M("姓名不超过50字", "name has at most 50 characters"))
	}
	slices.SortFunc(tags, func(a, b Tag) int { return slices.Index(Tags, a) - slices.Index(Tags, b) })
	return tags, f.Err()
}

// Satisfaction is the satisfaction rate: (非常满意 + 满意 + 基本满意) ÷ all
// ratings, nil when there are none.
func Satisfaction(satisfied, all int) *float64 {
	if all == 0 {
		return nil
	}
	r := float64(satisfied) / float64(all)
	return &r
}

func encodeTags(tags []Tag) string {
	if len(tags) == 0 {
		return ""
	}
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = string(t)
	}
	return "," + strings.Join(parts, ",") + ","
}

func decodeTags(s string) []Tag {
	out := []Tag{}
	for _, p := range strings.Split(strings.Trim(s, ","), ",") {
		if p != "" {
			out = append(out, Tag(p))
		}
	}
	return out
}

func errNotFound() *apperr.Error {
	return apperr.NotFoundf("rating_subject_not_found", apperr.M("没有可评价的办件或号票", "no such case or visit to rate"))
}

// errHidden looks like errNotFound to the caller, so that a number reveals
// nothing, but is audited as a refusal.
func errHidden() *apperr.Error {
	e := errNotFound()
	e.Denied = true
	return e
}
