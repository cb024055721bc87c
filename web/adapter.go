package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/logging"
)

// The pages' handler adapter: every page is registered with handle. A
// route runs the checks every page shares (path and query text, form
// size, the client's address for the audit, the role, the form token),
// reads the path's {id} when the route has one, then the handler, which
// reads what it needs from its call and says what to answer: a page, a
// redirect after a change, a confirmation to ask, JSON, a file. A handler
// that fails answers with the error page, unless it returns, with the
// error, the form to show again: the adapter puts the problem on it
// (refusals and failures keep the error page, which audits refusals).
// The routes of an optional service are registered only on a server that
// has it: elsewhere their addresses are no page, as any unknown address.

// call is what a page's handler reads: who asks, the request, the path's
// {id} (when the route reads one).
type call struct {
	R *http.Request
	S *session
	L Lang
	// User is the signed-in user, the actor of the services' calls; zero on
	// a public page seen without signing in.
	User auth.User
	ID   int64
	rw   http.ResponseWriter
}

// Path is the value of the route's {name}.
func (c *call) Path(name string) string { return c.R.PathValue(name) }

// Query is the value of the query parameter name ("" when absent).
func (c *call) Query(name string) string { return c.R.URL.Query().Get(name) }

// Form is the value of the posted field name, as sent.
func (c *call) Form(name string) string { return c.R.PostFormValue(name) }

// Trim is the value of the posted field name without surrounding spaces.
func (c *call) Trim(name string) string { return strings.TrimSpace(c.R.PostFormValue(name)) }

// Values are every value posted under name (checkboxes, multiple selects).
func (c *call) Values(name string) []string { return c.R.PostForm[name] }

// Version is the record version a form carries, nil when it has none or
// it does not read.
func (c *call) Version() *int {
	v, err := strconv.Atoi(c.R.PostFormValue("version"))
	if err != nil {
		return nil
	}
	return &v
}

// VersionOr is the record version the form carries, or current when it
// carries none that reads.
func (c *call) VersionOr(current int) int {
	if v := c.Version(); v != nil {
		return *v
	}
	return current
}

// Flash is the message of the "done" query parameter a change left in the
// address it sent the browser to, by keys (done value → message key).
func (c *call) Flash(keys map[string]string) string {
	if k, ok := keys[c.Query("done")]; ok && c.Query("done") != "" {
		return c.L.T(k)
	}
	return ""
}

func newCall(rw http.ResponseWriter, r *http.Request, s *session) *call {
	c := &call{R: r, S: s, L: s.L, rw: rw}
	if s.User != nil {
		c.User = *s.User
	}
	return c
}

// handler is a page's work: read, call, answer.
type handler func(ctx context.Context, c *call) (answer, error)

// answer is what a handler answers with; it writes itself.
type answer interface {
	write(w *Web, c *call) error
}

// page is a template shown with its data.
type page struct {
	Name  string // the template
	Title string // the message key of the title
	// TitleText is a title not from the messages (a case's number), used
	// when Title is empty.
	TitleText   string
	Data        any
	Flash       string
	Status      int // 200 when 0
	Scripts     []string
	OwnMessages bool
	// Anchor is the id of the input a field error belongs to where its
	// name alone does not say it (a row of a form, one form of several):
	// the error summary then links there; "" keeps the default.
	Anchor  func(field string) string
	problem *problem
}

func (p page) write(w *Web, c *call) error {
	v := &view{session: c.S, Title: p.TitleText, Data: p.Data, Flash: p.Flash, Scripts: p.Scripts, OwnMessages: p.OwnMessages,
		Problem: p.problem}
	if p.Title != "" {
		v.Title = c.L.T(p.Title)
	}
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	return w.write(c.rw, c.R, c.S, status, p.Name, v)
}

// showAgain shows the page with the problem, under the problem's status.
func (p page) showAgain(_ *Web, pr *problem) (answer, error) {
	if p.Anchor != nil {
		for i := range pr.List {
			if a := p.Anchor(pr.List[i].field); a != "" {
				pr.List[i].Anchor = a
			}
		}
	}
	p.problem, p.Status = pr, pr.Status
	return p, nil
}

// seeOther is where the browser goes after a change (303).
type seeOther string

func (to seeOther) write(_ *Web, c *call) error {
	http.Redirect(c.rw, c.R, string(to), http.StatusSeeOther)
	return nil
}

// jsonAnswer is data for a page's script, never cached.
type jsonAnswer struct{ V any }

func (j jsonAnswer) write(_ *Web, c *call) error {
	c.rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.rw.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(c.rw).Encode(j.V)
}

// download is a file to save, never cached.
type download struct {
	ContentType string
	Name        string
	Body        []byte
}

func (d download) write(_ *Web, c *call) error {
	h := c.rw.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", `attachment; filename="`+d.Name+`"`)
	h.Set("Cache-Control", "no-store")
	_, err := c.rw.Write(d.Body)
	return err
}

// formAgain is an answer returned with an error: the form to show again
// with the problem on it.
type formAgain interface {
	showAgain(w *Web, p *problem) (answer, error)
}

// reload builds the form to show again only when it is needed (the page's
// lists are read again after a failed change); an error it returns is
// shown instead.
type reload func() (answer, error)

func (f reload) write(w *Web, c *call) error {
	a, err := f()
	if err != nil {
		return err
	}
	return a.write(w, c)
}

func (f reload) showAgain(w *Web, p *problem) (answer, error) {
	a, err := f()
	if err != nil {
		return nil, err
	}
	if again, ok := a.(formAgain); ok {
		return again.showAgain(w, p)
	}
	return a, nil
}

// onFormOnly keeps the form for the problems the user can change there (a
// wrong field, a state changed meanwhile: onForm); others get the error page.
func onFormOnly(err error, f reload) answer {
	if !onForm(err) {
		return nil
	}
	return f
}

// routeOption changes whether handle registers a route and how it reads it.
type routeOption func(*route)

type route struct {
	idMissing *apperr.Error // nil: the route reads no numeric {id}
	absent    bool          // the route's optional service is not on this server
}

// withID reads the path's {id} as a positive number; anything else is a
// 404 with reason and message.
func withID(reason string, msg apperr.Msg) routeOption {
	return func(rt *route) { rt.idMissing = apperr.NotFoundf(reason, msg) }
}

// Ways an {id} names nothing.
var (
	anyID    routeOption = func(rt *route) { rt.idMissing = errNoPage() }
	caseID               = withID("case_not_found", apperr.M("案件不存在", "no such case"))
	recordID             = func(reason string) routeOption {
		return withID(reason, apperr.M("没有这条记录", "no such record"))
	}
)

// needs marks a route of an optional service: where the server runs
// without it (present false), the route is not registered.
func needs(present bool) routeOption {
	return func(rt *route) { rt.absent = rt.absent || !present }
}

func errNoPage() *apperr.Error {
	return apperr.NotFoundf("page_not_found", apperr.M("没有这个页面", "there is no such page"))
}

// handle registers h for pattern, for the roles who (nil: everyone),
// reading the route as its options say.
func (w *Web) handle(pattern string, who access, h handler, opts ...routeOption) {
	var rt route
	for _, o := range opts {
		o(&rt)
	}
	if rt.absent {
		return
	}
	w.mux.HandleFunc(pattern, func(rw http.ResponseWriter, r *http.Request) {
		if err := checkText("path", r.URL.Path); err != nil {
			w.renderError(rw, r, w.session(rw, r), err)
			return
		}
		if r.Method == http.MethodPost {
			if err := w.parseForm(rw, r); err != nil {
				w.renderError(rw, r, w.session(rw, r), err)
				return
			}
		} else if err := checkQuery(r); err != nil {
			w.renderError(rw, r, w.session(rw, r), err)
			return
		}
		// Services write the client's address into the audit records of
		// the changes they make.
		r = r.WithContext(audit.WithClientIP(r.Context(), w.clientIP(r)))
		s := w.session(rw, r)
		logging.SetRoute(r.Context(), pattern)
		if s.User != nil {
			logging.SetUser(r.Context(), s.User.ID)
		}
		if who != nil {
			if s.User == nil {
				w.toLogin(rw, r)
				return
			}
			if !roleIn(s.User.Role, who) {
				w.deny(rw, r, s)
				return
			}
		}
		if r.Method == http.MethodPost && !s.validToken(r.PostFormValue("csrf")) {
			w.renderError(rw, r, s, apperr.New(apperr.Forbidden, "form_expired",
				apperr.M("表单已过期或不是从本站提交的，请刷新页面后重试", "the form has expired or did not come from this site; reload the page and try again")))
			return
		}
		c := newCall(rw, r, s)
		if err := w.run(c, h, rt); err != nil {
			w.renderError(rw, r, s, err)
		}
	})
}

// run reads the route's {id}, calls h and writes its answer; an error it
// returns is shown on the error page.
func (w *Web) run(c *call, h handler, rt route) error {
	if rt.idMissing != nil {
		id, err := strconv.ParseInt(c.R.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			return rt.idMissing
		}
		c.ID = id
	}
	out, err := h(c.R.Context(), c)
	return w.reply(c, out, err)
}

// reply writes a handler's answer; an error returned to it is shown on the
// error page.
func (w *Web) reply(c *call, out answer, err error) error {
	if err == nil {
		return out.write(w, c)
	}
	again, ok := out.(formAgain)
	if !ok {
		return err
	}
	p := problemOf(c.L, err)
	if p.Status >= 500 {
		return err
	}
	a, aerr := again.showAgain(w, p)
	if aerr != nil {
		return aerr
	}
	return a.write(w, c)
}

// show registers a page that only shows what load reads.
func show[D any](w *Web, pattern string, who access, name, title string, load func(ctx context.Context, c *call) (D, error),
	opts ...routeOption) {
	w.handle(pattern, who, func(ctx context.Context, c *call) (answer, error) {
		d, err := load(ctx, c)
		if err != nil {
			return nil, err
		}
		return page{Name: name, Title: title, Data: d}, nil
	}, opts...)
}
