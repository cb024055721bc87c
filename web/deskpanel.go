package web

import (
	"slices"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
)

// The front desk decides on an application in one panel: the materials
// received now are ticked once, then one decision is chosen. Each choice is
// one case action; 容缺受理 is acceptance with a deadline for the materials
// that follow.
type panelChoice struct {
	Value   string // the decision field's value
	Action  cases.Action
	Label   string // message keys
	Hint    string
	Reasons bool // the reasons box belongs to this choice
	Waiver  bool // the waiver deadline belongs to this choice
	Final   bool // asked again before it is done
	Checked bool
}

// deskPanel is the panel of a case at the front desk.
type deskPanel struct {
	Choices  []panelChoice
	Missing  []materialRow // materials not provided yet: the checklist
	Reasons  bool          // some choice needs the reasons box
	Waiver   bool
	Reasoned string // the values of the choices that need reasons, for the page's script
}

// panelDecisions are the decisions the panel offers, in the order shown.
var panelDecisions = []panelChoice{
	{Value: "accept", Action: cases.Accept, Label: "panel.accept", Hint: "panel.accept_hint"},
	{Value: "accept_waiver", Action: cases.Accept, Label: "panel.accept_waiver", Hint: "panel.waiver_hint", Waiver: true},
	{Value: "notify_missing", Action: cases.NotifyMissing, Label: "panel.notify", Hint: "panel.notify_hint"},
	{Value: "supplement", Action: cases.Supplement, Label: "panel.supplement", Hint: "panel.supplement_hint"},
	{Value: "receive", Action: cases.Receive, Label: "panel.receive", Hint: "panel.receive_hint"},
	{Value: "not_accept", Action: cases.NotAccept, Label: "panel.not_accept", Hint: "panel.not_accept_hint", Reasons: true, Final: true},
	{Value: "return_pre_review", Action: cases.ReturnPreReview, Label: "panel.return", Hint: "panel.return_hint", Reasons: true},
}

// decisionAction is the case action of a panel decision.
func decisionAction(value string) (panelChoice, bool) {
	i := slices.IndexFunc(panelDecisions, func(c panelChoice) bool { return c.Value == value })
	if i < 0 {
		return panelChoice{}, false
	}
	return panelDecisions[i], true
}

// panelFor builds the front desk's panel from the actions allowed now and
// takes those actions out of the list of separate forms; nil for other
// roles, or when none of the panel's actions is allowed.
func panelFor(role auth.Role, d *caseData) *deskPanel {
	if role != auth.RoleFrontDesk {
		return nil
	}
	allowed := func(a cases.Action) bool {
		return slices.ContainsFunc(d.Actions, func(f actionForm) bool { return f.Action == a })
	}
	waivable := len(d.Check.WaivableMissing) > 0
	p := &deskPanel{}
	for _, c := range panelDecisions {
		if !allowed(c.Action) || c.Waiver && !waivable {
			continue
		}
		p.Choices = append(p.Choices, c)
	}
	if len(p.Choices) == 0 {
		return nil
	}
	// The expected step is chosen already: accepting when nothing required
	// is missing (with 容缺 when something may follow), the one-time notice
	// otherwise.
	want := "notify_missing"
	switch {
	case d.Check.Acceptable() && waivable:
		want = "accept_waiver"
	case d.Check.Acceptable():
		want = "accept"
	}
	if !slices.ContainsFunc(p.Choices, func(c panelChoice) bool { return c.Value == want }) {
		want = p.Choices[0].Value
	}
	var reasoned []string
	for i := range p.Choices {
		c := &p.Choices[i]
		c.Checked = c.Value == want
		p.Reasons = p.Reasons || c.Reasons
		p.Waiver = p.Waiver || c.Waiver
		if c.Reasons {
			reasoned = append(reasoned, c.Value)
		}
	}
	for _, r := range reasoned {
		if p.Reasoned != "" {
			p.Reasoned += " "
		}
		p.Reasoned += r
	}
	for _, m := range d.Materials {
		if m.Provided == nil {
			p.Missing = append(p.Missing, m)
		}
	}
	d.Actions = slices.DeleteFunc(d.Actions, func(f actionForm) bool {
		return slices.ContainsFunc(p.Choices, func(c panelChoice) bool { return c.Action == f.Action })
	})
	return p
}
