package finance

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// ProductInput is what an officer writes to publish a product.
type ProductInput struct {
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	AmountMin  int64    `json:"amount_min"`
	AmountMax  int64    `json:"amount_max"`
	TermMin    int      `json:"term_min"`
	TermMax    int      `json:"term_max"`
	RateMinBP  int      `json:"rate_min_bp"`
	RateMaxBP  int      `json:"rate_max_bp"`
	Collateral []string `json:"collateral"`
	Industries []string `json:"industries"`
	Regions    []string `json:"regions"`
	ValidFrom  string   `json:"valid_from"`
	ValidTo    string   `json:"valid_to"`
}

func (in *ProductInput) validate() error {
	var f apperr.Fields
	in.Name = strings.TrimSpace(in.Name)
	checkText(&f, "name", in.Name, 100, true)
	if _, ok := ProductKinds[in.Kind]; !ok {
		f.Add("kind", "unknown", apperr.M("产品类别须为 credit、mortgage、guarantee、supply_chain 或 ip_pledge", "kind must be credit, mortgage, guarantee, supply_chain or ip_pledge"))
	}
	if in.AmountMin <= 0 {
		f.Add("amount_min", "positive", apperr.M("最低额度须大于零", "amount_min must be positive"))
	} else if in.AmountMax < in.AmountMin {
		f.Add("amount_max", "below_min", apperr.M("最高额度不能低于最低额度", "amount_max cannot be below amount_min"))
	}
	if in.TermMin < 1 || in.TermMin > 360 {
		f.Add("term_min", "range", apperr.M("最短期限为1到360个月", "term_min is 1 to 360 months"))
	} else if in.TermMax < in.TermMin || in.TermMax > 360 {
		f.Add("term_max", "range", apperr.M("最长期限不能短于最短期限，且不超过360个月", "term_max is from term_min to 360 months"))
	}
	if in.RateMinBP <= 0 || in.RateMinBP > 3600 {
		f.Add("rate_min_bp", "range", apperr.M("最低年利率为1到3600个基点", "rate_min_bp is 1 to 3600 basis points"))
	} else if in.RateMaxBP < in.RateMinBP || in.RateMaxBP > 3600 {
		f.Add("rate_max_bp", "range", apperr.M("最高年利率不能低于最低年利率", "rate_max_bp is from rate_min_bp to 3600"))
	}
	in.Collateral = checkList(&f, "collateral", in.Collateral, knownCollateral)
	in.Industries = checkList(&f, "industries", in.Industries, knownIndustry)
	in.Regions = checkList(&f, "regions", in.Regions, regionCode)
	from, err1 := workday.ParseDate(in.ValidFrom)
	to, err2 := workday.ParseDate(in.ValidTo)
	switch {
	case err1 != nil:
		f.Add("valid_from", "format", apperr.M("有效期起始日期格式为 YYYY-MM-DD", "valid_from is YYYY-MM-DD"))
	case err2 != nil:
		f.Add("valid_to", "format", apperr.M("有效期截止日期格式为 YYYY-MM-DD", "valid_to is YYYY-MM-DD"))
	case to.Before(from):
		f.Add("valid_to", "before_from", apperr.M("有效期截止日期不能早于起始日期", "valid_to cannot be before valid_from"))
	}
	return f.Err()
}

// PublishProduct adds a product of the officer's institution.
func (s *Service) PublishProduct(ctx context.Context, actor auth.User, in ProductInput) (Product, error) {
	inst, err := s.InstitutionOf(ctx, actor)
	if err != nil {
		return Product{}, err
	}
	if err := in.validate(); err != nil {
		return Product{}, err
	}
	now := s.Now()
	p := Product{InstitutionCode: inst.Code, InstitutionName: inst.Name, Name: in.Name, Kind: in.Kind, AmountMin: in.AmountMin, AmountMax: in.AmountMax,
		TermMin: in.TermMin, TermMax: in.TermMax, RateMinBP: in.RateMinBP, RateMaxBP: in.RateMaxBP, Collateral: in.Collateral,
		Industries: in.Industries, Regions: in.Regions, ValidFrom: in.ValidFrom, ValidTo: in.ValidTo, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO fin_products (institution_code, name, kind, amount_min, amount_max, term_min, term_max,
			rate_min_bp, rate_max_bp, collateral, industries, regions, valid_from, valid_to, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.InstitutionCode, p.Name, p.Kind, p.AmountMin, p.AmountMax, p.TermMin, p.TermMax, p.RateMinBP, p.RateMaxBP,
			jsonList(p.Collateral), jsonList(p.Industries), jsonList(p.Regions), p.ValidFrom, p.ValidTo,
			store.FormatTime(now), store.FormatTime(now)).Scan(&p.ID)
		if err != nil {
			return apperr.Wrap(err, "finance: insert product")
		}
		return s.audit(ctx, tx, actor, "finance.product_published", "fin_product:"+strconv.FormatInt(p.ID, 10),
			map[string]any{"institution": p.InstitutionCode, "name": p.Name}, now)
	})
	return p, err
}

const productColumns = `p.id, p.institution_code, i.name, p.name, p.kind, p.amount_min, p.amount_max, p.term_min, p.term_max,
	p.rate_min_bp, p.rate_max_bp, p.collateral, p.industries, p.regions, p.valid_from, p.valid_to, p.created_at`

func scanProduct(sc interface{ Scan(...any) error }) (Product, error) {
	var p Product
	var coll, inds, regs, created string
	err := sc.Scan(&p.ID, &p.InstitutionCode, &p.InstitutionName, &p.Name, &p.Kind, &p.AmountMin, &p.AmountMax, &p.TermMin, &p.TermMax,
		&p.RateMinBP, &p.RateMaxBP, &coll, &inds, &regs, &p.ValidFrom, &p.ValidTo, &created)
	p.Collateral, p.Industries, p.Regions, p.CreatedAt = parseList(coll), parseList(inds), parseList(regs), store.ParseTime(created)
	return p, err
}

// Products lists the products of one institution, or of all when institution is "".
// Products are public: anyone may read them.
func (s *Service) Products(ctx context.Context, institution string) ([]Product, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+productColumns+` FROM fin_products p JOIN fin_institutions i ON i.code = p.institution_code
		WHERE (? = '' OR p.institution_code = ?) ORDER BY p.id`, institution, institution)
	if err != nil {
		return nil, apperr.Wrap(err, "finance: products")
	}
	defer rows.Close()
	out := []Product{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "finance: products")
		}
		out = append(out, p)
	}
	return out, apperr.Wrap(rows.Err(), "finance: products")
}

func (s *Service) product(ctx context.Context, q store.Querier, id int64) (Product, error) {
	p, err := scanProduct(q.QueryRowContext(ctx, `SELECT `+productColumns+` FROM fin_products p JOIN fin_institutions i ON i.code = p.institution_code
		WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, apperr.NotFoundf("product_not_found", apperr.M("没有这个金融产品", "no such product"))
	}
	return p, apperr.Wrap(err, "finance: product")
}

// NeedInput is what an enterprise writes to post a financing need.
type NeedInput struct {
	Industry   string   `json:"industry"`
	RegionCode string   `json:"region_code"`
	Amount     int64    `json:"amount"`
	Term       int      `json:"term"`
	Purpose    string   `json:"purpose"`
	Collateral []string `json:"collateral"`
}

// PostNeed records an enterprise's financing need.
func (s *Service) PostNeed(ctx context.Context, actor auth.User, in NeedInput) (Need, error) {
	if !isEnterprise(actor) {
		return Need{}, errEnterpriseOnly()
	}
	var f apperr.Fields
	if !knownIndustry(in.Industry) {
		f.Add("industry", "unknown", apperr.M("请选择所属行业", "choose an industry"))
	}
	if !regionCode(in.RegionCode) {
		f.Add("region_code", "format", apperr.M("地区代码为2到12位数字", "region_code is 2 to 12 digits"))
	}
	if in.Amount <= 0 || in.Amount > 100_000_000_000 {
		f.Add("amount", "range", apperr.M("融资金额须大于零且不超过1000亿元", "amount must be positive and at most 100 bn yuan"))
	}
	if in.Term < 1 || in.Term > 360 {
		f.Add("term", "range", apperr.M("期限为1到360个月", "term is 1 to 360 months"))
	}
	in.Purpose = strings.TrimSpace(in.Purpose)
	checkText(&f, "purpose", in.Purpose, 500, true)
	in.Collateral = checkList(&f, "collateral", in.Collateral, knownCollateral)
	if err := f.Err(); err != nil {
		return Need{}, err
	}
	now := s.Now()
	n := Need{EnterpriseID: actor.ID, EnterpriseName: actor.Name, CreditCode: actor.CreditCode, Industry: in.Industry, RegionCode: in.RegionCode,
		Amount: in.Amount, Term: in.Term, Purpose: in.Purpose, Collateral: in.Collateral, CreatedAt: now}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO fin_needs (enterprise_user_id, enterprise_name, credit_code, industry, region_code,
			amount, term, purpose, collateral, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.EnterpriseID, n.EnterpriseName, n.CreditCode, n.Industry, n.RegionCode, n.Amount, n.Term, n.Purpose,
			jsonList(n.Collateral), store.FormatTime(now)).Scan(&n.ID)
		if err != nil {
			return apperr.Wrap(err, "finance: insert need")
		}
		return s.audit(ctx, tx, actor, "finance.need_posted", "fin_need:"+strconv.FormatInt(n.ID, 10), map[string]any{"amount": n.Amount}, now)
	})
	return n, err
}

const needColumns = `n.id, n.enterprise_user_id, n.enterprise_name, n.credit_code, n.industry, n.region_code, n.amount, n.term, n.purpose, n.collateral, n.created_at`

func readNeed(row interface{ Scan(...any) error }) (Need, error) {
	var n Need
	var coll, created string
	err := row.Scan(&n.ID, &n.EnterpriseID, &n.EnterpriseName, &n.CreditCode, &n.Industry, &n.RegionCode, &n.Amount, &n.Term, &n.Purpose,
		&coll, &created)
	n.Collateral, n.CreatedAt = parseList(coll), store.ParseTime(created)
	return n, err
}

// Need returns a need its enterprise may see; others get 404.
func (s *Service) Need(ctx context.Context, actor auth.User, id int64) (Need, error) {
	n, err := readNeed(s.db.QueryRowContext(ctx, `SELECT `+needColumns+` FROM fin_needs n WHERE n.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && (!isEnterprise(actor) || n.CreditCode != actor.CreditCode) {
		return Need{}, apperr.NotFoundf("need_not_found", apperr.M("没有这条融资需求", "no such financing need"))
	}
	return n, apperr.Wrap(err, "finance: need")
}

// Needs lists the enterprise's own needs, newest first.
func (s *Service) Needs(ctx context.Context, actor auth.User) ([]Need, error) {
	if !isEnterprise(actor) {
		return nil, errEnterpriseOnly()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+needColumns+` FROM fin_needs n WHERE n.credit_code = ? ORDER BY n.id DESC`, actor.CreditCode)
	if err != nil {
		return nil, apperr.Wrap(err, "finance: needs")
	}
	defer rows.Close()
	out := []Need{}
	for rows.Next() {
		n, err := readNeed(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "finance: needs")
		}
		out = append(out, n)
	}
	return out, apperr.Wrap(rows.Err(), "finance: needs")
}

// Match ranks every product valid today for one of the enterprise's needs.
func (s *Service) Match(ctx context.Context, actor auth.User, needID int64) ([]Match, error) {
	n, err := s.Need(ctx, actor, needID)
	if err != nil {
		return nil, err
	}
	products, err := s.Products(ctx, "")
	if err != nil {
		return nil, err
	}
	return Rank(products, n, s.today()), nil
}
