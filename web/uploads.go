package web

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/filestore"
)

// upload is a file read from a form, checked and ready to store.
type upload struct {
	cases.Material
	data []byte
}

// readUpload reads the file of field, or returns nil when none was chosen.
func (w *Web) readUpload(r *http.Request, field string) (*upload, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, nil
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Size == 0 && fh.Filename == "" {
		return nil, nil
	}
	if fh.Size > w.MaxUpload {
		return nil, apperr.Fields{apperr.Field(field, "too_large", apperr.M("文件超过大小上限", "the file is larger than allowed"))}.Err()
	}
	f, err := fh.Open()
	if err != nil {
		return nil, apperr.Wrap(err, "web: open upload")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, w.MaxUpload+1))
	if err != nil {
		return nil, apperr.Wrap(err, "web: read upload")
	}
	if len(data) == 0 {
		return nil, apperr.Fields{apperr.Field(field, "empty", apperr.M("文件为空", "the file is empty"))}.Err()
	}
	if int64(len(data)) > w.MaxUpload {
		return nil, apperr.Fields{apperr.Field(field, "too_large", apperr.M("文件超过大小上限", "the file is larger than allowed"))}.Err()
	}
	// The type the browser claims is never trusted: the content says.
	ct, ok := filestore.Sniff(data)
	if !ok {
		return nil, apperr.Fields{apperr.Field(field, "type", apperr.M("只接受PDF、JPEG或PNG文件", "only PDF, JPEG or PNG files are accepted"))}.Err()
	}
	return &upload{data: data, Material: cases.Material{Source: cases.SourceUpload, FileName: displayName(fh.Filename),
		FileHash: filestore.Hash(data), ContentType: ct, Size: int64(len(data))}}, nil
}

// displayName keeps a user's file name for display only, never as a path.
func displayName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if !utf8.ValidString(name) || name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}

// storeFile keeps an upload in the file store the API uses.
func (w *Web) storeFile(u *upload) error {
	_, err := filestore.Store{Dir: w.UploadDir}.Put(u.data)
	return err
}
