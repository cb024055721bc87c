package web

import (
	"net/http"
	"slices"
)

// confirmField is the field a form sends once its user has confirmed a
// final or destructive step (a case decided or ended, an account disabled,
// an appointment cancelled).
const confirmField = "confirm"

// confirmed reports whether the request carries the confirmation.
func confirmed(r *http.Request) bool { return r.PostFormValue(confirmField) == "yes" }

// confirmData is the confirmation page: what is about to happen, and the
// same form again with the confirmation, or the way back.
type confirmData struct {
	Question string
	Detail   string
	Button   string
	Action   string      // where the form posts: the address it came to
	Fields   [][2]string // the posted fields, sent again unchanged
	Back     string
}

// ask is the confirmation page of a final step, for a POST that lacks the
// confirmation. It works without scripts: the page is an ordinary form,
// posting what was posted with the confirmation added.
type ask struct {
	Question, Detail, Button, Back string
}

func (a ask) write(w *Web, c *call) error {
	r := c.R
	d := confirmData{Question: a.Question, Detail: a.Detail, Button: a.Button, Action: r.URL.RequestURI(), Back: a.Back}
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		if k != "csrf" && k != confirmField {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range r.PostForm[k] {
			d.Fields = append(d.Fields, [2]string{k, v})
		}
	}
	return page{Name: "confirm", TitleText: a.Question, Data: d}.write(w, c)
}
