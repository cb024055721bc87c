package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/finance"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/targets"
	"github.com/onewindow/onewindow/workday"
)

// The 产融合作 platform, the 应急周转金 and the year's 民生实事 of the demo.
// The institutions, their products and the targets come from tables in
// data/; the platform's past year (enterprises, needs, loans, bridge loans)
// is loaded with the history, at a thousandth of the seed's platform (17
// enterprises, 14 loans, 64.2 m yuan) and a tenth of its fund's loans.

// FinanceAccounts returns the officers of two of the demo's banks.
func FinanceAccounts() []Account {
	officer := func(username, name, desc string) Account {
		return Account{Username: username, Role: auth.RoleFinanceOfficer, Description: desc,
			User: auth.User{Username: username, Name: name, Role: auth.RoleFinanceOfficer}}
	}
	return []Account{
		officer("bank_jl", "王丽娜", "客户经理, 吉林银行吉林分行 (产融合作)"),
		officer("bank_nh", "赵国栋", "客户经理, 辉南农商银行 (产融合作)"),
	}
}

// officerInstitution binds each demo officer to the institution they act for.
var officerInstitution = map[string]string{"bank_jl": "JLBANK", "bank_nh": "NHRCB"}

// BridgeFund is the demo's 应急周转金: the seed's 34 m yuan, with rules of a
// demonstration (limit per enterprise, longest use, fee).
var BridgeFund = finance.Fund{Code: "JL-YJZZJ", Name: "吉林市应急周转金", Capital: 34_000_000,
	LimitPerEnterprise: 20_000_000, MaxDays: 15, FeeBPPerDay: 1}

func csvRows(name string) ([]map[string]string, error) {
	b, err := readData(dataFiles, name)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) < 2 {
		return nil, fmt.Errorf("demo: data/%s: %v", name, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out, nil
}

func wanOf(cell string) int64 {
	v, _ := strconv.ParseFloat(cell, 64)
	return int64(math.Round(v * 10000))
}

// loadFinance adds the institutions with their officers and products, the
// fund, and this year's 民生实事 targets with the progress reported so far.
func loadFinance(ctx context.Context, db *store.DB, now time.Time) error {
	cal, err := workday.NewOfficial()
	if err != nil {
		return err
	}
	svc := finance.NewService(db, cal, func() time.Time { return now })
	users := auth.NewStore(db)
	admin, err := users.UserByUsername(ctx, "admin")
	if err != nil {
		return fmt.Errorf("demo: finance: %w", err)
	}
	products, err := csvRows("finance-products.csv")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range products {
		if seen[p["institution"]] {
			continue
		}
		seen[p["institution"]] = true
		days, _ := strconv.Atoi(p["answer_days"])
		if err := svc.PutInstitution(ctx, admin, finance.Institution{Code: p["institution"], Name: p["institution_name"], AnswerDays: days}); err != nil {
			return fmt.Errorf("demo: institution %s: %w", p["institution"], err)
		}
	}
	officers := map[string]auth.User{}
	for _, a := range FinanceAccounts() {
		u, err := users.AddUser(ctx, auth.System, a.User, Password)
		if err != nil {
			return fmt.Errorf("demo: user %s: %w", a.Username, err)
		}
		if err := svc.AddOfficer(ctx, admin, officerInstitution[a.Username], u); err != nil {
			return err
		}
		officers[officerInstitution[a.Username]] = u
	}
	// An institution without a demo officer publishes through a stand-in
	// bound for that purpose only.
	year := workday.DateOf(now).Year()
	for _, p := range products {
		officer, ok := officers[p["institution"]]
		if !ok {
			u, err := users.AddUser(ctx, auth.System, auth.User{Username: "bank_" + strings.ToLower(p["institution"]), Name: p["institution_name"],
				Role: auth.RoleFinanceOfficer}, Password)
			if err != nil {
				return fmt.Errorf("demo: officer of %s: %w", p["institution"], err)
			}
			if err := svc.AddOfficer(ctx, admin, p["institution"], u); err != nil {
				return err
			}
			officer, officers[p["institution"]] = u, u
		}
		in := finance.ProductInput{Name: p["name"], Kind: p["kind"], AmountMin: wanOf(p["amount_min_wan"]), AmountMax: wanOf(p["amount_max_wan"]),
			TermMin: atoi(p["term_min"]), TermMax: atoi(p["term_max"]), RateMinBP: int(wanOf(p["rate_min_pct"]) / 100), RateMaxBP: int(wanOf(p["rate_max_pct"]) / 100),
			Collateral: list(p["collateral"]), Industries: list(p["industries"]), Regions: list(p["regions"]),
			ValidFrom: fmt.Sprintf("%d-01-01", year-1), ValidTo: fmt.Sprintf("%d-12-31", year+1)}
		if _, err := svc.PublishProduct(ctx, officer, in); err != nil {
			return fmt.Errorf("demo: product %s: %w", p["name"], err)
		}
	}
	if err := svc.PutFund(ctx, admin, BridgeFund); err != nil {
		return fmt.Errorf("demo: fund: %w", err)
	}
	return loadTargets(ctx, db, admin, now)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// loadTargets sets this year's targets from data/targets.csv; a target
// whose day of completion has come is reported done on that day, the others
// with the quantity of the table today.
func loadTargets(ctx context.Context, db *store.DB, admin auth.User, now time.Time) error {
	rows, err := csvRows("targets.csv")
	if err != nil {
		return err
	}
	today := workday.DateOf(now)
	year := today.Year()
	at := now
	svc := targets.NewService(db, func() time.Time { return at })
	for _, r := range rows {
		qty, _ := strconv.ParseInt(r["quantity"], 10, 64)
		t, err := svc.Create(ctx, admin, targets.TargetInput{Year: year, Name: r["name"], DepartmentCode: r["department"], Unit: r["unit"],
			Quantity: qty, Deadline: fmt.Sprintf("%d-%s", year, r["deadline"])})
		if err != nil {
			return fmt.Errorf("demo: target %s: %w", r["name"], err)
		}
		done, _ := strconv.ParseInt(r["done_quantity"], 10, 64)
		at = now
		if r["done_on"] != "" {
			day, err := workday.ParseDate(fmt.Sprintf("%d-%s", year, r["done_on"]))
			if err != nil {
				return fmt.Errorf("demo: target %s: %w", r["name"], err)
			}
			if day.After(today) {
				done = done * int64(today.YearDay()) / int64(day.YearDay()) // on the way there
			} else {
				at = day.Add(10 * time.Hour)
			}
		}
		if _, err := svc.ReportProgress(ctx, admin, t.ID, targets.ReportInput{DoneQuantity: done, Note: "年度进度报送"}); err != nil {
			return fmt.Errorf("demo: target %s: %w", r["name"], err)
		}
	}
	return nil
}

// LoadFinanceHistory adds the platform's past year: the enterprises of
// data/finance-enterprises.csv post their needs and apply, the banks answer
// and pay out, and the fund's bridge loans follow one another, the last
// two still out (one of them overdue).
func LoadFinanceHistory(ctx context.Context, db *store.DB, now time.Time) error {
	cal, err := workday.NewOfficial()
	if err != nil {
		return err
	}
	at := now
	svc := finance.NewService(db, cal, func() time.Time { return at })
	users := auth.NewStore(db)
	admin, err := users.UserByUsername(ctx, "admin")
	if err != nil {
		return err
	}
	officers := map[string]auth.User{}
	for _, inst := range []string{"JLBANK", "NHRCB", "CCB-JL"} {
		u, err := users.UserByUsername(ctx, map[string]string{"JLBANK": "bank_jl", "NHRCB": "bank_nh", "CCB-JL": "bank_ccb-jl"}[inst])
		if err != nil {
			return fmt.Errorf("demo: officer of %s: %w", inst, err)
		}
		officers[inst] = u
	}
	products, err := svc.Products(ctx, "")
	if err != nil {
		return err
	}
	productByName := map[string]finance.Product{}
	for _, p := range products {
		productByName[p.Name] = p
	}
	rows, err := csvRows("finance-enterprises.csv")
	if err != nil {
		return err
	}
	var bridgeHolders []auth.User
	for i, r := range rows {
		u, err := users.UserByUsername(ctx, r["username"])
		if err != nil {
			u, err = users.AddUser(ctx, auth.System, auth.User{Username: r["username"], Name: r["name"], Role: auth.RoleApplicant, Kind: auth.KindEnterprise,
				CreditCode: ident.GenerateCreditCode(r["credit_body"]), Phone: fmt.Sprintf("139043%05d", 20000+i)}, Password)
			if err != nil {
				return fmt.Errorf("demo: enterprise %s: %w", r["username"], err)
			}
		}
		for n := atoi(r["bridge_loans"]); n > 0; n-- {
			bridgeHolders = append(bridgeHolders, u)
		}
		if r["need_wan"] == "" {
			continue
		}
		at = now.AddDate(0, 0, -330+19*i)
		need, err := svc.PostNeed(ctx, u, finance.NeedInput{Industry: r["industry"], RegionCode: r["region"], Amount: wanOf(r["need_wan"]),
			Term: atoi(r["term"]), Purpose: r["purpose"], Collateral: list(r["collateral"])})
		if err != nil {
			return fmt.Errorf("demo: need of %s: %w", r["username"], err)
		}
		p, ok := productByName[r["product"]]
		if !ok {
			continue
		}
		apps, err := svc.Send(ctx, u, need.ID, []int64{p.ID})
		if err != nil {
			return fmt.Errorf("demo: application of %s: %w", r["username"], err)
		}
		officer := officers[p.InstitutionCode]
		steps := map[string][]finance.Action{"disbursed": {finance.ActAccept, finance.ActApprove, finance.ActDisburse},
			"refused": {finance.ActAccept, finance.ActRefuse}, "sent": nil}[r["outcome"]]
		for k, step := range steps {
			at = now.AddDate(0, 0, -330+19*i+1+2*k)
			in := finance.ActInput{Amount: wanOf(r["loan_wan"]), Reason: "抵押物评估价值不足"}
			if step != finance.ActApprove && step != finance.ActDisburse {
				in.Amount = 0
			}
			if step != finance.ActRefuse {
				in.Reason = ""
			}
			if _, err := svc.Act(ctx, officer, apps[0].ID, step, in); err != nil {
				return fmt.Errorf("demo: %s of %s: %w", step, r["username"], err)
			}
		}
	}
	return loadBridgeHistory(ctx, svc, &at, admin, bridgeHolders, now)
}

// loadBridgeHistory runs the fund's loans one after another over the past
// ten months, ~19 m yuan each as in the seed (209 loans, over 4 bn yuan).
func loadBridgeHistory(ctx context.Context, svc *finance.Service, at *time.Time, admin auth.User, holders []auth.User, now time.Time) error {
	sum := sha256.Sum256([]byte("续贷承诺书（演示）"))
	commitment := hex.EncodeToString(sum[:])
	banks := []string{"吉林银行吉林分行", "建设银行吉林市分行", "辉南农商银行"}
	last := len(holders) - 1
	for k, u := range holders {
		start := now.AddDate(0, 0, -300+14*k)
		amount, days := int64(19_300_000), 8+k%5
		switch k {
		case last - 1: // out, and past its due day
			start, days = now.AddDate(0, 0, -14), 7
		case last: // out, in time
			start, amount, days = now.AddDate(0, 0, -3), 14_000_000, 10
		}
		*at = start
		b, err := svc.ApplyBridge(ctx, u, finance.BridgeInput{FundCode: BridgeFund.Code, BankName: banks[k%len(banks)], MaturingAmount: amount + 1_000_000,
			MaturingOn: workday.FormatDate(workday.DateOf(start).AddDate(0, 0, 2)), CommitmentSHA256: commitment, Amount: amount, Days: days})
		if err != nil {
			return fmt.Errorf("demo: bridge loan %d: %w", k, err)
		}
		plan := []struct {
			action string
			after  int
		}{{"approve", 1}, {"disburse", 2}, {"repay", 2 + days}}
		if k >= last-1 {
			plan = plan[:2]
		}
		for _, st := range plan {
			*at = start.AddDate(0, 0, st.after)
			if _, err := svc.ActBridge(ctx, admin, b.ID, st.action, finance.BridgeActInput{}); err != nil {
				return fmt.Errorf("demo: bridge loan %d %s: %w", k, st.action, err)
			}
		}
	}
	*at = now
	_, err := svc.ScanBridge(ctx)
	return err
}
