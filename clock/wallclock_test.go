package clock_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Business dates come from the server's clock. A use of time.Now in the
// module's code (tests aside) must say on its line, or the line above, why
// it wants the wall clock ("wall clock: measures the request"), or take the
// time from a clock.Clock instead. Package clock itself and the bench, which
// measures real time, are exempt.
func TestNoUnexplainedWallClock(t *testing.T) {
	root := filepath.Join("..")
	exempt := map[string]bool{"clock": true, "bench": true}
	var found []string
	scanned := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			if exempt[rel] || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		scanned++
		found = append(found, wallClockUses(t, path)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 50 {
		t.Fatalf("scanned %d files: the walk did not find the module's code", scanned)
	}
	for _, f := range found {
		t.Errorf("%s: time.Now without a \"wall clock:\" reason; take the time from the server's clock (clock.Clock)", f)
	}
}

// wallClockUses lists path:line of each time.Now in the file that has no
// "wall clock:" comment on its line or the line before.
func wallClockUses(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	timeName := ""
	for _, imp := range file.Imports {
		if imp.Path.Value == `"time"` {
			timeName = "time"
			if imp.Name != nil {
				timeName = imp.Name.Name
			}
		}
	}
	if timeName == "" {
		return nil
	}
	explained := map[int]bool{}
	for _, cg := range file.Comments {
		for _, c := range cg.List {
			if strings.Contains(c.Text, "wall clock:") {
				explained[fset.Position(c.Pos()).Line] = true
			}
		}
	}
	var out []string
	ast.Inspect(file, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Now" {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName {
			line := fset.Position(sel.Pos()).Line
			if !explained[line] && !explained[line-1] {
				out = append(out, filepath.ToSlash(path)+":"+strconv.Itoa(line))
			}
		}
		return true
	})
	return out
}
