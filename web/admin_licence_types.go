package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/licence"
)

// The 证照目录 page of the administrators: every licence type with its
// issuing department and the items whose result it is, named, and the form
// that adds or changes one, where the department is chosen from a list and
// the items with the item picker (name, alias or pinyin), never typed as
// codes.

type licenceTypesData struct {
	Types       []licence.Type
	Form        licence.Type
	Departments []catalog.Department
	// Q and Found are the picker's search when the form came back without
	// scripts (the search box sent with the form).
	Q     string
	Found []catalog.Item
	items map[string]catalog.Item
	depts map[string]catalog.Department
}

// DepartmentName is the name of the department of code, or the code.
func (d *licenceTypesData) DepartmentName(l Lang, code string) string {
	if dep, ok := d.depts[code]; ok {
		return l.Name(dep.Name, dep.NameEN)
	}
	return code
}

// ItemName is the name of the item of code, or the code.
func (d *licenceTypesData) ItemName(l Lang, code string) string {
	if it, ok := d.items[code]; ok {
		return l.Name(it.Name, it.NameEN)
	}
	return code
}

// Picker is the form's item picker, the type's items ticked.
func (d *licenceTypesData) Picker(l Lang) itemChoices {
	c := itemChoices{L: l, Field: "items", ID: "licence-items", Multi: true, Q: d.Q, Found: d.Found, Searched: d.Q != ""}
	for _, code := range d.Form.Items {
		it, ok := d.items[code]
		if !ok {
			it = catalog.Item{Code: code, Name: code, NameEN: code}
		}
		c.Picked = append(c.Picked, it)
	}
	return c
}

func (w *Web) licenceTypesData(ctx context.Context, form licence.Type) (*licenceTypesData, error) {
	types, err := w.Licences.Types(ctx)
	if err != nil {
		return nil, err
	}
	depts, err := w.Catalog.Departments(ctx)
	if err != nil {
		return nil, err
	}
	d := &licenceTypesData{Types: types, Form: form, Departments: depts, items: map[string]catalog.Item{}, depts: map[string]catalog.Department{}}
	for _, dep := range depts {
		d.depts[dep.Code] = dep
	}
	codes := slices.Clone(form.Items)
	for _, t := range types {
		codes = append(codes, t.Items...)
	}
	for _, code := range codes {
		if _, done := d.items[code]; done {
			continue
		}
		if it, err := w.Catalog.Published(ctx, code); err == nil {
			d.items[code] = it
		}
	}
	return d, nil
}

func (w *Web) licenceTypesPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	d, err := w.licenceTypesData(r.Context(), licence.Type{HolderKind: "person"})
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "admin_licence_types", "licence.types_title", d)
}

func (w *Web) putLicenceType(rw http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	years, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("validity_years")))
	t := licence.Type{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), NameEN: r.PostFormValue("name_en"),
		DepartmentCode: r.PostFormValue("department_code"), HolderKind: r.PostFormValue("holder_kind"), ValidityYears: years}
	for _, v := range r.PostForm["items"] {
		t.Items = append(t.Items, splitCodes(v)...)
	}
	t.Items = slices.Compact(t.Items)
	failed := func(err error, q string, found []catalog.Item) error {
		d, derr := w.licenceTypesData(ctx, t)
		if derr != nil {
			return derr
		}
		d.Q, d.Found = q, found
		return w.renderForm(rw, r, s, "admin_licence_types", "licence.types_title", d, err)
	}
	// Without scripts the picker's search box comes with the form: the one
	// item it finds is added, several come back to choose from.
	if q := strings.TrimSpace(r.PostFormValue("items_q")); q != "" {
		c := itemChoices{L: s.L, Q: q, Multi: true, Picked: w.pickedItems(ctx, t.Items)}
		code, problem, err := w.resolveItem(ctx, &c, "items")
		if err != nil {
			return err
		}
		if problem != nil {
			return failed(apperr.Fields{*problem}.Err(), q, c.Found)
		}
		if code != "" && !slices.Contains(t.Items, code) {
			t.Items = append(t.Items, code)
		}
	}
	if _, err := w.Licences.PutType(ctx, *s.User, t); err != nil {
		return failed(err, "", nil)
	}
	http.Redirect(rw, r, "/admin/licence-types", http.StatusSeeOther)
	return nil
}
