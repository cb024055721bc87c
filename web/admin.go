package web

import (
	"bytes"
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

func (w *Web) adminHome(rw http.ResponseWriter, r *http.Request, s *session) error {
	counts, err := w.Catalog.Counts(r.Context())
	if err != nil {
		return err
	}
	pts, err := w.Points.Count(r.Context())
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "admin", "admin.title", adminData{Counts: counts, Years: w.Calendar.Years(), Points: pts})
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

func (w *Web) adminItems(rw http.ResponseWriter, r *http.Request, s *session) error {
	q := r.URL.Query()
	d := adminItemsData{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status")}
	if d.Status == "" {
		d.Status = catalog.StatusPublished
	}
	if d.Status != catalog.StatusPublished && d.Status != catalog.StatusDraft {
		return apperr.Fields{apperr.Field("status", "unknown", apperr.M("状态须为 published 或 draft", "status must be published or draft"))}.Err()
	}
	offset, err := offsetOf(r)
	if err != nil {
		return err
	}
	items, total, err := w.Catalog.Search(r.Context(), catalog.Filter{Query: d.Q, Status: d.Status, Limit: casesPerPage, Offset: offset})
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return w.renderForm(rw, r, s, "admin_items", "admin_items.title", d, err)
		}
		return err
	}
	d.Items, d.Total = items, total
	if d.Depts, err = w.Catalog.DepartmentsByCode(r.Context()); err != nil {
		return err
	}
	base := "/admin/items?" + url.Values{"q": {d.Q}, "status": {d.Status}}.Encode() + "&"
	d.PrevURL, d.NextURL = pager(base, offset, len(items), total)
	v := &view{session: s, Title: s.L.T("admin_items.title"), Data: d, Flash: importedFlash(s.L, q.Get("imported"))}
	return w.write(rw, r, s, http.StatusOK, "admin_items", v)
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
func (w *Web) itemChoices(r *http.Request, d *adminItemData) error {
	depts, err := w.Catalog.Departments(r.Context())
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

func (w *Web) itemForm(r *http.Request, code string) (adminItemData, error) {
	versions, err := w.Catalog.Versions(r.Context(), code)
	if err != nil {
		return adminItemData{}, err
	}
	d := adminItemData{Item: versions[0], Versions: versions}
	if err := w.itemChoices(r, &d); err != nil {
		return d, err
	}
	d.fill(0, 0)
	return d, nil
}

// newItemForm is the form of an item still to be created: the defaults of
// the catalogue (补正 within the default days, a visit, required materials).
func (w *Web) newItemForm(r *http.Request) (adminItemData, error) {
	d := adminItemData{New: true, Item: catalog.Item{SupplementDays: catalog.DefaultSupplement, ServesPersons: true}}
	if err := w.itemChoices(r, &d); err != nil {
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

func (w *Web) adminItem(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.itemForm(r, r.PathValue("code"))
	if err != nil {
		return err
	}
	v := &view{session: s, Title: s.L.T("admin_item.title") + " " + d.Item.Name, Data: d}
	switch r.URL.Query().Get("done") {
	case "saved":
		v.Flash = s.L.T("admin_item.saved")
	case "published":
		v.Flash = s.L.T("admin_item.published")
	case "created":
		v.Flash = s.L.T("adminitem.created")
	}
	return w.write(rw, r, s, http.StatusOK, "admin_item", v)
}

func (w *Web) newItemPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.newItemForm(r)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "admin_item", "adminitem.new_title", d)
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
func (w *Web) saveItem(rw http.ResponseWriter, r *http.Request, s *session) error {
	code := r.PathValue("code")
	d, err := w.itemForm(r, code)
	if err != nil {
		return err
	}
	it, err := itemFromForm(r, d.Item)
	it.Code = d.Item.Code // an edit never changes the code
	if m, f, asked := moreRows(r); asked {
		d.Item = it
		d.fill(m, f)
		return w.render(rw, r, s, http.StatusOK, "admin_item", "admin_item.title", d)
	}
	if err == nil {
		if _, err = w.Catalog.SaveDraft(r.Context(), *s.User, it); err == nil {
			http.Redirect(rw, r, "/admin/items/"+url.PathEscape(code)+"?done=saved", http.StatusSeeOther)
			return nil
		}
	}
	d.Item = it
	d.fill(0, 0)
	return w.renderForm(rw, r, s, "admin_item", "admin_item.title", d, err)
}

// createItem stores a new item as draft version 1; the form comes back with
// every problem next to its field, and nothing is saved, when it has any.
func (w *Web) createItem(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.newItemForm(r)
	if err != nil {
		return err
	}
	it, err := itemFromForm(r, d.Item)
	if m, f, asked := moreRows(r); asked {
		d.Item = it
		d.fill(m, f)
		return w.render(rw, r, s, http.StatusOK, "admin_item", "adminitem.new_title", d)
	}
	if err == nil {
		var saved catalog.Item
		saved, err = w.Catalog.CreateItem(r.Context(), *s.User, it)
		if err == nil {
			http.Redirect(rw, r, "/admin/items/"+url.PathEscape(saved.Code)+"?done=created", http.StatusSeeOther)
			return nil
		}
	}
	d.Item = it
	d.fill(0, 0)
	return w.renderForm(rw, r, s, "admin_item", "adminitem.new_title", d, err)
}

func (w *Web) publishItem(rw http.ResponseWriter, r *http.Request, s *session) error {
	code := r.PathValue("code")
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil {
		return apperr.NotFoundf("item_not_found", apperr.M("事项版本不存在", "no such item version"))
	}
	if _, err := w.Catalog.Publish(r.Context(), *s.User, code, v); err != nil {
		return err
	}
	http.Redirect(rw, r, "/admin/items/"+url.PathEscape(code)+"?done=published", http.StatusSeeOther)
	return nil
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

func (w *Web) adminUsers(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.usersForm(r)
	if err != nil {
		return err
	}
	v := &view{session: s, Title: s.L.T("admin_users.title"), Data: d}
	switch r.URL.Query().Get("done") {
	case "added":
		v.Flash = s.L.Tf("admin_users.added", r.URL.Query().Get("username"))
	case "disabled":
		v.Flash = s.L.Tf("adminuser.disabled", r.URL.Query().Get("username"))
	case "enabled":
		v.Flash = s.L.Tf("adminuser.enabled", r.URL.Query().Get("username"))
	case "head_set":
		v.Flash = s.L.Tf("adminuser.head_set", r.URL.Query().Get("username"))
	case "head_unset":
		v.Flash = s.L.Tf("adminuser.head_unset", r.URL.Query().Get("username"))
	}
	return w.write(rw, r, s, http.StatusOK, "admin_users", v)
}

func (w *Web) addUser(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.usersForm(r)
	if err != nil {
		return err
	}
	u := auth.User{Username: r.PostFormValue("username"), Name: r.PostFormValue("name"), Role: auth.Role(r.PostFormValue("role")),
		Phone: r.PostFormValue("phone")}
	switch u.Role.Scope() {
	case auth.ScopeDepartment:
		u.DepartmentCode = r.PostFormValue("department_code")
	case auth.ScopePoint:
		u.PointCode = r.PostFormValue("point_code")
	}
	if u.Role == auth.RoleApplicant {
		u.Kind, u.IDNumber, u.CreditCode = r.PostFormValue("kind"), r.PostFormValue("id_number"), r.PostFormValue("credit_code")
		if u.Kind == auth.KindPerson {
			u.CreditCode = ""
		}
	}
	d.New = u
	added, err := w.Auth.AddUser(r.Context(), *s.User, u, r.PostFormValue("password"))
	if err != nil {
		return w.renderForm(rw, r, s, "admin_users", "admin_users.title", d, err)
	}
	http.Redirect(rw, r, "/admin/users?done=added&username="+url.QueryEscape(added.Username), http.StatusSeeOther)
	return nil
}

func (w *Web) adminPoints(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.pointsPage(r)
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return w.renderForm(rw, r, s, "admin_points", "admin_points.title", d, err)
		}
		return err
	}
	v := &view{session: s, Title: s.L.T("admin_points.title"), Data: d}
	code := r.URL.Query().Get("code")
	switch r.URL.Query().Get("done") {
	case "created":
		v.Flash = s.L.Tf("point.created", code)
	case "updated":
		v.Flash = s.L.Tf("point.updated", code)
	}
	return w.write(rw, r, s, http.StatusOK, "admin_points", v)
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

func (w *Web) newPointPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := newPointData(true, network.Point{Level: catalog.LevelTownship, Kind: network.KindTownshipCentre})
	return w.render(rw, r, s, http.StatusOK, "admin_point", "point.new_title", d)
}

func (w *Web) pointPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	p, err := w.Points.Get(r.Context(), nil, r.PathValue("code"))
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "admin_point", "point.edit_title", newPointData(false, p))
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
func (w *Web) createPoint(rw http.ResponseWriter, r *http.Request, s *session) error {
	p, d, err := pointFromForm(r, network.Point{Code: strings.TrimSpace(r.PostFormValue("code"))})
	d.New = true
	if err == nil {
		p, err = w.Points.Create(r.Context(), *s.User, p)
	}
	if err != nil {
		return w.renderForm(rw, r, s, "admin_point", "point.new_title", d, pointProblem(err))
	}
	http.Redirect(rw, r, "/admin/points?done=created&code="+url.QueryEscape(p.Code)+"&q="+url.QueryEscape(p.Code), http.StatusSeeOther)
	return nil
}

// updatePoint changes a service point; its code stays.
func (w *Web) updatePoint(rw http.ResponseWriter, r *http.Request, s *session) error {
	old, err := w.Points.Get(r.Context(), nil, r.PathValue("code"))
	if err != nil {
		return err
	}
	p, d, err := pointFromForm(r, old)
	if err == nil {
		p, err = w.Points.Update(r.Context(), *s.User, p)
	}
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return err
		}
		return w.renderForm(rw, r, s, "admin_point", "point.edit_title", d, pointProblem(err))
	}
	http.Redirect(rw, r, "/admin/points?done=updated&code="+url.QueryEscape(p.Code)+"&q="+url.QueryEscape(p.Code), http.StatusSeeOther)
	return nil
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

func (w *Web) adminWorkdays(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := w.workdaysForm()
	v := &view{session: s, Title: s.L.T("admin_workdays.title"), Data: d}
	if y := r.URL.Query().Get("imported"); y != "" {
		v.Flash = s.L.Tf("admin_workdays.imported", y)
	}
	return w.write(rw, r, s, http.StatusOK, "admin_workdays", v)
}

// importWorkdays adds or corrects years of the holiday calendar from the
// uploaded file (the format of `onewindow workday import`).
func (w *Web) importWorkdays(rw http.ResponseWriter, r *http.Request, s *session) error {
	d := w.workdaysForm()
	fail := func(err error) error { return w.renderForm(rw, r, s, "admin_workdays", "admin_workdays.title", d, err) }
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return fail(apperr.Fields{apperr.Field("file", "required", apperr.M("请选择节假日安排文件（JSON）", "choose a holiday file (JSON)"))}.Err())
	}
	f, err := r.MultipartForm.File["file"][0].Open()
	if err != nil {
		return apperr.Wrap(err, "web: open holiday file")
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxForm+1))
	if err != nil {
		return apperr.Wrap(err, "web: read holiday file")
	}
	if len(body) > maxForm {
		return fail(apperr.Fields{apperr.Field("file", "too_large", apperr.M("文件超过1 MiB", "the file is larger than 1 MiB"))}.Err())
	}
	years, err := w.Workdays.Import(r.Context(), *s.User, bytes.NewReader(body), w.Calendar)
	if err != nil {
		return fail(err)
	}
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	http.Redirect(rw, r, "/admin/workdays?imported="+url.QueryEscape(strings.Join(parts, "、")), http.StatusSeeOther)
	return nil
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
