package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
)

// Pages of this file that render.go's list does not name.

// adminBundlesData lists the bundle definitions, one row per code: its
// newest version, and the version published now if that is an older one.
type adminBundlesData struct {
	Rows  []bundleRow
	Depts map[string]catalog.Department
}

type bundleRow struct {
	Latest    catalog.Bundle
	Published int // the published version, 0 when none is
}

func (w *Web) adminBundles(ctx context.Context, _ *call) (adminBundlesData, error) {
	all, err := w.Catalog.BundleDefinitions(ctx, "")
	if err != nil {
		return adminBundlesData{}, err
	}
	d := adminBundlesData{}
	for _, b := range all {
		if len(d.Rows) == 0 || d.Rows[len(d.Rows)-1].Latest.Code != b.Code {
			d.Rows = append(d.Rows, bundleRow{Latest: b})
		}
		if b.Status == catalog.StatusPublished {
			d.Rows[len(d.Rows)-1].Published = b.Version
		}
	}
	d.Depts, err = w.Catalog.DepartmentsByCode(ctx)
	return d, err
}

// adminBundleData is the form of a bundle's draft: the newest version (the
// open draft if there is one) and every version, or a blank bundle.
type adminBundleData struct {
	New         bool
	Bundle      catalog.Bundle
	Versions    []catalog.Bundle
	Departments []catalog.Department
	Refusals    []string
	Members     []memberRow // the members, plus blank rows to add
	LifeEvents  string
	Limit       string // the promised days as typed
}

// memberRow is one member as the form shows it: its item chosen with the
// item picker (or still searched for), the version blank for "the published
// version now", and the prerequisites ticked among the other members.
type memberRow struct {
	Item      string
	Version   string
	DependsOn []string
	Pick      itemChoices
	// Options are the prerequisites offered: the other members, and any
	// code sent that is none of them (shown to be unticked).
	Options []catalog.Item
}

func (w *Web) bundleChoices(ctx context.Context, d *adminBundleData) error {
	depts, err := w.Catalog.Departments(ctx)
	if err != nil {
		return err
	}
	d.Departments = depts
	d.Refusals = []string{catalog.OnRefusalStop, catalog.OnRefusalContinue}
	return nil
}

// fillBundle prepares the rows of the form from d.Bundle, with blank rows.
func (d *adminBundleData) fillBundle(more int) {
	var rows []memberRow
	for _, m := range d.Bundle.Members {
		row := memberRow{Item: m.Item, DependsOn: m.DependsOn}
		if m.Version > 0 {
			row.Version = strconv.Itoa(m.Version)
		}
		rows = append(rows, row)
	}
	d.fillRows(rows, more)
	d.LifeEvents = strings.Join(d.Bundle.LifeEvents, "、")
	d.Limit = strconv.Itoa(d.Bundle.PromisedLimitDays)
}

// fillRows shows rows, then blank rows to add members.
func (d *adminBundleData) fillRows(rows []memberRow, more int) {
	d.Members = append(rows, make([]memberRow, blankRows+more)...)
}

// memberPickers gives every row its item picker and the prerequisites it
// offers, by name.
func (w *Web) memberPickers(ctx context.Context, l Lang, d *adminBundleData) {
	chosen := map[string]catalog.Item{}
	for _, row := range d.Members {
		if row.Item != "" {
			chosen[row.Item] = w.pickedItems(ctx, []string{row.Item})[0]
		}
	}
	for i := range d.Members {
		row := &d.Members[i]
		pick := itemChoices{L: l, Field: "b" + strconv.Itoa(i) + "_item", Required: true,
			Q: row.Pick.Q, Found: row.Pick.Found, Searched: row.Pick.Searched}
		pick.ID = pick.Field
		if it, ok := chosen[row.Item]; ok {
			pick.Chosen = &it
		}
		row.Pick = pick
		row.Options = nil
		for _, other := range d.Members {
			if other.Item != "" && other.Item != row.Item && !slices.ContainsFunc(row.Options, func(o catalog.Item) bool { return o.Code == other.Item }) {
				row.Options = append(row.Options, chosen[other.Item])
			}
		}
		for _, code := range row.DependsOn {
			if !slices.ContainsFunc(row.Options, func(o catalog.Item) bool { return o.Code == code }) {
				row.Options = append(row.Options, catalog.Item{Code: code, Name: code, NameEN: code})
			}
		}
	}
}

func (w *Web) bundleForm(ctx context.Context, code string) (adminBundleData, error) {
	versions, err := w.Catalog.BundleDefinitions(ctx, code)
	if err != nil {
		return adminBundleData{}, err
	}
	if len(versions) == 0 {
		return adminBundleData{}, apperr.NotFoundf("bundle_not_found", apperr.M("一件事不存在", "no such bundle"))
	}
	d := adminBundleData{Bundle: versions[0], Versions: versions}
	if err := w.bundleChoices(ctx, &d); err != nil {
		return d, err
	}
	d.fillBundle(0)
	return d, nil
}

func (w *Web) newBundleForm(ctx context.Context) (adminBundleData, error) {
	d := adminBundleData{New: true, Bundle: catalog.Bundle{OnRefusal: catalog.OnRefusalStop}}
	if err := w.bundleChoices(ctx, &d); err != nil {
		return d, err
	}
	d.fillBundle(blankRows)
	return d, nil
}

// splitList splits the codes or words typed into one field.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == '、' || c == ',' || c == '，' || c == ' ' || c == ';' || c == '；' })
}

// bundleFromForm applies the form to b and returns its member rows. A row
// without an item chosen or searched for, or ticked for removal, is
// dropped; a search without a choice (no scripts, or Enter in the box)
// takes the one item it finds, or stays a row with the items found and a
// problem. The members keep the rows' order, so that the catalogue's
// problems (members[i]…) name the rows shown again.
func (w *Web) bundleFromForm(r *http.Request, l Lang, b catalog.Bundle) (catalog.Bundle, []memberRow, error) {
	var f apperr.Fields
	if _, ok := r.PostForm["code"]; ok {
		b.Code = strings.TrimSpace(r.PostFormValue("code"))
	}
	b.Name = strings.TrimSpace(r.PostFormValue("name"))
	b.NameEN = strings.TrimSpace(r.PostFormValue("name_en"))
	b.LeadDepartment = r.PostFormValue("lead_department")
	b.PromisedLimitDays = formInt(&f, r, "promised_limit_days", "promised_limit_days")
	b.OnRefusal = r.PostFormValue("on_refusal")
	b.PartialIssue = r.PostFormValue("partial_issue") == "1"
	b.LifeEvents = splitList(r.PostFormValue("life_events"))
	b.Members = nil
	var rows []memberRow
	n := formInt(&f, r, "member_rows", "member_rows")
	for i := 0; i < min(n, 40); i++ {
		p := "b" + strconv.Itoa(i) + "_"
		row := memberRow{Item: strings.TrimSpace(r.PostFormValue(p + "item")), Version: strings.TrimSpace(r.PostFormValue(p + "version")),
			Pick: itemChoices{L: l, Q: strings.TrimSpace(r.PostFormValue(p + "item_q"))}}
		if (row.Item == "" && row.Pick.Q == "") || r.PostFormValue(p+"remove") == "1" {
			continue
		}
		for _, v := range r.PostForm[p+"depends_on"] {
			row.DependsOn = append(row.DependsOn, splitList(v)...)
		}
		field := "members[" + strconv.Itoa(len(rows)) + "]"
		if row.Item == "" {
			code, problem, err := w.resolveItem(r.Context(), &row.Pick, field+".item")
			if err != nil {
				return b, nil, err
			}
			if problem != nil {
				f = append(f, *problem)
			}
			row.Item = code
		}
		if row.Item != "" {
			row.Pick = itemChoices{L: l}
		}
		m := catalog.BundleMember{Item: row.Item, DependsOn: row.DependsOn}
		if row.Version != "" {
			v, err := strconv.Atoi(row.Version)
			if err != nil {
				f.Add(field+".version", "number", apperr.M("版本须为整数，留空即当前发布版本", "the version is a whole number; leave it blank for the published one"))
			}
			m.Version = v
		}
		rows = append(rows, row)
		b.Members = append(b.Members, m)
	}
	if err := f.Err(); err != nil {
		// Every problem at once: what the form could not read, and what the
		// catalogue finds wrong with the rest.
		if verr := b.Validate(); verr != nil {
			for _, fe := range apperr.As(verr).Fields {
				if !slices.ContainsFunc(f, func(x apperr.FieldError) bool { return x.Field == fe.Field }) {
					f = append(f, fe)
				}
			}
		}
		return b, rows, bundleProblem(f.Err())
	}
	return b, rows, nil
}

var memberField = regexp.MustCompile(`^members\[(\d+)\]\.(item|version|depends_on)$`)

// memberAnchor is the id of the input of a member row's field error
// (members[i]…), for the error summary: the row's item search box, its
// version, its first prerequisite (or their group when it offers none).
func (d *adminBundleData) memberAnchor(field string) string {
	m := memberField.FindStringSubmatch(field)
	if m == nil {
		return ""
	}
	i, err := strconv.Atoi(m[1])
	if err != nil || i >= len(d.Members) {
		return ""
	}
	row := "b" + m[1] + "_"
	switch m[2] {
	case "item":
		return row + "item-q"
	case "version":
		return row + "version"
	}
	if opts := d.Members[i].Options; len(opts) > 0 {
		return row + "dep-" + opts[0].Code
	}
	return row + "depends"
}

var dependencyField = regexp.MustCompile(`^(members\[\d+\]\.depends_on)\[\d+\]$`)

// bundleProblem names a problem with one prerequisite as a problem of its
// row's prerequisites field, where the codes are typed in one box.
func bundleProblem(err error) error {
	ae := apperr.As(err)
	if ae.Code != apperr.Invalid || len(ae.Fields) == 0 {
		return err
	}
	var f apperr.Fields
	for _, fe := range ae.Fields {
		if m := dependencyField.FindStringSubmatch(fe.Field); m != nil {
			fe.Field = m[1]
		}
		f = append(f, fe)
	}
	return f.Err()
}

func (w *Web) adminBundle(ctx context.Context, c *call) (answer, error) {
	d, err := w.bundleForm(ctx, c.Path("code"))
	if err != nil {
		return nil, err
	}
	w.memberPickers(ctx, c.L, &d)
	return page{Name: "admin_bundle", TitleText: c.L.T("adminbundle.title") + " " + d.Bundle.Name, Data: d,
		Flash: c.Flash(map[string]string{"saved": "adminbundle.saved", "published": "adminbundle.published"})}, nil
}

func (w *Web) newBundlePage(ctx context.Context, c *call) (adminBundleData, error) {
	d, err := w.newBundleForm(ctx)
	if err != nil {
		return d, err
	}
	w.memberPickers(ctx, c.L, &d)
	return d, nil
}

// saveBundle stores the form as the bundle's draft; "add a member" shows the
// form again with another row and saves nothing, and so does a problem, told
// next to its field.
func (w *Web) saveBundle(ctx context.Context, c *call) (answer, error) {
	var d adminBundleData
	var err error
	titleKey := "adminbundle.title"
	if c.Path("code") == "" {
		d, err = w.newBundleForm(ctx)
		titleKey = "adminbundle.new_title"
	} else {
		d, err = w.bundleForm(ctx, c.Path("code"))
	}
	if err != nil {
		return nil, err
	}
	b, rows, err := w.bundleFromForm(c.R, c.L, d.Bundle)
	if err != nil && apperr.CodeOf(err) != apperr.Invalid {
		return nil, err
	}
	if !d.New {
		b.Code = d.Bundle.Code // an edit never changes the code
	}
	again := func(more int) answer {
		d.Bundle = b
		d.fillBundle(more)
		d.fillRows(rows, more) // as sent, with the searches still to choose from
		d.Limit = c.Form("promised_limit_days")
		w.memberPickers(ctx, c.L, &d)
		return page{Name: "admin_bundle", Title: titleKey, Data: d, Anchor: d.memberAnchor}
	}
	if c.Form("more") == "member" {
		return again(1), nil
	}
	if err != nil {
		return again(0), bundleProblem(err)
	}
	saved, err := w.Catalog.SaveBundleDraft(ctx, c.User, b)
	if err != nil {
		return again(0), bundleProblem(err)
	}
	return seeOther("/admin/bundles/" + url.PathEscape(saved.Code) + "?done=saved"), nil
}

func (w *Web) publishBundle(ctx context.Context, c *call) (answer, error) {
	code := c.Path("code")
	v, err := strconv.Atoi(c.Path("version"))
	if err != nil {
		return nil, apperr.NotFoundf("bundle_not_found", apperr.M("一件事版本不存在", "no such bundle version"))
	}
	if _, err := w.Catalog.PublishBundle(ctx, c.User, code, v); err != nil {
		return nil, err
	}
	return seeOther("/admin/bundles/" + url.PathEscape(code) + "?done=published"), nil
}

// setUserDisabled disables or re-enables an account. An administrator may
// not disable their own account: nobody would be left to undo it.
func (w *Web) setUserDisabled(ctx context.Context, c *call) (answer, error) {
	u, err := w.Auth.User(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	disable := c.Form("disabled") == "1"
	if disable && u.ID != c.User.ID && !confirmed(c.R) {
		return ask{Question: c.L.Tf("confirm.disable_user", u.Username), Detail: c.L.T("confirm.disable_detail"),
			Button: c.L.T("adminuser.disable"), Back: "/admin/users"}, nil
	}
	if disable && u.ID == c.User.ID {
		d, err := w.usersForm(c.R)
		if err != nil {
			return nil, err
		}
		return page{Name: "admin_users", Title: "admin_users.title", Data: d}, apperr.Fields{apperr.Field("disabled", "self",
			apperr.M("不能停用自己的账号", "you cannot disable your own account"))}.Err()
	}
	if err := w.Auth.SetDisabled(ctx, c.User, u.ID, disable); err != nil {
		return nil, err
	}
	done := "enabled"
	if disable {
		done = "disabled"
	}
	return seeOther("/admin/users?done=" + done + "&username=" + url.QueryEscape(u.Username)), nil
}

// BundleStatus names the status of a bundle version.
func (l Lang) BundleStatus(status string) string {
	switch status {
	case catalog.StatusDraft:
		return l.T("adminbundle.status_draft")
	case catalog.StatusPublished:
		return l.T("adminbundle.status_published")
	case catalog.StatusRetired:
		return l.T("adminbundle.status_retired")
	}
	return status
}

// RefusalPolicy names what a refusal of one member does to the others.
func (l Lang) RefusalPolicy(policy string) string {
	switch policy {
	case catalog.OnRefusalStop:
		return l.T("adminbundle.refusal_stop")
	case catalog.OnRefusalContinue:
		return l.T("adminbundle.refusal_continue")
	}
	return policy
}
