package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/workday"
)

type adminData struct {
	Counts catalog.CatalogCounts
	Years  []int
	Points int
}

func (w *Web) adminHome(ctx context.Context, c *call) (adminData, error) {
	counts, err := w.Catalog.Counts(ctx)
	if err != nil {
		return adminData{}, err
	}
	pts, err := w.Points.Count(ctx)
	return adminData{Counts: counts, Years: w.Calendar.Years(), Points: pts}, err
}

type adminItemsData struct {
	Q       string
	Status  string
	Items   []catalog.Item
	Total   int
	Depts   map[string]catalog.Department
	PrevURL string
	NextURL string
}

func (w *Web) adminItems(ctx context.Context, c *call) (answer, error) {
	d := adminItemsData{Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status")}
	if d.Status == "" {
		d.Status = catalog.StatusPublished
	}
	if d.Status != catalog.StatusPublished && d.Status != catalog.StatusDraft {
		return nil, apperr.Fields{apperr.Field("status", "unknown", apperr.M("状态须为 published 或 draft", "status must be published or draft"))}.Err()
	}
	offset, err := offsetOf(c.R)
	if err != nil {
		return nil, err
	}
	items, total, err := w.Catalog.Search(ctx, catalog.Filter{Query: d.Q, Status: d.Status, Limit: casesPerPage, Offset: offset})
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return page{Name: "admin_items", Title: "admin_items.title", Data: d}, err
		}
		return nil, err
	}
	d.Items, d.Total = items, total
	if d.Depts, err = w.Catalog.DepartmentsByCode(ctx); err != nil {
		return nil, err
	}
	base := "/admin/items?" + url.Values{"q": {d.Q}, "status": {d.Status}}.Encode() + "&"
	d.PrevURL, d.NextURL = pager(base, offset, len(items), total)
	return page{Name: "admin_items", Title: "admin_items.title", Data: d, Flash: importedFlash(c.L, c.Query("imported"))}, nil
}

// adminItemData is the form of an item: for an edit, the latest version (the
// open draft if there is one) and every version; for a new item, a blank one.
// It also holds the lists the selects offer.
type adminItemData struct {
	New         bool // creating an item: its codes are typed in, and there are no versions yet
	Item        catalog.Item
	Versions    []catalog.Item
	Departments []catalog.Department
	Types       []string
	Levels      []int
	Depths      []string
	Reqs        []string
	Forms       []string
	Sources     []string
	Materials   []catalog.Material // the item's, plus blank rows to add
	Fees        []feeRow
	LifeEvents  string
	Aliases     string // one a line
}

type feeRow struct {
	catalog.Fee
	Yuan string
}

// blankRows is how many empty rows the material and fee tables offer; the
// "add a row" buttons ask for more.
const blankRows = 2

// itemChoices fills the lists the form's selects offer.
func (w *Web) itemChoices(ctx context.Context, d *adminItemData) error {
	depts, err := w.Catalog.Departments(ctx)
	if err != nil {
		return err
	}
	d.Departments = depts
	d.Levels = []int{1, 2, 3, 4, 5, 6}
	d.Depths = catalog.AllDepths
	d.Reqs = []string{catalog.Required, catalog.Waivable, catalog.Optional}
	d.Forms = []string{catalog.FormPaper, catalog.FormElectronic, catalog.FormEither}
	d.Sources = []string{catalog.SourceApplicant, catalog.SourceGovernment}
	d.Types = nil
	for t := range catalog.ItemTypes {
		d.Types = append(d.Types, t)
	}
	slices.Sort(d.Types)
	return nil
}

func (w *Web) itemForm(ctx context.Context, code string) (adminItemData, error) {
	versions, err := w.Catalog.Versions(ctx, code)
	if err != nil {
		return adminItemData{}, err
	}
	d := adminItemData{Item: versions[0], Versions: versions}
	if err := w.itemChoices(ctx, &d); err != nil {
		return d, err
	}
	d.fill(0, 0)
	return d, nil
}

// newItemForm is the form of an item still to be created: the defaults of
// the catalogue (补正 within the default days, a visit, required materials).
func (w *Web) newItemForm(ctx context.Context, _ *call) (adminItemData, error) {
	d := adminItemData{New: true, Item: catalog.Item{SupplementDays: catalog.DefaultSupplement, ServesPersons: true}}
	if err := w.itemChoices(ctx, &d); err != nil {
		return d, err
	}
	d.fill(1, 0)
	return d, nil
}

// fill prepares the rows of the form from d.Item, with extra blank rows.
func (d *adminItemData) fill(moreMaterials, moreFees int) {
	blank := make([]catalog.Material, blankRows+moreMaterials)
	for i := range blank {
		blank[i].Requirement = catalog.Required
	}
	d.Materials = append(slices.Clone(d.Item.Materials), blank...)
	d.Fees = nil
	for _, f := range d.Item.Fees {
		d.Fees = append(d.Fees, feeRow{Fee: f, Yuan: fmt.Sprintf("%d.%02d", f.AmountFen/100, f.AmountFen%100)})
	}
	d.Fees = append(d.Fees, make([]feeRow, blankRows+moreFees)...)
	d.LifeEvents, d.Aliases = strings.Join(d.Item.LifeEvents, "、"), strings.Join(d.Item.Aliases, "\n")
}

func (w *Web) adminItem(ctx context.Context, c *call) (answer, error) {
	d, err := w.itemForm(ctx, c.Path("code"))
	if err != nil {
		return nil, err
	}
	return page{Name: "admin_item", TitleText: c.L.T("admin_item.title") + " " + d.Item.Name, Data: d,
		Flash: c.Flash(map[string]string{"saved": "admin_item.saved", "published": "admin_item.published", "created": "adminitem.created"})}, nil
}

// parseYuan reads an amount like 80 or 80.50 as fen.
func parseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e9 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac+strings.Repeat("0", 2-len(frac)), 10, 64); err != nil || f < 0 {
			return 0, false
		}
	}
	return w*100 + f, true
}

func formInt(f *apperr.Fields, r *http.Request, name, field string) int {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.Add(field, "number", apperr.M("须为整数", "must be a whole number"))
	}
	return n
}

// itemFromForm applies the form to it. Fields the form does not send
// (codes on an edit, samples…) keep their values. A material row cleared of
// its name and type, or ticked for removal, is dropped.
func itemFromForm(r *http.Request, it catalog.Item) (catalog.Item, error) {
	var f apperr.Fields
	sent := func(name string) bool { _, ok := r.PostForm[name]; return ok }
	for _, field := range []struct {
		name string
		to   *string
	}{{"code", &it.Code}, {"base_code", &it.BaseCode}, {"result_type", &it.ResultType}} {
		if sent(field.name) {
			*field.to = r.PostFormValue(field.name)
		}
	}
	if sent("supplement_days") {
		it.SupplementDays = formInt(&f, r, "supplement_days", "supplement_days")
	}
	it.Name = r.PostFormValue("name")
	it.NameEN = r.PostFormValue("name_en")
	it.Type = r.PostFormValue("type")
	it.DepartmentCode = r.PostFormValue("department")
	it.Levels = nil
	for _, v := range r.PostForm["levels"] {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Add("levels", "number", apperr.M("层级须为1–6", "a level is 1–6"))
			continue
		}
		it.Levels = append(it.Levels, n)
	}
	it.LegalLimitDays = formInt(&f, r, "legal_limit_days", "legal_limit_days")
	it.PromisedLimitDays = formInt(&f, r, "promised_limit_days", "promised_limit_days")
	it.Visits = formInt(&f, r, "visits", "visits")
	it.OnlineDepth = slices.Clone(r.PostForm["online_depth"])
	it.ResultName = r.PostFormValue("result_name")
	it.Conditions = r.PostFormValue("conditions")
	it.Basis = r.PostFormValue("basis")
	it.Location = r.PostFormValue("location")
	it.Hours = r.PostFormValue("hours")
	it.Contact = r.PostFormValue("contact")
	it.ServesPersons = r.PostFormValue("serves_persons") == "1"
	it.ServesEnterprises = r.PostFormValue("serves_enterprises") == "1"
	it.LifeEvents = strings.FieldsFunc(r.PostFormValue("life_events"), func(c rune) bool { return c == '、' || c == ',' || c == '，' || c == ' ' })
	it.Aliases = catalog.ParseAliases(r.PostFormValue("aliases"))
	old := map[string]catalog.Material{}
	for _, m := range it.Materials {
		old[m.Type] = m
	}
	it.Materials = nil
	rows := formInt(&f, r, "material_rows", "material_rows")
	for i := 0; i < min(rows, 200); i++ {
		p := "m" + strconv.Itoa(i) + "_"
		name, typ := strings.TrimSpace(r.PostFormValue(p+"name")), strings.TrimSpace(r.PostFormValue(p+"type"))
		if name == "" && typ == "" || r.PostFormValue(p+"remove") == "1" {
			continue // an empty row, or one cleared or ticked to remove the material
		}
		m := old[typ] // keeps the sample
		m.Name, m.Type, m.Requirement = name, typ, r.PostFormValue(p+"requirement")
		if sent(p + "form") {
			m.Form, m.Source = r.PostFormValue(p+"form"), r.PostFormValue(p+"source")
		}
		m.Originals = formInt(&f, r, p+"originals", fmt.Sprintf("materials[%d].originals", len(it.Materials)))
		m.Copies = formInt(&f, r, p+"copies", fmt.Sprintf("materials[%d].copies", len(it.Materials)))
		m.Description = r.PostFormValue(p + "description")
		it.Materials = append(it.Materials, m)
	}
	it.Fees = nil
	fees := formInt(&f, r, "fee_rows", "fee_rows")
	for i := 0; i < min(fees, 50); i++ {
		p := "f" + strconv.Itoa(i) + "_"
		name, amount := strings.TrimSpace(r.PostFormValue(p+"name")), strings.TrimSpace(r.PostFormValue(p+"amount"))
		if name == "" && amount == "" || r.PostFormValue(p+"remove") == "1" {
			continue
		}
		fen, ok := parseYuan(amount)
		if !ok {
			f.Add(fmt.Sprintf("fees[%d].amount_fen", len(it.Fees)), "amount", apperr.M("金额须为元，最多两位小数，如 80 或 80.50", "the amount is in yuan with at most two decimals, e.g. 80 or 80.50"))
		}
		it.Fees = append(it.Fees, catalog.Fee{Name: name, AmountFen: fen, Basis: r.PostFormValue(p + "basis")})
	}
	if err := f.Err(); err != nil {
		// Tell every problem at once: what the form could not read, and what
		// the catalogue finds wrong with the rest.
		return it, withCatalogProblems(f, it)
	}
	return it, nil
}

// withCatalogProblems adds the catalogue's own findings on it to the form's
// problems f, one message per field.
func withCatalogProblems(f apperr.Fields, it catalog.Item) error {
	check := it
	check.Levels, check.OnlineDepth, check.LifeEvents = slices.Clone(it.Levels), slices.Clone(it.OnlineDepth), slices.Clone(it.LifeEvents)
	check.Aliases = slices.Clone(it.Aliases)
	check.Materials, check.Fees = slices.Clone(it.Materials), slices.Clone(it.Fees)
	check.Normalize()
	if err := check.Validate(); err != nil {
		seen := map[string]bool{}
		for _, fe := range f {
			seen[fe.Field] = true
		}
		for _, fe := range apperr.As(err).Fields {
			if !seen[fe.Field] {
				f = append(f, fe)
			}
		}
	}
	return f.Err()
}

// moreRows reads an "add a row" button: how many blank material and fee rows
// the form shown again gets beyond the usual.
func moreRows(r *http.Request) (materials, fees int, asked bool) {
	switch r.PostFormValue("more") {
	case "material":
		return 1, 0, true
	case "fee":
		return 0, 1, true
	}
	return 0, 0, false
}

// saveItem stores the form as the item's draft (a new version, or the open
// draft replaced); publishing is a separate step.
func (w *Web) saveItem(ctx context.Context, c *call) (answer, error) {
	d, err := w.itemForm(ctx, c.Path("code"))
	if err != nil {
		return nil, err
	}
	return w.itemSubmitted(c, d, "admin_item.title", func(it catalog.Item) (string, error) {
		_, err := w.Catalog.SaveDraft(ctx, c.User, it)
		return c.Path("code"), err
	}, "saved")
}

// createItem stores a new item as draft version 1; the form comes back with
// every problem next to its field, and nothing is saved, when it has any.
func (w *Web) createItem(ctx context.Context, c *call) (answer, error) {
	d, err := w.newItemForm(ctx, c)
	if err != nil {
		return nil, err
	}
	return w.itemSubmitted(c, d, "adminitem.new_title", func(it catalog.Item) (string, error) {
		saved, err := w.Catalog.CreateItem(ctx, c.User, it)
		return saved.Code, err
	}, "created")
}

// itemSubmitted reads the item form onto d's item and saves it (save
// answers the saved item's code): the form again with more blank rows when
// a button asked for them, with every problem when there are any, else the
// item's page saying done.
func (w *Web) itemSubmitted(c *call, d adminItemData, title string, save func(catalog.Item) (string, error), done string) (answer, error) {
	it, err := itemFromForm(c.R, d.Item)
	if !d.New {
		it.Code = d.Item.Code // an edit never changes the code
	}
	if m, f, asked := moreRows(c.R); asked {
		d.Item = it
		d.fill(m, f)
		return page{Name: "admin_item", Title: title, Data: d}, nil
	}
	if err == nil {
		var code string
		if code, err = save(it); err == nil {
			return seeOther("/admin/items/" + url.PathEscape(code) + "?done=" + done), nil
		}
	}
	d.Item = it
	d.fill(0, 0)
	return page{Name: "admin_item", Title: title, Data: d}, err
}

func (w *Web) publishItem(ctx context.Context, c *call) (answer, error) {
	code := c.Path("code")
	v, err := strconv.Atoi(c.Path("version"))
	if err != nil {
		return nil, apperr.NotFoundf("item_not_found", apperr.M("事项版本不存在", "no such item version"))
	}
	_, err = w.Catalog.Publish(ctx, c.User, code, v)
	return seeOther("/admin/items/" + url.PathEscape(code) + "?done=published"), err
}

type adminUsersData struct {
	Role        string
	Q           string
	Users       []auth.User
	Roles       []auth.Role
	Departments []catalog.Department
	Points      []network.Point
	New         auth.User
	PrevURL     string
	NextURL     string
}

func (w *Web) usersForm(r *http.Request) (adminUsersData, error) {
	d := adminUsersData{Roles: auth.Roles, Role: r.URL.Query().Get("role")}
	var err error
	if d.Departments, err = w.Catalog.Departments(r.Context()); err != nil {
		return d, err
	}
	if d.Points, err = w.Points.List(r.Context()); err != nil {
		return d, err
	}
	if d.Role != "" && !auth.Role(d.Role).Valid() {
		return d, apperr.Fields{apperr.Field("role", "unknown", apperr.M("没有这个角色", "no such role"))}.Err()
	}
	offset, err := offsetOf(r)
	if err != nil {
		return d, err
	}
	d.Q = strings.TrimSpace(r.URL.Query().Get("q"))
	us, err := w.Auth.Users(r.Context(), auth.UserFilter{Role: auth.Role(d.Role), Query: d.Q, Limit: casesPerPage + 1, Offset: offset})
	if err != nil {
		return d, err
	}
	// One more than a page tells whether there is a next page.
	total := offset + len(us)
	if len(us) > casesPerPage {
		us = us[:casesPerPage]
	}
	d.Users = us
	base := "/admin/users?"
	if d.Role != "" {
		base += "role=" + url.QueryEscape(d.Role) + "&"
	}
	if d.Q != "" {
		base += "q=" + url.QueryEscape(d.Q) + "&"
	}
	d.PrevURL, d.NextURL = pager(base, offset, len(us), total)
	return d, nil
}

// userFlashes are the messages of the changes to a user, naming them.
var userFlashes = map[string]string{"added": "admin_users.added", "disabled": "adminuser.disabled", "enabled": "adminuser.enabled",
	"head_set": "adminuser.head_set", "head_unset": "adminuser.head_unset"}

func (w *Web) adminUsers(ctx context.Context, c *call) (answer, error) {
	d, err := w.usersForm(c.R)
	if err != nil {
		return nil, err
	}
	p := page{Name: "admin_users", Title: "admin_users.title", Data: d}
	if k, ok := userFlashes[c.Query("done")]; ok {
		p.Flash = c.L.Tf(k, c.Query("username"))
	}
	return p, nil
}

func (w *Web) addUser(ctx context.Context, c *call) (answer, error) {
	d, err := w.usersForm(c.R)
	if err != nil {
		return nil, err
	}
	u := auth.User{Username: c.Form("username"), Name: c.Form("name"), Role: auth.Role(c.Form("role")), Phone: c.Form("phone")}
	switch u.Role.Scope() {
	case auth.ScopeDepartment:
		u.DepartmentCode = c.Form("department_code")
	case auth.ScopePoint:
		u.PointCode = c.Form("point_code")
	}
	if u.Role == auth.RoleApplicant {
		u.Kind, u.IDNumber, u.CreditCode = c.Form("kind"), c.Form("id_number"), c.Form("credit_code")
		if u.Kind == auth.KindPerson {
			u.CreditCode = ""
		}
	}
	d.New = u
	added, err := w.Auth.AddUser(ctx, c.User, u, c.Form("password"))
	if err != nil {
		return page{Name: "admin_users", Title: "admin_users.title", Data: d}, err
	}
	return seeOther("/admin/users?done=added&username=" + url.QueryEscape(added.Username)), nil
}

func (w *Web) adminPoints(ctx context.Context, c *call) (answer, error) {
	d, err := w.pointsPage(c.R)
	p := page{Name: "admin_points", Title: "admin_points.title", Data: d}
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return p, err
		}
		return nil, err
	}
	switch c.Query("done") {
	case "created":
		p.Flash = c.L.Tf("point.created", c.Query("code"))
	case "updated":
		p.Flash = c.L.Tf("point.updated", c.Query("code"))
	}
	return p, nil
}

// pointData is the form of one service point, new or existing.
type pointData struct {
	New      bool
	Point    network.Point
	Lat, Lon string // as typed, so that a mistyped number comes back to be corrected
	Levels   []int
	Kinds    []string
	Services []string
}

func newPointData(isNew bool, p network.Point) pointData {
	d := pointData{New: isNew, Point: p, Levels: []int{1, 2, 3, 4, 5, 6}}
	for k := range network.KindNames {
		d.Kinds = append(d.Kinds, k)
	}
	slices.Sort(d.Kinds)
	for sv := range network.ServiceNames {
		d.Services = append(d.Services, sv)
	}
	slices.Sort(d.Services)
	if p.Lat != nil {
		d.Lat = strconv.FormatFloat(*p.Lat, 'f', -1, 64)
	}
	if p.Lon != nil {
		d.Lon = strconv.FormatFloat(*p.Lon, 'f', -1, 64)
	}
	return d
}

// ServiceName names a service a point may offer.
func (l Lang) ServiceName(sv string) string {
	if n, ok := network.ServiceNames[sv]; ok {
		return l.Pair(n)
	}
	return sv
}

func (w *Web) newPointPage(context.Context, *call) (pointData, error) {
	return newPointData(true, network.Point{Level: catalog.LevelTownship, Kind: network.KindTownshipCentre}), nil
}

func (w *Web) pointPage(ctx context.Context, c *call) (pointData, error) {
	p, err := w.Points.Get(ctx, nil, c.Path("code"))
	return newPointData(false, p), err
}

// pointFromForm reads the point form onto p; numbers that do not read are
// problems of their fields.
func pointFromForm(r *http.Request, p network.Point) (network.Point, pointData, error) {
	var f apperr.Fields
	p.Name = strings.TrimSpace(r.PostFormValue("name"))
	p.NameEN = strings.TrimSpace(r.PostFormValue("name_en"))
	p.Kind = r.PostFormValue("kind")
	p.RegionCode = strings.TrimSpace(r.PostFormValue("region_code"))
	p.Address = strings.TrimSpace(r.PostFormValue("address"))
	p.Phone = strings.TrimSpace(r.PostFormValue("phone"))
	p.Hours = strings.TrimSpace(r.PostFormValue("hours"))
	p.Services = slices.Clone(r.PostForm["services"])
	if v := strings.TrimSpace(r.PostFormValue("level")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Add("level", "number", apperr.M("层级须为1–6", "level must be 1–6"))
		}
		p.Level = n
	} else {
		p.Level = 0
	}
	p.Lat, p.Lon = nil, nil
	for _, c := range []struct {
		field string
		to    **float64
	}{{"lat", &p.Lat}, {"lon", &p.Lon}} {
		v := strings.TrimSpace(r.PostFormValue(c.field))
		if v == "" {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.Add(c.field, "number", apperr.M("须为十进制度数，如 42.6834", "a number of degrees, e.g. 42.6834"))
			continue
		}
		*c.to = &x
	}
	d := newPointData(false, p)
	d.Lat, d.Lon = strings.TrimSpace(r.PostFormValue("lat")), strings.TrimSpace(r.PostFormValue("lon"))
	if len(f) > 0 {
		// With the point's own problems, so that every one is told at once.
		check := p
		if err := check.Validate(); err != nil {
			for _, fe := range apperr.As(err).Fields {
				if !slices.ContainsFunc(f, func(x apperr.FieldError) bool { return x.Field == fe.Field }) {
					f = append(f, fe)
				}
			}
		}
	}
	return p, d, f.Err()
}

// pointProblem names a problem with one of the offered services as a
// problem of the services, whose checkboxes share one place for errors.
func pointProblem(err error) error {
	ae := apperr.As(err)
	if ae.Code != apperr.Invalid {
		return err
	}
	var f apperr.Fields
	for _, fe := range ae.Fields {
		if strings.HasPrefix(fe.Field, "services[") {
			fe.Field = "services"
		}
		f = append(f, fe)
	}
	return f.Err()
}

// createPoint adds a service point; a problem shows the form again with the
// message next to its field, and nothing is saved.
func (w *Web) createPoint(ctx context.Context, c *call) (answer, error) {
	p, d, err := pointFromForm(c.R, network.Point{Code: c.Trim("code")})
	d.New = true
	if err == nil {
		p, err = w.Points.Create(ctx, c.User, p)
	}
	return pointSaved(p, d, "point.new_title", "created", err)
}

// updatePoint changes a service point; its code stays.
func (w *Web) updatePoint(ctx context.Context, c *call) (answer, error) {
	old, err := w.Points.Get(ctx, nil, c.Path("code"))
	if err != nil {
		return nil, err
	}
	p, d, err := pointFromForm(c.R, old)
	if err == nil {
		p, err = w.Points.Update(ctx, c.User, p)
	}
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, err
	}
	return pointSaved(p, d, "point.edit_title", "updated", err)
}

// pointSaved answers the point form: the list showing the point saved, or
// the form again with its problem (a service's problem under services).
func pointSaved(p network.Point, d pointData, title, done string, err error) (answer, error) {
	if err != nil {
		return page{Name: "admin_point", Title: title, Data: d}, pointProblem(err)
	}
	return seeOther("/admin/points?done=" + done + "&code=" + url.QueryEscape(p.Code) + "&q=" + url.QueryEscape(p.Code)), nil
}

type yearRow struct {
	Year     int
	Notice   workday.Notice
	Holidays []workday.Holiday
}

type workdaysData struct {
	Years    []yearRow
	Imported []int
}

func (w *Web) workdaysForm() workdaysData {
	var d workdaysData
	years := w.Calendar.Years()
	slices.Reverse(years)
	for _, y := range years {
		if yd, ok := w.Calendar.Year(y); ok {
			d.Years = append(d.Years, yearRow{Year: y, Notice: yd.Notice, Holidays: yd.Holidays})
		}
	}
	return d
}

func (w *Web) adminWorkdays(ctx context.Context, c *call) (answer, error) {
	p := page{Name: "admin_workdays", Title: "admin_workdays.title", Data: w.workdaysForm()}
	if y := c.Query("imported"); y != "" {
		p.Flash = c.L.Tf("admin_workdays.imported", y)
	}
	return p, nil
}

// importWorkdays adds or corrects years of the holiday calendar from the
// uploaded file (the format of `onewindow workday import`).
func (w *Web) importWorkdays(ctx context.Context, c *call) (answer, error) {
	form := page{Name: "admin_workdays", Title: "admin_workdays.title", Data: w.workdaysForm()}
	_, body, err := uploadedFile(c.R, "file", maxForm, apperr.M("请选择节假日安排文件（JSON）", "choose a holiday file (JSON)"),
		apperr.M("文件超过1 MiB", "the file is larger than 1 MiB"))
	if err != nil {
		return form, err
	}
	years, err := w.Workdays.Import(ctx, c.User, bytes.NewReader(body), w.Calendar)
	if err != nil {
		return form, err
	}
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	return seeOther("/admin/workdays?imported=" + url.QueryEscape(strings.Join(parts, "、"))), nil
}

// uploadedFile reads the name and the content of the file posted as
// field, of at most limit bytes; a missing file is a problem of the field
// saying missing, a larger one saying tooLarge.
func uploadedFile(r *http.Request, field string, limit int64, missing, tooLarge apperr.Msg) (string, []byte, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return "", nil, apperr.Fields{apperr.Field(field, "required", missing)}.Err()
	}
	fh := r.MultipartForm.File[field][0]
	f, err := fh.Open()
	if err != nil {
		return "", nil, apperr.Wrap(err, "web: open "+field)
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return "", nil, apperr.Wrap(err, "web: read "+field)
	}
	if int64(len(body)) > limit {
		return "", nil, apperr.Fields{apperr.Field(field, "too_large", tooLarge)}.Err()
	}
	return fh.Filename, body, nil
}

// MaterialForm names the form a material comes in.
func (l Lang) MaterialForm(f string) string {
	switch f {
	case catalog.FormPaper:
		return l.T("adminitem.form_paper")
	case catalog.FormElectronic:
		return l.T("adminitem.form_electronic")
	case catalog.FormEither:
		return l.T("adminitem.form_either")
	}
	return f
}

// MaterialSource names where a material comes from.
func (l Lang) MaterialSource(src string) string {
	switch src {
	case catalog.SourceApplicant:
		return l.T("adminitem.source_applicant")
	case catalog.SourceGovernment:
		return l.T("adminitem.source_government")
	}
	return src
}
