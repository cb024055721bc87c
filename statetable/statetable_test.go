package statetable

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/apperr"
)

type status string
type action string
type party int

const (
	nobody party = iota
	clerk
	chief
)

// A small licence lifecycle: a clerk drafts, only a chief signs.
var licence = Table[status, action, party]{
	Actions: []action{"submit", "sign", "withdraw"},
	Rules: map[action]Rule[status, party]{
		"submit":   {[]status{"draft"}, "submitted", []party{clerk}},
		"sign":     {[]status{"submitted"}, "signed", []party{chief}},
		"withdraw": {[]status{"draft", "submitted"}, "withdrawn", []party{clerk, chief}},
	},
	Nobody: nobody,
	Hidden: func() *apperr.Error {
		return apperr.New(apperr.NotFound, "licence_not_found", apperr.M("没有这个证照", "no such licence"))
	},
	Noun:        apperr.M("证照", "licence"),
	ActionNames: map[action]apperr.Msg{"submit": apperr.M("提交", "submit"), "sign": apperr.M("签发", "sign"), "withdraw": apperr.M("撤回", "withdraw")},
	StatusNames: map[status]apperr.Msg{"draft": apperr.M("草稿", "a draft"), "submitted": apperr.M("已提交", "submitted"), "signed": apperr.M("已签发", "signed")},
}

func TestNext(t *testing.T) {
	for _, c := range []struct {
		from   status
		action action
		party  party
		to     status
		code   string // the refusal's code, "" when allowed
		class  apperr.Code
		words  string // in the refusal's Chinese message
	}{
		{"draft", "submit", clerk, "submitted", "", "", ""},
		{"submitted", "sign", chief, "signed", "", "", ""},
		{"submitted", "withdraw", chief, "withdrawn", "", "", ""},
		{"draft", "sign", clerk, "", "party_not_allowed", apperr.Forbidden, "您不能对该证照执行此操作（签发）"},
		{"draft", "sign", chief, "", "illegal_transition", apperr.Conflict, "证照当前状态（草稿）不允许此操作"},
		{"draft", "submit", nobody, "", "licence_not_found", apperr.NotFound, "没有这个证照"},
		{"draft", "burn", clerk, "", "unknown_action", apperr.NotFound, "未知的操作"},
	} {
		to, err := licence.Next(c.from, c.action, c.party)
		if c.code == "" {
			if err != nil || to != c.to {
				t.Errorf("%s %s by %d: %q, %v; want %q", c.from, c.action, c.party, to, err, c.to)
			}
			continue
		}
		e := apperr.As(err)
		if e == nil || e.Reason != c.code || e.Code != c.class || e.Message.ZH != c.words {
			t.Errorf("%s %s by %d: %v, want %s (%s) saying %q", c.from, c.action, c.party, err, c.code, c.class, c.words)
		}
		if e != nil && c.code == "party_not_allowed" && !e.Denied {
			t.Errorf("a party refused an action is not marked denied (audited)")
		}
	}
}

func TestAllowedInTableOrder(t *testing.T) {
	if got := licence.Allowed("submitted", chief); !slices.Equal(got, []action{"sign", "withdraw"}) {
		t.Errorf("a chief on a submitted licence may %v", got)
	}
	if got := licence.Allowed("signed", chief); got == nil || len(got) != 0 {
		t.Errorf("on a signed licence: %#v, want an empty list (not nil)", got)
	}
}
