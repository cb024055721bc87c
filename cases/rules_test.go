package cases

import (
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
)

// allowed spells out, independently of the rules table, every action each
// role may take in each state and where it leads ("" = back where it was).
// Any pair not listed must be refused.
var allowed = map[auth.Role]map[State]map[Action]State{
	RoleApplicant: {
		Draft:             {Submit: Submitted, Withdraw: Withdrawn},
		PreReviewReturned: {Submit: Submitted, Withdraw: Withdrawn},
		Submitted:         {Withdraw: Withdrawn},
		Received:          {Withdraw: Withdrawn},
		SupplementNeeded:  {Supplement: "", Withdraw: Withdrawn},
		Accepted:          {Withdraw: Withdrawn},
		InReview:          {Withdraw: Withdrawn},
		Issued:            {Close: Closed},
	},
	RoleFrontDesk: {
		Draft:             {Withdraw: Withdrawn},
		PreReviewReturned: {Withdraw: Withdrawn},
		Submitted: {ReturnPreReview: PreReviewReturned, Receive: Received, NotifyMissing: SupplementNeeded,
			Accept: Accepted, NotAccept: NotAccepted, Withdraw: Withdrawn},
		Received:         {NotifyMissing: SupplementNeeded, Accept: Accepted, NotAccept: NotAccepted, Withdraw: Withdrawn},
		SupplementNeeded: {Supplement: "", NotAccept: NotAccepted, Withdraw: Withdrawn},
		Accepted:         {Withdraw: Withdrawn},
		InReview:         {Withdraw: Withdrawn},
	},
	RoleReviewer: {
		Draft:             {Terminate: Terminated},
		Submitted:         {Terminate: Terminated},
		PreReviewReturned: {Terminate: Terminated},
		Received:          {Terminate: Terminated},
		SupplementNeeded:  {Terminate: Terminated},
		Accepted: {StartReview: InReview, RequestSupplement: SupplementNeeded, Approve: Approved, Refuse: Refused,
			Terminate: Terminated},
		InReview: {RequestSupplement: SupplementNeeded, Approve: Approved, Refuse: Refused, Terminate: Terminated,
			StartSpecial: InReview, EndSpecial: InReview},
		Approved: {PrepareResult: ReadyForIssue},
		Refused:  {PrepareResult: ReadyForIssue},
	},
	RoleIssuer: {
		Approved:      {PrepareResult: ReadyForIssue},
		Refused:       {PrepareResult: ReadyForIssue},
		ReadyForIssue: {Issue: Issued},
		Issued:        {Close: Closed},
	},
	RoleHallManager: {},
	RoleAdmin: {
		Draft: {Terminate: Terminated}, Submitted: {Terminate: Terminated}, PreReviewReturned: {Terminate: Terminated},
		Received:         {Terminate: Terminated},
		SupplementNeeded: {Terminate: Terminated, Extend: SupplementNeeded},
		Accepted:         {Terminate: Terminated, Extend: Accepted},
		InReview:         {Terminate: Terminated, Extend: InReview},
	},
}

func TestNextEveryStateActionRole(t *testing.T) {
	if len(States) != 15 || len(Actions) != 19 || len(Roles) != 6 {
		t.Fatalf("the table covers 15 states, 19 actions, 6 roles; got %d, %d, %d: update allowed", len(States), len(Actions), len(Roles))
	}
	for _, role := range Roles {
		for _, st := range States {
			for _, a := range Actions {
				want, ok := allowed[role][st][a]
				got, err := Next(st, a, role)
				name := string(role) + "/" + string(st) + "/" + string(a)
				if ok {
					if err != nil {
						t.Errorf("%s: refused (%v), want allowed → %q", name, err, want)
					} else if got != want {
						t.Errorf("%s: → %q, want %q", name, got, want)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s: allowed → %q, want refused", name, got)
					continue
				}
				// A role that may never do the action is Forbidden; a role that may, in another state, gets Conflict.
				code := apperr.CodeOf(err)
				mayEver := false
				for _, acts := range allowed[role] {
					if _, ok := acts[a]; ok {
						mayEver = true
					}
				}
				if mayEver && code != apperr.Conflict {
					t.Errorf("%s: error %v, want a conflict (wrong state)", name, err)
				}
				if !mayEver && code != apperr.Forbidden {
					t.Errorf("%s: error %v, want forbidden (wrong role)", name, err)
				}
			}
		}
	}
}

func TestNextUnknownAction(t *testing.T) {
	if _, err := Next(Received, "approve_everything", RoleAdmin); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("unknown action: %v, want invalid", err)
	}
}

func TestFinalStatesAllowNothing(t *testing.T) {
	for _, st := range []State{Closed, Withdrawn, Terminated, NotAccepted} {
		if !st.Final() {
			t.Errorf("%s should be final", st)
		}
		for _, r := range Roles {
			if acts := Allowed(st, r); len(acts) > 0 {
				t.Errorf("%s allows %v to %s", st, acts, r)
			}
		}
	}
}

func TestConflictMessageNamesState(t *testing.T) {
	_, err := Next(Approved, Approve, RoleReviewer)
	ae := apperr.As(err)
	if ae.Code != apperr.Conflict || ae.Extra["state"] != Approved || !strings.Contains(ae.Message.ZH, "准予办理") {
		t.Fatalf("got %+v, want a conflict naming the current state", ae)
	}
}

func TestCheckMaterials(t *testing.T) {
	it := &catalog.Item{Materials: []catalog.Material{
		{Name: "居民身份证", Type: "id_card", Requirement: catalog.Required},
		{Name: "户口簿", Type: "household_register", Requirement: catalog.Required},
		{Name: "结婚证", Type: "marriage_certificate", Requirement: catalog.Waivable},
		{Name: "照片", Type: "photo", Requirement: catalog.Optional},
	}}
	types := func(ms []catalog.Material) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Type)
		}
		return out
	}
	tests := []struct {
		name           string
		provided       []string
		missing        []string
		waivable       []string
		acceptable     bool
		complete       bool
		unknownContain string
	}{
		{"nothing brought: every required and waivable one listed at once", nil,
			[]string{"id_card", "household_register"}, []string{"marriage_certificate"}, false, false, ""},
		{"required ones only: 容缺", []string{"id_card", "household_register"}, nil, []string{"marriage_certificate"}, true, false, ""},
		{"all but optional: complete", []string{"id_card", "household_register", "marriage_certificate"}, nil, nil, true, true, ""},
		{"one required missing", []string{"id_card", "marriage_certificate", "photo"}, []string{"household_register"}, nil, false, false, ""},
		{"unknown type reported", []string{"id_card", "household_register", "marriage_certificate", "passport"}, nil, nil, true, true, "passport"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := CheckMaterials(it, tc.provided)
			if got := types(c.Missing); !slices.Equal(got, tc.missing) {
				t.Errorf("missing %v, want %v", got, tc.missing)
			}
			if got := types(c.WaivableMissing); !slices.Equal(got, tc.waivable) {
				t.Errorf("waivable %v, want %v", got, tc.waivable)
			}
			if c.Acceptable() != tc.acceptable || c.Complete() != tc.complete {
				t.Errorf("acceptable %v complete %v, want %v %v", c.Acceptable(), c.Complete(), tc.acceptable, tc.complete)
			}
			if tc.unknownContain != "" && !slices.Contains(c.Unknown, tc.unknownContain) {
				t.Errorf("unknown %v, want it to contain %s", c.Unknown, tc.unknownContain)
			}
		})
	}
}

// A case breaches its SLA at the overdue step it reaches first: the fewest
// days past due (0 counts as 1, the first overdue day), then the lowest level.
func TestBreachStep(t *testing.T) {
	if st, ok := BreachStep(DefaultLadder); !ok || st.Kind != SLAOverdue || st.Level != 2 {
		t.Errorf("default ladder: %+v %v, want the level 2 overdue step", st, ok)
	}
	ladder := []Step{
		{Level: 1, Kind: SLAWarning},
		{Level: 4, Kind: SLAOverdue, AfterOverdueDays: 5},
		{Level: 3, Kind: SLAOverdue, AfterOverdueDays: 1},
		{Level: 2, Kind: SLAOverdue, AfterOverdueDays: 0},
	}
	if st, ok := BreachStep(ladder); !ok || st.Level != 2 {
		t.Errorf("0 and 1 days past due are the same day: %+v %v, want level 2", st, ok)
	}
	if st, ok := BreachStep(ladder[:3]); !ok || st.Level != 3 {
		t.Errorf("%+v %v, want level 3", st, ok)
	}
	if _, ok := BreachStep(ladder[:1]); ok {
		t.Error("a ladder without overdue steps has a breach step")
	}
}

// Allowed answers what Next answers, for every state, action and role: the
// list the UIs show never offers a refused action nor hides a permitted one.
func TestAllowedAgreesWithNext(t *testing.T) {
	permitted := 0
	for st := range StateNames {
		for _, r := range Roles {
			allowed := Allowed(st, r)
			for _, a := range Actions {
				_, err := Next(st, a, r)
				if (err == nil) != slices.Contains(allowed, a) {
					t.Errorf("%s by %s in %s: Next says %v, Allowed lists %v", a, r, st, err, allowed)
				}
				if err == nil {
					permitted++
				}
			}
		}
	}
	if permitted == 0 {
		t.Fatal("no action permitted anywhere: the check compared nothing")
	}
}
