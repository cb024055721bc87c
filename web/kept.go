package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/filestore"
)

// A file an applicant has already uploaded on a form that was then refused
// (another file of the wrong type, a point that cannot handle the item) is
// kept: it is in the file store already, and the form shown again carries a
// token naming it, so that sending the form again keeps it without choosing
// it again. The token is signed with the session's secret, so it names only
// a file this browser uploaded, and needs no storage.

// keptFile is what the token says of one uploaded file.
type keptFile struct {
	Type        string `json:"t"`
	Hash        string `json:"h"`
	ContentType string `json:"c"`
	Size        int64  `json:"s"`
	Name        string `json:"n"`
	// Token is the signed form of the fields above (not itself signed).
	Token string `json:"-"`
}

func (s *session) keptKey() []byte {
	sum := sha256.Sum256([]byte("onewindow kept upload v1\x00" + s.seed))
	return sum[:]
}

// keep signs the upload of a material as a kept file.
func (s *session) keep(typ string, m cases.Material) keptFile {
	k := keptFile{Type: typ, Hash: m.FileHash, ContentType: m.ContentType, Size: m.Size, Name: m.FileName}
	body, _ := json.Marshal(k)
	mac := hmac.New(sha256.New, s.keptKey())
	mac.Write(body)
	k.Token = base64.RawURLEncoding.EncodeToString(body) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	return k
}

// kept reads a token back for material typ; ok is false for a token that
// is missing, forged, from another session or for another material.
func (s *session) kept(typ, token string) (keptFile, bool) {
	body64, sig64, found := strings.Cut(token, ".")
	if !found || len(token) > 4096 {
		return keptFile{}, false
	}
	body, err1 := base64.RawURLEncoding.DecodeString(body64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sig64)
	if err1 != nil || err2 != nil {
		return keptFile{}, false
	}
	mac := hmac.New(sha256.New, s.keptKey())
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return keptFile{}, false
	}
	var k keptFile
	if err := json.Unmarshal(body, &k); err != nil || k.Type != typ || !filestore.ValidHash(k.Hash) {
		return keptFile{}, false
	}
	k.Token = token
	return k, true
}

// material is the kept file as a case material uploaded by the applicant.
func (k keptFile) material() cases.Material {
	return cases.Material{Type: k.Type, Source: cases.SourceUpload, FileName: k.Name, FileHash: k.Hash,
		ContentType: k.ContentType, Size: k.Size}
}

// keepUploads reads the file of each material type from a multipart form
// (file_TYPE) and stores it at once, so that it is kept whatever is refused
// next; a type without a new file keeps the file its signed token names
// (kept_TYPE). The files refused (too large, not PDF, JPEG or PNG) come
// back as field problems, the others are kept all the same.
func (w *Web) keepUploads(c *call, types []string) (map[string]*keptFile, apperr.Fields, error) {
	r, s := c.R, c.S
	kept := map[string]*keptFile{}
	var bad apperr.Fields
	for _, typ := range types {
		up, err := w.readUpload(r, "file_"+typ)
		if err != nil {
			ae := apperr.As(err)
			if len(ae.Fields) == 0 {
				return nil, nil, err
			}
			bad = append(bad, ae.Fields...)
		}
		if up != nil {
			if err := w.storeFile(up); err != nil {
				return nil, nil, err
			}
			k := s.keep(typ, up.Material)
			kept[typ] = &k
			continue
		}
		if k, ok := s.kept(typ, r.PostFormValue("kept_"+typ)); ok {
			kept[typ] = &k
		}
	}
	return kept, bad, nil
}
