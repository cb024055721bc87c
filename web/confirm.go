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

// askFirst shows the confirmation page for a POST that lacks it. It works
// without scripts: the page is an ordinary form, posting what was posted
// with the confirmation added.
func (w *Web) askFirst(rw http.ResponseWriter, r *http.Request, s *session, question, detail, button, back string) error {
	d := confirmData{Question: question, Detail: detail, Button: button, Action: r.URL.RequestURI(), Back: back}
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
	return w.write(rw, r, s, http.StatusOK, "confirm", &view{session: s, Title: question, Data: d})
}
