package finance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

var cst = time.FixedZone("CST", 8*3600)

const testPassword = "correct-horse-battery-9"

type fixture struct {
	t   *testing.T
	db  *store.DB
	svc *Service
	now time.Time

	admin, officerA, officerB, reviewer, ent, otherEnt auth.User
	users                                              *auth.Store
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday before National Day 2026: the holiday and the make-up Saturday lie ahead.
	f := &fixture{t: t, db: db, now: time.Date(2026, 9, 29, 10, 0, 0, 0, cst), users: auth.NewStore(db)}
	f.svc = NewService(db, cal, func() time.Time { return f.now })
	f.admin = f.addUser(auth.User{Username: "admin", Name: "管理员", Role: auth.RoleAdmin})
	f.officerA = f.addUser(auth.User{Username: "bank-a", Name: "甲银行客户经理", Role: auth.RoleFinanceOfficer})
	f.officerB = f.addUser(auth.User{Username: "bank-b", Name: "乙银行客户经理", Role: auth.RoleFinanceOfficer})
	f.reviewer = f.addUser(auth.User{Username: "reviewer", Name: "审批", Role: auth.RoleReviewer, DepartmentCode: "GXJ"})
	f.ent = f.enterprise("jlhx", "吉林化纤示范有限公司", "91220200MA0Y1234P")
	f.otherEnt = f.enterprise("other", "另一家公司", "91220200MA0Y9999P")
	for _, in := range []Institution{{"BANK-A", "甲银行吉林分行", 5}, {"BANK-B", "乙银行吉林分行", 3}} {
		if err := f.svc.PutInstitution(ctx, f.admin, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.AddOfficer(ctx, f.admin, "BANK-A", f.officerA); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddOfficer(ctx, f.admin, "BANK-B", f.officerB); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) addUser(u auth.User) auth.User {
	f.t.Helper()
	u, err := f.users.AddUser(context.Background(), auth.System, u, testPassword)
	if err != nil {
		f.t.Fatalf("add user %s: %v", u.Username, err)
	}
	return u
}

func (f *fixture) enterprise(username, name, body17 string) auth.User {
	return f.addUser(auth.User{Username: username, Name: name, Role: auth.RoleApplicant, Kind: auth.KindEnterprise,
		CreditCode: ident.GenerateCreditCode(body17[:17])})
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	if e := apperr.As(err); e == nil || e.Reason != reason {
		t.Fatalf("err = %v, want %s", err, reason)
	}
}

func productInput(name string) ProductInput {
	return ProductInput{Name: name, Kind: "mortgage", AmountMin: 1_000_000, AmountMax: 10_000_000, TermMin: 6, TermMax: 36,
		RateMinBP: 380, RateMaxBP: 550, Collateral: []string{CollateralProperty}, Industries: []string{"chemicals"},
		Regions: []string{"2202"}, ValidFrom: "2026-01-01", ValidTo: "2026-12-31"}
}

func TestFindAndApplyForALoan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		pa, err := f.svc.PublishProduct(ctx, f.officerA, productInput("厂房抵押贷"))
		if err != nil {
			t.Fatal(err)
		}
		other := productInput("文旅贷")
		other.Industries = []string{"tourism"}
		pb, err := f.svc.PublishProduct(ctx, f.officerB, other)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.PublishProduct(ctx, f.ent, productInput("x"))
		wantReason(t, err, "role_not_allowed")

		n, err := f.svc.PostNeed(ctx, f.ent, NeedInput{Industry: "chemicals", RegionCode: "220204", Amount: 5_000_000, Term: 12,
			Purpose: "采购原料", Collateral: []string{CollateralProperty}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.PostNeed(ctx, f.ent, NeedInput{Industry: "steel", RegionCode: "22x", Term: 0})
		if e := apperr.As(err); e == nil || len(e.Fields) != 5 {
			t.Fatalf("bad need: %v", err)
		}
		matches, err := f.svc.Match(ctx, f.ent, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) != 2 || matches[0].Product.ID != pa.ID || !matches[0].Eligible || matches[1].Eligible {
			t.Fatalf("matches: %+v", matches)
		}
		_, err = f.svc.Match(ctx, f.otherEnt, n.ID)
		wantReason(t, err, "need_not_found")

		apps, err := f.svc.Send(ctx, f.ent, n.ID, []int64{pa.ID, pb.ID})
		if err != nil {
			t.Fatal(err)
		}
		// 5 working days from Tue 29 Sep across National Day and the make-up Saturday 10 Oct.
		if apps[0].AnswerDue != "2026-10-12" || apps[1].AnswerDue != "2026-10-09" {
			t.Fatalf("answer due %s and %s, want 2026-10-12 and 2026-10-09", apps[0].AnswerDue, apps[1].AnswerDue)
		}
		_, err = f.svc.Send(ctx, f.ent, n.ID, []int64{pa.ID})
		wantReason(t, err, "already_sent")

		// Each institution sees only what was sent to it.
		listA, err := f.svc.Applications(ctx, f.officerA, ApplicationFilter{})
		if err != nil || len(listA) != 1 || listA[0].InstitutionCode != "BANK-A" {
			t.Fatalf("officer A sees %+v, %v", listA, err)
		}
		_, err = f.svc.Application(ctx, f.officerB, apps[0].ID)
		wantReason(t, err, "out_of_scope")
		_, err = f.svc.Act(ctx, f.officerB, apps[0].ID, ActAccept, ActInput{})
		wantReason(t, err, "out_of_scope")
		_, err = f.svc.Application(ctx, f.otherEnt, apps[0].ID)
		wantReason(t, err, "application_not_found")
		_, err = f.svc.Applications(ctx, f.reviewer, ApplicationFilter{})
		wantReason(t, err, "role_not_allowed")

		a := apps[0]
		if a, err = f.svc.Act(ctx, f.officerA, a.ID, ActAccept, ActInput{}); err != nil || a.Status != Accepted || a.AcceptedOn != "2026-09-29" {
			t.Fatalf("accept: %+v %v", a, err)
		}
		_, err = f.svc.Act(ctx, f.ent, a.ID, ActApprove, ActInput{Amount: 1})
		wantReason(t, err, "role_not_allowed")

		// Overdue on the day after the due day, flagged to the administrators once.
		f.now = time.Date(2026, 10, 12, 18, 0, 0, 0, cst)
		if late, _ := f.svc.Applications(ctx, f.admin, ApplicationFilter{OverdueOnly: true}); len(late) != 1 || late[0].ID != apps[1].ID {
			t.Fatalf("overdue on 12 Oct: %+v", late)
		}
		f.now = time.Date(2026, 10, 13, 9, 0, 0, 0, cst)
		late, err := f.svc.Applications(ctx, f.admin, ApplicationFilter{OverdueOnly: true})
		if err != nil || len(late) != 2 {
			t.Fatalf("overdue on 13 Oct: %+v %v", late, err)
		}
		for i := 0; i < 2; i++ {
			n, err := f.svc.FlagOverdueApplications(ctx)
			if err != nil || n != map[int]int{0: 2, 1: 0}[i] {
				t.Fatalf("flag run %d: %d %v", i, n, err)
			}
		}

		_, err = f.svc.Act(ctx, f.officerA, a.ID, ActDisburse, ActInput{Amount: 1})
		wantReason(t, err, "illegal_transition")
		if a, err = f.svc.Act(ctx, f.officerA, a.ID, ActApprove, ActInput{Amount: 4_000_000}); err != nil || a.Status != Approved || a.Overdue {
			t.Fatalf("approve: %+v %v", a, err)
		}
		_, err = f.svc.Act(ctx, f.officerA, a.ID, ActDisburse, ActInput{Amount: 4_000_001})
		if e := apperr.As(err); e == nil || e.Fields[0].Code != "over_approved" {
			t.Fatalf("over-disburse: %v", err)
		}
		if a, err = f.svc.Act(ctx, f.officerA, a.ID, ActDisburse, ActInput{Amount: 4_000_000}); err != nil || a.DisbursedOn != "2026-10-13" {
			t.Fatalf("disburse: %+v %v", a, err)
		}
		_, err = f.svc.Act(ctx, f.officerB, apps[1].ID, ActRefuse, ActInput{})
		if e := apperr.As(err); e == nil || e.Fields[0].Field != "reason" {
			t.Fatalf("refuse without reason: %v", err)
		}
		if b, err := f.svc.Act(ctx, f.officerB, apps[1].ID, ActRefuse, ActInput{Reason: "行业不符"}); err != nil || b.RefusalReason != "行业不符" {
			t.Fatalf("refuse: %+v %v", b, err)
		}
		var notes int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE topic LIKE 'finance_application.%'`).Scan(&notes); err != nil || notes != 2+2+3+1 {
			t.Errorf("notifications: %d %v (want 2 sent, 2 overdue, accept+approve+disburse, refuse)", notes, err)
		}
	})
}

func (f *fixture) fund(capital, limit int64) {
	f.t.Helper()
	if err := f.svc.PutFund(context.Background(), f.admin, Fund{Code: "JL", Name: "吉林市应急周转金", Capital: capital,
		LimitPerEnterprise: limit, MaxDays: 15, FeeBPPerDay: 1}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) bridge(u auth.User, amount int64) BridgeLoan {
	f.t.Helper()
	b, err := f.svc.ApplyBridge(context.Background(), u, BridgeInput{FundCode: "JL", BankName: "甲银行", MaturingAmount: amount,
		MaturingOn: "2026-10-09", CommitmentSHA256: strings.Repeat("ab", 32), Amount: amount, Days: 10, Industry: "chemicals"})
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func TestBridgeLoanLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.fund(30_000_000, 10_000_000)
		_, err := f.svc.ApplyBridge(ctx, f.ent, BridgeInput{FundCode: "JL", BankName: "甲银行", MaturingAmount: 1, MaturingOn: "2026-09-28", Amount: 2, Days: 1})
		if e := apperr.As(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("past maturity and no commitment: %v", err)
		}
		b := f.bridge(f.ent, 8_000_000)
		if b.Fee != 8_000 || b.Status != BridgeApplied {
			t.Fatalf("applied: %+v", b)
		}
		_, err = f.svc.ActBridge(ctx, f.officerA, b.ID, "approve", BridgeActInput{})
		wantReason(t, err, "role_not_allowed")
		if _, err = f.svc.BridgeLoan(ctx, f.otherEnt, b.ID); apperr.As(err).Reason != "bridge_loan_not_found" {
			t.Fatalf("other enterprise: %v", err)
		}
		for _, step := range []string{"approve", "disburse"} {
			if b, err = f.svc.ActBridge(ctx, f.admin, b.ID, step, BridgeActInput{}); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		if b.DueOn != "2026-10-09" {
			t.Fatalf("due on %s, want 2026-10-09 (10 days of use)", b.DueOn)
		}
		funds, _ := f.svc.Funds(ctx)
		if funds[0].Balance != 22_000_000 {
			t.Fatalf("balance %d", funds[0].Balance)
		}
		// Repayment on the due day is on time; the day after, the scan marks it overdue once.
		f.now = time.Date(2026, 10, 9, 23, 0, 0, 0, cst)
		if n, err := f.svc.ScanBridge(ctx); err != nil || n != 0 {
			t.Fatalf("scan on the due day: %d %v", n, err)
		}
		f.now = time.Date(2026, 10, 10, 8, 0, 0, 0, cst)
		for i, want := range []int{1, 0} {
			if n, err := f.svc.ScanBridge(ctx); err != nil || n != want {
				t.Fatalf("scan %d: %d %v", i, n, err)
			}
		}
		if b, err = f.svc.ActBridge(ctx, f.admin, b.ID, "repay", BridgeActInput{}); err != nil || b.Status != BridgeRepaid || b.EscalatedOn != "2026-10-10" {
			t.Fatalf("repay: %+v %v", b, err)
		}
		funds, _ = f.svc.Funds(ctx)
		if funds[0].Balance != 30_000_000 {
			t.Fatalf("balance after repayment %d", funds[0].Balance)
		}
	})
}

// TestFundNeverBelowZeroUnderConcurrentApprovals approves many loans at once:
// 20 enterprises ask for 5 m yuan each from a fund of 32 m, and one
// enterprise sends three loans of 5 m against its limit of 10 m.
func TestFundNeverBelowZeroUnderConcurrentApprovals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.fund(32_000_000, 10_000_000)
		var loans []BridgeLoan
		for i := 0; i < 20; i++ {
			u := f.enterprise(fmt.Sprintf("ent%02d", i), fmt.Sprintf("企业%02d", i), fmt.Sprintf("9122020%010d", i))
			loans = append(loans, f.bridge(u, 5_000_000))
		}
		approveAll := func(loans []BridgeLoan) (ok int, refused map[string]int) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			refused = map[string]int{}
			for _, b := range loans {
				wg.Add(1)
				go func(id int64) {
					defer wg.Done()
					_, err := f.svc.ActBridge(ctx, f.admin, id, "approve", BridgeActInput{})
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						ok++
					} else if e := apperr.As(err); e != nil {
						refused[e.Reason]++
					} else {
						refused[err.Error()]++
					}
				}(b.ID)
			}
			wg.Wait()
			return ok, refused
		}
		ok, refused := approveAll(loans)
		if ok != 6 || refused["fund_insufficient"] != 14 {
			t.Fatalf("approved %d, refused %v; want 6 and 14 fund_insufficient", ok, refused)
		}
		funds, _ := f.svc.Funds(ctx)
		if funds[0].Balance != 2_000_000 {
			t.Fatalf("balance %d, want 2000000", funds[0].Balance)
		}

		f.fund(100_000_000, 10_000_000) // room in the fund: now the limit per enterprise decides
		own := []BridgeLoan{f.bridge(f.ent, 5_000_000), f.bridge(f.ent, 5_000_000), f.bridge(f.ent, 5_000_000)}
		ok, refused = approveAll(own)
		if ok != 2 || refused["fund_rules"] != 1 {
			t.Fatalf("one enterprise: approved %d, refused %v; want 2 and 1 fund_rules", ok, refused)
		}
		var held int64
		if err := db.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM fin_bridge_loans WHERE status = 'approved'`).Scan(&held); err != nil {
			t.Fatal(err)
		}
		funds, _ = f.svc.Funds(ctx)
		if funds[0].Balance != 100_000_000-held || held != 40_000_000 {
			t.Fatalf("balance %d, held %d", funds[0].Balance, held)
		}
	})
}

func TestFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		p, err := f.svc.PublishProduct(ctx, f.officerA, productInput("厂房抵押贷"))
		if err != nil {
			t.Fatal(err)
		}
		send := func(u auth.User, region string, amount int64) Application {
			n, err := f.svc.PostNeed(ctx, u, NeedInput{Industry: "chemicals", RegionCode: region, Amount: amount, Term: 12, Purpose: "流动资金"})
			if err != nil {
				t.Fatal(err)
			}
			apps, err := f.svc.Send(ctx, u, n.ID, []int64{p.ID})
			if err != nil {
				t.Fatal(err)
			}
			return apps[0]
		}
		a1 := send(f.ent, "220204", 3_000_000)
		a2 := send(f.otherEnt, "220502", 2_000_000)
		if _, err := f.svc.PostNeed(ctx, f.otherEnt, NeedInput{Industry: "tourism", RegionCode: "2205", Amount: 1, Term: 1, Purpose: "x"}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []Application{a1, a2} {
			if _, err := f.svc.Act(ctx, f.officerA, a.ID, ActApprove, ActInput{Amount: a.Need.Amount}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Act(ctx, f.officerA, a1.ID, ActDisburse, ActInput{Amount: 3_000_000}); err != nil {
			t.Fatal(err)
		}
		f.now = time.Date(2026, 10, 8, 10, 0, 0, 0, cst)
		if _, err := f.svc.Act(ctx, f.officerA, a2.ID, ActDisburse, ActInput{Amount: 1_500_000}); err != nil {
			t.Fatal(err)
		}
		f.fund(30_000_000, 10_000_000)
		f.now = time.Date(2026, 10, 8, 10, 0, 0, 0, cst)
		b := f.bridge(f.ent, 4_000_000)
		for _, step := range []string{"approve", "disburse"} {
			if _, err := f.svc.ActBridge(ctx, f.admin, b.ID, step, BridgeActInput{}); err != nil {
				t.Fatal(err)
			}
		}
		f.bridge(f.otherEnt, 1_000_000) // applied only: not counted

		got, err := f.svc.Figures(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.EnterprisesServed != 2 || got.Needs != 3 || got.NeedsMatched != 2 || got.Loans != 2 || got.LoanAmount != 4_500_000 {
			t.Errorf("platform figures: %+v", got)
		}
		if len(got.ByMonth) != 2 || got.ByMonth[0] != (Group{"2026-09", 1, 3_000_000}) || got.ByMonth[1] != (Group{"2026-10", 1, 1_500_000}) {
			t.Errorf("by month: %+v", got.ByMonth)
		}
		if len(got.ByRegion) != 2 || got.ByRegion[0].Key != "2202" || got.ByRegion[1].Key != "2205" || len(got.ByIndustry) != 1 {
			t.Errorf("by region %+v, by industry %+v", got.ByRegion, got.ByIndustry)
		}
		if got.BridgeEnterprises != 1 || got.BridgeLoans != 1 || got.BridgeAmount != 4_000_000 || got.BridgeAverageDays != 10 {
			t.Errorf("bridge figures: %+v", got)
		}
	})
}
