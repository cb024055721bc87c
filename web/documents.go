package web

import (
	"context"
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
	// Bundle: a notice of a bundle application (一件事), which names the
	// bundle where a case names its item, and has no QR code: 办件查询
	// follows cases, and a bundle's members are followed one by one.
	Bundle bool
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
func (w *Web) document(ctx context.Context, c *call) (answer, error) {
	doc, err := w.Cases.Document(ctx, c.User, c.ID, c.Path("kind"))
	if err != nil {
		return nil, err
	}
	d := documentData{Document: doc, CaseID: c.ID, Back: "/cases/" + c.Path("id")}
	if doc.VerifyCode != "" {
		d.QRURL = w.publicBase(c.R) + "/verify/" + url.PathEscape(doc.VerifyCode)
	} else {
		d.QRURL = w.publicBase(c.R) + trackPath(doc.CaseNumber, doc.QueryCode)
	}
	if d.QR, err = qrSVG(d.QRURL, c.L.T("doc.qr_label")); err != nil {
		return nil, err
	}
	return page{Name: "document", TitleText: d.Title(c.L) + " " + doc.CaseNumber, Data: d}, nil
}

// bundleDocument shows a printable notice of a bundle application: the
// one-time notice while it waits for materials, or the notice of
// non-acceptance.
func (w *Web) bundleDocument(ctx context.Context, c *call) (answer, error) {
	doc, err := w.Cases.BundleDocument(ctx, c.User, c.ID, c.Path("kind"))
	if err != nil {
		return nil, err
	}
	d := documentData{Document: doc, CaseID: c.ID, Back: "/bundle-cases/" + c.Path("id"), Bundle: true}
	return page{Name: "document", TitleText: d.Title(c.L) + " " + doc.CaseNumber, Data: d}, nil
}
