package finance

import (
	"testing"

	"github.com/onewindow/onewindow/apperr"
)

func product(id int64, mutate func(*Product)) Product {
	p := Product{ID: id, Name: "p", AmountMin: 1_000_000, AmountMax: 10_000_000, TermMin: 6, TermMax: 36, RateMinBP: 350, RateMaxBP: 600,
		Collateral: []string{CollateralProperty}, Industries: []string{"manufacturing"}, Regions: []string{"2202"},
		ValidFrom: "2026-01-01", ValidTo: "2026-12-31"}
	if mutate != nil {
		mutate(&p)
	}
	return p
}

var need = Need{Industry: "manufacturing", RegionCode: "220204", Amount: 5_000_000, Term: 12, Collateral: []string{CollateralProperty}}

func TestCheckProduct(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Product)
		missed Criterion // "" when every criterion is met
	}{
		{"everything fits", nil, ""},
		{"amount below the minimum", func(p *Product) { p.AmountMin = 6_000_000 }, CriterionAmount},
		{"amount above the maximum", func(p *Product) { p.AmountMax = 4_999_999 }, CriterionAmount},
		{"amount on the maximum fits", func(p *Product) { p.AmountMax = 5_000_000 }, ""},
		{"term too long", func(p *Product) { p.TermMax = 11 }, CriterionTerm},
		{"term too short", func(p *Product) { p.TermMin = 13 }, CriterionTerm},
		{"other industry", func(p *Product) { p.Industries = []string{"tourism"} }, CriterionIndustry},
		{"any industry", func(p *Product) { p.Industries = nil }, ""},
		{"other region", func(p *Product) { p.Regions = []string{"2205"} }, CriterionRegion},
		{"province covers the county", func(p *Product) { p.Regions = []string{"22"} }, ""},
		{"a region code is a prefix, not a substring", func(p *Product) { p.Regions = []string{"0204"} }, CriterionRegion},
		{"collateral not offered", func(p *Product) { p.Collateral = []string{CollateralIP, CollateralReceivables} }, CriterionCollateral},
		{"credit product needs none", func(p *Product) { p.Collateral = []string{CollateralNone} }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checks := CheckProduct(product(1, c.mutate), need)
			if len(checks) != 5 {
				t.Fatalf("%d checks, want 5", len(checks))
			}
			for _, ch := range checks {
				wantMet := ch.Criterion != c.missed
				if ch.Met != wantMet {
					t.Errorf("%s: met = %v, want %v (%s)", ch.Criterion, ch.Met, wantMet, ch.Why.EN)
				}
				if ch.Why.ZH == "" || ch.Why.EN == "" {
					t.Errorf("%s: explanation missing in a language: %+v", ch.Criterion, ch.Why)
				}
			}
		})
	}
}

func TestRankOrdersEligibleFirstThenScoreThenRate(t *testing.T) {
	products := []Product{
		product(1, func(p *Product) { p.RateMinBP = 500 }),            // eligible, dearer
		product(2, func(p *Product) { p.Regions = []string{"2205"} }), // misses region: 85
		product(3, func(p *Product) { p.RateMinBP = 300 }),            // eligible, cheapest
		product(4, func(p *Product) { p.ValidTo = "2025-12-31" }),     // expired: left out
		product(5, func(p *Product) {
			p.AmountMin = 9e9
			p.AmountMax = 9e9
			p.TermMin = 100
			p.TermMax = 200
			p.Industries = []string{"tourism"}
			p.Regions = []string{"11"}
			p.Collateral = []string{CollateralIP}
		}), // meets nothing: left out
		product(6, func(p *Product) { p.TermMax = 6; p.Regions = []string{"11"} }), // misses term and region: 60
	}
	got := Rank(products, need, "2026-03-02")
	var ids []int64
	for _, m := range got {
		ids = append(ids, m.Product.ID)
	}
	want := []int64{3, 1, 2, 6}
	if len(ids) != len(want) {
		t.Fatalf("ranked %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("ranked %v, want %v", ids, want)
		}
	}
	if !got[0].Eligible || got[0].Score != 100 || got[2].Eligible || got[2].Score != 85 || got[3].Score != 60 {
		t.Errorf("scores: %+v", got)
	}
}

func TestNextApplication(t *testing.T) {
	cases := []struct {
		from   Status
		action Action
		party  Party
		to     Status
		reason string
	}{
		{Sent, ActAccept, PartyInstitution, Accepted, ""},
		{Sent, ActApprove, PartyInstitution, Approved, ""},
		{Accepted, ActApprove, PartyInstitution, Approved, ""},
		{Approved, ActDisburse, PartyInstitution, Disbursed, ""},
		{Accepted, ActRefuse, PartyInstitution, Refused, ""},
		{Sent, ActWithdraw, PartyEnterprise, Withdrawn, ""},
		{Sent, ActAccept, PartyEnterprise, "", "role_not_allowed"},
		{Sent, ActWithdraw, PartyInstitution, "", "role_not_allowed"},
		{Sent, ActApprove, PartyNone, "", "role_not_allowed"},
		{Sent, ActDisburse, PartyInstitution, "", "illegal_transition"},
		{Approved, ActRefuse, PartyInstitution, "", "illegal_transition"},
		{Disbursed, ActWithdraw, PartyEnterprise, "", "illegal_transition"},
		{Refused, ActAccept, PartyInstitution, "", "illegal_transition"},
		{Sent, "bribe", PartyInstitution, "", "unknown_action"},
	}
	for _, c := range cases {
		to, err := Next(c.from, c.action, c.party)
		if c.reason == "" {
			if err != nil || to != c.to {
				t.Errorf("%s %s by %s = %s, %v; want %s", c.from, c.action, c.party, to, err, c.to)
			}
			continue
		}
		if e := apperr.As(err); e == nil || e.Reason != c.reason {
			t.Errorf("%s %s by %s: err %v, want %s", c.from, c.action, c.party, err, c.reason)
		}
	}
}

func TestOverdue(t *testing.T) {
	cases := []struct {
		s     Status
		today string
		want  bool
	}{
		{Sent, "2026-03-09", false},     // the due day itself is still in time
		{Sent, "2026-03-10", true},      // the day after
		{Accepted, "2026-03-10", true},  // accepted but not answered
		{Approved, "2026-03-10", false}, // answered
		{Refused, "2026-04-01", false},
		{Withdrawn, "2026-04-01", false},
	}
	for _, c := range cases {
		if got := Overdue(c.s, "2026-03-09", c.today); got != c.want {
			t.Errorf("Overdue(%s, due 2026-03-09, %s) = %v, want %v", c.s, c.today, got, c.want)
		}
	}
}

func TestCheckBridge(t *testing.T) {
	f := Fund{LimitPerEnterprise: 20_000_000, MaxDays: 15, FeeBPPerDay: 1}
	cases := []struct {
		name                  string
		amount                int64
		days                  int
		maturing, outstanding int64
		field, code           string
	}{
		{"within every rule", 10_000_000, 10, 10_000_000, 0, "", ""},
		{"up to the limit with what is held", 5_000_000, 15, 8_000_000, 15_000_000, "", ""},
		{"over the limit with what is held", 5_000_001, 15, 8_000_000, 15_000_000, "amount", "over_limit"},
		{"more than the maturing loan", 10_000_001, 10, 10_000_000, 0, "amount", "over_maturing"},
		{"zero amount", 0, 10, 10_000_000, 0, "amount", "positive"},
		{"longer than the fund allows", 1_000_000, 16, 10_000_000, 0, "days", "over_max"},
		{"no days", 1_000_000, 0, 10_000_000, 0, "days", "positive"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := f.CheckBridge(c.amount, c.days, c.maturing, c.outstanding)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != c.field || e.Fields[0].Code != c.code {
				t.Fatalf("err %v, want %s/%s", err, c.field, c.code)
			}
		})
	}
}

func TestFee(t *testing.T) {
	f := Fund{FeeBPPerDay: 1}
	cases := []struct {
		amount int64
		days   int
		want   int64
	}{
		{10_000_000, 10, 10_000}, // 1 bp a day for 10 days of 10 m yuan
		{10_000, 1, 1},
		{1, 1, 1}, // rounded up
		{0, 5, 0},
	}
	for _, c := range cases {
		if got := f.Fee(c.amount, c.days); got != c.want {
			t.Errorf("Fee(%d, %d) = %d, want %d", c.amount, c.days, got, c.want)
		}
	}
}
