package filestore_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/filestore"
)

func TestPutAndOpen(t *testing.T) {
	s := filestore.Store{Dir: t.TempDir()}
	data := []byte("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
	hash, err := s.Put(data)
	if err != nil {
		t.Fatal(err)
	}
	if hash != filestore.Hash(data) || len(hash) != 64 {
		t.Fatalf("hash %q", hash)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, hash[:2], hash)); err != nil {
		t.Fatalf("not kept under its hash: %v", err)
	}
	again, err := s.Put(data)
	if err != nil || again != hash {
		t.Fatalf("the same file again: %q %v", again, err)
	}
	entries, _ := os.ReadDir(filepath.Join(s.Dir, hash[:2]))
	if len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1 (no temporary file left)", len(entries))
	}
	f, err := s.Open(hash)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != string(data) {
		t.Errorf("read back %q", got)
	}
	for _, bad := range []string{"", "../../etc/passwd", hash[:63], hash[:63] + "g", filestore.Hash([]byte("other"))} {
		if _, err := s.Open(bad); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("Open(%q): %v, want not found", bad, err)
		}
	}
	if _, err := (filestore.Store{}).Put(data); apperr.CodeOf(err) != apperr.Unavailable {
		t.Errorf("no folder configured: %v", err)
	}
}

func TestSniff(t *testing.T) {
	for data, want := range map[string]string{
		"%PDF-1.7\n":                   "application/pdf",
		"\xff\xd8\xff\xe0\x00\x10JFIF": "image/jpeg",
		"\x89PNG\r\n\x1a\n\x00\x00":    "image/png",
	} {
		if ct, ok := filestore.Sniff([]byte(data)); !ok || ct != want {
			t.Errorf("%q: %s %v, want %s", data, ct, ok, want)
		}
	}
	for _, data := range []string{"<html><script>", "GIF89a", "MZ\x90\x00"} {
		if ct, ok := filestore.Sniff([]byte(data)); ok {
			t.Errorf("%q accepted as %s", data, ct)
		}
	}
}
