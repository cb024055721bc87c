package api

import (
	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/filestore"
)

// storeSignature keeps the signature of the collector sent with an issue
// action (领取人签名: PNG or JPEG, base64 in the JSON body) in the file store,
// by its SHA-256 as every upload, and hands the service its hash and the
// type sniffed from the content. A hash a client writes itself is ignored:
// only what was sent here is recorded.
func (s *Server) storeSignature(req *cases.ActRequest) error {
	col := req.Collector
	if col == nil {
		return nil
	}
	data := col.Signature
	col.Signature, col.SignatureHash, col.SignatureType = nil, "", ""
	if len(data) == 0 {
		return nil // the service names the missing signature with the other fields
	}
	if int64(len(data)) > s.MaxUpload {
		return apperr.New(apperr.TooLarge, "upload_too_large", apperr.M("签名图片超过大小上限", "the signature image is larger than allowed")).With("max_bytes", s.MaxUpload)
	}
	ct, ok := filestore.Sniff(data)
	if !ok || (ct != "image/png" && ct != "image/jpeg") {
		return apperr.Fields{apperr.Field("collector.signature", "type", apperr.M("签名须为PNG或JPEG图片", "the signature must be a PNG or JPEG image"))}.Err()
	}
	hash, err := filestore.Store{Dir: s.UploadDir}.Put(data)
	if err != nil {
		return err
	}
	col.SignatureHash, col.SignatureType = hash, ct
	return nil
}
