package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/filestore"
)

// drawnPrefix begins the signature the page's pad writes into its hidden field.
const drawnPrefix = "data:image/png;base64,"

// collectorOf reads who collects a result handed out at the window from the
// issue form: their name, identity card number, relation to the applicant,
// and a signature drawn on the pad or a photo of the signed slip, which is
// stored (by its hash, as every upload) before the service records it. The
// window always asks for it; post and electronic delivery need none.
func (w *Web) collectorOf(r *http.Request) (*cases.Collection, error) {
	if r.PostFormValue("issue_method") != cases.IssueAtWindow {
		return nil, nil
	}
	col := &cases.Collection{
		Name:          strings.TrimSpace(r.PostFormValue("collector_name")),
		IDNumber:      strings.TrimSpace(r.PostFormValue("collector_id")),
		Relation:      r.PostFormValue("collector_relation"),
		Authorisation: strings.TrimSpace(r.PostFormValue("collector_authorisation")),
	}
	slip, err := w.readUpload(r, "signature_slip")
	if err != nil {
		return nil, renameField(err, "signature_slip", "collector.signature")
	}
	var data []byte
	switch drawn := r.PostFormValue("signature_drawn"); {
	case slip != nil:
		if slip.ContentType != "image/png" && slip.ContentType != "image/jpeg" {
			return nil, apperr.Fields{apperr.Field("collector.signature", "type", apperr.M("签名须为PNG或JPEG图片", "the signature must be a PNG or JPEG image"))}.Err()
		}
		col.SignatureKind, data = cases.SignatureSlip, slip.data
	case strings.HasPrefix(drawn, drawnPrefix):
		data, err = base64.StdEncoding.DecodeString(drawn[len(drawnPrefix):])
		if ct, ok := filestore.Sniff(data); err != nil || !ok || ct != "image/png" || int64(len(data)) > w.MaxUpload {
			return nil, apperr.Fields{apperr.Field("collector.signature", "type", apperr.M("签名须为PNG或JPEG图片", "the signature must be a PNG or JPEG image"))}.Err()
		}
		col.SignatureKind = cases.SignatureDrawn
	default:
		col.SignatureKind = cases.SignatureDrawn // the service names the missing signature
		return col, nil
	}
	hash, err := filestore.Store{Dir: w.UploadDir}.Put(data)
	if err != nil {
		return nil, err
	}
	col.SignatureHash, col.SignatureType = hash, http.DetectContentType(data)
	if i := strings.IndexByte(col.SignatureType, ';'); i >= 0 {
		col.SignatureType = col.SignatureType[:i]
	}
	return col, nil
}

// renameField moves the field errors of one form field to the name the
// service uses, so that the summary links to the same input.
func renameField(err error, from, to string) error {
	ae := apperr.As(err)
	for i := range ae.Fields {
		if ae.Fields[i].Field == from {
			ae.Fields[i].Field = to
		}
	}
	return ae
}

// collectorSignature serves the collector's signature to those who may see
// the case.
func (w *Web) collectorSignature(ctx context.Context, c *call) (answer, error) {
	col, err := w.Cases.Collection(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	if col == nil {
		return nil, apperr.NotFoundf("file_not_found", apperr.M("该案件没有领取人签名", "this case has no collector's signature"))
	}
	return storedFile{Hash: col.SignatureHash, ContentType: col.SignatureType, Modified: col.RecordedAt, Cache: "private, no-store"}, nil
}
