package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
)

// The item picker: wherever an applicant names an item (booking a visit),
// they search by name, alias or pinyin (sbk, shebaoka) and choose from what
// is found, instead of typing a 28-character code. The choices are radio
// buttons named as the field the form sends; htmx refreshes them as the
// search box changes.

const pickerLimit = 8

// itemChoices is the list a search offers, with the item already chosen
// first (kept when the search changes).
type itemChoices struct {
	L      Lang
	Q      string
	Chosen *catalog.Item
	Found  []catalog.Item
	// Searched: a search was made (an empty list then says nothing was found).
	Searched bool
}

func (w *Web) searchChoices(ctx context.Context, l Lang, q, chosen string) (itemChoices, error) {
	c := itemChoices{L: l, Q: strings.TrimSpace(q)}
	if chosen != "" {
		if it, err := w.Catalog.Published(ctx, chosen); err == nil {
			c.Chosen = &it
		}
	}
	if c.Q == "" {
		return c, nil
	}
	items, _, err := w.Catalog.Search(ctx, catalog.Filter{Query: c.Q, Limit: pickerLimit})
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return c, nil
		}
		return c, err
	}
	c.Searched = true
	for _, it := range items {
		if c.Chosen == nil || it.Code != c.Chosen.Code {
			c.Found = append(c.Found, it)
		}
	}
	return c, nil
}

// pickItems answers the picker's search: the choices part alone to htmx,
// the page with the list otherwise.
func (w *Web) pickItems(rw http.ResponseWriter, r *http.Request, s *session) error {
	q := r.URL.Query()
	c, err := w.searchChoices(r.Context(), s.L, q.Get("item_q"), q.Get("item"))
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "pick_items", "picker.title", c)
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
