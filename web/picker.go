package web

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
)

// The item picker: wherever someone names an item (booking a visit, a
// 一件事's members, the items a member of staff handles), they search by
// name, alias or pinyin (sbk, shebaoka) and choose from what is found,
// instead of typing a 28-character code. The choices are radio buttons (one
// item) or checkboxes (several) named as the field the form sends; htmx
// refreshes them as the search box changes. Without scripts the search box
// is sent with the form, and the handler takes the one item it finds or
// shows the form again with the items found to choose from.

const pickerLimit = 8

// itemChoices is the list a search offers, with the items already chosen
// first (kept when the search changes).
type itemChoices struct {
	L Lang
	// Field is the form field the choice is sent as ("item" when empty),
	// ID what the ids of its inputs start with ("pick" when empty): unique
	// on the page when it holds several pickers.
	Field, ID string
	// Multi offers checkboxes: several items may be chosen (Picked).
	Multi bool
	// Required leaves out the choice of no item.
	Required bool
	Q        string
	Chosen   *catalog.Item
	Picked   []catalog.Item
	Found    []catalog.Item
	// Searched: a search was made (an empty list then says nothing was found,
	// unless FoundChosen: what it found is chosen already).
	Searched, FoundChosen bool
}

// FieldName is the form field of the choice.
func (c itemChoices) FieldName() string { return cmp.Or(c.Field, "item") }

// IDPrefix starts the ids of the choice's inputs.
func (c itemChoices) IDPrefix() string { return cmp.Or(c.ID, "pick") }

func (w *Web) searchChoices(ctx context.Context, l Lang, q, chosen string) (itemChoices, error) {
	c := itemChoices{L: l, Q: strings.TrimSpace(q)}
	if chosen != "" {
		if it, err := w.Catalog.Published(ctx, chosen); err == nil {
			c.Chosen = &it
		}
	}
	return c, w.search(ctx, &c)
}

// search fills c.Found with what c.Q finds, less what is chosen already.
func (w *Web) search(ctx context.Context, c *itemChoices) error {
	if c.Q == "" {
		return nil
	}
	items, _, err := w.Catalog.Search(ctx, catalog.Filter{Query: c.Q, Limit: pickerLimit})
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return nil
		}
		return err
	}
	c.Searched, c.FoundChosen = true, false
	c.Found = nil
	for _, it := range items {
		chosen := c.Chosen != nil && it.Code == c.Chosen.Code ||
			slices.ContainsFunc(c.Picked, func(p catalog.Item) bool { return p.Code == it.Code })
		if chosen {
			c.FoundChosen = true
		} else {
			c.Found = append(c.Found, it)
		}
	}
	return nil
}

// pickedItems returns the chosen items of codes by name, in their order; a
// code the published catalogue does not hold shows as itself, so that it
// can be seen and unticked.
func (w *Web) pickedItems(ctx context.Context, codes []string) []catalog.Item {
	var out []catalog.Item
	for _, code := range codes {
		it, err := w.Catalog.Published(ctx, code)
		if err != nil {
			it = catalog.Item{Code: code, Name: code, NameEN: code}
		}
		out = append(out, it)
	}
	return out
}

// pickerName is what a field or id of a picker may be called.
var pickerName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,40}$`)

// pickItems answers the picker's search: the choices part alone to htmx,
// the page with the list otherwise. field, id and multi say which picker
// asks (booking's when absent); the search box is sent as field_q.
func (w *Web) pickItems(ctx context.Context, call *call) (itemChoices, error) {
	q := call.R.URL.Query()
	c := itemChoices{L: call.L, Multi: q.Get("multi") == "1", Required: q.Get("required") == "1"}
	if f := q.Get("field"); pickerName.MatchString(f) {
		c.Field = f
	}
	if id := q.Get("id"); pickerName.MatchString(id) {
		c.ID = id
	}
	c.Q = strings.TrimSpace(q.Get(c.FieldName() + "_q"))
	if c.Multi {
		c.Picked = w.pickedItems(ctx, slices.Compact(q[c.FieldName()]))
	} else if chosen := q.Get(c.FieldName()); chosen != "" {
		if it, err := w.Catalog.Published(ctx, chosen); err == nil {
			c.Chosen = &it
		}
	}
	if err := w.search(ctx, &c); err != nil {
		return c, err
	}
	if call.R.Header.Get("HX-Request") == "true" {
		// Every picker's choices are the one part, whatever its box's id.
		call.R.Header.Set("HX-Target", "item-choices")
	}
	return c, nil
}

// resolveItem takes the item a search box names when no choice was sent (a
// browser without scripts, or Enter pressed in the box): the item of that
// code, else the only item found. Otherwise it returns the choices found,
// to show the form again with them, and the problem of the field to show.
// A search that found an item chosen already asks for nothing more: the
// choice was made from it ("" and no problem).
func (w *Web) resolveItem(ctx context.Context, c *itemChoices, field string) (string, *apperr.FieldError, error) {
	if it, err := w.Catalog.Published(ctx, c.Q); err == nil {
		return it.Code, nil, nil
	}
	if err := w.search(ctx, c); err != nil {
		return "", nil, err
	}
	if c.FoundChosen {
		return "", nil, nil
	}
	switch len(c.Found) {
	case 1:
		return c.Found[0].Code, nil, nil
	case 0:
		fe := apperr.Field(field, "not_found", apperr.M("没有找到相符的事项，请换个说法试试", "no item matches; try other words"))
		return "", &fe, nil
	}
	fe := apperr.Field(field, "choose", apperr.M("搜索到多个事项，请从结果中选择一个", "the search found several items: choose one of them"))
	return "", &fe, nil
}

// resolveTyped takes the item a search box names when no choice was made
// (a browser without scripts): the only item found, else a request to choose.
func (w *Web) resolveTyped(ctx context.Context, l Lang, q string) (string, error) {
	c, err := w.searchChoices(ctx, l, q, "")
	if err != nil {
		return "", err
	}
	if len(c.Found) == 1 {
		return c.Found[0].Code, nil
	}
	return "", apperr.Fields{apperr.Field("item", "choose", apperr.M("请从搜索结果中选择一个事项", "choose one item from the search results"))}.Err()
}
