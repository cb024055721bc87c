package demo

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/onewindow/onewindow/filestore"
)

// The demo guide's downloadable forms (空白表格, 示例样表), referenced by their
// SHA-256 in catalogue.json.
//
//go:embed data/forms/*.pdf
var formFiles embed.FS

// PutGuideForms keeps the demo guide's forms in the file store at dir, where
// the item guide's download links find them. Storing them again is harmless.
func PutGuideForms(dir string) error {
	names, err := fs.Glob(formFiles, "data/forms/*.pdf")
	if err != nil {
		return err
	}
	for _, name := range names {
		data, err := formFiles.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := (filestore.Store{Dir: dir}).Put(data); err != nil {
			return fmt.Errorf("demo: form %s: %w", name, err)
		}
	}
	return nil
}
