package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
)

// allowedUploads are the file types accepted, as sniffed from the content
// (the type the browser claims is never trusted).
var allowedUploads = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

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
	ct := strings.SplitN(http.DetectContentType(data), ";", 2)[0]
	if !allowedUploads[ct] {
		return nil, apperr.Fields{apperr.Field(field, "type", apperr.M("只接受PDF、JPEG或PNG文件", "only PDF, JPEG or PNG files are accepted"))}.Err()
	}
	sum := sha256.Sum256(data)
	return &upload{data: data, Material: cases.Material{Source: cases.SourceUpload, FileName: displayName(fh.Filename),
		FileHash: hex.EncodeToString(sum[:]), ContentType: ct, Size: int64(len(data))}}, nil
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

// storeFile writes an upload under its SHA-256, outside any web root, in the
// layout the API uses (aa/aabbcc…), atomically.
func (w *Web) storeFile(u *upload) error {
	if w.UploadDir == "" {
		return apperr.New(apperr.Unavailable, "uploads_disabled", apperr.M("本服务未配置文件存储", "file storage is not configured"))
	}
	dir := filepath.Join(w.UploadDir, u.FileHash[:2])
	final := filepath.Join(dir, u.FileHash)
	if _, err := os.Stat(final); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return apperr.Wrap(err, "web: upload stat")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return apperr.Wrap(err, "web: upload dir")
	}
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return apperr.Wrap(err, "web: upload temp")
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(u.data); err != nil {
		tmp.Close()
		return apperr.Wrap(err, "web: upload write")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return apperr.Wrap(err, "web: upload sync")
	}
	if err := tmp.Close(); err != nil {
		return apperr.Wrap(err, "web: upload close")
	}
	return apperr.Wrap(os.Rename(tmp.Name(), final), "web: upload rename")
}
