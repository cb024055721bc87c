// Package filestore keeps uploaded files (scans of materials) on disk under
// their SHA-256, outside any web root: the same file uploaded twice is
// stored once, a name can never be chosen by the uploader, and a file is
// never served from its path. The API and the web pages share it.
package filestore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/onewindow/onewindow/apperr"
)

// Accepted are the file types accepted, as sniffed from the content (never
// from the name or the client's word), with their usual extension.
var Accepted = map[string]string{"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

// Sniff returns data's content type and whether it is accepted.
func Sniff(data []byte) (string, bool) {
	ct := strings.SplitN(http.DetectContentType(data), ";", 2)[0]
	_, ok := Accepted[ct]
	return ct, ok
}

// Hash is the name a file is kept under: its SHA-256 in lowercase hex.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Store is a folder of files named by their hash (aa/aabbcc…). An empty
// Dir stores nothing: uploads are refused as not configured.
type Store struct{ Dir string }

func errDisabled() error {
	return apperr.New(apperr.Unavailable, "uploads_disabled", apperr.M("本服务未配置文件存储", "file storage is not configured"))
}

// ValidHash tells whether hash names a file of the store: 64 lowercase hex
// digits, the SHA-256 it is kept under.
func ValidHash(hash string) bool {
	if len(hash) != 64 {
		return false
	}
	for _, c := range hash {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (s Store) path(hash string) string { return filepath.Join(s.Dir, hash[:2], hash) }

// Put keeps data and returns its hash. The file is written to a temporary
// name, synced and renamed into place, so a crash leaves either the whole
// file or none; a file already there is kept as it is.
func (s Store) Put(data []byte) (string, error) {
	if s.Dir == "" {
		return "", errDisabled()
	}
	hash := Hash(data)
	final := s.path(hash)
	if _, err := os.Stat(final); err == nil {
		return hash, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", apperr.Wrap(err, "filestore: stat")
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", apperr.Wrap(err, "filestore: folder")
	}
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return "", apperr.Wrap(err, "filestore: temporary file")
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", apperr.Wrap(err, "filestore: write")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", apperr.Wrap(err, "filestore: sync")
	}
	if err := tmp.Close(); err != nil {
		return "", apperr.Wrap(err, "filestore: close")
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", apperr.Wrap(err, "filestore: rename")
	}
	// The rename is durable once the folder is synced.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return hash, nil
}

// Open opens the file kept under hash; NotFound when there is none.
func (s Store) Open(hash string) (io.ReadSeekCloser, error) {
	if s.Dir == "" {
		return nil, errDisabled()
	}
	if !ValidHash(hash) {
		return nil, apperr.New(apperr.NotFound, "file_not_found", apperr.M("文件不存在", "no such file"))
	}
	f, err := os.Open(s.path(hash))
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.New(apperr.NotFound, "file_not_found", apperr.M("文件不存在", "no such file"))
	}
	if err != nil {
		return nil, apperr.Wrap(err, "filestore: open")
	}
	return f, nil
}
