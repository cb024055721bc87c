package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
)

// usedKeys collects every message key the package uses: in templates
// ({{.L.T "key"}}, {{$.L.Tf "key" …}}), in Go code (T("key"), Tf("key", …),
// the title key of render and renderForm, Key and Title fields) and in the
// tables that map domain values to keys.
func usedKeys(t *testing.T) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	add := func(key, where string) { used[key] = append(used[key], where) }

	inTemplate := regexp.MustCompile(`\.Tf? "([^"]+)"`)
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFiles.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range inTemplate.FindAllStringSubmatch(string(b), -1) {
			add(m[1], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "messages.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		literal := func(e ast.Expr) (string, bool) {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(lit.Value)
			return s, err == nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				// show(w, pattern, who, page, titleKey, load): a page that
				// only loads and renders.
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "show" && len(n.Args) > 4 {
					if s, ok := literal(n.Args[4]); ok {
						add(s, fset.Position(n.Pos()).String())
					}
					return true
				}
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				// c.Flash(map[string]string{done: key, …}): the message of
				// each "done" a change leaves in the address.
				if sel.Sel.Name == "Flash" && len(n.Args) == 1 {
					if keys, ok := n.Args[0].(*ast.CompositeLit); ok {
						for _, e := range keys.Elts {
							if kv, ok := e.(*ast.KeyValueExpr); ok {
								if s, ok := literal(kv.Value); ok {
									add(s, fset.Position(kv.Pos()).String())
								}
							}
						}
					}
					return true
				}
				arg := -1
				switch sel.Sel.Name {
				case "T", "Tf":
					arg = 0
				case "render":
					arg = 5
				case "renderForm":
					arg = 4
				}
				if arg >= 0 && arg < len(n.Args) {
					if s, ok := literal(n.Args[arg]); ok {
						add(s, fset.Position(n.Pos()).String())
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && (id.Name == "Key" || id.Name == "Title") {
					if s, ok := literal(n.Value); ok {
						add(s, fset.Position(n.Pos()).String())
					}
				}
			}
			return true
		})
	}
	for _, table := range []map[string]string{slaKeys, depthKeys, requirementKeys, methodKeys, sourceKeys,
		ticketStatusKeys, priorityKeys, userFlashes} {
		for _, k := range table {
			add(k, "key table")
		}
	}
	for _, table := range financeKeyTables {
		for _, k := range table {
			add(k, "finance key tables")
		}
	}
	for _, k := range bundleDoneKeys {
		add(k, "bundle done keys")
	}
	for _, c := range panelDecisions {
		add(c.Label, "panel decisions")
		add(c.Hint, "panel decisions")
	}
	for _, k := range channelKeys {
		add(k, "channel keys")
	}
	for _, r := range auth.Roles {
		_, k := backTo(r)
		add(k, "backTo")
	}
	// Keys made at run time from a value.
	for _, k := range []string{"admin_item.saved", "admin_item.published"} {
		add(k, "admin.go (done=…)")
	}
	return used
}

// Every key used exists in both languages, and every key in the catalogue
// is used: the catalogue stays complete and free of leftovers.
func TestMessageCatalogue(t *testing.T) {
	used := usedKeys(t)
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	for key, where := range used {
		m, ok := messages[key]
		if !ok {
			t.Errorf("key %q used in %s is not in the catalogue", key, strings.Join(slices.Compact(where), ", "))
			continue
		}
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("key %q lacks its Chinese or English text: %q", key, m)
		}
	}
	for key, m := range messages {
		if _, ok := used[key]; !ok {
			t.Errorf("key %q (%s) is not used anywhere", key, m[0])
		}
		// Formats must take the same arguments in both languages.
		if a, b := strings.Count(m[0], "%"), strings.Count(m[1], "%"); a != b {
			t.Errorf("key %q: %d verbs in Chinese, %d in English", key, a, b)
		}
	}
}

func TestMissingKeyIsVisible(t *testing.T) {
	if got := ZH.T("no.such.key"); !strings.Contains(got, missingKey) {
		t.Errorf("a missing key renders as %q, which a page test would not notice", got)
	}
	if EN.T("nav.home") == ZH.T("nav.home") {
		t.Error("the two languages give the same text for nav.home")
	}
}
