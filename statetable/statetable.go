// Package statetable holds the one rule by which a lifecycle written as a
// table of actions decides a transition: who may take an action, from which
// statuses, and to which status it leads. Enterprise requests (驻企服务) and
// the follow-ups of bad ratings (差评整改) are such tables; each keeps its
// own table, nouns and names.
package statetable

import (
	"slices"

	"github.com/onewindow/onewindow/apperr"
)

// Rule is one action: the statuses it may be taken from, the status it leads
// to, and the parties who may take it.
type Rule[S ~string, P comparable] struct {
	From    []S
	To      S
	Parties []P
}

// Table is a lifecycle: its actions in the order pages show them, a rule for
// each, and the words its refusals are written with.
type Table[S ~string, A ~string, P comparable] struct {
	Actions []A
	Rules   map[A]Rule[S, P]
	// Nobody is the party of someone who may not even see the object: they
	// get Hidden, which must not tell that it exists.
	Nobody P
	Hidden func() *apperr.Error
	// Noun names the object in refusals ("诉求" / "request").
	Noun        apperr.Msg
	ActionNames map[A]apperr.Msg
	StatusNames map[S]apperr.Msg
}

// Next returns the status action leads to from `from` when taken by party.
// Errors: NotFound for an unknown action and (through Hidden) for no party
// at all, Forbidden when the party may never take the action, Conflict
// when the status does not allow it.
func (t Table[S, A, P]) Next(from S, action A, party P) (S, error) {
	var none S
	r, ok := t.Rules[action]
	if !ok {
		return none, apperr.New(apperr.NotFound, "unknown_action", apperr.M("未知的操作", "unknown action")).With("action", action)
	}
	if party == t.Nobody {
		return none, t.Hidden()
	}
	if !slices.Contains(r.Parties, party) {
		e := apperr.New(apperr.Forbidden, "party_not_allowed", apperr.M(
			"您不能对该"+t.Noun.ZH+"执行此操作（"+t.ActionNames[action].ZH+"）",
			"you may not do this to the "+t.Noun.EN+" ("+t.ActionNames[action].EN+")")).With("action", action)
		e.Denied = true
		return none, e
	}
	if !slices.Contains(r.From, from) {
		return none, apperr.New(apperr.Conflict, "illegal_transition", apperr.M(
			t.Noun.ZH+"当前状态（"+t.StatusNames[from].ZH+"）不允许此操作",
			"the "+t.Noun.EN+" is "+t.StatusNames[from].EN+" and does not allow this action")).
			With("status", from).With("action", action)
	}
	return r.To, nil
}

// Allowed lists the actions party may take in status s, in table order, for
// pages to offer.
func (t Table[S, A, P]) Allowed(s S, party P) []A {
	out := []A{}
	for _, a := range t.Actions {
		if _, err := t.Next(s, a, party); err == nil {
			out = append(out, a)
		}
	}
	return out
}
