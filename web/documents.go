package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/onewindow/onewindow/cases"
)

type documentData struct {
	cases.Document
	CaseID int64
	QR     template.HTML
	QRURL  string
	Back   string
}

// Title is the notice's title in the page's language.
func (d documentData) Title(l Lang) string { return l.Name(d.TitleZH, d.TitleEN) }

// publicBase is the address printed in QR codes: the configured public
// address, or the one this page was asked for.
func (w *Web) publicBase(r *http.Request) string {
	if w.PublicURL != "" {
		return strings.TrimSuffix(w.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// document shows a printable A4 notice. Its QR code opens the public
// verification page (delivery record, which carries the verification code)
// or 办件查询 with the case number and query code filled in (every other
// notice), which needs no account.
func (w *Web) document(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := pathCaseID(r)
	if err != nil {
		return err
	}
	doc, err := w.Cases.Document(r.Context(), *s.User, id, r.PathValue("kind"))
	if err != nil {
		return err
	}
	d := documentData{Document: doc, CaseID: id, Back: "/cases/" + r.PathValue("id")}
	if doc.VerifyCode != "" {
		d.QRURL = w.publicBase(r) + "/verify/" + url.PathEscape(doc.VerifyCode)
	} else {
		d.QRURL = w.publicBase(r) + trackPath(doc.CaseNumber, doc.QueryCode)
	}
	if d.QR, err = qrSVG(d.QRURL, s.L.T("doc.qr_label")); err != nil {
		return err
	}
	return w.write(rw, r, s, http.StatusOK, "document", &view{session: s, Title: d.Title(s.L) + " " + doc.CaseNumber, Data: d})
}
