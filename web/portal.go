package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
)

// lifeEvents are the browse tags of the portal (主题服务), in the order of a
// life; items carry them in catalog.Item.LifeEvents.
var lifeEvents = []struct{ Tag, EN string }{
	{"生育", "Having a child"}, {"上学", "Going to school"}, {"就业", "Work"}, {"婚姻", "Marriage"},
	{"户籍", "Household registration"}, {"住房", "Housing"}, {"出行", "Travel and vehicles"}, {"出入境", "Going abroad"},
	{"开办企业", "Starting a business"}, {"纳税", "Taxes"}, {"工程建设", "Construction"}, {"农业生产", "Farming"},
	{"残疾人", "Disability"}, {"退役军人", "Veterans"}, {"社会救助", "Social assistance"}, {"法律援助", "Legal aid"},
	{"养老", "Old age"},
}

// LifeEvent names a browse tag in the page's language.
func (l Lang) LifeEvent(tag string) string {
	if l == EN {
		for _, e := range lifeEvents {
			if e.Tag == tag {
				return e.EN
			}
		}
	}
	return tag
}

// browseLevels are the levels a visitor can browse by (places people go to).
var browseLevels = []int{catalog.LevelCounty, catalog.LevelTownship, catalog.LevelVillage}

type homeData struct {
	Counts     catalog.CatalogCounts
	LifeEvents []string
	Levels     []int
}

func (w *Web) home(ctx context.Context, c *call) (homeData, error) {
	counts, err := w.Catalog.Counts(ctx)
	d := homeData{Counts: counts, Levels: browseLevels}
	for _, e := range lifeEvents {
		d.LifeEvents = append(d.LifeEvents, e.Tag)
	}
	return d, err
}

// itemsData is the catalogue search: the filter as typed and one page of items.
type itemsData struct {
	Q           string
	Department  string
	LifeEvent   string
	Level       int
	Online      string
	Departments []catalog.Department
	DeptNames   map[string]catalog.Department
	LifeEvents  []string
	Levels      []int
	Items       []catalog.Item
	Total       int
	Offset      int
	Limit       int
	PrevURL     string
	NextURL     string
	// ApplyBase is where a signed-in user starts an application for an item:
	// the online form for applicants, the desk's form for front desks.
	ApplyBase string
}

const itemsPerPage = 20

func (w *Web) items(ctx context.Context, c *call) (answer, error) {
	q := c.R.URL.Query()
	d := itemsData{Q: strings.TrimSpace(q.Get("q")), Department: q.Get("department"), LifeEvent: q.Get("life_event"),
		Online: q.Get("online"), Levels: browseLevels, Limit: itemsPerPage}
	for _, e := range lifeEvents {
		d.LifeEvents = append(d.LifeEvents, e.Tag)
	}
	var f apperr.Fields
	if v := q.Get("level"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < catalog.LevelNational || n > catalog.LevelVillage {
			f.Add("level", "range", apperr.M("层级须为1–6", "level must be 1–6"))
		}
		d.Level = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<20 {
			f.Add("offset", "range", apperr.M("页码不正确", "bad page offset"))
		}
		d.Offset = n
	}
	filter := catalog.Filter{Query: d.Q, Department: d.Department, LifeEvent: d.LifeEvent, Level: d.Level, Limit: itemsPerPage, Offset: d.Offset}
	switch d.Online {
	case "":
	case "1":
		t := true
		filter.FullyOnline = &t
	default:
		f.Add("online", "unknown", apperr.M("须为 1 或留空", "must be 1 or empty"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	depts, err := w.Catalog.Departments(ctx)
	if err != nil {
		return nil, err
	}
	d.Departments = depts
	d.DeptNames = map[string]catalog.Department{}
	for _, dp := range depts {
		d.DeptNames[dp.Code] = dp
	}
	items, total, err := w.Catalog.Search(ctx, filter)
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return page{Name: "items", Title: "items.title", Data: d}, err
		}
		return nil, err
	}
	d.Items, d.Total = items, total
	pageAt := func(offset int) string {
		v := url.Values{}
		for _, k := range []string{"q", "department", "life_event", "level", "online"} {
			if q.Get(k) != "" {
				v.Set(k, q.Get(k))
			}
		}
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		}
		return "/items?" + v.Encode()
	}
	if d.Offset > 0 {
		d.PrevURL = pageAt(max(d.Offset-itemsPerPage, 0))
	}
	if d.Offset+len(items) < total {
		d.NextURL = pageAt(d.Offset + itemsPerPage)
	}
	d.ApplyBase = applyBase(c.S.User)
	return page{Name: "items", Title: "items.title", Data: d}, nil
}

func applyBase(u *auth.User) string {
	if u == nil {
		return ""
	}
	switch u.Role {
	case auth.RoleApplicant:
		return "/apply/"
	case auth.RoleFrontDesk:
		return "/desk/accept?item="
	}
	return ""
}

type itemData struct {
	Item        catalog.Item
	Department  catalog.Department
	FullyOnline bool
	ApplyURL    string
	LoginURL    string
	AllDepths   []string
	// NotForYou: the signed-in applicant may not apply for the item (a
	// person and an item for enterprises only); the guide says so at once.
	NotForYou bool
	// BookURL books a visit for the item (预约办).
	BookURL string
}

func (w *Web) item(ctx context.Context, c *call) (answer, error) {
	s := c.S
	it, err := w.Catalog.Published(ctx, c.Path("code"))
	if err != nil {
		return nil, err
	}
	d := itemData{Item: it, FullyOnline: it.FullyOnline(), AllDepths: catalog.AllDepths}
	if dep, err := w.Catalog.Department(ctx, it.DepartmentCode); err == nil {
		d.Department = dep
	} else {
		d.Department = catalog.Department{Code: it.DepartmentCode, Name: it.DepartmentCode}
	}
	if base := applyBase(s.User); base != "" {
		d.ApplyURL = base + url.PathEscape(it.Code)
	} else if s.User == nil {
		d.LoginURL = "/login?next=" + url.QueryEscape("/apply/"+it.Code)
	}
	book := "/appointments/book?item=" + url.QueryEscape(it.Code)
	switch {
	case w.Hall == nil:
	case s.User == nil:
		d.BookURL = "/login?next=" + url.QueryEscape(book)
	case s.User.Role == auth.RoleApplicant:
		d.BookURL = book
		if !it.OpenTo(s.User.Kind) {
			d.NotForYou, d.ApplyURL = true, ""
		}
	}
	return page{Name: "item", TitleText: c.L.Name(it.Name, it.NameEN), Data: d}, nil
}

type verifyData struct {
	Code     string
	Result   *cases.Verification
	NotFound bool
}

// verifyPage checks a result by its verification code: the page the QR code
// on a delivery record opens. It is public and shows only what the code proves.
func (w *Web) verifyPage(ctx context.Context, c *call) (answer, error) {
	code := c.Path("code")
	if code == "" {
		code = c.Query("code")
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	d := verifyData{Code: code}
	p := page{Name: "verify", Title: "verify.title"}
	if code != "" {
		if len(code) > 64 {
			p.Data = d
			return p, apperr.Fields{apperr.Field("code", "too_long", apperr.M("核验码过长", "the code is too long"))}.Err()
		}
		v, err := w.Cases.Verify(ctx, code)
		switch {
		case err == nil:
			d.Result = &v
		case apperr.CodeOf(err) == apperr.NotFound:
			d.NotFound = true
			p.Status = http.StatusNotFound
		default:
			return nil, err
		}
	}
	p.Data = d
	return p, nil
}

// track opens a case from its number: the address printed as a QR code on
// the notices a front desk hands out. Only those who may see the case get it.
func (w *Web) track(ctx context.Context, c *call) (answer, error) {
	kase, err := w.Cases.GetByNumber(ctx, c.User, c.Path("number"))
	if err != nil {
		return nil, err
	}
	return seeOther("/cases/" + strconv.FormatInt(kase.ID, 10)), nil
}
