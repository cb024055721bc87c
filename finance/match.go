package finance

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/onewindow/onewindow/apperr"
)

// Criterion names one matching rule.
type Criterion string

const (
	CriterionAmount     Criterion = "amount"
	CriterionTerm       Criterion = "term"
	CriterionIndustry   Criterion = "industry"
	CriterionRegion     Criterion = "region"
	CriterionCollateral Criterion = "collateral"
)

// criterionWeights: the amount and the term decide whether a loan can be
// made at all, so they weigh most; the total is 100.
var criterionWeights = map[Criterion]int{
	CriterionAmount: 30, CriterionTerm: 25, CriterionIndustry: 15, CriterionRegion: 15, CriterionCollateral: 15,
}

// Check is one criterion for one product, with its explanation.
type Check struct {
	Criterion Criterion  `json:"criterion"`
	Met       bool       `json:"met"`
	Why       apperr.Msg `json:"why"`
}

// Match is a product ranked for a need.
type Match struct {
	Product  Product `json:"product"`
	Score    int     `json:"score"`    // 0–100, the weights of the criteria met
	Eligible bool    `json:"eligible"` // every criterion met
	Checks   []Check `json:"checks"`
}

// yuanText writes an amount in 万元 as the pages and the seeds do.
func yuanText(v int64) string {
	if v%10000 == 0 {
		return fmt.Sprintf("%d万元", v/10000)
	}
	return fmt.Sprintf("%.2f万元", float64(v)/10000)
}

// yuanEN writes an amount in yuan with thousands separators, for English.
func yuanEN(v int64) string {
	s := fmt.Sprint(v)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + " yuan"
}

// CheckProduct applies every criterion of p to n.
func CheckProduct(p Product, n Need) []Check {
	var out []Check
	amountMet := n.Amount >= p.AmountMin && n.Amount <= p.AmountMax
	span := yuanText(p.AmountMin) + "–" + yuanText(p.AmountMax)
	spanEN := yuanEN(p.AmountMin) + " to " + yuanEN(p.AmountMax)
	out = append(out, Check{CriterionAmount, amountMet, pick(amountMet,
		apperr.M("需求金额"+yuanText(n.Amount)+"在产品额度"+span+"之内", "the amount needed, "+yuanEN(n.Amount)+", is within "+spanEN),
		apperr.M("需求金额"+yuanText(n.Amount)+"不在产品额度"+span+"之内", "the amount needed, "+yuanEN(n.Amount)+", is outside "+spanEN))})
	termMet := n.Term >= p.TermMin && n.Term <= p.TermMax
	terms := fmt.Sprintf("%d–%d", p.TermMin, p.TermMax)
	out = append(out, Check{CriterionTerm, termMet, pick(termMet,
		apperr.M(fmt.Sprintf("期限%d个月在产品期限%s个月之内", n.Term, terms), fmt.Sprintf("the term of %d months is within %s months", n.Term, terms)),
		apperr.M(fmt.Sprintf("期限%d个月不在产品期限%s个月之内", n.Term, terms), fmt.Sprintf("the term of %d months is outside %s months", n.Term, terms)))})
	industryMet := len(p.Industries) == 0 || slices.Contains(p.Industries, n.Industry)
	ind := Industries[n.Industry]
	if ind.ZH == "" {
		ind = apperr.M(n.Industry, n.Industry)
	}
	out = append(out, Check{CriterionIndustry, industryMet, pick(industryMet,
		pick(len(p.Industries) == 0, apperr.M("产品不限行业", "the product serves every industry"),
			apperr.M("产品面向"+ind.ZH+"企业", "the product serves "+ind.EN)),
		apperr.M("产品不面向"+ind.ZH+"企业", "the product does not serve "+ind.EN))})
	regionMet := len(p.Regions) == 0 || slices.ContainsFunc(p.Regions, func(r string) bool { return strings.HasPrefix(n.RegionCode, r) })
	out = append(out, Check{CriterionRegion, regionMet, pick(regionMet,
		pick(len(p.Regions) == 0, apperr.M("产品不限地区", "the product serves every region"),
			apperr.M("企业所在地区"+n.RegionCode+"在产品服务范围内", "region "+n.RegionCode+" is served")),
		apperr.M("企业所在地区"+n.RegionCode+"不在产品服务范围（"+strings.Join(p.Regions, "、")+"）内",
			"region "+n.RegionCode+" is not among "+strings.Join(p.Regions, ", ")))})
	out = append(out, collateralCheck(p, n))
	return out
}

func collateralCheck(p Product, n Need) Check {
	if len(p.Collateral) == 0 || slices.Contains(p.Collateral, CollateralNone) {
		return Check{CriterionCollateral, true, apperr.M("产品无需抵押担保", "the product asks for no collateral")}
	}
	for _, c := range n.Collateral {
		if slices.Contains(p.Collateral, c) {
			name := CollateralNames[c]
			return Check{CriterionCollateral, true, apperr.M("产品接受企业提供的"+name.ZH, "the product accepts the "+name.EN+" offered")}
		}
	}
	var zh, en []string
	for _, c := range p.Collateral {
		zh, en = append(zh, CollateralNames[c].ZH), append(en, CollateralNames[c].EN)
	}
	return Check{CriterionCollateral, false, apperr.M("产品要求"+strings.Join(zh, "或")+"，企业未提供", "the product asks for "+strings.Join(en, " or ")+", which is not offered")}
}

func pick(cond bool, yes, no apperr.Msg) apperr.Msg {
	if cond {
		return yes
	}
	return no
}

// ValidOn reports whether p is offered on day (YYYY-MM-DD).
func (p Product) ValidOn(day string) bool { return p.ValidFrom <= day && day <= p.ValidTo }

// Rank returns the products valid on day that meet at least one criterion
// for n, best first: eligible ones before the rest, then by score, then by
// the lower bound of the rate, then by product id.
func Rank(products []Product, n Need, day string) []Match {
	out := []Match{}
	for _, p := range products {
		if !p.ValidOn(day) {
			continue
		}
		m := Match{Product: p, Checks: CheckProduct(p, n), Eligible: true}
		for _, c := range m.Checks {
			if c.Met {
				m.Score += criterionWeights[c.Criterion]
			} else {
				m.Eligible = false
			}
		}
		if m.Score > 0 {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Eligible != b.Eligible:
			return a.Eligible
		case a.Score != b.Score:
			return a.Score > b.Score
		case a.Product.RateMinBP != b.Product.RateMinBP:
			return a.Product.RateMinBP < b.Product.RateMinBP
		}
		return a.Product.ID < b.Product.ID
	})
	return out
}
