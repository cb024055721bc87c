package api

// These tests keep the hand-written OpenAPI document true: every registered
// route is documented and nothing else is, security follows Route.Auth, the
// schemas carry exactly the JSON fields of the Go types, the enums list
// exactly the domain's values and the table of case actions states exactly
// what the lifecycle rules allow. Route checks run on the document as served
// (the core file with the openapi.d fragments merged in); the type, enum and
// action checks on the core file, which describes the core types. They run
// without a database.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/filestore"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/rating"
)

const openAPIFile = "openapi.json"

// unmanagedRoutes are registered on the mux directly, outside handle, so
// Routes does not list them; they must be documented all the same.
var unmanagedRoutes = []Route{
	{Method: "GET", Pattern: "/healthz"},
	{Method: "GET", Pattern: "/readyz"},
	{Method: "GET", Pattern: "/metrics"},
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIDoc reads the core document from disk and decodes it.
func openAPIDoc(t *testing.T) ([]byte, map[string]any) {
	t.Helper()
	raw, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatalf("read %s: %v", openAPIFile, err)
	}
	return raw, decodeDoc(t, openAPIFile, raw)
}

// servedDoc builds the document as the server serves it from the files on
// disk: the core with every fragment merged in.
func servedDoc(t *testing.T) ([]byte, map[string]any) {
	t.Helper()
	core, _ := openAPIDoc(t)
	merged, err := mergeOpenAPI(core, os.DirFS("."))
	if err != nil {
		t.Fatalf("merge the OpenAPI fragments: %v", err)
	}
	return merged, decodeDoc(t, "the merged document", merged)
}

func decodeDoc(t *testing.T, name string, raw []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s is not valid JSON: %v", name, err)
	}
	return doc
}

// fragmentFiles lists the openapi.d fragments on disk.
func fragmentFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("openapi.d", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// routeServer builds a server only to list its routes: no handler is called,
// so it needs no database.
func routeServer(t *testing.T) *Server {
	t.Helper()
	// Every optional service is there, so that every route is registered;
	// none of them is called.
	return New(&Server{Enterprise: &enterprise.Service{}, Coverage: &coverage.Service{}, Hall: &hall.Service{}, Ratings: &rating.Service{}}, nil)
}

// allRoutes is every route the server answers, keyed "METHOD /pattern".
func allRoutes(t *testing.T) map[string]Route {
	t.Helper()
	out := map[string]Route{}
	for _, r := range append(slices.Clone(routeServer(t).Routes()), unmanagedRoutes...) {
		key := r.Method + " " + r.Pattern
		if _, dup := out[key]; dup {
			t.Errorf("route %s is registered twice", key)
		}
		out[key] = r
	}
	if len(out) <= len(unmanagedRoutes) {
		t.Fatalf("the server registered no routes through handle")
	}
	return out
}

// operation is one method of one path in the document.
type operation struct {
	path, method string
	pathItem     map[string]any
	op           map[string]any
}

func (o operation) key() string { return strings.ToUpper(o.method) + " " + o.path }

func operations(t *testing.T, doc map[string]any) map[string]operation {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatalf("the document has no paths object")
	}
	out := map[string]operation{}
	for path, v := range paths {
		item, ok := v.(map[string]any)
		if !ok {
			t.Errorf("path %s is not an object", path)
			continue
		}
		for k, opv := range item {
			if !slices.Contains(httpMethods, k) {
				if !slices.Contains([]string{"parameters", "summary", "description", "servers"}, k) {
					t.Errorf("path %s has an unexpected member %q", path, k)
				}
				continue
			}
			op, ok := opv.(map[string]any)
			if !ok {
				t.Errorf("%s %s is not an object", k, path)
				continue
			}
			o := operation{path: path, method: k, pathItem: item, op: op}
			out[o.key()] = o
		}
	}
	return out
}

// resolve follows a local reference such as "#/components/schemas/Case".
func resolve(doc map[string]any, ref string) (any, error) {
	pointer, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, fmt.Errorf("%q is not a reference inside the document", ref)
	}
	var cur any = doc
	if pointer == "" {
		return cur, nil
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, fmt.Errorf("%q is not a JSON pointer", ref)
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("%q: no member %q", ref, tok)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("%q: no element %q", ref, tok)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%q: cannot descend into a scalar at %q", ref, tok)
		}
	}
	return cur, nil
}

// deref returns the object v, following $ref chains.
func deref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("expected an object, got %T", v)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		target, err := resolve(doc, ref)
		if err != nil {
			t.Fatalf("%v", err)
		}
		v = target
	}
	t.Fatalf("reference chain too long")
	return nil
}

// checkNoDuplicateKeys catches a key written twice by hand: the decoder would
// silently keep the last one, hiding the first.
func checkNoDuplicateKeys(dec *json.Decoder, at string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch delim {
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key := kt.(string)
			if seen[key] {
				return fmt.Errorf("key %q appears twice in %s", key, at)
			}
			seen[key] = true
			if err := checkNoDuplicateKeys(dec, at+"/"+key); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if err := checkNoDuplicateKeys(dec, at+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

func TestOpenAPIDocumentIsValidJSON(t *testing.T) {
	for _, name := range append([]string{openAPIFile}, fragmentFiles(t)...) {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		if err := checkNoDuplicateKeys(dec, ""); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			t.Errorf("%s: something follows the top-level object", name)
		}
	}
	_, doc := openAPIDoc(t)
	if got := doc["openapi"]; got != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", got)
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "onewindow 一窗通办 API" || info["version"] != "1" {
		t.Errorf("info title/version = %v/%v", info["title"], info["version"])
	}
	if d, _ := info["description"].(string); !strings.Contains(d, "Accept-Language") || !strings.Contains(d, "Idempotency-Key") {
		t.Errorf("info.description does not explain the conventions")
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 || deref(t, doc, servers[0])["url"] != "/" {
		t.Errorf("servers = %v, want [{url: /}]", doc["servers"])
	}
	scheme, err := resolve(doc, "#/components/securitySchemes/bearerAuth")
	if err != nil {
		t.Fatal(err)
	}
	if s := scheme.(map[string]any); s["type"] != "http" || s["scheme"] != "bearer" {
		t.Errorf("bearerAuth = %v, want an http bearer scheme", s)
	}
	if _, global := doc["security"]; global {
		t.Errorf("the document sets a global security requirement; each operation states its own")
	}
}

func TestOpenAPIOperationsAreWellFormed(t *testing.T) {
	_, doc := servedDoc(t)
	ids := map[string]string{}
	statusCode := regexp.MustCompile(`^[1-5][0-9][0-9]$`)
	for key, o := range operations(t, doc) {
		id, _ := o.op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", key)
		} else if other, dup := ids[id]; dup {
			t.Errorf("operationId %s is used by %s and %s", id, other, key)
		}
		ids[id] = key
		if s, _ := o.op["summary"].(string); s == "" {
			t.Errorf("%s has no summary", key)
		}
		responses, _ := o.op["responses"].(map[string]any)
		if len(responses) == 0 {
			t.Errorf("%s documents no response", key)
		}
		success := false
		for code, r := range responses {
			if code != "default" && !statusCode.MatchString(code) {
				t.Errorf("%s: %q is not a status code", key, code)
			}
			if strings.HasPrefix(code, "2") {
				success = true
			}
			if d, _ := deref(t, doc, r)["description"].(string); d == "" {
				t.Errorf("%s: response %s has no description", key, code)
			}
		}
		if !success {
			t.Errorf("%s documents no 2xx response", key)
		}
	}
}

// registeredOnMux reports whether the server's mux has the documented
// operation's exact pattern, for routes registered outside handle.
func registeredOnMux(srv *Server, o operation) bool {
	method := strings.ToUpper(o.method)
	path := wildcard.ReplaceAllString(o.path, "1")
	_, pattern := srv.mux.Handler(httptest.NewRequest(method, path, nil))
	return pattern == method+" "+o.path
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	_, doc := servedDoc(t)
	routes := allRoutes(t)
	ops := operations(t, doc)
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		if _, ok := ops[key]; !ok {
			t.Errorf("route %s is registered but not documented (in %s or openapi.d)", key, openAPIFile)
		}
	}
	srv := routeServer(t)
	for _, key := range slices.Sorted(maps.Keys(ops)) {
		if _, ok := routes[key]; !ok && !registeredOnMux(srv, ops[key]) {
			t.Errorf("the document describes %s, which the server does not register", key)
		}
	}
}

func TestOpenAPISecurityMatchesRoutes(t *testing.T) {
	_, doc := servedDoc(t)
	ops := operations(t, doc)
	for key, r := range allRoutes(t) {
		o, ok := ops[key]
		if !ok {
			continue // reported by TestOpenAPIDocumentsEveryRoute
		}
		sec, present := o.op["security"]
		if !present {
			t.Errorf("%s does not state its security", key)
			continue
		}
		want := []any{}
		if r.Auth {
			want = []any{map[string]any{"bearerAuth": []any{}}}
		}
		if !reflect.DeepEqual(sec, want) {
			t.Errorf("%s: security = %v, want %v (Route.Auth = %v)", key, sec, want, r.Auth)
		}
		if _, documented := o.op["responses"].(map[string]any)["401"]; r.Auth && !documented {
			t.Errorf("%s needs a token but documents no 401", key)
		}
	}
	// Routes registered on the mux directly never check a token.
	routes := allRoutes(t)
	for key, o := range ops {
		if _, managed := routes[key]; managed {
			continue
		}
		if sec, present := o.op["security"]; !present || !reflect.DeepEqual(sec, []any{}) {
			t.Errorf("%s is served without a token check, so its security must be []; it is %v", key, sec)
		}
	}
}

// parameters merges the path item's parameters with the operation's; the
// operation's win, as the specification says.
func parameters(t *testing.T, doc map[string]any, o operation) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, list := range []any{o.pathItem["parameters"], o.op["parameters"]} {
		ps, _ := list.([]any)
		for _, p := range ps {
			param := deref(t, doc, p)
			name, _ := param["name"].(string)
			in, _ := param["in"].(string)
			if name == "" || in == "" {
				t.Errorf("%s has a parameter without name or in: %v", o.key(), param)
				continue
			}
			if _, hasSchema := param["schema"]; !hasSchema {
				t.Errorf("%s: parameter %s has no schema", o.key(), name)
			}
			out[in+":"+name] = param
		}
	}
	return out
}

var wildcard = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIPathParameters(t *testing.T) {
	_, doc := servedDoc(t)
	for key, o := range operations(t, doc) {
		var inPattern []string
		for _, m := range wildcard.FindAllStringSubmatch(o.path, -1) {
			inPattern = append(inPattern, m[1])
		}
		params := parameters(t, doc, o)
		for _, name := range inPattern {
			p, ok := params["path:"+name]
			if !ok {
				t.Errorf("%s: path parameter {%s} is not declared", key, name)
				continue
			}
			if p["required"] != true {
				t.Errorf("%s: path parameter {%s} must be required", key, name)
			}
		}
		for k := range params {
			if name, isPath := strings.CutPrefix(k, "path:"); isPath && !slices.Contains(inPattern, name) {
				t.Errorf("%s declares path parameter %s, which is not in the path", key, name)
			}
		}
	}
}

// TestOpenAPIQueryParameters pins the query parameters the handlers read, so
// that a filter cannot be added or renamed in one place only.
func TestOpenAPIQueryParameters(t *testing.T) {
	_, doc := servedDoc(t)
	ops := operations(t, doc)
	tests := []struct {
		op   string
		want []string
	}{
		{"GET /api/v1/items", []string{"q", "department", "level", "life_event", "fully_online", "limit", "offset"}},
		{"GET /api/v1/cases", []string{"state", "department", "point", "number", "sla", "sort", "limit", "offset"}},
		{"GET /api/v1/users", []string{"role", "limit", "offset"}},
		{"GET /api/v1/audit", []string{"object", "before", "limit"}},
		{"GET /api/v1/cases/{id}/documents/{kind}", []string{"format"}},
		{"PUT /api/v1/cases/{id}/materials/{type}", []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			o, ok := ops[tt.op]
			if !ok {
				t.Fatalf("%s is not documented", tt.op)
			}
			var got []string
			for k := range parameters(t, doc, o) {
				if name, ok := strings.CutPrefix(k, "query:"); ok && name != "lang" {
					got = append(got, name)
				}
			}
			if !sameSet(got, tt.want) {
				t.Errorf("query parameters = %v, want %v", sorted(got), sorted(tt.want))
			}
		})
	}
}

// walk calls fn on every JSON value in v with its pointer.
func walk(v any, at string, fn func(at string, v any)) {
	fn(at, v)
	switch c := v.(type) {
	case map[string]any:
		for k, e := range c {
			walk(e, at+"/"+strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"), fn)
		}
	case []any:
		for i, e := range c {
			walk(e, at+"/"+strconv.Itoa(i), fn)
		}
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	_, doc := servedDoc(t)
	used := map[string]bool{}
	walk(doc, "#", func(at string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		ref, ok := m["$ref"]
		if !ok {
			return
		}
		s, ok := ref.(string)
		if !ok {
			t.Errorf("%s: $ref is not a string", at)
			return
		}
		if _, err := resolve(doc, s); err != nil {
			t.Errorf("%s: %v", at, err)
		}
		used[s] = true
	})
	components, _ := doc["components"].(map[string]any)
	for _, kind := range []string{"schemas", "parameters", "responses", "headers"} {
		group, _ := components[kind].(map[string]any)
		for name := range group {
			if ref := "#/components/" + kind + "/" + name; !used[ref] {
				t.Errorf("%s is never used", ref)
			}
		}
	}
}

// jsonFields lists the JSON member names of a struct type the way
// encoding/json sees them, and those it always writes (no omitempty).
func jsonFields(t reflect.Type) (all, always map[string]bool) {
	all, always = map[string]bool{}, map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			a, w := jsonFields(f.Type)
			maps.Copy(all, a)
			maps.Copy(always, w)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all[name] = true
		if !slices.Contains(strings.Split(opts, ","), "omitempty") && !slices.Contains(strings.Split(opts, ","), "omitzero") {
			always[name] = true
		}
	}
	return all, always
}

// schemaFields gathers the properties and required members of a schema,
// through $ref and allOf.
func schemaFields(t *testing.T, doc map[string]any, schema any) (props, required map[string]bool) {
	t.Helper()
	props, required = map[string]bool{}, map[string]bool{}
	s := deref(t, doc, schema)
	if ps, ok := s["properties"].(map[string]any); ok {
		for k := range ps {
			props[k] = true
		}
	}
	if rs, ok := s["required"].([]any); ok {
		for _, r := range rs {
			required[r.(string)] = true
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, part := range all {
			p, r := schemaFields(t, doc, part)
			maps.Copy(props, p)
			maps.Copy(required, r)
		}
	}
	return props, required
}

// schemaTypes maps each object schema to the Go value the API encodes or
// decodes for it.
var schemaTypes = map[string]any{
	"Page":                   page[struct{}]{},
	"FieldProblem":           fieldProblem{},
	"Department":             catalog.Department{},
	"DepartmentPage":         page[catalog.Department]{},
	"Fee":                    catalog.Fee{},
	"ItemMaterial":           catalog.Material{},
	"FormField":              catalog.FormField{},
	"GuideQuestion":          catalog.Question{},
	"GuideDocument":          catalog.GuideDocument{},
	"Item":                   catalog.Item{},
	"ItemView":               itemView{},
	"ItemPage":               page[catalog.Item]{},
	"Catalogue":              catalog.Catalogue{},
	"CatalogueImportReport":  catalog.ImportReport{},
	"Point":                  network.Point{},
	"PointPage":              page[network.Point]{},
	"User":                   auth.User{},
	"UserPage":               page[auth.User]{},
	"LoginRequest":           loginRequest{},
	"SignedIn":               loginResponse{},
	"Applicant":              cases.Applicant{},
	"Identity":               cases.Identity{},
	"CaseMaterial":           cases.Material{},
	"Case":                   cases.Case{},
	"SLA":                    cases.SLA{},
	"CaseView":               caseView{},
	"CasePage":               page[caseView]{},
	"CreateCaseRequest":      cases.CreateRequest{},
	"ActRequest":             cases.ActRequest{},
	"Collector":              cases.Collection{},
	"DeclareMaterialRequest": declareRequest{},
	"Event":                  cases.Event{},
	"EventPage":              page[cases.Event]{},
	"Document":               cases.Document{},
	"Verification":           cases.Verification{},
	"VerifiedMember":         cases.VerifiedMember{},
	"AuditRecord":            audit.Record{},
	"AuditRecordPage":        page[audit.Record]{},
}

// requestSchemas maps each request body schema that differs from the answer
// to the Go value the handler decodes it into, and names the answer's
// schema. A request schema lists what a client writes: it may leave out only
// the members the answer marks readOnly (ids, versions, times the server
// sets, which it ignores when sent), marks none readOnly itself, and requires
// what the server cannot do without, not what the answer always carries.
var requestSchemas = map[string]struct {
	value  any
	answer string
}{
	"NewUser":        {addUserRequest{}, "User"},
	"ItemDraft":      {catalog.Item{}, "Item"},
	"PointInput":     {network.Point{}, "Point"},
	"ApplicantInput": {cases.Applicant{}, "Applicant"},
	"CollectorInput": {cases.Collection{}, "Collector"},
}

// readOnlyProps lists the members of a schema marked readOnly, through $ref
// and allOf.
func readOnlyProps(t *testing.T, doc map[string]any, schema any) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	s := deref(t, doc, schema)
	if ps, ok := s["properties"].(map[string]any); ok {
		for k, v := range ps {
			if p, ok := v.(map[string]any); ok && p["readOnly"] == true {
				out[k] = true
			}
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, part := range all {
			maps.Copy(out, readOnlyProps(t, doc, part))
		}
	}
	return out
}

func TestOpenAPIRequestSchemasMatchGoTypes(t *testing.T) {
	_, doc := openAPIDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(requestSchemas)) {
		t.Run(name, func(t *testing.T) {
			rs := requestSchemas[name]
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			answer, ok := schemas[rs.answer]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", rs.answer)
			}
			props, required := schemaFields(t, doc, s)
			readOnly := readOnlyProps(t, doc, answer)
			all, _ := jsonFields(reflect.TypeOf(rs.value))
			for f := range all {
				if !props[f] && !readOnly[f] {
					t.Errorf("JSON field %q is neither a property nor read-only in %s", f, rs.answer)
				}
			}
			for p := range props {
				if !all[p] {
					t.Errorf("property %q is not a JSON field of %T", p, rs.value)
				}
			}
			for p := range readOnlyProps(t, doc, s) {
				t.Errorf("property %q of a request schema is readOnly: leave it out", p)
			}
			for r := range required {
				if !props[r] {
					t.Errorf("%q is required but not a property", r)
				}
			}
		})
	}
}

// mapSchemas are written by handlers from map literals or types local to a
// function, so there is no named Go type to compare them with.
var mapSchemas = []string{"Problem", "CaseConflictProblem", "MaterialCheck", "DocumentRef", "DocumentRefPage", "AuditVerification"}

func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	_, doc := openAPIDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(schemaTypes)) {
		t.Run(name, func(t *testing.T) {
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			props, required := schemaFields(t, doc, s)
			all, always := jsonFields(reflect.TypeOf(schemaTypes[name]))
			for f := range all {
				if !props[f] {
					t.Errorf("JSON field %q is not a property of the schema", f)
				}
			}
			for p := range props {
				if !all[p] {
					t.Errorf("property %q is not a JSON field of %T", p, schemaTypes[name])
				}
			}
			// A member is required exactly when encoding/json always writes it.
			for f := range always {
				if !required[f] {
					t.Errorf("%q is always present but not required", f)
				}
			}
			for r := range required {
				if !always[r] {
					t.Errorf("%q is required but may be left out (omitempty)", r)
				}
			}
		})
	}
	for name, s := range schemas {
		if _, mapped := schemaTypes[name]; mapped || slices.Contains(mapSchemas, name) {
			continue
		}
		if _, request := requestSchemas[name]; request {
			continue
		}
		if props, _ := schemaFields(t, doc, s); len(props) > 0 {
			t.Errorf("object schema %s is compared with no Go type: add it to schemaTypes or mapSchemas", name)
		}
	}
	for _, name := range mapSchemas {
		s, ok := schemas[name]
		if !ok {
			t.Errorf("components/schemas/%s is missing", name)
			continue
		}
		props, required := schemaFields(t, doc, s)
		for r := range required {
			if !props[r] {
				t.Errorf("%s requires %q, which it does not define", name, r)
			}
		}
	}
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func keys[V any](m map[string]V) []string { return slices.Collect(maps.Keys(m)) }

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Compact(sorted(a)), slices.Compact(sorted(b)))
}

// eventOnlyActions are the actions a case's history records besides the
// ones users take through the action route.
func eventOnlyActions() []string {
	var out []string
	for a := range cases.ActionNames {
		if !slices.Contains(cases.Actions, a) {
			out = append(out, string(a))
		}
	}
	return out
}

func TestOpenAPIEnumsMatchDomain(t *testing.T) {
	_, doc := openAPIDoc(t)
	var uploads []string
	for ct := range filestore.Accepted {
		uploads = append(uploads, ct)
	}
	tests := []struct {
		pointer string
		want    []string
	}{
		{"#/components/schemas/CaseState/enum", strs(cases.States)},
		{"#/components/schemas/CaseAction/enum", strs(cases.Actions)},
		{"#/components/schemas/Channel/enum", strs(cases.Channels)},
		{"#/components/schemas/Role/enum", strs(auth.Roles)},
		{"#/components/schemas/IssueMethod/enum", []string{cases.IssueAtWindow, cases.IssueByPost, cases.IssueElectronic}},
		{"#/components/schemas/MaterialRequirement/enum", []string{catalog.Required, catalog.Optional, catalog.Waivable}},
		{"#/components/schemas/MaterialSource/enum", []string{cases.SourcePresented, cases.SourceUpload, cases.SourceDeclared, cases.SourceLicence}},
		{"#/components/schemas/ApplicantKind/enum", keys(auth.KindNames)},
		{"#/components/schemas/ItemStatus/enum", []string{catalog.StatusDraft, catalog.StatusPublished, catalog.StatusRetired}},
		{"#/components/schemas/ItemType/enum", keys(catalog.ItemTypes)},
		{"#/components/schemas/OnlineDepth/enum", catalog.AllDepths},
		{"#/components/schemas/DocumentKind/enum", keys(cases.DocumentTitles)},
		{"#/components/schemas/PointKind/enum", keys(network.KindNames)},
		{"#/components/schemas/ItemMaterial/properties/form/enum", []string{catalog.FormPaper, catalog.FormElectronic, catalog.FormEither}},
		{"#/components/schemas/ItemMaterial/properties/source/enum", []string{catalog.SourceApplicant, catalog.SourceGovernment}},
		{"#/components/schemas/CaseMaterial/properties/content_type/enum", uploads},
		{"#/components/schemas/Document/properties/decision/enum", strs([]cases.State{cases.Approved, cases.Refused})},
		{"#/components/schemas/Verification/properties/result/enum", strs([]cases.State{cases.Approved, cases.Refused})},
		{"#/components/schemas/Verification/properties/kind/enum", []string{cases.VerifyCase, cases.VerifyBundle}},
		{"#/components/schemas/VerifiedMember/properties/result/enum", strs([]cases.State{cases.Approved, cases.Refused})},
		{"#/components/schemas/SpecialProcedure/enum", keys(cases.SpecialProcedures)},
		{"#/components/schemas/SLAStatus/enum", []string{cases.SLANone, cases.SLAOnTime, cases.SLAWarning, cases.SLAOverdue,
			cases.SLAPaused, cases.SLADoneOnTime, cases.SLADoneLate}},
		{"#/components/schemas/Event/properties/action/anyOf/1/enum", eventOnlyActions()},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.pointer, "#/components/schemas/"), func(t *testing.T) {
			v, err := resolve(doc, tt.pointer)
			if err != nil {
				t.Fatal(err)
			}
			list, _ := v.([]any)
			var got []string
			for _, e := range list {
				s, ok := e.(string)
				if !ok {
					t.Fatalf("enum value %v is not a string", e)
				}
				got = append(got, s)
			}
			if len(got) != len(slices.Compact(sorted(got))) {
				t.Errorf("enum lists a value twice: %v", got)
			}
			if !sameSet(got, tt.want) {
				t.Errorf("enum = %v, want %v", sorted(got), sorted(tt.want))
			}
		})
	}
	o, ok := operations(t, doc)["GET /api/v1/cases"]
	if !ok {
		t.Fatal("GET /api/v1/cases is not documented")
	}
	var slaFilter []string
	for _, v := range deref(t, doc, parameters(t, doc, o)["query:sla"]["schema"])["enum"].([]any) {
		slaFilter = append(slaFilter, v.(string))
	}
	if !sameSet(slaFilter, cases.SLAStatuses) {
		t.Errorf("the sla filter lists %v, want %v", sorted(slaFilter), sorted(cases.SLAStatuses))
	}
	level := deref(t, doc, map[string]any{"$ref": "#/components/schemas/Level"})
	if level["minimum"] != float64(catalog.LevelNational) || level["maximum"] != float64(catalog.LevelVillage) {
		t.Errorf("Level = %v..%v, want %d..%d", level["minimum"], level["maximum"], catalog.LevelNational, catalog.LevelVillage)
	}
}

// actionRow is one line of the table of actions in the document.
type actionRow struct {
	nameZH string
	roles  []string
	from   []string
	to     []string
	toText string // when to is empty: "unchanged" or "back to the state before the wait"
}

const (
	toUnchanged = "unchanged"
	toBefore    = "back to the state before"
)

var codeSpan = regexp.MustCompile("`([a-z_]+)`")

func codes(cell string) []string {
	var out []string
	for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

func actionTable(t *testing.T, description string) map[string]actionRow {
	t.Helper()
	rows := map[string]actionRow{}
	for _, line := range strings.Split(description, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 7 {
			t.Errorf("table row has too few cells: %q", line)
			continue
		}
		action := codes(cells[1])
		if len(action) != 1 {
			t.Errorf("table row does not name one action: %q", line)
			continue
		}
		if _, dup := rows[action[0]]; dup {
			t.Errorf("action %s has two rows", action[0])
		}
		rows[action[0]] = actionRow{nameZH: strings.TrimSpace(cells[2]), roles: codes(cells[3]), from: codes(cells[4]), to: codes(cells[5]),
			toText: cells[5]}
	}
	return rows
}

// TestOpenAPIActionTableMatchesRules checks every state × role for every
// action against cases.Next, so the table of who may do what cannot drift
// from the lifecycle rules.
func TestOpenAPIActionTableMatchesRules(t *testing.T) {
	_, doc := openAPIDoc(t)
	o, ok := operations(t, doc)["POST /api/v1/cases/{id}/actions/{action}"]
	if !ok {
		t.Fatal("the action route is not documented")
	}
	description, _ := o.op["description"].(string)
	rows := actionTable(t, description)
	for name := range rows {
		if !slices.Contains(cases.Actions, cases.Action(name)) {
			t.Errorf("the table describes %s, which is not an action", name)
		}
	}
	for _, action := range cases.Actions {
		t.Run(string(action), func(t *testing.T) {
			row, ok := rows[string(action)]
			if !ok {
				t.Fatalf("the table has no row for %s", action)
			}
			if want := cases.ActionNames[action].ZH; row.nameZH != want {
				t.Errorf("name = %q, want %q", row.nameZH, want)
			}
			if len(row.to) > 1 {
				t.Fatalf("the row names more than one resulting state: %v", row.to)
			}
			if len(row.to) == 0 && !strings.Contains(row.toText, toUnchanged) && !strings.Contains(row.toText, toBefore) {
				t.Fatalf("the row's resulting state is neither a state, %q nor %q: %q", toUnchanged, toBefore, row.toText)
			}
			for _, role := range cases.Roles {
				for _, from := range cases.States {
					to, err := cases.Next(from, action, role)
					documented := slices.Contains(row.roles, string(role)) && slices.Contains(row.from, string(from))
					if documented != (err == nil) {
						t.Errorf("%s from %s: table says allowed=%v, rules say %v", role, from, documented, err)
						continue
					}
					if err != nil {
						continue
					}
					var wantTo string
					switch {
					case len(row.to) == 1:
						wantTo = row.to[0]
					case strings.Contains(row.toText, toUnchanged):
						wantTo = string(from)
					default: // the state before the wait, which Next leaves to the service
						wantTo = ""
					}
					if string(to) != wantTo {
						t.Errorf("%s from %s leads to %q, the table says %q", role, from, to, wantTo)
					}
				}
			}
		})
	}
}

func TestOpenAPIServedDocumentIsTheFile(t *testing.T) {
	core, _ := openAPIDoc(t)
	if !bytes.Equal(openAPIDocument, core) {
		t.Fatalf("the embedded document differs from %s", openAPIFile)
	}
	raw, _ := servedDoc(t)
	if len(fragmentFiles(t)) == 0 && !bytes.Equal(raw, core) {
		t.Fatalf("without fragments the served document must be %s itself", openAPIFile)
	}
	srv := routeServer(t)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if !bytes.Equal(rec.Body.Bytes(), raw) {
		t.Errorf("the served document (%d bytes) is not %s with its fragments (%d bytes)", rec.Body.Len(), openAPIFile, len(raw))
	}
}
