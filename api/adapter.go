package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/auth"
)

// call is what a handler's service call gets: who acts, the request (for
// path and query values), the path's {id} when the route has one, the
// decoded body, and the answer's header (for a Location or a
// Cache-Control).
type call[In any] struct {
	Actor  auth.User
	R      *http.Request
	ID     int64
	In     In
	Header http.Header
}

// Path is the value of the route's {name}.
func (c call[In]) Path(name string) string { return c.R.PathValue(name) }

// Query is the value of the query parameter name ("" when absent).
func (c call[In]) Query(name string) string { return c.R.URL.Query().Get(name) }

// handlerFunc is what a route runs; an error is answered as a problem.
type handlerFunc = func(http.ResponseWriter, *http.Request) error

// requestBody is an In that is not read as one JSON object: the adapter
// calls read instead of decoding.
type requestBody interface {
	read(w http.ResponseWriter, r *http.Request) error
}

// noBody is the In of a route that reads no request body.
type noBody struct{}

func (*noBody) read(http.ResponseWriter, *http.Request) error { return nil }

// maybe is the In of a route whose body may be left out (an action that
// needs no reasons): an empty body leaves Body its zero value.
type maybe[T any] struct{ Body T }

func (m *maybe[T]) read(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength == 0 {
		return nil
	}
	return decodeJSON(w, r, &m.Body)
}

// jsonBytes is the In of a route that hands the JSON body as it came to a
// reader of its own (a holiday file).
type jsonBytes []byte

func (b *jsonBytes) read(w http.ResponseWriter, r *http.Request) (err error) {
	*b, err = readJSONBody(w, r)
	return err
}

// answer is an Out that writes itself: a download, a printable document,
// GeoJSON; serve writes every other Out as JSON.
type answer interface {
	write(w http.ResponseWriter, r *http.Request, status int) error
}

// attachment is a file to download.
type attachment struct {
	ContentType string
	Name        string
	Body        []byte
}

func (a attachment) write(w http.ResponseWriter, _ *http.Request, status int) error {
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+a.Name+`"`)
	w.WriteHeader(status)
	_, err := w.Write(a.Body)
	return err
}

// typedJSON is JSON under a media type of its own (application/geo+json),
// or, with Raw, bytes already encoded.
type typedJSON struct {
	ContentType string
	V           any
	Raw         []byte
}

func (t typedJSON) write(w http.ResponseWriter, _ *http.Request, status int) error {
	w.Header().Set("Content-Type", t.ContentType)
	w.WriteHeader(status)
	if t.Raw != nil {
		_, err := w.Write(t.Raw)
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(t.V)
}

// begin is the adapter's prologue: the actor, the first gate, the path's
// {id}. roles, when given, refuse other roles before the request is read
// (a first gate; the service refuses them too, being the authority).
func begin[In any](w http.ResponseWriter, r *http.Request, roles []auth.Role) (call[In], error) {
	c := call[In]{R: r, Header: w.Header()}
	c.Actor, _ = actor(r)
	if len(roles) > 0 {
		if err := auth.Require(c.Actor, roles...); err != nil {
			return c, err
		}
	}
	if strings.Contains(r.Pattern, "{id}") {
		id, err := pathID(r, "id")
		if err != nil {
			return c, err
		}
		c.ID = id
	}
	return c, nil
}

// serve is the one handler adapter: actor → id → decode → call → write.
// The In says how the body is read (a JSON object, noBody, maybe, or
// another requestBody); status is the answer's status when the call
// succeeds (204: no body), and an Out that is an answer writes itself.
//
// Hand-written still: the display board's event stream (hallBoard: it
// answers for hours, event by event), creating POSTs that honour
// Idempotency-Key (serveOnce: the body is read as bytes, to be compared
// with a retry's), and the few routes whose own refusals differ from the
// adapter's (their comments say which).
func serve[In, Out any](status int, roles []auth.Role, fn func(ctx context.Context, c call[In]) (Out, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := begin[In](w, r, roles)
		if err != nil {
			return err
		}
		if rb, ok := any(&c.In).(requestBody); ok {
			err = rb.read(w, r)
		} else {
			err = decodeJSON(w, r, &c.In)
		}
		if err != nil {
			return err
		}
		out, err := fn(r.Context(), c)
		if err != nil {
			return err
		}
		return writeAnswer(w, r, status, out)
	}
}

// writeAnswer writes a call's result.
func writeAnswer(w http.ResponseWriter, r *http.Request, status int, out any) error {
	if a, ok := out.(answer); ok {
		return a.write(w, r, status)
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return nil
	}
	writeJSON(w, status, out)
	return nil
}

// serveOnce is serve for a creating POST that honours Idempotency-Key
// (idempotent): create makes the thing, answered with 201; reload reads
// again, by the id in the ref an earlier attempt noted ("case:42"), what
// that attempt made.
func serveOnce[In, Out any](s *Server, kind string, create func(context.Context, call[In]) (Out, error),
	reload func(context.Context, call[noBody]) (Out, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := begin[In](w, r, nil)
		if err != nil {
			return err
		}
		return s.idempotent(w, r, c.Actor, func(ctx context.Context, body []byte) (int, any, error) {
			if err := decodeBytes(body, &c.In); err != nil {
				return 0, nil, err
			}
			out, err := create(ctx, c)
			return http.StatusCreated, out, err
		}, func(ctx context.Context, ref string) (int, any, error) {
			id, err := refID(ref, kind)
			if err != nil {
				return 0, nil, err
			}
			out, err := reload(ctx, call[noBody]{Actor: c.Actor, R: r, ID: id, Header: c.Header})
			return http.StatusCreated, out, err
		})
	}
}

// noStore marks an answer that no cache may keep (a reveal, a signed link's state).
func noStore[T any](h http.Header) func(T, error) (T, error) {
	return func(v T, err error) (T, error) {
		if err == nil {
			h.Set("Cache-Control", "no-store")
		}
		return v, err
	}
}

// all is a whole list as one page.
func all[T any](items []T) page[T] {
	if items == nil {
		items = []T{}
	}
	return page[T]{Items: items, Total: len(items), Limit: len(items)}
}

// paging reads ?limit= (def, from 1 to max) and ?offset=.
func paging(r *http.Request, def, max int) (limit, offset int, err error) {
	if limit, err = queryInt(r, "limit", def, 1, max); err != nil {
		return 0, 0, err
	}
	offset, err = queryInt(r, "offset", 0, 0, 1<<30)
	return limit, offset, err
}

// buffered runs write into a buffer, for an attachment.
func buffered(write func(*bytes.Buffer) error) ([]byte, error) {
	var b bytes.Buffer
	err := write(&b)
	return b.Bytes(), err
}

// admins is the first gate of the administrators' routes.
var admins = []auth.Role{auth.RoleAdmin}
