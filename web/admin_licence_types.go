package web

import (
	"context"
	"slices"
	"strconv"

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

func (w *Web) licenceTypesPage(ctx context.Context, _ *call) (answer, error) {
	d, err := w.licenceTypesData(ctx, licence.Type{HolderKind: "person"})
	if err != nil {
		return nil, err
	}
	return page{Name: "admin_licence_types", Title: "licence.types_title", Data: d}, nil
}

func (w *Web) putLicenceType(ctx context.Context, c *call) (answer, error) {
	years, _ := strconv.Atoi(c.Trim("validity_years"))
	t := licence.Type{Code: c.Form("code"), Name: c.Form("name"), NameEN: c.Form("name_en"),
		DepartmentCode: c.Form("department_code"), HolderKind: c.Form("holder_kind"), ValidityYears: years}
	for _, v := range c.Values("items") {
		t.Items = append(t.Items, splitCodes(v)...)
	}
	t.Items = slices.Compact(t.Items)
	again := func(q string, found []catalog.Item) reload {
		return func() (answer, error) {
			d, err := w.licenceTypesData(ctx, t)
			if err != nil {
				return nil, err
			}
			d.Q, d.Found = q, found
			return page{Name: "admin_licence_types", Title: "licence.types_title", Data: d}, nil
		}
	}
	// Without scripts the picker's search box comes with the form: the one
	// item it finds is added, several come back to choose from.
	if q := c.Trim("items_q"); q != "" {
		ch := itemChoices{L: c.L, Q: q, Multi: true, Picked: w.pickedItems(ctx, t.Items)}
		code, problem, err := w.resolveItem(ctx, &ch, "items")
		if err != nil {
			return nil, err
		}
		if problem != nil {
			return again(q, ch.Found), apperr.Fields{*problem}.Err()
		}
		if code != "" && !slices.Contains(t.Items, code) {
			t.Items = append(t.Items, code)
		}
	}
	if _, err := w.Licences.PutType(ctx, c.User, t); err != nil {
		return again("", nil), err
	}
	return seeOther("/admin/licence-types"), nil
}
