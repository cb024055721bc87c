package web

import (
	"io/fs"
	"path"
	"strings"
	"testing"
)

// Every file in templates/ is a page (or one of the two shared parts), so a
// new page needs its file and nothing else; each parses with its layout.
func TestEveryTemplateFileIsAPage(t *testing.T) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil || len(files) < 30 {
		t.Fatalf("%d template files (%v)", len(files), err)
	}
	sets := templates()
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "partials" {
			if _, ok := sets[name]; ok {
				t.Errorf("the shared part %s is parsed as a page", name)
			}
			continue
		}
		set, ok := sets[name]
		if !ok {
			t.Errorf("%s is not parsed as a page", f)
			continue
		}
		if layout := set.Lookup("layout.html"); (layout != nil) == standalonePages[name] {
			t.Errorf("%s: with the layout %v, standalone %v", name, layout != nil, standalonePages[name])
		}
	}
}
