package api

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fragment is what a capability's OpenAPI fragment (openapi.d/*.json) must
// say of its Go types. Each schema's properties are exactly the type's JSON
// fields. A response type requires exactly the fields it always encodes; a
// request type requires only fields it has (the server may default others).
type fragment struct {
	responses, requests map[string]any
	// prefix, when set, claims every schema so named: one that no Go type
	// is compared with is reported, unless another fragment's test claims
	// it in others.
	prefix string
	others []string
	// mayOmitRequired names response fields that are always encoded but
	// documented as optional (a secret that is only ever sent empty).
	mayOmitRequired map[string]bool
	// enums compare a schema's enum, in order, with the domain's values.
	enums []enumWant
}

type enumWant struct {
	pointer string
	want    []string
}

// check compares the served document with the fragment's Go types.
func (fr fragment) check(t *testing.T, doc map[string]any) {
	t.Helper()
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	compare := func(name string, v any, response bool) {
		t.Run(name, func(t *testing.T) {
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			props, required := schemaFields(t, doc, s)
			all, always := jsonFields(reflect.TypeOf(v))
			for f := range all {
				if !props[f] {
					t.Errorf("JSON field %q is not a property of the schema", f)
				}
			}
			for p := range props {
				if !all[p] {
					t.Errorf("property %q is not a JSON field of %T", p, v)
				}
			}
			for r := range required {
				if !all[r] {
					t.Errorf("%q is required but not a field", r)
				} else if response && !always[r] {
					t.Errorf("%q is required but may be left out (omitempty)", r)
				}
			}
			for f := range always {
				if response && !required[f] && !fr.mayOmitRequired[name+"."+f] {
					t.Errorf("%q is always present but not required", f)
				}
			}
		})
	}
	for _, name := range slices.Sorted(maps.Keys(fr.responses)) {
		compare(name, fr.responses[name], true)
	}
	for _, name := range slices.Sorted(maps.Keys(fr.requests)) {
		compare(name, fr.requests[name], false)
	}
	if fr.prefix != "" {
		for name := range schemas {
			_, resp := fr.responses[name]
			_, req := fr.requests[name]
			if strings.HasPrefix(name, fr.prefix) && !resp && !req && !enumSchema(fr.enums, name) && !slices.Contains(fr.others, name) {
				t.Errorf("schema %s is compared with no Go type", name)
			}
		}
	}
	for _, e := range fr.enums {
		t.Run(strings.TrimPrefix(e.pointer, "#/components/schemas/"), func(t *testing.T) {
			v, err := resolve(doc, e.pointer)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range v.([]any) {
				got = append(got, x.(string))
			}
			if !slices.Equal(got, e.want) {
				t.Errorf("enum %v, want %v", got, e.want)
			}
		})
	}
}

// enumSchema reports whether name is a schema that is nothing but one of
// the compared enums.
func enumSchema(enums []enumWant, name string) bool {
	for _, e := range enums {
		if e.pointer == "#/components/schemas/"+name+"/enum" {
			return true
		}
	}
	return false
}
