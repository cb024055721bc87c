package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/langmark"
	"github.com/onewindow/onewindow/pinyin"
	"github.com/onewindow/onewindow/workday"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// assetHashes maps a static file's path (under static/) to the first
// characters of its SHA-256: pages link assets with ?v=hash, so browsers may
// keep them for a year and still see a new version at once.
var assetHashes = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
})

// asset is the URL of a static file with its content hash.
func asset(name string) string {
	return "/static/" + name + "?v=" + assetHashes()[name]
}

// serveStatic serves the embedded files; a request naming the current hash
// may be cached for a year.
func serveStatic(rw http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/static/")
	hash, ok := assetHashes()[name]
	if !ok || strings.HasSuffix(name, ".md") {
		http.NotFound(rw, r)
		return
	}
	b, err := staticFiles.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(rw, r)
		return
	}
	if r.URL.Query().Get("v") == hash {
		rw.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		rw.Header().Set("Cache-Control", "public, max-age=300")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" || strings.HasPrefix(ct, "application/octet-stream") {
		ct = "text/plain; charset=utf-8"
	}
	if strings.HasSuffix(name, ".js") {
		ct = "text/javascript; charset=utf-8"
	}
	rw.Header().Set("Content-Type", ct)
	rw.Header().Set("ETag", `"`+hash+`"`)
	http.ServeContent(rw, r, "", time.Time{}, bytes.NewReader(b))
}

// chinaTime is China Standard Time, in which every time is shown.
var chinaTime = time.FixedZone("CST", 8*3600)

var funcs = template.FuncMap{
	"asset": asset,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(chinaTime).Format("2006-01-02 15:04")
	},
	"datep": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(chinaTime).Format("2006-01-02 15:04")
	},
	"day": workday.FormatDate, // civil dates: holidays, due dates
	"yuan": func(fen int64) string {
		return fmt.Sprintf("%d.%02d", fen/100, fen%100)
	},
	"minutes":   waitMinutes,
	"wan":       wan,
	"yi":        yi,
	"rate":      rate,
	"maskID":    ident.MaskID,
	"maskPhone": ident.MaskPhone,
	"add":       func(a, b int) int { return a + b },
	"join":      strings.Join,
	"has":       func(list []string, s string) bool { return slices.Contains(list, s) },
	"terms":     nameTerms,
	"hasInt":    func(list []int, n int) bool { return slices.Contains(list, n) },
	"str":       func(v any) string { return fmt.Sprint(v) },
	"pct":       func(rate float64) string { return fmt.Sprintf("%.1f%%", rate*100) },
	"pctp": func(rate *float64) string {
		if rate == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", *rate*100)
	},
}

// standalonePages render without the layout: the printable document and
// the hall's display board. layout.html and partials.html are shared parts;
// every other file in templates/ is a page that renders inside the layout.
var standalonePages = map[string]bool{"document": true, "board": true, "licence": true}

// templates holds one set per page (layout + partials + the page), and the
// standalone pages (partials + the page), read from the templates folder: a
// new page is a new file there, nothing else.
var templates = sync.OnceValue(func() map[string]*template.Template {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err) // only a malformed pattern errs
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		switch {
		case name == "layout" || name == "partials":
			continue
		case standalonePages[name]:
			out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/partials.html", f))
		default:
			out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFiles,
				"templates/layout.html", "templates/partials.html", f))
		}
	}
	return out
})

// view is what every page template gets.
type view struct {
	*session
	Title   string
	Path    string // the page's own address, to come back to after a switch
	Nav     []navItem
	Flash   string
	Problem *problem
	Data    any
	// OwnMessages: the page shows Flash and Problem inside a part that htmx
	// replaces, so the layout does not show them again.
	OwnMessages bool
	// Scripts are static files a page adds to the layout's (charts).
	Scripts []string
	// Unread is the signed-in account's unread inbox messages (the header's count).
	Unread int
}

// problem is an error as a page shows it: a sentence and, per field, what is wrong.
type problem struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
	List    []problemItem
}

// problemItem is one line of the error summary, linked to the input of its
// field when the page has one (an input's id is the field's last name:
// "applicant.id_number" → #id_number; the page's script drops links to
// inputs it does not have, and marks the others aria-invalid).
type problemItem struct {
	Anchor  string
	Message string
	field   string // the field's name, as the service gave it
}

// anchorOf is the id of the input a field error belongs to, or "".
func anchorOf(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	for _, c := range field {
		if !(c >= 'a' && c <= 'z' || c == '_' || c >= '0' && c <= '9') {
			return ""
		}
	}
	return field
}

// Field returns the message for one field, for the input it belongs to.
func (p *problem) Field(name string) string {
	if p == nil {
		return ""
	}
	return p.Fields[name]
}

// problemOf translates err; internal details stay in the log.
func problemOf(l Lang, err error) *problem {
	ae := apperr.As(err)
	p := &problem{Status: ae.Code.HTTPStatus(), Code: ae.Reason, Message: l.Msg(ae.Message)}
	if p.Status == 0 || p.Status >= 500 {
		p.Status = http.StatusInternalServerError
		p.Message = l.T("error.internal")
	}
	if p.Message == "" {
		p.Message = l.T("error.generic")
	}
	for _, f := range ae.Fields {
		if p.Fields == nil {
			p.Fields = map[string]string{}
		}
		msg := l.Msg(f.Message)
		if _, seen := p.Fields[f.Field]; !seen {
			p.Fields[f.Field] = msg
		}
		p.List = append(p.List, problemItem{Anchor: anchorOf(f.Field), Message: msg, field: f.Field})
	}
	return p
}

func (w *Web) write(rw http.ResponseWriter, r *http.Request, s *session, status int, page string, v *view) error {
	t, ok := templates()[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	v.Path = r.URL.RequestURI()
	if r.Method != http.MethodGet {
		v.Path = localPath(r.Header.Get("HX-Current-URL"))
		if v.Path == "" {
			v.Path = "/"
		}
	}
	v.Nav = navFor(s.User, r.URL.Path)
	if s.User != nil {
		// A failure here costs the badge, never the page.
		if n, err := w.notifyService().Unread(r.Context(), *s.User); err == nil {
			v.Unread = n
		}
	}
	name := "layout"
	if t.Lookup(name) == nil {
		name = page // a standalone page: the printable notices
	}
	// htmx asks for one part of a page (HX-Target names it); a page that
	// defines that part answers with it alone.
	if r.Header.Get("HX-Request") == "true" {
		if target := r.Header.Get("HX-Target"); target != "" && t.Lookup("part:"+target) != nil {
			name = "part:" + target
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return apperr.Wrap(err, "web: render "+page)
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Content-Language", v.L.HTMLLang())
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Vary", "Cookie, Accept-Language, HX-Request, HX-Target")
	rw.WriteHeader(status)
	// Text in the other language (a Chinese item name on an English page)
	// is marked with its language, for screen readers.
	_, err := rw.Write(langmark.Mark(buf.Bytes(), v.L.HTMLLang()))
	if err != nil {
		w.Log.Debug("web: write", "err", err)
	}
	return nil
}

// renderError shows an error page; refusals are audited.
func (w *Web) renderError(rw http.ResponseWriter, r *http.Request, s *session, err error) {
	var ae *apperr.Error
	if errors.As(err, &ae) && (ae.Denied || ae.Code == apperr.Forbidden) {
		w.auditDenied(r, s, ae)
	}
	p := problemOf(s.L, err)
	if p.Status >= 500 {
		w.Log.ErrorContext(r.Context(), "web: request failed", "method", r.Method, "path", r.URL.Path, "err", apperr.As(err).Error())
	}
	if p.Status == http.StatusUnauthorized && s.User == nil && r.Method == http.MethodGet {
		w.toLogin(rw, r)
		return
	}
	v := &view{session: s, Title: s.L.T("error.title"), Problem: p}
	if r.Header.Get("HX-Request") == "true" {
		// Put the message where the page keeps its main content.
		rw.Header().Set("HX-Retarget", "#main")
		rw.Header().Set("HX-Reswap", "innerHTML")
		r.Header.Set("HX-Target", "main")
	}
	if werr := w.write(rw, r, s, p.Status, "error", v); werr != nil {
		w.Log.Error("web: render error page", "err", werr)
		http.Error(rw, p.Message, p.Status)
	}
}

// Err is the problem with one field of the page's form, if any.
func (v *view) Err(field string) string { return v.Problem.Field(field) }

// Home is where the signed-in user's work starts.
func (v *view) Home() string {
	if v.User == nil {
		return "/"
	}
	return homeOf(v.User.Role)
}

// nameTerms is what a long picker's filter box matches in a name besides
// the name itself: its pinyin, full and initials ("qingzhou", "qz"), so that
// service points, departments and divisions are found as items are. Names
// repeat on every page that lists them, so their terms are kept, up to
// maxNameTerms names: renames and imported division lists would otherwise
// add names for as long as the process runs.
func nameTerms(name string) string {
	termsOfName.mu.Lock()
	t, ok := termsOfName.m[name]
	termsOfName.mu.Unlock()
	if ok {
		return t
	}
	t = strings.Join(pinyin.Terms(name), " ")
	termsOfName.mu.Lock()
	defer termsOfName.mu.Unlock()
	if termsOfName.m == nil || len(termsOfName.m) >= maxNameTerms {
		// Full: start over rather than track use; the names in use come
		// back on the next pages that list them.
		termsOfName.m = make(map[string]string)
	}
	termsOfName.m[name] = t
	return t
}

// maxNameTerms bounds the names whose terms are kept: several times the
// points, departments and divisions of a province.
const maxNameTerms = 20_000

var termsOfName struct {
	mu sync.Mutex
	m  map[string]string // name → its terms, joined by spaces
}
