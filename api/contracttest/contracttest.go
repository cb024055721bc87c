// Package contracttest holds tests to the API description: every HTTP
// exchange a test makes through its transport is checked against the
// document the server serves (api.OpenAPIDocument), by an OpenAPI
// implementation independent of the server. It is used by tests only.
//
// The rules, for each exchange:
//   - the request's method and path must be documented, unless the server
//     answers it with a problem (404, 405) as it does any unknown route;
//   - a request that breaks its operation's parameters, security or body
//     schema must not get a 2xx answer;
//   - every response must match the document: its status is listed for the
//     operation, its content type is one listed for that status (problems as
//     application/problem+json), its headers match, and a JSON body matches
//     its schema. Event streams and file downloads are checked up to their
//     content type only: their bodies are not JSON.
package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/onewindow/onewindow/api"
)

// Contract is the served document, loaded and routed.
type Contract struct {
	doc    *openapi3.T
	router routers.Router
}

func init() {
	// Bodies the API takes or gives besides JSON: uploads are checked as
	// opaque files, GeoJSON as JSON.
	for _, ct := range []string{"application/pdf", "image/jpeg", "image/png"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	openapi3filter.RegisterBodyDecoder("application/geo+json", openapi3filter.JSONBodyDecoder)
}

var served = sync.OnceValues(func() (*Contract, error) {
	raw, err := api.OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	return Parse(raw)
})

// Served returns the contract of the document the server serves.
func Served() (*Contract, error) { return served() }

// Parse loads a document, checks it and builds its router.
func Parse(raw []byte) (*Contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is not valid: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI document: %w", err)
	}
	return &Contract{doc: doc, router: router}, nil
}

// Exchange is one request and the response it got.
type Exchange struct {
	Request     *http.Request // its body is read from RequestBody
	RequestBody []byte
	Status      int
	Header      http.Header
	Body        []byte // nil when the body was not read (a stream)
}

// bearerPresent stands in for authentication: the document's one scheme is
// a bearer token, and a request that needs it must carry one. Whether the
// token is good is the server's business.
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := in.SecurityScheme
	if scheme == nil || scheme.Type != "http" || !strings.EqualFold(scheme.Scheme, "bearer") {
		return fmt.Errorf("security scheme %q is not a bearer token", in.SecuritySchemeName)
	}
	auth := in.RequestValidationInput.Request.Header.Get("Authorization")
	if len(auth) < 7 || !strings.EqualFold(auth[:7], "Bearer ") {
		return errors.New("no bearer token")
	}
	return nil
}

// Check returns the ways an exchange breaks the document; none when it keeps it.
func (c *Contract) Check(x Exchange) []string {
	ctx := context.Background()
	req := x.Request.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(x.RequestBody))
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		// An undocumented route may only be refused the way the server
		// refuses any unknown route.
		if (x.Status == http.StatusNotFound || x.Status == http.StatusMethodNotAllowed) && isProblem(x.Header) {
			return nil
		}
		return []string{fmt.Sprintf("%s %s is not documented, and the server answered %d (%s)", x.Request.Method, x.Request.URL.Path, x.Status, x.Header.Get("Content-Type"))}
	}
	var out []string
	reqIn := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			AuthenticationFunc:  bearerPresent,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, reqIn); err != nil && x.Status/100 == 2 {
		out = append(out, fmt.Sprintf("the server answered %d to a request that breaks the document: %s", x.Status, brief(err)))
	}
	out = append(out, c.checkResponse(route, reqIn, x)...)
	return out
}

func (c *Contract) checkResponse(route *routers.Route, reqIn *openapi3filter.RequestValidationInput, x Exchange) []string {
	responses := route.Operation.Responses
	ref := responses.Status(x.Status)
	if ref == nil {
		ref = responses.Default()
	}
	anyOperation := false
	if ref == nil && x.Status == http.StatusServiceUnavailable {
		// The document says once, for every operation, that a server that
		// is overloaded or shutting down answers 503 with a problem.
		ref, anyOperation = c.doc.Components.Responses["ServiceUnavailable"], true
	}
	if ref == nil || ref.Value == nil {
		return []string{fmt.Sprintf("status %d is not documented for %s %s", x.Status, route.Method, route.Path)}
	}
	ct := x.Header.Get("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(ct)
	content := ref.Value.Content
	if len(content) == 0 {
		if len(x.Body) > 0 {
			return []string{fmt.Sprintf("status %d of %s %s is documented without a body, but came with %d bytes of %s", x.Status, route.Method, route.Path, len(x.Body), ct)}
		}
		return nil
	}
	if ct == "" && len(x.Body) == 0 && x.Body != nil {
		return []string{fmt.Sprintf("status %d of %s %s came without a body; the document gives it one", x.Status, route.Method, route.Path)}
	}
	if content.Get(ct) == nil {
		return []string{fmt.Sprintf("status %d of %s %s came as %q; the document lists %v", x.Status, route.Method, route.Path, ct, mediaTypes(content))}
	}
	if x.Status/100 != 2 && x.Status != http.StatusNotModified && mediaType != "application/problem+json" {
		return []string{fmt.Sprintf("status %d of %s %s came as %q, not as a problem (application/problem+json)", x.Status, route.Method, route.Path, ct)}
	}
	if anyOperation {
		var v any
		if err := json.Unmarshal(x.Body, &v); err != nil {
			return []string{fmt.Sprintf("the problem is not JSON: %v", err)}
		}
		if err := content.Get(ct).Schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return []string{fmt.Sprintf("the response breaks the document: %s", brief(err))}
		}
		return nil
	}
	resIn := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn,
		Status:                 x.Status,
		Header:                 x.Header,
		Options: &openapi3filter.Options{
			MultiError:            true,
			IncludeResponseStatus: true,
			// Streams and downloads: their content type is checked above.
			ExcludeResponseBody: x.Body == nil || !isJSON(mediaType),
		},
	}
	resIn.SetBodyBytes(x.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), resIn); err != nil {
		return []string{fmt.Sprintf("the response breaks the document: %s", brief(err))}
	}
	return nil
}

func mediaTypes(c openapi3.Content) []string {
	var out []string
	for k := range c {
		out = append(out, k)
	}
	return out
}

func isJSON(mediaType string) bool {
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

func isProblem(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "application/problem+json"
}

// streamed reports whether a response body is left unread: an event stream
// does not end while the test reads it.
func streamed(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "text/event-stream"
}

// Transport checks every exchange that passes through it and reports what
// breaks the document as an error of t. next is http.DefaultTransport when nil.
//
// The checks run on one goroutine beside the test, in the order of the
// exchanges, and t's cleanup waits for the last of them: checking costs a
// few milliseconds of CPU per exchange, which must not slow the requests of
// tests about timing (sign-in floods, slow clients).
func Transport(t testing.TB, next http.RoundTripper) http.RoundTripper {
	c, err := Served()
	if err != nil {
		t.Fatalf("the OpenAPI document: %v", err)
	}
	if next == nil {
		next = http.DefaultTransport
	}
	tr := &transport{t: t, contract: c, next: next, queue: make(chan Exchange, 256), done: make(chan struct{})}
	go tr.checkQueued()
	t.Cleanup(tr.finish)
	return tr
}

// Client is an HTTP client whose exchanges are checked (see Transport).
func Client(t testing.TB, base *http.Client) *http.Client {
	out := &http.Client{}
	if base != nil {
		*out = *base
	}
	out.Transport = Transport(t, out.Transport)
	return out
}

type transport struct {
	t        testing.TB
	contract *Contract
	next     http.RoundTripper

	mu     sync.Mutex
	closed bool // the test has ended: later exchanges go unchecked
	queue  chan Exchange
	done   chan struct{}
}

func (tr *transport) checkQueued() {
	defer close(tr.done)
	for x := range tr.queue {
		for _, p := range tr.contract.Check(x) {
			tr.t.Errorf("API contract: %s %s → %d: %s\n  request: %s\n  response: %s", x.Request.Method, x.Request.URL.RequestURI(), x.Status, p, clip(x.RequestBody), clip(x.Body))
		}
	}
}

func (tr *transport) enqueue(x Exchange) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if !tr.closed {
		tr.queue <- x
	}
}

func (tr *transport) finish() {
	tr.mu.Lock()
	tr.closed = true
	close(tr.queue)
	tr.mu.Unlock()
	<-tr.done
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	res, err := tr.next.RoundTrip(req)
	if err != nil {
		return res, err
	}
	var body []byte
	if !streamed(res.Header) {
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			// The test sees the broken body as it would have.
			res.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
			return res, nil
		}
		if body == nil {
			body = []byte{}
		}
		res.Body = io.NopCloser(bytes.NewReader(body))
	}
	tr.enqueue(Exchange{Request: req.Clone(context.Background()), RequestBody: reqBody, Status: res.StatusCode, Header: res.Header.Clone(), Body: body})
	return res, nil
}

// brief is an error of the validator without the schema and value it
// prints after each reason: the exchange is printed once, below it.
func brief(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var parts []string
		for _, e := range me {
			parts = append(parts, brief(e))
		}
		return strings.Join(parts, "; ")
	}
	s := err.Error()
	if i := strings.Index(s, "\nSchema:"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func clip(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
