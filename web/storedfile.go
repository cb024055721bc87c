package web

import (
	"mime"
	"net/http"
	"time"

	"github.com/onewindow/onewindow/filestore"
)

// storedFile is a file of the file store as an answer: an applicant's
// upload, a collector's signature, a guide's blank form. It is served
// sandboxed, so that a document cannot run scripts in the site's origin,
// with its own type; Cache says how long a browser may keep it (private
// files: "private, no-store"), Download names it as an attachment.
type storedFile struct {
	Hash, ContentType string
	Modified          time.Time
	Cache             string
	Download          string // the file name to save as; "" shows it in the browser
}

// write answers a call with the file, ranges and conditional requests
// included.
func (f storedFile) write(w *Web, c *call) error {
	rw, r := c.rw, c.R
	file, err := filestore.Store{Dir: w.UploadDir}.Open(f.Hash)
	if err != nil {
		return err
	}
	defer file.Close()
	h := rw.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("Cache-Control", f.Cache)
	if f.Download != "" {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Download}))
	}
	http.ServeContent(rw, r, "", f.Modified, file)
	return nil
}
