package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/finance"
)

// The pages of 产融合作 and the 应急周转金: an enterprise posts a financing
// need, reads the products ranked for it with every criterion explained,
// applies, follows its applications and applies for a bridge loan; a
// financial institution's officer publishes products and answers the
// applications sent to it; the administrator sees overdue answers, the
// fund, its loans and the figures.

var financeOfficers = access{auth.RoleFinanceOfficer}

func (w *Web) financeRoutes() {
	needID := recordID("need_not_found")
	show(w, "GET /finance", applicants, "finance", "finance.title", w.financeHomeData)
	w.handle("POST /finance/needs", applicants, w.postNeed)
	show(w, "GET /finance/needs/{id}", applicants, "finance_need", "finance.need_title", w.needData, needID)
	w.handle("POST /finance/needs/{id}/send", applicants, w.sendNeed, needID)
	w.handle("POST /finance/applications/{id}/{action}", access{auth.RoleApplicant, auth.RoleFinanceOfficer}, w.actApplication,
		recordID("application_not_found"))
	w.handle("POST /finance/bridge", applicants, w.applyBridge)
	show(w, "GET /bank", financeOfficers, "bank", "bank.title", w.bankData)
	w.handle("POST /bank/products", financeOfficers, w.publishProduct)
	show(w, "GET /admin/finance", admins, "admin_finance", "adminfinance.title", w.adminFinance)
	w.handle("POST /admin/finance/bridge/{id}/{action}", admins, w.actBridge, recordID("bridge_loan_not_found"))
}

// LoanKind, Collateral, Industry and the statuses label the platform's codes.
func (l Lang) LoanKind(k string) string { return l.Msg(finance.ProductKinds[k]) }
func (l Lang) Collateral(c string) string {
	return l.Msg(finance.CollateralNames[c])
}
func (l Lang) Industry(c string) string     { return l.Msg(finance.Industries[c]) }
func (l Lang) BridgeAction(a string) string { return l.keyed(bridgeActionKeys, a) }
func (l Lang) LoanStatus(s finance.Status) string {
	return l.Msg(finance.StatusNames[s])
}
func (l Lang) BridgeStatus(s finance.BridgeStatus) string {
	return l.Msg(finance.BridgeStatusNames[s])
}
func (l Lang) LoanAction(a finance.Action) string { return l.keyed(loanActionKeys, string(a)) }
func (l Lang) Criterion(c finance.Criterion) string {
	return l.keyed(criterionKeys, string(c))
}

// wan writes yuan as 万元 with up to two decimals, as the seeds count money.
func wan(yuan int64) string {
	s := strconv.FormatFloat(float64(yuan)/10000, 'f', 2, 64)
	return strings.TrimSuffix(strings.TrimSuffix(s, "0"), ".0")
}

// yi writes yuan as 亿元 with two decimals.
func yi(yuan int64) string { return strconv.FormatFloat(float64(yuan)/1e8, 'f', 2, 64) }

// rate writes basis points as a yearly percentage.
func rate(bp int) string { return strconv.FormatFloat(float64(bp)/100, 'f', 2, 64) + "%" }

// formWan reads an amount given in 万元 (up to two decimals) as yuan; a
// missing or unreadable amount is 0, which the services refuse naming the field.
func formWan(r *http.Request, field string) int64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue(field)), 64)
	if err != nil || v <= 0 || v > 1e8 || math.IsNaN(v) {
		return 0
	}
	return int64(math.Round(v * 10000))
}

func formWhole(r *http.Request, field string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(field)))
	return n
}

type financeHomeData struct {
	Needs        []finance.Need
	Applications []finance.Application
	Bridge       []finance.BridgeLoan
	Funds        []finance.Fund
	Industries   []string
	Collateral   []string
	Done         string
	Form         map[string]string
}

var industryCodes = []string{"manufacturing", "chemicals", "agriculture", "medicine", "technology", "trade", "tourism"}

func (w *Web) financeHomeData(ctx context.Context, c *call) (financeHomeData, error) {
	u := c.User
	d := financeHomeData{Industries: industryCodes, Collateral: finance.CollateralKinds, Done: c.Query("done"), Form: map[string]string{}}
	var err error
	if d.Needs, err = w.Finance.Needs(ctx, u); err != nil {
		return d, err
	}
	if d.Applications, err = w.Finance.Applications(ctx, u, finance.ApplicationFilter{}); err != nil {
		return d, err
	}
	if d.Bridge, err = w.Finance.BridgeLoans(ctx, u); err != nil {
		return d, err
	}
	d.Funds, err = w.Finance.Funds(ctx)
	return d, err
}

// financeAgain is the enterprise's finance page again after a failed form,
// with what was typed into fields (under prefix+field).
func (w *Web) financeAgain(ctx context.Context, c *call, prefix string, fields ...string) reload {
	return func() (answer, error) {
		d, err := w.financeHomeData(ctx, c)
		for _, k := range fields {
			d.Form[prefix+k] = c.Form(k)
		}
		return page{Name: "finance", Title: "finance.title", Data: d}, err
	}
}

func (w *Web) postNeed(ctx context.Context, c *call) (answer, error) {
	in := finance.NeedInput{Industry: c.Form("industry"), RegionCode: c.Trim("region_code"),
		Amount: formWan(c.R, "amount"), Term: formWhole(c.R, "term"), Purpose: c.Form("purpose"), Collateral: c.Values("collateral")}
	n, err := w.Finance.PostNeed(ctx, c.User, in)
	if err != nil {
		return w.financeAgain(ctx, c, "", "industry", "region_code", "amount", "term", "purpose"), err
	}
	return seeOther(fmt.Sprintf("/finance/needs/%d", n.ID)), nil
}

type needData struct {
	Need    finance.Need
	Matches []finance.Match
	Sent    map[int64]finance.Application
}

func (w *Web) needData(ctx context.Context, c *call) (needData, error) {
	u, id := c.User, c.ID
	d := needData{Sent: map[int64]finance.Application{}}
	var err error
	if d.Need, err = w.Finance.Need(ctx, u, id); err != nil {
		return d, err
	}
	if d.Matches, err = w.Finance.Match(ctx, u, id); err != nil {
		return d, err
	}
	apps, err := w.Finance.Applications(ctx, u, finance.ApplicationFilter{})
	for _, a := range apps {
		if a.Need.ID == id {
			d.Sent[a.ProductID] = a
		}
	}
	return d, err
}

func (w *Web) sendNeed(ctx context.Context, c *call) (answer, error) {
	d, err := w.needData(ctx, c)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, v := range c.Values("product") {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	if _, err := w.Finance.Send(ctx, c.User, d.Need.ID, ids); err != nil {
		return page{Name: "finance_need", Title: "finance.need_title", Data: d}, err
	}
	return seeOther("/finance?done=sent"), nil
}

func (w *Web) actApplication(ctx context.Context, c *call) (answer, error) {
	action := finance.Action(c.Path("action"))
	in := finance.ActInput{Amount: formWan(c.R, "amount"), Reason: c.Form("reason"), Version: c.Version()}
	back := "/finance"
	if c.User.Role == auth.RoleFinanceOfficer {
		back = "/bank"
	}
	_, err := w.Finance.Act(ctx, c.User, c.ID, action, in)
	return seeOther(back + "?done=" + string(action)), err
}

func (w *Web) applyBridge(ctx context.Context, c *call) (answer, error) {
	in := finance.BridgeInput{FundCode: c.Form("fund_code"), BankName: c.Form("bank_name"),
		MaturingAmount: formWan(c.R, "maturing_amount"), MaturingOn: c.Trim("maturing_on"),
		Amount: formWan(c.R, "amount"), Days: formWhole(c.R, "days"), Industry: c.Form("industry")}
	up, err := w.readUpload(c.R, "commitment")
	if err == nil && up != nil {
		if err = w.storeFile(up); err == nil {
			in.CommitmentSHA256 = up.FileHash
		}
	}
	if err == nil {
		_, err = w.Finance.ApplyBridge(ctx, c.User, in)
	}
	if err != nil {
		return w.financeAgain(ctx, c, "bridge_", "bank_name", "maturing_amount", "maturing_on", "amount", "days"), err
	}
	return seeOther("/finance?done=bridge#bridge"), nil
}

type bankData struct {
	Institution  finance.Institution
	Applications []finance.Application
	Products     []finance.Product
	Kinds        []string
	Industries   []string
	Collateral   []string
	Done         string
}

func (w *Web) bankData(ctx context.Context, c *call) (bankData, error) {
	d := bankData{Kinds: []string{"credit", "mortgage", "guarantee", "supply_chain", "ip_pledge"}, Industries: industryCodes,
		Collateral: finance.CollateralKinds[1:], Done: c.Query("done")}
	var err error
	if d.Institution, err = w.Finance.InstitutionOf(ctx, c.User); err != nil {
		return d, err
	}
	if d.Applications, err = w.Finance.Applications(ctx, c.User, finance.ApplicationFilter{}); err != nil {
		return d, err
	}
	d.Products, err = w.Finance.Products(ctx, d.Institution.Code)
	return d, err
}

// Allowed lists what the institution may do to an application now.
func (d bankData) Allowed(a finance.Application) []finance.Action {
	return finance.AllowedActions(a.Status, finance.PartyInstitution)
}

// Withdrawable tells the enterprise's list to offer the withdrawal.
func (d financeHomeData) Withdrawable(a finance.Application) bool {
	return len(finance.AllowedActions(a.Status, finance.PartyEnterprise)) > 0
}

func (w *Web) publishProduct(ctx context.Context, c *call) (answer, error) {
	r := c.R
	in := finance.ProductInput{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"),
		AmountMin: formWan(r, "amount_min"), AmountMax: formWan(r, "amount_max"), TermMin: formWhole(r, "term_min"), TermMax: formWhole(r, "term_max"),
		RateMinBP: formRateBP(r, "rate_min"), RateMaxBP: formRateBP(r, "rate_max"), Collateral: r.PostForm["collateral"],
		Industries: r.PostForm["industries"], Regions: strings.Fields(strings.ReplaceAll(r.PostFormValue("regions"), ",", " ")),
		ValidFrom: strings.TrimSpace(r.PostFormValue("valid_from")), ValidTo: strings.TrimSpace(r.PostFormValue("valid_to"))}
	if _, err := w.Finance.PublishProduct(ctx, c.User, in); err != nil {
		return reload(func() (answer, error) {
			d, err := w.bankData(ctx, c)
			return page{Name: "bank", Title: "bank.title", Data: d}, err
		}), err
	}
	return seeOther("/bank?done=published"), nil
}

// formRateBP reads a yearly rate given in percent (3.85) as basis points.
func formRateBP(r *http.Request, field string) int {
	v, err := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue(field)), 64)
	if err != nil || v <= 0 || v > 100 || math.IsNaN(v) {
		return 0
	}
	return int(math.Round(v * 100))
}

type adminFinanceData struct {
	Figures finance.Figures
	Tables  []groupTable
	Overdue []finance.Application
	Funds   []finance.Fund
	Bridge  []finance.BridgeLoan
	Done    string
}

// groupTable is one table of loans by a key: month, industry or region.
type groupTable struct {
	ID       string
	Title    string // message key of the heading
	Key      string // message key of the first column's head
	Groups   []finance.Group
	Industry bool // the key is an industry code, shown by its name
}

// BridgeAllowed lists what the administrator may do to a bridge loan now.
func (d adminFinanceData) BridgeAllowed(b finance.BridgeLoan) []string {
	out := []string{}
	for _, a := range []string{"approve", "refuse", "disburse", "repay"} {
		if _, err := finance.NextBridge(b.Status, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}

func (w *Web) adminFinance(ctx context.Context, c *call) (adminFinanceData, error) {
	d := adminFinanceData{Done: c.Query("done")}
	var err error
	if d.Figures, err = w.Finance.Figures(ctx); err != nil {
		return d, err
	}
	d.Tables = []groupTable{
		{ID: "loans-by-month", Title: "adminfinance.by_month", Key: "adminfinance.month", Groups: d.Figures.ByMonth},
		{ID: "loans-by-industry", Title: "adminfinance.by_industry", Key: "finance.industry", Groups: d.Figures.ByIndustry, Industry: true},
		{ID: "loans-by-region", Title: "adminfinance.by_region", Key: "finance.region", Groups: d.Figures.ByRegion},
	}
	if d.Overdue, err = w.Finance.Applications(ctx, c.User, finance.ApplicationFilter{OverdueOnly: true}); err != nil {
		return d, err
	}
	if d.Funds, err = w.Finance.Funds(ctx); err != nil {
		return d, err
	}
	d.Bridge, err = w.Finance.BridgeLoans(ctx, c.User)
	return d, err
}

func (w *Web) actBridge(ctx context.Context, c *call) (answer, error) {
	action := c.Path("action")
	_, err := w.Finance.ActBridge(ctx, c.User, c.ID, action, finance.BridgeActInput{Reason: c.Form("reason"), Version: c.Version()})
	return seeOther("/admin/finance?done=" + action + "#bridge"), err
}
