package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
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
	w.page("GET /finance", applicants, w.financeHome)
	w.page("POST /finance/needs", applicants, w.postNeed)
	w.page("GET /finance/needs/{id}", applicants, w.needPage)
	w.page("POST /finance/needs/{id}/send", applicants, w.sendNeed)
	w.page("POST /finance/applications/{id}/{action}", access{auth.RoleApplicant, auth.RoleFinanceOfficer}, w.actApplication)
	w.page("POST /finance/bridge", applicants, w.applyBridge)
	w.page("GET /bank", financeOfficers, w.bankHome)
	w.page("POST /bank/products", financeOfficers, w.publishProduct)
	w.page("GET /admin/finance", admins, w.adminFinance)
	w.page("POST /admin/finance/bridge/{id}/{action}", admins, w.actBridge)
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

func pathID(r *http.Request, reason string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf(reason, apperr.M("没有这条记录", "no such record"))
	}
	return id, nil
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

func (w *Web) financeHomeData(r *http.Request, u auth.User) (financeHomeData, error) {
	d := financeHomeData{Industries: industryCodes, Collateral: finance.CollateralKinds, Done: r.URL.Query().Get("done"), Form: map[string]string{}}
	var err error
	if d.Needs, err = w.Finance.Needs(r.Context(), u); err != nil {
		return d, err
	}
	if d.Applications, err = w.Finance.Applications(r.Context(), u, finance.ApplicationFilter{}); err != nil {
		return d, err
	}
	if d.Bridge, err = w.Finance.BridgeLoans(r.Context(), u); err != nil {
		return d, err
	}
	d.Funds, err = w.Finance.Funds(r.Context())
	return d, err
}

func (w *Web) financeHome(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.financeHomeData(r, *s.User)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "finance", "finance.title", d)
}

func (w *Web) postNeed(rw http.ResponseWriter, r *http.Request, s *session) error {
	in := finance.NeedInput{Industry: r.PostFormValue("industry"), RegionCode: strings.TrimSpace(r.PostFormValue("region_code")),
		Amount: formWan(r, "amount"), Term: formWhole(r, "term"), Purpose: r.PostFormValue("purpose"), Collateral: r.PostForm["collateral"]}
	n, err := w.Finance.PostNeed(r.Context(), *s.User, in)
	if err != nil {
		d, derr := w.financeHomeData(r, *s.User)
		if derr != nil {
			return derr
		}
		for _, k := range []string{"industry", "region_code", "amount", "term", "purpose"} {
			d.Form[k] = r.PostFormValue(k)
		}
		return w.renderForm(rw, r, s, "finance", "finance.title", d, err)
	}
	http.Redirect(rw, r, fmt.Sprintf("/finance/needs/%d", n.ID), http.StatusSeeOther)
	return nil
}

type needData struct {
	Need    finance.Need
	Matches []finance.Match
	Sent    map[int64]finance.Application
}

func (w *Web) needData(r *http.Request, u auth.User) (needData, error) {
	id, err := pathID(r, "need_not_found")
	if err != nil {
		return needData{}, err
	}
	d := needData{Sent: map[int64]finance.Application{}}
	if d.Need, err = w.Finance.Need(r.Context(), u, id); err != nil {
		return d, err
	}
	if d.Matches, err = w.Finance.Match(r.Context(), u, id); err != nil {
		return d, err
	}
	apps, err := w.Finance.Applications(r.Context(), u, finance.ApplicationFilter{})
	for _, a := range apps {
		if a.Need.ID == id {
			d.Sent[a.ProductID] = a
		}
	}
	return d, err
}

func (w *Web) needPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.needData(r, *s.User)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "finance_need", "finance.need_title", d)
}

func (w *Web) sendNeed(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.needData(r, *s.User)
	if err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["product"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	if _, err := w.Finance.Send(r.Context(), *s.User, d.Need.ID, ids); err != nil {
		return w.renderForm(rw, r, s, "finance_need", "finance.need_title", d, err)
	}
	http.Redirect(rw, r, "/finance?done=sent", http.StatusSeeOther)
	return nil
}

func (w *Web) actApplication(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := pathID(r, "application_not_found")
	if err != nil {
		return err
	}
	action := finance.Action(r.PathValue("action"))
	in := finance.ActInput{Amount: formWan(r, "amount"), Reason: r.PostFormValue("reason")}
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		in.Version = &v
	}
	if _, err := w.Finance.Act(r.Context(), *s.User, id, action, in); err != nil {
		return err
	}
	back := "/finance"
	if s.User.Role == auth.RoleFinanceOfficer {
		back = "/bank"
	}
	http.Redirect(rw, r, back+"?done="+string(action), http.StatusSeeOther)
	return nil
}

func (w *Web) applyBridge(rw http.ResponseWriter, r *http.Request, s *session) error {
	in := finance.BridgeInput{FundCode: r.PostFormValue("fund_code"), BankName: r.PostFormValue("bank_name"),
		MaturingAmount: formWan(r, "maturing_amount"), MaturingOn: strings.TrimSpace(r.PostFormValue("maturing_on")),
		Amount: formWan(r, "amount"), Days: formWhole(r, "days"), Industry: r.PostFormValue("industry")}
	up, err := w.readUpload(r, "commitment")
	if err == nil && up != nil {
		if err = w.storeFile(up); err == nil {
			in.CommitmentSHA256 = up.FileHash
		}
	}
	if err == nil {
		_, err = w.Finance.ApplyBridge(r.Context(), *s.User, in)
	}
	if err != nil {
		d, derr := w.financeHomeData(r, *s.User)
		if derr != nil {
			return derr
		}
		for _, k := range []string{"bank_name", "maturing_amount", "maturing_on", "amount", "days"} {
			d.Form["bridge_"+k] = r.PostFormValue(k)
		}
		return w.renderForm(rw, r, s, "finance", "finance.title", d, err)
	}
	http.Redirect(rw, r, "/finance?done=bridge#bridge", http.StatusSeeOther)
	return nil
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

func (w *Web) bankData(r *http.Request, u auth.User) (bankData, error) {
	d := bankData{Kinds: []string{"credit", "mortgage", "guarantee", "supply_chain", "ip_pledge"}, Industries: industryCodes,
		Collateral: finance.CollateralKinds[1:], Done: r.URL.Query().Get("done")}
	var err error
	if d.Institution, err = w.Finance.InstitutionOf(r.Context(), u); err != nil {
		return d, err
	}
	if d.Applications, err = w.Finance.Applications(r.Context(), u, finance.ApplicationFilter{}); err != nil {
		return d, err
	}
	d.Products, err = w.Finance.Products(r.Context(), d.Institution.Code)
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

func (w *Web) bankHome(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.bankData(r, *s.User)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "bank", "bank.title", d)
}

func (w *Web) publishProduct(rw http.ResponseWriter, r *http.Request, s *session) error {
	in := finance.ProductInput{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"),
		AmountMin: formWan(r, "amount_min"), AmountMax: formWan(r, "amount_max"), TermMin: formWhole(r, "term_min"), TermMax: formWhole(r, "term_max"),
		RateMinBP: formRateBP(r, "rate_min"), RateMaxBP: formRateBP(r, "rate_max"), Collateral: r.PostForm["collateral"],
		Industries: r.PostForm["industries"], Regions: strings.Fields(strings.ReplaceAll(r.PostFormValue("regions"), ",", " ")),
		ValidFrom: strings.TrimSpace(r.PostFormValue("valid_from")), ValidTo: strings.TrimSpace(r.PostFormValue("valid_to"))}
	if _, err := w.Finance.PublishProduct(r.Context(), *s.User, in); err != nil {
		d, derr := w.bankData(r, *s.User)
		if derr != nil {
			return derr
		}
		return w.renderForm(rw, r, s, "bank", "bank.title", d, err)
	}
	http.Redirect(rw, r, "/bank?done=published", http.StatusSeeOther)
	return nil
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

func (w *Web) adminFinance(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := adminFinanceData{Done: r.URL.Query().Get("done")}
	var err error
	if d.Figures, err = w.Finance.Figures(r.Context()); err != nil {
		return err
	}
	d.Tables = []groupTable{
		{ID: "loans-by-month", Title: "adminfinance.by_month", Key: "adminfinance.month", Groups: d.Figures.ByMonth},
		{ID: "loans-by-industry", Title: "adminfinance.by_industry", Key: "finance.industry", Groups: d.Figures.ByIndustry, Industry: true},
		{ID: "loans-by-region", Title: "adminfinance.by_region", Key: "finance.region", Groups: d.Figures.ByRegion},
	}
	if d.Overdue, err = w.Finance.Applications(r.Context(), *s.User, finance.ApplicationFilter{OverdueOnly: true}); err != nil {
		return err
	}
	if d.Funds, err = w.Finance.Funds(r.Context()); err != nil {
		return err
	}
	if d.Bridge, err = w.Finance.BridgeLoans(r.Context(), *s.User); err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "admin_finance", "adminfinance.title", d)
}

func (w *Web) actBridge(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := pathID(r, "bridge_loan_not_found")
	if err != nil {
		return err
	}
	in := finance.BridgeActInput{Reason: r.PostFormValue("reason")}
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		in.Version = &v
	}
	action := r.PathValue("action")
	if _, err := w.Finance.ActBridge(r.Context(), *s.User, id, action, in); err != nil {
		return err
	}
	http.Redirect(rw, r, "/admin/finance?done="+action+"#bridge", http.StatusSeeOther)
	return nil
}
