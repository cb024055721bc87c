package api

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"sync"
)

// openAPIDocument describes the core routes; openapi_test.go keeps the
// document and the registered routes in step.
//
//go:embed openapi.json
var openAPIDocument []byte

// Each capability documents its own routes in a fragment
// (openapi.d/<name>.json: {"paths": {…}, "components": {"schemas": {…}}}),
// merged into the core document when it is served.
//
//go:embed openapi.d
var openAPIFragments embed.FS

var servedOpenAPI = sync.OnceValues(func() ([]byte, error) { return mergeOpenAPI(openAPIDocument, openAPIFragments) })

// OpenAPIDocument returns the whole document as served.
func OpenAPIDocument() ([]byte, error) { return servedOpenAPI() }

func mergeOpenAPI(core []byte, fragments fs.FS) ([]byte, error) {
	names, err := fs.Glob(fragments, "openapi.d/*.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return core, nil
	}
	sort.Strings(names)
	var doc map[string]any
	if err := json.Unmarshal(core, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	paths := section(doc, "paths")
	components := section(doc, "components")
	for _, name := range names {
		b, err := fs.ReadFile(fragments, name)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for p, v := range section(frag, "paths") {
			if _, dup := paths[p]; dup {
				return nil, fmt.Errorf("%s: path %s is documented twice", name, p)
			}
			paths[p] = v
		}
		for kind, v := range section(frag, "components") {
			into := section(components, kind)
			from, _ := v.(map[string]any)
			for k, def := range from {
				if _, dup := into[k]; dup {
					return nil, fmt.Errorf("%s: components.%s.%s is defined twice", name, kind, k)
				}
				into[k] = def
			}
		}
		if tags, ok := frag["tags"].([]any); ok {
			existing, _ := doc["tags"].([]any)
			doc["tags"] = append(existing, tags...)
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// section returns m[key] as an object, creating it when missing.
func section(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}

func (s *Server) openAPI(context.Context, call[noBody]) (typedJSON, error) {
	doc, err := servedOpenAPI()
	return typedJSON{ContentType: "application/json; charset=utf-8", Raw: doc}, err
}
